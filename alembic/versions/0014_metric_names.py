"""Metrics have other names, as actors and initiatives do: the words readers use for what
a figure measures ("trust" for the ISEAS confidence question). `names` gains a metric owner.

The names themselves come with the seed, loaded once the schema is at head. A downgrade
removes them and clears the seed's digest, so the next upgrade loads them again.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

_ONE_OF_THREE = ("(CASE WHEN actor_id IS NULL THEN 0 ELSE 1 END + CASE WHEN initiative_id IS NULL THEN 0 ELSE 1 END "
                 "+ CASE WHEN metric_id IS NULL THEN 0 ELSE 1 END) = 1")
_ONE_OF_TWO = "(actor_id IS NULL) <> (initiative_id IS NULL)"


def upgrade() -> None:
    with op.batch_alter_table("names", schema=None) as batch_op:
        batch_op.add_column(sa.Column("metric_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_names_metric_id"), ["metric_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_names_metric_id_metrics"), "metrics", ["metric_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.drop_constraint(batch_op.f("ck_names_one_owner"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_names_one_owner"), _ONE_OF_THREE)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM names WHERE metric_id IS NOT NULL"))
    with op.batch_alter_table("names", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_names_one_owner"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_names_one_owner"), _ONE_OF_TWO)
        batch_op.drop_constraint(batch_op.f("fk_names_metric_id_metrics"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_names_metric_id"))
        batch_op.drop_column("metric_id")
    op.execute(sa.text("DELETE FROM kb_meta WHERE key = 'seed_digest'"))
