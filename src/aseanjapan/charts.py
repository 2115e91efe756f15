"""Figures as pictures: a bar chart in the terminal (Rich) and as PNG or SVG (matplotlib).

Both draw one bar per statistic, subjects in the order asked for, by their names. Every bar
keeps its sources: the terminal chart lists them under the table, the image names the
survey or report the figures come from in its subtitle (or a note) and each document that
reports them in numbered footnotes, by title, author and date.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .display import cited_document

BAR = "█"
HALF = "▌"
UNITS = {"percent": "%", "percentage-points": "percentage points", "usd": "US$", "jpy": "¥", "eur": "€",
         "sgd": "S$", "years": "years", "rank": "rank", "count": "number", "ratio": "ratio"}


def _subject(row: dict[str, Any]) -> str:
    return row.get("subject_name") or row["subject"] or "—"


def terminal_chart(rows: list[dict[str, Any]], title: str, stream: IO[str] | None = None) -> None:
    """The values as a table (with their origin and citations, and the sources beneath), then
    one bar per value with the figure at its end."""
    from .textnorm import for_terminal
    from rich.text import Text

    from .layout import print_trimmed
    from .render import data_console, write_table

    console = data_console(stream)
    write_table([{"subject": _subject(r), "period": r["period"], "value": r["display"], "population": r["population"],
                  "origin": r["origin"], "cited_by": r["cited_by"], "sources": r["sources"],
                  "origin_source": r["origin_source"]} for r in rows],
                stream, ["subject", "period", "value", "population", "origin", "cited_by"], title)
    labels = [for_terminal(f"{_subject(r)} · {r['period'] or 'undated'}") for r in rows]
    label_width = max(len(label) for label in labels)
    value_width = max(len(r["display"]) for r in rows)
    bar_room = max(10, min(60, console.width - label_width - value_width - 4))
    top = max((abs(r["value"]) for r in rows), default=0) or 1
    lines = Text()
    for label, row in zip(labels, rows):
        cells = row["value"] / top * bar_room
        lines.append("\n" + label.ljust(label_width) + "  ")
        lines.append(BAR * int(cells) + (HALF if cells - int(cells) >= 0.5 else ""), style="cyan")
        lines.append(" " + row["display"], style="bold")
    print_trimmed(console, lines)


@dataclass
class Bar:
    group: int  # the subject's position
    series: int  # the position of its legend entry
    value: float
    label: str  # the figure and its note numbers


@dataclass
class ChartPlan:
    """What an image chart shows, worked out before drawing it."""

    title: str
    subtitle: list[str]  # lines under the title: where the figures come from, among whom, when
    groups: list[str]
    series: list[str]  # legend entries; one empty entry when each subject has one bar
    bars: list[Bar]
    notes: list[str] = field(default_factory=list)
    axis: str = ""


def _shared(rows: list[dict[str, Any]], key: str) -> Any:
    values = {r[key] for r in rows}
    return values.pop() if len(values) == 1 else None


def plan_chart(rows: list[dict[str, Any]], measure: str) -> ChartPlan:
    """Groups (subjects, in the rows' order), one bar per row, a subtitle with what all rows
    share (the survey or report, the population, the period), a legend entry for what tells a
    subject's bars apart, and numbered notes naming each origin and reporting document."""
    origin, population, period = (_shared(rows, k) for k in ("origin_source", "population", "period"))
    subtitle = ([f"From {origin}"] if origin else []) + (
        [" · ".join(part for part in (population, period) if part)] if population or period else [])
    groups = list(dict.fromkeys(_subject(r) for r in rows))
    # A subject's bars are told apart by as few of these as it takes: the period, the
    # population, the survey or report, and at last the statistic itself.
    varying = [k for k in ("period", "population", "origin_source") if _shared(rows, k) is None] + ["statistic"]
    used: list[str] = []
    for attribute in varying:
        keys = [" · ".join(str(r[k] or "—") for k in used) for r in rows]
        if len({(_subject(r), k) for r, k in zip(rows, keys)}) == len(rows):
            break
        used.append(attribute)
    keys = [" · ".join(str(r[k] or "—") for k in used) for r in rows]
    series = list(dict.fromkeys(keys))
    notes: list[str] = []
    numbers: dict[str, int] = {}

    def note(key: str, text: str) -> int:
        if key not in numbers:
            numbers[key] = len(notes) + 1
            notes.append(text)
        return numbers[key]

    paragraphs: dict[str, list[str]] = {}
    for r in rows:
        for label in r["cited_by"]:
            place = label[len(cited_document(label)):].strip()
            if place and place not in paragraphs.setdefault(cited_document(label), []):
                paragraphs[cited_document(label)].append(place)
    bars = []
    for r, key in zip(rows, keys):
        marks = [note(f"origin:{r['origin']}", f"Data: {r['origin_source']}")] if r["origin"] and not origin else []
        for label, source in zip(r["cited_by"], r["sources"]):
            slug = cited_document(label)
            name = source.removesuffix(label[len(slug):])
            places = ", ".join(paragraphs.get(slug, []))
            marks.append(note(slug, f"Reported in: {name}" + (f",\u00a0{places}" if places else "")))  # ¶ stays with it
        bars.append(Bar(groups.index(_subject(r)), series.index(key), r["value"],
                        f"{r['display']} [{', '.join(map(str, sorted(set(marks))))}]"))
    unit = _shared(rows, "unit")
    return ChartPlan(measure, subtitle, groups, series, bars,
                     ["Sources:"] + [f"[{n}] {text}" for n, text in enumerate(notes, start=1)] if notes else [],
                     UNITS.get(unit, unit or ""))


def image_chart(rows: list[dict[str, Any]], title: str, path: Path) -> None:
    """A grouped bar chart ready for a report (see `plan_chart`), as PNG or SVG: the title,
    the subtitle, the bars with their figures and note numbers, the numbered sources."""
    try:
        import matplotlib
    except ModuleNotFoundError:  # an extra: 175 MB for PNG/SVG charts alone
        from .errors import AjError
        from .install import install_command

        raise AjError(f"PNG and SVG charts need matplotlib: {install_command('charts')}") from None

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plan = plan_chart(rows, title)
    width = max(8.0, 1.4 * len(plan.groups) * max(1, len(plan.series)) ** 0.5 + 2)

    def wrapped(lines: list[str], points: float) -> str:
        chars = int(width * 0.96 * 72 / (points * 0.56))  # characters per line at this size
        return "\n".join(textwrap.fill(line, chars, subsequent_indent="    ") for line in lines)

    heading, notes = wrapped(plan.subtitle, 9.5), wrapped(plan.notes, 8)
    # Heights in inches, top to bottom: title, subtitle, plot, axis labels, notes.
    title_h, sub_h = 0.45, (heading.count("\n") + 1) * 0.2 if heading else 0.0
    plot_h, axis_h = 3.4, 0.45
    notes_h = (notes.count("\n") + 1) * 0.165 + 0.15 if notes else 0.0
    height = title_h + sub_h + 0.25 + plot_h + axis_h + notes_h
    fig = plt.figure(figsize=(width, height), dpi=150)
    ax = fig.add_axes((0.09, (notes_h + axis_h) / height, 0.88, plot_h / height))
    slot = 0.8 / len(plan.series)
    for s, name in enumerate(plan.series):
        chosen = [b for b in plan.bars if b.series == s]
        xs = [b.group - 0.4 + slot * (s + 0.5) for b in chosen]
        drawn = ax.bar(xs, [b.value for b in chosen], slot * 0.9, label=name or None, color=f"C{s}")
        ax.bar_label(drawn, labels=[b.label for b in chosen], padding=3, fontsize=9)
    ax.set_xticks(range(len(plan.groups)), plan.groups, fontsize=10)
    ax.set_ylabel(plan.axis, fontsize=9)
    ax.margins(y=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    if len(plan.series) > 1:
        ax.legend(fontsize=8, frameon=False)
    fig.text(0.02, 1 - 0.15 / height, plan.title, fontsize=13, weight="bold", va="top")
    if heading:
        fig.text(0.02, 1 - title_h / height, heading, fontsize=9.5, va="top", color="#333333", linespacing=1.35)
    if notes:
        fig.text(0.02, 0.1 / height, notes, fontsize=8, va="bottom", color="#333333", linespacing=1.45)
    suffix = path.suffix.lower()
    metadata = {"Date": None} if suffix == ".svg" else {}
    from .files import atomic_output

    try:
        with atomic_output(path, binary=True) as stream:
            fig.savefig(stream, format=suffix.lstrip("."), metadata=metadata)
    finally:
        plt.close(fig)
