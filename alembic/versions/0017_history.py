"""History: every write is a change set (when, who, which command) with each touched row's
before and after state, so it can be shown and undone.

`change_capture` is scratch space inside one write transaction: rows are copied there as
they change, and turned into `change_records` before the transaction commits. On
PostgreSQL one trigger function fills it for every table, doing nothing unless the
transaction has set `aj.change_set`; SQLite has no session variables, so aj creates
temporary triggers for the length of each change set instead (nothing is made here).

Rows written before this revision (the seed, earlier loads) are the baseline: they have
no change set, and undo never goes behind them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

HISTORY_TABLES = ("change_sets", "change_records", "change_capture")
# Derived or bookkeeping tables whose rows are not history.
NOT_RECORDED = {"alembic_version", "search_entries", *HISTORY_TABLES}

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION aj_history_capture() RETURNS trigger AS $$
DECLARE
    change_set text := current_setting('aj.change_set', true);
BEGIN
    IF change_set IS NULL OR change_set = '' THEN
        RETURN NULL;
    END IF;
    INSERT INTO change_capture (change_set_id, table_name, old_row, new_row) VALUES (
        change_set::integer, TG_TABLE_NAME,
        CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD)::text END,
        CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW)::text END);
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "change_sets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("made_at", sa.DateTime, nullable=False),
        sa.Column("os_user", sa.String(200), nullable=False),
        sa.Column("command", sa.Text, nullable=False),
        sa.Column("undoes_id", sa.Integer, sa.ForeignKey("change_sets.id", name="fk_change_sets_undoes_id_change_sets"),
                  nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_change_sets"),
    )
    op.create_index("ix_change_sets_undoes_id", "change_sets", ["undoes_id"])
    op.create_table(
        "change_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("change_set_id", sa.Integer,
                  sa.ForeignKey("change_sets.id", ondelete="CASCADE", name="fk_change_records_change_set_id_change_sets"),
                  nullable=False),
        sa.Column("table_name", sa.String(80), nullable=False),
        sa.Column("record_key", sa.Text, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.String(500), nullable=False),
        sa.Column("refs", sa.Text, nullable=False),
        sa.Column("row_id", sa.Integer),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_change_records"),
    )
    op.create_index("ix_change_records_change_set_id", "change_records", ["change_set_id"])
    op.create_index("ix_change_records_key_hash", "change_records", ["key_hash"])
    op.create_table(
        "change_capture",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("change_set_id", sa.Integer, nullable=False),
        sa.Column("table_name", sa.String(80), nullable=False),
        sa.Column("old_row", sa.Text),
        sa.Column("new_row", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_change_capture"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for name in sorted(set(sa.inspect(bind).get_table_names()) - NOT_RECORDED):
            op.execute(f'CREATE TRIGGER aj_history AFTER INSERT OR UPDATE OR DELETE ON "{name}" '
                       "FOR EACH ROW EXECUTE FUNCTION aj_history_capture()")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in sorted(set(sa.inspect(bind).get_table_names()) - NOT_RECORDED):
            op.execute(f'DROP TRIGGER IF EXISTS aj_history ON "{name}"')
        op.execute("DROP FUNCTION IF EXISTS aj_history_capture()")
    op.drop_table("change_capture")
    op.drop_index("ix_change_records_key_hash", table_name="change_records")
    op.drop_index("ix_change_records_change_set_id", table_name="change_records")
    op.drop_table("change_records")
    op.drop_index("ix_change_sets_undoes_id", table_name="change_sets")
    op.drop_table("change_sets")
