"""Checks a set of bundles as a whole: unique slugs, references that resolve, citations.

Pydantic validates each record's shape; this module validates the records together
(and against what the database already holds), so a load can refuse before writing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..kinds import RECORDS, kind as kind_of
from ..spelling import closest
from .bundle import SECTIONS, Bundle
from .reader import ParsedBundle

# slugs that exist already, by section: (section, wanted slugs) -> found slugs
Lookup = Callable[[str, set[str]], set[str]]
# every slug of a section, for "did you mean" hints
Listing = Callable[[str], list[str]]


@dataclass
class Stored:
    """What the database already holds that checks compare against: metric slug -> unit, and
    document slug -> stored text (only documents that have one)."""

    metric_units: Callable[[set[str]], dict[str, str]]
    document_texts: Callable[[set[str]], dict[str, str]]
    # Texts of documents that earlier chunks of a streamed load defined (not stored yet
    # when the load began).
    seen_texts: dict[str, str] = field(default_factory=dict)

# The sections whose records need a document that reports them.
CITED_SECTIONS = tuple(kind.plural for kind in RECORDS if kind.must_cite)


# Where each section refers to other records: (field, sub-field or None, target section).
# A field holding a list is followed item by item; a sub-field picks from each item.
REFERENCES: dict[str, tuple[tuple[str, str | None, str], ...]] = {
    "areas": (("parent", None, "areas"),),
    "actors": (("country", None, "actors"), ("affiliations", "organisation", "actors"),
               ("names", "document", "documents"), ("citations", "document", "documents")),
    "documents": (("authors", None, "actors"), ("publisher", None, "actors")),
    "metrics": (("names", "document", "documents"),),
    "initiatives": (("areas", None, "areas"), ("participants", "actor", "actors"),
                    ("names", "document", "documents"), ("citations", "document", "documents")),
    "claims": (("holders", None, "actors"), ("actors", None, "actors"), ("initiatives", None, "initiatives"),
               ("areas", None, "areas"), ("relations", "claim", "claims"), ("citations", "document", "documents")),
    "statistics": (("metric", None, "metrics"), ("subject", None, "actors"), ("population_actor", None, "actors"),
                   ("origin", None, "documents"), ("areas", None, "areas"), ("citations", "document", "documents")),
    "events": (("actors", None, "actors"), ("initiatives", None, "initiatives"), ("areas", None, "areas"),
               ("citations", "document", "documents")),
    "candidates": (("document", None, "documents"),),
    "claim_relations": (("from_claim", None, "claims"), ("claim", None, "claims")),
    "citations": (("document", None, "documents"),),
}
_LOCATION_NAME = {"from_claim": "from"}


def _special(section: str, record: Any) -> list[tuple[str, str, str]]:
    """(field, target, slug) references whose target depends on the record."""
    if section == "candidates" and record.target:
        return [("target", f"{record.kind}s", record.target)]
    if section == "citations":
        kind, slug = record.subject
        return [(kind, kind_of(kind).plural, slug)]
    return []


def referenced(bundle: Bundle) -> dict[str, set[str]]:
    """Every slug a bundle refers to, by target section (fast: no locations)."""
    out: dict[str, set[str]] = defaultdict(set)
    for section, fields in REFERENCES.items():
        records = getattr(bundle, section)
        if not records:
            continue
        for field, sub, target in fields:
            bucket = out[target]
            for record in records:
                value = record.__dict__[field]
                if isinstance(value, list):
                    bucket.update(item.__dict__[sub] if sub else item for item in value)
                elif value:
                    bucket.add(value)
        if section in ("candidates", "citations"):
            for record in records:
                for _, target, slug in _special(section, record):
                    out[target].add(slug)
    for bucket in out.values():
        bucket.discard(None)
    return out


def references(bundle: Bundle) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(location, target section, slug) for every slug a bundle refers to."""
    for section, fields in REFERENCES.items():
        for i, record in enumerate(getattr(bundle, section)):
            for field, sub, target in fields:
                value = record.__dict__[field]
                name = _LOCATION_NAME.get(field, field)
                if isinstance(value, list):
                    for j, item in enumerate(value):
                        slug = item.__dict__[sub] if sub else item
                        if slug:
                            yield ((section, i, name, j, sub) if sub else (section, i, name, j)), target, slug
                elif value:
                    yield (section, i, name), target, value
            for field, target, slug in _special(section, record):
                yield (section, i, field), target, slug


