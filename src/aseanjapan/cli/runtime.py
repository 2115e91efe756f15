"""What every command shares: the chosen database, the stderr console, readiness checks.

Heavy modules (SQLAlchemy, Alembic, Rich) are imported when a command needs them, so
`aj --help` and shell completion stay fast.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine


@dataclass
class State:
    db: str | None = None
    debug: bool = False


state = State()
_engine_cache: dict[str, Engine] = {}


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, markup=False, highlight=False, emoji=False)


def message(text: str) -> None:
    """A progress or status line for humans, on stderr."""
    print(text, file=sys.stderr, flush=True)


def database_url() -> str:
    from ..settings import resolve_database_url

    return resolve_database_url(state.db)


def engine(ready: bool = True) -> Engine:
    """The engine for the chosen database; by default brought to the code's schema first."""
    url = database_url()
    if url not in _engine_cache:
        from ..db import make_engine

        _engine_cache[url] = make_engine(url)
        if ready:
            ensure_ready(_engine_cache[url], url)
    return _engine_cache[url]


def ensure_ready(eng: Engine, url: str) -> None:
    """Create or upgrade an embedded SQLite database; ask for `aj db upgrade` elsewhere."""
    from ..db import is_sqlite, sqlite_path
    from ..errors import DatabaseError
    from ..loading.seed import seed_digest
    from ..migrate import SCHEMA_HEAD, schema_state, upgrade

    with eng.connect() as conn:
        current = schema_state(conn)
    if current.revision == SCHEMA_HEAD and current.seed_digest == seed_digest():
        return
    if current.revision is not None and current.revision > SCHEMA_HEAD:
        raise DatabaseError(
            f"the database is at revision {current.revision}, newer than this aj ({SCHEMA_HEAD}): upgrade aj"
        )
    if is_sqlite(url):
        where = sqlite_path(url) or "memory"
        if current.empty:
            message(f"Creating the knowledge base at {where} ...")
        elif current.revision != SCHEMA_HEAD:
            message(f"Upgrading the knowledge base at {where} from revision {current.revision} to {SCHEMA_HEAD} ...")
        else:
            message(f"Refreshing the seed data in {where} ...")
        upgrade(eng)
        return
    if current.empty:
        raise DatabaseError("the database has no knowledge base yet: run `aj db upgrade` to create it")
    if current.revision != SCHEMA_HEAD:
        raise DatabaseError(
            f"the database is at revision {current.revision}, this aj expects {SCHEMA_HEAD}: run `aj db upgrade`"
        )
    message("note: the seed data changed since this database was loaded; `aj db upgrade` refreshes it")
