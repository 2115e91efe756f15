"""Backups: a complete copy of the knowledge base as one SQLite file, checked after writing.

From SQLite, SQLite's online backup API copies the file page by page while others keep
reading and writing. From PostgreSQL, every table is copied row by row into a new SQLite
file with the same schema. Either way the copy is opened afterwards and must pass
`PRAGMA integrity_check` and `PRAGMA foreign_key_check`; `aj --db COPY ...` then works on it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, select

from .errors import AjError, UsageError

BATCH = 5000


def backup(engine: Engine, target: Path) -> dict[str, int]:
    """Write the copy; returns rows per table in it. Refuses to overwrite an existing file."""
    if target.exists():
        raise UsageError(f"{target}: exists already; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _copy_sqlite(engine, partial)
        else:
            _copy_tables(engine, partial)
        counts = verify(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.rename(target)
    return counts


def _copy_sqlite(engine: Engine, target: Path) -> None:
    with engine.connect() as conn:
        source = conn.connection.dbapi_connection
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()


def _copy_tables(engine: Engine, target: Path) -> None:
    from .db import make_engine
    from .migrate import SCHEMA_HEAD, schema_state
    from .models import Base

    with engine.connect() as conn:
        revision = schema_state(conn).revision
    if revision != SCHEMA_HEAD:
        raise AjError(f"the database is at revision {revision}, not {SCHEMA_HEAD}: run `aj db upgrade` before a backup")
    copy = make_engine(f"sqlite:///{target}")
    _create_schema(copy)
    with engine.connect() as src, copy.connect() as dst:
        # Rows arrive in table order, and self-references (an actor's country) in any order:
        # enforce foreign keys at the end (verify) rather than row by row.
        dst.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        with dst.begin():
            for table in reversed(Base.metadata.sorted_tables):
                dst.execute(table.delete())
            for table in Base.metadata.sorted_tables:
                rows = src.execution_options(stream_results=True, yield_per=BATCH).execute(select(table))
                for chunk in rows.partitions(BATCH):
                    dst.execute(table.insert(), [dict(r._mapping) for r in chunk])
            dst.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    copy.dispose()


def _create_schema(copy: Engine) -> None:
    """The current schema via the migrations (so FTS objects and alembic_version are right);
    the rows, kb_meta's included, come from the database backed up."""
    from .migrate import upgrade

    upgrade(copy, with_data=False)


def verify(path: Path) -> dict[str, int]:
    """Open a copy and check it; returns rows per table."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise AjError(f"{path}: the copy fails SQLite's integrity check: {result[0][0]}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise AjError(f"{path}: the copy has {len(broken)} broken reference(s), first in table {broken[0][0]}")
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%' ORDER BY name")]
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
    finally:
        conn.close()
