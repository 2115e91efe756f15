"""One record in full: its fields, the records linked to it, and every citation.

`detail(session, kind, name)` returns plain data (lists and dicts) that the CLI renders
as a card or prints as JSON.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from . import kinds
from . import models as m
from .dates import format_fuzzy, format_span
from .display import cite_label, format_value
from .lookup import resolve
from .queries import cited_by


def citations(session: Session, kind: str, record_id: int) -> list[dict[str, Any]]:
    column = getattr(m.Citation, kinds.kind(kind).id_column)
    query = (
        select(m.Citation, m.Document)
        .join(m.Document, m.Document.id == m.Citation.document_id)
        .where(column == record_id)
        .order_by(m.Document.published_on.is_(None), m.Document.published_on, m.Document.slug, m.Citation.paragraph)
    )
    out = []
    for c, d in session.execute(query):
        out.append({
            "document": d.slug, "title": d.title, "published": format_fuzzy(d.published_on, d.published_precision),
            "paragraph": c.paragraph, "char_start": c.char_start, "char_end": c.char_end,
            "reported_as": c.reported_as, "note": c.note,
            "excerpt": d.text[c.char_start:c.char_end] if d.text is not None and c.char_start is not None else None,
        })
    return out


def _names(session: Session, owner: Any, record_id: int) -> list[dict[str, Any]]:
    query = (select(m.Name, m.Document.slug).outerjoin(m.Document, m.Document.id == m.Name.document_id)
             .where(owner == record_id).order_by(m.Name.kind, m.Name.name))
    return [{"name": n.name, "kind": n.kind, "document": doc, "paragraph": n.paragraph} for n, doc in session.execute(query)]


class _Cut(list):  # type: ignore[type-arg]
    """A card's list cut to its first rows; `total` is how many there are in all."""

    def __init__(self, rows: list[dict[str, Any]], total: int) -> None:
        super().__init__(rows)
        self.total = total


def _page(session: Session, query: Any, limit: int | None) -> tuple[list[Any], int | None]:
    """The rows of `query`; with `limit`, only its first `limit` and, when there are more, how
    many it holds in all (else None). Counting in SQL spares loading every row of a long list."""
    if limit is None:
        return list(session.execute(query).all()), None
    found = list(session.execute(query.limit(limit + 1)).all())
    if len(found) <= limit:
        return found, None
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    return found[:limit], total


def _with_citations(session: Session, kind: str, records: list[Any], rows: list[dict[str, Any]],
                    total: int | None = None) -> list[dict[str, Any]]:
    """Each brief row with where its record is reported: `cited_by` ("document ¶N") and `sources`
    (the documents by title and date), as listings give them. With `total` (the rows are the
    first of a longer list, see _page), a _Cut saying how many there are in all."""
    sources: dict[int, list[str]] = {}
    cited = cited_by(session, kind, [r.id for r in records], sources)
    out = [{**row, "cited_by": cited[r.id], "sources": sources.get(r.id, [])} for r, row in zip(records, rows)]
    return out if total is None else _Cut(out, total)


def _claims_brief(session: Session, condition: Any, limit: int | None = None) -> list[dict[str, Any]]:
    found, total = _page(session, select(m.Claim).where(condition).order_by(m.Claim.slug), limit)
    claims = [c for c, in found]
    return _with_citations(session, "claim", claims, [{"slug": c.slug, "kind": c.kind, "text": c.text} for c in claims],
                           total)


def _events_brief(session: Session, condition: Any, limit: int | None = None) -> list[dict[str, Any]]:
    query = select(m.Event).where(condition).order_by(m.Event.occurred_on.is_(None), m.Event.occurred_on, m.Event.slug)
    found, total = _page(session, query, limit)
    events = [e for e, in found]
    return _with_citations(session, "event", events, [{
        "slug": e.slug, "date": format_span(e.occurred_on, e.date_precision, e.ended_on, e.end_precision), "title": e.title,
    } for e in events], total)


def _statistics_brief(session: Session, condition: Any, limit: int | None = None) -> list[dict[str, Any]]:
    subject = aliased(m.Actor)
    query = (select(m.Statistic, m.Metric.slug, subject.slug).join(m.Metric, m.Metric.id == m.Statistic.metric_id)
             .outerjoin(subject, subject.id == m.Statistic.subject_id).where(condition)
             .order_by(m.Metric.slug, m.Statistic.period_start, m.Statistic.slug))
    found, total = _page(session, query, limit)
    return _with_citations(session, "statistic", [s for s, _, _ in found], [{
        "slug": s.slug, "value": format_value(s.value, s.unit, s.approximation, s.value_high), "metric": metric,
        "subject": subj,
        "period": format_span(s.period_start, s.period_precision, s.period_end, s.period_end_precision) if s.period_start else None,
    } for s, metric, subj in found], total)