def check_bundles(parsed: list[ParsedBundle], lookup: Lookup | None = None, listing: Listing | None = None,
                  stored: Stored | None = None) -> list[str]:
    """Every problem found, located; an empty list means the bundles can be loaded."""
    problems: list[str] = []
    defined: dict[str, dict[str, tuple[ParsedBundle, int]]] = {section: {} for section in SECTIONS}
    for pb in parsed:
        for section in SECTIONS:
            seen = defined[section]
            for i, record in enumerate(getattr(pb.bundle, section)):
                first = seen.get(record.slug)
                if first is None:
                    seen[record.slug] = (pb, i)
                else:  # rare: only now work out where both are
                    also = first[0].where(section, first[1], "slug").rsplit(": ", 1)[0]
                    problems.append(f"{pb.where(section, i, 'slug')}: duplicate {kind_of(section).name} slug "
                                    f"{record.slug!r} (also at {also})")

    wanted: dict[str, set[str]] = {section: set() for section in SECTIONS}
    for pb in parsed:
        for target, slugs in referenced(pb.bundle).items():
            wanted[target].update(slug for slug in slugs if slug not in defined[target])
    existing = {section: (lookup(section, slugs) if lookup and slugs else set()) for section, slugs in wanted.items()}
    if any(wanted[section] - existing[section] for section in SECTIONS):
        for pb in parsed:  # locate each reference that resolves to nothing
            for loc, target, slug in references(pb.bundle):
                if slug in defined[target] or slug in existing[target]:
                    continue
                pool = list(defined[target]) + (listing(target) if listing else [])
                close = closest(slug, pool)
                hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
                problems.append(f"{pb.where(*loc)}: unknown {kind_of(target).name} {slug!r}{hint}")

    problems.extend(_dates(parsed))
    problems.extend(_self_relations(parsed))
    problems.extend(_uncited(parsed, existing_cited=lookup))
    problems.extend(_area_cycles(parsed))
    problems.extend(_units(parsed, stored))
    problems.extend(resolve_quotes(parsed, stored))
    problems.extend(_spans(parsed, stored))
    return problems


def _units(parsed: list[ParsedBundle], stored: Stored | None) -> list[str]:
    """A statistic is in its metric's unit: 71 (count) under a percent metric is a mistake."""
    units: dict[str, str] = {}
    for pb in parsed:
        for metric in pb.bundle.metrics:
            units.setdefault(metric.slug, metric.unit)  # a second definition is reported as a duplicate
    elsewhere = {s.metric for pb in parsed for s in pb.bundle.statistics} - set(units)
    if elsewhere and stored:
        units.update(stored.metric_units(elsewhere))
    problems = []
    for pb in parsed:
        for i, stat in enumerate(pb.bundle.statistics):
            unit = units.get(stat.metric)
            if unit is not None and stat.unit != unit:
                problems.append(f"{pb.where('statistics', i, 'unit')}: {stat.unit!r} does not fit metric "
                                f"{stat.metric!r}, which is measured in {unit!r} (choose or define a metric in {stat.unit!r})")
    return problems


