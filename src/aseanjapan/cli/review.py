"""`aj review`: decide on extraction candidates."""


from pathlib import Path
from typing import Annotated, Any

import typer

from . import runtime
from .options import FormatOption, OutputOption, renamed

app = typer.Typer(help="Review candidates proposed from added sources.", no_args_is_help=True)

Many = list[str]


@app.command("list")
@runtime.guarded
def list_(
    document: Annotated[Many, typer.Option("--document", "-d", help="Only candidates from this document.")] = [],
    types: Annotated[Many, typer.Option("--type", "-t", help="statistic, actor, initiative, date or entity.")] = [],
    old_kind: Annotated[Many, typer.Option("--kind", "-k", hidden=True, help="Earlier name of --type.")] = [],
    status: Annotated[Many, typer.Option("--status", help="pending (default), accepted or rejected.")] = [],
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, max=2**31 - 1)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List candidates with their proposal and the sentence they come from.

    Examples:

      aj review list

      aj review list --document tokyo-widens-maritime-aid --type statistic
    """
    from ..db import read_session
    from ..render import choose_format, render
    from ..review import CANDIDATE_FIELDS, CANDIDATE_KINDS, STATUSES, list_candidates

    kind = types + renamed(old_kind, "--kind", "--type")
    _check_choices("--type", kind, CANDIDATE_KINDS)
    _check_choices("--status", status, STATUSES)
    chosen = choose_format(fmt.value if fmt else None, output)
    with read_session(runtime.engine()) as session:
        rows = list_candidates(session, document, kind, status or ["pending"], limit)
    count = render(rows, chosen, output, table_columns=["candidate", "kind", "text", "proposal", "context"],
                   columns=CANDIDATE_FIELDS)
    runtime.message(f"{count} candidate{'s' if count != 1 else ''}")


def _check_choices(option: str, given: list[str], allowed: tuple[str, ...]) -> None:
    from ..errors import UsageError
    from ..spelling import choices_hint

    wrong = [value for value in given if value not in allowed]
    if wrong:
        raise UsageError(f"{option}: {wrong[0]!r} is not one of the choices{choices_hint(wrong[0], allowed)}")


def _chosen(eng: Any, candidates: list[str], all_: bool, document: list[str], kinds: list[str]) -> list[str]:
    """The candidates named, or with --all the pending ones matching --document and --type."""
    from ..db import read_session
    from ..errors import UsageError
    from ..review import CANDIDATE_KINDS, pending_slugs

    if not all_:
        if document or kinds:
            raise UsageError("--document and --type choose candidates with --all")
        if not candidates:
            raise UsageError("no candidates given: name them (see `aj review list`) or use --all")
        from ..review import candidate_slugs

        with read_session(eng) as session:
            return candidate_slugs(session, candidates)
    if candidates:
        raise UsageError("give candidate slugs or --all, not both")
    _check_choices("--type", kinds, CANDIDATE_KINDS)
    with read_session(eng) as session:
        chosen = pending_slugs(session, document, kinds)
    if not chosen:
        runtime.message("no pending candidates match (see `aj review list`)")
    return chosen


@app.command("accept")
@runtime.guarded
def accept(
    candidates: Annotated[Many, typer.Argument(help="Candidate slugs (from `aj review list`), or a document and "
                                               "its short ids: DOC c3 c7.")] = [],
    all_: Annotated[bool, typer.Option("--all", help="Every pending candidate matching --document and --type.")] = False,
    document: Annotated[Many, typer.Option("--document", "-d", help="With --all: only from this document.")] = [],
    kind_filter: Annotated[Many, typer.Option("--type", "-t", help="With --all: only candidates of this type.")] = [],
    old_of_kind: Annotated[Many, typer.Option("--of-kind", hidden=True, help="Earlier name of --type.")] = [],
    as_: Annotated[str | None, typer.Option("--as", help="Record it as: statistic, mention, event, actor, initiative or claim.")] = None,
    slug: Annotated[str | None, typer.Option("--slug", help="Slug for the new record.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Statistic: what it measures (aj query metrics).")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Statistic: the actor measured.")] = None,
    population: Annotated[str | None, typer.Option("--population", help="Statistic: among whom.")] = None,
    population_actor: Annotated[str | None, typer.Option("--population-actor", help="Statistic: the actor among whom.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="Statistic period, or event date: YYYY[-MM[-DD]].")] = None,
    origin: Annotated[str | None, typer.Option("--origin", help="Statistic: the document the figure comes from.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Statistic: percent, usd, count, ...")] = None,
    value: Annotated[float | None, typer.Option("--value", help="Statistic: the value, if not as proposed.")] = None,
    value_high: Annotated[float | None, typer.Option("--value-high", help="Statistic: the top of a range (40-50%: --value 40 --value-high 50).")] = None,
    approximation: Annotated[str | None, typer.Option("--approximation", help="exact, about, nearly, over, ...")] = None,
    link: Annotated[str | None, typer.Option("--link", help="Mention: the known actor or initiative meant.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Event title, or the name of a new actor or initiative.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Kind of the new event, actor, initiative or claim.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Claim: the assertion in your own words.")] = None,
    actor: Annotated[Many, typer.Option("--actor", help="Actors involved (event, claim, initiative).")] = [],
    initiative: Annotated[Many, typer.Option("--initiative", help="Initiatives involved (event, claim).")] = [],
    area: Annotated[Many, typer.Option("--area", help="Policy areas of the new record.")] = [],
    description: Annotated[str | None, typer.Option("--description", help="Description of the new record.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note kept with the decision and citation.")] = None,
    narrow: Annotated[str | None, typer.Option("--narrow", help="Cite only this part of the candidate's text "
                                               "(e.g. the organisation in a longer proposed name).")] = None,
    separate: Annotated[bool, typer.Option("--separate", help="A new record even if the figure or name is already "
                                           "held (by default it is cited as the held one).")] = False,
) -> None:
    """Turn candidates into cited records (all given candidates, or none).

    A figure becomes a statistic (give --metric), a known name a mention of its actor or initiative, a date an event (give --title), an unknown name a new actor or initiative (--as actor|initiative --kind KIND) or a mention of a known one (--link SLUG). Any candidate can instead support a claim written in your words (--as claim --text ...). Each record cites the candidate's exact span. A figure the knowledge base already holds (same metric, subject and period, the value equal within the rounding of either) or a name it already knows becomes a citation of the held record, and the command says so; --separate makes a new record instead.

    Examples:

      aj review accept doc-c3 --metric confidence-do-right-thing --subject japan --period 2024

      aj review accept doc c7 --as initiative --kind fund --area maritime-security

      aj review accept --all --document doc --type actor --type initiative
    """
    import sys

    from ..errors import UsageError
    from ..review import WARNING, Decision
    from ..review import accept as run_accept
    from ..textnorm import for_terminal

    eng = runtime.engine()
    candidates = _chosen(eng, candidates, all_, document, kind_filter + renamed(old_of_kind, "--of-kind", "--type"))
    if not candidates:
        return
    decision = Decision(as_=as_, slug=slug, metric=metric, subject=subject, population=population,
                        population_actor=population_actor, period=period, origin=origin, unit=unit, value=value, value_high=value_high,
                        approximation=approximation, link=link, title=title, kind=kind, text=text, actors=actor,
                        initiatives=initiative, areas=area, description=description, note=note, narrow=narrow,
                        separate=separate)
    if slug and len(candidates) > 1:
        raise UsageError("--slug names one record; give one candidate with it")
    for outcome in run_accept(eng, candidates, decision):
        if outcome.startswith(WARNING):
            runtime.message(f"aj: {outcome}")
        else:
            print(for_terminal(outcome) if sys.stdout.isatty() else outcome)
    runtime.message(f"{len(candidates)} accepted")


@app.command("reject")
@runtime.guarded
def reject(
    candidates: Annotated[Many, typer.Argument(help="Candidate slugs, or a document and its short ids: DOC c3 c7.")] = [],
    all_: Annotated[bool, typer.Option("--all", help="Every pending candidate matching --document and --type.")] = False,
    document: Annotated[Many, typer.Option("--document", "-d")] = [],
    kind_filter: Annotated[Many, typer.Option("--type", "-t", help="With --all: only candidates of this type.")] = [],
    old_of_kind: Annotated[Many, typer.Option("--of-kind", hidden=True, help="Earlier name of --type.")] = [],
    note: Annotated[str | None, typer.Option("--note", help="Why (kept with the decision).")] = None,
) -> None:
    """Reject candidates; the decision and its note are kept.

    Examples:

      aj review reject doc-c4 --note "a page number, not a figure"

      aj review reject --all --document doc --type entity
    """
    from ..review import reject as run_reject

    eng = runtime.engine()
    candidates = _chosen(eng, candidates, all_, document, kind_filter + renamed(old_of_kind, "--of-kind", "--type"))
    if not candidates:
        return
    runtime.message(f"{run_reject(eng, candidates, note)} rejected")


@app.command("walk")
@runtime.guarded
def walk(
    document: Annotated[Many, typer.Option("--document", "-d", help="Only candidates from this document.")] = [],
    types: Annotated[Many, typer.Option("--type", "-t", help="statistic, actor, initiative, date or entity.")] = [],
    old_kind: Annotated[Many, typer.Option("--kind", "-k", hidden=True, help="Earlier name of --type.")] = [],
) -> None:
    """Go through pending candidates one by one and decide at a prompt.

    For each candidate: a (accept), r (reject), s (skip) or q (quit). Accepting asks only for what the record still needs (a metric for a figure, a title for a date, what an unknown name is).

    Examples:

      aj review walk --document tokyo-widens-maritime-aid-to-manila
    """
    from ..db import read_session
    from ..errors import AjError
    from ..review import CANDIDATE_KINDS, Decision, list_candidates
    from ..review import accept as run_accept
    from ..review import reject as run_reject
    from ..textnorm import one_line

    kind = types + renamed(old_kind, "--kind", "--type")
    _check_choices("--type", kind, CANDIDATE_KINDS)
    eng = runtime.engine()
    with read_session(eng) as session:
        pending = list_candidates(session, document, kind)
    if not pending:
        runtime.message("nothing to review")
        return
    decided = 0
    for n, c in enumerate(pending, start=1):
        # Everything shown at the prompt comes from the database: no raw control characters.
        typer.echo("")
        typer.echo(one_line(f"[{n}/{len(pending)}] {c['candidate']}  ({c['kind']}, {c['document']} ¶{c['paragraph']})"))
        typer.echo(f"  text:     {one_line(str(c['text']))}")
        typer.echo(f"  proposal: {one_line(str(c['proposal']))}")
        typer.echo(f"  context:  {one_line(str(c['context']))}")
        choice = ""
        while choice not in ("a", "r", "s", "q"):
            if choice:
                typer.echo("  answer a, r, s or q", err=True)
            answer = typer.prompt("  a(ccept), r(eject), s(kip), q(uit)", default="s").strip().lower()
            choice = answer[:1] if answer in ("a", "accept", "r", "reject", "s", "skip", "q", "quit") else answer or "?"
        if choice == "q":
            break
        if choice == "r":
            run_reject(eng, [c["candidate"]], typer.prompt("  note", default="", show_default=False) or None)
            decided += 1
        elif choice == "a":
            decision = Decision()
            if c["kind"] == "statistic":
                decision.metric = typer.prompt("  metric (aj query metrics)")
                decision.subject = typer.prompt("  subject actor", default="", show_default=False) or None
                decision.period = typer.prompt("  period (YYYY[-MM[-DD]])", default="", show_default=False) or None
            elif c["kind"] == "date":
                decision.title = typer.prompt("  event title")
                decision.kind = typer.prompt("  event kind", default="other")
            elif c["kind"] == "entity":
                decision.as_ = typer.prompt("  record as (actor, initiative, or mention)", default="actor")
                if decision.as_ == "mention":
                    decision.link = typer.prompt("  which known actor or initiative")
                else:
                    decision.kind = typer.prompt(f"  {decision.as_} kind")
            try:
                for outcome in run_accept(eng, [c["candidate"]], decision):
                    typer.echo(f"  -> {one_line(outcome)}")
                decided += 1
            except AjError as exc:  # a wrong answer should not end the session
                typer.echo(f"  not accepted: {one_line(str(exc))}", err=True)
    runtime.message(f"{decided} decided, {len(pending) - decided} still pending")


@app.command("sheet")
@runtime.guarded
def sheet(
    document: Annotated[str, typer.Argument(help="The document (slug or title).")],
    output: OutputOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
) -> None:
    """Write a review sheet: every pending candidate of a document with a proposed decision.

    Edit it in any editor (each proposal says why in a comment), then apply it with `aj review apply`. Candidates are named by short ids (c1, c2, ...) that stay the same for the document.

    Examples:

      aj review sheet campus-poll-note -o poll.yaml

      aj review apply poll.yaml
    """
    import sys

    from ..sheet import write_sheet

    text, count = write_sheet(runtime.engine(), document, output, force)
    if output is None:
        sys.stdout.write(text)
    runtime.message(f"{count} candidate{'s' if count != 1 else ''} on the sheet"
                    + (f"; edit it, then: aj review apply {output}" if output is not None else ""))


@app.command("apply")
@runtime.guarded
def apply(
    sheet_file: Annotated[Path, typer.Argument(metavar="SHEET", help="A review sheet (from `aj review sheet`).")],
) -> None:
    """Apply every decision of a review sheet, all in one transaction.

    A problem anywhere is reported at its file:line and nothing is applied. Candidates already decided as the sheet says are left alone, so applying a sheet again changes nothing.

    Examples:

      aj review apply poll.yaml
    """
    import sys

    from ..review import WARNING
    from ..sheet import apply_sheet
    from ..textnorm import for_terminal

    done = apply_sheet(runtime.engine(), sheet_file)
    for line in done.lines:
        if line.startswith(WARNING):
            runtime.message(f"aj: {line}")
        else:
            print(for_terminal(line) if sys.stdout.isatty() else line)
    summary = f"{done.accepted} accepted, {done.rejected} rejected, {done.skipped} skipped"
    if done.unchanged:
        summary += f", {done.unchanged} already decided as the sheet says"
    runtime.message(summary if done.changed else f"nothing changed: {summary}")
