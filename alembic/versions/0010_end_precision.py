"""End dates keep their own precision: an event from 2024-03-15 to 2024-04, a period from
the 2010s to 2023. Ends stored before this revision had the start's precision; they keep it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_PRECISIONS = "('day', 'month', 'year', 'decade')"


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("end_precision", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(op.f("ck_events_end_precision"), f"end_precision IN {_PRECISIONS}")
    with op.batch_alter_table("statistics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_end_precision", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(op.f("ck_statistics_period_end_precision"),
                                         f"period_end_precision IN {_PRECISIONS}")
    op.execute("UPDATE events SET end_precision = date_precision "
               "WHERE ended_on IS NOT NULL AND date_precision <> 'unknown'")
    op.execute("UPDATE statistics SET period_end_precision = period_precision "
               "WHERE period_end IS NOT NULL AND period_precision <> 'unknown'")


def downgrade() -> None:
    with op.batch_alter_table("statistics", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_statistics_period_end_precision"), type_="check")
        batch_op.drop_column("period_end_precision")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_events_end_precision"), type_="check")
        batch_op.drop_column("end_precision")