def detail(session: Session, kind: str, name: str, rows: int | None = None) -> dict[str, Any]:
    """A record's card. With `rows`, each list of linked records keeps its first `rows` and
    the card's "totals" says how many each list that was cut holds in all (a page shows a
    few and links to the rest; `aj show` gives them all)."""
    record_id = resolve(session, kind, name)
    card = _DETAILS[kind](session, record_id, rows)
    totals = {key: value.total for key, value in card.items() if isinstance(value, _Cut)}
    if totals:
        card = {key: list(value) if key in totals else value for key, value in card.items()}
        card["totals"] = totals
    return card


def stored_text(session: Session, name: str) -> str:
    """The full text kept for a document added with `aj source add` (citations' character
    offsets count in it)."""
    from .errors import NotFoundError

    document = session.get(m.Document, resolve(session, "document", name))
    if not document.text:
        raise NotFoundError(f"document {document.slug!r} has no stored text (only sources added with "
                            "`aj source add` keep theirs)")
    return document.text


def _cited_kinds() -> list[tuple[kinds.Kind, Any, Any, Any]]:
    """Each kind of record documents cite, in kinds.CITED order: (kind, model, its column in
    citations, the column a document's card shows it by; a figure, which has no title, by slug)."""
    shown_by = {"claim": m.Claim.text, "statistic": m.Statistic.slug, "event": m.Event.title,
                "initiative": m.Initiative.name, "actor": m.Actor.name}
    return [(kind, shown_by[kind.name].class_, getattr(m.Citation, kind.id_column), shown_by[kind.name])
            for kind in kinds.CITED]


def cited_spans(session: Session, name: str) -> list[dict[str, Any]]:
    """Every citation of a document that points at a span of its stored text, in text order:
    {"kind", "slug", "label", "paragraph", "char_start", "char_end"} (a page highlights them)."""
    document_id = resolve(session, "document", name)
    citation = m.Citation
    out = []
    for kind, model, column, label in _cited_kinds():
        rows = session.execute(select(model.slug, label, citation.paragraph, citation.char_start, citation.char_end)
                               .join(citation, column == model.id)
                               .where(citation.document_id == document_id, citation.char_start.is_not(None),
                                      citation.char_end.is_not(None)))
        out += [{"kind": kind.name, "slug": slug, "label": text, "paragraph": paragraph, "char_start": start,
                 "char_end": end} for slug, text, paragraph, start, end in rows]
    return sorted(out, key=lambda x: (x["char_start"], -x["char_end"], x["kind"], x["slug"]))


def _initiative(session: Session, record_id: int, limit: int | None) -> dict[str, Any]:
    initiative = session.get(m.Initiative, record_id)
    participants = session.execute(
        select(m.Actor.slug, m.Actor.name, m.InitiativeParticipant.role)
        .join(m.InitiativeParticipant, m.InitiativeParticipant.actor_id == m.Actor.id)
        .where(m.InitiativeParticipant.initiative_id == record_id).order_by(m.InitiativeParticipant.role, m.Actor.slug)
    ).all()
    return {
        "kind": "initiative", "slug": initiative.slug,
        "fields": {"name": initiative.name, "acronym": initiative.acronym, "kind": initiative.kind,
                   "status": initiative.status,
                   "started": format_fuzzy(initiative.started_on, initiative.started_precision)
                   if initiative.started_on else None,
                   "areas": [a.slug for a in initiative.areas], "description": initiative.description},
        "names": _names(session, m.Name.initiative_id, record_id),
        "participants": [{"actor": s, "name": n, "role": r} for s, n, r in participants],
        "events": _events_brief(session, m.Event.id.in_(
            select(m.event_initiatives.c.event_id).where(m.event_initiatives.c.initiative_id == record_id)), limit),
        "claims": _claims_brief(session, m.Claim.id.in_(
            select(m.claim_initiatives.c.claim_id).where(m.claim_initiatives.c.initiative_id == record_id)), limit),
        "citations": citations(session, "initiative", record_id),
    }


