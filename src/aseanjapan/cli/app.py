"""The `aj` application: global options, sub-commands, and turning errors into one line."""


from typing import Annotated

import typer

from .. import __version__
from . import analysis, db, export, load, query, review, runtime, search, show, source

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


app.command("query")(runtime.guarded(query.query))
app.command("show")(runtime.guarded(show.show))
app.command("search")(runtime.guarded(search.search))
app.command("conflicts")(runtime.guarded(analysis.conflicts))
app.command("compare")(runtime.guarded(analysis.compare))
app.command("timeline")(runtime.guarded(analysis.timeline))
app.command("export")(runtime.guarded(export.export))
app.command("load")(runtime.guarded(load.load))
app.add_typer(source.app, name="source")
app.add_typer(review.app, name="review")
app.add_typer(db.app, name="db")


def main() -> None:
    app()
