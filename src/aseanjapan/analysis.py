"""Where sources disagree, figures over time and across subjects, and timelines.

- `conflicts`: the same measure reported with incompatible values; one figure said to
  measure different things; one initiative or actor named or expanded differently;
  milestone dates that do not agree; claims curated as contradicting each other.
  A later survey wave is a time series, not a disagreement.
- `series`: one metric lined up across subjects and periods, each value with its sources.
- `timeline`: dated events and initiative start dates in order, at their own precision.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from . import models as m
from .dates import format_span, period_end
from .display import cite_label, cited_document, format_value, named_citation
from .queries import Filters

CONFLICT_KINDS = ("value", "measure", "naming", "date", "claim")


# ---- figures with their approximation marks as intervals --------------------------------------

def interval(value: float, approximation: str) -> tuple[float, float]:
    """The range of true values a reported figure is compatible with.

    "58.9%" means [58.85, 58.95]; "nearly 60%" means a little under 60; "over 600 million"
    means 600 million or a little more. Words like nearly and about allow 10%.
    """
    digits = Decimal(repr(value)).normalize().as_tuple().exponent
    half = 0.5 * 10 ** (min(int(digits), 0)) if isinstance(digits, int) else 0.5
    if approximation == "exact":
        return value - half, value + half
    if approximation == "nearly":
        return value * 0.9, value + half
    if approximation == "about":
        return value * 0.9, value * 1.1
    if approximation in ("over", "at-least"):
        return value - half, value * 1.25
    if approximation in ("under", "up-to"):
        return value * 0.75, value + half
    return value - half, value + half


def agree(a: float, a_approx: str, b: float, b_approx: str) -> bool:
    lo_a, hi_a = interval(a, a_approx)
    lo_b, hi_b = interval(b, b_approx)
    return lo_a <= hi_b and lo_b <= hi_a


# ---- conflicts ---------------------------------------------------------------------------------

@dataclass
class Conflict:
    key: str  # stable across re-seeding: built from slugs, never ids
    kind: str
    subject: str
    sides: list[dict[str, Any]]
    reviewed: bool = False
    note: str | None = None

    def as_row(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "subject": self.subject, "sides": self.sides,
                "reviewed": self.reviewed, "note": self.note}


def _statistics(session: Session) -> list[dict[str, Any]]:
    statistic = m.Statistic
    subject, among, origin = aliased(m.Actor), aliased(m.Actor), aliased(m.Document)
    rows = session.execute(
        select(statistic, m.Metric.slug, subject.slug, among.slug, origin.slug)
        .join(m.Metric, m.Metric.id == statistic.metric_id)
        .outerjoin(subject, subject.id == statistic.subject_id)
        .outerjoin(among, among.id == statistic.population_actor_id)
        .outerjoin(origin, origin.id == statistic.origin_document_id)
    ).all()
    cited = defaultdict(list)
    for stat_id, doc, paragraph, reported in session.execute(
        select(m.Citation.statistic_id, m.Document.slug, m.Citation.paragraph, m.Citation.reported_as)
        .join(m.Document, m.Document.id == m.Citation.document_id).where(m.Citation.statistic_id.is_not(None))
        .order_by(m.Document.slug, m.Citation.paragraph)
    ):
        cited[stat_id].append({"document": doc, "paragraph": paragraph, "reported_as": reported})
    return [{"id": r.id, "slug": r.slug, "value": r.value, "approximation": r.approximation, "unit": r.unit,
             "display": format_value(r.value, r.unit, r.approximation, r.value_high), "metric": metric,
             "subject": subj, "population": r.population, "population_key": _norm(r.population),
             "population_actor": pop, "origin": orig,
             "period": format_span(r.period_start, r.period_precision, r.period_end, r.period_end_precision) if r.period_start else None,
             "citations": cited[r.id], "documents": sorted({c["document"] for c in cited[r.id]})}
            for r, metric, subj, pop, orig in rows]


def _norm(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").casefold()).split())


def _side(stat: dict[str, Any]) -> dict[str, Any]:
    return {"record": f"statistic {stat['slug']}", "says": f"{stat['display']} ({stat['metric']})",
            "cited_by": [cite_label(c["document"], c["paragraph"]) for c in stat["citations"]]}


def value_conflicts(stats: list[dict[str, Any]]) -> list[Conflict]:
    """Same metric, subject, population and period; values that cannot both be right."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for st in stats:
        groups[(st["metric"], st["subject"], st["population_key"], st["population_actor"], st["period"], st["unit"])].append(st)
    out = []
    for (metric, subject, *_), members in groups.items():
        for a, b in combinations(sorted(members, key=lambda x: x["slug"]), 2):
            if set(a["documents"]) == set(b["documents"]) or agree(a["value"], a["approximation"], b["value"], b["approximation"]):
                continue
            out.append(Conflict(f"value:{a['slug']}|{b['slug']}", "value",
                                f"{metric}" + (f" of {subject}" if subject else "") + (f", {a['period']}" if a["period"] else ""),
                                [_side(a), _side(b)]))
    return out


