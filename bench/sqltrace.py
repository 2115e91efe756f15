"""Where `aj load` spends its time, by SQL statement: run the load in-process and time
every statement the writer issues, grouped by statement shape.

    python bench/sqltrace.py DATABASE_URL BUNDLE_DIR [--top 15]

Prints JSON: wall time of `load_files` (reading, validating, writing, committing), the
time spent inside SQL statements (cursor execute/executemany; COPY on PostgreSQL is
timed too when the writer uses it through the cursor) and the rest (Python), and the
statements by shape (IN-lists and VALUES lists collapsed), with call counts. The
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

from aseanjapan.db import make_engine
from aseanjapan.loading.load import load_files

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

    t0 = time.perf_counter()
    load_files(engine, [args.bundle])  # exactly what `aj load BUNDLE` runs after start-up
    wall = time.perf_counter() - t0
    sql = sum(v[1] for v in totals.values())
    top = sorted(totals.items(), key=lambda kv: -kv[1][1])[: args.top]
    json.dump({
        "url": args.url.split("@")[-1],
        "load_s": round(wall, 2), "sql_s": round(sql, 2), "python_s": round(wall - sql, 2),
        "statements": sum(v[0] for v in totals.values()),
        "top": [{"sql": k[:300], "calls": v[0], "seconds": round(v[1], 2)} for k, v in top],
    }, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
