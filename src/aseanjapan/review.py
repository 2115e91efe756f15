"""Reviewing extraction candidates: list them, accept them into cited records, reject them.

Accepting builds a small bundle (a statistic, an event, a claim, a new actor or
initiative, or a mention citation) and loads it through the same validation and writer
as `aj load`, so a reviewed record is indistinguishable from a curated one and always
cites the exact span of text it came from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from . import models as m
from . import vocab
from .dates import format_fuzzy
from .db import write_connection
from .display import format_value
from .errors import NotFoundError, UsageError, ValidationError
from .loading.ingest import unique_slug
from .matching import held_statistic, known_records
from .spelling import choices_hint, closest

ACCEPT_AS = ("statistic", "mention", "event", "actor", "initiative", "claim")
CANDIDATE_KINDS = vocab.CANDIDATE_KINDS
STATUSES = vocab.CANDIDATE_STATUSES
_DEFAULT_AS = {"statistic": "statistic", "actor": "mention", "initiative": "mention", "date": "event"}


@dataclass
class Decision:
    """How to turn a candidate into a record; anything left empty keeps the proposal."""

    as_: str | None = None
    slug: str | None = None
    # statistics
    metric: str | None = None
    subject: str | None = None
    population: str | None = None
    population_actor: str | None = None
    period: str | None = None
    origin: str | None = None
    unit: str | None = None
    value: float | None = None
    value_high: float | None = None
    approximation: str | None = None
    description: str | None = None
    # mentions: the actor or initiative meant (slug), when not the one proposed
    link: str | None = None
    # events, claims, new actors and initiatives
    title: str | None = None
    kind: str | None = None
    text: str | None = None
    actors: list[str] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    note: str | None = None
    # cite only this part of the candidate's text ("Centre for ..." of a longer proposed name)
    narrow: str | None = None
    # claims: who holds the view (actors, by slug or name)
    holders: list[str] = field(default_factory=list)
    # a new metric for the figure, made with it: its name, description and other names
    metric_name: str | None = None
    metric_description: str | None = None
    metric_names: list[str] = field(default_factory=list)
    # new actors: the country, and the organisations with the role held there
    country: str | None = None
    affiliations: list[tuple[str, str]] = field(default_factory=list)
    # new initiatives: acronym, status, start date, participants with their role
    acronym: str | None = None
    status: str | None = None
    started: str | None = None
    participants: list[tuple[str, str]] = field(default_factory=list)
    # whether the document's defaults (`aj review defaults`) fill what is left empty
    use_defaults: bool = True
    # a new record even where one is already held (the point is that the sources differ);
    # otherwise a figure or name the knowledge base holds becomes a citation of it (matching.py)
    separate: bool = False


def list_candidates(session: Session, documents: list[str] | None = None, kinds: list[str] | None = None,
                    statuses: list[str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    from .lookup import resolve_many

    c = m.Candidate
    query = (select(c, m.Document.slug, m.Actor.slug, m.Initiative.slug)
             .join(m.Document, m.Document.id == c.document_id)
             .outerjoin(m.Actor, m.Actor.id == c.actor_id).outerjoin(m.Initiative, m.Initiative.id == c.initiative_id)
             .where(c.status.in_(statuses or ["pending"])).order_by(m.Document.slug, c.char_start, c.id))
    if documents:
        query = query.where(c.document_id.in_(resolve_many(session, "document", documents)))
    if kinds:
        query = query.where(c.kind.in_(kinds))
    if limit is not None:
        query = query.limit(limit)
    return [_row(cand, doc, actor, initiative) for cand, doc, actor, initiative in session.execute(query)]


def _row(c: m.Candidate, document: str, actor: str | None, initiative: str | None) -> dict[str, Any]:
    if c.kind == "statistic":
        proposal = format_value(c.value, c.unit, c.approximation or "exact", c.value_high) + (f" {c.counted}" if c.counted and c.unit != "years" else "")
    elif c.kind in ("actor", "initiative"):
        proposal = f"{c.kind} {actor or initiative}"
    elif c.kind == "date":
        proposal = (format_fuzzy(c.date_start, c.date_precision) + (
            f" to {format_fuzzy(c.date_end, c.date_precision)}" if c.date_end else "")) if c.date_start else "unknown"
        proposal += f" ({c.date_note})" if c.date_note else ""
    else:
        places = len(json.loads(c.occurrences)) if c.occurrences else 1
        proposal = (f"new {c.name_type or 'name'}: {c.name}" + (f" ({c.acronym})" if c.acronym else "")
                    + (f", role {c.role}" if c.role else "") + (f"; {places} places in the text" if places > 1 else ""))
    return {"candidate": c.slug, "kind": c.kind, "status": c.status, "text": c.text, "proposal": proposal,
            "document": document, "paragraph": c.paragraph, "char_start": c.char_start, "char_end": c.char_end,
            "context": c.context, "value": c.value, "value_high": c.value_high, "unit": c.unit, "approximation": c.approximation,
            "target": actor or initiative, "note": c.note, "outcome": c.outcome, "name_type": c.name_type,
            "role": c.role, "date_note": c.date_note, "occurrences": json.loads(c.occurrences) if c.occurrences else None}


CANDIDATE_FIELDS = ("candidate", "kind", "status", "text", "proposal", "document", "paragraph", "char_start",
                    "char_end", "context", "value", "value_high", "unit", "approximation", "target", "note", "outcome",
                    "name_type", "role", "date_note", "occurrences")


def _candidate(conn: Connection, slug: str) -> tuple[Any, str]:
    c, d = m.Candidate.__table__, m.Document.__table__
    row = conn.execute(select(c, d.c.slug.label("document_slug")).join(d, d.c.id == c.c.document_id)
                       .where(c.c.slug == slug)).first()
    if row is None:
        with Session(bind=conn) as session:
            hint = _suggest_candidate(session, slug)
        raise NotFoundError(f"no candidate {slug!r}{hint}")
    return row, row.document_slug


def _suggest_candidate(session: Session, slug: str) -> str:
    pool = list(session.execute(select(m.Candidate.slug).where(m.Candidate.slug.like(slug.rsplit("-c", 1)[0] + "%"))
                                .limit(2000)).scalars())
    close = closest(slug, pool)
    return f" (closest: {', '.join(close)})" if close else " (see `aj review list`)"


def _existing_citations(conn: Connection, column: str, record_slug: str, table: str, document_id: int) -> list[dict[str, Any]]:
    """Citations a record already has from this document, so accepting adds rather than replaces."""
    c, t, d = m.Citation.__table__, m.Base.metadata.tables[table], m.Document.__table__
    rows = conn.execute(select(c, d.c.slug.label("doc")).join(t, t.c.id == c.c[column]).join(d, d.c.id == c.c.document_id)
                        .where(t.c.slug == record_slug, c.c.document_id == document_id)).all()
    return [{k: v for k, v in {"document": r.doc, "paragraph": r.paragraph, "char_start": r.char_start,
                                "char_end": r.char_end, "reported_as": r.reported_as, "note": r.note}.items()
             if v is not None} for r in rows]


# What each way of accepting uses of a Decision: an option given for another way is refused,
# not silently dropped ("--actor" for a new actor would otherwise vanish).
_USES = {
    "statistic": {"slug", "metric", "subject", "population", "population_actor", "period", "origin", "unit", "value",
                  "value_high", "approximation", "description", "areas", "separate", "metric_name",
                  "metric_description", "metric_names"},
    "mention": {"link"},
    "event": {"slug", "title", "kind", "period", "description", "actors", "initiatives", "areas"},
    "actor": {"slug", "title", "kind", "description", "separate", "country", "affiliations"},
    "initiative": {"slug", "title", "kind", "description", "areas", "actors", "separate", "acronym", "status",
                   "started", "participants"},
    "claim": {"slug", "text", "kind", "actors", "initiatives", "areas", "holders"},
}
_OPTION = {"actors": "--actor", "initiatives": "--initiative", "areas": "--area", "holders": "--holder",
           "metric_name": "--new-metric", "metric_names": "--metric-alias", "affiliations": "--affiliation",
           "participants": "--participant"}
# What a document's defaults fill in, for each way of recording a passage.
_DEFAULTED = {"statistic": ("origin", "subject", "period", "population", "areas"), "event": ("areas",),
              "initiative": ("areas",), "claim": ("areas",)}


def _refuse_unused(candidate: str, as_: str, decision: Decision) -> None:
    given = [name for name in set().union(*_USES.values())
             if getattr(decision, name) not in (None, [], "") and getattr(decision, name) is not False]
    unused = sorted(name for name in given if name not in _USES[as_])
    if unused:
        options = ", ".join(_OPTION.get(name, "--" + name.replace("_", "-")) for name in unused)
        what = "a mention" if as_ == "mention" else f"a new {as_}"
        raise UsageError(f"{candidate}: {options} {'does' if len(unused) == 1 else 'do'} not apply to {what}")


def _bundle_for(conn: Connection, cand: Any, document: str, decision: Decision) -> tuple[dict[str, Any], str]:
    """The bundle that records this candidate (or quoted passage), and a description of what
    it creates. The document's defaults fill what the decision leaves empty."""
    as_ = decision.as_ or ("mention" if decision.link else _DEFAULT_AS.get(cand.kind))
    if as_ is None:
        raise UsageError(f"{cand.slug}: say what this name is with --as actor, --as initiative, or --link SLUG for a known one")
    if decision.link and as_ != "mention":
        raise UsageError(f"--link records a mention of a known record; it cannot be combined with --as {as_}")
    if as_ not in ACCEPT_AS:
        raise UsageError(f"--as: {decision.as_!r} is not one of the choices{choices_hint(decision.as_, ACCEPT_AS)}")
    _refuse_unused(cand.slug, as_, decision)
    if decision.use_defaults and as_ in _DEFAULTED:
        from .curation import fill_defaults

        decision = fill_defaults(conn, cand.document_id, decision, _DEFAULTED[as_])
    start, quoted = cand.char_start, cand.text
    if decision.narrow:
        at = cand.text.find(decision.narrow)
        if at < 0 or not decision.narrow.strip():
            raise UsageError(f"{cand.slug}: --narrow {decision.narrow!r} is not part of the candidate's text {cand.text!r}")
        start, quoted = cand.char_start + at, decision.narrow
    citation = {"document": document, "paragraph": cand.paragraph, "char_start": start,
                "char_end": start + len(quoted), "reported_as": quoted if len(quoted) <= 500 else None}
    if decision.note:
        citation["note"] = decision.note
    if as_ == "statistic":
        if cand.kind != "statistic" and decision.value is None:
            raise UsageError(f"{cand.slug}: give --value to record this {cand.kind} as a statistic")
        if decision.metric and decision.metric_name:
            raise UsageError(f"{cand.slug}: give --metric (a known metric) or --new-metric (a new one), not both")
        if not decision.metric and not decision.metric_name:
            raise UsageError(f"{cand.slug}: give --metric (what the figure measures; `aj query metrics` lists them) "
                             "or --new-metric NAME")
        if decision.metric_name is None and (decision.metric_description or decision.metric_names):
            raise UsageError(f"{cand.slug}: --metric-description and --metric-alias describe a --new-metric")
        unit = decision.unit or cand.unit or "count"
        new_metric = None
        if decision.metric_name:
            from .curation import metric_record

            new_metric = metric_record(conn, decision.metric_name, unit, decision.metric_description,
                                       decision.metric_names)
        metric = new_metric["slug"] if new_metric else _slug_of(conn, "metric", decision.metric)
        # A new --value replaces the proposed figure, range included, unless --value-high is given too.
        high = decision.value_high if decision.value_high is not None else (cand.value_high if decision.value is None else None)
        record = {"value": decision.value if decision.value is not None else cand.value,
                  "value_high": high, "unit": unit,
                  "approximation": decision.approximation or cand.approximation or "exact", "metric": metric,
                  "subject": _slug_of(conn, "actor", decision.subject), "population": decision.population or cand.counted,
                  "population_actor": _slug_of(conn, "actor", decision.population_actor), "period": decision.period,
                  "origin": _slug_of(conn, "document", decision.origin),
                  "description": decision.description, "areas": decision.areas, "citations": [citation]}
        held = held_statistic(conn, record) if not new_metric else None  # a new metric has no figures yet
        if held and not decision.separate:
            return _citing(conn, "statistic", held, cand, citation), f"cited existing statistic {held}"
        slug = _new_slug(conn, "statistics", decision.slug, f"{document}-{metric}")
        record = {"slug": slug, **record}
        also = f" (separate from statistic {held}, which it matches)" if held else ""
        made = {"statistics": [_clean(record)]}
        if new_metric:
            made["metrics"] = [new_metric]
            also += f" (new metric {metric})"
        return made, f"statistic {slug}{also}"
    if as_ == "mention":
        if decision.link:
            kind, target = _target_of(conn, decision.link)
        elif cand.kind in ("actor", "initiative"):
            kind = cand.kind
            table = "actors" if kind == "actor" else "initiatives"
            target_id = cand.actor_id if kind == "actor" else cand.initiative_id
            target = conn.execute(select(m.Base.metadata.tables[table].c.slug)
                                  .where(m.Base.metadata.tables[table].c.id == target_id)).scalar()
            if target is None:
                raise UsageError(f"{cand.slug}: the proposed {kind} no longer exists; give --link SLUG")
        else:
            raise UsageError(f"{cand.slug}: give --link SLUG to say which actor or initiative this mentions")
        return _citing(conn, kind, target, cand, citation), f"mention of {kind} {target}"
    if as_ == "event":
        if not decision.title:
            raise UsageError(f"{cand.slug}: give --title for the event")
        if cand.date_start is None and decision.period is None:
            raise UsageError(f"{cand.slug}: give --period (the event's date) for a candidate without one")
        slug = _new_slug(conn, "events", decision.slug, decision.title)
        date_text = decision.period or format_fuzzy(cand.date_start, cand.date_precision)
        end = format_fuzzy(cand.date_end, cand.date_precision) if cand.date_end and not decision.period else None
        record = {"slug": slug, "title": decision.title, "kind": decision.kind or "other", "date": date_text,
                  "end_date": end, "description": decision.description, "actors": decision.actors,
                  "initiatives": decision.initiatives, "areas": decision.areas, "citations": [citation]}
        return {"events": [_clean(record)]}, f"event {slug}"
    if as_ in ("actor", "initiative"):
        if not decision.kind:
            raise UsageError(f"{cand.slug}: give --kind for the new {as_} (see data/seed/README.md for the kinds)")
        narrowed = decision.narrow.strip() if decision.narrow else None
        if narrowed and cand.acronym:
            narrowed = narrowed.removesuffix(f"({cand.acronym})").strip() or narrowed
        name = decision.title or narrowed or cand.name or cand.text
        acronym = (decision.acronym if as_ == "initiative" else None) or cand.acronym
        known = known_records(conn, as_, [name, acronym])
        if len(known) > 1 and not decision.separate:
            raise UsageError(f"{cand.slug}: {name!r} names {as_}s already known ({', '.join(k for k, _ in known)}); "
                             "give --link SLUG for the one meant, or --separate for a new one")
        if known and not decision.separate:
            (target, as_known), = known
            return (_citing(conn, as_, target, cand, citation),
                    f"cited existing {as_} {target} (known as {as_known!r})")
        slug = _new_slug(conn, f"{as_}s", decision.slug, acronym or name)
        record: dict[str, Any] = {"slug": slug, "name": name, "kind": decision.kind, "description": decision.description,
                                  "citations": [citation]}
        if cand.acronym:
            record["names"] = [{"name": cand.acronym, "kind": "acronym", "document": document, "paragraph": cand.paragraph}]
            if as_ == "initiative":
                record["acronym"] = cand.acronym
        if as_ == "initiative":
            acronym = decision.acronym or cand.acronym
            if acronym:
                record["acronym"] = acronym
                record.setdefault("names", [{"name": acronym, "kind": "acronym", "document": document,
                                             "paragraph": cand.paragraph}])
            record.update(status=decision.status, started=decision.started, areas=decision.areas)
            roles = [(_slug_of(conn, "actor", a), role) for a, role in decision.participants]
            roles += [(a, "partner") for a in decision.actors if a not in {p for p, _ in roles}]
            record["participants"] = [{"actor": a, "role": role} for a, role in dict.fromkeys(roles)]
        else:
            record["country"] = _slug_of(conn, "actor", decision.country)
            record["affiliations"] = [{"organisation": _slug_of(conn, "actor", org), "role": role}
                                      for org, role in decision.affiliations]
        return {f"{as_}s": [_clean(record)]}, f"{as_} {slug}"
    # a claim: the reviewer's own words about what the passage asserts
    if not decision.text:
        raise UsageError(f"{cand.slug}: give --text, the claim in your own words")
    slug = _new_slug(conn, "claims", decision.slug, f"{document}-{decision.text[:60]}")
    record = {"slug": slug, "text": decision.text, "kind": decision.kind or "assessment", "actors": decision.actors,
              "holders": [_slug_of(conn, "actor", h) for h in decision.holders],
              "initiatives": decision.initiatives, "areas": decision.areas, "citations": [citation]}
    return {"claims": [_clean(record)]}, f"claim {slug}"


