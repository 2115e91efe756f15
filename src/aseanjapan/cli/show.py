"""`aj show KIND NAME`: one record as a card, with its links and every citation."""


import sys
from contextlib import nullcontext
from typing import Annotated, Any

import typer

from . import runtime
from .options import CardFormatOption, OutputOption, complete_type


def show(
    record_type: Annotated[str, typer.Argument(
        metavar="TYPE", autocompletion=complete_type,
        help="The type of record: initiative, actor, document, claim, statistic, event, area or metric "
             "(plural works too).")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="Its slug, name, title, acronym or alias.")],
    fmt: CardFormatOption = None,
    output: OutputOption = None,
    text: Annotated[bool, typer.Option("--text", help="Documents: print the stored full text instead of the card; "
                                       "citations' character spans count in it.")] = False,
) -> None:
    """Show one record with its links and every citation.

    The card lists the record's fields, the records linked to it, and each document that reports it, with paragraph (and character span for stored texts).

    Examples:

      aj show initiative jasmine

      aj show initiative "Overseas Security Assistance"

      aj show statistic iseas-2024-confidence-japan --format json

      aj show document my-article --text > my-article.txt
    """
    from ..errors import UsageError
    from ..render import choose_format, opened
    from ..textnorm import for_terminal, json_text
    from ..kinds import record_type as type_named

    kind = type_named(record_type, label="TYPE")
    if text:
        if kind != "document":
            raise UsageError("--text shows a document's stored text; give `aj show document NAME --text`")
        if fmt is not None:
            raise UsageError("--text prints the plain text; --format does not apply to it")
        body = runtime.kb().document_text(name)
        if output is None and sys.stdout.isatty():  # read on a terminal: no raw escapes
            body = for_terminal(body)
        with opened(output) as stream:
            stream.write(body if body.endswith("\n") else body + "\n")
        return
    chosen = choose_format(fmt.value if fmt else None, output)
    record = runtime.kb().show(kind, name)
    if chosen == "table":
        with opened(output) if output else nullcontext() as stream:
            render_card(record, stream)
        return
    if chosen in ("csv", "excel-csv"):
        raise UsageError("--format csv does not fit one record; use json, or `aj query` for tables")
    with opened(output) as stream:
        stream.write(json_text(record, indent=None if chosen == "jsonl" else 2) + "\n")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def render_card(record: dict[str, Any], stream: Any) -> None:
    """The record's fields in a panel, then each list of linked records laid out to fit the
    terminal (layout.py), then the documents those lists cite, by title and date."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from ..layout import print_rows, print_trimmed, sources_cited, sources_renderable
    from ..render import data_console
    from ..textnorm import for_terminal

    console = data_console(stream)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in record["fields"].items():
        if value not in (None, [], ""):
            grid.add_row(key.replace("_", " "), _text(value))
    console.print(Panel(grid, title=Text(for_terminal(f"{record['kind']} {record['slug']}")), title_align="left"))
    listed: list[dict[str, Any]] = []

    def section(title: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        # Sources are listed once, under the card.
        columns = [c for c in rows[0] if c != "sources" and any(r.get(c) not in (None, "", []) for r in rows)]
        console.print()
        print_rows(console, rows, columns, title, sources=False)
        listed.extend(rows)

    for key, value in record.items():
        if key in ("kind", "slug", "fields", "citations"):
            continue
        if isinstance(value, dict):
            for sub, rows in value.items():
                section(f"{key.replace('_', ' ')} {sub}", rows)
        elif isinstance(value, list):
            section(key.replace("_", " "), value)
    if "citations" in record:
        if record["citations"]:
            section("citations", record["citations"])
        else:
            console.print("citations: none")
    cited = sources_cited(listed)
    if cited:
        print_trimmed(console, sources_renderable(cited, console.width))
