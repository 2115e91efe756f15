"""The review sheet: every pending candidate of a document with a proposed decision, written
as YAML a person edits in any editor (`aj review sheet`), then applied in one transaction
(`aj review apply`).

Proposals are guesses a reader checks, each explained in a comment: the metric whose name or
other name the sentence uses, the known actor nearest the figure as its subject, the year
the sentence gives as its period, and a citation of the statistic already held where the
figure matches one (matching.py). Applying goes through the same `review` functions as
`aj review accept` and `reject`; a sheet applied twice changes nothing the second time.
"""

from __future__ import annotations

import re
import textwrap
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from . import tables as t
from .errors import AjError, NotFoundError, UsageError, ValidationError

SHORT_ID = re.compile(r"c[1-9][0-9]*")
DECISIONS = ("accept", "reject", "skip")
# Keys of an entry that describe the candidate; they are shown, not read back.
SHOWN = ("found", "sentence")
# Actor kinds a figure is usually about; an institute near a figure is more often its source.
SUBJECT_KINDS = ("country", "regional-organisation", "international-organisation", "government")
_WORD = re.compile(r"[a-z]+")
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d%])")
_STOP = frozenset("the and for with that this from into its their than who what which was were are has have had "
                  "been will would said says per cent percent share of".split())


def short_id(document: str, candidate: str) -> str:
    """`c7` for candidate `DOC-c7` of document DOC (the slug itself if it is not so made)."""
    rest = candidate.removeprefix(f"{document}-")
    return rest if rest != candidate and SHORT_ID.fullmatch(rest) else candidate


# ---- proposing --------------------------------------------------------------------------------

@dataclass
class Proposal:
    """One sheet entry: the candidate, the decision proposed, and why (comments)."""

    id: str
    found: str
    sentence: str
    decision: str
    fields: dict[str, Any] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)  # a comment for `decision` or a field
    notes: list[str] = field(default_factory=list)  # comment lines closing the entry
    candidate: str = ""  # its full slug


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _STOP]


def _alike(a: str, b: str) -> bool:
    """One word in two forms ("trust", "trusted"; "confidence", "confident")."""
    common = len(_common_prefix(a, b))
    return a == b or common >= max(4, min(len(a), len(b)) - 2)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@dataclass
class _Vocabulary:
    metrics: dict[str, tuple[str, list[str]]]  # slug -> (unit, its name and other names)

    @classmethod
    def read(cls, conn: Connection) -> _Vocabulary:
        mt, n = t.metrics.c, t.names.c
        metrics = {slug: (unit, [name]) for slug, unit, name in conn.execute(select(mt.slug, mt.unit, mt.name))}
        for slug, name in conn.execute(select(mt.slug, n.name).join(t.names, n.metric_id == mt.id)):
            metrics[slug][1].append(name)
        return cls(metrics)

    def suggest(self, sentence: str, at: int, unit: str | None) -> tuple[list[str], str | None]:
        """The metrics one of whose names the sentence uses in full (metrics of another unit
        never), best first, and that name. Where several fit ("resilience and unity" and
        "third parties" both answer one question), the one whose own words stand nearest the
        figure at `at` wins, words after it counting double: "46.1% wanted unity"."""
        said = [(m.start(), m.group(0)) for m in _WORD.finditer(sentence.lower())
                if len(m.group(0)) >= 3 and m.group(0) not in _STOP]
        fits: dict[str, tuple[str, set[str]]] = {}  # slug -> (its name used, the words of it)
        for slug, (metric_unit, names) in self.metrics.items():
            if unit is not None and metric_unit != unit:
                continue
            for name in names:
                words = set(_words(name))
                if words and all(any(_alike(w, s) for _, s in said) for w in words):
                    if slug not in fits or len(words) > len(fits[slug][1]):
                        fits[slug] = (name, words)
        if not fits:
            return [], None

        def distance(slug: str) -> float:
            own = fits[slug][1] - set.intersection(*(w for _, w in fits.values())) if len(fits) > 1 else fits[slug][1]
            spots = [(start - at) if start >= at else 2 * (at - start)
                     for start, s in said if any(_alike(w, s) for w in own)]
            return min(spots, default=float("inf"))

        ranked = sorted(fits, key=lambda slug: (distance(slug), -len(fits[slug][1]), slug))
        return ranked, fits[ranked[0]][0]


def _candidates(conn: Connection, document_id: int) -> list[Any]:
    c, a, i = t.candidates.c, t.actors.c, t.initiatives.c
    query = (select(t.candidates, a.slug.label("actor_slug"), a.name.label("actor_name"), a.kind.label("actor_kind"),
                    i.slug.label("initiative_slug"))
             .outerjoin(t.actors, a.id == c.actor_id).outerjoin(t.initiatives, i.id == c.initiative_id)
             .where(c.document_id == document_id).order_by(c.char_start, c.id))
    return list(conn.execute(query))


