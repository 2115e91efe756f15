"""ORM classes mapped onto the tables of `tables.py` (SQLAlchemy 2.x declarative).

The columns come from the tables; this module adds what navigating records needs: the
relationships between them. Code that only reads rows (queries, exports) uses `tables`
directly and never imports this module, which keeps the everyday commands quick to start.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from . import tables as t

# The link tables, under the names code has always used for them.
initiative_areas = t.initiative_areas
claim_areas = t.claim_areas
statistic_areas = t.statistic_areas
event_areas = t.event_areas
claim_holders = t.claim_holders
claim_actors = t.claim_actors
claim_initiatives = t.claim_initiatives
event_actors = t.event_actors
event_initiatives = t.event_initiatives
document_authors = t.document_authors


class Base(DeclarativeBase):
    metadata = t.metadata


class PolicyArea(Base):
    __table__ = t.policy_areas

    parent: Mapped[PolicyArea | None] = relationship(remote_side=[t.policy_areas.c.id])


class Actor(Base):
    __table__ = t.actors

    country: Mapped[Actor | None] = relationship(remote_side=[t.actors.c.id])
    names: Mapped[list[Name]] = relationship(back_populates="actor", cascade="all, delete-orphan")
    affiliations: Mapped[list[ActorAffiliation]] = relationship(
        foreign_keys=[t.actor_affiliations.c.actor_id], back_populates="actor", cascade="all, delete-orphan"
    )


class ActorAffiliation(Base):
    __table__ = t.actor_affiliations

    actor: Mapped[Actor] = relationship(foreign_keys=[t.actor_affiliations.c.actor_id], back_populates="affiliations")
    organisation: Mapped[Actor] = relationship(foreign_keys=[t.actor_affiliations.c.organisation_id])


class Document(Base):
    __table__ = t.documents

    publisher: Mapped[Actor | None] = relationship()
    authors: Mapped[list[Actor]] = relationship(secondary=t.document_authors, order_by=t.document_authors.c.position)


class Name(Base):
    __table__ = t.names

    actor: Mapped[Actor | None] = relationship(back_populates="names")
    initiative: Mapped[Initiative | None] = relationship(back_populates="names")
    document: Mapped[Document | None] = relationship()


class Metric(Base):
    __table__ = t.metrics


class Initiative(Base):
    __table__ = t.initiatives

    names: Mapped[list[Name]] = relationship(back_populates="initiative", cascade="all, delete-orphan")
    areas: Mapped[list[PolicyArea]] = relationship(secondary=t.initiative_areas, order_by=t.policy_areas.c.slug)
    participants: Mapped[list[InitiativeParticipant]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan"
    )


class InitiativeParticipant(Base):
    __table__ = t.initiative_participants

    initiative: Mapped[Initiative] = relationship(back_populates="participants")
    actor: Mapped[Actor] = relationship()


class Claim(Base):
    __table__ = t.claims

    areas: Mapped[list[PolicyArea]] = relationship(secondary=t.claim_areas, order_by=t.policy_areas.c.slug)
    holders: Mapped[list[Actor]] = relationship(secondary=t.claim_holders, order_by=t.actors.c.slug)
    actors: Mapped[list[Actor]] = relationship(secondary=t.claim_actors, order_by=t.actors.c.slug)
    initiatives: Mapped[list[Initiative]] = relationship(secondary=t.claim_initiatives, order_by=t.initiatives.c.slug)


class Statistic(Base):
    __table__ = t.statistics

    metric: Mapped[Metric] = relationship()
    subject: Mapped[Actor | None] = relationship(foreign_keys=[t.statistics.c.subject_id])
    population_actor: Mapped[Actor | None] = relationship(foreign_keys=[t.statistics.c.population_actor_id])
    origin: Mapped[Document | None] = relationship()
    areas: Mapped[list[PolicyArea]] = relationship(secondary=t.statistic_areas, order_by=t.policy_areas.c.slug)


class Event(Base):
    __table__ = t.events

    actors: Mapped[list[Actor]] = relationship(secondary=t.event_actors, order_by=t.actors.c.slug)
    initiatives: Mapped[list[Initiative]] = relationship(secondary=t.event_initiatives, order_by=t.initiatives.c.slug)
    areas: Mapped[list[PolicyArea]] = relationship(secondary=t.event_areas, order_by=t.policy_areas.c.slug)


class Citation(Base):
    __table__ = t.citations

    document: Mapped[Document] = relationship()


class KbMeta(Base):
    __table__ = t.kb_meta


class ClaimRelation(Base):
    __table__ = t.claim_relations


class SearchEntry(Base):
    __table__ = t.search_entries


class Candidate(Base):
    __table__ = t.candidates

    document: Mapped[Document] = relationship()


class ConflictReview(Base):
    __table__ = t.conflict_reviews
