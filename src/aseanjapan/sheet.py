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


def propose(conn: Connection, document: str) -> tuple[str, str, list[Proposal]]:
    """(document slug, title, a proposal for each of its pending candidates, in text order)."""
    from .lookup import resolve

    doc_id = resolve(conn, "document", document)
    slug, title = conn.execute(select(t.documents.c.slug, t.documents.c.title)
                               .where(t.documents.c.id == doc_id)).one()
    rows = _candidates(conn, doc_id)
    text = conn.execute(select(t.documents.c.text).where(t.documents.c.id == doc_id)).scalar() or ""
    vocabulary = _Vocabulary.read(conn)
    proposals = []
    for row in rows:
        if row.status != "pending":
            continue
        if row.kind == "statistic":
            proposal = _statistic(conn, slug, row, rows, text, vocabulary)
        elif row.kind in ("actor", "initiative"):
            proposal = _known(slug, row)
        elif row.kind == "date":
            proposal = _date(slug, row)
        else:
            proposal = _entity(conn, slug, row)
        proposals.append(proposal)
    return slug, title, proposals


def _entry(document: str, row: Any, what: str) -> Proposal:
    return Proposal(short_id(document, row.slug), row.text, row.context or row.text, "skip",
                    why={"found": f"{what}, ¶{row.paragraph}" if row.paragraph else what})


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
               vocabulary: _Vocabulary) -> Proposal:
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
    if metrics:
        p.decision = "accept"
        record = {"metric": metrics[0], "subject": p.fields.get("subject"), "period": p.fields.get("period"),
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


def sheet_text(document: str, title: str, proposals: list[Proposal]) -> str:
    names = textwrap.wrap(", ".join(_decision_fields()), 88, initial_indent="#     ", subsequent_indent="#     ")
    out = [HEADER.format(document=document, title=_comment(title), fields="\n".join(names)),
           f"document: {_scalar(document)}"]
    if not proposals:
        out.append("candidates: []  # nothing pending")
        return "\n".join(out) + "\n"
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
    return "\n".join(out) + "\n"


def write_sheet(engine: Engine, document: str, output: Path | None, force: bool = False) -> tuple[str, int]:
    """The sheet of `document` (written to `output` in one piece when given); (text, entries)."""
    from .db import read_session

    if output is not None and Path(output).exists() and not force:
        from .files import display

        raise UsageError(f"{display(output)}: exists already (edits in it would be lost); "
                         "give --force to replace it, or choose a new file name")
    with read_session(engine) as session:
        slug, title, proposals = propose(session.connection(), document)
    text = sheet_text(slug, title, proposals)
    if output is not None:
        from .files import atomic_output

        with atomic_output(Path(output), what="--output") as stream:
            stream.write(text)
    return text, len(proposals)


# ---- reading and applying --------------------------------------------------------------------

def _decision_fields() -> dict[str, str]:
    """Sheet key -> the Decision field it sets, with that field's type (as annotated)."""
    from .review import Decision

    return {_SHEET_NAMES.get(f.name, f.name): f.name for f in fields(Decision)}


# Decision fields a sheet names otherwise, after their command-line options.
_SHEET_NAMES = {"as_": "as", "metric_name": "new_metric", "metric_names": "metric_aliases"}


@dataclass
class Entry:
    id: str
    line: int
    decision: str
    values: dict[str, Any]  # Decision field -> value
    lines: dict[str, int]  # Decision field -> its line


@dataclass
class Sheet:
    path: str
    document: str
    document_line: int
    entries: list[Entry]


def _type_problem(value: Any, hint: Any) -> tuple[Any, str | None]:
    """The value converted to the field's type, or why it cannot be."""
    args = typing.get_args(hint)
    base = typing.get_origin(hint)
    if hint is bool:
        return value, None if isinstance(value, bool) else "must be true or false"
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
    if str in args:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value), None
        return value, "must be text"
    return value, None