def _same_sentence(a: Any, b: Any) -> bool:
    return a.paragraph == b.paragraph and a.context == b.context


@dataclass
class Proposed:
    document: str
    title: str
    defaults: Any  # curation.Defaults
    proposals: list[Proposal]


def propose(conn: Connection, document: str) -> Proposed:
    """The document, its defaults, and a proposal for each of its pending candidates, in
    text order."""
    from .curation import read_defaults
    from .lookup import resolve

    doc_id = resolve(conn, "document", document)
    slug, title = conn.execute(select(t.documents.c.slug, t.documents.c.title)
                               .where(t.documents.c.id == doc_id)).one()
    defaults = read_defaults(conn, doc_id, slug)
    rows = _candidates(conn, doc_id)
    text = conn.execute(select(t.documents.c.text).where(t.documents.c.id == doc_id)).scalar() or ""
    vocabulary = _Vocabulary.read(conn)
    proposals = []
    for row in rows:
        if row.status != "pending":
            continue
        if row.kind == "statistic":
            proposal = _statistic(conn, slug, row, rows, text, vocabulary, defaults)
        elif row.kind in ("actor", "initiative"):
            proposal = _known(slug, row)
        elif row.kind == "date":
            proposal = _date(slug, row)
        else:
            proposal = _entity(conn, slug, row)
        proposals.append(proposal)
    return Proposed(slug, title, defaults, proposals)


def _entry(document: str, row: Any, what: str) -> Proposal:
    return Proposal(short_id(document, row.slug), row.text, row.context or row.text, "skip",
                    why={"found": f"{what}, ¶{row.paragraph}" if row.paragraph else what}, candidate=row.slug)


def _known(document: str, row: Any) -> Proposal:
    target = row.actor_slug if row.kind == "actor" else row.initiative_slug
    p = _entry(document, row, f"a known {row.kind}'s name")
    if target is None:
        p.why["decision"] = f"the {row.kind} it named is no longer held; give link: SLUG to accept"
        return p
    p.decision = "accept"
    p.why["decision"] = f"a mention of {row.kind} {target}"
    return p


def _date(document: str, row: Any) -> Proposal:
    from .dates import format_fuzzy
    from .vocab import EVENT_KINDS

    when = format_fuzzy(row.date_start, row.date_precision) if row.date_start else "no date read"
    p = _entry(document, row, f"a date, read as {when}" + (f" ({row.date_note})" if row.date_note else ""))
    p.why["decision"] = "to record an event, accept with its title and kind"
    p.notes.append(f"kind is one of: {', '.join(EVENT_KINDS)}")
    return p


def _entity(conn: Connection, document: str, row: Any) -> Proposal:
    from .matching import known_records
    from .vocab import ACTOR_KINDS, INITIATIVE_KINDS

    what = row.name_type or "name"
    p = _entry(document, row, f"an unknown {what}" + (f", role {row.role}" if row.role else ""))
    known = [(kind, slug, name) for kind in ("actor", "initiative")
             for slug, name in known_records(conn, kind, [row.name or row.text, row.acronym])]
    if len(known) == 1:
        kind, slug, name = known[0]
        p.decision = "accept"
        p.fields["link"] = slug
        p.why["link"] = f"{kind} {slug} is known as {name!r}"
        return p
    if known:
        p.why["decision"] = "known names of " + ", ".join(f"{k} {s}" for k, s, _ in known) + ": give link: SLUG"
        return p
    as_ = "initiative" if row.name_type == "programme" else "actor"
    p.fields["as"] = as_
    p.why["decision"] = f"to record a new {as_}, accept with its kind"
    kinds = INITIATIVE_KINDS if as_ == "initiative" else ACTOR_KINDS
    p.notes.append(f"kind is one of: {', '.join(kinds)}")
    return p


def _statistic(conn: Connection, document: str, row: Any, rows: list[Any], text: str,
               vocabulary: _Vocabulary, defaults: Any) -> Proposal:
    from .display import format_value
    from .matching import held_statistic

    shown = format_value(row.value, row.unit, row.approximation or "exact", row.value_high)
    p = _entry(document, row, f"a figure: {shown}" + (f" {row.counted}" if row.counted and row.unit != "years" else ""))
    sentence = row.context or row.text
    begins = text.find(sentence, max(0, row.char_start - len(sentence)))
    metrics, name = vocabulary.suggest(sentence, row.char_start - begins if begins >= 0 else 0, row.unit)
    if metrics:
        p.fields["metric"] = metrics[0]
        p.why["metric"] = (f"the sentence uses its name {name!r}" +
                           (f"; also fits, less near: {', '.join(metrics[1:])}" if len(metrics) > 1 else ""))
    else:
        p.why["decision"] = "no metric's name in the sentence: give metric: (aj query metrics)"
    subject = _nearest_actor(row, rows, text)
    if subject is not None:
        p.fields["subject"] = subject.actor_slug
        p.why["subject"] = f"the known actor nearest the figure ({subject.text!r})"
    period = _year(row, rows)
    if period is not None:
        p.fields["period"] = period[0]
        p.why["period"] = period[1]
    filled = [f"{name} {getattr(defaults, name)}" for name in ("subject", "period", "origin", "population")
              if name not in p.fields and getattr(defaults, name)]
    if filled:
        p.notes.append("from the document's defaults: " + ", ".join(filled))
    if metrics:
        p.decision = "accept"
        record = {"metric": metrics[0], "subject": p.fields.get("subject") or defaults.subject,
                  "period": p.fields.get("period") or defaults.period,
                  "unit": row.unit or "count", "value": row.value, "value_high": row.value_high}
        held = held_statistic(conn, record)
        if held:
            s = t.statistics.c
            value, high, unit, approximation = conn.execute(select(s.value, s.value_high, s.unit, s.approximation)
                                                            .where(s.slug == held)).one()
            p.why["decision"] = (f"cites statistic {held} ({format_value(value, unit, approximation, high)}), "
                                 "held already: nothing new is made")
            p.notes.append("write separate: true for a record of its own (when the sources differ)")
    return p


