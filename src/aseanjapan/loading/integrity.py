"""Checks a set of bundles as a whole: unique slugs, references that resolve, citations.

Pydantic validates each record's shape; this module validates the records together
(and against what the database already holds), so a load can refuse before writing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any

from .bundle import SECTIONS, Bundle
from .reader import ParsedBundle

# slugs that exist already, by section: (section, wanted slugs) -> found slugs
Lookup = Callable[[str, set[str]], set[str]]
# every slug of a section, for "did you mean" hints
Listing = Callable[[str], list[str]]

CITED_SECTIONS = ("claims", "statistics", "events")
SINGULAR = {
    "areas": "area", "actors": "actor", "documents": "document", "metrics": "metric",
    "initiatives": "initiative", "claims": "claim", "statistics": "statistic", "events": "event",
    "candidates": "candidate",
}
SECTION_OF = {singular: section for section, singular in SINGULAR.items()}


def references(bundle: Bundle) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(location, target section, slug) for every slug a bundle refers to."""

    def cites(section: str, i: int, record: Any) -> Iterator[tuple[tuple[Any, ...], str, str]]:
        for j, citation in enumerate(record.citations):
            yield (section, i, "citations", j, "document"), "documents", citation.document

    def names(section: str, i: int, record: Any) -> Iterator[tuple[tuple[Any, ...], str, str]]:
        for j, name in enumerate(record.names):
            if name.document:
                yield (section, i, "names", j, "document"), "documents", name.document

    def many(section: str, i: int, field: str, target: str, slugs: list[str]):
        for j, slug in enumerate(slugs):
            yield (section, i, field, j), target, slug

    for i, area in enumerate(bundle.areas):
        if area.parent:
            yield ("areas", i, "parent"), "areas", area.parent
    for i, actor in enumerate(bundle.actors):
        if actor.country:
            yield ("actors", i, "country"), "actors", actor.country
        for j, affiliation in enumerate(actor.affiliations):
            yield ("actors", i, "affiliations", j, "organisation"), "actors", affiliation.organisation
        yield from names("actors", i, actor)
        yield from cites("actors", i, actor)
    for i, document in enumerate(bundle.documents):
        yield from many("documents", i, "authors", "actors", document.authors)
        if document.publisher:
            yield ("documents", i, "publisher"), "actors", document.publisher
    for i, initiative in enumerate(bundle.initiatives):
        yield from many("initiatives", i, "areas", "areas", initiative.areas)
        for j, participant in enumerate(initiative.participants):
            yield ("initiatives", i, "participants", j, "actor"), "actors", participant.actor
        yield from names("initiatives", i, initiative)
        yield from cites("initiatives", i, initiative)
    for i, claim in enumerate(bundle.claims):
        for field, target in (("holders", "actors"), ("actors", "actors"), ("initiatives", "initiatives"), ("areas", "areas")):
            yield from many("claims", i, field, target, getattr(claim, field))
        for j, relation in enumerate(claim.relations):
            yield ("claims", i, "relations", j, "claim"), "claims", relation.claim
        yield from cites("claims", i, claim)
    for i, statistic in enumerate(bundle.statistics):
        yield ("statistics", i, "metric"), "metrics", statistic.metric
        for field, target in (("subject", "actors"), ("population_actor", "actors"), ("origin", "documents")):
            if getattr(statistic, field):
                yield ("statistics", i, field), target, getattr(statistic, field)
        yield from many("statistics", i, "areas", "areas", statistic.areas)
        yield from cites("statistics", i, statistic)
    for i, event in enumerate(bundle.events):
        for field, target in (("actors", "actors"), ("initiatives", "initiatives"), ("areas", "areas")):
            yield from many("events", i, field, target, getattr(event, field))
        yield from cites("events", i, event)
    for i, candidate in enumerate(bundle.candidates):
        yield ("candidates", i, "document"), "documents", candidate.document
        if candidate.target:
            yield ("candidates", i, "target"), f"{candidate.kind}s", candidate.target
    for i, rel in enumerate(bundle.claim_relations):
        yield ("claim_relations", i, "from"), "claims", rel.from_claim
        yield ("claim_relations", i, "claim"), "claims", rel.claim
    for i, ref in enumerate(bundle.citations):
        kind, slug = ref.subject
        yield ("citations", i, kind), SECTION_OF[kind], slug
        yield ("citations", i, "document"), "documents", ref.document


def check_bundles(parsed: list[ParsedBundle], lookup: Lookup | None = None, listing: Listing | None = None) -> list[str]:
    """Every problem found, located; an empty list means the bundles can be loaded."""
    problems: list[str] = []
    defined: dict[str, dict[str, str]] = {section: {} for section in SECTIONS}
    for pb in parsed:
        for section in SECTIONS:
            for i, record in enumerate(getattr(pb.bundle, section)):
                here = pb.where(section, i, "slug")
                first = defined[section].get(record.slug)
                if first:
                    problems.append(f"{here}: duplicate {SINGULAR[section]} slug {record.slug!r} (also at {first.rsplit(': ', 1)[0]})")
                else:
                    defined[section][record.slug] = here

    wanted: dict[str, set[str]] = {section: set() for section in SECTIONS}
    refs = []
    for pb in parsed:
        for loc, target, slug in references(pb.bundle):
            refs.append((pb, loc, target, slug))
            if slug not in defined[target]:
                wanted[target].add(slug)
    existing = {section: (lookup(section, slugs) if lookup and slugs else set()) for section, slugs in wanted.items()}
    for pb, loc, target, slug in refs:
        if slug in defined[target] or slug in existing[target]:
            continue
        pool = list(defined[target]) + (listing(target) if listing else [])
        close = difflib.get_close_matches(slug, pool, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        problems.append(f"{pb.where(*loc)}: unknown {SINGULAR[target]} {slug!r}{hint}")

    problems.extend(_dates(parsed))
    problems.extend(_uncited(parsed, existing_cited=lookup))
    problems.extend(_area_cycles(parsed))
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


def _uncited(parsed: list[ParsedBundle], existing_cited: Lookup | None) -> list[str]:
    cited: dict[str, set[str]] = {section: set() for section in CITED_SECTIONS}
    for pb in parsed:
        for ref in pb.bundle.citations:
            kind, slug = ref.subject
            if SECTION_OF[kind] in cited:
                cited[SECTION_OF[kind]].add(slug)
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
                problems.append(f"{where}: {SINGULAR[section]} {slug!r} has no citation; every {SINGULAR[section]} needs a document that reports it")
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
