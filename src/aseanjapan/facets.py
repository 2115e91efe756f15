"""Counts over a filtered listing: how many records match, and how many would match for each
value of each facet (area, kind, status, actor, initiative, document, year).

A facet's count is how many records choosing that value keeps (with nothing chosen in that
facet) or adds (values of one filter are ORed, as in `aj query --area a --area b`): an area
counts its records and those of the areas under it (as `--area` chooses them); an actor
counts each record once however it is linked. The records counted are exactly those
`queries.matching` chooses, so a count and the listing agree; the one approximation is the
year facet, which counts a record in the year it starts (a listing for that year also shows
records whose period runs into it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import distinct, extract, func, select, union

from . import kinds
from . import tables as t
from .lookup import table_of
from .queries import Filters, matching

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TOP = 12  # values shown per facet (the most frequent); areas are all shown, as a tree


@dataclass(frozen=True)
class Facet:
    name: str  # the filter it sets (Filters field, or "year" for since/until)
    label: str


# What each kind can be narrowed by, in the order a page shows them.
FACETS: dict[str, tuple[Facet, ...]] = {
    "initiatives": (Facet("area", "Policy area"), Facet("kind", "Kind"), Facet("status", "Status"),
                    Facet("actor", "Participant"), Facet("document", "Reported in"), Facet("year", "Started")),
    "claims": (Facet("area", "Policy area"), Facet("kind", "Kind"), Facet("actor", "Actor"),
               Facet("initiative", "Initiative"), Facet("document", "Reported in")),
    "statistics": (Facet("area", "Policy area"), Facet("metric", "Metric"), Facet("subject", "Subject"),
                   Facet("unit", "Unit"), Facet("document", "Reported in"), Facet("year", "Period")),
    "events": (Facet("area", "Policy area"), Facet("kind", "Kind"), Facet("actor", "Actor"),
               Facet("initiative", "Initiative"), Facet("document", "Reported in"), Facet("year", "Year")),
    "documents": (Facet("kind", "Kind"), Facet("actor", "Author or publisher"), Facet("year", "Published")),
    "actors": (Facet("kind", "Kind"), Facet("initiative", "Initiative"), Facet("document", "Reported in")),
}

_AREA_LINKS = {"initiatives": (t.initiative_areas, "initiative_id"), "claims": (t.claim_areas, "claim_id"),
               "statistics": (t.statistic_areas, "statistic_id"), "events": (t.event_areas, "event_id")}
_DATES = {"initiatives": t.initiatives.c.started_on, "statistics": t.statistics.c.period_start,
          "events": t.events.c.occurred_on, "documents": t.documents.c.published_on}


def count(session: Session, kind: str, filters: Filters) -> int:
    """How many records of `kind` the filters choose (limit and offset aside)."""
    filters = _unpaged(filters)
    if not filters.given():
        return session.execute(select(func.count()).select_from(table_of(kind))).scalar_one()
    ids = matching(session, kind, filters).subquery()
    return session.execute(select(func.count()).select_from(ids)).scalar_one()


def facet_counts(session: Session, kind: str, filters: Filters, budget_ms: int | None = None) -> list[dict[str, Any]]:
    """Each facet of `kind` with its values: [{"facet", "label", "values": [{"value",
    "name", "count", "parent"?, "selected"}], "timed_out"}]. Values already chosen stay listed
    (to be unchosen) even when the other filters leave them none. With `budget_ms`, a facet
    whose counting takes longer is given up (values None, timed_out True): on a large
    database a page shows the facets that are quick and says which were not."""
    from .db import TimeLimit, time_limit

    filters = _unpaged(filters)
    ids = _ids(session, kind, filters)
    out = []
    for facet in FACETS.get(kind, ()):
        chosen = set(_chosen(filters, facet.name))
        # Values of one filter are ORed: with some chosen, a value's count is of the records
        # the other filters keep (what choosing it adds), as in disjunctive faceting.
        among = _ids(session, kind, _without(filters, facet.name)) if chosen else ids
        entry: dict[str, Any] = {"facet": facet.name, "label": facet.label, "values": None, "timed_out": False}
        out.append(entry)
        try:
            if budget_ms is None:
                values = _COUNTERS[facet.name](session, kind, among)
            else:
                with time_limit(session, budget_ms):
                    values = _COUNTERS[facet.name](session, kind, among)
        except TimeLimit:
            entry["timed_out"] = True
            continue
        for v in values:
            v["selected"] = v["value"] in chosen
        shown = {v["value"] for v in values}
        values += [{"value": c, "name": c, "count": 0, "selected": True} for c in sorted(chosen - shown)]
        entry["values"] = values
    return out


def _ids(session: Session, kind: str, filters: Filters) -> Any:
    """The chosen records' ids as a subquery, or None for all of them (counted without one)."""
    return matching(session, kind, filters) if filters.given() else None


