"""`aj query KIND`: list records with filters."""


from typing import Annotated

import typer

from . import runtime
from .options import FormatOption, OutputOption, complete_type

Many = list[str]
MAX_ROWS = 2**31 - 1  # larger values overflow the databases' integers


def query(
    record_type: Annotated[str, typer.Argument(
        metavar="TYPE", autocompletion=complete_type,
        help="What to list: documents, actors, initiatives, claims, statistics, events, areas or metrics "
             "(singular works too).")],
    area: Annotated[Many, typer.Option("--area", "-a", help="Policy area slug (includes sub-areas); repeat to OR.")] = [],
    actor: Annotated[Many, typer.Option("--actor", help="Actor slug, name or alias; repeat to OR. Records involving "
                                        "the actor; for documents, an author or the publisher.")] = [],
    initiative: Annotated[Many, typer.Option("--initiative", "-i", help="Initiative slug, name, acronym or alias.")] = [],
    document: Annotated[Many, typer.Option("--document", "-d", help="Only records this document cites.")] = [],
    kind_: Annotated[Many, typer.Option("--kind", "-k", help="The records' own kind: an initiative's (framework, "
                                        "fund), a document's (op-ed), a claim's (recommendation), an event's (summit).")] = [],
    status: Annotated[Many, typer.Option("--status", help="Initiative status: proposed, planned, active, concluded.")] = [],
    subject: Annotated[Many, typer.Option("--subject", help="Statistics: the actor measured (japan).")] = [],
    metric: Annotated[Many, typer.Option("--metric", help="Statistics: what is measured (aj query metrics).")] = [],
    unit: Annotated[Many, typer.Option("--unit", help="Statistics or metrics: percent, usd, count, ...")] = [],
    origin: Annotated[Many, typer.Option("--origin", help="Statistics: the source of the figure (iseas-sea-2024).")] = [],
    since: Annotated[str | None, typer.Option("--since", help="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="On or before: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    contains: Annotated[str | None, typer.Option("--contains", "-c", help="Text that must appear (any case), in the record's text, title or name, or an actor's or initiative's other names.")] = None,
    sort: Annotated[str | None, typer.Option("--sort", help="Field to sort by (e.g. name, date, value).")] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0, max=MAX_ROWS, help="At most this many rows.")] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, max=MAX_ROWS, help="Skip this many rows first.")] = 0,
    include_unreviewed: Annotated[bool, typer.Option("--include-unreviewed", help="Statistics: add figures proposed "
                                                     "from added sources that nobody has reviewed yet.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List records of one TYPE, filtered.

    Filters combine with AND; repeating an option ORs its values. Records can be named by slug, name, acronym or alias.

    Examples:

      aj query initiatives --area security

      aj query statistics --subject japan --format csv > trust.csv

      aj query claims --initiative OSA --kind recommendation

      aj query events --since 2023-09 --until 2023-12 --sort date
    """
    from ..kinds import kind as kind_of, record_type as type_named
    from ..queries import Filters
    from ..render import choose_format, render

    singular = type_named(record_type, label="TYPE", plural=True)
    kind = kind_of(singular).plural

    filters = Filters(
        area=area, actor=actor, initiative=initiative, document=document, kind=kind_, status=status,
        subject=subject, metric=metric, unit=unit, origin=origin, since=since, until=until,
        contains=contains, sort=sort, reverse=reverse, limit=limit, offset=offset,
        include_unreviewed=include_unreviewed,
    )
    chosen = choose_format(fmt.value if fmt else None, output)
    rows = runtime.kb().query(kind, filters)
    reviewed = ["reviewed"] if include_unreviewed and kind == "statistics" else []
    count = render(rows, chosen, output, table_columns=[*kind_of(kind).columns, *reviewed],
                   columns=[*kind_of(kind).fields, *reviewed])
    # A full page may not be all there is: say so, rather than count what was cut off.
    more = " (as many as --limit allows; there may be more: raise it, or page with --offset)" if limit and count == limit else ""
    runtime.message(f"{count} {singular if count == 1 else kind}" + (f" written to {output}" if output else "") + more)
