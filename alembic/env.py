"""Alembic environment: runs migrations on a connection handed over by the caller
(`config.attributes["connection"]`, used by aj and the tests) or on its own engine."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, Engine

from aseanjapan.db import make_engine, migration_connection
from aseanjapan.models import Base
from aseanjapan.settings import resolve_database_url

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# Only for autogenerate and `alembic check`: migrations themselves never import models.
target_metadata = Base.metadata


def _include_name(name, type_, parent_names) -> bool:  # noqa: ANN001, ARG001
    # The FTS5 index and its shadow tables (migration 0003) and PostgreSQL's generated
    # tsvector column and its index (0008) are made by raw SQL and are not in the models.
    if type_ == "table":
        return not (name or "").startswith("search_fts")
    if type_ == "index":
        return name not in ("ix_search_entries_tsvector", "ix_search_entries_search_vector")
    if type_ == "column":
        return name != "search_vector"  # PostgreSQL only, generated (migration 0008)
    return True


def _configure(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_include_name,
        render_as_batch=True,  # batch mode acts on SQLite only
        compare_type=True,
        # aj's SQLite engines emit BEGIN themselves (see db.py), so DDL there is
        # transactional too: a failed upgrade leaves nothing half-done.
        transactional_ddl=True,
    )


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return
    if isinstance(given, Engine):  # pytest-alembic hands over an engine
        _run_on(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(resolve_database_url(url))
    _run_on(engine)
    engine.dispose()


def _run_on(engine: Engine) -> None:
    with migration_connection(engine) as connection:
        _configure(connection)
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: the seed migration needs a database")
run_migrations_online()
