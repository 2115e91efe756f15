"""Rows -> a Rich table, CSV, JSON or JSON Lines, on stdout or into a file.

Machine-readable formats are written directly as UTF-8 and never pass through Rich
(which would wrap lines); rows are written as they come, so output streams.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import UsageError

FORMATS = ("table", "csv", "json", "jsonl")
LIST_SEPARATOR = "; "
# Search results mark matches with these private-use characters (see search.py).
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"


def choose_format(requested: str | None, output: Path | None, stream: IO[str] | None = None) -> str:
    """The explicit format, else the output file's extension, else table on a terminal, JSON otherwise."""
    if requested:
        if requested not in FORMATS:
            raise UsageError(f"--format: unknown format {requested!r}; choose one of: {', '.join(FORMATS)}")
        return requested
    if output is not None:
        suffix = output.suffix.lower().lstrip(".")
        if suffix in ("csv", "json", "jsonl"):
            return suffix
        if suffix == "ndjson":
            return "jsonl"
        raise UsageError(f"--output {output}: say which --format to write (csv, json or jsonl)")
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "json"


def plain(value: Any) -> Any:
    """JSON-friendly scalars: whole floats as integers, dates as ISO text."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def cell(value: Any) -> str:
    """One spreadsheet cell: lists joined, None empty, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return unmark(str(plain(value)))


def unmark(text: str, marker: str = "**", closing: str | None = None) -> str:
    """Matches as **word** in plain-text formats."""
    if MARK_OPEN not in text:
        return text
    return text.replace(MARK_OPEN, marker).replace(MARK_CLOSE, marker if closing is None else closing)


def _rich_cell(value: Any) -> Any:
    from rich.text import Text

    raw = value if isinstance(value, str) else None
    if raw is None or MARK_OPEN not in raw:
        return cell(value).replace(LIST_SEPARATOR, "\n")
    out = Text()
    for i, part in enumerate(raw.replace(MARK_CLOSE, MARK_OPEN).split(MARK_OPEN)):
        out.append(part, style="bold reverse" if i % 2 else None)
    return out


@contextmanager
def opened(output: Path | None) -> Iterator[IO[str]]:
    """A UTF-8 text stream on the file, or on stdout whatever the locale says."""
    if output is None:
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True) \
            if hasattr(sys.stdout, "buffer") else sys.stdout
        try:
            yield stream
        finally:
            stream.flush()
            if stream is not sys.stdout:
                stream.detach()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8", newline="") as stream:
            yield stream
    except IsADirectoryError:
        raise UsageError(f"--output {output}: is a directory") from None
    except PermissionError:
        raise UsageError(f"--output {output}: permission denied") from None


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str], columns: Sequence[str] | None = None) -> int:
    writer = None
    count = 0
    for row in rows:
        if writer is None:
            writer = csv.writer(stream, lineterminator="\n")
            columns = list(columns or row.keys())
            writer.writerow(columns)
        writer.writerow([cell(row.get(c)) for c in columns])
        count += 1
    if writer is None and columns:
        csv.writer(stream, lineterminator="\n").writerow(columns)
    return count


def _json_value(value: Any, marks: tuple[str, str]) -> Any:
    if isinstance(value, list):
        return [_json_value(v, marks) for v in value]
    if isinstance(value, str):
        return unmark(value, *marks)
    return plain(value)


def json_ready(row: dict[str, Any], marks: tuple[str, str] = ("**", "**")) -> dict[str, Any]:
    """A row as JSON output holds it: dates as ISO text, whole floats as integers, search
    matches between `marks`."""
    return {k: _json_value(v, marks) for k, v in row.items()}


def _json_row(row: dict[str, Any]) -> str:
    return json.dumps(json_ready(row), ensure_ascii=False)


def write_json(rows: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    stream.write("[")
    for row in rows:
        stream.write(("," if count else "") + "\n  " + _json_row(row))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for row in rows:
        stream.write(_json_row(row) + "\n")
        count += 1
    return count


def data_console(stream: IO[str] | None = None, **options: Any) -> Any:
    """A Rich console for data (no markup: data can hold '['). A reader that stops early
    (`| head`) ends the command quietly with status 0, as for the other formats: Rich's
    default is to exit with status 1."""
    from rich.console import Console

    class _DataConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _DataConsole(file=stream, markup=False, emoji=False, highlight=False, **options)


def write_table(rows: Iterable[dict[str, Any]], stream: IO[str] | None, columns: Sequence[str] | None = None,
                title: str | None = None) -> int:
    from rich.table import Table

    rows = list(rows)
    if not rows:
        return 0
    columns = list(columns or rows[0].keys())
    table = Table(title=title, show_lines=False, header_style="bold", expand=False)
    for name in columns:
        table.add_column(name.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*[_rich_cell(row.get(c)) for c in columns])
    data_console(stream, soft_wrap=False).print(table)
    return len(rows)


def render(rows: Iterable[dict[str, Any]], fmt: str, output: Path | None = None,
           table_columns: Sequence[str] | None = None, title: str | None = None,
           columns: Sequence[str] | None = None) -> int:
    """Write rows in `fmt`; returns how many were written. `columns` gives a CSV its header
    even when there are no rows."""
    if fmt == "table":
        if output is not None:
            with opened(output) as stream:
                return write_table(rows, stream, table_columns, title)
        return write_table(rows, None, table_columns, title)
    with opened(output) as stream:
        if fmt == "csv":
            return write_csv(rows, stream, columns)
        if fmt == "json":
            return write_json(rows, stream)
        return write_jsonl(rows, stream)
