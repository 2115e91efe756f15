"""Figures as pictures: a bar chart in the terminal (Rich) and as PNG or SVG (matplotlib).

Every bar keeps its citation: the terminal chart prints the sources beside each bar, the
image carries them in a footnote.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

BAR = "█"
HALF = "▌"


def _label(row: dict[str, Any], group_by_subject: bool) -> str:
    return f"{row['subject'] or '—'} · {row['period'] or 'undated'}" if group_by_subject else (row["period"] or "undated")


def terminal_chart(rows: list[dict[str, Any]], title: str, stream: IO[str] | None = None) -> None:
    """One bar per value, the figure at its end, and its sources on the line below."""
    from .render import data_console
    from rich.padding import Padding
    from rich.text import Text

    console = data_console(stream)
    labels = [_label(r, True) for r in rows]
    label_width = max(len(label) for label in labels)
    value_width = max(len(r["display"]) for r in rows)
    bar_room = max(10, min(60, console.width - label_width - value_width - 4))
    top = max((abs(r["value"]) for r in rows), default=0) or 1
    console.print(Text(title, style="bold"))
    for label, row in zip(labels, rows):
        cells = row["value"] / top * bar_room
        bar = BAR * int(cells) + (HALF if cells - int(cells) >= 0.5 else "")
        line = Text(label.ljust(label_width) + "  ")
        line.append(bar, style="cyan")
        line.append(" " + row["display"], style="bold")
        console.print(line)
        source = (row["origin"] + " via " if row["origin"] else "") + ", ".join(row["cited_by"])
        console.print(Padding(Text("source: " + source, style="dim"), (0, 0, 0, label_width + 2)))


def image_chart(rows: list[dict[str, Any]], title: str, path: Path) -> None:
    """A grouped bar chart: one group per subject, one bar per period."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    subjects = list(dict.fromkeys(r["subject"] or "—" for r in rows))
    periods = list(dict.fromkeys(r["period"] or "undated" for r in rows))
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(subjects) * max(1, len(periods)) ** 0.5 + 2), 4.8), dpi=150)
    width = 0.8 / len(periods)
    for i, period in enumerate(periods):
        xs, heights, labels = [], [], []
        for j, subject in enumerate(subjects):
            for r in rows:
                if (r["subject"] or "—") == subject and (r["period"] or "undated") == period:
                    xs.append(j - 0.4 + width * (i + 0.5))
                    heights.append(r["value"])
                    labels.append(r["display"])
        bars = ax.bar(xs, heights, width * 0.9, label=period)
        ax.bar_label(bars, labels=labels, padding=2, fontsize=8)
    ax.set_xticks(range(len(subjects)), subjects)
    ax.set_title(title, fontsize=11)
    unit = rows[0]["unit"] if rows else ""
    ax.set_ylabel({"percent": "%", "usd": "US$", "jpy": "¥"}.get(unit, unit))
    if len(periods) > 1:
        ax.legend(title="period", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    sources = sorted({(r["origin"] + " via " if r["origin"] else "") + "; ".join(r["cited_by"]) for r in rows})
    fig.text(0.01, 0.01, "Sources: " + " | ".join(sources), fontsize=6, wrap=True, va="bottom")
    fig.tight_layout(rect=(0, 0.06 + 0.02 * len(sources), 1, 1))
    suffix = path.suffix.lower()
    metadata = {"Date": None} if suffix == ".svg" else {}
    fig.savefig(path, format=suffix.lstrip("."), metadata=metadata)
    plt.close(fig)