def _among(column: Any, ids: Any) -> list[Any]:
    return [] if ids is None else [column.in_(ids)]


def _unpaged(filters: Filters) -> Filters:
    from dataclasses import replace

    return replace(filters, limit=None, offset=0, sort=None, reverse=False, include_unreviewed=False)


def _without(filters: Filters, name: str) -> Filters:
    from dataclasses import replace

    if name == "year":
        return replace(filters, since=None, until=None)
    return replace(filters, **{name: []})


def _chosen(filters: Filters, name: str) -> list[str]:
    if name == "year":
        return [filters.since] if filters.since and filters.since == filters.until else []
    return list(getattr(filters, name))


def _by_link(session: Session, ids: Any, owner: Any, target_column: Any, target: Any, name: Any) -> list[dict[str, Any]]:
    query = (select(target.c.slug, name, func.count(distinct(owner))).join(target, target.c.id == target_column)
             .where(*_among(owner, ids)).group_by(target.c.slug, name))
    return _finish(session, query)


def _finish(session: Session, query: Any) -> list[dict[str, Any]]:
    rows = session.execute(query.order_by(query.selected_columns[2].desc(), query.selected_columns[0]).limit(TOP))
    return [{"value": slug, "name": name, "count": n} for slug, name, n in rows]


def _areas(session: Session, kind: str, ids: Any) -> list[dict[str, Any]]:
    """Every area with the records filed under it or under an area below it, as a tree
    (each value names its parent; parents come before their children)."""
    if kind not in _AREA_LINKS:
        return []
    link, owner = _AREA_LINKS[kind]
    a = t.policy_areas
    # ancestor -> descendant pairs (each area is its own descendant) over the area tree.
    tree = select(a.c.id.label("ancestor"), a.c.id.label("descendant")).cte("tree", recursive=True)
    below = a.alias("below")
    tree = tree.union_all(select(tree.c.ancestor, below.c.id).where(below.c.parent_id == tree.c.descendant))
    counted = dict(session.execute(
        select(tree.c.ancestor, func.count(distinct(link.c[owner])))
        .join(link, link.c.area_id == tree.c.descendant).where(*_among(link.c[owner], ids)).group_by(tree.c.ancestor)).all())
    areas = session.execute(select(a.c.id, a.c.slug, a.c.name, a.c.parent_id)).all()
    by_id = {r.id: r for r in areas}
    children: dict[int | None, list[Any]] = {}
    for r in sorted(areas, key=lambda r: r.name.lower()):
        children.setdefault(r.parent_id, []).append(r)
    out: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int) -> None:
        for r in children.get(parent, []):
            if counted.get(r.id):
                out.append({"value": r.slug, "name": r.name, "count": counted[r.id], "depth": depth,
                            "parent": by_id[r.parent_id].slug if r.parent_id in by_id else None})
                walk(r.id, depth + 1)

    walk(None, 0)
    return out


