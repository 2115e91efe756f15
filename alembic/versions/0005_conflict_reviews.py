"""Reviewed disagreements: marks that `aj conflicts --mark` leaves, keyed by stable keys.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:16:07.328211
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conflict_reviews',
    sa.Column('key', sa.String(length=400), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_conflict_reviews'))
    )


def downgrade() -> None:
    op.drop_table('conflict_reviews')