_CLAUSE_BREAK = re.compile(r"[,;:()]|\band\b|\bwhile\b|\bbut\b|\bagainst\b")


def _nearest_actor(row: Any, rows: list[Any], text: str) -> Any:
    """The known actor the figure is most likely about: named in its sentence, a country or
    an organisation of countries before an institute (more often the figure's source), in
    the figure's own clause ("Japan, 44.2% the United States": the United States), nearest."""
    near = [r for r in rows if r.kind == "actor" and r.actor_slug and _same_sentence(r, row)]
    if not near:
        return None

    def rank(r: Any) -> tuple[bool, bool, int]:
        gap = text[r.char_end:row.char_start] if r.char_end <= row.char_start else text[row.char_end:r.char_start]
        return r.actor_kind not in SUBJECT_KINDS, bool(_CLAUSE_BREAK.search(gap)), len(gap)

    return min(near, key=rank)


def _year(row: Any, rows: list[Any]) -> tuple[str, str] | None:
    """The period the figure's sentence gives: its one year, or the nearest of several."""
    dates = [r for r in rows if r.kind == "date" and r.date_start and _same_sentence(r, row)]
    years = sorted({(abs(r.char_start - row.char_start), str(r.date_start.year)) for r in dates})
    if not years:
        found = {m.group(0) for m in _YEAR.finditer(row.context or "")}
        years = [(0, y) for y in sorted(found)]
    if not years:
        return None
    distinct = list(dict.fromkeys(y for _, y in years))
    why = "the year in the sentence" if len(distinct) == 1 else \
        f"the sentence's year nearest the figure (it also names {', '.join(distinct[1:])})"
    return years[0][1], why


# ---- writing ----------------------------------------------------------------------------------

_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_COMMENT_AT = 44
_PLAIN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _scalar(value: Any) -> str:
    """A value as YAML the strict reader reads back as the same value (strings always quoted)."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value not in ("true", "false", "null"):
        return value  # a slug reads the same unquoted
    text = json.dumps(str(value), ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _comment(text: str) -> str:
    from .textnorm import one_line

    return one_line(text)


def _line(key: str, value: Any, why: str | None) -> str:
    line = f"    {key}: {_scalar(value) if key != 'decision' else value}"
    if why:
        line = line.ljust(_COMMENT_AT) + f"  # {_comment(why)}"
    return line


HEADER = """\
# Review sheet for {document}: {title}
# Every pending candidate, with a proposed decision. Check each and edit what is wrong:
#   decision: accept, reject or skip (skip leaves it pending)
#   accepting takes the fields `aj review accept` takes, by their option names:
{fields}
#   rejecting takes a note (and leaves the other fields unread, as skipping does).
#   `found` and `sentence` show the candidate; they are not read.
# Then: aj review apply FILE (all decisions or none; applying it again changes nothing).
"""


SECTIONS = """
# The document's defaults fill what a decision below leaves empty (as `aj review defaults`
# sets them); blank is none. origin: the survey or report its figures come from (a known
# document, or one under new_origins).
defaults:
{defaults}

# Records the decisions need, made first. Replace [] with entries such as:
#   new_origins:
#     - slug: a-survey-2025              # the slug decisions name it by (origin: a-survey-2025)
#       title: "A Survey 2025"
#       kind: survey-report              # {document_kinds}
#       publisher: iseas                 # a known actor (optional), as are published, url, summary
#       published: "2025-04"
#   new_metrics:
#     - slug: a-measure                  # the slug decisions name it by (metric: a-measure)
#       name: "What exactly is measured"
#       unit: percent
#       description: "How it is measured (optional)"
#       aliases: ["a word readers use for it"]
new_origins: []
new_metrics: []

