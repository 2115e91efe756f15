"""Search entries hold folded lines for letters the tokenizers keep apart (Đ, Ø, ß,
full-width forms): reindex the records whose text has them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:20:00
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from aseanjapan.loading.seed import reflect
from aseanjapan.search import LETTER_FOLDS, index_records

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_FOLDED = {chr(code) for code in LETTER_FOLDS}


def upgrade() -> None:
    # Only entries with such a letter change; reading every entry once is cheaper than
    # recomputing them all.
    conn = op.get_bind()
    wanted: dict[str, list[int]] = defaultdict(list)
    last = 0
    while True:  # a page at a time: entries can hold whole documents
        rows = conn.execute(sa.text("SELECT id, kind, record_id, title, body FROM search_entries "
                                    "WHERE id > :last ORDER BY id LIMIT 2000"), {"last": last}).all()
        if not rows:
            break
        last = rows[-1].id
        for row in rows:
            if not _FOLDED.isdisjoint(row.title) or not _FOLDED.isdisjoint(row.body or ""):
                wanted[row.kind].append(row.record_id)
    if wanted:
        tables = reflect(conn)
        for kind, ids in wanted.items():
            index_records(conn, tables, kind, ids)


def downgrade() -> None:
    # The folded lines are more searchable text; older revisions read them as such.
    pass
