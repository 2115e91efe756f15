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
SCHEMA_HEAD = "0015"


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
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    digest = None
    if inspector.has_table("kb_meta"):
        digest = conn.execute(text("SELECT value FROM kb_meta WHERE key = 'seed_digest'")).scalar()
    return SchemaState(revision, digest)


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


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with migration_connection(engine) as conn:
        command.downgrade(alembic_config(conn), revision)


def _refuse_unknown_revision(revision: str | None) -> None:
    if revision is not None and revision > SCHEMA_HEAD:
        raise DatabaseError(
            f"the database is at revision {revision}, newer than this version of aj ({SCHEMA_HEAD}): upgrade aj"
        )

