"""Exporting the whole knowledge base: every table as CSV/JSON/JSONL, or one bundle.

Both read in keyset-paginated batches and write as they go, so memory stays flat
however large the database. Table exports replace internal ids with slugs. The bundle
export is in the format `aj load` reads; loading it into a fresh database reproduces
this one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Table, select

from . import tables as schema
from .batching import slices
from .kinds import CITED
from .dates import format_fuzzy
from .render import write_excel_csv, write_json, write_jsonl
from .textnorm import json_text

BATCH = 2000
# Derived or internal tables (search index, metadata, history): not records of the knowledge base.
SKIPPED_TABLES = {"search_entries", "kb_meta", "change_sets", "change_records", "change_capture"}


# ---- keyset pagination ------------------------------------------------------------------------

def batches(conn: Connection, table: Table, size: int = BATCH) -> Iterator[list[Any]]:
    """All rows of a table, `size` at a time, in slug order (so exports do not depend on
    the order records were added in)."""
    key = table.c.slug if "slug" in table.c else table.c.id
    last = None
    while True:
        query = select(table).order_by(key).limit(size)
        if last is not None:
            query = query.where(key > last)
        rows = conn.execute(query).all()
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], key.name)


# ---- tables -----------------------------------------------------------------------------------

# The tables of records documents cite -> their column in `citations`.
CITED_TABLES = {kind.table: kind.id_column for kind in CITED}


def _table_query(table: Table, dialect: str, include_unreviewed: bool = False, empty_as_null: bool = False) -> Any:
    """One SELECT per table, so the database does the work and rows stream straight from the
    cursor: foreign keys shown as the referenced record's slug, cited records followed by
    `cited_by` ("document ¶N; ..."), pending candidates left out unless asked for.

    On SQLite the values are shaped in SQL too (whole floats as integers, timestamps to the
    second), so a CSV export is `csv.writer.writerows(cursor)` with no Python per row.
    `empty_as_null` leaves an uncited record's `cited_by` NULL, which COPY writes as an
    empty field (it would quote an empty string)."""
    from sqlalchemy import DateTime, func

    columns: list[Any] = []
    joins = []
    for column in table.columns:
        if column.name == "id" and column.primary_key:
            continue
        fks = list(column.foreign_keys)
        if fks and "slug" in fks[0].column.table.c:
            target = fks[0].column.table.alias(f"{column.name}_ref")
            joins.append((target, target.c.id == column))
            columns.append(target.c.slug.label(column.name.removesuffix("_id")))
        elif dialect == "sqlite":
            columns.append(_sqlite_shaped(column))
        elif isinstance(column.type, DateTime):
            columns.append(func.date_trunc("second", column).label(column.name))
        else:
            columns.append(column)
    if table.name in CITED_TABLES:
        cited_by = _cited_by(table, CITED_TABLES[table.name], dialect, joins)
        columns.append((cited_by if empty_as_null else func.coalesce(cited_by, "")).label("cited_by"))
    query = select(*columns).select_from(table)
    for target, on in joins:
        query = query.outerjoin(target, on)
    if table.name == "candidates" and not include_unreviewed:
        query = query.where(table.c.status != "pending")
    order = [table.c.slug] if "slug" in table.c else [table.c.id] if "id" in table.c else list(table.primary_key.columns)
    return query.order_by(*order)


def _sqlite_shaped(column: Any) -> Any:
    """What the portable converters below do, as SQL: 100000.0 -> 100000, and a stored
    timestamp cut at its fraction of a second."""
    from sqlalchemy import DateTime, Float, Integer, case, cast, func

    if isinstance(column.type, Float):
        whole = (column == cast(column, Integer)) & (func.abs(column) < 2**53)
        return case((whole, cast(column, Integer)), else_=column).label(column.name)
    if isinstance(column.type, DateTime):
        dot = func.instr(column, ".")
        return case((dot > 0, func.substr(column, 1, dot - 1)), else_=column).label(column.name)
    return column


def _cited_by(table: Table, column: str, dialect: str, joins: list[Any]) -> Any:
    """Each distinct "document ¶N" citing the row, in document then paragraph order, '; '-joined.

    PostgreSQL aggregates every record's citations once and joins them in (a hash join beats
    a subquery per row there); SQLite runs a correlated subquery on the citations index."""
    from sqlalchemy import Integer, Text, literal_column, text

    entry = "CASE WHEN c.paragraph IS NULL THEN d.slug ELSE d.slug || ' ¶' || c.paragraph END"
    cites = f"FROM citations c JOIN documents d ON d.id = c.document_id WHERE c.{column}"
    if dialect == "postgresql":
        provenance = text(
            "SELECT x.owner, string_agg(x.entry, '; ' ORDER BY x.doc, x.paragraph NULLS FIRST) AS cited_by FROM "
            f"(SELECT DISTINCT c.{column} AS owner, d.slug AS doc, c.paragraph, {entry} AS entry {cites} IS NOT NULL) AS x "
            "GROUP BY x.owner"
        ).columns(owner=Integer, cited_by=Text).subquery("provenance")
        joins.append((provenance, provenance.c.owner == table.c.id))
        return provenance.c.cited_by
    # SQLite before 3.44 has no ORDER BY inside group_concat: it concatenates in the order the
    # ordered subquery delivers (a test holds it to that). GROUP BY both dedupes and sorts.
    return literal_column(
        f"(SELECT group_concat(x.entry, '; ') FROM (SELECT d.slug AS doc, c.paragraph AS paragraph, {entry} AS entry "
        f"{cites} = {table.name}.id GROUP BY d.slug, c.paragraph ORDER BY d.slug, c.paragraph) AS x)")


def _converters(table: Table, names: list[str]) -> list[tuple[int, Any]]:
    """(position, function) for the few columns whose driver values need shaping: whole floats
    as integers, dates and times as ISO text (the same on SQLite and PostgreSQL)."""
    from sqlalchemy import Date, DateTime, Float

    out = []
    for i, name in enumerate(names):
        column = table.c.get(name)
        if column is None:
            continue
        if isinstance(column.type, Float):
            out.append((i, _whole))
        elif isinstance(column.type, DateTime):
            out.append((i, _timestamp_text))
        elif isinstance(column.type, Date):
            out.append((i, _date_text))
    return out


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


def _date_text(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _timestamp_text(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.split(".")[0] if isinstance(value, str) else value


def _sql(conn: Connection, query: Any) -> str:
    return str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))


def _driver_cursor(conn: Connection) -> Any:
    """A DB-API cursor; on PostgreSQL a server-side one, so memory stays flat."""
    dbapi = conn.connection.dbapi_connection
    return dbapi.cursor(name="aj_export") if conn.dialect.name == "postgresql" else dbapi.cursor()


def table_rows(conn: Connection, table: Table, include_unreviewed: bool = False) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The column names and every row as a tuple, streamed (see `_table_query`)."""
    query = _table_query(table, conn.dialect.name, include_unreviewed)
    names = [c.key for c in query.selected_columns]
    shape = _converters(table, names)

    def rows() -> Iterator[tuple[Any, ...]]:
        cursor = _driver_cursor(conn)
        try:
            cursor.execute(_sql(conn, query))
            while batch := cursor.fetchmany(BATCH):
                for raw in batch:
                    if shape:
                        row = list(raw)
                        for i, convert in shape:
                            row[i] = convert(row[i])
                        raw = tuple(row)
                    yield raw
        finally:
            cursor.close()

    return names, rows()


