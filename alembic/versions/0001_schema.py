"""Schema: documents, actors, initiatives, claims, statistics, events, citations.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 13:48:47.172014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('actors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('country_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['country_id'], ['actors.id'], name=op.f('fk_actors_country_id_actors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actors')),
    sa.UniqueConstraint('slug', name=op.f('uq_actors_slug'))
    )
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actors_country_id'), ['country_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actors_kind'), ['kind'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.CheckConstraint("kind IN ('fact', 'assessment', 'recommendation', 'forecast')", name=op.f('ck_claims_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('slug', name=op.f('uq_claims_slug'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_kind'), ['kind'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=10), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.CheckConstraint("date_precision IN ('day', 'month', 'year', 'decade', 'unknown')", name=op.f('ck_events_date_precision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('slug', name=op.f('uq_events_slug'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_occurred_on'), ['occurred_on'], unique=False)

    op.create_table('initiatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('acronym', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('started_precision', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.CheckConstraint("started_precision IN ('day', 'month', 'year', 'decade', 'unknown')", name=op.f('ck_initiatives_started_precision')),
    sa.CheckConstraint("status IN ('proposed', 'planned', 'active', 'concluded', 'unknown')", name=op.f('ck_initiatives_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiatives')),
    sa.UniqueConstraint('slug', name=op.f('uq_initiatives_slug'))
    )
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiatives_acronym'), ['acronym'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_status'), ['status'], unique=False)

    op.create_table('kb_meta',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_kb_meta'))
    )
    op.create_table('metrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metrics')),
    sa.UniqueConstraint('slug', name=op.f('uq_metrics_slug'))
    )
    op.create_table('policy_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['policy_areas.id'], name=op.f('fk_policy_areas_parent_id_policy_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_areas')),
    sa.UniqueConstraint('slug', name=op.f('uq_policy_areas_slug'))
    )
    with op.batch_alter_table('policy_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_areas_parent_id'), ['parent_id'], unique=False)

    op.create_table('actor_affiliations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_actor_affiliations_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['actors.id'], name=op.f('fk_actor_affiliations_organisation_id_actors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_affiliations')),
    sa.UniqueConstraint('actor_id', 'organisation_id', 'role', name=op.f('uq_actor_affiliations_actor_id_organisation_id_role'))
    )
    with op.batch_alter_table('actor_affiliations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_affiliations_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actor_affiliations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('claim_actors',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_claim_actors_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_actors_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'actor_id', name=op.f('pk_claim_actors'))
    )
    with op.batch_alter_table('claim_actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_actors_actor_id'), ['actor_id'], unique=False)

    op.create_table('claim_areas',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['policy_areas.id'], name=op.f('fk_claim_areas_area_id_policy_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_areas_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'area_id', name=op.f('pk_claim_areas'))
    )
    with op.batch_alter_table('claim_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_areas_area_id'), ['area_id'], unique=False)

    op.create_table('claim_holders',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_claim_holders_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_holders_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'actor_id', name=op.f('pk_claim_holders'))
    )
    with op.batch_alter_table('claim_holders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_holders_actor_id'), ['actor_id'], unique=False)

    op.create_table('claim_initiatives',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_initiatives_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_claim_initiatives_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'initiative_id', name=op.f('pk_claim_initiatives'))
    )
    with op.batch_alter_table('claim_initiatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_initiatives_initiative_id'), ['initiative_id'], unique=False)

    op.create_table('claim_relations',
    sa.Column('from_claim_id', sa.Integer(), nullable=False),
    sa.Column('to_claim_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('supports', 'contradicts', 'qualifies')", name=op.f('ck_claim_relations_kind')),
    sa.CheckConstraint('from_claim_id <> to_claim_id', name=op.f('ck_claim_relations_not_self')),
    sa.ForeignKeyConstraint(['from_claim_id'], ['claims.id'], name=op.f('fk_claim_relations_from_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_claim_id'], ['claims.id'], name=op.f('fk_claim_relations_to_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('from_claim_id', 'to_claim_id', name=op.f('pk_claim_relations'))
    )
    with op.batch_alter_table('claim_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_relations_to_claim_id'), ['to_claim_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('publisher_id', sa.Integer(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_precision', sa.String(length=10), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.CheckConstraint("published_precision IN ('day', 'month', 'year', 'decade', 'unknown')", name=op.f('ck_documents_published_precision')),
    sa.ForeignKeyConstraint(['publisher_id'], ['actors.id'], name=op.f('fk_documents_publisher_id_actors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('content_sha256', name=op.f('uq_documents_content_sha256')),
    sa.UniqueConstraint('slug', name=op.f('uq_documents_slug'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_published_on'), ['published_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_publisher_id'), ['publisher_id'], unique=False)

    op.create_table('event_actors',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_event_actors_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_actors_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'actor_id', name=op.f('pk_event_actors'))
    )
    with op.batch_alter_table('event_actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_actors_actor_id'), ['actor_id'], unique=False)

    op.create_table('event_areas',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['policy_areas.id'], name=op.f('fk_event_areas_area_id_policy_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_areas_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'area_id', name=op.f('pk_event_areas'))
    )
    with op.batch_alter_table('event_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_areas_area_id'), ['area_id'], unique=False)

    op.create_table('event_initiatives',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_initiatives_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_event_initiatives_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'initiative_id', name=op.f('pk_event_initiatives'))
    )
    with op.batch_alter_table('event_initiatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_initiatives_initiative_id'), ['initiative_id'], unique=False)

    op.create_table('initiative_areas',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['policy_areas.id'], name=op.f('fk_initiative_areas_area_id_policy_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_areas_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('initiative_id', 'area_id', name=op.f('pk_initiative_areas'))
    )
    with op.batch_alter_table('initiative_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_areas_area_id'), ['area_id'], unique=False)

    op.create_table('initiative_participants',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_initiative_participants_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_participants_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('initiative_id', 'actor_id', 'role', name=op.f('pk_initiative_participants'))
    )
    with op.batch_alter_table('initiative_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_participants_actor_id'), ['actor_id'], unique=False)

    op.create_table('document_authors',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_document_authors_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_authors_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'actor_id', name=op.f('pk_document_authors'))
    )
    with op.batch_alter_table('document_authors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_authors_actor_id'), ['actor_id'], unique=False)

    op.create_table('names',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('acronym', 'expansion', 'alias', 'former')", name=op.f('ck_names_kind')),
    sa.CheckConstraint('(actor_id IS NULL) <> (initiative_id IS NULL)', name=op.f('ck_names_one_owner')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_names_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_names_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_names_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_names'))
    )
    with op.batch_alter_table('names', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_names_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_names_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_names_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_names_name'), ['name'], unique=False)

    op.create_table('statistics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('value_high', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('approximation', sa.String(length=12), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('population', sa.String(length=300), nullable=True),
    sa.Column('population_actor_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_precision', sa.String(length=10), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('origin_document_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.CheckConstraint("approximation IN ('exact', 'about', 'nearly', 'over', 'under', 'at-least', 'up-to')", name=op.f('ck_statistics_approximation')),
    sa.CheckConstraint("period_precision IN ('day', 'month', 'year', 'decade', 'unknown')", name=op.f('ck_statistics_period_precision')),
    sa.ForeignKeyConstraint(['metric_id'], ['metrics.id'], name=op.f('fk_statistics_metric_id_metrics')),
    sa.ForeignKeyConstraint(['origin_document_id'], ['documents.id'], name=op.f('fk_statistics_origin_document_id_documents')),
    sa.ForeignKeyConstraint(['population_actor_id'], ['actors.id'], name=op.f('fk_statistics_population_actor_id_actors')),
    sa.ForeignKeyConstraint(['subject_id'], ['actors.id'], name=op.f('fk_statistics_subject_id_actors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistics')),
    sa.UniqueConstraint('slug', name=op.f('uq_statistics_slug'))
    )
    with op.batch_alter_table('statistics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statistics_metric_id'), ['metric_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statistics_origin_document_id'), ['origin_document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statistics_population_actor_id'), ['population_actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statistics_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statistics_unit'), ['unit'], unique=False)

    op.create_table('citations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('statistic_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('char_start', sa.Integer(), nullable=True),
    sa.Column('char_end', sa.Integer(), nullable=True),
    sa.Column('reported_as', sa.String(length=500), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('(CASE WHEN claim_id IS NULL THEN 0 ELSE 1 END + CASE WHEN statistic_id IS NULL THEN 0 ELSE 1 END + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END + CASE WHEN initiative_id IS NULL THEN 0 ELSE 1 END + CASE WHEN actor_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_citations_one_subject')),
    sa.CheckConstraint('char_start IS NULL OR (char_end IS NOT NULL AND 0 <= char_start AND char_start <= char_end)', name=op.f('ck_citations_span_ordered')),
    sa.CheckConstraint('paragraph IS NULL OR paragraph >= 1', name=op.f('ck_citations_paragraph_positive')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_citations_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_citations_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_citations_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_citations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_citations_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statistic_id'], ['statistics.id'], name=op.f('fk_citations_statistic_id_statistics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citations'))
    )
    with op.batch_alter_table('citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citations_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_statistic_id'), ['statistic_id'], unique=False)

    op.create_table('statistic_areas',
    sa.Column('statistic_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['policy_areas.id'], name=op.f('fk_statistic_areas_area_id_policy_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statistic_id'], ['statistics.id'], name=op.f('fk_statistic_areas_statistic_id_statistics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statistic_id', 'area_id', name=op.f('pk_statistic_areas'))
    )
    with op.batch_alter_table('statistic_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statistic_areas_area_id'), ['area_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('statistic_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statistic_areas_area_id'))

    op.drop_table('statistic_areas')
    with op.batch_alter_table('citations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citations_statistic_id'))
        batch_op.drop_index(batch_op.f('ix_citations_initiative_id'))
        batch_op.drop_index(batch_op.f('ix_citations_event_id'))
        batch_op.drop_index(batch_op.f('ix_citations_document_id'))
        batch_op.drop_index(batch_op.f('ix_citations_claim_id'))
        batch_op.drop_index(batch_op.f('ix_citations_actor_id'))

    op.drop_table('citations')
    with op.batch_alter_table('statistics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statistics_unit'))
        batch_op.drop_index(batch_op.f('ix_statistics_subject_id'))
        batch_op.drop_index(batch_op.f('ix_statistics_population_actor_id'))
        batch_op.drop_index(batch_op.f('ix_statistics_origin_document_id'))
        batch_op.drop_index(batch_op.f('ix_statistics_metric_id'))

    op.drop_table('statistics')
    with op.batch_alter_table('names', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_names_name'))
        batch_op.drop_index(batch_op.f('ix_names_initiative_id'))
        batch_op.drop_index(batch_op.f('ix_names_document_id'))
        batch_op.drop_index(batch_op.f('ix_names_actor_id'))

    op.drop_table('names')
    with op.batch_alter_table('document_authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_authors_actor_id'))

    op.drop_table('document_authors')
    with op.batch_alter_table('initiative_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_participants_actor_id'))

    op.drop_table('initiative_participants')
    with op.batch_alter_table('initiative_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_areas_area_id'))

    op.drop_table('initiative_areas')
    with op.batch_alter_table('event_initiatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_initiatives_initiative_id'))

    op.drop_table('event_initiatives')
    with op.batch_alter_table('event_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_areas_area_id'))

    op.drop_table('event_areas')
    with op.batch_alter_table('event_actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_actors_actor_id'))

    op.drop_table('event_actors')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_publisher_id'))
        batch_op.drop_index(batch_op.f('ix_documents_published_on'))
        batch_op.drop_index(batch_op.f('ix_documents_kind'))

    op.drop_table('documents')
    with op.batch_alter_table('claim_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_relations_to_claim_id'))

    op.drop_table('claim_relations')
    with op.batch_alter_table('claim_initiatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_initiatives_initiative_id'))

    op.drop_table('claim_initiatives')
    with op.batch_alter_table('claim_holders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_holders_actor_id'))

    op.drop_table('claim_holders')
    with op.batch_alter_table('claim_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_areas_area_id'))

    op.drop_table('claim_areas')
    with op.batch_alter_table('claim_actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_actors_actor_id'))

    op.drop_table('claim_actors')
    with op.batch_alter_table('actor_affiliations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_affiliations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_actor_affiliations_actor_id'))

    op.drop_table('actor_affiliations')
    with op.batch_alter_table('policy_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_areas_parent_id'))

    op.drop_table('policy_areas')
    op.drop_table('metrics')
    op.drop_table('kb_meta')
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiatives_status'))
        batch_op.drop_index(batch_op.f('ix_initiatives_kind'))
        batch_op.drop_index(batch_op.f('ix_initiatives_acronym'))

    op.drop_table('initiatives')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_events_kind'))

    op.drop_table('events')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_kind'))

    op.drop_table('claims')
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actors_kind'))
        batch_op.drop_index(batch_op.f('ix_actors_country_id'))

    op.drop_table('actors')
