"""Search entries without policy-area names (areas are a filter, not searchable text): rebuild.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from aseanjapan.loading.seed import reflect
from aseanjapan.search import rebuild

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    rebuild(conn, reflect(conn))


def downgrade() -> None:
    # The older entries only added area names; the rebuilt ones serve that revision too.
    pass