def _citing(conn: Connection, kind: str, target: str, cand: Any, citation: dict[str, Any]) -> dict[str, Any]:
    """A bundle adding `citation` to a record already held. A load replaces a record's
    citations from one document, so those it has from this document are given again."""
    previous = _existing_citations(conn, f"{kind}_id", target, f"{kind}s", cand.document_id)
    return {"citations": [{kind: target, **c} for c in previous if c != citation] + [{kind: target, **_clean(citation)}]}


def _new_slug(conn: Connection, table: str, wanted: str | None, title: str) -> str:
    """The slug for a new record: the reviewer's --slug, which must be free (accepting a
    candidate never rewrites a record that exists), or one made from `title`."""
    from .kinds import kind

    if wanted is None:
        return unique_slug(conn, table, title)
    t = m.Base.metadata.tables[table]
    if conn.execute(select(t.c.id).where(t.c.slug == wanted)).first() is not None:
        raise UsageError(f"--slug: {kind(table).name} {wanted!r} exists already; choose another slug "
                         "(to add a citation to it, load a bundle)")
    return wanted


def _slug_of(conn: Connection, kind: str, text: str | None) -> str | None:
    """The slug of the record a reviewer named by slug, name or alias (the closest ones if none)."""
    from .lookup import resolve, table_of

    if text is None:
        return None
    with Session(bind=conn) as session:
        id_ = resolve(session, kind, text)
        table = table_of(kind)
        return session.execute(select(table.c.slug).where(table.c.id == id_)).scalar_one()


