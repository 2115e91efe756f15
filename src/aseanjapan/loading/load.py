"""Loading bundle files into a database: validate everything, then write in one transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from ..db import write_connection
from ..errors import ValidationError
from .check import check_paths
from .integrity import check_bundles
from .reader import ParsedBundle, read_bundles
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
    parsed = read_bundles(paths)  # parse before taking the write lock: other writers wait less
    with write_connection(engine) as conn:
        lookup, listing = database_lookups(conn, tables)
        problems = check_bundles(parsed, lookup, listing)
        if problems:
            raise ValidationError(problems)
        return parsed, load_parsed(conn, tables, parsed)
