"""Candidates say more of what extraction read: every place an unknown name occurs in its
document (one candidate per name), what the name names (person, organisation, place,
programme, publication, event, credit), a person's role, and how a date was read (against
the publication date, year unknown, a Japanese fiscal year, part of a decade).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("candidates", sa.Column("occurrences", sa.Text(), nullable=True))
    op.add_column("candidates", sa.Column("name_type", sa.String(length=20), nullable=True))
    op.add_column("candidates", sa.Column("role", sa.String(length=200), nullable=True))
    op.add_column("candidates", sa.Column("date_note", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_column("date_note")
        batch_op.drop_column("role")
        batch_op.drop_column("name_type")
        batch_op.drop_column("occurrences")