def _target_of(conn: Connection, text: str) -> tuple[str, str]:
    """A known record named by slug (an actor or initiative also by name or alias): the
    record a mention cites, e.g. a statistic another source already reported."""
    from .lookup import resolve

    with Session(bind=conn) as session:
        found = []
        for kind, table in (("actor", m.Actor), ("initiative", m.Initiative), ("statistic", m.Statistic),
                            ("claim", m.Claim), ("event", m.Event)):
            if kind in ("statistic", "claim", "event"):
                slug = session.execute(select(table.slug).where(table.slug == text)).scalar()
                if slug:
                    found.append((kind, slug))
                continue
            try:
                found.append((kind, session.get(table, resolve(session, kind, text)).slug))
            except NotFoundError:
                continue
    if len(found) != 1:
        raise NotFoundError(f"--link: {text!r} names " + ("no known actor, initiative, statistic, claim or event"
                                                            if not found else
                                                            f"both {found[0][0]} and {found[1][0]} records; give the slug"))
    return found[0]


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, [], "")}


WARNING = "warning: "  # starts an outcome that is a warning (a new name that looks like a known one)


def accept(engine: Engine, slugs: list[str], decision: Decision | None = None) -> list[str]:
    """Accept candidates (all or nothing); returns what each one created, and warnings
    (starting with WARNING)."""
    with write_connection(engine) as conn:
        return accept_on(conn, slugs, decision)