def export_tables(conn: Connection, directory: Path, fmt: str, include_unreviewed: bool = False,
                  extra_files: dict[str, str] | None = None) -> dict[str, int]:
    """One file per table in `directory` (and `extra_files`, name -> text); returns rows
    written per table. The files are put in place together once all were written
    (files.output_set): a failure leaves the previous export as it was. Run it in one
    snapshot (db.read_snapshot), so the tables agree with each other."""
    from .files import output_set

    if conn.dialect.name == "postgresql":
        # Provenance is sorted and aggregated once per table: in memory rather than on disk, and
        # by one process (parallel workers would each build the whole aggregate again).
        conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
        conn.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
    counts = {}
    with output_set(directory) as outputs:
        for table in schema.metadata.sorted_tables:
            if table.name in SKIPPED_TABLES:
                continue
            name = f"{table.name}.{'csv' if fmt == 'excel-csv' else fmt}"
            if fmt == "csv" and conn.dialect.name == "postgresql":
                counts[table.name] = _copy_csv(conn, table, outputs.add(name, binary=True), include_unreviewed)
            elif fmt == "csv":
                counts[table.name] = _sqlite_csv(conn, table, outputs.add(name), include_unreviewed)
            else:
                names, rows = table_rows(conn, table, include_unreviewed)
                stream = outputs.add(name)
                if fmt == "excel-csv":
                    counts[table.name] = write_excel_csv((dict(zip(names, row)) for row in rows), stream, names)
                else:
                    dicts = (_json_record(names, row) for row in rows)
                    counts[table.name] = (write_json if fmt == "json" else write_jsonl)(dicts, stream)
        for name, text in (extra_files or {}).items():
            outputs.add(name).write(text)
    return counts


