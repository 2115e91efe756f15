"""Search entries without policy-area names (areas are a filter, not searchable text).

The entries are recomputed after the schema reaches head whenever the search index
version changes (aseanjapan.migrate.upgrade), so this revision changes nothing itself.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
