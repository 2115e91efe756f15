"""Bringing a database to the code's schema and seed: checked cheaply, upgraded on demand.

`schema_state` reads `alembic_version` and the seed digest with plain SQL, so the check
that runs before every command does not import Alembic; only an upgrade does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text

from .db import migration_connection
from .errors import DatabaseError

# The newest migration in alembic/versions; tests assert it matches Alembic's own head.
SCHEMA_HEAD = "0016"


@dataclass(frozen=True)
class SchemaState:
    revision: str | None
    seed_digest: str | None

    @property
    def empty(self) -> bool:
        return self.revision is None


def schema_state(conn: Connection) -> SchemaState:
    # Look before reading: a failed SELECT would abort a PostgreSQL transaction.
    inspector = inspect(conn)
    if not inspector.has_table("alembic_version"):
        return SchemaState(None, None)
    revisions = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    revision = _checked_revision(revisions, inspector)
    digest = None
    if inspector.has_table("kb_meta"):
        digest = conn.execute(text("SELECT value FROM kb_meta WHERE key = 'seed_digest'")).scalar()
    return SchemaState(revision, digest)


def known_revisions() -> set[str]:
    """The revisions of the migrations this aj ships (from their file names: no Alembic import)."""
    from .settings import migrations_dir

    return {p.name.split("_", 1)[0] for p in (migrations_dir() / "versions").glob("[0-9]*_*.py")}


def _checked_revision(revisions: list[str], inspector) -> str | None:  # noqa: ANN001 - an Inspector
    """The one revision alembic_version holds, or one clear line on what is wrong with it."""
    if not revisions:
        if any(name in inspector.get_table_names() for name in ("documents", "claims", "actors")):
            raise DatabaseError("the database has knowledge-base tables but no schema revision (alembic_version is "
                                "empty): it is damaged, or was not made by aj; restore a backup")
        return None
    if len(revisions) > 1:
        raise DatabaseError(f"the database records {len(revisions)} schema revisions ({', '.join(map(repr, revisions))}); "
                            "aj keeps exactly one: it is damaged")
    revision = revisions[0]
    if revision in known_revisions():
        return revision
    if isinstance(revision, str) and revision.isdigit() and revision > SCHEMA_HEAD:
        return revision  # a newer aj's: refused with its own message
    from .textnorm import one_line

    raise DatabaseError(f"the database records schema revision {one_line(str(revision))!r}, which no version of aj "
                        "has: it is damaged, or was not made by aj")


def alembic_config(conn: Connection):  # noqa: ANN201 - alembic.config.Config, imported lazily
    from alembic.config import Config

    from .settings import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = conn
    config.attributes["configure_logger"] = False
    return config


def script_head() -> str:
    from alembic.script import ScriptDirectory

    from .settings import migrations_dir

    return ScriptDirectory(str(migrations_dir())).get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None, bool]:
    """Migrate (and refresh the seed when it changed); returns (before, after, seed_synced)."""
    from alembic import command

    from .loading.digest import seed_digest
    from .loading.seed import sync_seed

    with migration_connection(engine) as conn:
        before = schema_state(conn).revision
        _refuse_unknown_revision(before)
        command.upgrade(alembic_config(conn), revision)
        after = schema_state(conn)
        synced = False
        if after.revision == SCHEMA_HEAD and after.seed_digest != seed_digest():
            sync_seed(conn)
            synced = True
    return before, after.revision, synced


# Tables rebuilt from the others (search index, bookkeeping): not data a downgrade loses.
_DERIVED = ("alembic_version", "kb_meta", "search_entries", "search_fts", "sqlite_")
_WHAT = {"conflict_reviews": "reviewed disagreements", "candidates": "extraction candidates and review decisions",
         "names": "other names (aliases, expansions)", "citations": "citations"}


class _Rollback(Exception):
    """Ends a downgrade rehearsal: its transaction is rolled back."""


def downgrade_losses(engine: Engine, revision: str) -> list[str]:
    """What downgrading to `revision` would remove, found by rehearsing it in a transaction
    that is then rolled back: tables and columns dropped (with how many rows or values they
    hold) and rows deleted. Empty when nothing held is lost."""
    from alembic import command

    losses: list[str] = []
    try:
        with migration_connection(engine) as conn:
            before = _inventory(conn)
            command.downgrade(alembic_config(conn), revision)
            losses = _lost(before, _inventory(conn))
            raise _Rollback
    except _Rollback:
        pass
    return losses


def _inventory(conn: Connection) -> dict[str, dict[str, int]]:
    """Rows per table and non-empty values per column (key "*": rows), in one scan a table."""
    out = {}
    for table in inspect(conn).get_table_names():
        if table.startswith(_DERIVED):
            continue
        columns = [c["name"] for c in inspect(conn).get_columns(table)]
        counts = ", ".join(["count(*)"] + [f'count("{c}")' for c in columns])
        row = conn.execute(text(f'SELECT {counts} FROM "{table}"')).one()
        out[table] = {"*": row[0], **dict(zip(columns, row[1:]))}
    return out


def _lost(before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> list[str]:
    losses = []
    for table, counts in before.items():
        what = f" ({_WHAT[table]})" if table in _WHAT else ""
        if table not in after:
            if counts["*"]:
                losses.append(f"table {table}: {_rows(counts['*'])}{what}")
            continue
        if counts["*"] > after[table]["*"]:
            losses.append(f"{_rows(counts['*'] - after[table]['*'])} of {table}{what}")
        for column, values in counts.items():
            if column != "*" and column not in after[table] and values:
                losses.append(f"column {table}.{column}: {values:,} value{'s' if values != 1 else ''}")
    return losses


def _rows(n: int) -> str:
    return f"{n:,} row{'s' if n != 1 else ''}"


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with migration_connection(engine) as conn:
        command.downgrade(alembic_config(conn), revision)


def _refuse_unknown_revision(revision: str | None) -> None:
    if revision is not None and revision > SCHEMA_HEAD:
        raise DatabaseError(
            f"the database is at revision {revision}, newer than this version of aj ({SCHEMA_HEAD}): upgrade aj"
        )

