"""Option types shared by several commands."""


from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class Kind(str, Enum):
    documents = "documents"
    actors = "actors"
    initiatives = "initiatives"
    claims = "claims"
    statistics = "statistics"
    events = "events"
    areas = "areas"
    metrics = "metrics"


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
    typer.Option("--format", "-f", help="table, csv, excel-csv (for spreadsheets: UTF-8 with BOM, formulas "
                 "neutralised), json or jsonl. Default: table on a terminal, else json (or the --output file's extension)."),
]


def dash_is_stdout(value: Path | None) -> Path | None:
    """`--output -` is stdout, as for most command-line tools."""
    return None if value is not None and str(value) == "-" else value


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout ('-' is stdout).",
                              dir_okay=False, callback=dash_is_stdout)
]
