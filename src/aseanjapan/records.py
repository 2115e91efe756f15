"""One record in full: its fields, the records linked to it, and every citation.

`detail(session, kind, name)` returns plain data (lists and dicts) that the CLI renders
as a card or prints as JSON.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
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


def _with_citations(session: Session, kind: str, records: list[Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each brief row with where its record is reported: `cited_by` ("document ¶N") and `sources`
    (the documents by title and date), as listings give them."""
    sources: dict[int, list[str]] = {}
    cited = cited_by(session, kind, [r.id for r in records], sources)
    return [{**row, "cited_by": cited[r.id], "sources": sources.get(r.id, [])} for r, row in zip(records, rows)]


def _claims_brief(session: Session, condition: Any) -> list[dict[str, Any]]:
    claims = session.execute(select(m.Claim).where(condition).order_by(m.Claim.slug)).scalars().all()
    return _with_citations(session, "claim", claims, [{"slug": c.slug, "kind": c.kind, "text": c.text} for c in claims])


def _events_brief(session: Session, condition: Any) -> list[dict[str, Any]]:
    query = select(m.Event).where(condition).order_by(m.Event.occurred_on.is_(None), m.Event.occurred_on, m.Event.slug)
    events = session.execute(query).scalars().all()
    return _with_citations(session, "event", events, [{
        "slug": e.slug, "date": format_span(e.occurred_on, e.date_precision, e.ended_on, e.end_precision), "title": e.title,
    } for e in events])


def _statistics_brief(session: Session, condition: Any) -> list[dict[str, Any]]:
    subject = aliased(m.Actor)
    query = (select(m.Statistic, m.Metric.slug, subject.slug).join(m.Metric, m.Metric.id == m.Statistic.metric_id)
             .outerjoin(subject, subject.id == m.Statistic.subject_id).where(condition)
             .order_by(m.Metric.slug, m.Statistic.period_start, m.Statistic.slug))
    found = session.execute(query).all()
    return _with_citations(session, "statistic", [s for s, _, _ in found], [{
        "slug": s.slug, "value": format_value(s.value, s.unit, s.approximation, s.value_high), "metric": metric,
        "subject": subj,
        "period": format_span(s.period_start, s.period_precision, s.period_end, s.period_end_precision) if s.period_start else None,
    } for s, metric, subj in found])


def detail(session: Session, kind: str, name: str) -> dict[str, Any]:
    record_id = resolve(session, kind, name)
    return _DETAILS[kind](session, record_id)


def stored_text(session: Session, name: str) -> str:
    """The full text kept for a document added with `aj source add` (citations' character
    offsets count in it)."""
    from .errors import NotFoundError

    document = session.get(m.Document, resolve(session, "document", name))
    if not document.text:
        raise NotFoundError(f"document {document.slug!r} has no stored text (only sources added with "
                            "`aj source add` keep theirs)")
    return document.text


def cited_spans(session: Session, name: str) -> list[dict[str, Any]]:
    """Every citation of a document that points at a span of its stored text, in text order:
    {"kind", "slug", "label", "paragraph", "char_start", "char_end"} (a page highlights them)."""
    document_id = resolve(session, "document", name)
    c = m.Citation
    out = []
    for kind, model, column, label in (
        ("claim", m.Claim, c.claim_id, m.Claim.text), ("statistic", m.Statistic, c.statistic_id, m.Statistic.slug),
        ("event", m.Event, c.event_id, m.Event.title), ("initiative", m.Initiative, c.initiative_id, m.Initiative.name),
        ("actor", m.Actor, c.actor_id, m.Actor.name),
    ):
        rows = session.execute(select(model.slug, label, c.paragraph, c.char_start, c.char_end).join(c, column == model.id)
                               .where(c.document_id == document_id, c.char_start.is_not(None), c.char_end.is_not(None)))
        out += [{"kind": kind, "slug": slug, "label": text, "paragraph": paragraph, "char_start": start, "char_end": end}
                for slug, text, paragraph, start, end in rows]
    return sorted(out, key=lambda x: (x["char_start"], -x["char_end"], x["kind"], x["slug"]))


