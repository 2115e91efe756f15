"""The `aj` application: global options, sub-commands, and turning errors into one line."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .. import __version__
from . import db, query, runtime

app = typer.Typer(
    name="aj",
    help="aj: a cited knowledge base of Japan-ASEAN relations. Every record names the documents that report it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"aj {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db_url: Annotated[str | None, typer.Option(
        "--db", envvar="AJ_DATABASE_URL", show_envvar=True,
        help="Database: a SQLite file path or a URL (postgresql://...). Default: a per-user SQLite file.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    runtime.state.db = db_url
    runtime.state.debug = debug


app.command("query")(query.query)
app.add_typer(db.app, name="db")


def main() -> None:
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - every failure ends as one line, or a traceback with --debug
        if runtime.state.debug:
            raise
        print(f"aj: error: {_describe(exc)}", file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", 1) if _is_ours(exc) else 1)


def _is_ours(exc: Exception) -> bool:
    from ..errors import AjError

    return isinstance(exc, AjError)


def _describe(exc: Exception) -> str:
    if _is_ours(exc):
        return str(exc)
    if "sqlalchemy" in sys.modules:
        from sqlalchemy import exc as sa_exc

        if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            return f"database problem: {reason}"
        if isinstance(exc, sa_exc.DBAPIError):
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            return f"database refused the operation: {reason}"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f": {exc.filename}" if getattr(exc, "filename", None) else "")
    return f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)"