def measure_conflicts(stats: list[dict[str, Any]]) -> list[Conflict]:
    """One figure, from one origin and about one subject, said to measure different things."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for st in stats:
        if st["origin"]:
            groups[(st["origin"], st["subject"], st["value"], st["unit"])].append(st)
    out = []
    for (origin, subject, _, _), members in groups.items():
        for a, b in combinations(sorted(members, key=lambda x: x["slug"]), 2):
            if a["metric"] == b["metric"] or set(a["documents"]) == set(b["documents"]):
                continue
            out.append(Conflict(f"measure:{a['slug']}|{b['slug']}", "measure",
                                f"{a['display']} for {subject or 'its subject'} in {origin}", [_side(a), _side(b)]))
    return out


def _words(name: str) -> set[str]:
    return set(_norm(name.replace("-", " ")).split())


def naming_conflicts(session: Session) -> list[Conflict]:
    """An actor or initiative expanded or named differently by different documents.

    Expansions must match exactly (case and punctuation aside); other names agree when one
    contains the other's words ("Comprehensive Strategic Partnership" and "Japan-ASEAN
    comprehensive strategic partnership")."""
    rows = session.execute(
        select(m.Name, m.Document.slug, m.Actor.slug, m.Initiative.slug, m.Initiative.acronym)
        .join(m.Document, m.Document.id == m.Name.document_id)
        .outerjoin(m.Actor, m.Actor.id == m.Name.actor_id).outerjoin(m.Initiative, m.Initiative.id == m.Name.initiative_id)
        # A metric's other names are readers' words for what it measures, not a source's naming.
        .where(m.Name.kind.in_(("expansion", "alias")), m.Name.metric_id.is_(None))
        .order_by(m.Name.kind, m.Name.name, m.Name.id)  # the same order of names on every backend
    ).all()
    by_record: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for name, doc, actor, initiative, _ in rows:
        record = ("actor", actor) if actor else ("initiative", initiative)
        by_record[record][doc].append(name)
    out = []
    for (kind, slug), docs in sorted(by_record.items()):
        for doc_a, doc_b in combinations(sorted(docs), 2):
            if _names_agree(docs[doc_a], docs[doc_b]):
                continue
            sides = [{"record": f"{kind} {slug}", "says": "; ".join(f"{n.name} ({n.kind})" for n in docs[d]),
                      "cited_by": sorted({cite_label(d, n.paragraph) for n in docs[d]})}
                     for d in (doc_a, doc_b)]
            out.append(Conflict(f"naming:{kind}:{slug}:{doc_a}|{doc_b}", "naming", f"{kind} {slug}", sides))
    return out


def _names_agree(a: list[Any], b: list[Any]) -> bool:
    for x in a:
        for y in b:
            if x.kind == "expansion" and y.kind == "expansion":
                if _norm(x.name.replace("-", " ")) != _norm(y.name.replace("-", " ")):
                    return False
            elif not (_words(x.name) <= _words(y.name) or _words(y.name) <= _words(x.name)):
                return False
    return True


MILESTONE_EVENTS = ("establishment", "agreement", "upgrade")


def _last_day(event: Any) -> date:
    """The last day an event may have happened on: its end's period, else its date's."""
    if event.ended_on is not None:
        return period_end(event.ended_on, event.end_precision or event.date_precision)
    return period_end(event.occurred_on, event.date_precision)


