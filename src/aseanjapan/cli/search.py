"""`aj search QUERY`: ranked full-text search across the knowledge base."""


from typing import Annotated

import typer

from . import runtime
from .options import FormatOption, OutputOption


def search(
    query: Annotated[str, typer.Argument(help='Words (all must match), "exact phrases", OR between two terms, '
                                         '-word or -"phrase" to exclude. At most 1,000 characters and 32 words.')],
    kind: Annotated[list[str], typer.Option("--kind", "-k", help="Only these kinds: claim, statistic, initiative, "
                                            "actor, event, document. Repeat to OR.")] = [],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10_000, help="At most this many hits.")] = 20,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Search the whole knowledge base, ranked.

    Covers claims, statistics, initiatives, actors, events and documents, full text of added sources included. Matches are highlighted in the snippet (as **word** in CSV and JSON); the score runs from 0 to 1 (the best hit), higher is better. SQLite and PostgreSQL give the same hits.

    Words match any case, without accents (Da Nang finds Đà Nẵng), in any form (invest, investing, investments). OR, in any case, joins the terms on either side: 'japan OR china trade' is (japan or china) and trade. An exclusion applies to the whole query. Everything else is literal: AND, NOT and * are words or punctuation; punctuation inside a term joins its parts into a phrase (58.9, US$12.5, Japan's, well-being).

    Examples:

      aj search maritime

      aj search '"digital identity"'

      aj search 'hydrogen OR "carbon capture" -IPEF' --kind claim

      aj search --kind claim -- '-piracy maritime'    (a query starting with - goes after --)
    """
    from ..render import MARK_CLOSE, MARK_OPEN, choose_format, render
    from ..search import HIT_FIELDS

    chosen = choose_format(fmt.value if fmt else None, output)
    # Matches keep the marks a table styles; the other formats write them as **word**.
    hits = runtime.kb().search(query, kind, limit, marks=(MARK_OPEN, MARK_CLOSE))
    columns = ["kind", "slug", "snippet"]
    count = render(hits, chosen, output, table_columns=columns, columns=HIT_FIELDS)
    more = " (as many as --limit allows; there may be more: raise it)" if count == limit else ""
    runtime.message(f"{count} hit{'s' if count != 1 else ''}" + (f" written to {output}" if output else "") + more)
