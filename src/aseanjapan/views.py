"""Read-only views that join records with their names and citations, for people who open
the database with Datasette, sqlite-utils, psql or a spreadsheet's database connector:
every figure, claim, initiative, event and actor with who and what it names and the
sources citing it, as "title (date) ¶N", with no join to write.

The views are derived objects, like the search entries: `migrate.upgrade` drops them
before migrations run (a migration that rebuilds or alters a table would otherwise trip
over a view reading it) and creates them again once the schema is at head, and whenever
VIEWS_VERSION differs from the one kb_meta records. Raise it when a definition changes.
"""

from __future__ import annotations

from sqlalchemy import Connection

VIEWS_VERSION = "1"
SEPARATOR = "; "


def _dialect_sql(conn: Connection) -> tuple[object, object]:
    """(aggregate, iso_date) SQL builders for the connection's database."""
    if conn.dialect.name == "postgresql":
        return (lambda expr: f"string_agg({expr}, '{SEPARATOR}' ORDER BY {expr})",
                lambda column: f"to_char({column}, 'YYYY-MM-DD')")
    return (lambda expr: f"group_concat({expr}, '{SEPARATOR}')", lambda column: column)


def _fuzzy(iso: str, precision: str) -> str:
    """A date at its precision, as aj writes it: 2023-09-14, 2023-09, 2023, 2020s."""
    return (f"CASE {precision} WHEN 'day' THEN {iso} WHEN 'month' THEN substr({iso}, 1, 7) "
            f"WHEN 'year' THEN substr({iso}, 1, 4) WHEN 'decade' THEN substr({iso}, 1, 3) || '0s' END")


def _number(column: str) -> str:
    # Whole numbers without ".0", the same on both backends.
    return (f"CASE WHEN {column} = round({column}) AND abs({column}) < 1e15 THEN cast(cast({column} AS bigint) AS varchar(40)) "
            f"ELSE cast({column} AS varchar(40)) END")


