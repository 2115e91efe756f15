"""Read queries: (session, filters) -> rows of plain values, ready to render or export.

Every row carries its provenance (`cited_by`: the documents that report it, with the
paragraph). Related lists are fetched with one query per list for the whole page of
results, never one per row. Nothing here prints or commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Date, Select, String, and_, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from . import kinds
from .batching import slices
from . import tables as t
from .dates import format_fuzzy, format_span, parse_fuzzy
from .display import cite_label, format_value, source_label
from .errors import UsageError
from .lookup import names_owner, resolve_many, table_of
from .spelling import choices_hint

if TYPE_CHECKING:  # a Session or a Connection: these functions only call .execute
    from sqlalchemy.orm import Session

@dataclass
class Filters:
    area: list[str] = field(default_factory=list)
    actor: list[str] = field(default_factory=list)
    initiative: list[str] = field(default_factory=list)
    document: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)
    metric: list[str] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)
    origin: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    contains: str | None = None
    sort: str | None = None
    reverse: bool = False
    limit: int | None = None
    offset: int = 0
    include_unreviewed: bool = False

    def given(self) -> set[str]:
        names = ("area", "actor", "initiative", "document", "kind", "status", "subject", "metric",
                 "unit", "origin", "since", "until", "contains")
        return {n for n in names if getattr(self, n)}


# ---- shared pieces --------------------------------------------------------------------------

def area_ids(session: Session, names: list[str]) -> list[int]:
    """The named areas and all their descendants: --area security includes maritime-security."""
    roots = resolve_many(session, "area", names)
    children: dict[int | None, list[int]] = defaultdict(list)
    for id_, parent in session.execute(select(t.policy_areas.c.id, t.policy_areas.c.parent_id)):
        children[parent].append(id_)
    found, stack = set(), list(roots)
    while stack:
        id_ = stack.pop()
        if id_ not in found:
            found.add(id_)
            stack.extend(children[id_])
    return sorted(found)


def _date_window(start_col: Any, precision_col: Any, end_col: Any, since: str | None, until: str | None,
                 end_precision_col: Any = None) -> ColumnElement[bool]:
    """Records whose (fuzzy) date interval overlaps [since, until].

    A record dated to a month, year or decade stands for that whole period, so it overlaps
    `since` when its period ends on or after it, i.e. when it starts on or after `since`
    truncated to the record's own precision.
    """
    conditions = [start_col.is_not(None)]
    if since:
        lower = parse_fuzzy(since).start
        last = func.coalesce(end_col, start_col) if end_col is not None else start_col
        # The last date stands for its own period: the end's precision when there is an end.
        last_precision = func.coalesce(end_precision_col, precision_col) if end_precision_col is not None else precision_col
        conditions.append(or_(
            and_(last_precision == "day", last >= lower),
            and_(last_precision == "month", last >= date(lower.year, lower.month, 1)),
            and_(last_precision == "year", last >= date(lower.year, 1, 1)),
            # (the first decade of the calendar starts in year 1: there is no year 0)
            and_(last_precision == "decade", last >= date(max(1, lower.year - lower.year % 10), 1, 1)),
        ))
    if until:
        conditions.append(start_col <= parse_fuzzy(until).end)
    return and_(*conditions)


def _check_dates(filters: Filters) -> None:
    parsed = {}
    for name in ("since", "until"):
        value = getattr(filters, name)
        if value is not None:
            try:
                parsed[name] = parse_fuzzy(value)
                if parsed[name].start is None:
                    raise ValueError
            except ValueError:
                raise UsageError(f"--{name}: not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
    if len(parsed) == 2 and parsed["since"].start > parsed["until"].end:
        raise UsageError(f"--since {filters.since} is after --until {filters.until}: nothing can fall between them "
                         "(swap them?)")


# Related rows are looked up this many records at a time (batching.py).
SLICE = 900


def _cited_by(session: Session, column: Any, ids: list[int], wordings: dict[int, list[str]] | None = None,
              sources: dict[int, list[str]] | None = None) -> dict[int, list[str]]:
    """record id -> ["document-slug ¶N", ...] in document date order. The same read also
    gives, with `wordings`, each record's `reported_as` and, with `sources`, its `sources`:
    one entry per `cited_by` entry, in the same order, so the lists pair up by position.
    `reported_as` is the wording given there ("" where none, " / " between several; a record
    whose citations give no wording gets none); `sources` names the document as a reader
    knows it, "Title (Author, date) ¶N"."""
    out: dict[int, list[str]] = defaultdict(list)
    said: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    where: dict[int, list[tuple[int, int | None]]] = defaultdict(list)  # owner -> (document id, paragraph)
    for part in slices(ids, SLICE):
        query = (
            select(column, t.documents.c.id, t.documents.c.slug, t.citations.c.paragraph, t.citations.c.reported_as)
            .join(t.documents, t.documents.c.id == t.citations.c.document_id)
            .where(column.in_(part))
            .order_by(column, t.documents.c.published_on.is_(None), t.documents.c.published_on, t.documents.c.slug,
                      t.citations.c.paragraph, t.citations.c.id)
        )
        for owner, document_id, slug, paragraph, reported_as in session.execute(query):
            entry = cite_label(slug, paragraph)
            if entry not in out[owner]:
                out[owner].append(entry)
                where[owner].append((document_id, paragraph))
            if wordings is not None and reported_as and reported_as not in said[owner][entry]:
                said[owner][entry].append(reported_as)
    if wordings is not None:
        for owner, by_place in said.items():
            wordings[owner] = [" / ".join(by_place.get(entry, [])) for entry in out[owner]]
    if sources is not None:
        names = source_names(session, {document_id for places in where.values() for document_id, _ in places})
        for owner, places in where.items():
            sources[owner] = [cite_label(names[document_id], paragraph) for document_id, paragraph in places]
    return out


def source_names(session: Session, document_ids: Iterable[int]) -> dict[int, str]:
    """document id -> the document as a reader knows it: "Title (Author, 2024-01-05)"."""
    d, a = t.documents.c, t.document_authors.c
    wanted = sorted(set(document_ids))
    authors = _listed(session, a.document_id, t.actors.c.name, wanted, (t.actors, t.actors.c.id == a.actor_id),
                      order=a.position)
    names = {}
    for part in slices(wanted, SLICE):
        for r in session.execute(select(d.id, d.title, d.published_on, d.published_precision).where(d.id.in_(part))):
            names[r.id] = source_label(r.title, format_fuzzy(r.published_on, r.published_precision), authors[r.id])
    return names


def source_names_by_slug(session: Session, slugs: Iterable[str]) -> dict[str, str]:
    """document slug -> the document as a reader knows it (see `source_names`)."""
    document = t.documents.c
    ids = {}
    for part in slices(sorted(set(slugs)), SLICE):
        ids.update(session.execute(select(document.slug, document.id).where(document.slug.in_(part))).all())
    names = source_names(session, ids.values())
    return {slug: names[id_] for slug, id_ in ids.items()}


def cited_by(session: Session, kind: str, ids: list[int],
             sources: dict[int, list[str]] | None = None) -> dict[int, list[str]]:
    """record id -> its `cited_by` ("document-slug ¶N", ...) for records of one type (and, with
    `sources`, their `sources`, as `_cited_by` gives them); none for documents, which are the
    sources themselves."""
    cited = kinds.kind(kind)
    return _cited_by(session, t.citations.c[cited.id_column], ids, sources=sources) if cited.cited else defaultdict(list)


def _listed(session: Session, owner: Any, value: Any, ids: list[int], *joins: Any, order: Any = None) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for part in slices(ids, SLICE):
        query = select(owner, value)
        for target, on in joins:
            query = query.join(target, on)
        query = query.where(owner.in_(part)).order_by(owner, order if order is not None else value)
        for key, item in session.execute(query):
            out[key].append(item)
    return out


def _areas_of(session: Session, link: Any, owner: str, ids: list[int]) -> dict[int, list[str]]:
    return _listed(session, link.c[owner], t.policy_areas.c.slug, ids, (t.policy_areas, t.policy_areas.c.id == link.c.area_id))


def _actors_of(session: Session, link: Any, owner: str, ids: list[int]) -> dict[int, list[str]]:
    return _listed(session, link.c[owner], t.actors.c.slug, ids, (t.actors, t.actors.c.id == link.c.actor_id))


def _initiatives_of(session: Session, link: Any, owner: str, ids: list[int]) -> dict[int, list[str]]:
    return _listed(session, link.c[owner], t.initiatives.c.slug, ids, (t.initiatives, t.initiatives.c.id == link.c.initiative_id))


def _cited_in(record_id: Any, citation_column: str, document_ids: list[int]) -> ColumnElement[bool]:
    """The record is cited by one of these documents."""
    citation = t.citations.c
    return select(citation.id).where(citation[citation_column] == record_id, citation.document_id.in_(document_ids)).exists()


def _linked(link: Any, owner: str, other: str, record_id: Any, ids: list[int]) -> ColumnElement[bool]:
    return select(link.c[owner]).where(link.c[owner] == record_id, link.c[other].in_(ids)).exists()


class sort_text(GenericFunction):
    """lower(text) for ordering, compared code point by code point on every backend (a
    PostgreSQL database's collation would otherwise order names differently from SQLite)."""

    type = String()
    name = "lower"
    inherit_cache = True


@compiles(sort_text, "postgresql")
def _sort_text_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f'lower({compiler.process(element.clauses, **kw)}) COLLATE "C"'


def _ordered(key: Any, reverse: bool) -> list[Any]:
    """ORDER BY terms for one key: text by sort_text then as stored (a stable tie-break);
    records without a date last, whichever the direction."""
    # Slugs are lower-case already, and ordering by the column itself lets its index do it.
    if isinstance(getattr(key, "type", None), String) and getattr(key, "name", None) != "slug":
        keys = [sort_text(key), key]
    else:
        keys = [key]
    out = [k.desc() if reverse else k.asc() for k in keys]
    if isinstance(getattr(key, "type", None), Date):
        out = [o.nulls_last() for o in out]
    return out


def _finish(query: Select, filters: Filters, sorts: dict[str, Any], default: list[Any]) -> Select:
    if filters.sort:
        if filters.sort not in sorts:
            raise UsageError(f"--sort: cannot sort by {filters.sort!r}{choices_hint(filters.sort, sorts)}")
        order = _ordered(sorts[filters.sort], filters.reverse) + [o for c in default for o in _ordered(c, False)]
    else:
        order = [o for c in default for o in _ordered(c, filters.reverse)]
    query = query.order_by(*order)
    if filters.offset:
        query = query.offset(filters.offset)
    if filters.limit is not None:
        query = query.limit(filters.limit)
    return query


def _refuse(filters: Filters, kind: str, allowed: Iterable[str]) -> None:
    extra = filters.given() - set(allowed)
    if extra:
        options = ", ".join(f"--{name}" for name in sorted(extra))
        raise UsageError(f"{options} cannot filter {kind}")


MAX_CONTAINS = 1000  # as for search queries; SQLite refuses LIKE patterns of ~50,000 characters


def _contains(text: str | None, *columns: Any, related: Iterable[tuple[Any, ColumnElement[bool]]] = ()
              ) -> ColumnElement[bool] | None:
    """Any of `columns` holds `text` (in any case), or a row of another table does: each of
    `related` is (its column to look in, the condition linking its rows to the record)."""
    text = (text or "").replace("\x00", "")  # PostgreSQL text cannot hold NUL
    if not text:
        return None
    if len(text) > MAX_CONTAINS:
        raise UsageError(f"--contains: {len(text):,} characters long; at most {MAX_CONTAINS:,}")
    conditions = [func.lower(c).contains(text.lower(), autoescape=True) for c in columns]
    for column, link in related:
        conditions.append(select(column).where(link, func.lower(column).contains(text.lower(), autoescape=True)).exists())
    return or_(*conditions)


def _other_names(kind: str, record_id: Any) -> tuple[Any, ColumnElement[bool]]:
    """For `_contains`: a record's other names (aliases, expansions, former names)."""
    return t.names.c.name, names_owner(kind) == record_id


def _where(query: Select, *conditions: ColumnElement[bool] | None) -> Select:
    for condition in conditions:
        if condition is not None:
            query = query.where(condition)
    return query


# A statistic's subject, population actor and origin document: one alias each, shared by the
# filtering query and the listing's ordering.
_STAT_SUBJECT, _STAT_AMONG, _STAT_ORIGIN = t.actors.alias("subject"), t.actors.alias("among"), t.documents.alias("origin")


# ---- one function per kind ------------------------------------------------------------------

def _initiatives_query(session: Session, filters: Filters) -> Select:
    """The initiatives the filters choose, unordered (rows of the listing's select)."""
    _refuse(filters, "initiatives", ("area", "actor", "document", "kind", "status", "since", "until", "contains"))
    _check_dates(filters)
    initiative = t.initiatives.c
    query = select(t.initiatives)
    if filters.area:
        areas = area_ids(session, filters.area)
        query = query.where(_linked(t.initiative_areas, "initiative_id", "area_id", initiative.id, areas))
    if filters.actor:
        actors = resolve_many(session, "actor", filters.actor)
        participant = t.initiative_participants.c
        query = query.where(select(participant.initiative_id).where(
            participant.initiative_id == initiative.id, participant.actor_id.in_(actors)).exists())
    if filters.document:
        query = query.where(_cited_in(initiative.id, "initiative_id", resolve_many(session, "document", filters.document)))
    if filters.since or filters.until:
        query = query.where(_date_window(initiative.started_on, initiative.started_precision, None,
                                         filters.since, filters.until))
    query = _where(
        query,
        initiative.kind.in_(filters.kind) if filters.kind else None,
        initiative.status.in_(filters.status) if filters.status else None,
        _contains(filters.contains, initiative.name, initiative.acronym, initiative.description, initiative.slug,
                  related=[_other_names("initiative", initiative.id)]),
    )
    return query


def initiatives(session: Session, filters: Filters) -> list[dict[str, Any]]:
    initiative = t.initiatives.c
    query = _initiatives_query(session, filters)
    sorts = {"slug": initiative.slug, "name": initiative.name, "kind": initiative.kind, "status": initiative.status,
             "started": initiative.started_on}
    records = session.execute(_finish(query, filters, sorts, [initiative.name, initiative.slug])).all()
    ids = [r.id for r in records]
    areas = _areas_of(session, t.initiative_areas, "initiative_id", ids)
    participant = t.initiative_participants.c
    participants = _listed(session, participant.initiative_id, t.actors.c.slug + " (" + participant.role + ")", ids,
                           (t.actors, t.actors.c.id == participant.actor_id), order=t.actors.c.slug)
    sources: dict[int, list[str]] = {}
    cited = _cited_by(session, t.citations.c.initiative_id, ids, sources=sources)
    return [{
        "slug": r.slug, "name": r.name, "acronym": r.acronym, "kind": r.kind, "status": r.status,
        "started": format_fuzzy(r.started_on, r.started_precision) if r.started_on else None,
        "areas": areas[r.id], "participants": participants[r.id],
        "cited_by": cited[r.id], "sources": sources.get(r.id, []),
    } for r in records]


def _actors_query(session: Session, filters: Filters) -> Select:
    """The actors the filters choose, unordered (rows of the listing's select)."""
    _refuse(filters, "actors", ("area", "kind", "document", "initiative", "contains"))
    actor = t.actors.c
    country = t.actors.alias("country")
    query = select(t.actors, country.c.slug.label("country_slug")).outerjoin(country, country.c.id == actor.country_id)
    if filters.initiative:
        ids = resolve_many(session, "initiative", filters.initiative)
        participant = t.initiative_participants.c
        query = query.where(select(participant.actor_id).where(
            participant.actor_id == actor.id, participant.initiative_id.in_(ids)).exists())
    if filters.document:
        query = query.where(_cited_in(actor.id, "actor_id", resolve_many(session, "document", filters.document)))
    if filters.area:
        # Actors taking part in initiatives of the area.
        areas = area_ids(session, filters.area)
        participant = t.initiative_participants.c
        query = query.where(select(participant.actor_id).where(
            participant.actor_id == actor.id,
            _linked(t.initiative_areas, "initiative_id", "area_id", participant.initiative_id, areas),
        ).exists())
    query = _where(query, actor.kind.in_(filters.kind) if filters.kind else None,
                   _contains(filters.contains, actor.name, actor.slug, actor.description,
                             related=[_other_names("actor", actor.id)]))
    return query


def actors(session: Session, filters: Filters) -> list[dict[str, Any]]:
    actor = t.actors.c
    query = _actors_query(session, filters)
    sorts = {"slug": actor.slug, "name": actor.name, "kind": actor.kind}
    rows = session.execute(_finish(query, filters, sorts, [actor.kind, actor.name])).all()
    ids = [r.id for r in rows]
    affiliation = t.actor_affiliations.c
    org = t.actors.alias("organisation")
    affiliations = _listed(session, affiliation.actor_id, affiliation.role + " @ " + org.c.slug, ids,
                           (org, org.c.id == affiliation.organisation_id), order=affiliation.id)
    aliases = _listed(session, t.names.c.actor_id, t.names.c.name, ids)
    sources: dict[int, list[str]] = {}
    cited = _cited_by(session, t.citations.c.actor_id, ids, sources=sources)
    return [{
        "slug": r.slug, "name": r.name, "kind": r.kind, "country": r.country_slug,
        "aliases": list(dict.fromkeys(aliases[r.id])),
        "affiliations": [x.removeprefix(" @ ") for x in affiliations[r.id]],
        "cited_by": cited[r.id], "sources": sources.get(r.id, []),
    } for r in rows]


def _documents_query(session: Session, filters: Filters) -> Select:
    """The documents the filters choose, unordered (rows of the listing's select)."""
    _refuse(filters, "documents", ("actor", "kind", "since", "until", "contains", "initiative", "area"))
    _check_dates(filters)
    document = t.documents.c
    publisher = t.actors.alias("publisher")
    query = (select(document.id, document.slug, document.title, document.kind, document.published_on,
                    document.published_precision, document.url,
                    document.text.is_not(None).label("has_text"), publisher.c.slug.label("publisher_slug"))
             .outerjoin(publisher, publisher.c.id == document.publisher_id))
    if filters.actor:
        ids = resolve_many(session, "actor", filters.actor)
        query = query.where(or_(
            document.publisher_id.in_(ids),
            _linked(t.document_authors, "document_id", "actor_id", document.id, ids),
        ))
    if filters.initiative:
        ids = resolve_many(session, "initiative", filters.initiative)
        query = query.where(select(t.citations.c.id).where(t.citations.c.document_id == document.id, t.citations.c.initiative_id.in_(ids)).exists())
    if filters.area:
        areas = area_ids(session, filters.area)
        citation = t.citations.c
        query = query.where(select(citation.id).where(citation.document_id == document.id, or_(
            _linked(t.claim_areas, "claim_id", "area_id", citation.claim_id, areas),
            _linked(t.statistic_areas, "statistic_id", "area_id", citation.statistic_id, areas),
            _linked(t.event_areas, "event_id", "area_id", citation.event_id, areas),
            _linked(t.initiative_areas, "initiative_id", "area_id", citation.initiative_id, areas),
        )).exists())
    if filters.since or filters.until:
        query = query.where(_date_window(document.published_on, document.published_precision, None,
                                         filters.since, filters.until))
    query = _where(query, document.kind.in_(filters.kind) if filters.kind else None,
                   _contains(filters.contains, document.title, document.slug, document.summary))
    return query


def documents(session: Session, filters: Filters) -> list[dict[str, Any]]:
    document = t.documents.c
    query = _documents_query(session, filters)
    sorts = {"slug": document.slug, "title": document.title, "kind": document.kind, "published": document.published_on,
             "added": document.added_at}
    rows = session.execute(_finish(query, filters, sorts, [document.published_on, document.slug])).all()
    ids = [r.id for r in rows]
    authors = _listed(session, t.document_authors.c.document_id, t.actors.c.slug, ids,
                      (t.actors, t.actors.c.id == t.document_authors.c.actor_id), order=t.document_authors.c.position)
    counts: dict[int, int] = {}
    for part in slices(ids, SLICE):
        counts.update(session.execute(select(t.citations.c.document_id, func.count())
                                      .where(t.citations.c.document_id.in_(part)).group_by(t.citations.c.document_id)).all())
    return [{
        "slug": r.slug, "title": r.title, "kind": r.kind, "authors": authors[r.id], "publisher": r.publisher_slug,
        "published": format_fuzzy(r.published_on, r.published_precision), "url": r.url,
        "citations": counts.get(r.id, 0), "has_text": bool(r.has_text),
    } for r in rows]


def _claims_query(session: Session, filters: Filters) -> Select:
    """The claims the filters choose, unordered (rows of the listing's select)."""
    _refuse(filters, "claims", ("area", "actor", "initiative", "document", "kind", "contains"))
    claim = t.claims.c
    query = select(t.claims)
    if filters.area:
        query = query.where(_linked(t.claim_areas, "claim_id", "area_id", claim.id, area_ids(session, filters.area)))
    if filters.actor:
        ids = resolve_many(session, "actor", filters.actor)
        query = query.where(or_(_linked(t.claim_actors, "claim_id", "actor_id", claim.id, ids),
                                _linked(t.claim_holders, "claim_id", "actor_id", claim.id, ids)))
    if filters.initiative:
        ids = resolve_many(session, "initiative", filters.initiative)
        query = query.where(_linked(t.claim_initiatives, "claim_id", "initiative_id", claim.id, ids))
    if filters.document:
        query = query.where(_cited_in(claim.id, "claim_id", resolve_many(session, "document", filters.document)))
    query = _where(query, claim.kind.in_(filters.kind) if filters.kind else None,
                   _contains(filters.contains, claim.text, claim.slug))
    return query


def claims(session: Session, filters: Filters) -> list[dict[str, Any]]:
    claim = t.claims.c
    query = _claims_query(session, filters)
    sorts = {"slug": claim.slug, "kind": claim.kind}
    records = session.execute(_finish(query, filters, sorts, [claim.slug])).all()
    ids = [r.id for r in records]
    holders = _actors_of(session, t.claim_holders, "claim_id", ids)
    actors_ = _actors_of(session, t.claim_actors, "claim_id", ids)
    inits = _initiatives_of(session, t.claim_initiatives, "claim_id", ids)
    areas = _areas_of(session, t.claim_areas, "claim_id", ids)
    sources: dict[int, list[str]] = {}
    cited = _cited_by(session, t.citations.c.claim_id, ids, sources=sources)
    return [{
        "slug": r.slug, "kind": r.kind, "text": r.text, "holders": holders[r.id], "actors": actors_[r.id],
        "initiatives": inits[r.id], "areas": areas[r.id], "cited_by": cited[r.id], "sources": sources.get(r.id, []),
    } for r in records]


def _statistics_query(session: Session, filters: Filters) -> Select:
    """The statistics the filters choose, unordered (rows of the listing's select)."""
    _refuse(filters, "statistics", ("area", "actor", "document", "subject", "metric", "unit", "origin",
                                    "since", "until", "contains"))
    _check_dates(filters)
    statistic = t.statistics.c
    subject, among, origin = _STAT_SUBJECT, _STAT_AMONG, _STAT_ORIGIN
    query = (
        select(t.statistics, t.metrics.c.slug.label("metric_slug"), subject.c.slug.label("subject_slug"),
               among.c.slug.label("among_slug"), origin.c.slug.label("origin_slug"), origin.c.id.label("origin_id"))
        .join(t.metrics, t.metrics.c.id == statistic.metric_id)
        .outerjoin(subject, subject.c.id == statistic.subject_id)
        .outerjoin(among, among.c.id == statistic.population_actor_id)
        .outerjoin(origin, origin.c.id == statistic.origin_document_id)
    )
    if filters.area:
        areas = area_ids(session, filters.area)
        query = query.where(_linked(t.statistic_areas, "statistic_id", "area_id", statistic.id, areas))
    if filters.subject:
        query = query.where(statistic.subject_id.in_(resolve_many(session, "actor", filters.subject)))
    if filters.actor:
        ids = resolve_many(session, "actor", filters.actor)
        query = query.where(or_(statistic.subject_id.in_(ids), statistic.population_actor_id.in_(ids)))
    if filters.metric:
        query = query.where(statistic.metric_id.in_(resolve_many(session, "metric", filters.metric)))
    if filters.origin:
        query = query.where(statistic.origin_document_id.in_(resolve_many(session, "document", filters.origin)))
    if filters.document:
        query = query.where(_cited_in(statistic.id, "statistic_id", resolve_many(session, "document", filters.document)))
    if filters.since or filters.until:
        query = query.where(_date_window(statistic.period_start, statistic.period_precision, statistic.period_end,
                                         filters.since, filters.until, statistic.period_end_precision))
    query = _where(query, statistic.unit.in_(filters.unit) if filters.unit else None,
                   # What the figure measures in the words readers use: the metric's name, description
                   # and other names, and the wording of each document that reports it.
                   _contains(filters.contains, statistic.slug, statistic.description, statistic.population, t.metrics.c.name,
                             t.metrics.c.description, related=[
                                 _other_names("metric", statistic.metric_id),
                                 (t.citations.c.reported_as, t.citations.c.statistic_id == statistic.id)]))
    return query


def statistics(session: Session, filters: Filters) -> list[dict[str, Any]]:
    statistic = t.statistics.c
    subject = _STAT_SUBJECT
    query = _statistics_query(session, filters)
    sorts = {"slug": statistic.slug, "value": statistic.value, "metric": t.metrics.c.slug, "subject": subject.c.slug,
             "period": statistic.period_start}
    # Grouped by measure, then period. With one metric (and subject) asked for, the order is
    # just period and slug, which the (metric, subject, period, slug) index gives directly.
    by_period = [statistic.period_start, statistic.slug]
    order = by_period if len(filters.metric) == 1 else [t.metrics.c.slug, *by_period]
    # With pending figures added after the reviewed ones, the page is cut from both together.
    paged = replace(filters, limit=None, offset=0) if filters.include_unreviewed else filters
    if paged.limit is not None:
        # The page's ids are cut from narrow rows first: sorting every statistic with all its
        # columns and joined names to keep 50 costs ten times more than sorting its id and keys.
        page = _finish(query.with_only_columns(statistic.id), paged, sorts, order)
        query = query.where(statistic.id.in_(page.scalar_subquery()))
        paged = replace(paged, limit=None, offset=0)
    rows = session.execute(_finish(query, paged, sorts, order)).all()
    ids = [r.id for r in rows]
    reported: dict[int, list[str]] = defaultdict(list)
    sources: dict[int, list[str]] = {}
    cited = _cited_by(session, t.citations.c.statistic_id, ids, wordings=reported, sources=sources)
    areas = _areas_of(session, t.statistic_areas, "statistic_id", ids)
    origins = source_names(session, {r.origin_id for r in rows if r.origin_id is not None})
    out = [{
        "slug": r.slug, "value": r.value, "value_high": r.value_high, "unit": r.unit,
        "approximation": r.approximation, "display": format_value(r.value, r.unit, r.approximation, r.value_high),
        "metric": r.metric_slug, "subject": r.subject_slug, "population": r.population,
        "population_actor": r.among_slug,
        "period": format_span(r.period_start, r.period_precision, r.period_end, r.period_end_precision) if r.period_start else None,
        "origin": r.origin_slug, "areas": areas[r.id],
        "reported_as": reported.get(r.id, []), "cited_by": cited[r.id], "sources": sources.get(r.id, []),
        "origin_source": origins.get(r.origin_id),
    } for r in rows]
    if filters.include_unreviewed:
        for row in out:
            row["reviewed"] = True
        out += _pending_figures(session, filters)
        end = None if filters.limit is None else filters.offset + filters.limit
        out = out[filters.offset:end]
    return out


def _pending_figures(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Figures extraction proposed and nobody has reviewed yet, shaped like statistics.

    They have no metric, subject or origin yet, so filters on those leave them out."""
    if filters.given() & {"area", "actor", "subject", "metric", "origin", "since", "until", "initiative"}:
        return []
    candidate = t.candidates.c
    query = (select(t.candidates, t.documents.c.slug.label("document_slug"))
             .join(t.documents, t.documents.c.id == candidate.document_id)
             .where(candidate.kind == "statistic", candidate.status == "pending")
             .order_by(t.documents.c.slug, candidate.char_start))
    if filters.document:
        query = query.where(candidate.document_id.in_(resolve_many(session, "document", filters.document)))
    query = _where(query, candidate.unit.in_(filters.unit) if filters.unit else None,
                   _contains(filters.contains, candidate.text, candidate.context, candidate.counted))
    figures = session.execute(query).all()
    names = source_names(session, {cand.document_id for cand in figures})
    return [{
        "slug": cand.slug, "value": cand.value, "value_high": cand.value_high, "unit": cand.unit,
        "approximation": cand.approximation,
        "display": format_value(cand.value, cand.unit or "count", cand.approximation or "exact", cand.value_high),
        "metric": None, "subject": None, "population": cand.counted, "population_actor": None, "period": None,
        "origin": None, "areas": [], "reported_as": [cand.text],
        "cited_by": [cite_label(cand.document_slug, cand.paragraph)],
        "sources": [cite_label(names[cand.document_id], cand.paragraph)], "origin_source": None,
        "reviewed": False,
    } for cand in figures]


def _events_query(session: Session, filters: Filters) -> Select:
    """The events the filters choose, unordered (rows of the listing's select)."""
    _refuse(filters, "events", ("area", "actor", "initiative", "document", "kind", "since", "until", "contains"))
    _check_dates(filters)
    event = t.events.c
    query = select(t.events)
    if filters.area:
        query = query.where(_linked(t.event_areas, "event_id", "area_id", event.id, area_ids(session, filters.area)))
    if filters.actor:
        actors = resolve_many(session, "actor", filters.actor)
        query = query.where(_linked(t.event_actors, "event_id", "actor_id", event.id, actors))
    if filters.initiative:
        ids = resolve_many(session, "initiative", filters.initiative)
        query = query.where(_linked(t.event_initiatives, "event_id", "initiative_id", event.id, ids))
    if filters.document:
        query = query.where(_cited_in(event.id, "event_id", resolve_many(session, "document", filters.document)))
    if filters.since or filters.until:
        query = query.where(_date_window(event.occurred_on, event.date_precision, event.ended_on,
                                         filters.since, filters.until, event.end_precision))
    query = _where(query, event.kind.in_(filters.kind) if filters.kind else None,
                   _contains(filters.contains, event.title, event.slug, event.description))
    return query


def events(session: Session, filters: Filters) -> list[dict[str, Any]]:
    event = t.events.c
    query = _events_query(session, filters)
    sorts = {"slug": event.slug, "date": event.occurred_on, "title": event.title, "kind": event.kind}
    records = session.execute(_finish(query, filters, sorts, [event.occurred_on, event.slug])).all()
    ids = [r.id for r in records]
    actors_ = _actors_of(session, t.event_actors, "event_id", ids)
    inits = _initiatives_of(session, t.event_initiatives, "event_id", ids)
    areas = _areas_of(session, t.event_areas, "event_id", ids)
    sources: dict[int, list[str]] = {}
    cited = _cited_by(session, t.citations.c.event_id, ids, sources=sources)
    return [{
        "slug": r.slug, "date": format_span(r.occurred_on, r.date_precision, r.ended_on, r.end_precision),
        "precision": r.date_precision, "title": r.title, "kind": r.kind, "actors": actors_[r.id],
        "initiatives": inits[r.id], "areas": areas[r.id], "cited_by": cited[r.id], "sources": sources.get(r.id, []),
    } for r in records]


def areas(session: Session, filters: Filters, counted: bool = True) -> list[dict[str, Any]]:
    _refuse(filters, "areas", ("contains",))
    area = t.policy_areas.c
    parent = t.policy_areas.alias("parent")
    query = select(t.policy_areas, parent.c.slug.label("parent_slug")).outerjoin(parent, parent.c.id == area.parent_id)
    query = _where(query, _contains(filters.contains, area.slug, area.name, area.description))
    rows = session.execute(_finish(query, filters, {"slug": area.slug, "name": area.name}, [area.slug])).all()
    listed = [{"slug": r.slug, "name": r.name, "parent": r.parent_slug, "description": r.description} for r in rows]
    # A listing counts in one scan of each link table: cheaper there than a lookup per area.
    return count_area_records(session, listed, scan=True) if counted else listed


def count_area_records(session: Session, rows: list[dict[str, Any]], scan: bool = False) -> list[dict[str, Any]]:
    """`rows` (areas as `areas` lists them, without "records") with how many records are filed
    under each: looked up for these areas only unless `scan`, since counting every area's links
    costs ~70 ms at 100,000 claims and a search names one or two."""
    if not rows:
        return []
    ids = dict(session.execute(select(t.policy_areas.c.slug, t.policy_areas.c.id)
                               .where(t.policy_areas.c.slug.in_([row["slug"] for row in rows]))).all())
    counts: dict[int, int] = defaultdict(int)
    for link in (t.initiative_areas, t.claim_areas, t.statistic_areas, t.event_areas):
        query = select(link.c.area_id, func.count())
        if not scan:
            query = query.where(link.c.area_id.in_(list(ids.values())))
        for area_id, n in session.execute(query.group_by(link.c.area_id)):
            counts[area_id] += n
    return [{**row, "records": counts[ids[row["slug"]]]} for row in rows]


def metrics(session: Session, filters: Filters) -> list[dict[str, Any]]:
    _refuse(filters, "metrics", ("contains", "unit"))
    metric = t.metrics.c
    query = (select(t.metrics, func.count(t.statistics.c.id).label("statistics"))
             .outerjoin(t.statistics, t.statistics.c.metric_id == metric.id).group_by(*t.metrics.c))
    query = _where(query, metric.unit.in_(filters.unit) if filters.unit else None,
                   _contains(filters.contains, metric.slug, metric.name, metric.description,
                             related=[_other_names("metric", metric.id)]))
    rows = session.execute(_finish(query, filters, {"slug": metric.slug, "name": metric.name}, [metric.slug])).all()
    aliases = _listed(session, t.names.c.metric_id, t.names.c.name, [r.id for r in rows])
    return [{"slug": r.slug, "name": r.name, "unit": r.unit, "description": r.description, "statistics": r.statistics,
             "aliases": list(dict.fromkeys(aliases[r.id]))} for r in rows]


QUERIES = {
    "documents": documents, "actors": actors, "initiatives": initiatives, "claims": claims,
    "statistics": statistics, "events": events, "areas": areas, "metrics": metrics,
}


def run(session: Session, kind: str, filters: Filters) -> list[dict[str, Any]]:
    if kind not in QUERIES:
        raise UsageError(f"unknown kind {kind!r}; choose one of: {', '.join(QUERIES)}")
    check_vocabularies(kind, filters)
    return QUERIES[kind](session, filters)


# The kinds whose filters facets.py counts over; areas and metrics are short lists.
_FILTERED = {
    "documents": _documents_query, "actors": _actors_query, "initiatives": _initiatives_query,
    "claims": _claims_query, "statistics": _statistics_query, "events": _events_query,
}


def matching(session: Session, kind: str, filters: Filters) -> Select:
    """SELECT id of every record of `kind` the filters choose (limit, offset and sort aside):
    the same conditions as the listing, for counting (facets.py)."""
    if kind not in _FILTERED:
        raise UsageError(f"cannot count {kind}; choose one of: {', '.join(_FILTERED)}")
    check_vocabularies(kind, filters)
    return _FILTERED[kind](session, filters).with_only_columns(table_of(kind).c.id)


def check_vocabularies(kind: str, filters: Filters) -> None:
    """Values from a fixed vocabulary, matched in any case ("Active", "USD"); anything else
    is a usage error naming the choices."""
    of = kinds.kind(kind)
    for name, allowed in of.choices.items():
        values = getattr(filters, name)
        for i, value in enumerate(values):
            folded = value.strip().lower()
            if folded not in allowed:
                raise UsageError(f"--{name}: {value!r} is not {of.article} {of.name} {name}{choices_hint(value, allowed)}")
            values[i] = folded
