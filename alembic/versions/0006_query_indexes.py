"""Query indexes for large knowledge bases: statistics by metric, subject and period.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 15:09:30.973974
"""

from __future__ import annotations

from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('statistics', schema=None) as batch_op:
        batch_op.create_index('ix_statistics_metric_subject_period', ['metric_id', 'subject_id', 'period_start', 'slug'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('statistics', schema=None) as batch_op:
        batch_op.drop_index('ix_statistics_metric_subject_period')