def _json_record(names: list[str], row: Any) -> dict[str, Any]:
    """A row for JSON: provenance as a list of "document ¶N", as `aj query` gives it (a CSV
    cell holds them '; '-joined)."""
    record = dict(zip(names, row))
    if "cited_by" in record:
        record["cited_by"] = record["cited_by"].split("; ") if record["cited_by"] else []
    return record


def _sqlite_csv(conn: Connection, table: Table, stream: IO[str], include_unreviewed: bool) -> int:
    """SQLite: the cursor's rows go straight into csv.writer (values were shaped in SQL)."""
    import csv

    query = _table_query(table, "sqlite", include_unreviewed)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(_sql(conn, query))
        # LF, as PostgreSQL's COPY writes it, so both backends give the same bytes.
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([d[0] for d in cursor.description])
        count = 0
        while batch := cursor.fetchmany(BATCH):
            writer.writerows(batch)
            count += len(batch)
    finally:
        cursor.close()
    return count


def _copy_csv(conn: Connection, table: Table, out: IO[bytes], include_unreviewed: bool) -> int:
    """PostgreSQL writes the CSV itself (COPY ... TO STDOUT), slugs and provenance included."""
    sql = _sql(conn, _table_query(table, "postgresql", include_unreviewed, empty_as_null=True))
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for data in copy:
                out.write(data)
        return cursor.rowcount  # from the server's "COPY n": rows, whatever newlines they hold
    finally:
        cursor.close()


# ---- the bundle -------------------------------------------------------------------------------

