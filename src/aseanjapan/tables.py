"""The schema of the knowledge base, as SQLAlchemy Core tables: the one definition of it.

`models.py` maps ORM classes onto these tables for code that navigates records; queries
that only read rows use the tables directly, so the commands people run most do not pay
for importing and configuring the ORM. Alembic compares its migrations with this metadata.

Integer keys stay inside the database; every record a user sees has a `slug`. Constraint
names follow one convention, so they are the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

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

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Countries, organisations, forums, institutes, companies, media and people.
actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(40), nullable=False, index=True),
    Column("country_id", Integer, ForeignKey("actors.id"), index=True),
    Column("description", Text),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(160), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("kind", String(20), nullable=False, index=True),
    CheckConstraint("kind IN ('fact', 'assessment', 'recommendation', 'forecast')", name="kind"),
)

# Disagreements someone has reviewed, by their stable key (built from slugs), so the mark
# survives re-seeding and reloading.
conflict_reviews = Table(
    "conflict_reviews",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("note", Text),
    Column("reviewed_at", DateTime),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(160), nullable=False, unique=True),
    Column("title", String(500), nullable=False),
    Column("kind", String(40), nullable=False, index=True),
    Column("occurred_on", Date, index=True),
    Column("date_precision", String(10), nullable=False, default="unknown"),
    Column("ended_on", Date),
    Column("end_precision", String(10)),  # the end's own precision ("2024-03-15" to "2024-04")
    Column("description", Text),
    CheckConstraint("date_precision IN ('day', 'month', 'year', 'decade', 'unknown')", name="date_precision"),
    CheckConstraint("end_precision IN ('day', 'month', 'year', 'decade')", name="end_precision"),
)

initiatives = Table(
    "initiatives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("acronym", String(40), index=True),
    Column("kind", String(40), nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True, default="unknown"),
    Column("started_on", Date),
    Column("started_precision", String(10), nullable=False, default="unknown"),
    Column("description", Text),
    CheckConstraint("status IN ('proposed', 'planned', 'active', 'concluded', 'unknown')", name="status"),
    CheckConstraint("started_precision IN ('day', 'month', 'year', 'decade', 'unknown')", name="started_precision"),
)

# Facts about the database itself, e.g. the digest of the seed data it holds.
kb_meta = Table(
    "kb_meta",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False),
)

# What a statistic measures, so figures from different sources line up.
metrics = Table(
    "metrics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("unit", String(30), nullable=False),
    Column("description", Text),
)

policy_areas = Table(
    "policy_areas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("description", Text),
    Column("parent_id", Integer, ForeignKey("policy_areas.id"), index=True),
)

# The searchable text of each record, kept current by the loader. SQLite indexes it with the
# FTS5 table `search_fts`, PostgreSQL with a generated tsvector column; both made by migrations.
search_entries = Table(
    "search_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("record_id", Integer, nullable=False),
    Column("slug", String(160), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False, default=""),
    UniqueConstraint('kind', 'record_id'),
)

# A person's post at an organisation, or an organisation's parent body.
actor_affiliations = Table(
    "actor_affiliations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("organisation_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(300), nullable=False, default=""),
    UniqueConstraint('actor_id', 'organisation_id', 'role'),
)

claim_actors = Table(
    "claim_actors",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True),
)

claim_areas = Table(
    "claim_areas",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", Integer, ForeignKey("policy_areas.id", ondelete="CASCADE"), primary_key=True, index=True),
)

claim_holders = Table(
    "claim_holders",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True),
)

claim_initiatives = Table(
    "claim_initiatives",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# One claim supporting, contradicting or qualifying another.
claim_relations = Table(
    "claim_relations",
    metadata,
    Column("from_claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("to_claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("kind", String(20), nullable=False),
    Column("note", Text),
    CheckConstraint("kind IN ('supports', 'contradicts', 'qualifies')", name="kind"),
    CheckConstraint('from_claim_id <> to_claim_id', name="not_self"),
)

# Sources. `text` holds the full normalised text of sources a user adds (spans point into it);
# `byline` is the author line as the source gives it.
documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("title", String(500), nullable=False),
    Column("kind", String(40), nullable=False, index=True),
    Column("publisher_id", Integer, ForeignKey("actors.id"), index=True),
    Column("published_on", Date, index=True),
    Column("published_precision", String(10), nullable=False, default="unknown"),
    Column("url", String(2000)),
    Column("language", String(12), nullable=False, default="en"),
    Column("content_sha256", String(64), unique=True),
    Column("summary", Text),
    Column("notes", Text),
    Column("text", Text),
    Column("byline", String(500)),
    Column("source_name", String(500)),
    Column("added_at", DateTime),
    CheckConstraint("published_precision IN ('day', 'month', 'year', 'decade', 'unknown')", name="published_precision"),
)

# What every review decision on a document's passages takes unless it says otherwise
# (`aj review defaults`). `period` is kept as typed (a fuzzy date, checked when set): it is
# an input to decisions, which take dates as text, not a fact with a precision to query.
document_defaults = Table(
    "document_defaults",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("origin_document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("subject_id", Integer, ForeignKey("actors.id", ondelete="SET NULL")),
    Column("period", String(20)),
    Column("population", String(300)),
)

document_default_areas = Table(
    "document_default_areas",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", Integer, ForeignKey("policy_areas.id", ondelete="CASCADE"), primary_key=True),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_areas = Table(
    "event_areas",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", Integer, ForeignKey("policy_areas.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_initiatives = Table(
    "event_initiatives",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True, index=True),
)

initiative_areas = Table(
    "initiative_areas",
    metadata,
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", Integer, ForeignKey("policy_areas.id", ondelete="CASCADE"), primary_key=True, index=True),
)

initiative_participants = Table(
    "initiative_participants",
    metadata,
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("role", String(30), primary_key=True),
)

# Something extraction found in a stored source, waiting for a decision. Accepting creates a
# cited record (`outcome` says which); rejecting keeps the decision and its note.
candidates = Table(
    "candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(200), nullable=False, unique=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(20), nullable=False, index=True),
    Column("status", String(10), nullable=False, index=True, default="pending"),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("context", Text),
    Column("paragraph", Integer),
    Column("value", Float),
    Column("value_high", Float),
    Column("unit", String(30)),
    Column("approximation", String(12)),
    Column("counted", String(200)),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="SET NULL"), index=True),
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="SET NULL"), index=True),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("date_precision", String(10)),
    Column("name", String(300)),
    Column("acronym", String(40)),
    # every place an unknown name occurs, as JSON [[start, end], ...] (one candidate per name)
    Column("occurrences", Text),
    Column("name_type", String(20)),  # person | organisation | place | programme | publication | event | credit
    Column("role", String(200)),  # a person's office or title ("Prime Minister"), kept out of the name
    Column("date_note", String(300)),  # how a date was read ("June last year, read against ...")
    Column("decided_at", DateTime),
    Column("note", Text),
    Column("outcome", String(300)),
    CheckConstraint('0 <= char_start AND char_start <= char_end', name="span_ordered"),
    CheckConstraint("kind IN ('statistic', 'actor', 'initiative', 'date', 'entity')", name="kind"),
    CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status"),
)

document_authors = Table(
    "document_authors",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("position", Integer, nullable=False, default=0),
)

# Another name of an actor, initiative or metric. `document_id` says which source uses it: two
# sources expanding one acronym differently leave two attributed rows. A metric's names are
# the words readers use for what it measures ("trust" for the ISEAS confidence question).
names = Table(
    "names",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), index=True),
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="CASCADE"), index=True),
    Column("name", String(300), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), index=True),
    Column("paragraph", Integer),
    Column("metric_id", Integer, ForeignKey("metrics.id", ondelete="CASCADE"), index=True),
    CheckConstraint("kind IN ('acronym', 'expansion', 'alias', 'former')", name="kind"),
    CheckConstraint('(CASE WHEN actor_id IS NULL THEN 0 ELSE 1 END + CASE WHEN initiative_id IS NULL THEN 0 ELSE 1 END '
                    '+ CASE WHEN metric_id IS NULL THEN 0 ELSE 1 END) = 1', name="one_owner"),
)

# A figure: what it measures, of whom, among whom, when. `origin_document_id` is where it comes
# from (a survey); the documents that report it are its citations.
statistics = Table(
    "statistics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(160), nullable=False, unique=True),
    Column("value", Float, nullable=False),
    Column("value_high", Float),
    Column("unit", String(30), nullable=False, index=True),
    Column("approximation", String(12), nullable=False, default="exact"),
    Column("metric_id", Integer, ForeignKey("metrics.id"), nullable=False, index=True),
    Column("subject_id", Integer, ForeignKey("actors.id"), index=True),
    Column("population", String(300)),
    Column("population_actor_id", Integer, ForeignKey("actors.id"), index=True),
    Column("period_start", Date),
    Column("period_precision", String(10), nullable=False, default="unknown"),
    Column("period_end", Date),
    Column("period_end_precision", String(10)),  # the end's own precision ("2010s" to "2023")
    Column("origin_document_id", Integer, ForeignKey("documents.id"), index=True),
    Column("description", Text),
    CheckConstraint("approximation IN ('exact', 'about', 'nearly', 'over', 'under', 'at-least', 'up-to')", name="approximation"),
    CheckConstraint("period_precision IN ('day', 'month', 'year', 'decade', 'unknown')", name="period_precision"),
    CheckConstraint("period_end_precision IN ('day', 'month', 'year', 'decade')", name="period_end_precision"),
    Index("ix_statistics_metric_subject_period", 'metric_id', 'subject_id', 'period_start', 'slug'),
)

# One document reporting one record (exactly one of claim/statistic/event/initiative/actor),
# with where it says so. `reported_as` is the wording or figure as the document gives it.
citations = Table(
    "citations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), index=True),
    Column("statistic_id", Integer, ForeignKey("statistics.id", ondelete="CASCADE"), index=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True),
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="CASCADE"), index=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), index=True),
    Column("paragraph", Integer),
    Column("char_start", Integer),
    Column("char_end", Integer),
    Column("reported_as", String(500)),
    Column("note", Text),
    CheckConstraint('(CASE WHEN claim_id IS NULL THEN 0 ELSE 1 END + CASE WHEN statistic_id IS NULL THEN 0 ELSE 1 END + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END + CASE WHEN initiative_id IS NULL THEN 0 ELSE 1 END + CASE WHEN actor_id IS NULL THEN 0 ELSE 1 END) = 1', name="one_subject"),
    CheckConstraint('char_start IS NULL OR (char_end IS NOT NULL AND 0 <= char_start AND char_start <= char_end)', name="span_ordered"),
    CheckConstraint('paragraph IS NULL OR paragraph >= 1', name="paragraph_positive"),
)

statistic_areas = Table(
    "statistic_areas",
    metadata,
    Column("statistic_id", Integer, ForeignKey("statistics.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", Integer, ForeignKey("policy_areas.id", ondelete="CASCADE"), primary_key=True, index=True),
)


# History (migration 0017): one change set per write transaction, and each row it changed,
# before and after, with foreign keys as slugs. `refs` lists "kind/slug" of the row and of
# every record it points to, for `aj history --record`. See history.py.
change_sets = Table(
    "change_sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("made_at", DateTime, nullable=False),
    Column("os_user", String(200), nullable=False),
    Column("command", Text, nullable=False),
    Column("undoes_id", Integer, ForeignKey("change_sets.id"), index=True),
)

change_records = Table(
    "change_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("change_set_id", Integer, ForeignKey("change_sets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("table_name", String(80), nullable=False),
    Column("record_key", Text, nullable=False),
    Column("key_hash", String(64), nullable=False, index=True),
    Column("label", String(500), nullable=False),
    Column("refs", Text, nullable=False),
    Column("row_id", Integer),
    Column("before", Text),
    Column("after", Text),
)

# Scratch space of the open change set: rows as they changed, filled by triggers and emptied
# into change_records before the transaction commits.
change_capture = Table(
    "change_capture",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("change_set_id", Integer, nullable=False),
    Column("table_name", String(80), nullable=False),
    Column("old_row", Text),
    Column("new_row", Text),
)
