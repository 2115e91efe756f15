"""Names and titles stored as aj now reads them: NFC, without invisible or control
characters, single spaces. Before, a bundle could store "Ja\u200bpan" or an NFD spelling
beside "Japan", and no reader could tell the two apart. Their search entries follow.

The cleaning rule is written out here (a migration never imports aj's code), the same as
textnorm.clean_field's at this revision.

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None

# (table, column, the search entry kind of its record, the column naming that record)
NAME_COLUMNS = (
    ("actors", "name", "actor", "id"),
    ("initiatives", "name", "initiative", "id"),
    ("initiatives", "acronym", "initiative", "id"),
    ("metrics", "name", None, None),
    ("policy_areas", "name", None, None),
    ("documents", "title", "document", "id"),
    ("events", "title", "event", "id"),
    ("names", "name", None, None),  # an other name: its owner's entry, below
)
_SPACE = re.compile(r"[\s\x00-\x1f]+")


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\t\n\r")
    return _SPACE.sub(" ", text).strip()


def upgrade() -> None:
    bind = op.get_bind()
    entries = sa.table("search_entries", sa.column("kind"), sa.column("record_id"), sa.column("title"), sa.column("body"))
    for table_name, column, kind, _ in NAME_COLUMNS:
        extra = [sa.column("actor_id"), sa.column("initiative_id")] if table_name == "names" else []
        table = sa.table(table_name, sa.column("id"), sa.column(column), *extra)
        for row in bind.execute(sa.select(table)).all():
            old = getattr(row, column)
            if old is None or old.isascii() and old == _SPACE.sub(" ", old).strip():
                continue
            new = clean(old)
            if new == old or not new:  # a name never becomes empty: such a one is left as it was
                continue
            bind.execute(table.update().where(table.c.id == row.id).values({column: new}))
            owners = [(kind, row.id)] if kind else []
            if table_name == "names":
                owners = [("actor", row.actor_id)] if row.actor_id else [("initiative", row.initiative_id)]
            for owner_kind, owner_id in owners:
                for entry in bind.execute(sa.select(entries.c.title, entries.c.body).where(
                        entries.c.kind == owner_kind, entries.c.record_id == owner_id)).all():
                    bind.execute(entries.update().where(entries.c.kind == owner_kind, entries.c.record_id == owner_id)
                                 .values(title=entry.title.replace(old, new), body=entry.body.replace(old, new)))


def downgrade() -> None:
    # Cleaned names stay clean: the invisible characters they lost carried no meaning.
    pass