def accept_on(conn: Connection, slugs: list[str], decision: Decision | None = None) -> list[str]:
    """`accept` inside a transaction the caller holds (the review sheet applies many
    decisions in one)."""
    decision = _named_records(conn, decision or Decision())
    outcomes = []
    for slug in slugs:
        cand, document = _candidate(conn, slug)
        if cand.status != "pending":
            raise UsageError(f"{slug}: already {cand.status}" + (f" ({cand.outcome})" if cand.outcome else ""))
        outcome, warnings = _record(conn, cand, document, decision)
        _decide(conn, cand.id, "accepted", decision.note, outcome)
        outcomes.append(f"{slug}: {outcome}")
        outcomes += warnings
    return outcomes


def _named_records(conn: Connection, decision: Decision) -> Decision:
    """Records named by name or alias, as everywhere else in aj: the bundle wants slugs."""
    return replace(decision, actors=[_slug_of(conn, "actor", a) for a in decision.actors],
                   initiatives=[_slug_of(conn, "initiative", i) for i in decision.initiatives],
                   areas=[_slug_of(conn, "area", a) for a in decision.areas])


def _record(conn: Connection, passage: Any, document: str, decision: Decision) -> tuple[str, list[str]]:
    """Record a candidate or quoted passage as the decision says, through the same checks and
    writer as `aj load`; (what it created, warnings)."""
    from .loading.load import load_data

    data, outcome = _bundle_for(conn, passage, document, decision)
    report = load_data(conn, data, passage.slug)
    return outcome, [WARNING + w for w in report.warnings]