def _initiative(session: Session, record_id: int) -> dict[str, Any]:
    i = session.get(m.Initiative, record_id)
    participants = session.execute(
        select(m.Actor.slug, m.Actor.name, m.InitiativeParticipant.role)
        .join(m.InitiativeParticipant, m.InitiativeParticipant.actor_id == m.Actor.id)
        .where(m.InitiativeParticipant.initiative_id == record_id).order_by(m.InitiativeParticipant.role, m.Actor.slug)
    ).all()
    return {
        "kind": "initiative", "slug": i.slug,
        "fields": {"name": i.name, "acronym": i.acronym, "kind": i.kind, "status": i.status,
                   "started": format_fuzzy(i.started_on, i.started_precision) if i.started_on else None,
                   "areas": [a.slug for a in i.areas], "description": i.description},
        "names": _names(session, m.Name.initiative_id, record_id),
        "participants": [{"actor": s, "name": n, "role": r} for s, n, r in participants],
        "events": _events_brief(session, m.Event.id.in_(
            select(m.event_initiatives.c.event_id).where(m.event_initiatives.c.initiative_id == record_id))),
        "claims": _claims_brief(session, m.Claim.id.in_(
            select(m.claim_initiatives.c.claim_id).where(m.claim_initiatives.c.initiative_id == record_id))),
        "citations": citations(session, "initiative", record_id),
    }


def _actor(session: Session, record_id: int) -> dict[str, Any]:
    a = session.get(m.Actor, record_id)
    roles = session.execute(
        select(m.Initiative.slug, m.Initiative.name, m.InitiativeParticipant.role)
        .join(m.InitiativeParticipant, m.InitiativeParticipant.initiative_id == m.Initiative.id)
        .where(m.InitiativeParticipant.actor_id == record_id).order_by(m.Initiative.slug)
    ).all()
    affiliations = [{"organisation": f.organisation.slug, "role": f.role} for f in a.affiliations]
    members = session.execute(select(m.ActorAffiliation, m.Actor.slug).join(m.Actor, m.Actor.id == m.ActorAffiliation.actor_id)
                              .where(m.ActorAffiliation.organisation_id == record_id).order_by(m.Actor.slug)).all()
    authored = session.execute(select(m.Document.slug, m.Document.title).where(or_(
        m.Document.publisher_id == record_id,
        m.Document.id.in_(select(m.document_authors.c.document_id).where(m.document_authors.c.actor_id == record_id)),
    )).order_by(m.Document.slug)).all()
    return {
        "kind": "actor", "slug": a.slug,
        "fields": {"name": a.name, "kind": a.kind, "country": a.country.slug if a.country else None,
                   "description": a.description},
        "names": _names(session, m.Name.actor_id, record_id),
        "affiliations": affiliations,
        "members": [{"actor": slug, "role": f.role} for f, slug in members],
        "initiatives": [{"initiative": s, "name": n, "role": r} for s, n, r in roles],
        "documents": [{"document": s, "title": t} for s, t in authored],
        "claims_held": _claims_brief(session, m.Claim.id.in_(
            select(m.claim_holders.c.claim_id).where(m.claim_holders.c.actor_id == record_id))),
        "claims_about": _claims_brief(session, m.Claim.id.in_(
            select(m.claim_actors.c.claim_id).where(m.claim_actors.c.actor_id == record_id))),
        "statistics": _statistics_brief(session, or_(m.Statistic.subject_id == record_id,
                                                     m.Statistic.population_actor_id == record_id)),
        "events": _events_brief(session, m.Event.id.in_(
            select(m.event_actors.c.event_id).where(m.event_actors.c.actor_id == record_id))),
        "citations": citations(session, "actor", record_id),
    }


def _document(session: Session, record_id: int) -> dict[str, Any]:
    d = session.get(m.Document, record_id)
    c = m.Citation
    cited: dict[str, list[dict[str, Any]]] = {}
    for kind, model, column, label in (
        ("claims", m.Claim, c.claim_id, m.Claim.text), ("statistics", m.Statistic, c.statistic_id, m.Statistic.slug),
        ("events", m.Event, c.event_id, m.Event.title), ("initiatives", m.Initiative, c.initiative_id, m.Initiative.name),
        ("actors", m.Actor, c.actor_id, m.Actor.name),
    ):
        rows = session.execute(select(model.slug, label, c.paragraph, c.reported_as).join(c, column == model.id)
                               .where(c.document_id == record_id).order_by(c.paragraph, model.slug)).all()
        cited[kind] = [{"slug": s, "label": lab, "paragraph": p, "reported_as": r} for s, lab, p, r in rows]
    # A figure has no title of its own: what it measures, for whom, and the value.
    figures = {row["slug"]: row for row in _statistics_brief(
        session, m.Statistic.slug.in_({x["slug"] for x in cited["statistics"]}))}
    names = dict(session.execute(select(m.Metric.slug, m.Metric.name)).all())
    for x in cited["statistics"]:
        f = figures[x["slug"]]
        x["label"] = f"{names.get(f['metric'], f['metric'])}: {f['subject'] + ' ' if f['subject'] else ''}{f['value']}"
    return {
        "kind": "document", "slug": d.slug,
        "fields": {"title": d.title, "kind": d.kind, "authors": [a.slug for a in d.authors],
                   "publisher": d.publisher.slug if d.publisher else None,
                   "published": format_fuzzy(d.published_on, d.published_precision), "url": d.url,
                   "language": d.language, "content_sha256": d.content_sha256,
                   "byline": d.byline, "text_stored": f"{len(d.text):,} characters" if d.text is not None else "no",
                   "source_name": d.source_name,
                   "added_at": d.added_at.isoformat(sep=" ", timespec="seconds") if d.added_at else None,
                   "summary": d.summary, "notes": d.notes},
        "cites": cited,
        "origin_of": _statistics_brief(session, m.Statistic.origin_document_id == record_id),
    }