# Passages to record that are no candidate: claims, or a figure, event, actor or initiative
# the extractor missed. Quote the words as the text gives them (prefix: or suffix: tell
# repeated words apart); then the fields a decision takes. Replace [] with entries such as:
#   - quote: "the words of the passage"
#     as: claim                          # claim (the default), statistic, event, actor, initiative, mention
#     text: "What the passage asserts, in your own words"
#     kind: assessment                   # fact, assessment, recommendation or forecast
#     holders: [japan]                   # who holds the view (optional)
passages: []
"""


def _defaults_block(defaults: Any) -> str:
    from .curation import DEFAULT_FIELDS

    lines = []
    for name in DEFAULT_FIELDS:
        value = getattr(defaults, name)
        lines.append(f"  {name}:" + (f" {_scalar(value)}" if value not in (None, "") else ""))
    return "\n".join(lines)


def sheet_text(proposed: Proposed) -> str:
    from .vocab import DOCUMENT_KINDS

    document, title, proposals = proposed.document, proposed.title, proposed.proposals
    names = textwrap.wrap(", ".join(_decision_fields()), 88, initial_indent="#     ", subsequent_indent="#     ")
    out = [HEADER.format(document=document, title=_comment(title), fields="\n".join(names)),
           f"document: {_scalar(document)}",
           SECTIONS.format(defaults=_defaults_block(proposed.defaults), document_kinds=", ".join(DOCUMENT_KINDS[:8])
                           + ", ...").rstrip("\n")]
    if not proposals:
        out.append("candidates: []  # nothing pending")
        return "\n".join(out) + "\n" + END_LINES
    out.append("candidates:")
    for p in proposals:
        out.append("")
        out.append(f"  - id: {p.id}")
        out.append(_line("found", p.found, p.why.get("found")))
        out.append(_line("sentence", p.sentence, None))
        out.append(_line("decision", p.decision, p.why.get("decision")))
        for key, value in p.fields.items():
            out.append(_line(key, value, p.why.get(key)))
        for note in p.notes:
            out += ["    # " + part for part in textwrap.wrap(_comment(note), 92, subsequent_indent="  ")]
    return "\n".join(out) + "\n" + END_LINES


# A sheet proves it is whole by its last line: a file cut short (an editor or a copy that died)
# would otherwise apply a part of its decisions without a word.
END_KEY = "end_of_sheet"
END_LINES = f"\n# The sheet's last line: a sheet without it looks cut short and is refused.\n{END_KEY}: true\n"


def write_sheet(engine: Engine, document: str, output: Path | None, force: bool = False) -> tuple[str, int]:
    """The sheet of `document` (written to `output` in one piece when given); (text, entries)."""
    from .db import read_session

    if output is not None and Path(output).exists() and not force:
        from .files import display

        raise UsageError(f"{display(output)}: exists already (edits in it would be lost); "
                         "give --force to replace it, or choose a new file name")
    with read_session(engine) as session:
        proposed = propose(session.connection(), document)
    text = sheet_text(proposed)
    if output is not None:
        from .files import atomic_output

        with atomic_output(Path(output), what="--output") as stream:
            stream.write(text)
    return text, len(proposed.proposals)


# ---- reading and applying --------------------------------------------------------------------

def _decision_fields() -> dict[str, str]:
    """Sheet key -> the Decision field it sets, with that field's type (as annotated)."""
    from .review import Decision

    return {_SHEET_NAMES.get(f.name, f.name): f.name for f in fields(Decision)}


# Decision fields a sheet names otherwise, after their command-line options.
_SHEET_NAMES = {"as_": "as", "metric_name": "new_metric", "metric_names": "metric_aliases"}


@dataclass
class Entry:
    """A candidate's decision, or a passage to record, as the sheet gives it."""

    id: str  # a candidate's short id, or "passage N"
    line: int
    decision: str
    values: dict[str, Any]  # Decision field -> value
    lines: dict[str, int]  # Decision field -> its line
    extra: dict[str, Any] = field(default_factory=dict)  # a passage's quote, prefix, suffix, paragraph


@dataclass
class Part:
    """A new origin or metric, or the defaults: a mapping of fields at a line."""

    values: dict[str, Any]
    line: int
    lines: dict[str, int]


@dataclass
class Sheet:
    path: str
    document: str
    document_line: int
    entries: list[Entry]
    defaults: Part | None = None
    new_origins: list[Part] = field(default_factory=list)
    new_metrics: list[Part] = field(default_factory=list)
    passages: list[Entry] = field(default_factory=list)


