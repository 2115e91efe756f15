"""What every command shares: the chosen database, the stderr console, readiness checks.

Heavy modules (SQLAlchemy, Alembic, Rich) are imported when a command needs them, so
`aj --help` and shell completion stay fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

    from ..api import KnowledgeBase


@dataclass
class State:
    db: str | None = None
    debug: bool = False


state = State()
F = TypeVar("F", bound=Callable[..., Any])
MAX_PROBLEMS = 50
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
        from ..api import open as open_kb

        _engine_cache[url] = open_kb(url, ready=ready, notify=message).engine
    return _engine_cache[url]


def kb(ready: bool = True) -> KnowledgeBase:
    """The chosen knowledge base, through the Python API every command reads with."""
    from ..api import KnowledgeBase

    return KnowledgeBase(engine(ready))


def guarded(command: F) -> F:
    """Run a command so that any failure ends as one line on stderr and an exit code
    (1 for errors, 2 for usage errors), or a traceback with --debug."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader stopped early (`aj ... | head`): that is not an error.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as exc:  # noqa: BLE001
            if state.debug:
                raise
            print(f"aj: error: {describe(exc)}", file=sys.stderr, flush=True)
            # A validation failure lists every problem found, one per line, under the headline.
            for problem in getattr(exc, "problems", [])[1:MAX_PROBLEMS]:
                print(f"  {problem}", file=sys.stderr)
            if len(getattr(exc, "problems", [])) > MAX_PROBLEMS:
                print(f"  ... and {len(exc.problems) - MAX_PROBLEMS} more", file=sys.stderr)
            raise typer.Exit(exit_code(exc)) from None

    return run  # type: ignore[return-value]


def exit_code(exc: Exception) -> int:
    from ..errors import AjError

    return exc.exit_code if isinstance(exc, AjError) else 1


def describe(exc: Exception) -> str:
    from ..errors import AjError

    if isinstance(exc, AjError):
        return str(exc)
    if "sqlalchemy" in sys.modules:
        from sqlalchemy import exc as sa_exc

        if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
            return f"database problem: {_first_line(getattr(exc, 'orig', exc))}"
        if isinstance(exc, sa_exc.DBAPIError):
            return f"the database refused the operation: {_first_line(getattr(exc, 'orig', exc))}"
    if _is_driver_error(exc):  # raised by the driver itself (executemany, COPY), not through SQLAlchemy
        return f"the database refused the operation: {_first_line(exc)}"
    if isinstance(exc, UnicodeEncodeError):
        return f"cannot write this text in the output's encoding ({exc.reason})"
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        return f"{exc.strerror or exc}{where}"
    return f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)"


def _is_driver_error(exc: Exception) -> bool:
    import sqlite3

    psycopg = sys.modules.get("psycopg")  # only loaded when PostgreSQL is in use
    return isinstance(exc, sqlite3.Error) or (psycopg is not None and isinstance(exc, psycopg.Error))


def _first_line(value: object) -> str:
    lines = str(value).strip().splitlines()
    return lines[0] if lines else type(value).__name__