def _citations(pb: ParsedBundle) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(location, citation) for every citation in a bundle, inline and top-level."""
    for section in SECTIONS:
        for i, record in enumerate(getattr(pb.bundle, section)):
            for j, citation in enumerate(getattr(record, "citations", None) or ()):
                yield (section, i, "citations", j), citation
    for j, citation in enumerate(pb.bundle.citations):
        yield ("citations", j), citation


def resolve_quotes(parsed: list[ParsedBundle], stored: Stored | None) -> list[str]:
    """Give every citation made by quote its span (char_start, char_end, paragraph) in its
    document's text, and its `reported_as` (the words as the text has them) unless given;
    a quote that names no single place is a problem located at the quote."""
    from ..quotes import Quote, QuoteError, find, same_words

    quoted = [(pb, loc, c) for pb in parsed for loc, c in _citations(pb) if c.quote is not None and c.char_start is None]
    if not quoted:
        return []
    texts = {d.slug: d.text for pb in parsed for d in pb.bundle.documents if d.text is not None}
    wanted = {c.document for _, _, c in quoted} - set(texts)
    if stored:
        texts.update({slug: stored.seen_texts[slug] for slug in wanted if slug in stored.seen_texts})
        if wanted - set(texts):
            texts.update(stored.document_texts(wanted - set(texts)))
    problems = []
    for pb, loc, c in quoted:
        text = texts.get(c.document)
        if text is None:
            problems.append(f"{pb.where(*loc, 'quote')}: document {c.document!r} has no stored text to find the quote in "
                            "(add it with `aj source add`, or cite by paragraph)")
            continue
        try:
            span = find(text, Quote(c.quote, c.prefix, c.suffix), c.paragraph)
        except QuoteError as exc:
            problems.append(f"{pb.where(*loc, 'quote')}: document {c.document!r}: {exc}")
            continue
        c.char_start, c.char_end, c.paragraph = span.start, span.end, span.paragraph
        if c.reported_as is None:
            c.reported_as = span.text if len(span.text) <= 500 else None
        elif same_words(c.reported_as, span.text):
            c.reported_as = span.text  # the same words, typed with other quotes or dashes: stored as the text has them
    return problems


def _spans(parsed: list[ParsedBundle], stored: Stored | None) -> list[str]:
    """Where a document's text is known, a citation's paragraph and span must lie inside it."""
    from ..textnorm import paragraph_spans

    texts = {d.slug: d.text for pb in parsed for d in pb.bundle.documents if d.text is not None}
    located = [(pb, loc, c) for pb in parsed for loc, c in _citations(pb) if c.paragraph or c.char_start is not None]
    elsewhere = {c.document for _, _, c in located} - {d.slug for pb in parsed for d in pb.bundle.documents}
    if stored:
        texts.update({slug: stored.seen_texts[slug] for slug in elsewhere if slug in stored.seen_texts})
        elsewhere -= set(stored.seen_texts)
        if elsewhere:
            texts.update(stored.document_texts(elsewhere))
        stored.seen_texts.update({d.slug: d.text for pb in parsed for d in pb.bundle.documents if d.text is not None})
    paragraphs: dict[str, list[tuple[int, int]]] = {}
    problems = []
    for pb, loc, c in located:
        text = texts.get(c.document)
        if text is None:
            continue
        spans = paragraphs.setdefault(c.document, paragraph_spans(text))
        if c.paragraph and c.paragraph > len(spans):
            problems.append(f"{pb.where(*loc, 'paragraph')}: paragraph {c.paragraph} is beyond the end of "
                            f"document {c.document!r}, which has {len(spans)}")
        elif c.char_start is not None and c.char_end > len(text):
            problems.append(f"{pb.where(*loc, 'char_end')}: span {c.char_start}-{c.char_end} is beyond the end of "
                            f"document {c.document!r}, which has {len(text)} characters")
        elif c.char_start is not None and c.paragraph and not (
                spans[c.paragraph - 1][0] <= c.char_start and c.char_end <= spans[c.paragraph - 1][1]):
            start, end = spans[c.paragraph - 1]
            problems.append(f"{pb.where(*loc, 'char_start')}: span {c.char_start}-{c.char_end} is not in paragraph "
                            f"{c.paragraph} of document {c.document!r} (characters {start}-{end})")
        elif c.char_start is not None and c.reported_as and text[c.char_start:c.char_end] != c.reported_as:
            problems.append(f"{pb.where(*loc, 'reported_as')}: span {c.char_start}-{c.char_end} of document "
                            f"{c.document!r} reads {text[c.char_start:c.char_end]!r}, not {c.reported_as!r}")
        elif c.char_start is None and c.paragraph and c.reported_as:
            start, end = spans[c.paragraph - 1]
            if " ".join(c.reported_as.split()) not in " ".join(text[start:end].split()):
                problems.append(f"{pb.where(*loc, 'reported_as')}: paragraph {c.paragraph} of document "
                                f"{c.document!r} does not say {c.reported_as!r}")
    return problems


DATE_FIELDS = {"documents": ("published",), "initiatives": ("started",), "statistics": ("period", "period_end"),
               "events": ("date", "end_date"), "candidates": ("date", "end_date")}


def _dates(parsed: list[ParsedBundle]) -> list[str]:
    """Dates the pattern let through but the calendar does not have (30 February)."""
    from ..dates import parse_fuzzy

    problems = []
    for pb in parsed:
        for section, fields in DATE_FIELDS.items():
            for i, record in enumerate(getattr(pb.bundle, section)):
                for name in fields:
                    value = getattr(record, name)
                    if value is not None:
                        try:
                            parse_fuzzy(value)
                        except ValueError as exc:
                            problems.append(f"{pb.where(section, i, name)}: {exc}")
    return problems


def _self_relations(parsed: list[ParsedBundle]) -> list[str]:
    """A claim supports, contradicts or qualifies another claim, never itself."""
    problems = []
    for pb in parsed:
        for i, claim in enumerate(pb.bundle.claims):
            for j, relation in enumerate(claim.relations):
                if relation.claim == claim.slug:
                    problems.append(f"{pb.where('claims', i, 'relations', j, 'claim')}: claim {claim.slug!r} cannot "
                                    f"{relation.kind.removesuffix('s')} itself")
        for j, relation in enumerate(pb.bundle.claim_relations):
            if relation.claim == relation.from_claim:
                problems.append(f"{pb.where('claim_relations', j, 'claim')}: claim {relation.claim!r} cannot "
                                f"{relation.kind.removesuffix('s')} itself")
    return problems


def _uncited(parsed: list[ParsedBundle], existing_cited: Lookup | None) -> list[str]:
    cited: dict[str, set[str]] = {section: set() for section in CITED_SECTIONS}
    for pb in parsed:
        for ref in pb.bundle.citations:
            kind, slug = ref.subject
            if kind_of(kind).plural in cited:
                cited[kind_of(kind).plural].add(slug)
    problems = []
    for section in CITED_SECTIONS:
        missing = {}
        for pb in parsed:
            for i, record in enumerate(getattr(pb.bundle, section)):
                if not record.citations and record.slug not in cited[section]:
                    missing[record.slug] = pb.where(section, i, "citations")
        # A record already in the database keeps the citations it has there.
        already = existing_cited(f"cited:{section}", set(missing)) if existing_cited and missing else set()
        for slug, where in missing.items():
            if slug not in already:
                noun = kind_of(section).name
                problems.append(f"{where}: {noun} {slug!r} has no citation; every {noun} needs a document that reports it")
    return problems


def _area_cycles(parsed: list[ParsedBundle]) -> list[str]:
    parent = {a.slug: a.parent for pb in parsed for a in pb.bundle.areas}
    problems = []
    for start in parent:
        seen, slug = set(), start
        while slug in parent and parent[slug]:
            if slug in seen:
                problems.append(f"areas: {start!r} is its own ancestor")
                break
            seen.add(slug)
            slug = parent[slug]
    return problems
