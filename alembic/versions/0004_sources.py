"""Sources added by users: byline, file name and time added on documents; extraction candidates.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:07:20.995977
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('context', sa.Text(), nullable=True),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('value_high', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=30), nullable=True),
    sa.Column('approximation', sa.String(length=12), nullable=True),
    sa.Column('counted', sa.String(length=200), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=10), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('acronym', sa.String(length=40), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=300), nullable=True),
    sa.CheckConstraint("kind IN ('statistic', 'actor', 'initiative', 'date', 'entity')", name=op.f('ck_candidates_kind')),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name=op.f('ck_candidates_status')),
    sa.CheckConstraint('0 <= char_start AND char_start <= char_end', name=op.f('ck_candidates_span_ordered')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_candidates_actor_id_actors'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_candidates_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_candidates_initiative_id_initiatives'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidates')),
    sa.UniqueConstraint('slug', name=op.f('uq_candidates_slug'))
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidates_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_status'), ['status'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('byline', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('source_name', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('added_at', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('added_at')
        batch_op.drop_column('source_name')
        batch_op.drop_column('byline')

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_status'))
        batch_op.drop_index(batch_op.f('ix_candidates_kind'))
        batch_op.drop_index(batch_op.f('ix_candidates_initiative_id'))
        batch_op.drop_index(batch_op.f('ix_candidates_document_id'))
        batch_op.drop_index(batch_op.f('ix_candidates_actor_id'))

    op.drop_table('candidates')
