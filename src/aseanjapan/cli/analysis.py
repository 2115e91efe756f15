"""`aj conflicts`, `aj compare`, `aj timeline`: what the sources disagree on, figures side by
side, and events in order."""


import json
from pathlib import Path
from typing import Annotated

import typer

from . import runtime
from .options import FormatOption, OutputOption, dash_is_stdout

Many = list[str]


def conflicts(
    kind: Annotated[Many, typer.Option("--kind", "-k", help="value, measure, naming, date or claim; repeat to OR.")] = [],
    include_reviewed: Annotated[bool, typer.Option("--include-reviewed", help="Also list disagreements marked reviewed.")] = False,
    mark: Annotated[str | None, typer.Option("--mark", help="Mark the disagreement with this key as reviewed.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="With --mark: why it needs no further action.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List where the sources disagree, with both sides and their citations.

    Reports figures for the same measure, subject, population and period that cannot both be right (allowing for rounding and words like "nearly"); one figure said to measure different things; one initiative or actor named or expanded differently; milestone dates that differ; and claims curated as contradicting each other. A later survey wave is a time series, not a disagreement. Marked disagreements stop reappearing, also after re-seeding.

    Examples:

      aj conflicts

      aj conflicts --kind naming --format json

      aj conflicts --mark "naming:initiative:osa:tfgi-asean-japan-panel|wonk-50th-anniversary-summit" --note "checked"
    """
    from ..analysis import CONFLICT_KINDS, mark_reviewed
    from ..errors import UsageError
    from ..render import choose_format, opened

    unknown = [k for k in kind if k not in CONFLICT_KINDS]
    if unknown:
        raise UsageError(f"--kind: unknown kind {unknown[0]!r}; choose from {', '.join(CONFLICT_KINDS)}")
    if note is not None and mark is None:
        raise UsageError("--note goes with --mark KEY (the disagreement to mark reviewed)")
    eng = runtime.engine()
    if mark:
        from sqlalchemy.orm import Session

        from ..db import write_connection

        with write_connection(eng) as conn, Session(bind=conn) as session:
            mark_reviewed(session, mark, note)
            session.flush()
        runtime.message(f"marked reviewed: {mark}")
        return
    found = runtime.kb().conflicts(kind, include_reviewed)
    chosen = choose_format(fmt.value if fmt else None, output)
    if chosen == "table":
        _conflict_cards(found)
    elif chosen == "csv":
        from ..render import render

        flat = [{"key": c["key"], "kind": c["kind"], "subject": c["subject"], "reviewed": c["reviewed"],
                 "side": i + 1, "record": s["record"], "says": s["says"], "cited_by": s["cited_by"]}
                for c in found for i, s in enumerate(c["sides"])]
        render(flat, "csv", output)
    else:
        with opened(output) as stream:
            if chosen == "json":
                stream.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
            else:
                for c in found:
                    stream.write(json.dumps(c, ensure_ascii=False) + "\n")
    runtime.message(f"{len(found)} disagreement{'s' if len(found) != 1 else ''}")


def _conflict_cards(found: list[dict]) -> None:
    from rich.console import Group

    from ..render import data_console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = data_console()
    for c in found:
        table = Table(show_header=True, header_style="bold", expand=True, box=None)
        table.add_column("record", ratio=2, overflow="fold")
        table.add_column("says", ratio=4, overflow="fold")
        table.add_column("cited by", ratio=3, overflow="fold")
        for side in c["sides"]:
            table.add_row(side["record"], side["says"], "\n".join(side["cited_by"]))
        title = f"{c['kind']}: {c['subject']}" + ("  [reviewed]" if c["reviewed"] else "")
        key = Text(f"key: {c['key']}", style="dim", overflow="fold")
        console.print(Panel(Group(table, key), title=title, title_align="left"))


def compare(
    metric: Annotated[str, typer.Option("--metric", "-m", help="What to compare (aj query metrics lists them).")],
    subject: Annotated[Many, typer.Option("--subject", "-s", help="Actors to line up; repeat. Default: all.")] = [],
    population: Annotated[str | None, typer.Option("--population", help="Only figures whose population contains this text.")] = None,
    fmt: FormatOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write a chart (.png or .svg) or the data "
                                                "(.csv, .json, .jsonl; a table with --format table) to this file; "
                                                "- is stdout.", callback=dash_is_stdout)] = None,
) -> None:
    """Line up one measure across subjects and survey waves, as a table and a bar chart.

    Each value keeps its origin (the survey or report) and the documents that cite it, in the terminal, in CSV/JSON, and in the footnote of a PNG or SVG chart.

    Examples:

      aj compare --metric confidence-do-right-thing --subject japan --subject united-states --subject china

      aj compare --metric favourite-travel-destination --subject japan

      aj compare --metric confidence-do-right-thing --output trust.png
    """
    from ..charts import image_chart, terminal_chart
    from ..errors import UsageError
    from ..render import choose_format, render

    if output is not None and fmt is None and output.suffix.lower() not in (".png", ".svg", ".csv", ".json", ".jsonl", ".ndjson"):
        raise UsageError(f"--output {output}: write a chart as .png or .svg, or the data as .csv, .json or .jsonl")
    kb = runtime.kb()
    rows = kb.compare(metric, subject, population)
    measure = kb.metric_name(metric)
    if not rows:
        runtime.message("no figures for this measure and these subjects")
        return
    if output is not None and output.suffix.lower() in (".png", ".svg"):
        image_chart(rows, measure, output)
        runtime.message(f"{len(rows)} values charted in {output}")
        return
    chosen = choose_format(fmt.value if fmt else None, output)
    if chosen == "table":
        from ..render import opened

        if output is None:
            terminal_chart(rows, measure)
        else:
            with opened(output) as stream:
                terminal_chart(rows, measure, stream)
    else:
        render(rows, chosen, output)
    runtime.message(f"{len(rows)} value{'s' if len(rows) != 1 else ''}")


def timeline(
    actor: Annotated[Many, typer.Option("--actor", help="Events involving this actor; repeat to OR.")] = [],
    area: Annotated[Many, typer.Option("--area", "-a", help="Policy area (includes sub-areas).")] = [],
    initiative: Annotated[Many, typer.Option("--initiative", "-i", help="Events of this initiative.")] = [],
    document: Annotated[Many, typer.Option("--document", "-d", help="Events this document reports.")] = [],
    kind: Annotated[Many, typer.Option("--kind", "-k", help="Event kind (summit, upgrade, ...); leaves out initiative starts.")] = [],
    since: Annotated[str | None, typer.Option("--since", help="From: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Until: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    include_undated: Annotated[bool, typer.Option("--include-undated", help="List events without a date at the end.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Events and initiative milestones in date order.

    Dates keep the precision their source gives: an event known only to the month is shown as that month, never as a particular day, and sorts at the start of it.

    Examples:

      aj timeline --area security

      aj timeline --since 2023 --until 2024 --format csv
    """
    from ..analysis import TIMELINE_FIELDS
    from ..queries import Filters
    from ..render import choose_format, render

    filters = Filters(actor=actor, area=area, initiative=initiative, document=document, kind=kind, since=since, until=until)
    chosen = choose_format(fmt.value if fmt else None, output)
    rows = runtime.kb().timeline(filters, include_undated)
    count = render(rows, chosen, output, table_columns=["date", "what", "title", "actors", "cited_by"],
                   columns=TIMELINE_FIELDS)
    runtime.message(f"{count} dated item{'s' if count != 1 else ''}")