def _actor(session: Session, record_id: int, limit: int | None) -> dict[str, Any]:
    actor = session.get(m.Actor, record_id)
    roles = session.execute(
        select(m.Initiative.slug, m.Initiative.name, m.InitiativeParticipant.role)
        .join(m.InitiativeParticipant, m.InitiativeParticipant.initiative_id == m.Initiative.id)
        .where(m.InitiativeParticipant.actor_id == record_id).order_by(m.Initiative.slug)
    ).all()
    affiliations = [{"organisation": f.organisation.slug, "role": f.role} for f in actor.affiliations]
    members = session.execute(select(m.ActorAffiliation, m.Actor.slug).join(m.Actor, m.Actor.id == m.ActorAffiliation.actor_id)
                              .where(m.ActorAffiliation.organisation_id == record_id).order_by(m.Actor.slug)).all()
    authored = session.execute(select(m.Document.slug, m.Document.title).where(or_(
        m.Document.publisher_id == record_id,
        m.Document.id.in_(select(m.document_authors.c.document_id).where(m.document_authors.c.actor_id == record_id)),
    )).order_by(m.Document.slug)).all()
    return {
        "kind": "actor", "slug": actor.slug,
        "fields": {"name": actor.name, "kind": actor.kind, "country": actor.country.slug if actor.country else None,
                   "description": actor.description},
        "names": _names(session, m.Name.actor_id, record_id),
        "affiliations": affiliations,
        "members": [{"actor": slug, "role": f.role} for f, slug in members],
        "initiatives": [{"initiative": s, "name": n, "role": r} for s, n, r in roles],
        "documents": [{"document": s, "title": t} for s, t in authored],
        "claims_held": _claims_brief(session, m.Claim.id.in_(
            select(m.claim_holders.c.claim_id).where(m.claim_holders.c.actor_id == record_id)), limit),
        "claims_about": _claims_brief(session, m.Claim.id.in_(
            select(m.claim_actors.c.claim_id).where(m.claim_actors.c.actor_id == record_id)), limit),
        "statistics": _statistics_brief(session, or_(m.Statistic.subject_id == record_id,
                                                     m.Statistic.population_actor_id == record_id), limit),
        "events": _events_brief(session, m.Event.id.in_(
            select(m.event_actors.c.event_id).where(m.event_actors.c.actor_id == record_id)), limit),
        "citations": citations(session, "actor", record_id),
    }


def _document(session: Session, record_id: int, limit: int | None) -> dict[str, Any]:
    document = session.get(m.Document, record_id)
    citation = m.Citation
    cited: dict[str, list[dict[str, Any]]] = {}
    for kind, model, column, label in _cited_kinds():
        rows = session.execute(select(model.slug, label, citation.paragraph, citation.reported_as)
                               .join(citation, column == model.id)
                               .where(citation.document_id == record_id).order_by(citation.paragraph, model.slug)).all()
        cited[kind.plural] = [{"slug": s, "label": lab, "paragraph": p, "reported_as": r} for s, lab, p, r in rows]
    # A figure has no title of its own: what it measures, for whom, and the value.
    figures = {row["slug"]: row for row in _statistics_brief(
        session, m.Statistic.slug.in_({x["slug"] for x in cited["statistics"]}))}
    names = dict(session.execute(select(m.Metric.slug, m.Metric.name)).all())
    for x in cited["statistics"]:
        f = figures[x["slug"]]
        x["label"] = f"{names.get(f['metric'], f['metric'])}: {f['subject'] + ' ' if f['subject'] else ''}{f['value']}"
    return {
        "kind": "document", "slug": document.slug,
        "fields": {"title": document.title, "kind": document.kind, "authors": [a.slug for a in document.authors],
                   "publisher": document.publisher.slug if document.publisher else None,
                   "published": format_fuzzy(document.published_on, document.published_precision), "url": document.url,
                   "language": document.language, "content_sha256": document.content_sha256,
                   "byline": document.byline,
                   "text_stored": f"{len(document.text):,} characters" if document.text is not None else "no",
                   "source_name": document.source_name,
                   "added_at": document.added_at.isoformat(sep=" ", timespec="seconds") if document.added_at else None,
                   "summary": document.summary, "notes": document.notes},
        "cites": cited,
        "origin_of": _statistics_brief(session, m.Statistic.origin_document_id == record_id, limit),
    }


def _claim(session: Session, record_id: int, limit: int | None) -> dict[str, Any]:
    cl = session.get(m.Claim, record_id)
    other = aliased(m.Claim)
    relations = []
    for direction, mine, theirs in (("outgoing", m.ClaimRelation.from_claim_id, m.ClaimRelation.to_claim_id),
                                    ("incoming", m.ClaimRelation.to_claim_id, m.ClaimRelation.from_claim_id)):
        rows = session.execute(select(m.ClaimRelation, other).join(other, other.id == theirs).where(mine == record_id)
                               .order_by(other.slug)).all()
        for rel, claim in rows:
            relations.append({"direction": direction, "relation": rel.kind, "claim": claim.slug, "text": claim.text,
                              "note": rel.note, "cited_by": [cite_label(x["document"], x["paragraph"]) for x in citations(session, "claim", claim.id)]})
    return {
        "kind": "claim", "slug": cl.slug,
        "fields": {"text": cl.text, "kind": cl.kind, "holders": [a.slug for a in cl.holders],
                   "actors": [a.slug for a in cl.actors], "initiatives": [i.slug for i in cl.initiatives],
                   "areas": [a.slug for a in cl.areas]},
        "relations": relations,
        "citations": citations(session, "claim", record_id),
    }


