"""Names and titles stored as aj now reads them: NFC, without invisible or control
characters, single spaces. Before, a bundle could store "Ja\u200bpan" or an NFD spelling
beside "Japan", and no reader could tell the two apart. The search entries are recomputed
after the upgrade (the search index version changed with this revision).

The cleaning rule is written out here (a migration never imports aj's code), the same as
textnorm.clean_field's at this revision.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

NAME_COLUMNS = (("actors", "name"), ("initiatives", "name"), ("initiatives", "acronym"), ("metrics", "name"),
                ("policy_areas", "name"), ("documents", "title"), ("events", "title"), ("names", "name"))
_SPACE = re.compile(r"[\s\x00-\x1f]+")


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\t\n\r")
    return _SPACE.sub(" ", text).strip()


def upgrade() -> None:
    bind = op.get_bind()
    for table_name, column in NAME_COLUMNS:
        table = sa.table(table_name, sa.column("id"), sa.column(column))
        for row in bind.execute(sa.select(table)).all():
            old = getattr(row, column)
            if old is None:
                continue
            new = clean(old)
            if new != old and new:  # a name never becomes empty: such a one is left as it was
                bind.execute(table.update().where(table.c.id == row.id).values({column: new}))


def downgrade() -> None:
    # Cleaned names stay clean: the invisible characters they lost carried no meaning.
    pass