def _type_problem(value: Any, hint: Any) -> tuple[Any, str | None]:
    """The value converted to the field's type, or why it cannot be."""
    args = typing.get_args(hint)
    base = typing.get_origin(hint)
    if hint is bool:
        return value, None if isinstance(value, bool) else "must be true or false"
    if hint is int or (int in args and float not in args and str not in args):
        return value, None if isinstance(value, int) and not isinstance(value, bool) else "must be a whole number"
    if base is list:
        (item,) = args
        if not isinstance(value, list):
            value = [value]
        converted = []
        for v in value:
            one, problem = _type_problem(v, item)
            if problem:
                return value, f"each item {problem.removeprefix('must be ')}"
            converted.append(one)
        return converted, None
    if base is tuple:
        if not isinstance(value, list) or len(value) != len(args):
            return value, f"must be a list of {len(args)} values"
        return tuple(str(v) for v in value), None
    if float in args:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value, "must be a number"
        return float(value), None
    if str in args or hint is str:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value), None
        return value, "must be text"
    return value, None


# The fields of the sheet's other parts, with their types.
_ORIGIN_FIELDS = {"slug": str | None, "title": str, "kind": str | None, "publisher": str | None,
                  "published": str | None, "url": str | None, "summary": str | None}
_METRIC_FIELDS = {"slug": str | None, "name": str, "unit": str, "description": str | None, "aliases": list[str]}
_DEFAULT_TYPES = {"origin": str | None, "subject": str | None, "period": str | None, "population": str | None,
                  "areas": list[str]}
_QUOTE_FIELDS = {"quote": str, "prefix": str | None, "suffix": str | None, "paragraph": int | None}


class _Reader:
    """Checks a parsed sheet, collecting every problem with its file:line."""

    def __init__(self, name: str, root: Any):
        from .review import Decision

        self.name, self.root = name, root
        self.problems: list[str] = []
        self.keys = _decision_fields()
        self.hints = typing.get_type_hints(Decision)

    def line(self, *where: Any) -> int:
        from .loading.yamlio import line_of

        return line_of(self.root, where) or 1

    def problem(self, line: int, text: str) -> None:
        self.problems.append(f"{self.name}:{line}: {text}")

    def mapping(self, raw: Any, where: tuple[Any, ...], types: dict[str, Any], what: str) -> Part | None:
        """A mapping of known fields (each converted to its type), or None after a problem."""
        from .spelling import choices_hint

        line = self.line(*where)
        if not isinstance(raw, dict):
            self.problem(line, f"{what}: a mapping of {', '.join(types)}")
            return None
        values, lines, ok = {}, {}, True
        for key, value in raw.items():
            at = self.line(*where, key)
            if key not in types:
                self.problem(at, f"{what}: unknown field {key!r}{choices_hint(str(key), list(types))}")
                ok = False
                continue
            if value is None or value == []:
                continue
            converted, problem = _type_problem(value, types[key])
            if problem:
                self.problem(at, f"{what}: {key}: {problem}")
                ok = False
                continue
            values[key], lines[key] = converted, at
        missing = [k for k, hint in types.items() if hint in (str,) and k not in values]
        if missing and ok:
            self.problem(line, f"{what}: give {missing[0]}:")
            ok = False
        return Part(values, line, lines) if ok else None

    def decision_fields(self, raw: dict, where: tuple[Any, ...], id_: str, skip: tuple[str, ...]) -> tuple[dict, dict]:
        from .spelling import choices_hint

        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key, value in raw.items():
            if key in skip:
                continue
            at = self.line(*where, key)
            if key not in self.keys:
                self.problem(at, f"{id_}: unknown field {key!r}{choices_hint(str(key), list(self.keys))}")
                continue
            if value is None:
                continue  # an empty field is a field left out
            converted, problem = _type_problem(value, self.hints[self.keys[key]])
            if problem:
                self.problem(at, f"{id_}: {key}: {problem}")
                continue
            values[self.keys[key]], lines[self.keys[key]] = converted, at
        return values, lines

    def parts(self, data: dict, key: str, types: dict[str, Any], what: str) -> list[Part]:
        raw = data.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(self.line(key), f"{key}: a list (or [])")
            return []
        return [part for n, item in enumerate(raw)
                if (part := self.mapping(item, (key, n), types, f"{what} {n + 1}")) is not None]


