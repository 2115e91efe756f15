"""Where `aj load` spends its time, by SQL statement: run the load in-process and time
every statement the writer issues, grouped by statement shape.

    python bench/sqltrace.py DATABASE_URL BUNDLE_DIR [--top 15]

Prints JSON: wall time of the phases (read+validate, write), the SQL time in total and
per statement shape (IN-lists and VALUES lists collapsed), with call counts. The
database must be a seeded knowledge base (a copy of run.py's template, or a
PostgreSQL database after `aj db upgrade`); it is written to.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event

from aseanjapan.db import make_engine, write_connection
from aseanjapan.loading.check import check_paths
from aseanjapan.loading.seed import database_lookups
from aseanjapan.loading.writer import load_parsed
from aseanjapan.models import Base

_LIST = re.compile(r"\((?:\s*(?:\?|%\(\w+\)s(?:::\w+)?)\s*,)+\s*(?:\?|%\(\w+\)s(?:::\w+)?)\s*\)")
_VALUES = re.compile(r"VALUES (\(.*?\))(?:, \(.*?\))+", re.S)


def shape(sql: str) -> str:
    sql = " ".join(sql.split())
    sql = _VALUES.sub(r"VALUES \1, …", sql)
    return _LIST.sub("(…)", sql)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)

    engine = make_engine(args.url)
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])  # calls, seconds

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        conn.info["t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        entry = totals[shape(statement)]
        entry[0] += 1
        entry[1] += time.perf_counter() - conn.info.pop("t0")

    tables = Base.metadata.tables
    t0 = time.perf_counter()
    with write_connection(engine) as conn:
        lookup, listing = database_lookups(conn, tables)
        parsed = check_paths([args.bundle], lookup, listing)
        t1 = time.perf_counter()
        sql_before_write = sum(v[1] for v in totals.values())
        load_parsed(conn, tables, parsed)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    sql = sum(v[1] for v in totals.values())
    top = sorted(totals.items(), key=lambda kv: -kv[1][1])[: args.top]
    json.dump({
        "url": args.url.split("@")[-1],
        "read_validate_s": round(t1 - t0, 2), "write_s": round(t2 - t1, 2), "commit_s": round(t3 - t2, 2),
        "sql_s_during_write": round(sql - sql_before_write, 2), "statements": sum(v[0] for v in totals.values()),
        "top": [{"sql": k[:300], "calls": v[0], "seconds": round(v[1], 2)} for k, v in top],
    }, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