@dataclass
class Passage:
    """Words of a stored text a reviewer quoted, to be recorded as a candidate would be: the
    fields `_bundle_for` reads, with what was found in the words (a figure, a date)."""

    slug: str  # how messages name it
    document_id: int
    char_start: int
    char_end: int
    text: str
    paragraph: int
    kind: str | None = None
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None
    approximation: str | None = None
    counted: str | None = None
    date_start: Any = None
    date_end: Any = None
    date_precision: str | None = None
    name: str | None = None
    acronym: str | None = None
    actor_id: int | None = None
    initiative_id: int | None = None


ADD_AS = ("claim", "statistic", "event", "actor", "initiative", "mention")
# What a candidate at exactly the quoted span becomes decided by recording the passage.
_SAME_KIND = {"statistic": ("statistic",), "event": ("date",), "actor": ("entity",), "initiative": ("entity",),
              "mention": ("actor", "initiative", "entity", "statistic")}


def add(engine: Engine, document: str, as_: str, quote: Any, decision: Decision | None = None,
        paragraph: int | None = None) -> list[str]:
    """Record the quoted words of a stored document as a claim, statistic, event, actor,
    initiative or mention (a citation of a known record, --link), whether or not candidates
    lie there; a pending candidate at exactly that span is decided with it. `quote` is a
    quotes.Quote; `paragraph` (1-based), when given, is where it is looked for. Returns what
    was created, and warnings."""
    with write_connection(engine) as conn:
        return add_on(conn, document, as_, quote, decision, paragraph)


