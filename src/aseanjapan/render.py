"""Rows -> a Rich table, CSV, JSON or JSON Lines, on stdout or into a file.

Machine-readable formats are written directly as UTF-8 and never pass through Rich
(which would wrap lines); rows are written as they come, so output streams.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import UsageError
from .textnorm import for_terminal, json_text

FORMATS = ("table", "csv", "excel-csv", "json", "jsonl")
LIST_SEPARATOR = "; "
# Search results mark matches with these private-use characters (see search.py).
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"


def choose_format(requested: str | None, output: Path | None, stream: IO[str] | None = None) -> str:
    """The explicit format, else the output file's extension, else table on a terminal, JSON otherwise."""
    if requested:
        if requested not in FORMATS:
            from .spelling import choices_hint

            raise UsageError(f"--format: unknown format {requested!r}{choices_hint(requested, FORMATS)}")
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


def rich_cell(value: Any) -> Any:
    from rich.text import Text

    raw = value if isinstance(value, str) else None
    if raw is None or MARK_OPEN not in raw:
        return cell(value).replace(LIST_SEPARATOR, "\n")
    out = Text()
    for i, part in enumerate(raw.replace(MARK_CLOSE, MARK_OPEN).split(MARK_OPEN)):
        out.append(for_terminal(part), style="bold reverse" if i % 2 else None)
    return out


@contextmanager
def opened(output: Path | None) -> Iterator[IO[str]]:
    """A UTF-8 text stream on stdout whatever the locale says, or on the file, which is
    replaced only once everything was written (files.atomic_output)."""
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
    from .files import atomic_output

    try:
        with atomic_output(output) as stream:
            yield stream
    except PermissionError:
        raise UsageError(f"--output {output}: permission denied") from None


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str], columns: Sequence[str] | None = None,
              excel: bool = False, terminal: bool = False) -> int:
    """CSV with LF line ends, cells as stored (for programs); with `excel`, the spreadsheet
    form (`--format excel-csv`): a UTF-8 byte order mark, CRLF line ends, and cells that a
    spreadsheet would run as a formula made text (see `spreadsheet_cell`)."""
    writer = None
    count = 0
    shape = spreadsheet_cell if excel else str
    if terminal:
        shape = (lambda text, inner=shape: for_terminal(inner(text)))  # noqa: E731
    if excel:
        stream.write("\ufeff")
    for row in rows:
        if writer is None:
            writer = csv.writer(stream, lineterminator="\r\n" if excel else "\n")
            columns = list(columns or row.keys())
            writer.writerow(columns)
        writer.writerow([shape(cell(row.get(c))) for c in columns])
        count += 1
    if writer is None and columns:
        csv.writer(stream, lineterminator="\r\n" if excel else "\n").writerow(columns)
    return count


def write_excel_csv(rows: Iterable[dict[str, Any]], stream: IO[str], columns: Sequence[str] | None = None) -> int:
    return write_csv(rows, stream, columns, excel=True)


# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...),
# +cmd|..., @SUM(...)), also after a tab or carriage return (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def spreadsheet_cell(text: str) -> str:
    """A cell a spreadsheet shows as the text it is: one that would start a formula gets a
    leading apostrophe (shown by spreadsheets as a text marker, not part of the value);
    numbers, negative ones included, stay numbers."""
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


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
    return json_text(json_ready(row))


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
    from rich.segment import Segment

    class _DataConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

        def render_str(self, text: str, **kwargs: Any) -> Any:
            # Data shown on a terminal never carries raw control characters (textnorm.for_terminal).
            return super().render_str(for_terminal(text), **kwargs)

        def _render_buffer(self, buffer: Any) -> str:
            # The last gate, for text that reached Rich as a Text object: escape sequences
            # come only from Rich's own styles and control segments, never from the data.
            return super()._render_buffer(
                segment if segment.control else Segment(for_terminal(segment.text), segment.style)
                for segment in buffer)

    return _DataConsole(file=stream, markup=False, emoji=False, highlight=False, **options)


def write_table(rows: Iterable[dict[str, Any]], stream: IO[str] | None, columns: Sequence[str] | None = None,
                title: str | None = None) -> int:
    """Rows laid out to fit the terminal (a grid, or stacked when narrow), then the sources
    they cite by title and date (layout.py)."""
    from .layout import print_rows

    rows = list(rows)
    if not rows:
        return 0
    print_rows(data_console(stream, soft_wrap=False), rows, list(columns or rows[0].keys()), title)
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
        if fmt in ("csv", "excel-csv"):
            # CSV keeps cells as stored, except on a terminal, where it is read, not parsed.
            on_terminal = output is None and sys.stdout.isatty()
            return write_csv(rows, stream, columns, excel=fmt == "excel-csv", terminal=on_terminal)
        if fmt == "json":
            return write_json(rows, stream)
        return write_jsonl(rows, stream)