def date_conflicts(session: Session) -> list[Conflict]:
    """Milestones of one initiative (establishment, agreement, upgrade) dated differently by
    different documents."""
    e = m.Event
    rows = session.execute(
        select(e, m.Initiative.slug).join(m.event_initiatives, m.event_initiatives.c.event_id == e.id)
        .join(m.Initiative, m.Initiative.id == m.event_initiatives.c.initiative_id)
        .where(e.kind.in_(MILESTONE_EVENTS), e.occurred_on.is_not(None))
    ).all()
    docs = defaultdict(set)
    labels = defaultdict(set)  # the same events' citations, with their paragraphs, for the report
    for event_id, doc, paragraph in session.execute(
            select(m.Citation.event_id, m.Document.slug, m.Citation.paragraph)
            .join(m.Document, m.Document.id == m.Citation.document_id).where(m.Citation.event_id.is_not(None))):
        docs[event_id].add(doc)
        labels[event_id].add(cite_label(doc, paragraph))
    groups = defaultdict(list)
    for event, initiative in rows:
        groups[(initiative, event.kind)].append(event)
    out = []
    for (initiative, kind), events in groups.items():
        for a, b in combinations(sorted(events, key=lambda x: x.slug), 2):
            overlap = a.occurred_on <= _last_day(b) and b.occurred_on <= _last_day(a)
            if overlap or docs[a.id] == docs[b.id]:
                continue
            sides = [{"record": f"event {x.slug}", "says": format_span(x.occurred_on, x.date_precision, x.ended_on, x.end_precision),
                      "cited_by": sorted(labels[x.id])} for x in (a, b)]
            out.append(Conflict(f"date:{a.slug}|{b.slug}", "date", f"{kind} of initiative {initiative}", sides))
    return out


def claim_conflicts(session: Session) -> list[Conflict]:
    src, dst = aliased(m.Claim), aliased(m.Claim)
    rows = session.execute(
        select(m.ClaimRelation, src, dst).join(src, src.id == m.ClaimRelation.from_claim_id)
        .join(dst, dst.id == m.ClaimRelation.to_claim_id).where(m.ClaimRelation.kind == "contradicts")
        .order_by(src.slug, dst.slug)
    ).all()
    cites = defaultdict(list)
    for claim_id, doc, paragraph in session.execute(
        select(m.Citation.claim_id, m.Document.slug, m.Citation.paragraph)
        .join(m.Document, m.Document.id == m.Citation.document_id).where(m.Citation.claim_id.is_not(None))
    ):
        cites[claim_id].append(cite_label(doc, paragraph))
    return [Conflict(f"claim:{a.slug}|{b.slug}", "claim", rel.note or f"{a.slug} contradicts {b.slug}",
                     [{"record": f"claim {c.slug}", "says": c.text, "cited_by": sorted(cites[c.id])} for c in (a, b)])
            for rel, a, b in rows]


def conflicts(session: Session, kinds: list[str] | None = None, include_reviewed: bool = False) -> list[Conflict]:
    stats = _statistics(session)
    found: list[Conflict] = []
    wanted = set(kinds or CONFLICT_KINDS)
    if "value" in wanted:
        found += value_conflicts(stats)
    if "measure" in wanted:
        found += measure_conflicts(stats)
    if "naming" in wanted:
        found += naming_conflicts(session)
    if "date" in wanted:
        found += date_conflicts(session)
    if "claim" in wanted:
        found += claim_conflicts(session)
    reviews = dict(session.execute(select(m.ConflictReview.key, m.ConflictReview.note)).all())
    for c in found:
        if c.key in reviews:
            c.reviewed, c.note = True, reviews[c.key]
    found = [c for c in found if include_reviewed or not c.reviewed]
    _name_sources(session, [side for c in found for side in c.sides])
    return found


def _name_sources(session: Session, rows: list[dict[str, Any]]) -> None:
    """Give each row with `cited_by` its `sources`: the same citations, each document named as
    a reader knows it (title, authors, date)."""
    from .queries import source_names_by_slug

    names = source_names_by_slug(session, {cited_document(label) for row in rows for label in row["cited_by"]})
    for row in rows:
        row["sources"] = [named_citation(label, names) for label in row["cited_by"]]