def add_on(conn: Connection, document: str, as_: str, quote: Any, decision: Decision | None = None,
           paragraph: int | None = None) -> list[str]:
    """`add` inside a transaction the caller holds (a sheet, the web view)."""
    from .quotes import QuoteError, find

    if as_ == "citation":
        as_ = "mention"
    if as_ not in ADD_AS:
        raise UsageError(f"{as_!r} is not one of the choices{choices_hint(as_, ADD_AS)}")
    decision = _named_records(conn, replace(decision or Decision(), as_=as_))
    doc_id, doc_slug, text = _stored_text(conn, document)
    try:
        span = find(text, quote, paragraph)
    except QuoteError as exc:
        raise UsageError(f"--quote: document {doc_slug!r}: {exc}") from None
    passage = _passage(conn, doc_id, doc_slug, span, as_, decision)
    outcome, warnings = _record(conn, passage, doc_slug, decision)
    c = m.Candidate.__table__
    same = conn.execute(select(c.c.id, c.c.slug).where(
        c.c.document_id == doc_id, c.c.status == "pending", c.c.char_start == span.start, c.c.char_end == span.end,
        c.c.kind.in_(_SAME_KIND.get(as_, ())))).all()
    for row in same:
        _decide(conn, row.id, "accepted", decision.note, outcome)
    decided = "".join(f" (decides candidate {row.slug})" for row in same)
    return [f"{doc_slug} ¶{span.paragraph}: {outcome}{decided}", *warnings]


