"""Formerly loaded the curated seed data; seeding now runs after the schema reaches head.

Loading the seed through the application's loader made this migration's result depend on
whatever the loader did at the time it ran. `aseanjapan.migrate.upgrade` now loads (and
refreshes) the seed once the schema is at head, keyed by the seed's digest in kb_meta, so
this revision only marks where that used to happen. Downgrading still empties the
knowledge base's tables (seed and anything added since): the data can be rebuilt by
upgrading again, user additions by re-loading their exported bundles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    conn = op.get_bind()
    metadata = sa.MetaData()
    metadata.reflect(bind=conn)
    # Children before parents, so foreign keys never block a delete.
    for table in reversed(metadata.sorted_tables):
        if table.name != "alembic_version":
            conn.execute(table.delete())