def _claim(session: Session, record_id: int) -> dict[str, Any]:
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


def _statistic(session: Session, record_id: int) -> dict[str, Any]:
    s = session.get(m.Statistic, record_id)
    series = _statistics_brief(session, (m.Statistic.metric_id == s.metric_id) & (m.Statistic.id != s.id) & (
        (m.Statistic.subject_id == s.subject_id) if s.subject_id is not None else m.Statistic.subject_id.is_(None)))
    return {
        "kind": "statistic", "slug": s.slug,
        "fields": {"value": format_value(s.value, s.unit, s.approximation, s.value_high), "number": s.value,
                   "number_high": s.value_high, "unit": s.unit, "approximation": s.approximation, "metric": s.metric.slug,
                   "measures": s.metric.name, "subject": s.subject.slug if s.subject else None,
                   "population": s.population,
                   "population_actor": s.population_actor.slug if s.population_actor else None,
                   "period": format_span(s.period_start, s.period_precision, s.period_end, s.period_end_precision) if s.period_start else None,
                   "origin": s.origin.slug if s.origin else None,
                   "origin_title": s.origin.title if s.origin else None,
                   "areas": [a.slug for a in s.areas], "description": s.description},
        "same_measure": series,
        "citations": citations(session, "statistic", record_id),
    }


def _event(session: Session, record_id: int) -> dict[str, Any]:
    e = session.get(m.Event, record_id)
    return {
        "kind": "event", "slug": e.slug,
        "fields": {"title": e.title, "kind": e.kind, "date": format_span(e.occurred_on, e.date_precision, e.ended_on, e.end_precision),
                   "date_precision": e.date_precision, "actors": [a.slug for a in e.actors],
                   "initiatives": [i.slug for i in e.initiatives], "areas": [a.slug for a in e.areas],
                   "description": e.description},
        "citations": citations(session, "event", record_id),
    }


def _area(session: Session, record_id: int) -> dict[str, Any]:
    """An area's card lists what is filed under it and under its sub-areas, as `--area` does."""
    from .queries import area_ids

    a = session.get(m.PolicyArea, record_id)
    children = session.execute(select(m.PolicyArea.slug).where(m.PolicyArea.parent_id == record_id)
                               .order_by(m.PolicyArea.slug)).scalars().all()
    within = area_ids(session, [a.slug])

    def tagged(link: Any, owner: str) -> Any:
        return select(link.c[owner]).where(link.c.area_id.in_(within))

    initiatives = session.execute(select(m.Initiative).where(m.Initiative.id.in_(tagged(m.initiative_areas, "initiative_id")))
                                  .order_by(m.Initiative.slug)).scalars().all()
    return {
        "kind": "area", "slug": a.slug,
        "fields": {"name": a.name, "parent": a.parent.slug if a.parent else None, "sub_areas": list(children),
                   "description": a.description},
        "initiatives": _with_citations(session, "initiative", initiatives,
                                       [{"slug": i.slug, "name": i.name, "status": i.status} for i in initiatives]),
        "claims": _claims_brief(session, m.Claim.id.in_(tagged(m.claim_areas, "claim_id"))),
        "statistics": _statistics_brief(session, m.Statistic.id.in_(tagged(m.statistic_areas, "statistic_id"))),
        "events": _events_brief(session, m.Event.id.in_(tagged(m.event_areas, "event_id"))),
    }


def _metric(session: Session, record_id: int) -> dict[str, Any]:
    x = session.get(m.Metric, record_id)
    return {
        "kind": "metric", "slug": x.slug,
        "fields": {"name": x.name, "unit": x.unit, "description": x.description},
        "names": _names(session, m.Name.metric_id, record_id),
        "statistics": _statistics_brief(session, m.Statistic.metric_id == record_id),
    }


_DETAILS = {"initiative": _initiative, "actor": _actor, "document": _document, "claim": _claim,
            "statistic": _statistic, "event": _event, "area": _area, "metric": _metric}
