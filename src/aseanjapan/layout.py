"""Rows laid out for a terminal of any width, and the sources they cite beneath them.

A grid when every column fits without breaking a word (a citation such as
"tfgi-asean-japan-panel ¶12" counts as one word) and it is no taller than the same rows
stacked; otherwise one record after another, each field on its own line. Column widths
are chosen here, not by Rich, whose shrinking of a too-wide table breaks words anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len

from .display import cited_document
from .render import LIST_SEPARATOR, cell, rich_cell

# Columns whose list items are kept whole, never wrapped inside.
WHOLE_ITEMS = ("cited_by",)
STACK_INDENT = 2


def _lines(value: Any) -> list[str]:
    return cell(value).replace(LIST_SEPARATOR, "\n").split("\n") if isinstance(value, (list, tuple)) \
        else cell(value).split("\n")


def _stacked_value(column: str, value: Any) -> Any:
    """A field of a stacked record: lists on one line, citations one per line."""
    if isinstance(value, (list, tuple)) and column not in WHOLE_ITEMS:
        return ", ".join(cell(v) for v in value)
    return value


def _units(column: str, value: Any) -> list[str]:
    """The pieces of a cell that must not be broken: its words, or its whole items."""
    lines = _lines(value)
    return lines if column in WHOLE_ITEMS else [word for line in lines for word in line.split()]


def _height(column: str, value: Any, width: int) -> int:
    """How many lines a cell takes at `width`, wrapped at spaces as Rich wraps it."""
    total = 0
    for line in _lines(value):
        pieces = [line] if column in WHOLE_ITEMS else line.split()
        used, count = 0, 1
        for piece in pieces:
            size = cell_len(piece)
            if size > width:  # a piece wider than the column folds
                count += (size - 1) // width + (1 if used else 0)
                used = size % width or width
            elif used and used + 1 + size > width:
                count, used = count + 1, size
            else:
                used += size + (1 if used else 0)
        total += count
    return total


# Headers that read better than the field's name.
HEADERS = {"display": "value"}


def _label(column: str) -> str:
    return HEADERS.get(column, column.replace("_", " "))


def grid_widths(rows: Sequence[dict[str, Any]], columns: Sequence[str], width: int) -> list[int] | None:
    """Content widths for a bordered grid `width` characters wide in which no word breaks,
    or None when the columns' longest words alone do not fit."""
    room = width - (3 * len(columns) + 1)  # borders and one space of padding on each side
    natural, least = [], []
    for column in columns:
        header = _label(column)
        natural.append(max([len(header), *(cell_len(line) for r in rows for line in _lines(r.get(column)))]))
        least.append(max([*(len(w) for w in header.split()),
                         *(cell_len(u) for r in rows for u in _units(column, r.get(column)))]))
    if sum(natural) <= room:
        return natural
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(widths)
    while spare > 0:  # share what is left in proportion to what each column still wants
        wanting = [i for i, w in enumerate(widths) if natural[i] > w]
        want = sum(natural[i] - widths[i] for i in wanting)
        given = 0
        for i in wanting:
            share = min(natural[i] - widths[i], max(1, spare * (natural[i] - widths[i]) // want), spare - given)
            widths[i] += share
            given += share
        if not given:
            break
        spare -= given
    return widths


def _grid_height(rows: Sequence[dict[str, Any]], columns: Sequence[str], widths: Sequence[int]) -> int:
    return 4 + sum(max(_height(c, r.get(c), w) for c, w in zip(columns, widths)) for r in rows)


def _stacked_height(rows: Sequence[dict[str, Any]], columns: Sequence[str], width: int) -> int:
    label_width = max(len(_label(c)) for c in columns[1:]) if len(columns) > 1 else 0
    value_width = max(10, width - STACK_INDENT - label_width - 2)
    return sum(2 + sum(_height(c, _stacked_value(c, r.get(c)), value_width) for c in columns[1:] if cell(r.get(c)))
               for r in rows)


def renderable(rows: Sequence[dict[str, Any]], columns: Sequence[str], width: int, title: str | None = None) -> Any:
    """The rows as a grid or stacked, whichever fits `width` (see the module's docstring)."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    widths = grid_widths(rows, columns, width)
    if widths is not None and (len(columns) < 3 or _grid_height(rows, columns, widths) <= _stacked_height(rows, columns, width)):
        table = Table(title=title, title_justify="left", title_style="bold", show_lines=False, header_style="bold",
                      expand=False)
        for name, column_width in zip(columns, widths):
            table.add_column(_label(name), width=column_width, overflow="fold")
        for row in rows:
            table.add_row(*[rich_cell(row.get(c)) for c in columns])
        return table
    parts: list[Any] = [Text(title, style="bold")] if title else []
    label_width = max(len(_label(c)) for c in columns[1:]) if len(columns) > 1 else 0
    for n, row in enumerate(rows):
        if n or title:
            parts.append(Text(""))
        parts.append(Text(cell(row.get(columns[0])), style="bold"))
        fields = Table.grid(padding=(0, 2))
        fields.add_column(no_wrap=True, width=label_width, style="dim")
        fields.add_column(overflow="fold")
        for column in columns[1:]:
            if cell(row.get(column)):
                fields.add_row(_label(column), rich_cell(_stacked_value(column, row.get(column))))
        parts.append(Padding(fields, (0, 0, 0, STACK_INDENT), expand=False))
    return Group(*parts)


def sources_cited(rows: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(document slug, the document as a reader knows it) for each document the rows cite or
    take their figures from, in order of first mention: from each row's paired `cited_by`
    and `sources`, and its `origin` and `origin_source`."""
    found: dict[str, str] = {}
    for row in rows:
        if row.get("origin") and row.get("origin_source"):
            found.setdefault(row["origin"], row["origin_source"])
        for label, source in zip(row.get("cited_by") or [], row.get("sources") or []):
            slug = cited_document(label)
            found.setdefault(slug, source.removesuffix(label[len(slug):]))
    return list(found.items())


def sources_renderable(sources: Sequence[tuple[str, str]], width: int) -> Any:
    """A 'Sources' list: each cited document's slug, then its title, authors and date."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    slug_width = max(len(slug) for slug, _ in sources)
    if STACK_INDENT + slug_width + 2 + 30 <= width:
        listing = Table.grid(padding=(0, 2))
        listing.add_column(no_wrap=True)
        listing.add_column()
        for slug, name in sources:
            listing.add_row(slug, name)
        body: Any = listing
    else:
        body = Group(*[Group(Text(slug), Padding(Text(name), (0, 0, 0, STACK_INDENT), expand=False))
                       for slug, name in sources])
    return Group(Text(""), Text("Sources", style="bold"), Padding(body, (0, 0, 0, STACK_INDENT), expand=False))


def print_trimmed(console: Any, thing: Any) -> None:
    """Print without the spaces Rich pads a grid's lines with up to their right edge."""
    from rich.segment import Segment, Segments

    out: list[Any] = []
    for line in console.render_lines(thing, console.options, pad=False):
        while line and not line[-1].control and not line[-1].text.strip():
            line.pop()
        if line and not line[-1].control:
            line[-1] = Segment(line[-1].text.rstrip(), line[-1].style)
        out += [*line, Segment.line()]
    console.print(Segments(out))


def print_rows(console: Any, rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str | None = None,
               sources: bool = True) -> None:
    """Print the rows to fit the console, then (with `sources`) the documents they cite."""
    print_trimmed(console, renderable(rows, columns, console.width, title))
    cited = sources_cited(rows) if sources else []
    if cited:
        print_trimmed(console, sources_renderable(cited, console.width))
