"""Loading bundle files into a database: validate everything, then write in one transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from ..db import write_connection
from .check import check_paths
from .reader import ParsedBundle
from .seed import database_lookups
from .writer import LoadReport, load_parsed


def load_files(engine: Engine, paths: list[Path], *, dry_run: bool = False) -> tuple[list[ParsedBundle], LoadReport | None]:
    """Load bundle files atomically: any problem in any file and nothing is written."""
    from ..models import Base

    tables = Base.metadata.tables
    if dry_run:
        with engine.connect() as conn:
            lookup, listing = database_lookups(conn, tables)
            return check_paths(paths, lookup, listing), None
    with write_connection(engine) as conn:
        lookup, listing = database_lookups(conn, tables)
        parsed = check_paths(paths, lookup, listing)
        return parsed, load_parsed(conn, tables, parsed)
