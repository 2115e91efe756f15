"""Load the curated seed data (data/seed) into the new schema.

The loader writes through tables reflected from the database at this revision, not the
ORM models, so this migration keeps working as the models change. Downgrading empties
the knowledge base's tables (seed and anything added since): the data can be rebuilt
by upgrading again, user additions by re-loading their exported bundles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aseanjapan.loading.seed import reflect, sync_seed

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sync_seed(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    tables = reflect(conn)
    metadata = sa.MetaData()
    for table in tables.values():
        table.to_metadata(metadata)
    # Children before parents, so foreign keys never block a delete.
    for table in reversed(metadata.sorted_tables):
        if table.name != "alembic_version":
            conn.execute(table.delete())