def read_sheet(path: Path) -> Sheet:
    """A sheet, checked for shape and types; every problem located at file:line."""
    from .files import display, read_regular
    from .loading.yamlio import YamlProblem, parse_yaml

    name = display(path)
    try:
        text = read_regular(Path(path), limit=50 * 1024 * 1024).decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError([f"{name}: not UTF-8 text"]) from None
    try:
        data, root = parse_yaml(text)
    except YamlProblem as exc:
        raise ValidationError([f"{name}:{exc.line}: {exc.message}" if exc.line else f"{name}: {exc.message}"]) from None
    read = _Reader(name, root)
    if not isinstance(data, dict):
        raise ValidationError([f"{name}:{read.line()}: not a review sheet (a mapping with document: and candidates:)"])
    known = ("document", "defaults", "new_origins", "new_metrics", "passages", "candidates", END_KEY)
    for key in data:
        if key not in known:
            read.problem(read.line(key), f"unknown key {key!r} (a sheet has {', '.join(known)})")
    if data.get(END_KEY) is not True:
        read.problem(text.count("\n") + 1, f"the sheet ends without its last line `{END_KEY}: true`, so it may "
                     "have been cut short; nothing applied (write it again, or restore the line if nothing is missing)")
    document = data.get("document")
    if not isinstance(document, str) or not document:
        read.problem(read.line("document") if "document" in data else read.line(),
                     "document: the slug of the sheet's document")
    defaults = (read.mapping(data["defaults"], ("defaults",), _DEFAULT_TYPES, "defaults")
                if data.get("defaults") is not None else None)
    if defaults is not None:  # a default left blank is none: the sheet says every one
        defaults.values = {k: defaults.values.get(k) for k in (data["defaults"] or {})}
    origins = read.parts(data, "new_origins", _ORIGIN_FIELDS, "new origin")
    metrics = read.parts(data, "new_metrics", _METRIC_FIELDS, "new metric")
    passages: list[Entry] = []
    raw_passages = data.get("passages") or []
    if not isinstance(raw_passages, list):
        read.problem(read.line("passages"), "passages: a list (or [])")
        raw_passages = []
    for n, raw in enumerate(raw_passages):
        id_ = f"passage {n + 1}"
        if not isinstance(raw, dict):
            read.problem(read.line("passages", n), f"{id_}: a mapping (quote:, text:, ...)")
            continue
        quote = read.mapping({k: v for k, v in raw.items() if k in _QUOTE_FIELDS}, ("passages", n), _QUOTE_FIELDS, id_)
        values, lines = read.decision_fields(raw, ("passages", n), id_, tuple(_QUOTE_FIELDS))
        if quote is not None:
            passages.append(Entry(id_, quote.line, "add", values, lines, quote.values))
    entries_data = data.get("candidates")
    if entries_data is None:
        entries_data = []
    if not isinstance(entries_data, list):
        read.problem(read.line("candidates"), "candidates: a list of entries")
        entries_data = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(entries_data):
        line = read.line("candidates", n)
        if not isinstance(raw, dict):
            read.problem(line, "an entry is a mapping (id:, decision:, ...)")
            continue
        id_ = raw.get("id")
        if not isinstance(id_, str) or not id_:
            read.problem(line, "the entry has no id (c1, c2, ...)")
            continue
        if id_ in seen:
            read.problem(line, f"{id_} is given twice (first on line {seen[id_]})")
            continue
        seen[id_] = line
        decision = raw.get("decision")
        if decision not in DECISIONS:
            where = read.line("candidates", n, "decision") if "decision" in raw else line
            read.problem(where, f"{id_}: decision: must be accept, reject or skip"
                         + (f", not {decision!r}" if decision is not None else ""))
            continue
        values, lines = read.decision_fields(raw, ("candidates", n), id_, ("id", "decision", *SHOWN))
        entries.append(Entry(id_, read.line("candidates", n, "decision"), decision, values, lines))
    if read.problems:
        raise ValidationError(read.problems)
    return Sheet(name, document, read.line("document"), entries, defaults, origins, metrics, passages)


_OPTION = re.compile(r"--([a-z][a-z-]*)")


def _in_sheet_terms(message: str, keys: dict[str, str]) -> str:
    """An error from `aj review accept` as the sheet says it: `metric:` for `--metric`."""
    fields_by_option = {key.replace("_", "-"): key for key in keys}
    fields_by_option.update({"new-metric": "new_metric", "metric-alias": "metric_aliases", "quote": "quote"})
    return _OPTION.sub(lambda m: f"{fields_by_option[m.group(1)]}:" if m.group(1) in fields_by_option else m.group(0),
                       message)


def _line_for(values: dict[str, Any], lines: dict[str, int], line: int, message: str) -> int:
    """The line of the field an error is about (its value quoted in the message), else `line`."""
    for name, value in values.items():
        shown = [repr(v) for v in (value if isinstance(value, list) else [value])]
        if name in lines and any(s in message for s in shown):
            return lines[name]
    return line


@dataclass
class Applied:
    accepted: int = 0
    rejected: int = 0
    skipped: int = 0
    unchanged: int = 0
    made: int = 0  # new origins and metrics, defaults set, passages recorded
    lines: list[str] = field(default_factory=list)  # what each decision did, and warnings

    @property
    def changed(self) -> bool:
        return bool(self.accepted or self.rejected or self.made)


class _Located:
    """Turns a library error into one located in the sheet, in the sheet's terms."""

    def __init__(self, sheet: Sheet, label: str, values: dict[str, Any], lines: dict[str, int], line: int,
                 strip: str | None = None):
        self.sheet, self.label, self.values, self.lines, self.line, self.strip = sheet, label, values, lines, line, strip

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: Any, _tb: Any) -> None:
        if exc is None or not isinstance(exc, AjError) or getattr(exc, "_located", False):
            return
        problems = exc.problems if isinstance(exc, ValidationError) else [str(exc)]
        keys = _decision_fields()
        located = ValidationError([
            f"{self.sheet.path}:{_line_for(self.values, self.lines, self.line, p)}: {self.label}: "
            + _in_sheet_terms(p.removeprefix(f"{self.strip}: ") if self.strip else p, keys) for p in problems])
        located._located = True  # type: ignore[attr-defined]
        raise located from None


