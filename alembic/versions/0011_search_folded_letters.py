"""Search entries hold folded lines for letters the tokenizers keep apart (Đ, Ø, ß,
full-width forms).

The entries are recomputed after the schema reaches head whenever the search index
version changes (aseanjapan.migrate.upgrade), so this revision changes nothing itself.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:20:00
"""

from __future__ import annotations

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
