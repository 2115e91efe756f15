"""End dates keep their own precision: an event from 2024-03-15 to 2024-04, a period from
the 2010s to 2023. Ends stored before this revision get the start's precision where their
date allows it, else the coarsest one it allows.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

from datetime import date

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
    # Ends stored before were the first day of their period: the start's precision where
    # that day allows it, else the coarsest precision the day does allow ("2010s" to
    # 2023-01-01 was "2023", not "2023s").
    bind = op.get_bind()
    for table, end, start_precision, column in (("events", "ended_on", "date_precision", "end_precision"),
                                                ("statistics", "period_end", "period_precision", "period_end_precision")):
        rows = bind.execute(sa.text(f"SELECT id, {end}, {start_precision} FROM {table} WHERE {end} IS NOT NULL")).all()
        for id_, value, precision in rows:
            bind.execute(sa.text(f"UPDATE {table} SET {column} = :p WHERE id = :id"),
                         {"p": _own_precision(_as_date(value), precision), "id": id_})


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _own_precision(end: date, start_precision: str) -> str:
    fits = {"day": True, "month": end.day == 1, "year": (end.month, end.day) == (1, 1),
            "decade": (end.month, end.day) == (1, 1) and end.year % 10 == 0}
    order = ["decade", "year", "month", "day"]
    first = order.index(start_precision) if start_precision in order else 1
    return next(p for p in order[first:] if fits[p])


def downgrade() -> None:
    with op.batch_alter_table("statistics", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_statistics_period_end_precision"), type_="check")
        batch_op.drop_column("period_end_precision")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_events_end_precision"), type_="check")
        batch_op.drop_column("end_precision")