def apply_sheet(engine: Engine, path: Path) -> Applied:
    """Apply a whole sheet in one transaction: new origins and metrics, the defaults, every
    candidate's decision, the passages. An error anywhere (located at file:line) applies
    nothing. What is already as the sheet says is left alone, so a sheet applied twice
    changes nothing."""
    from .db import write_connection
    from .lookup import resolve

    sheet = read_sheet(path)
    done = Applied()
    with write_connection(engine) as conn:
        try:
            doc_id = resolve(conn, "document", sheet.document)
        except NotFoundError as exc:
            raise ValidationError([f"{sheet.path}:{sheet.document_line}: {exc}"]) from None
        doc = conn.execute(select(t.documents.c.slug).where(t.documents.c.id == doc_id)).scalar_one()
        for n, part in enumerate(sheet.new_origins, 1):
            with _Located(sheet, f"new origin {n}", part.values, part.lines, part.line):
                _new_origin(conn, part, done)
        for n, part in enumerate(sheet.new_metrics, 1):
            with _Located(sheet, f"new metric {n}", part.values, part.lines, part.line):
                _new_metric(conn, part, done)
        if sheet.defaults is not None:
            with _Located(sheet, "defaults", sheet.defaults.values, sheet.defaults.lines, sheet.defaults.line):
                _defaults(conn, doc_id, doc, sheet.defaults, done)
        for entry in sheet.entries:
            _decide_entry(conn, sheet, doc_id, doc, entry, done)
        for entry in sheet.passages:
            with _Located(sheet, entry.id, {**entry.values, **entry.extra}, entry.lines, entry.line):
                _passage(conn, doc_id, doc, entry, done)
    return done


def _held(conn: Connection, kind: str, slug: str | None, label: str, label_column: str) -> tuple[str, str] | None:
    """(slug, label) of the record of `kind` a new one would repeat: the one with its slug,
    else the one its name or title names."""
    from .lookup import resolve, table_of

    columns = table_of(kind).c
    if slug is not None:
        row = conn.execute(select(columns.slug, columns[label_column]).where(columns.slug == slug)).first()
        if row is not None:
            return row[0], row[1]
    try:
        id_ = resolve(conn, kind, label)
    except NotFoundError:
        return None
    return tuple(conn.execute(select(columns.slug, columns[label_column]).where(columns.id == id_)).one())


def _new_origin(conn: Connection, part: Part, done: Applied) -> None:
    from .curation import _title_key, origin_record
    from .loading.load import load_data

    v = part.values
    held = _held(conn, "document", v.get("slug"), v["title"], "title")
    if held is not None:
        if _title_key(held[1]) != _title_key(v["title"]) or v.get("slug") not in (None, held[0]):
            raise UsageError(f"document {held[0]!r} exists already with the title {held[1]!r}"
                             + (f"; write slug: {held[0]}" if v.get("slug") != held[0] else "; choose another slug"))
        done.unchanged += 1
        done.lines.append(f"origin {held[0]}: already held")
        return
    record = origin_record(conn, v["title"], v.get("kind") or "report", v.get("publisher"), v.get("published"),
                           v.get("url"), v.get("summary"), v.get("slug"))
    load_data(conn, {"documents": [record]}, "new origin")
    done.made += 1
    done.lines.append(f"origin {record['slug']}: new document")


def _new_metric(conn: Connection, part: Part, done: Applied) -> None:
    from .curation import metric_record
    from .loading.load import load_data

    v = part.values
    held = _held(conn, "metric", v.get("slug"), v["name"], "name")
    if held is not None:
        unit = conn.execute(select(t.metrics.c.unit).where(t.metrics.c.slug == held[0])).scalar_one()
        if held[1] != v["name"] or v.get("slug") not in (None, held[0]) or unit != v["unit"]:
            raise UsageError(f"metric {held[0]!r} exists already ({held[1]!r}, in {unit})"
                             + (f"; write slug: {held[0]}" if v.get("slug") != held[0] else "; choose another slug"))
        done.unchanged += 1
        done.lines.append(f"metric {held[0]}: already held")
        return
    record = metric_record(conn, v["name"], v["unit"], v.get("description"), v.get("aliases", []), v.get("slug"))
    load_data(conn, {"metrics": [record]}, "new metric")
    done.made += 1
    done.lines.append(f"metric {record['slug']}: new metric")


