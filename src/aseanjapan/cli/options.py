"""Option types shared by several commands.

Names mean one thing everywhere: `--type` (and the TYPE argument of `query` and `show`)
is the type of record (claim, statistic, initiative, ...; singular or plural), `--kind`
a record's own kind within its type (framework, op-ed, summit, recommendation; a
disagreement's kind in `conflicts`). Earlier spellings keep working, hidden, with a note.
"""


from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..kinds import RECORDS


def complete_type(incomplete: str) -> list[str]:
    """Shell completion for a record type: the plural forms, then the singular ones."""
    names = [k.plural for k in RECORDS] + [k.name for k in RECORDS]
    return [name for name in names if name.startswith(incomplete.lower())]


def renamed(values: list[str], old: str, new: str) -> list[str]:
    """Values given under an option's earlier name, with a note to use the new one."""
    if values:
        from .runtime import message

        message(f"aj: note: {old} is now {new} here; {old} still works for now")
    return values


class Format(str, Enum):
    table = "table"
    csv = "csv"
    excel_csv = "excel-csv"
    json = "json"
    jsonl = "jsonl"


class CardFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


CardFormatOption = Annotated[
    CardFormat | None,
    typer.Option("--format", "-f", help="table, json or jsonl (one record is no CSV table). Default: table on a "
                 "terminal, else json."),
]

FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-f", metavar="FORMAT", help="table, csv, excel-csv (for spreadsheets: UTF-8 with "
                 "BOM, formulas neutralised), json or jsonl. Default: table on a terminal, else json (or the --output "
                 "file's extension)."),
]


def dash_is_stdout(value: Path | None) -> Path | None:
    """`--output -` is stdout, as for most command-line tools."""
    return None if value is not None and str(value) == "-" else value


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout ('-' is stdout).",
                              dir_okay=False, callback=dash_is_stdout)
]
