"""Fixtures: every test gets its own freshly seeded database, never the user's.

The backend is SQLite unless AJ_TEST_POSTGRES_URL names a PostgreSQL server (any
database on it; tests create and drop their own). A migrated and seeded template is
built once per session and copied for each test (a file copy on SQLite,
CREATE DATABASE ... TEMPLATE on PostgreSQL).
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from aseanjapan.db import make_engine

POSTGRES_ENV = "AJ_TEST_POSTGRES_URL"
_counter = itertools.count()


def postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return None
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


BACKEND = "postgresql" if postgres_admin_url() else "sqlite"


def pytest_report_header(config):  # noqa: ANN001, ARG001
    return f"aj test backend: {BACKEND}" + (f" ({os.environ[POSTGRES_ENV]})" if BACKEND == "postgresql" else "")


def pytest_collection_modifyitems(config, items):  # noqa: ANN001, ARG001
    for item in items:
        if "sqlite_only" in item.keywords and BACKEND != "sqlite":
            item.add_marker(pytest.mark.skip(reason="SQLite-specific behaviour"))


class Server:
    """Creates and drops databases on the PostgreSQL server under test."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            with self.admin.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001
            # Under CI an unreachable server is a failure, never a skip.
            pytest.fail(f"PostgreSQL at {os.environ[POSTGRES_ENV]} is unreachable: {exc}", pytrace=False)

    def url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        return self.url(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def server() -> Iterator[Server | None]:
    admin = postgres_admin_url()
    if not admin:
        yield None
        return
    srv = Server(admin)
    yield srv
    srv.admin.dispose()


@pytest.fixture(scope="session")
def session_tag() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def template_url(server: Server | None, tmp_path_factory: pytest.TempPathFactory, session_tag: str) -> Iterator[str]:
    """A database migrated to head with the seed loaded, built once."""
    from aseanjapan.migrate import upgrade

    if server is None:
        path = tmp_path_factory.mktemp("template") / "aj.sqlite"
        url = f"sqlite:///{path}"
    else:
        url = server.create(f"aj_tpl_{session_tag}")
    engine = make_engine(url)
    upgrade(engine)
    if server is None:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    yield url
    if server is not None:
        server.drop(f"aj_tpl_{session_tag}")


def _fresh(server: Server | None, tmp_path: Path, session_tag: str, template: str | None) -> Iterator[str]:
    if server is None:
        path = tmp_path / f"db{next(_counter)}.sqlite"
        if template:
            shutil.copyfile(make_url(template).database, path)
        yield f"sqlite:///{path}"
        return
    name = f"aj_t_{session_tag}_{next(_counter)}"
    tpl = make_url(template).database if template else None
    yield server.create(name, tpl)
    server.drop(name)


@pytest.fixture
def db_url(server: Server | None, tmp_path: Path, session_tag: str, template_url: str, monkeypatch) -> Iterator[str]:  # noqa: ANN001
    """A seeded database of its own for this test; AJ_DATABASE_URL points at it."""
    for url in _fresh(server, tmp_path, session_tag, template_url):
        monkeypatch.setenv("AJ_DATABASE_URL", url)
        yield url
        _dispose_cached_engines()


@pytest.fixture
def empty_db_url(server: Server | None, tmp_path: Path, session_tag: str, monkeypatch) -> Iterator[str]:  # noqa: ANN001
    """An empty database (no schema) of its own for this test."""
    for url in _fresh(server, tmp_path, session_tag, None):
        monkeypatch.setenv("AJ_DATABASE_URL", url)
        yield url
        _dispose_cached_engines()


def _dispose_cached_engines() -> None:
    from aseanjapan.cli import runtime

    for engine in runtime._engine_cache.values():
        engine.dispose()
    runtime._engine_cache.clear()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine):  # noqa: ANN201
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        yield s


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's files or database; plain, fixed-width output."""
    monkeypatch.setenv("AJ_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.delenv("AJ_DATABASE_URL", raising=False)
    monkeypatch.delenv("AJ_SEED_DIR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")
    from aseanjapan.cli import runtime

    monkeypatch.setattr(runtime, "state", runtime.State())


# pytest-alembic: the migrations under test run on an empty database of the backend.
@pytest.fixture
def alembic_engine(empty_db_url: str) -> Iterator[Engine]:
    eng = make_engine(empty_db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def alembic_config():  # noqa: ANN201
    from pytest_alembic.config import Config

    from aseanjapan.settings import migrations_dir

    return Config(config_options={"script_location": str(migrations_dir())})
