"""`aj review`: decide on extraction candidates."""


from pathlib import Path
from typing import Annotated, Any

import typer

from . import runtime
from .options import FormatOption, OutputOption, renamed

app = typer.Typer(help="Review candidates proposed from added sources, and record any passage by quote.",
                  no_args_is_help=True)
new_app = typer.Typer(help="Make a record a decision needs: a metric, or the survey or report figures come from.",
                      no_args_is_help=True)
app.add_typer(new_app, name="new")

Many = list[str]

# Options shared by `accept` (a candidate) and `add` (a quoted passage): one decision.
SlugOpt = Annotated[str | None, typer.Option("--slug", help="Slug for the new record.")]
MetricOpt = Annotated[str | None, typer.Option("--metric", help="Statistic: what it measures (aj query metrics).")]
NewMetricOpt = Annotated[str | None, typer.Option("--new-metric", help="Statistic: a new metric of this name, made with it (in the figure's unit).")]
MetricDescOpt = Annotated[str | None, typer.Option("--metric-description", help="With --new-metric: what it measures.")]
MetricAliasOpt = Annotated[Many, typer.Option("--metric-alias", help="With --new-metric: another name readers use for it; repeat.")]
SubjectOpt = Annotated[str | None, typer.Option("--subject", help="Statistic: the actor measured.")]
PopulationOpt = Annotated[str | None, typer.Option("--population", help="Statistic: among whom.")]
PopActorOpt = Annotated[str | None, typer.Option("--population-actor", help="Statistic: the actor among whom.")]
PeriodOpt = Annotated[str | None, typer.Option("--period", help="Statistic period, or event date: YYYY[-MM[-DD]].")]
OriginOpt = Annotated[str | None, typer.Option("--origin", help="Statistic: the document the figure comes from.")]
UnitOpt = Annotated[str | None, typer.Option("--unit", help="Statistic: percent, usd, count, ...")]
ValueOpt = Annotated[float | None, typer.Option("--value", help="Statistic: the value, if not as proposed.")]
ValueHighOpt = Annotated[float | None, typer.Option("--value-high", help="Statistic: the top of a range (40-50%: --value 40 --value-high 50).")]
ApproxOpt = Annotated[str | None, typer.Option("--approximation", help="exact, about, nearly, over, ...")]
LinkOpt = Annotated[str | None, typer.Option("--link", help="Mention: the known record meant (actor or initiative by name; statistic, claim or event by slug).")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Event title, or the name of a new actor or initiative.")]
KindOpt = Annotated[str | None, typer.Option("--kind", help="Kind of the new event, actor, initiative or claim.")]
TextOpt = Annotated[str | None, typer.Option("--text", help="Claim: the assertion in your own words.")]
HolderOpt = Annotated[Many, typer.Option("--holder", help="Claim: who holds the view; repeat.")]
ActorOpt = Annotated[Many, typer.Option("--actor", help="Actors involved (event, claim, initiative).")]
InitiativeOpt = Annotated[Many, typer.Option("--initiative", help="Initiatives involved (event, claim).")]
AreaOpt = Annotated[Many, typer.Option("--area", help="Policy areas of the new record.")]
DescriptionOpt = Annotated[str | None, typer.Option("--description", help="Description of the new record.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A note kept with the decision and citation.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="New actor: its country.")]
AffiliationOpt = Annotated[Many, typer.Option("--affiliation", help="New actor: ORGANISATION[:ROLE] it belongs to; repeat.")]
AcronymOpt = Annotated[str | None, typer.Option("--acronym", help="New initiative: its acronym.")]
StatusOpt = Annotated[str | None, typer.Option("--status", help="New initiative: proposed, planned, active, concluded or unknown.")]
StartedOpt = Annotated[str | None, typer.Option("--started", help="New initiative: when it began, YYYY[-MM[-DD]].")]
ParticipantOpt = Annotated[Many, typer.Option("--participant", help="New initiative: ACTOR[:ROLE] (lead, partner, member, funder, ...); repeat.")]
SeparateOpt = Annotated[bool, typer.Option("--separate", help="A new record even if the figure or name is already "
                                           "held (by default it is cited as the held one).")]
NoDefaultsOpt = Annotated[bool, typer.Option("--no-defaults", help="Do not fill empty fields from the document's defaults.")]


def _pairs(option: str, given: list[str], roles: tuple[str, ...] | None = None, default: str = "") -> list[tuple[str, str]]:
    """ACTOR[:ROLE] values as (actor, role); with `roles`, the role must be one of them."""
    from ..errors import UsageError
    from ..spelling import choices_hint

    out = []
    for value in given:
        name, _, role = value.rpartition(":") if ":" in value else (value, "", default)
        name, role = name.strip(), role.strip() or default
        if not name:
            raise UsageError(f"{option}: {value!r} names no actor (give ACTOR or ACTOR:ROLE)")
        if roles is not None and role not in roles:
            raise UsageError(f"{option}: role {role!r} is not one of the choices{choices_hint(role, roles)}")
        out.append((name, role))
    return out


def _decision(**given: Any) -> Any:
    """A Decision from the shared options (renamed where the option names differ)."""
    from .. import vocab
    from ..review import Decision

    given["participants"] = _pairs("--participant", given.pop("participant"), vocab.PARTICIPANT_ROLES, "partner")
    given["affiliations"] = _pairs("--affiliation", given.pop("affiliation"))
    given["use_defaults"] = not given.pop("no_defaults")
    renames = {"actor": "actors", "initiative": "initiatives", "area": "areas", "holder": "holders",
               "new_metric": "metric_name", "metric_alias": "metric_names"}
    return Decision(**{renames.get(k, k): v for k, v in given.items()})


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
    slug: SlugOpt = None, metric: MetricOpt = None, new_metric: NewMetricOpt = None,
    metric_description: MetricDescOpt = None, metric_alias: MetricAliasOpt = [], subject: SubjectOpt = None,
    population: PopulationOpt = None, population_actor: PopActorOpt = None, period: PeriodOpt = None,
    origin: OriginOpt = None, unit: UnitOpt = None, value: ValueOpt = None, value_high: ValueHighOpt = None,
    approximation: ApproxOpt = None, link: LinkOpt = None, title: TitleOpt = None, kind: KindOpt = None,
    text: TextOpt = None, holder: HolderOpt = [], actor: ActorOpt = [], initiative: InitiativeOpt = [],
    area: AreaOpt = [], description: DescriptionOpt = None, note: NoteOpt = None, country: CountryOpt = None,
    affiliation: AffiliationOpt = [], acronym: AcronymOpt = None, status: StatusOpt = None,
    started: StartedOpt = None, participant: ParticipantOpt = [], no_defaults: NoDefaultsOpt = False,
    narrow: Annotated[str | None, typer.Option("--narrow", help="Cite only this part of the candidate's text "
                                               "(e.g. the organisation in a longer proposed name).")] = None,
    separate: SeparateOpt = False,
) -> None:
    """Turn candidates into cited records (all given candidates, or none).

    A figure becomes a statistic (give --metric, or --new-metric NAME), a known name a mention of its actor or initiative, a date an event (give --title), an unknown name a new actor or initiative (--as actor|initiative --kind KIND) or a mention of a known record (--link SLUG). Any candidate can instead support a claim written in your words (--as claim --text ...). Each record cites the candidate's exact span. A figure the knowledge base already holds (same metric, subject and period, the value equal within the rounding of either) or a name it already knows becomes a citation of the held record, and the command says so; --separate makes a new record instead. What the decision leaves empty is taken from the document's defaults (`aj review defaults`).

    Examples:

      aj review accept doc-c3 --metric confidence-do-right-thing --subject japan --period 2024

      aj review accept doc c7 --as initiative --kind fund --area maritime-security --participant japan:funder

      aj review accept --all --document doc --type actor --type initiative
    """
    import sys

    from ..errors import UsageError
    from ..review import WARNING
    from ..review import accept as run_accept
    from ..textnorm import for_terminal

    eng = runtime.engine()
    candidates = _chosen(eng, candidates, all_, document, kind_filter + renamed(old_of_kind, "--of-kind", "--type"))
    if not candidates:
        return
    decision = _decision(
        as_=as_, slug=slug, metric=metric, new_metric=new_metric, metric_description=metric_description,
        metric_alias=metric_alias, subject=subject, population=population, population_actor=population_actor,
        period=period, origin=origin, unit=unit, value=value, value_high=value_high, approximation=approximation,
        link=link, title=title, kind=kind, text=text, holder=holder, actor=actor, initiative=initiative, area=area,
        description=description, note=note, country=country, affiliation=affiliation, acronym=acronym,
        status=status, started=started, participant=participant, no_defaults=no_defaults, narrow=narrow, separate=separate)
    if slug and len(candidates) > 1:
        raise UsageError("--slug names one record; give one candidate with it")
    if new_metric and len(candidates) > 1:
        raise UsageError("--new-metric makes one metric; give one candidate with it, then --metric for the others")
    _print_outcomes(run_accept(eng, candidates, decision), sys.stdout.isatty(), WARNING, for_terminal)
    runtime.message(f"{len(candidates)} accepted")


def _print_outcomes(outcomes: list[str], tty: bool, warning: str, shown: Any) -> None:
    for outcome in outcomes:
        if outcome.startswith(warning):
            runtime.message(f"aj: {outcome}")
        else:
            print(shown(outcome) if tty else outcome)


@app.command("add")
@runtime.guarded
def add(
    what: Annotated[str, typer.Argument(metavar="KIND", help="claim, statistic, event, actor, initiative, or mention (a citation of a known record, with --link).")],
    document: Annotated[str, typer.Argument(help="The document (slug or title) whose words are quoted.")],
    quote: Annotated[str, typer.Option("--quote", "-q", help="The words, as the text gives them (whitespace, quotes and dashes may differ).")],
    prefix: Annotated[str | None, typer.Option("--prefix", help="The words just before the quote, when it occurs more than once.")] = None,
    suffix: Annotated[str | None, typer.Option("--suffix", help="The words just after the quote, when it occurs more than once.")] = None,
    paragraph: Annotated[int | None, typer.Option("--paragraph", "-p", min=1, help="Look for the quote in this paragraph only.")] = None,
    slug: SlugOpt = None, metric: MetricOpt = None, new_metric: NewMetricOpt = None,
    metric_description: MetricDescOpt = None, metric_alias: MetricAliasOpt = [], subject: SubjectOpt = None,
    population: PopulationOpt = None, population_actor: PopActorOpt = None, period: PeriodOpt = None,
    origin: OriginOpt = None, unit: UnitOpt = None, value: ValueOpt = None, value_high: ValueHighOpt = None,
    approximation: ApproxOpt = None, link: LinkOpt = None, title: TitleOpt = None, kind: KindOpt = None,
    text: TextOpt = None, holder: HolderOpt = [], actor: ActorOpt = [], initiative: InitiativeOpt = [],
    area: AreaOpt = [], description: DescriptionOpt = None, note: NoteOpt = None, country: CountryOpt = None,
    affiliation: AffiliationOpt = [], acronym: AcronymOpt = None, status: StatusOpt = None,
    started: StartedOpt = None, participant: ParticipantOpt = [], no_defaults: NoDefaultsOpt = False,
    separate: SeparateOpt = False,
) -> None:
    """Record any passage of a stored text, found by quoting it: a claim in your words, or a figure, event, actor or initiative the extractor missed, or a citation of a record already known.

    The quote is found in the document's text and the record cites exactly those words; it must occur once (give --prefix, --suffix or --paragraph otherwise). Candidates inside the passage need not exist or be pending; one at exactly the quoted words is decided with it. Takes the options of `aj review accept`, and the document's defaults.

    Examples:

      aj review add claim my-poll --quote "The poll's authors credit Tokyo's scholarship schemes" --text "The authors attribute the goodwill largely to Japanese scholarships." --holder japan

      aj review add statistic my-poll --quote "61.3 percent" --metric confidence-do-right-thing --subject japan

      aj review add mention my-poll --quote "58.9%" --link iseas-2024-confidence-japan
    """
    import sys

    from ..quotes import Quote
    from ..review import WARNING
    from ..review import add as run_add
    from ..textnorm import for_terminal

    decision = _decision(
        as_=None, slug=slug, metric=metric, new_metric=new_metric, metric_description=metric_description,
        metric_alias=metric_alias, subject=subject, population=population, population_actor=population_actor,
        period=period, origin=origin, unit=unit, value=value, value_high=value_high, approximation=approximation,
        link=link, title=title, kind=kind, text=text, holder=holder, actor=actor, initiative=initiative, area=area,
        description=description, note=note, country=country, affiliation=affiliation, acronym=acronym,
        status=status, started=started, participant=participant, no_defaults=no_defaults, narrow=None,
        separate=separate)
    outcomes = run_add(runtime.engine(), document, what, Quote(quote, prefix, suffix), decision, paragraph)
    _print_outcomes(outcomes, sys.stdout.isatty(), WARNING, for_terminal)


@app.command("defaults")
@runtime.guarded
def defaults(
    document: Annotated[str, typer.Argument(help="The document (slug or title).")],
    origin: Annotated[str | None, typer.Option("--origin", help="The survey or report its figures come from (a known document; `aj review new origin` makes one).")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="The actor its figures measure.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="The year or wave of its figures: YYYY[-MM[-DD]].")] = None,
    population: Annotated[str | None, typer.Option("--population", help="Among whom its figures were measured.")] = None,
    area: Annotated[Many, typer.Option("--area", help="Policy areas of its records; repeat.")] = [],
    clear: Annotated[Many, typer.Option("--clear", help="Empty this default: origin, subject, period, population or areas; repeat.")] = [],
    new_origin: Annotated[str | None, typer.Option("--new-origin", help="Make the origin document with this title (as `aj review new origin`) and make it the default.")] = None,
    origin_kind: Annotated[str, typer.Option("--origin-kind", help="With --new-origin: survey-report, report, ...")] = "report",
    origin_publisher: Annotated[str | None, typer.Option("--origin-publisher", help="With --new-origin: who published it.")] = None,
    origin_date: Annotated[str | None, typer.Option("--origin-date", help="With --new-origin: when it was published.")] = None,
    origin_url: Annotated[str | None, typer.Option("--origin-url", help="With --new-origin: where it lives online.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Show or set what every decision on a document's passages takes unless it says otherwise.

    Without options, shows the defaults. Options set those named and keep the others. `aj review accept`, `aj review add` (and a review sheet) fill a statistic's empty origin, subject, period and population, and any record's empty areas, from them; --no-defaults on a decision ignores them.

    Examples:

      aj review defaults my-poll --origin mekong-youth-outlook-2025 --period 2025 --population "students in five Mekong countries" --area public-opinion

      aj review defaults my-poll --new-origin "Mekong Youth Outlook 2025" --origin-kind survey-report --origin-date 2025 --period 2025

      aj review defaults my-poll
    """
    from ..curation import get_defaults, set_defaults
    from ..render import choose_format, render

    changes = {name: value for name, value in (("origin", origin), ("subject", subject), ("period", period),
                                               ("population", population)) if value is not None}
    if area:
        changes["areas"] = area
    made = None
    if new_origin is not None:
        made = {"title": new_origin, "kind": origin_kind, "publisher": origin_publisher, "published": origin_date,
                "url": origin_url}
    elif origin_publisher or origin_date or origin_url or origin_kind != "report":
        from ..errors import UsageError

        raise UsageError("--origin-kind, --origin-publisher, --origin-date and --origin-url describe a --new-origin")
    eng = runtime.engine()
    result = (set_defaults(eng, document, changes, clear, made) if changes or clear or made
              else get_defaults(eng, document))
    row = result.as_dict()
    chosen = choose_format(fmt.value if fmt else None, None)
    if chosen == "table":
        for name, value in row.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            print(f"{name + ':':<12}{shown if shown else '-'}")
    else:
        render([row], chosen, None, columns=list(row))
    if made:
        runtime.message(f"new origin document {result.origin}")
    if changes or clear or made:
        runtime.message("defaults saved")


@new_app.command("metric")
@runtime.guarded
def new_metric_command(
    name: Annotated[str, typer.Argument(help="What it measures, as a short name.")],
    unit: Annotated[str, typer.Option("--unit", help="percent, percentage-points, usd, jpy, count, years, rank, ratio, ...")],
    description: Annotated[str | None, typer.Option("--description", help="What exactly is measured, and how.")] = None,
    alias: Annotated[Many, typer.Option("--alias", help="Another name readers use for it; repeat.")] = [],
    slug: SlugOpt = None,
) -> None:
    """Make a metric (what figures measure); prints its slug.

    To make one while recording a figure, give --new-metric NAME to `aj review accept` or `aj review add statistic` instead.

    Examples:

      aj review new metric "Trust in a partner to keep its word" --unit percent --alias "trust"
    """
    from ..curation import new_metric

    print(new_metric(runtime.engine(), name, unit, description, alias, slug))


@new_app.command("origin")
@runtime.guarded
def new_origin_command(
    title: Annotated[str, typer.Argument(help="The survey's or report's title.")],
    kind: Annotated[str, typer.Option("--kind", help="survey-report, report, book, ... (data/seed/README.md).")] = "report",
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it (a known actor).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="When it was published: YYYY[-MM[-DD]].")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it lives online.")] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="What it is, in your words.")] = None,
    slug: SlugOpt = None,
) -> None:
    """Make a document that figures come from (the survey or report an article cites) without its text; prints its slug.

    Examples:

      aj review new origin "Mekong Youth Outlook 2025" --kind survey-report --date 2025 --url https://example.org/myo-2025
    """
    from ..curation import new_origin

    print(new_origin(runtime.engine(), title, kind=kind, publisher=publisher, published=date, url=url,
                     summary=summary, slug=slug))


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