def _statistic(session: Session, record_id: int, limit: int | None) -> dict[str, Any]:
    statistic = session.get(m.Statistic, record_id)
    same_subject = (m.Statistic.subject_id == statistic.subject_id if statistic.subject_id is not None
                    else m.Statistic.subject_id.is_(None))
    series = _statistics_brief(session, (m.Statistic.metric_id == statistic.metric_id)
                               & (m.Statistic.id != statistic.id) & same_subject, limit)
    return {
        "kind": "statistic", "slug": statistic.slug,
        "fields": {"value": format_value(statistic.value, statistic.unit, statistic.approximation, statistic.value_high),
                   "number": statistic.value, "number_high": statistic.value_high, "unit": statistic.unit,
                   "approximation": statistic.approximation, "metric": statistic.metric.slug,
                   "measures": statistic.metric.name, "subject": statistic.subject.slug if statistic.subject else None,
                   "population": statistic.population,
                   "population_actor": statistic.population_actor.slug if statistic.population_actor else None,
                   "period": format_span(statistic.period_start, statistic.period_precision, statistic.period_end,
                                         statistic.period_end_precision) if statistic.period_start else None,
                   "origin": statistic.origin.slug if statistic.origin else None,
                   "origin_title": statistic.origin.title if statistic.origin else None,
                   "areas": [a.slug for a in statistic.areas], "description": statistic.description},
        "same_measure": series,
        "citations": citations(session, "statistic", record_id),
    }


def _event(session: Session, record_id: int, limit: int | None) -> dict[str, Any]:
    event = session.get(m.Event, record_id)
    return {
        "kind": "event", "slug": event.slug,
        "fields": {"title": event.title, "kind": event.kind,
                   "date": format_span(event.occurred_on, event.date_precision, event.ended_on, event.end_precision),
                   "date_precision": event.date_precision, "actors": [a.slug for a in event.actors],
                   "initiatives": [i.slug for i in event.initiatives], "areas": [a.slug for a in event.areas],
                   "description": event.description},
        "citations": citations(session, "event", record_id),
    }


def _area(session: Session, record_id: int, limit: int | None) -> dict[str, Any]:
    """An area's card lists what is filed under it and under its sub-areas, as `--area` does."""
    from .queries import area_ids

    area = session.get(m.PolicyArea, record_id)
    children = session.execute(select(m.PolicyArea.slug).where(m.PolicyArea.parent_id == record_id)
                               .order_by(m.PolicyArea.slug)).scalars().all()
    within = area_ids(session, [area.slug])

    def tagged(link: Any, owner: str) -> Any:
        return select(link.c[owner]).where(link.c.area_id.in_(within))

    found, total = _page(session, select(m.Initiative).where(m.Initiative.id.in_(tagged(m.initiative_areas, "initiative_id")))
                         .order_by(m.Initiative.slug), limit)
    initiatives = [i for i, in found]
    return {
        "kind": "area", "slug": area.slug,
        "fields": {"name": area.name, "parent": area.parent.slug if area.parent else None, "sub_areas": list(children),
                   "description": area.description},
        "initiatives": _with_citations(session, "initiative", initiatives,
                                       [{"slug": i.slug, "name": i.name, "status": i.status} for i in initiatives],
                                       total),
        "claims": _claims_brief(session, m.Claim.id.in_(tagged(m.claim_areas, "claim_id")), limit),
        "statistics": _statistics_brief(session, m.Statistic.id.in_(tagged(m.statistic_areas, "statistic_id")), limit),
        "events": _events_brief(session, m.Event.id.in_(tagged(m.event_areas, "event_id")), limit),
    }


def _metric(session: Session, record_id: int, limit: int | None) -> dict[str, Any]:
    metric = session.get(m.Metric, record_id)
    return {
        "kind": "metric", "slug": metric.slug,
        "fields": {"name": metric.name, "unit": metric.unit, "description": metric.description},
        "names": _names(session, m.Name.metric_id, record_id),
        "statistics": _statistics_brief(session, m.Statistic.metric_id == record_id, limit),
    }


_DETAILS = {"initiative": _initiative, "actor": _actor, "document": _document, "claim": _claim,
            "statistic": _statistic, "event": _event, "area": _area, "metric": _metric}
