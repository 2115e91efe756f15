"""Engines and sessions. SQLite gets foreign keys, WAL, a busy timeout, and write
transactions that take the write lock up front (BEGIN IMMEDIATE)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from .errors import DatabaseError

BUSY_TIMEOUT_MS = 30_000
WRITE = "aj_write"  # execution option: this transaction will write
# PostgreSQL writers take this transaction-scoped advisory lock first, so writes are
# serialised as on SQLite (BEGIN IMMEDIATE): slug and duplicate checks cannot race.
PG_WRITE_LOCK = 0x616A_6B62


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def shown_url(url: str) -> str:
    """A database as a person or a program names it: an SQLite file's plain path (what
    `datasette "$(aj db path)"` needs), otherwise the URL without its password."""
    path = sqlite_path(url) if is_sqlite(url) else None
    return str(path) if path is not None else make_url(url).render_as_string(hide_password=True)


def _normalise_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - sqlalchemy.exc.ArgumentError: make_engine reports it
        return url
    # postgres:// is how many hosts and tools write it; SQLAlchemy knows only postgresql://.
    if parsed.drivername.split("+")[0] == "postgres":
        parsed = parsed.set(drivername="postgresql" + parsed.drivername[len("postgres"):])
    # psycopg 3 is the driver we install; plain postgresql:// would ask for psycopg2.
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, create_dir: bool = True) -> Engine:
    url = _normalise_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError
        raise DatabaseError(f"not a database URL: {url!r} ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None and create_dir and not path.parent.is_dir():
            from .settings import default_database_path

            # The per-user directory is made on first use; a path the user typed whose folder
            # does not exist is more likely a typo than a wish for a new knowledge base.
            if path != default_database_path().expanduser().resolve():
                raise DatabaseError(f"no folder {str(path.parent)!r} for the database file {path.name!r}: "
                                    "check the path, or create the folder first")
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        try:
            return create_engine(url, pool_pre_ping=False)
        except ModuleNotFoundError as exc:
            from .install import install_command

            raise DatabaseError(f"PostgreSQL needs the {exc.name} driver, which this installation of aj lacks; "
                                f"add it with: {install_command('postgres')}") from None
    raise DatabaseError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")


def _configure_sqlite(engine: Engine) -> None:
    # SQLAlchemy's documented pysqlite recipe: let SQLAlchemy emit BEGIN itself, so a
    # writer can say BEGIN IMMEDIATE and never fail with "database is locked" mid-way.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
        # SQLite's own lower() folds only ASCII: "Đông Á" would never equal "đông á", and
        # names, aliases and --contains would match on PostgreSQL but not here.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction, committed on success, rolled back on error."""
    with engine.connect().execution_options(**{WRITE: True}) as conn:
        with conn.begin():
            _serialise_writers(conn)
            yield conn


def _serialise_writers(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A write transaction for schema changes.

    On SQLite, foreign keys are switched off for it: rebuilding a table (Alembic's batch
    mode) drops the old one, which with enforcement on would cascade-delete every row that
    refers to it. Integrity is checked before committing instead.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # must happen outside any transaction, on the driver connection
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(**{WRITE: True}).begin():
                _serialise_writers(conn)
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(f"migration left {len(broken)} broken reference(s), first in table {broken[0][0]}; nothing was changed")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")


@contextmanager
def read_session(engine: Engine) -> Iterator[Any]:
    """An ORM session, for code that navigates records (imported only when needed)."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        yield session
