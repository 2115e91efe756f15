"""The `aj` application: global options, sub-commands, and turning errors into one line."""


import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # Typer 0.26-0.28 vendor click; later ones use click itself
    from typer._click.exceptions import NoArgsIsHelpError
except ModuleNotFoundError:
    from click.exceptions import NoArgsIsHelpError

from .. import __version__
from . import analysis, db, export, history, load, query, review, runtime, search, serve, show, source


class OneLineErrors(TyperGroup):
    """Usage errors found while parsing the command line (a missing option, a value out of
    range, an unknown command) as one `aj: error:` line with exit status 2, like the errors
    commands raise themselves, instead of a framed block of usage text."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from ..invocation import command_line

        # What the history records as this command: the command line as given.
        token = command_line.set(_shown_command(kwargs.get("args", args[0] if args else None)))
        try:
            return self._main(*args, **kwargs)
        finally:
            command_line.reset(token)

    def _main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except typer.TyperException as exc:  # the base of the parser's usage errors
            if isinstance(exc, NoArgsIsHelpError):  # `aj review` alone: the help is the answer
                exc.show()  # type: ignore[attr-defined]
            else:
                ctx = getattr(exc, "ctx", None)
                hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
                from ..textnorm import one_line  # the message may quote what was typed

                print(f"aj: error: {one_line(' '.join(exc.format_message().split()))}{_closest_choice(exc)}{hint}",
                      file=sys.stderr)
            if not standalone_mode:
                raise
            sys.exit(exc.exit_code)
        except typer.Abort:
            print("aj: error: stopped (interrupted, or no more input to answer with)", file=sys.stderr)
            if not standalone_mode:
                raise
            sys.exit(1)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


def _shown_command(args: Any) -> str:
    """`aj` and its arguments, shell-quoted, as the history stores them: a password in a URL
    hidden, bytes that are not UTF-8 (a file name) shown as \\xNN."""
    import re
    import shlex

    words = []
    for word in (sys.argv[1:] if args is None else args):
        try:
            word = str(word).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate no byte stands behind
            word = str(word).encode("utf-8", "backslashreplace").decode("utf-8")
        words.append(re.sub(r"(://[^/@\s:]*):[^/@\s]*@", r"\1:***@", word))
    return shlex.join(["aj", *words])


def _closest_choice(exc: Exception) -> str:
    """' (closest: json)' for a value outside an option's fixed choices (--format jsn)."""
    import re

    choices = getattr(getattr(getattr(exc, "param", None), "type", None), "choices", None)
    given = re.match(r"'(.*)' is not", getattr(exc, "message", "") or "")
    if not choices or not given:
        return ""
    from ..spelling import closest

    close = closest(given[1], [str(getattr(c, "value", c)) for c in choices])
    return f" (closest: {', '.join(close)})" if close else ""


app = typer.Typer(
    name="aj",
    cls=OneLineErrors,
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
app.command("serve")(runtime.guarded(serve.serve))
app.add_typer(source.app, name="source")
app.add_typer(review.app, name="review")
app.add_typer(db.app, name="db")
app.add_typer(history.app, name="history")
app.command("undo")(runtime.guarded(history.undo))


def main() -> None:
    import signal

    # SIGTERM ends aj as Ctrl-C does, through its cleanups: a write transaction is rolled back
    # and an output's temporary file removed (files.atomic_output), not left half-done.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    app()
