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


READ_ONLY = "aj_read_only"  # engine execution option: why the database is open read-only
# SQLite URL options aj understands (SQLite's own URI parameters): open read-only, and
# trust that nobody changes the file (no locking: for copies on read-only media).
SQLITE_URL_OPTIONS = {"mode": ("ro",), "immutable": ("1",)}


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


def _parse(url: str) -> Any:
    """The URL parsed (postgres:// read as postgresql://, which is how many hosts and tools
    write it), or one clear line saying why it is not a database URL."""
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
        if parsed.port is not None and not 0 < parsed.port < 65536:  # a port that is no number fails here too
            raise ValueError(f"port {parsed.port} is out of range")
    except (ArgumentError, ValueError, TypeError) as exc:
        raise DatabaseError(f"not a database URL: {_hide_password(url)!r} ({_first_line(exc)})") from None
    if parsed.drivername.split("+")[0] == "postgres":
        parsed = parsed.set(drivername="postgresql" + parsed.drivername[len("postgres"):])
    return parsed


def _hide_password(url: str) -> str:
    import re

    return re.sub(r"(://[^/:@]*:)[^/@]*@", r"\1***@", url)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def make_engine(url: str, *, create_dir: bool = True, journal_mode: str = "WAL") -> Engine:
    """An engine for a SQLite file or a PostgreSQL database. A SQLite file that cannot be
    written (the file or its folder), or a URL with `?mode=ro`, is opened read-only: the
    engine then carries the READ_ONLY execution option and refuses write transactions."""
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, create_dir, journal_mode)
    if backend == "postgresql":
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        # psycopg 3 is the driver we install; plain postgresql:// would ask for psycopg2.
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=False)
        except ModuleNotFoundError as exc:
            from .install import install_command

            raise DatabaseError(f"PostgreSQL needs the {exc.name} driver, which this installation of aj lacks; "
                                f"add it with: {install_command('postgres')}") from None
        except NoSuchModuleError:
            raise DatabaseError(f"unknown PostgreSQL driver {parsed.get_driver_name()!r}: "
                                "use postgresql://USER@HOST/DATABASE") from None
        except (ArgumentError, ValueError, TypeError) as exc:
            raise DatabaseError(f"not a database URL: {_hide_password(str(url))!r} ({_first_line(exc)})") from None
    raise DatabaseError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")


def _sqlite_engine(parsed: Any, create_dir: bool, journal_mode: str) -> Engine:
    import os

    if parsed.drivername not in ("sqlite", "sqlite+pysqlite"):
        raise DatabaseError(f"unknown SQLite driver {parsed.get_driver_name()!r}: use sqlite:///PATH")
    for key, value in parsed.query.items():
        if key not in SQLITE_URL_OPTIONS or value not in SQLITE_URL_OPTIONS[key]:
            raise DatabaseError(f"database URL option {key}={value!r} is not understood: aj reads "
                                "?mode=ro (open read-only) and ?immutable=1 for SQLite")
    database = parsed.database
    path = Path(database) if database and database != ":memory:" else None
    read_only = None
    if parsed.query:
        read_only = "as the URL asks (" + "&".join(f"{k}={v}" for k, v in parsed.query.items()) + ")"
        if path is None or not path.is_file():
            raise DatabaseError(f"no database file at {str(path)!r} to open read-only")
    elif path is not None and path.is_file():
        read_only = _not_writable(path)
    if path is not None:
        from .files import protect

        protect(path)
    if path is not None and read_only is None and create_dir and not path.parent.is_dir():
        from .settings import default_database_path

        # The per-user directory is made on first use; a path the user typed whose folder
        # does not exist is more likely a typo than a wish for a new knowledge base.
        if path.resolve() != default_database_path().expanduser().resolve():
            raise DatabaseError(f"no folder {str(path.parent)!r} for the database file {path.name!r}: "
                                "check the path, or create the folder first")
        path.parent.mkdir(parents=True, exist_ok=True)
    if read_only is None:
        engine = create_engine(parsed.set(query={}), connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine, journal_mode)
        return engine
    import sqlite3
    from urllib.parse import quote

    assert path is not None
    options = dict(parsed.query) or {"mode": "ro"}
    # Without the -shm file and a folder to create it in, SQLite can read the file only as
    # immutable (no locks: fine for a read-only copy, which nobody writes).
    if "immutable" not in options and not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
        options["immutable"] = "1"
    uri = f"file:{quote(str(path.resolve()))}?" + "&".join(f"{k}={v}" for k, v in options.items())
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None))
    _configure_sqlite(engine, None)
    return engine.execution_options(**{READ_ONLY: read_only})