def _column(column: Any) -> Any:
    def counter(session: Session, kind: str, ids: Any) -> list[dict[str, Any]]:
        table = table_of(kind)
        col = table.c[column]
        rows = session.execute(select(col, func.count()).where(*_among(table.c.id, ids), col.is_not(None))
                               .group_by(col).order_by(func.count().desc(), col).limit(TOP))
        return [{"value": v, "name": v, "count": n} for v, n in rows]
    return counter


def _actors(session: Session, kind: str, ids: Any) -> list[dict[str, Any]]:
    """Actors linked in any way the `--actor` filter follows for this kind."""
    pairs: list[Any] = []
    if kind == "claims":
        pairs = [select(x.c.claim_id.label("owner"), x.c.actor_id.label("actor")) for x in (t.claim_actors, t.claim_holders)]
    elif kind == "events":
        pairs = [select(t.event_actors.c.event_id.label("owner"), t.event_actors.c.actor_id.label("actor"))]
    elif kind == "initiatives":
        p = t.initiative_participants.c
        pairs = [select(p.initiative_id.label("owner"), p.actor_id.label("actor"))]
    elif kind == "documents":
        pairs = [select(t.document_authors.c.document_id.label("owner"), t.document_authors.c.actor_id.label("actor")),
                 select(t.documents.c.id.label("owner"), t.documents.c.publisher_id.label("actor"))
                 .where(t.documents.c.publisher_id.is_not(None))]
    elif kind == "statistics":
        s = t.statistics.c
        pairs = [select(s.id.label("owner"), s.subject_id.label("actor")).where(s.subject_id.is_not(None)),
                 select(s.id.label("owner"), s.population_actor_id.label("actor")).where(s.population_actor_id.is_not(None))]
    if not pairs:
        return []
    linked = (union(*pairs) if len(pairs) > 1 else pairs[0]).subquery()
    return _by_link(session, ids, linked.c.owner, linked.c.actor, t.actors, t.actors.c.name)


def _subjects(session: Session, kind: str, ids: Any) -> list[dict[str, Any]]:
    s = t.statistics.c
    return _by_link(session, ids, s.id, s.subject_id, t.actors, t.actors.c.name)


def _metrics(session: Session, kind: str, ids: Any) -> list[dict[str, Any]]:
    s = t.statistics.c
    return _by_link(session, ids, s.id, s.metric_id, t.metrics, t.metrics.c.name)


def _initiatives(session: Session, kind: str, ids: Any) -> list[dict[str, Any]]:
    links = {"claims": (t.claim_initiatives, "claim_id"), "events": (t.event_initiatives, "event_id"),
             "actors": (t.initiative_participants, "actor_id")}
    if kind not in links:
        return []
    link, owner = links[kind]
    return _by_link(session, ids, link.c[owner], link.c.initiative_id, t.initiatives, t.initiatives.c.name)


def _documents(session: Session, kind: str, ids: Any) -> list[dict[str, Any]]:
    if not kinds.kind(kind).cited:
        return []
    c = t.citations.c
    return _by_link(session, ids, c[kinds.kind(kind).id_column], c.document_id, t.documents, t.documents.c.title)


def _years(session: Session, kind: str, ids: Any) -> list[dict[str, Any]]:
    """Records per year of their date (a record dated to a decade counts in its first year)."""
    column = _DATES[kind]
    table = table_of(kind)
    year = extract("year", column)
    rows = session.execute(select(year, func.count()).where(*_among(table.c.id, ids), column.is_not(None))
                           .group_by(year).order_by(year.desc()))
    return [{"value": str(int(y)), "name": str(int(y)), "count": n} for y, n in rows]


_COUNTERS = {"area": _areas, "kind": _column("kind"), "status": _column("status"), "unit": _column("unit"),
             "actor": _actors, "subject": _subjects, "metric": _metrics, "initiative": _initiatives,
             "document": _documents, "year": _years}
