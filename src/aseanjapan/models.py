"""The relational model of the knowledge base (SQLAlchemy 2.x, typed declarative).

Integer keys stay inside the database; every record a user sees has a `slug`.
What a source says is kept apart from what the knowledge base holds: claims,
statistics, events and mentions of initiatives and actors point to the documents
that report them through `citations`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PRECISION_CHECK = "IN ('day', 'month', 'year', 'decade', 'unknown')"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _link_table(name: str, left: str, right: str, *extra: Column) -> Table:
    """A many-to-many table whose rows vanish with either side."""
    return Table(
        name,
        Base.metadata,
        Column(f"{left}_id", ForeignKey(f"{left}s.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{right}_id", ForeignKey(f"{_plural(right)}.id", ondelete="CASCADE"), primary_key=True, index=True),
        *extra,
    )


def _plural(noun: str) -> str:
    return "policy_areas" if noun == "area" else noun + "s"


initiative_areas = _link_table("initiative_areas", "initiative", "area")
claim_areas = _link_table("claim_areas", "claim", "area")
statistic_areas = _link_table("statistic_areas", "statistic", "area")
event_areas = _link_table("event_areas", "event", "area")
claim_holders = _link_table("claim_holders", "claim", "actor")
claim_actors = _link_table("claim_actors", "claim", "actor")
claim_initiatives = _link_table("claim_initiatives", "claim", "initiative")
event_actors = _link_table("event_actors", "event", "actor")
event_initiatives = _link_table("event_initiatives", "event", "initiative")


class PolicyArea(Base):
    __tablename__ = "policy_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("policy_areas.id"), index=True)

    parent: Mapped[PolicyArea | None] = relationship(remote_side=[id])


class Actor(Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    country_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)

    country: Mapped[Actor | None] = relationship(remote_side=[id])
    names: Mapped[list[Name]] = relationship(back_populates="actor", cascade="all, delete-orphan")
    affiliations: Mapped[list[ActorAffiliation]] = relationship(
        foreign_keys="ActorAffiliation.actor_id", back_populates="actor", cascade="all, delete-orphan"
    )


class ActorAffiliation(Base):
    """A person's post at an organisation, or an organisation's parent body."""

    __tablename__ = "actor_affiliations"
    __table_args__ = (UniqueConstraint("actor_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(300), default="")

    actor: Mapped[Actor] = relationship(foreign_keys=[actor_id], back_populates="affiliations")
    organisation: Mapped[Actor] = relationship(foreign_keys=[organisation_id])


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (CheckConstraint(f"published_precision {PRECISION_CHECK}", name="published_precision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    published_precision: Mapped[str] = mapped_column(String(10), default="unknown")
    url: Mapped[str | None] = mapped_column(String(2000))
    language: Mapped[str] = mapped_column(String(12), default="en")
    content_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    summary: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # Full normalised text, kept for sources a user adds; character spans point into it.
    text: Mapped[str | None] = mapped_column(Text)
    # The author line as the source gives it, whether or not the authors are known actors.
    byline: Mapped[str | None] = mapped_column(String(500))
    source_name: Mapped[str | None] = mapped_column(String(500))
    added_at: Mapped[datetime | None] = mapped_column(DateTime)

    publisher: Mapped[Actor | None] = relationship()
    authors: Mapped[list[Actor]] = relationship(
        secondary="document_authors", order_by="document_authors.c.position"
    )


document_authors = Table(
    "document_authors",
    Base.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("position", Integer, nullable=False, default=0),
)


class Name(Base):
    """Another name of an actor or an initiative: acronym, expansion, alias.

    `document_id` says which source uses the name; two sources expanding one acronym
    differently leave two attributed rows.
    """

    __tablename__ = "names"
    __table_args__ = (
        CheckConstraint("(actor_id IS NULL) <> (initiative_id IS NULL)", name="one_owner"),
        CheckConstraint("kind IN ('acronym', 'expansion', 'alias', 'former')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    paragraph: Mapped[int | None] = mapped_column(Integer)

    actor: Mapped[Actor | None] = relationship(back_populates="names")
    initiative: Mapped[Initiative | None] = relationship(back_populates="names")
    document: Mapped[Document | None] = relationship()


class Metric(Base):
    """What a statistic measures, so figures from different sources line up."""

    __tablename__ = "metrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text)


class Initiative(Base):
    __tablename__ = "initiatives"
    __table_args__ = (
        CheckConstraint(
            "status IN ('proposed', 'planned', 'active', 'concluded', 'unknown')", name="status"
        ),
        CheckConstraint(f"started_precision {PRECISION_CHECK}", name="started_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(20), default="unknown", index=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    started_precision: Mapped[str] = mapped_column(String(10), default="unknown")
    description: Mapped[str | None] = mapped_column(Text)

    names: Mapped[list[Name]] = relationship(back_populates="initiative", cascade="all, delete-orphan")
    areas: Mapped[list[PolicyArea]] = relationship(secondary=initiative_areas, order_by=PolicyArea.slug)
    participants: Mapped[list[InitiativeParticipant]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan"
    )


class InitiativeParticipant(Base):
    __tablename__ = "initiative_participants"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(30), primary_key=True)

    initiative: Mapped[Initiative] = relationship(back_populates="participants")
    actor: Mapped[Actor] = relationship()


class Claim(Base):
    """An assertion, in the knowledge base's own words, held by someone and cited."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("kind IN ('fact', 'assessment', 'recommendation', 'forecast')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), index=True)

    areas: Mapped[list[PolicyArea]] = relationship(secondary=claim_areas, order_by=PolicyArea.slug)
    holders: Mapped[list[Actor]] = relationship(secondary=claim_holders, order_by=Actor.slug)
    actors: Mapped[list[Actor]] = relationship(secondary=claim_actors, order_by=Actor.slug)
    initiatives: Mapped[list[Initiative]] = relationship(secondary=claim_initiatives, order_by=Initiative.slug)


