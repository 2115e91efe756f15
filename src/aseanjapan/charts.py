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
    """The values as a table (with their origin and citations), then one bar per value with
    the figure at its end and its sources on the line below."""
    from .render import data_console, write_table
    from rich.padding import Padding
    from rich.text import Text

    console = data_console(stream)
    write_table([{"subject": r["subject"], "period": r["period"], "value": r["display"], "population": r["population"],
                  "origin": r["origin"], "cited_by": r["cited_by"]} for r in rows], stream, title=title)
    labels = [_label(r, True) for r in rows]
    label_width = max(len(label) for label in labels)
    value_width = max(len(r["display"]) for r in rows)
    bar_room = max(10, min(60, console.width - label_width - value_width - 4))
    top = max((abs(r["value"]) for r in rows), default=0) or 1
    console.print()
    for label, row in zip(labels, rows):
        cells = row["value"] / top * bar_room
        bar = BAR * int(cells) + (HALF if cells - int(cells) >= 0.5 else "")
        line = Text(label.ljust(label_width) + "  ")
        line.append(bar, style="cyan")
        line.append(" " + row["display"], style="bold")
        console.print(line)
        console.print(Padding(Text("source: " + _source(row), style="dim"), (0, 0, 0, label_width + 2)))


def _source(row: dict[str, Any]) -> str:
    return (row["origin"] + " via " if row["origin"] else "") + "; ".join(row["cited_by"])


def _series(rows: list[dict[str, Any]]) -> list[str]:
    """The legend entry of each row: its period, told apart by the reporting document (or the
    record) where one subject has several values for one period, so no bar hides another."""
    keys = [r["period"] or "undated" for r in rows]
    for attempt in ("document", "statistic"):
        seen: dict[tuple[str, str], int] = {}
        for r, key in zip(rows, keys):
            seen[(r["subject"] or "—", key)] = seen.get((r["subject"] or "—", key), 0) + 1
        clashing = {pair for pair, n in seen.items() if n > 1}
        if not clashing:
            break
        for i, r in enumerate(rows):
            if (r["subject"] or "—", keys[i]) in clashing:
                extra = r["cited_by"][0].split(" ¶")[0] if attempt == "document" and r["cited_by"] else r["statistic"]
                keys[i] = f"{keys[i]} · {extra}"
    return keys


def image_chart(rows: list[dict[str, Any]], title: str, path: Path) -> None:
    """A grouped bar chart: one group per subject, one bar per period (or per period and
    source where they differ). Each bar's label carries a note number; the footnote gives
    that value's origin and citing documents."""
    try:
        import matplotlib
    except ModuleNotFoundError:  # an extra: 175 MB for PNG/SVG charts alone
        from .errors import AjError

        raise AjError("PNG and SVG charts need matplotlib: pip install 'aseanjapan[charts]'") from None

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = _series(rows)
    subjects = list(dict.fromkeys(r["subject"] or "—" for r in rows))
    series = sorted(dict.fromkeys(keys), key=lambda k: (k.startswith("undated"), k))
    notes = {r["statistic"]: n for n, r in enumerate(rows, start=1)}
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(subjects) * max(1, len(series)) ** 0.5 + 2), 4.8), dpi=150)
    width = 0.8 / len(series)
    for i, key in enumerate(series):
        xs, heights, labels = [], [], []
        for j, subject in enumerate(subjects):
            for r, row_key in zip(rows, keys):
                if (r["subject"] or "—") == subject and row_key == key:
                    xs.append(j - 0.4 + width * (i + 0.5))
                    heights.append(r["value"])
                    labels.append(f"{r['display']} [{notes[r['statistic']]}]")
        bars = ax.bar(xs, heights, width * 0.9, label=key)
        ax.bar_label(bars, labels=labels, padding=2, fontsize=7)
    ax.set_xticks(range(len(subjects)), subjects)
    ax.set_title(title, fontsize=11)
    unit = rows[0]["unit"] if rows else ""
    ax.set_ylabel({"percent": "%", "usd": "US$", "jpy": "¥"}.get(unit, unit))
    if len(series) > 1:
        ax.legend(title="period", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    footnote = "\n".join(f"[{notes[r['statistic']]}] {r['subject'] or '—'} {r['display']}: {_source(r)}" for r in rows)
    fig.text(0.01, 0.01, footnote, fontsize=6, va="bottom")
    fig.tight_layout(rect=(0, 0.04 + 0.025 * len(rows), 1, 1))
    suffix = path.suffix.lower()
    metadata = {"Date": None} if suffix == ".svg" else {}
    fig.savefig(path, format=suffix.lstrip("."), metadata=metadata)
    plt.close(fig)
