"""Loading the curated seed data (data/seed) into a database, idempotently.

Called by `aseanjapan.migrate.upgrade` once the schema is at head (and so by `aj db
upgrade` and the automatic upgrade of the embedded SQLite database).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, select

from ..settings import seed_dir
from .check import check_paths
from .digest import SEED_DIGEST_KEY, seed_digest
from .integrity import Listing, Lookup, Stored
from .writer import LoadReport, Tables, load_parsed

__all__ = ["SEED_DIGEST_KEY", "database_lookups", "database_stored", "reflect", "seed_digest", "set_meta", "sync_seed"]


def reflect(conn: Connection) -> dict[str, Table]:
    metadata = MetaData()
    metadata.reflect(bind=conn)
    return dict(metadata.tables)


def database_lookups(conn: Connection, tables: Tables) -> tuple[Lookup, Listing]:
    """Callbacks that let integrity checks see the records already in the database."""
    from ..batching import slices
    from ..kinds import kind

    def lookup(section: str, slugs: set[str]) -> set[str]:
        found: set[str] = set()
        cited = section.startswith("cited:")
        section = section.removeprefix("cited:")
        table = tables[kind(section).table]
        for chunk in slices(sorted(slugs)):
            query = select(table.c.slug).where(table.c.slug.in_(chunk))
            if cited:
                citations = tables["citations"]
                query = query.where(
                    select(citations.c.id).where(citations.c[kind(section).id_column] == table.c.id).exists()
                )
            found.update(conn.execute(query).scalars())
        return found

    def listing(section: str) -> list[str]:
        table = tables[kind(section).table]
        return list(conn.execute(select(table.c.slug).limit(50_000)).scalars())

    return lookup, listing


def database_stored(conn: Connection, tables: Tables) -> Stored:
    """Metric units and stored document texts, for the checks that compare against them."""
    from ..batching import slices

    def metric_units(slugs: set[str]) -> dict[str, str]:
        metrics = tables["metrics"]
        found: dict[str, str] = {}
        for chunk in slices(sorted(slugs)):
            found.update(conn.execute(select(metrics.c.slug, metrics.c.unit).where(metrics.c.slug.in_(chunk))).all())
        return found

    documents = tables["documents"]
    # Only sources added in full have a text: few, so they are listed once, and a load that
    # cites thousands of documents asks for the texts of those alone.
    with_text = set(conn.execute(select(documents.c.slug).where(documents.c.text.is_not(None))).scalars())

    def document_texts(slugs: set[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in slices(sorted(slugs & with_text)):
            found.update(conn.execute(select(documents.c.slug, documents.c.text)
                                      .where(documents.c.slug.in_(chunk), documents.c.text.is_not(None))).all())
        return found

    return Stored(metric_units, document_texts)


def sync_seed(conn: Connection, tables: Tables | None = None) -> LoadReport:
    """Bring the seed records in the database up to date with data/seed; record its digest."""
    tables = tables or reflect(conn)
    lookup, listing = database_lookups(conn, tables)
    parsed = check_paths([seed_dir()], lookup, listing, database_stored(conn, tables))
    # The seed files ship with aj, whole: a seed correction that drops a citation drops it.
    report = load_parsed(conn, tables, parsed, removals=True)
    if "kb_meta" in tables:
        set_meta(conn, tables["kb_meta"], SEED_DIGEST_KEY, seed_digest())
    return report


def set_meta(conn: Connection, table: Table, key: str, value: Any) -> None:
    exists = conn.execute(select(func.count()).select_from(table).where(table.c.key == key)).scalar()
    if exists:
        conn.execute(table.update().where(table.c.key == key).values(value=value))
    else:
        conn.execute(table.insert().values(key=key, value=value))