def _not_writable(path: Path) -> str | None:
    """Why a SQLite file can only be read, if it can: SQLite writes the file, and in WAL mode
    needs its folder to make the -wal and -shm files."""
    import os

    if not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(path.parent, os.W_OK):
        companions = [Path(f"{path}{s}") for s in ("-wal", "-shm")]
        if not all(c.exists() and os.access(c, os.W_OK) for c in companions):
            return "its folder is not writable"
    return None


def read_only(engine: Engine) -> str | None:
    """Why the engine's database is open read-only, or None when it can be written."""
    return engine.get_execution_options().get(READ_ONLY)


def _configure_sqlite(engine: Engine, journal_mode: str | None) -> None:
    # SQLAlchemy's documented pysqlite recipe: let SQLAlchemy emit BEGIN itself, so a
    # writer can say BEGIN IMMEDIATE and never fail with "database is locked" mid-way.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if journal_mode:  # a read-only database keeps the mode it has
            cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
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
def write_connection(engine: Engine, command: str | None = None) -> Iterator[Connection]:
    """A connection in a write transaction, committed on success, rolled back on error.
    Every write transaction is one change set of the history (history.py): `command` is what
    it records as the command (default: the command line the CLI is running)."""
    from .history import change_set

    refuse_if_read_only(engine)
    with engine.connect().execution_options(**{WRITE: True}) as conn:
        with conn.begin():
            _serialise_writers(conn)
            with change_set(conn, command):
                yield conn


def refuse_if_read_only(engine: Engine) -> None:
    why = read_only(engine)
    if why:
        raise DatabaseError(f"the database is open read-only ({why}): this command would change it, "
                            "and nothing was written")


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
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose every read sees one state of the database, whatever others write
    meanwhile: for exports and backups that read many tables. PostgreSQL: one REPEATABLE
    READ, READ ONLY transaction; SQLite: one read transaction (in WAL mode writers go on)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


@contextmanager
def read_session(engine: Engine) -> Iterator[Any]:
    """An ORM session, for code that navigates records (imported only when needed)."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        yield session


class TimeLimit(Exception):
    """A statement run under `time_limit` took longer than allowed (and was stopped)."""


@contextmanager
def time_limit(session: Any, milliseconds: int) -> Iterator[None]:
    """Stop the statements run inside after `milliseconds` (raising TimeLimit), leaving the
    session usable: for optional work such as a page's facet counts, which may give up on a
    large database rather than keep a reader waiting. SQLite: a progress handler; PostgreSQL:
    statement_timeout inside a savepoint (a cancelled statement aborts only the savepoint)."""
    import time

    from sqlalchemy.exc import OperationalError

    conn = session.connection()
    if conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        deadline = time.monotonic() + milliseconds / 1000
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 5_000)
        try:
            yield
        except OperationalError as error:
            if "interrupted" in str(error):
                raise TimeLimit(f"stopped after {milliseconds} ms") from None
            raise
        finally:
            raw.set_progress_handler(None, 0)
        return
    savepoint = conn.begin_nested()
    try:
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(milliseconds))}")  # 0 would be none
        yield
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        savepoint.commit()
    except OperationalError as error:
        savepoint.rollback()
        if "statement timeout" in str(error) or "canceling statement" in str(error):
            raise TimeLimit(f"stopped after {milliseconds} ms") from None
        raise
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