def mark_reviewed(session: Session, key: str, note: str | None) -> None:
    from datetime import datetime, timezone

    from .errors import NotFoundError

    known = {c.key for c in conflicts(session, include_reviewed=True)}
    if key not in known:
        from .spelling import closest

        close = closest(key, sorted(known), cutoff=0.5)
        raise NotFoundError(f"no disagreement {key!r}" + (f" (closest: {', '.join(close)})" if close else ""))
    from .textnorm import storable

    review = session.get(m.ConflictReview, key) or m.ConflictReview(key=key)
    review.note = storable(note, "--note")
    review.reviewed_at = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    session.add(review)


# ---- series ------------------------------------------------------------------------------------

def series(session: Session, metric: str, subjects: list[str] | None = None,
           population: str | None = None) -> list[dict[str, Any]]:
    """Every value of one metric, by subject (in the order given, else by name) and period,
    each with its subject's name, its origin and the documents that cite it."""
    from .lookup import resolve_many
    from .queries import statistics

    subject_ids = resolve_many(session, "actor", subjects) if subjects else []
    order = {session.get(m.Actor, i).slug: n for n, i in enumerate(subject_ids)}
    rows = statistics(session, Filters(metric=[metric], subject=list(order)))
    names = dict(session.execute(select(m.Actor.slug, m.Actor.name)
                                 .where(m.Actor.slug.in_({r["subject"] for r in rows if r["subject"]}))).all())
    if population:
        rows = [r for r in rows if _norm(population) in _norm(r["population"])]
    rows.sort(key=lambda r: (order.get(r["subject"], len(order)), names.get(r["subject"]) or "", r["period"] or "",
                             _norm(r["population"]), r["slug"]))
    return [{"subject": r["subject"], "period": r["period"], "value": r["value"], "unit": r["unit"],
             "display": r["display"], "population": r["population"], "origin": r["origin"], "statistic": r["slug"],
             "cited_by": r["cited_by"], "subject_name": names.get(r["subject"]), "origin_source": r["origin_source"],
             "sources": r["sources"]} for r in rows]


# ---- timeline ----------------------------------------------------------------------------------

TIMELINE_FIELDS = ("date", "precision", "what", "slug", "title", "kind", "actors", "initiatives", "cited_by", "sources")


def timeline(session: Session, filters: Filters, include_undated: bool = False) -> list[dict[str, Any]]:
    """Events and initiative start dates in date order; each keeps the precision its source gives."""
    from .dates import parse_fuzzy
    from .queries import events, initiatives

    rows = []
    event_filters = Filters(area=filters.area, actor=filters.actor, initiative=filters.initiative,
                            document=filters.document, kind=filters.kind, since=filters.since, until=filters.until)
    for row in events(session, event_filters):
        rows.append({"date": row["date"], "precision": row["precision"],
                     "sort": parse_fuzzy(row["date"].split(" – ")[0]).start, "what": "event", "slug": row["slug"],
                     "title": row["title"], "kind": row["kind"], "actors": row["actors"],
                     "initiatives": row["initiatives"], "cited_by": row["cited_by"], "sources": row["sources"]})
    if not filters.kind:
        init_filters = Filters(area=filters.area, actor=filters.actor, document=filters.document,
                               since=filters.since, until=filters.until)
        only = _initiative_slugs(session, filters.initiative) if filters.initiative else None
        for row in initiatives(session, init_filters):
            if row["started"] is None or (only is not None and row["slug"] not in only):
                continue
            started = parse_fuzzy(row["started"])
            rows.append({"date": row["started"], "precision": started.precision, "sort": started.start,
                         "what": "initiative start", "slug": row["slug"], "title": f"{row['name']} begins",
                         "kind": row["kind"], "actors": [p.split(" (")[0] for p in row["participants"]],
                         "initiatives": [row["slug"]], "cited_by": row["cited_by"], "sources": row["sources"]})
    if not include_undated:
        rows = [r for r in rows if r["sort"] is not None]
    # A coarser date sorts at the start of its period; on a tie the coarser one comes first.
    order = {"decade": 0, "year": 1, "month": 2, "day": 3, "unknown": 4}
    rows.sort(key=lambda r: (r["sort"] is None, r["sort"] or date.max, order.get(r["precision"], 5), r["slug"]))
    for r in rows:
        del r["sort"]
    return rows


def _initiative_slugs(session: Session, names: list[str]) -> set[str]:
    from .lookup import resolve_many

    return {session.get(m.Initiative, i).slug for i in resolve_many(session, "initiative", names)}
