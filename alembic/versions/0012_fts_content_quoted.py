"""SQLite: declare the FTS5 index with `content="search_entries"` (double quotes), the
spelling Datasette and sqlite-utils look for to find a table's full-text index; with
single quotes their search boxes and `sqlite-utils search` ignored it. The index is
recreated with its triggers and rebuilt from search_entries. PostgreSQL is unchanged.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 11:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TRIGGERS = ("search_entries_ai", "search_entries_ad", "search_entries_au")


def _fts(content_option: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE search_fts USING fts5(title, body, {content_option}, content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
        "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
        "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
        "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
        "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


def _recreate(content_option: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_fts")
    for statement in _fts(content_option):
        op.execute(statement)


def upgrade() -> None:
    _recreate('content="search_entries"')


def downgrade() -> None:
    _recreate("content='search_entries'")