def _defaults(conn: Connection, doc_id: int, doc: str, part: Part, done: Applied) -> None:
    """Set the defaults the sheet gives where they differ from the document's."""
    from .curation import read_defaults, set_defaults_on
    from .lookup import resolve, table_of

    current = read_defaults(conn, doc_id, doc)
    kinds = {"origin": "document", "subject": "actor", "areas": "area"}
    changes: dict[str, Any] = {}
    clear: list[str] = []
    for name, value in part.values.items():
        if value in (None, []):
            if getattr(current, name) not in (None, []):
                clear.append(name)
            continue
        if name in kinds:  # named by slug, name or alias: compared by slug
            column = table_of(kinds[name]).c
            slugs = [conn.execute(select(column.slug).where(column.id == resolve(conn, kinds[name], one))).scalar_one()
                     for one in (value if isinstance(value, list) else [value])]
            value = sorted(set(slugs)) if name == "areas" else slugs[0]
        if value != getattr(current, name):
            changes[name] = value
    if not changes and not clear:
        return
    set_defaults_on(conn, doc, changes, clear)
    done.made += 1
    said = [f"{k} {', '.join(v) if isinstance(v, list) else v}" for k, v in changes.items()] + [f"no {k}" for k in clear]
    done.lines.append(f"defaults of {doc}: " + "; ".join(said))


def _decide_entry(conn: Connection, sheet: Sheet, doc_id: int, doc: str, entry: Entry, done: Applied) -> None:
    from .review import Decision, accept_on, reject_on

    c = t.candidates.c
    slug = f"{doc}-{entry.id}" if SHORT_ID.fullmatch(entry.id) else entry.id
    row = conn.execute(select(c.status, c.outcome).where(c.slug == slug, c.document_id == doc_id)).first()
    if row is None:
        raise ValidationError([f"{sheet.path}:{entry.line}: {entry.id}: no such candidate of {doc}"])
    if entry.decision == "skip":
        done.skipped += 1
        return
    wanted = "accepted" if entry.decision == "accept" else "rejected"
    if row.status == wanted:
        done.unchanged += 1
        done.lines.append(f"{entry.id}: already {wanted}" + (f" ({row.outcome})" if row.outcome else ""))
        return
    if row.status != "pending":
        raise ValidationError([f"{sheet.path}:{entry.line}: {entry.id}: already {row.status}"
                               + (f" ({row.outcome})" if row.outcome else "") + f"; the sheet says {entry.decision}"])
    with _Located(sheet, entry.id, entry.values, entry.lines, entry.line, strip=slug):
        if entry.decision == "reject":
            reject_on(conn, [slug], entry.values.get("note"))
            done.rejected += 1
            done.lines.append(f"{entry.id}: rejected")
            return
        outcomes = accept_on(conn, [slug], Decision(**entry.values))
    done.accepted += 1
    done.lines += [o.replace(slug, entry.id, 1) for o in outcomes]


def _passage(conn: Connection, doc_id: int, doc: str, entry: Entry, done: Applied) -> None:
    """Record a quoted passage, unless a record of that kind (a claim: with these words)
    already cites exactly its words."""
    from .quotes import Quote, QuoteError, find
    from .review import Decision, add_on

    as_ = entry.values.pop("as_", None) or "claim"
    quote = Quote(entry.extra["quote"], entry.extra.get("prefix"), entry.extra.get("suffix"))
    text = conn.execute(select(t.documents.c.text).where(t.documents.c.id == doc_id)).scalar() or ""
    try:
        span = find(text, quote, entry.extra.get("paragraph"))
    except QuoteError as exc:
        raise UsageError(f"quote: {exc}") from None
    held = _cited_at(conn, doc_id, span.start, span.end, as_, entry.values.get("text"))
    if held:
        done.unchanged += 1
        done.lines.append(f"{entry.id}: already recorded ({held})")
        return
    outcomes = add_on(conn, doc, as_, quote, Decision(**entry.values), entry.extra.get("paragraph"))
    done.made += 1
    done.lines += [f"{entry.id}: {outcomes[0].split(': ', 1)[1]}", *outcomes[1:]]


def _cited_at(conn: Connection, doc_id: int, start: int, end: int, as_: str, text: str | None) -> str | None:
    """A record of the kind `as_` records that cites exactly this span of the document."""
    ci = t.citations.c
    at = (ci.document_id == doc_id) & (ci.char_start == start) & (ci.char_end == end)
    if as_ == "claim":
        cl = t.claims.c
        slug = conn.execute(select(cl.slug).join(t.citations, ci.claim_id == cl.id).where(at, cl.text == text)).scalar()
        return f"claim {slug}" if slug else None
    kinds = {"statistic": ("statistic",), "event": ("event",), "actor": ("actor",), "initiative": ("initiative",),
             "mention": ("actor", "initiative", "statistic", "claim", "event")}[as_]
    for kind in kinds:
        table = getattr(t, f"{kind}s")
        slug = conn.execute(select(table.c.slug).join(t.citations, ci[f"{kind}_id"] == table.c.id).where(at)).scalar()
        if slug:
            return f"{kind} {slug}"
    return None