def read_sheet(path: Path) -> Sheet:
    """A sheet, checked for shape and types; every problem located at file:line."""
    from .files import display, read_regular
    from .loading.yamlio import YamlProblem, line_of, parse_yaml
    from .review import Decision

    name = display(path)
    try:
        text = read_regular(Path(path), limit=50 * 1024 * 1024).decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError([f"{name}: not UTF-8 text"]) from None
    try:
        data, root = parse_yaml(text)
    except YamlProblem as exc:
        raise ValidationError([f"{name}:{exc.line}: {exc.message}" if exc.line else f"{name}: {exc.message}"]) from None
    problems: list[str] = []

    def at(*where: Any) -> str:
        return f"{name}:{line_of(root, where) or 1}"

    if not isinstance(data, dict):
        raise ValidationError([f"{at()}: not a review sheet (a mapping with document: and candidates:)"])
    for key in data:
        if key not in ("document", "candidates"):
            problems.append(f"{at(key)}: unknown key {key!r} (a sheet has document: and candidates:)")
    document = data.get("document")
    if not isinstance(document, str) or not document:
        problems.append(f"{at('document') if 'document' in data else at()}: document: the slug of the sheet's document")
    entries_data = data.get("candidates")
    if not isinstance(entries_data, list):
        problems.append(f"{at('candidates') if 'candidates' in data else at()}: candidates: a list of entries")
        entries_data = []
    keys = _decision_fields()
    hints = typing.get_type_hints(Decision)
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(entries_data):
        line = line_of(root, ("candidates", n)) or 1
        if not isinstance(raw, dict):
            problems.append(f"{name}:{line}: an entry is a mapping (id:, decision:, ...)")
            continue
        id_ = raw.get("id")
        if not isinstance(id_, str) or not id_:
            problems.append(f"{name}:{line}: the entry has no id (c1, c2, ...)")
            continue
        if id_ in seen:
            problems.append(f"{name}:{line}: {id_} is given twice (first on line {seen[id_]})")
            continue
        seen[id_] = line
        decision = raw.get("decision")
        if decision not in DECISIONS:
            where = at("candidates", n, "decision") if "decision" in raw else f"{name}:{line}"
            problems.append(f"{where}: {id_}: decision: must be accept, reject or skip"
                            + (f", not {decision!r}" if decision is not None else ""))
            continue
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key, value in raw.items():
            if key in ("id", "decision", *SHOWN):
                continue
            where = at("candidates", n, key)
            if key not in keys:
                from .spelling import choices_hint

                problems.append(f"{where}: {id_}: unknown field {key!r}{choices_hint(str(key), list(keys))}")
                continue
            if value is None:
                continue  # an empty field is a field left out
            converted, problem = _type_problem(value, hints[keys[key]])
            if problem:
                problems.append(f"{where}: {id_}: {key}: {problem}")
                continue
            values[keys[key]] = converted
            lines[keys[key]] = int(where.rsplit(":", 1)[1])
        entries.append(Entry(id_, int(at("candidates", n, "decision").rsplit(":", 1)[1]), decision, values, lines))
    if problems:
        raise ValidationError(problems)
    return Sheet(name, document, int(at("document").rsplit(":", 1)[1]), entries)


_OPTION = re.compile(r"--([a-z][a-z-]*)")


def _in_sheet_terms(message: str, keys: dict[str, str]) -> str:
    """An error from `aj review accept` as the sheet says it: `metric:` for `--metric`."""
    fields_by_option = {key.replace("_", "-"): key for key in keys}
    return _OPTION.sub(lambda m: f"{fields_by_option[m.group(1)]}:" if m.group(1) in fields_by_option else m.group(0),
                       message)


def _line_for(entry: Entry, message: str) -> int:
    """The line of the field an error is about (its value quoted in the message), else the
    entry's decision."""
    for name, value in entry.values.items():
        shown = [repr(v) for v in (value if isinstance(value, list) else [value])]
        if any(s in message for s in shown):
            return entry.lines[name]
    return entry.line


@dataclass
class Applied:
    accepted: int = 0
    rejected: int = 0
    skipped: int = 0
    unchanged: int = 0
    lines: list[str] = field(default_factory=list)  # what each decision did, and warnings

    @property
    def changed(self) -> bool:
        return bool(self.accepted or self.rejected)


def apply_sheet(engine: Engine, path: Path) -> Applied:
    """Apply every decision of a sheet in one transaction: an error anywhere (located at
    file:line) applies nothing. Candidates already decided as the sheet says are left as they
    are, so a sheet applied twice changes nothing."""
    from .db import write_connection
    from .lookup import resolve
    from .review import Decision, accept_on, reject_on

    sheet = read_sheet(path)
    keys = _decision_fields()
    done = Applied()
    c = t.candidates.c
    with write_connection(engine) as conn:
        try:
            doc_id = resolve(conn, "document", sheet.document)
        except NotFoundError as exc:
            raise ValidationError([f"{sheet.path}:{sheet.document_line}: {exc}"]) from None
        doc = conn.execute(select(t.documents.c.slug).where(t.documents.c.id == doc_id)).scalar_one()
        for entry in sheet.entries:
            where = f"{sheet.path}:{entry.line}: {entry.id}"
            slug = f"{doc}-{entry.id}" if SHORT_ID.fullmatch(entry.id) else entry.id
            row = conn.execute(select(c.status, c.outcome).where(c.slug == slug, c.document_id == doc_id)).first()
            if row is None:
                raise ValidationError([f"{where}: no such candidate of {doc}"])
            if entry.decision == "skip":
                done.skipped += 1
                continue
            wanted = "accepted" if entry.decision == "accept" else "rejected"
            if row.status == wanted:
                done.unchanged += 1
                done.lines.append(f"{entry.id}: already {wanted}" + (f" ({row.outcome})" if row.outcome else ""))
                continue
            if row.status != "pending":
                raise ValidationError([f"{where}: already {row.status}" + (f" ({row.outcome})" if row.outcome else "")
                                       + f"; the sheet says {entry.decision}"])
            try:
                if entry.decision == "reject":
                    reject_on(conn, [slug], entry.values.get("note"))
                    done.rejected += 1
                    done.lines.append(f"{entry.id}: rejected")
                    continue
                outcomes = accept_on(conn, [slug], Decision(**entry.values))
            except AjError as exc:
                problems = exc.problems if isinstance(exc, ValidationError) else [str(exc)]
                raise ValidationError([f"{sheet.path}:{_line_for(entry, p)}: {entry.id}: "
                                       + _in_sheet_terms(p.removeprefix(f"{slug}: "), keys) for p in problems]) from None
            done.accepted += 1
            done.lines += [o.replace(slug, entry.id, 1) for o in outcomes]
    return done