def _stored_text(conn: Connection, document: str) -> tuple[int, str, str]:
    from .lookup import resolve

    d = m.Document.__table__
    with Session(bind=conn) as session:
        id_ = resolve(session, "document", document)
    row = conn.execute(select(d.c.slug, d.c.text).where(d.c.id == id_)).one()
    if row.text is None:
        raise UsageError(f"document {row.slug!r} has no stored text to quote (only sources added with "
                         "`aj source add` have one)")
    return id_, row.slug, row.text


def _passage(conn: Connection, doc_id: int, doc_slug: str, span: Any, as_: str, decision: Decision) -> Passage:
    """The quoted span, with the figure or date it holds for a statistic or an event: from the
    candidates found inside it when there is one, else read from the words themselves."""
    passage = Passage(f"{doc_slug} ¶{span.paragraph}", doc_id, span.start, span.end, span.text, span.paragraph)
    if as_ not in ("statistic", "event"):
        return passage
    wanted = "statistic" if as_ == "statistic" else "date"
    c = m.Candidate.__table__
    inside = conn.execute(select(c).where(c.c.document_id == doc_id, c.c.kind == wanted,
                                          c.c.char_start >= span.start, c.c.char_end <= span.end)
                          .order_by(c.c.char_start)).all()
    if len(inside) != 1:
        from .extract import figures
        from .extract.dates import find_dates

        dates = find_dates(span.text)
        inside = dates if as_ == "event" else figures.find_figures(span.text, dates)
    if len(inside) == 1:
        found = inside[0]
        for name in ("value", "value_high", "unit", "approximation", "counted", "date_start", "date_end",
                     "date_precision"):
            setattr(passage, name, getattr(found, name, None))
        passage.kind = wanted
    elif as_ == "statistic" and decision.value is None:
        raise UsageError(f"--quote: the quoted words hold {len(inside) or 'no'} figure{'s' if len(inside) != 1 else ''}: "
                         "quote just the figure, or give --value (and --unit)")
    return passage


def reject(engine: Engine, slugs: list[str], note: str | None = None) -> int:
    with write_connection(engine) as conn:
        return reject_on(conn, slugs, note)


def reject_on(conn: Connection, slugs: list[str], note: str | None = None) -> int:
    for slug in slugs:
        cand, _ = _candidate(conn, slug)
        if cand.status != "pending":
            raise UsageError(f"{slug}: already {cand.status}")
        _decide(conn, cand.id, "rejected", note, None)
    return len(slugs)


def candidate_slugs(session: Session, given: list[str]) -> list[str]:
    """Candidates as a reviewer names them: by slug, or by a document followed by short ids
    (`DOC c3 c7`, the ids the review sheet shows)."""
    from .lookup import resolve

    c, d = m.Candidate.__table__, m.Document.__table__
    slugs: list[str] = []
    document: str | None = None
    waiting = False  # a document named, its ids not yet given
    for text in given:
        if re.fullmatch(r"c[1-9][0-9]*", text):
            if document is None:
                raise UsageError(f"{text}: a short candidate id follows its document (aj review accept DOC {text})")
            slugs.append(f"{document}-{text}")
            waiting = False
            continue
        if session.execute(select(c.c.id).where(c.c.slug == text)).first() is None:
            try:
                doc_id = resolve(session, "document", text)
            except NotFoundError:
                pass  # reported as an unknown candidate, with the closest ones
            else:
                if waiting:
                    raise UsageError(f"{document}: name its candidates after it (c1, c2, ...)")
                document, waiting = session.execute(select(d.c.slug).where(d.c.id == doc_id)).scalar_one(), True
                continue
        slugs.append(text)
    if waiting:
        raise UsageError(f"{document}: name its candidates after it (c1, c2, ...)")
    return slugs


def _decide(conn: Connection, candidate_id: int, status: str, note: str | None, outcome: str | None) -> None:
    from .textnorm import storable

    c = m.Candidate.__table__
    conn.execute(c.update().where(c.c.id == candidate_id).values(
        status=status, note=storable(note, "note"), outcome=outcome,
        decided_at=datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)))


def pending_slugs(session: Session, documents: list[str] | None, kinds: list[str] | None) -> list[str]:
    return [row["candidate"] for row in list_candidates(session, documents, kinds)]
