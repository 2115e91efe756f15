"""Bringing a database to the code's schema, seed and search index: checked cheaply, upgraded on demand.

Three things make a knowledge base current, each recorded in the database:
- the schema, by Alembic's migrations (`alembic_version`); migrations are history and
  never call application code;
- the curated seed data (`data/seed`), loaded through the bundle loader once the schema is
  at head, and reloaded when its digest (kb_meta `seed_digest`) differs from the code's;
- the search entries, recomputed once the schema is at head when the index version
  (kb_meta `search_index_version`) differs from the code's `SEARCH_INDEX_VERSION`;
- the read-only views for Datasette and other tools (`views.py`), dropped before any
  migration runs and created again at head, or when kb_meta's `views_version` differs.

`schema_state` reads all three with plain SQL, so the check that runs before every command
does not import Alembic; only an upgrade does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text

from .db import is_sqlite, migration_connection, sqlite_path
from .errors import DatabaseError
from .loading.digest import SEED_DIGEST_KEY

# The newest migration in alembic/versions; tests assert it matches Alembic's own head.
SCHEMA_HEAD = "0018"
SEARCH_INDEX_KEY = "search_index_version"
VIEWS_KEY = "views_version"


@dataclass(frozen=True)
class SchemaState:
    revision: str | None
    seed_digest: str | None
    search_index_version: str | None = None
    views_version: str | None = None

    @property
    def empty(self) -> bool:
        return self.revision is None


@dataclass(frozen=True)
class Upgraded:
    before: str | None
    after: str | None
    seed_synced: bool
    reindexed: bool


def schema_state(conn: Connection) -> SchemaState:
    # Look before reading: a failed SELECT would abort a PostgreSQL transaction.
    inspector = inspect(conn)
    if not inspector.has_table("alembic_version"):
        return SchemaState(None, None)
    revisions = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    revision = _checked_revision(revisions, inspector)
    meta: dict[str, str] = {}
    if inspector.has_table("kb_meta"):
        meta = dict(conn.execute(text("SELECT key, value FROM kb_meta WHERE key IN (:seed, :index, :views)"),
                                 {"seed": SEED_DIGEST_KEY, "index": SEARCH_INDEX_KEY, "views": VIEWS_KEY}).all())
    return SchemaState(revision, meta.get(SEED_DIGEST_KEY), meta.get(SEARCH_INDEX_KEY), meta.get(VIEWS_KEY))


def is_current(state: SchemaState) -> bool:
    from .loading.digest import seed_digest
    from .search_index import SEARCH_INDEX_VERSION
    from .views import VIEWS_VERSION

    return (state.revision == SCHEMA_HEAD and state.seed_digest == seed_digest()
            and state.search_index_version == SEARCH_INDEX_VERSION and state.views_version == VIEWS_VERSION)


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


def upgrade(engine: Engine, revision: str = "head", *, with_data: bool = True) -> Upgraded:
    """Migrate; at head, create the views and bring the seed data and the search index up
    to date (unless `with_data` is false: an empty schema, as a backup copy needs). One
    transaction."""
    from alembic import command

    from .views import VIEWS_VERSION, create_views, drop_views

    with migration_connection(engine) as conn:
        before = schema_state(conn)
        _refuse_unknown_revision(before.revision)
        migrating = before.revision != SCHEMA_HEAD or revision != "head"
        if migrating:
            drop_views(conn)
            command.upgrade(alembic_config(conn), revision)
        after = schema_state(conn)
        synced = reindexed = False
        if after.revision == SCHEMA_HEAD:
            if migrating or after.views_version != VIEWS_VERSION:
                create_views(conn)
            if with_data:
                synced, reindexed = _refresh_data(conn, after)
    return Upgraded(before.revision, after.revision, synced, reindexed)


def _refresh_data(conn: Connection, state: SchemaState) -> tuple[bool, bool]:
    from .loading.digest import seed_digest
    from .loading.seed import reflect, set_meta, sync_seed
    from .search_index import SEARCH_INDEX_VERSION, rebuild
    from .views import VIEWS_VERSION

    tables = reflect(conn)
    synced = state.seed_digest != seed_digest()
    if synced:
        sync_seed(conn, tables)
    reindexed = state.search_index_version != SEARCH_INDEX_VERSION
    if reindexed:
        rebuild(conn, tables)
        set_meta(conn, tables["kb_meta"], SEARCH_INDEX_KEY, SEARCH_INDEX_VERSION)
    if state.views_version != VIEWS_VERSION:
        set_meta(conn, tables["kb_meta"], VIEWS_KEY, VIEWS_VERSION)
    return synced, reindexed


# Tables rebuilt from the others (search index, bookkeeping): not data a downgrade loses.
_DERIVED = ("alembic_version", "kb_meta", "search_entries", "search_fts", "sqlite_", "change_capture")
_WHAT = {"conflict_reviews": "reviewed disagreements", "candidates": "extraction candidates and review decisions",
         "names": "other names (aliases, expansions)", "citations": "citations",
         "change_sets": "history: change sets (aj history)", "change_records": "history: changed rows",
         "document_defaults": "per-document review defaults", "document_default_areas": "per-document default areas"}


class _Rollback(Exception):
    """Ends a downgrade rehearsal: its transaction is rolled back."""


def downgrade_losses(engine: Engine, revision: str) -> list[str]:
    """What downgrading to `revision` would remove, found by rehearsing it in a transaction
    that is then rolled back: tables and columns dropped (with how many rows or values they
    hold) and rows deleted. Empty when nothing held is lost."""
    from alembic import command

    from .views import drop_views

    losses: list[str] = []
    try:
        with migration_connection(engine) as conn:
            before = _inventory(conn)
            drop_views(conn)
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
    """Migrate down. The views go first (they read tables the migrations change); the search
    entries were computed for the newer schema: the next upgrade recomputes both."""
    from alembic import command

    from .views import drop_views

    with migration_connection(engine) as conn:
        drop_views(conn)
        command.downgrade(alembic_config(conn), revision)
        if inspect(conn).has_table("kb_meta"):
            conn.execute(text("DELETE FROM kb_meta WHERE key IN (:index, :views)"),
                         {"index": SEARCH_INDEX_KEY, "views": VIEWS_KEY})


def ensure_ready(engine: Engine, notify: Callable[[str], None] = lambda _message: None) -> None:
    """Make a knowledge base usable: create or upgrade an embedded SQLite database (saying
    so through `notify`); a PostgreSQL database is only checked, and `aj db upgrade` asked
    for, since a shared server is migrated deliberately."""
    from .db import read_only

    url = engine.url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        current = schema_state(conn)
    if is_current(current):
        return
    _refuse_unknown_revision(current.revision)
    why = read_only(engine)
    if why and current.revision == SCHEMA_HEAD:
        notify("note: the seed data or search index changed since this database was loaded; it is read-only, "
               "so it stays as it is")
        return
    if why:
        raise DatabaseError(f"the database is at revision {current.revision or 'none (empty)'}, this aj needs "
                            f"{SCHEMA_HEAD}, and it is open read-only ({why}): upgrade a writable copy")
    if is_sqlite(url):
        where = sqlite_path(url) or "memory"
        if current.empty:
            notify(f"Creating the knowledge base at {where} ...")
        elif current.revision != SCHEMA_HEAD:
            notify(f"Upgrading the knowledge base at {where} from revision {current.revision} to {SCHEMA_HEAD} ...")
        else:
            notify(f"Refreshing the seed data and search index in {where} ...")
        upgrade(engine)
        return
    if current.empty:
        raise DatabaseError("the database has no knowledge base yet: run `aj db upgrade` to create it")
    if current.revision != SCHEMA_HEAD:
        raise DatabaseError(
            f"the database is at revision {current.revision}, this aj expects {SCHEMA_HEAD}: run `aj db upgrade`"
        )
    notify("note: the seed data or search index changed since this database was loaded; `aj db upgrade` refreshes them")


def _refuse_unknown_revision(revision: str | None) -> None:
    if revision is not None and revision > SCHEMA_HEAD:
        raise DatabaseError(
            f"the database is at revision {revision}, newer than this version of aj ({SCHEMA_HEAD}): upgrade aj"
        )
