"""Loading bundle files into a database: validate everything, then write in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from ..db import write_connection
from ..errors import ValidationError
from ..kinds import kind
from .check import check_paths
from .integrity import Listing, Lookup, Stored, check_bundles
from .reader import STREAMED_SUFFIXES, ParsedBundle, bundle_paths, iter_jsonl_chunks, jsonl_sealed, read_bundles
from .seed import database_lookups, database_stored
from .writer import LoadReport, high_water_marks, load_parsed, merge_reports


def load_files(engine: Engine, paths: list[Path], *, dry_run: bool = False) -> tuple[list[ParsedBundle], LoadReport | None]:
    """Load bundle files atomically: any problem in any file and nothing is written.

    YAML and JSON files are read whole and checked together; JSON Lines files are read and
    written a chunk at a time (in the same transaction), so memory stays flat for any size.
    """
    from ..models import Base

    tables = Base.metadata.tables
    streamed = [p for p in bundle_paths(paths) if p.suffix.lower() in STREAMED_SUFFIXES]
    # A streamed file's end marker is looked for first: removals depend on it (a file that
    # says it is sealed but has no end marker is refused here, before anything is written).
    sealed = {path: jsonl_sealed(path) for path in streamed}
    if dry_run:
        with engine.connect() as conn:
            lookup, listing = database_lookups(conn, tables)
            stored = database_stored(conn, tables)
            parsed = check_paths(paths, lookup, listing, stored)
            for path in streamed:
                _dry_run_stream(path, parsed, lookup, listing, stored)
            return parsed, None
    parsed = read_bundles(paths)  # parse before taking the write lock: other writers wait less
    with write_connection(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Rows written earlier in this transaction have no planner statistics yet, so
            # PostgreSQL would scan whole tables for each batch of slugs: use the indexes.
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        marks = high_water_marks(conn, tables)
        lookup, listing = database_lookups(conn, tables)
        stored = database_stored(conn, tables)
        problems = check_bundles(parsed, lookup, listing, stored)
        if problems:
            raise ValidationError(problems)
        # What the bundles no longer list is removed only when every one of them is whole.
        removals = all(pb.complete for pb in parsed) and all(sealed.values())
        report = load_parsed(conn, tables, parsed, marks, removals=removals)
        for path in streamed:
            for chunk in iter_jsonl_chunks(path):
                problems = check_bundles([chunk], lookup, listing, stored)
                if problems:
                    raise ValidationError(problems)
                merge_reports(report, load_parsed(conn, tables, [chunk], marks, removals=removals))
        report.unsealed = [pb.name for pb in parsed if not pb.complete] + [str(p) for p, ok in sealed.items() if not ok]
        return parsed, report


def load_data(conn: Connection, data: dict[str, Any], name: str) -> LoadReport:
    """Records built in memory (a review decision, a new metric or origin document) loaded
    as `aj load` loads a file, in the caller's transaction: validated, checked against the
    database, written; problems are located by `name`."""
    from ..models import Base
    from .reader import validate_data

    tables = Base.metadata.tables
    parsed = validate_data(data, name)
    lookup, listing = database_lookups(conn, tables)
    problems = check_bundles([parsed], lookup, listing, database_stored(conn, tables))
    if problems:
        raise ValidationError(problems)
    return load_parsed(conn, tables, [parsed])


def _dry_run_stream(path: Path, before: list[ParsedBundle], lookup: Lookup, listing: Listing, stored: Stored) -> None:
    """Check a JSON Lines file chunk by chunk without writing: slugs from earlier chunks and
    from the other files count as defined."""
    from .bundle import SECTIONS

    seen: dict[str, set[str]] = {s: {r.slug for pb in before for r in getattr(pb.bundle, s)} for s in SECTIONS}

    def known(section: str, slugs: set[str]) -> set[str]:
        plain = section.removeprefix("cited:")
        return (slugs & seen.get(plain, set())) | lookup(section, slugs - seen.get(plain, set()))

    for chunk in iter_jsonl_chunks(path):
        problems = check_bundles([chunk], known, listing, stored)
        for section in SECTIONS:
            for i, record in enumerate(getattr(chunk.bundle, section)):
                if record.slug in seen[section]:
                    problems.append(f"{chunk.where(section, i, 'slug')}: duplicate {kind(section).name} slug {record.slug!r}")
                seen[section].add(record.slug)
        if problems:
            raise ValidationError(problems)
