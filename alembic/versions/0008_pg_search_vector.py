"""PostgreSQL: keep each search entry's tsvector in a stored, generated column, so ranking
reads it instead of recomputing it from the text for every match. SQLite is unchanged.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The tsvector of migration 0003, as it was (0009 replaces it).
PG_VECTOR = ("setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
             "setweight(to_tsvector('english', coalesce(body, '')), 'B')")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_entries_tsvector")
    op.execute(f"ALTER TABLE search_entries ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) STORED")
    op.execute("CREATE INDEX ix_search_entries_search_vector ON search_entries USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_entries_search_vector")
    op.execute("ALTER TABLE search_entries DROP COLUMN search_vector")
    op.execute(f"CREATE INDEX ix_search_entries_tsvector ON search_entries USING gin (({PG_VECTOR}))")
