"""`aj show KIND NAME`: one record as a card, with its links and every citation."""


import json
from contextlib import nullcontext
from enum import Enum
from typing import Annotated, Any

import typer

from . import runtime
from .options import CardFormatOption, OutputOption


class ShowKind(str, Enum):
    initiative = "initiative"
    actor = "actor"
    document = "document"
    claim = "claim"
    statistic = "statistic"
    event = "event"
    area = "area"
    metric = "metric"


def show(
    kind: Annotated[ShowKind, typer.Argument(help="The kind of record.")],
    name: Annotated[str, typer.Argument(help="Its slug, name, title, acronym or alias.")],
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

    if text:
        if kind is not ShowKind.document:
            raise UsageError("--text shows a document's stored text; give `aj show document NAME --text`")
        if fmt is not None:
            raise UsageError("--text prints the plain text; --format does not apply to it")
        body = runtime.kb().document_text(name)
        with opened(output) as stream:
            stream.write(body if body.endswith("\n") else body + "\n")
        return
    chosen = choose_format(fmt.value if fmt else None, output)
    record = runtime.kb().show(kind.value, name)
    if chosen == "table":
        with opened(output) if output else nullcontext() as stream:
            render_card(record, stream)
        return
    if chosen == "csv":
        raise UsageError("--format csv does not fit one record; use json, or `aj query` for tables")
    with opened(output) as stream:
        stream.write(json.dumps(record, ensure_ascii=False, indent=None if chosen == "jsonl" else 2) + "\n")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def render_card(record: dict[str, Any], stream: Any) -> None:
    from ..render import data_console
    from rich.panel import Panel
    from rich.table import Table

    console = data_console(stream)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in record["fields"].items():
        if value not in (None, [], ""):
            grid.add_row(key.replace("_", " "), _text(value))
    console.print(Panel(grid, title=f"{record['kind']} {record['slug']}", title_align="left"))

    def section(title: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = [c for c in rows[0] if any(r.get(c) not in (None, "", []) for r in rows)]
        table = Table(title=title, title_justify="left", title_style="bold", expand=False)
        for column in columns:
            table.add_column(column.replace("_", " "), overflow="fold")
        for row in rows:
            table.add_row(*[_text(row.get(c)) for c in columns])
        console.print(table)

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