class _Slugs:
    """id -> slug for a table, fetched once per batch of ids."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.cache: dict[str, dict[int, str]] = defaultdict(dict)

    def __call__(self, table: str, id_: int | None) -> str | None:
        if id_ is None:
            return None
        known = self.cache[table]
        if id_ not in known:
            t = schema.metadata.tables[table]
            known[id_] = self.conn.execute(select(t.c.slug).where(t.c.id == id_)).scalar_one()
        return known[id_]

    def load(self, table: str, ids: set[int]) -> None:
        t = schema.metadata.tables[table]
        wanted = [i for i in ids if i is not None and i not in self.cache[table]]
        for part in slices(wanted):
            for id_, slug in self.conn.execute(select(t.c.id, t.c.slug).where(t.c.id.in_(part))):
                self.cache[table][id_] = slug


def _grouped(conn: Connection, query: Any, key: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(query):
        out[getattr(row, key)].append(row)
    return out


def _drop_empty(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, [], "")}


def _fuzzy(start: Any, precision: str) -> str | None:
    return format_fuzzy(start, precision) if start is not None else None


class BundleExporter:
    def __init__(self, conn: Connection, include_unreviewed: bool = False, relations_apart: bool = False):
        self.conn = conn
        self.include_unreviewed = include_unreviewed
        # Streams (JSON Lines) give claim relations as separate lines after all claims, so
        # no record refers to a claim that comes later.
        self.relations_apart = relations_apart
        self.slug = _Slugs(conn)
        self.t = schema.metadata.tables

    def citations(self, column: str, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        citations = self.t["citations"]
        rows = _grouped(self.conn, select(citations).where(citations.c[column].in_(ids)).order_by(citations.c.id), column)
        self.slug.load("documents", {r.document_id for group in rows.values() for r in group})
        return {owner: [_drop_empty({
            "document": self.slug("documents", r.document_id), "paragraph": r.paragraph, "char_start": r.char_start,
            "char_end": r.char_end, "reported_as": r.reported_as, "note": r.note,
        }) for r in group] for owner, group in rows.items()}

    def links(self, link: str, owner: str, other: str, other_table: str, ids: list[int], order: str | None = None) -> dict[int, list[str]]:
        t = self.t[link]
        query = select(t).where(t.c[owner].in_(ids))
        if order:
            query = query.order_by(t.c[order])
        rows = _grouped(self.conn, query, owner)
        self.slug.load(other_table, {getattr(r, other) for group in rows.values() for r in group})
        out = {k: [self.slug(other_table, getattr(r, other)) for r in group] for k, group in rows.items()}
        return {k: (v if order else sorted(v)) for k, v in out.items()}

    def names(self, owner: str, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        names = self.t["names"]
        rows = _grouped(self.conn, select(names).where(names.c[owner].in_(ids)).order_by(names.c.id), owner)
        return {k: [_drop_empty({"name": r.name, "kind": r.kind, "document": self.slug("documents", r.document_id),
                                 "paragraph": r.paragraph}) for r in group] for k, group in rows.items()}

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from self.areas()
        yield from self.actors()
        yield from self.documents()
        yield from self.metrics()
        yield from self.initiatives()
        yield from self.claims()
        if self.relations_apart:
            yield from self.claim_relations()
        yield from self.statistics()
        yield from self.events()
        yield from self.candidates()
        yield from self.conflict_reviews()

    def conflict_reviews(self) -> Iterator[tuple[str, dict[str, Any]]]:
        table = self.t["conflict_reviews"]
        for r in self.conn.execute(select(table).order_by(table.c.key)):
            yield "reviewed_conflicts", _drop_empty({
                "key": r.key, "note": r.note,
                "reviewed_at": r.reviewed_at.isoformat(timespec="seconds") if r.reviewed_at else None})

    def areas(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for batch in batches(self.conn, self.t["policy_areas"]):
            for r in batch:
                yield "areas", _drop_empty({"slug": r.slug, "name": r.name, "parent": self.slug("policy_areas", r.parent_id),
                                            "description": r.description})

    def actors(self) -> Iterator[tuple[str, dict[str, Any]]]:
        f = self.t["actor_affiliations"]
        for batch in batches(self.conn, self.t["actors"]):
            ids = [r.id for r in batch]
            affiliations = _grouped(self.conn, select(f).where(f.c.actor_id.in_(ids)).order_by(f.c.id), "actor_id")
            names, cites = self.names("actor_id", ids), self.citations("actor_id", ids)
            for r in batch:
                yield "actors", _drop_empty({
                    "slug": r.slug, "name": r.name, "kind": r.kind, "country": self.slug("actors", r.country_id),
                    "description": r.description, "names": names.get(r.id),
                    "affiliations": [{"organisation": self.slug("actors", a.organisation_id), "role": a.role}
                                     for a in affiliations.get(r.id, [])],
                    "citations": cites.get(r.id),
                })

    def documents(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for batch in batches(self.conn, self.t["documents"], size=200):
            ids = [r.id for r in batch]
            authors = self.links("document_authors", "document_id", "actor_id", "actors", ids, order="position")
            for r in batch:
                yield "documents", _drop_empty({
                    "slug": r.slug, "title": r.title, "kind": r.kind, "authors": authors.get(r.id),
                    "publisher": self.slug("actors", r.publisher_id),
                    "published": _fuzzy(r.published_on, r.published_precision), "url": r.url,
                    "language": r.language, "content_sha256": r.content_sha256, "summary": r.summary,
                    "notes": r.notes, "text": r.text, "byline": r.byline, "source_name": r.source_name,
                    "added_at": _timestamp_text(r.added_at),
                })

    def metrics(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for batch in batches(self.conn, self.t["metrics"]):
            names = self.names("metric_id", [r.id for r in batch])
            for r in batch:
                yield "metrics", _drop_empty({"slug": r.slug, "name": r.name, "unit": r.unit, "description": r.description,
                                              "names": names.get(r.id)})

    def initiatives(self) -> Iterator[tuple[str, dict[str, Any]]]:
        p = self.t["initiative_participants"]
        for batch in batches(self.conn, self.t["initiatives"]):
            ids = [r.id for r in batch]
            areas = self.links("initiative_areas", "initiative_id", "area_id", "policy_areas", ids)
            participants = _grouped(self.conn, select(p).where(p.c.initiative_id.in_(ids))
                                    .order_by(p.c.actor_id, p.c.role), "initiative_id")
            names, cites = self.names("initiative_id", ids), self.citations("initiative_id", ids)
            for r in batch:
                yield "initiatives", _drop_empty({
                    "slug": r.slug, "name": r.name, "acronym": r.acronym, "kind": r.kind, "status": r.status,
                    "started": _fuzzy(r.started_on, r.started_precision), "areas": areas.get(r.id),
                    "description": r.description, "names": names.get(r.id),
                    "participants": [{"actor": self.slug("actors", x.actor_id), "role": x.role}
                                     for x in participants.get(r.id, [])],
                    "citations": cites.get(r.id),
                })

    def claims(self) -> Iterator[tuple[str, dict[str, Any]]]:
        rel = self.t["claim_relations"]
        for batch in batches(self.conn, self.t["claims"]):
            ids = [r.id for r in batch]
            holders = self.links("claim_holders", "claim_id", "actor_id", "actors", ids)
            actors = self.links("claim_actors", "claim_id", "actor_id", "actors", ids)
            inits = self.links("claim_initiatives", "claim_id", "initiative_id", "initiatives", ids)
            areas = self.links("claim_areas", "claim_id", "area_id", "policy_areas", ids)
            relations = _grouped(self.conn, select(rel).where(rel.c.from_claim_id.in_(ids))
                                 .order_by(rel.c.to_claim_id), "from_claim_id")
            cites = self.citations("claim_id", ids)
            for r in batch:
                yield "claims", _drop_empty({
                    "slug": r.slug, "text": r.text, "kind": r.kind, "holders": holders.get(r.id),
                    "actors": actors.get(r.id), "initiatives": inits.get(r.id), "areas": areas.get(r.id),
                    "relations": [] if self.relations_apart else [
                        _drop_empty({"kind": x.kind, "claim": self.slug("claims", x.to_claim_id), "note": x.note})
                        for x in relations.get(r.id, [])],
                    "citations": cites.get(r.id),
                })

    def claim_relations(self) -> Iterator[tuple[str, dict[str, Any]]]:
        rel, claims = self.t["claim_relations"], self.t["claims"]
        src, dst = claims.alias("src"), claims.alias("dst")
        query = (select(src.c.slug.label("source"), dst.c.slug.label("target"), rel.c.kind, rel.c.note)
                 .join(src, src.c.id == rel.c.from_claim_id).join(dst, dst.c.id == rel.c.to_claim_id)
                 .order_by(src.c.slug, dst.c.slug, rel.c.kind))
        for r in self.conn.execution_options(stream_results=True, yield_per=BATCH).execute(query):
            yield "claim_relations", _drop_empty({"from": r.source, "kind": r.kind, "claim": r.target, "note": r.note})

    def statistics(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for batch in batches(self.conn, self.t["statistics"]):
            ids = [r.id for r in batch]
            areas = self.links("statistic_areas", "statistic_id", "area_id", "policy_areas", ids)
            cites = self.citations("statistic_id", ids)
            self.slug.load("metrics", {r.metric_id for r in batch})
            self.slug.load("actors", {r.subject_id for r in batch} | {r.population_actor_id for r in batch})
            for r in batch:
                record = _drop_empty({
                    "slug": r.slug, "value": r.value, "value_high": r.value_high, "unit": r.unit,
                    "approximation": r.approximation, "metric": self.slug("metrics", r.metric_id),
                    "subject": self.slug("actors", r.subject_id), "population": r.population,
                    "population_actor": self.slug("actors", r.population_actor_id),
                    "period": _fuzzy(r.period_start, r.period_precision),
                    "period_end": _fuzzy(r.period_end, r.period_end_precision or r.period_precision),
                    "origin": self.slug("documents", r.origin_document_id), "description": r.description,
                    "areas": areas.get(r.id), "citations": cites.get(r.id),
                })
                yield "statistics", record

    def events(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for batch in batches(self.conn, self.t["events"]):
            ids = [r.id for r in batch]
            actors = self.links("event_actors", "event_id", "actor_id", "actors", ids)
            inits = self.links("event_initiatives", "event_id", "initiative_id", "initiatives", ids)
            areas = self.links("event_areas", "event_id", "area_id", "policy_areas", ids)
            cites = self.citations("event_id", ids)
            for r in batch:
                yield "events", _drop_empty({
                    "slug": r.slug, "title": r.title, "kind": r.kind,
                    "date": _fuzzy(r.occurred_on, r.date_precision), "end_date": _fuzzy(r.ended_on, r.end_precision or r.date_precision),
                    "description": r.description, "actors": actors.get(r.id), "initiatives": inits.get(r.id),
                    "areas": areas.get(r.id), "citations": cites.get(r.id),
                })


    def candidates(self) -> Iterator[tuple[str, dict[str, Any]]]:
        table = self.t["candidates"]
        for batch in batches(self.conn, table):
            self.slug.load("documents", {r.document_id for r in batch})
            for r in batch:
                if r.status == "pending" and not self.include_unreviewed:
                    continue
                target = self.slug("actors", r.actor_id) if r.kind == "actor" else (
                    self.slug("initiatives", r.initiative_id) if r.kind == "initiative" else None)
                yield "candidates", _drop_empty({
                    "slug": r.slug, "document": self.slug("documents", r.document_id), "kind": r.kind,
                    "status": r.status, "char_start": r.char_start, "char_end": r.char_end, "text": r.text,
                    "context": r.context, "paragraph": r.paragraph, "value": r.value, "value_high": r.value_high,
                    "unit": r.unit, "approximation": r.approximation, "counted": r.counted, "target": target,
                    "date": _fuzzy(r.date_start, r.date_precision or "unknown"),
                    "end_date": _fuzzy(r.date_end, r.date_precision or "unknown"),
                    "name": r.name, "acronym": r.acronym,
                    "decided_at": r.decided_at.isoformat(timespec="seconds") if r.decided_at else None,
                    "note": r.note, "outcome": r.outcome,
                })


_LINE_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


@cache
def _dumper() -> type:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        style = '"' if any(mark in data for mark in _LINE_BREAKS) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, represent_str)
    return Dumper


def yaml_dump(value: Any) -> str:
    """YAML that reads back exactly: strings with the line breaks YAML would fold (NEL,
    LINE/PARAGRAPH SEPARATOR, CR) are written double-quoted, where they are escaped."""
    import yaml

    return yaml.dump(value, Dumper=_dumper(), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def write_bundle(conn: Connection, stream: IO[str], fmt: str = "yaml", include_unreviewed: bool = False) -> dict[str, int]:
    """Stream the whole knowledge base as one bundle; returns records written per section.

    The bundle is sealed: it says so first (`aj_bundle_sealed: true`) and ends with the
    number of records in each section (`aj_bundle_end`), so `aj load` can tell a whole file
    from one cut short (loading/reader.check_seal). Read it in one snapshot (db.read_snapshot)."""
    counts: dict[str, int] = defaultdict(int)
    current = None
    if fmt == "jsonl":
        stream.write('{"aj_bundle": 1}\n{"aj_bundle_sealed": true}\n')
        for section, record in BundleExporter(conn, include_unreviewed, relations_apart=True).records():
            stream.write(json_text({section: _json_ready(record)}) + "\n")
            counts[section] += 1
        stream.write(json.dumps({"aj_bundle_end": counts}) + "\n")
        return dict(counts)
    if fmt == "json":
        stream.write('{"aj_bundle": 1, "aj_bundle_sealed": true')
    else:
        stream.write("# aj bundle: the whole knowledge base, loadable with `aj load`. It ends with aj_bundle_end,\n"
                     "# its record counts: without that last line the file is incomplete.\n"
                     "aj_bundle: 1\naj_bundle_sealed: true\n")
    for section, record in BundleExporter(conn, include_unreviewed).records():
        if fmt == "json":
            if section != current:
                stream.write(("\n  ]" if current else "") + f',\n  "{section}": [\n    ')
            else:
                stream.write(",\n    ")
            stream.write(json_text(_json_ready(record)))
        else:
            if section != current:
                stream.write(f"{section}:\n")
            stream.write(yaml_dump([record]))
        current = section
        counts[section] += 1
    # One line, in flow style: a cut anywhere in it leaves text that does not parse.
    end = "{" + ", ".join(f"{json.dumps(section)}: {n}" for section, n in counts.items()) + "}"
    if fmt == "json":
        stream.write(("\n  ]" if current else "") + f',\n  "aj_bundle_end": {end}\n}}\n')
    else:
        stream.write(f"aj_bundle_end: {end}\n")
    return dict(counts)


def _json_ready(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v) for k, v in record.items()}