class Statistic(Base):
    """A figure, what it measures, of whom, over which population and period.

    `origin_document_id` is where the figure comes from (a survey, a report); the
    documents that report it are its citations.
    """

    __tablename__ = "statistics"
    __table_args__ = (
        # "--metric X --subject Y", in period order, straight from the index.
        Index("ix_statistics_metric_subject_period", "metric_id", "subject_id", "period_start", "slug"),
        CheckConstraint(
            "approximation IN ('exact', 'about', 'nearly', 'over', 'under', 'at-least', 'up-to')",
            name="approximation",
        ),
        CheckConstraint(f"period_precision {PRECISION_CHECK}", name="period_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    value: Mapped[float] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30), index=True)
    approximation: Mapped[str] = mapped_column(String(12), default="exact")
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    population: Mapped[str | None] = mapped_column(String(300))
    population_actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_precision: Mapped[str] = mapped_column(String(10), default="unknown")
    period_end: Mapped[date | None] = mapped_column(Date)
    origin_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)

    metric: Mapped[Metric] = relationship()
    subject: Mapped[Actor | None] = relationship(foreign_keys=[subject_id])
    population_actor: Mapped[Actor | None] = relationship(foreign_keys=[population_actor_id])
    origin: Mapped[Document | None] = relationship()
    areas: Mapped[list[PolicyArea]] = relationship(secondary=statistic_areas, order_by=PolicyArea.slug)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (CheckConstraint(f"date_precision {PRECISION_CHECK}", name="date_precision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    occurred_on: Mapped[date | None] = mapped_column(Date, index=True)
    date_precision: Mapped[str] = mapped_column(String(10), default="unknown")
    ended_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)

    actors: Mapped[list[Actor]] = relationship(secondary=event_actors, order_by=Actor.slug)
    initiatives: Mapped[list[Initiative]] = relationship(secondary=event_initiatives, order_by=Initiative.slug)
    areas: Mapped[list[PolicyArea]] = relationship(secondary=event_areas, order_by=PolicyArea.slug)


class Citation(Base):
    """One document reporting one record, with where in the document it says so."""

    __tablename__ = "citations"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN claim_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN statistic_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN initiative_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN actor_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
        CheckConstraint("paragraph IS NULL OR paragraph >= 1", name="paragraph_positive"),
        CheckConstraint(
            "char_start IS NULL OR (char_end IS NOT NULL AND 0 <= char_start AND char_start <= char_end)",
            name="span_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    statistic_id: Mapped[int | None] = mapped_column(ForeignKey("statistics.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    char_start: Mapped[int | None] = mapped_column(Integer)
    char_end: Mapped[int | None] = mapped_column(Integer)
    # The wording or figure as the document gives it ("nearly two-thirds", "$22.5 billion").
    reported_as: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship()


class KbMeta(Base):
    """Small key/value facts about the database itself (e.g. the loaded seed's digest)."""

    __tablename__ = "kb_meta"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ClaimRelation(Base):
    """One claim supporting, contradicting or qualifying another."""

    __tablename__ = "claim_relations"
    __table_args__ = (
        CheckConstraint("kind IN ('supports', 'contradicts', 'qualifies')", name="kind"),
        CheckConstraint("from_claim_id <> to_claim_id", name="not_self"),
    )

    from_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    to_claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class SearchEntry(Base):
    """The searchable text of one record, kept current by the loader.

    SQLite indexes it with the FTS5 table `search_fts`, PostgreSQL with a GIN index on its
    weighted tsvector; both are created by migration 0003, outside the ORM.
    """

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(160))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")


class Candidate(Base):
    """Something extraction found in a stored source, waiting for a person's decision.

    Candidates never mix with curated records: accepting one creates a cited statistic,
    mention, event, actor, initiative or claim; rejecting one keeps the decision.
    """

    __tablename__ = "candidates"
    __table_args__ = (
        CheckConstraint("kind IN ('statistic', 'actor', 'initiative', 'date', 'entity')", name="kind"),
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status"),
        CheckConstraint("0 <= char_start AND char_start <= char_end", name="span_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(Text)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    # What extraction proposes; a reviewer may change any of it when accepting.
    value: Mapped[float | None] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(30))
    approximation: Mapped[str | None] = mapped_column(String(12))
    counted: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="SET NULL"), index=True)
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    name: Mapped[str | None] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(40))
    # The decision: when, why, and what it created ("statistic some-slug").
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(300))

    document: Mapped[Document] = relationship()


class ConflictReview(Base):
    """A disagreement between sources that someone has looked at, with their note.

    Keyed by the disagreement's stable key (built from slugs), so the mark survives
    re-seeding and reloading."""

    __tablename__ = "conflict_reviews"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    note: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