def definitions(conn: Connection) -> dict[str, str]:
    """Each view's SELECT, for this connection's database."""
    agg, iso = _dialect_sql(conn)
    published = _fuzzy(iso("d.published_on"), "d.published_precision")
    # A citation as a reader follows it: the source's title, its date, the paragraph.
    cite = (f"d.title || coalesce(' (' || {published} || ')', '') || coalesce(' ¶' || cast(c.paragraph AS varchar(12)), '')")

    def cited_by(column: str, owner: str) -> str:
        return (f"(SELECT {agg(cite)} FROM citations c JOIN documents d ON d.id = c.document_id "
                f"WHERE c.{column} = {owner}.id)")

    def names(link: str, column: str, owner: str, label: str = "a.name") -> str:
        return (f"(SELECT {agg(label)} FROM {link} l JOIN actors a ON a.id = l.actor_id "
                f"WHERE l.{column} = {owner}.id)")

    return {
        "statistics_with_sources": f"""
            SELECT s.slug, m.name AS metric, s.value, s.value_high, s.unit, s.approximation,
                   subject.name AS subject, s.population, population_actor.name AS population_actor,
                   {_fuzzy(iso('s.period_start'), 's.period_precision')} AS period,
                   {_fuzzy(iso('s.period_end'), 's.period_end_precision')} AS period_end,
                   origin.title AS origin, s.description,
                   {cited_by('statistic_id', 's')} AS cited_by,
                   (SELECT {agg('c.reported_as')} FROM citations c WHERE c.statistic_id = s.id) AS reported_as,
                   m.slug AS metric_slug, subject.slug AS subject_slug, origin.slug AS origin_slug
            FROM statistics s
            JOIN metrics m ON m.id = s.metric_id
            LEFT JOIN actors subject ON subject.id = s.subject_id
            LEFT JOIN actors population_actor ON population_actor.id = s.population_actor_id
            LEFT JOIN documents origin ON origin.id = s.origin_document_id""",
        "claims_with_sources": f"""
            SELECT cl.slug, cl.kind, cl.text,
                   {names('claim_holders', 'claim_id', 'cl')} AS holders,
                   {names('claim_actors', 'claim_id', 'cl')} AS actors,
                   (SELECT {agg('i.name')} FROM claim_initiatives l JOIN initiatives i ON i.id = l.initiative_id
                    WHERE l.claim_id = cl.id) AS initiatives,
                   {cited_by('claim_id', 'cl')} AS cited_by
            FROM claims cl""",
        "initiatives_with_sources": f"""
            SELECT i.slug, i.name, i.acronym, i.kind, i.status,
                   {_fuzzy(iso('i.started_on'), 'i.started_precision')} AS started,
                   {names('initiative_participants', 'initiative_id', 'i', "a.name || ' (' || l.role || ')'")} AS participants,
                   (SELECT {agg('pa.name')} FROM initiative_areas l JOIN policy_areas pa ON pa.id = l.area_id
                    WHERE l.initiative_id = i.id) AS areas,
                   i.description,
                   {cited_by('initiative_id', 'i')} AS cited_by
            FROM initiatives i""",
        "events_with_sources": f"""
            SELECT e.slug, {_fuzzy(iso('e.occurred_on'), 'e.date_precision')} AS date,
                   {_fuzzy(iso('e.ended_on'), 'e.end_precision')} AS end_date,
                   e.title, e.kind,
                   {names('event_actors', 'event_id', 'e')} AS actors,
                   (SELECT {agg('i.name')} FROM event_initiatives l JOIN initiatives i ON i.id = l.initiative_id
                    WHERE l.event_id = e.id) AS initiatives,
                   e.description,
                   {cited_by('event_id', 'e')} AS cited_by
            FROM events e""",
        "actors_with_sources": f"""
            SELECT a.slug, a.name, a.kind, country.name AS country, a.description,
                   (SELECT {agg('n.name')} FROM names n WHERE n.actor_id = a.id) AS other_names,
                   {cited_by('actor_id', 'a')} AS cited_by
            FROM actors a
            LEFT JOIN actors country ON country.id = a.country_id""",
        "citations_with_sources": f"""
            SELECT c.id AS citation,
                   CASE WHEN c.claim_id IS NOT NULL THEN 'claim' WHEN c.statistic_id IS NOT NULL THEN 'statistic'
                        WHEN c.event_id IS NOT NULL THEN 'event' WHEN c.initiative_id IS NOT NULL THEN 'initiative'
                        ELSE 'actor' END AS record_kind,
                   coalesce(cl.slug, s.slug, e.slug, i.slug, a.slug) AS record,
                   coalesce(cl.text, m.name || ': ' || {_number('s.value')} || ' ' || s.unit, e.title, i.name, a.name)
                       AS record_label,
                   d.title AS document, {published} AS published, c.paragraph, c.char_start, c.char_end,
                   c.reported_as, c.note, d.slug AS document_slug
            FROM citations c
            JOIN documents d ON d.id = c.document_id
            LEFT JOIN claims cl ON cl.id = c.claim_id
            LEFT JOIN statistics s ON s.id = c.statistic_id
            LEFT JOIN metrics m ON m.id = s.metric_id
            LEFT JOIN events e ON e.id = c.event_id
            LEFT JOIN initiatives i ON i.id = c.initiative_id
            LEFT JOIN actors a ON a.id = c.actor_id""",
    }


VIEW_NAMES = ("statistics_with_sources", "claims_with_sources", "initiatives_with_sources",
              "events_with_sources", "actors_with_sources", "citations_with_sources")


def drop_views(conn: Connection) -> None:
    for name in VIEW_NAMES:
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")


def create_views(conn: Connection) -> None:
    """(Re)create every view, in the caller's transaction."""
    drop_views(conn)
    for name, select in definitions(conn).items():
        conn.exec_driver_sql(f"CREATE VIEW {name} AS {select}")
