"""`aj history` and `aj undo`: the change sets every write leaves, and reverting one."""


from typing import Annotated

import typer

from . import runtime
from .options import FormatOption, OutputOption

app = typer.Typer(invoke_without_command=True)  # its help is the list's, below


@app.callback()
@runtime.guarded
def history(
    ctx: typer.Context,
    record: Annotated[list[str], typer.Option("--record", "-r", metavar="KIND/SLUG",
                                              help="Only change sets that touched this record (statistic/SLUG, or a "
                                                   "bare slug of any type); repeat for several.")] = [],
    document: Annotated[list[str], typer.Option("--document", "-d", help="Only change sets that touched this document "
                                                "or anything citing or taken from it.")] = [],
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, max=2**31 - 1)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Change sets, newest first: what every write changed (aj undo ID reverts one).

    Each shows when (UTC), who, the command, how many rows it changed. Every write (aj load, aj source add and remove, each aj review decision, aj undo) is one change set. Rows the seed and migrations write are the baseline and have none.

    Examples:

      aj history

      aj history --record statistic/iseas-2024-confidence-japan

      aj history show 12
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..history import HISTORY_FIELDS, list_change_sets
    from ..render import choose_format, render

    chosen = choose_format(fmt.value if fmt else None, output)
    with runtime.engine().connect() as conn:
        rows = list_change_sets(conn, record, document, limit)
    count = render(rows, chosen, output, columns=HISTORY_FIELDS)
    runtime.message(f"{count} change set{'s' if count != 1 else ''}")


@app.command("show")
@runtime.guarded
def show(
    change_set: Annotated[int, typer.Argument(metavar="ID", help="A change set number (from aj history).")],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Each row a change set changed: added, removed or changed, with its fields before and after.

    Foreign keys are shown as the slugs of the records they name.
    """
    from ..history import RECORD_FIELDS, show_change_set
    from ..render import choose_format, render

    chosen = choose_format(fmt.value if fmt else None, output)
    with runtime.engine().connect() as conn:
        summary, rows = show_change_set(conn, change_set)
    runtime.message(f"change set {summary['change_set']}: {summary['when']} by {summary['user']}: {summary['command']}"
                    + (f" (undoes {summary['undoes']})" if summary["undoes"] else "")
                    + (f" (undone by {summary['undone_by']})" if summary["undone_by"] else ""))
    if chosen in ("table", "csv", "excel-csv"):
        from ..textnorm import json_text

        rows = [{**r, "before": _cell(r["before"], json_text), "after": _cell(r["after"], json_text)} for r in rows]
    render(rows, chosen, output, columns=RECORD_FIELDS, table_columns=["table", "record", "change", "before", "after"])


def _cell(value: object, json_text: object) -> str:
    return "" if value is None else json_text(value)  # type: ignore[operator]


def undo(
    change_set: Annotated[int, typer.Argument(metavar="ID", help="The change set to revert (from aj history).")],
) -> None:
    """Revert exactly one change set, in one transaction; the undo is itself a change set.

    Refused, naming the later change set, when a record it touched has been changed since or a later record depends on one it would remove: undo that one first. Undoing an undo redoes.

    Examples:

      aj undo 12
    """
    from ..history import undo as run_undo

    result = run_undo(runtime.engine(), change_set)
    for line in result.restored[:50]:
        runtime.message(f"  {line}")
    if len(result.restored) > 50:
        runtime.message(f"  ... and {len(result.restored) - 50} more")
    runtime.message(f"undid change set {result.undone}" +
                    (f" as change set {result.change_set} (aj undo {result.change_set} redoes it)" if result.change_set else ""))
