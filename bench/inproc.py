"""In-process query timings, per-statement SQL time, and query plans.

    python bench/inproc.py DATABASE_URL [--runs 30] [--warmup 3]

Prints one JSON document. For each benchmark it reports the wall-clock p50/p95 of the
whole call (`queries.run` / `search.search` on a fresh Session, as the CLI does), the
number of rows returned, and for every SQL statement the call issued: its share of the
time (the same statement re-run on the bare DB-API cursor, all rows fetched) and its plan (EXPLAIN QUERY PLAN on
SQLite, EXPLAIN on PostgreSQL), so one can see whether time goes to the database or
to Python.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics as stats
import sys
import time
from typing import Any, Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from aseanjapan import queries, search
from aseanjapan.db import make_engine
from aseanjapan.queries import Filters

BENCHMARKS: dict[str, Callable[[Session], list[Any]]] = {
    "statistics subject=japan metric=confidence-do-right-thing": lambda s: queries.run(
        s, "statistics", Filters(subject=["japan"], metric=["confidence-do-right-thing"])),
    "statistics subject=japan metric=confidence-do-right-thing limit=50": lambda s: queries.run(
        s, "statistics", Filters(subject=["japan"], metric=["confidence-do-right-thing"], limit=50)),
    "claims area=security limit=50": lambda s: queries.run(s, "claims", Filters(area=["security"], limit=50)),
    'search "maritime security" limit=20': lambda s: search.search(s, "maritime security", limit=20),
}


_QMARKS = re.compile(r"\((?:\?, )+\?\)")
_PYFORMAT = re.compile(r"\((?:%\(\w+\)s(?:::\w+)?, )+%\(\w+\)s(?:::\w+)?\)")
_ARRAY = re.compile(r"'\{(\d+(?:,\d+){5,})\}'")


def compact(text: str) -> str:
    """Long IN lists and id arrays shortened for reading."""
    text = _QMARKS.sub(lambda m: f"(? ×{m.group(0).count('?')})", text)
    text = _PYFORMAT.sub(lambda m: f"(%(…)s ×{m.group(0).count('%(')})", text)
    return _ARRAY.sub(lambda m: "'{" + ",".join(m.group(1).split(",")[:3]) + f",… {m.group(1).count(',') + 1} ids}}'", text)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class StatementLog:
    """SQL statements issued while active, with their parameters and cumulative time."""

    def __init__(self, engine: Any):
        self.active = False
        self.items: list[dict[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        conn.info["bench_t0"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if self.active and statement.split(None, 1)[0].upper() in ("SELECT", "WITH"):  # not BEGIN
            self.items.append({"sql": statement, "params": parameters,
                               "seconds": time.perf_counter() - conn.info.pop("bench_t0")})


def raw_ms(engine: Any, sql: str, params: Any, runs: int = 5) -> float:
    """Median time of the statement run on the bare DB-API cursor, rows fetched."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        times: list[float] = []
        while len(times) < runs:
            t0 = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            times.append(time.perf_counter() - t0)
            if times[0] > 1.0:  # a slow statement: one run says enough
                break
        return round(stats.median(times) * 1000, 2)
    finally:
        raw.close()


def explain(engine: Any, sql: str, params: Any) -> list[str]:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            rows = cur.fetchall()
            depth = {0: 0}
            out = []
            for id_, parent, _, detail in rows:
                depth[id_] = depth.get(parent, 0) + 1
                out.append("  " * (depth[id_] - 1) + detail)
            return out
        cur.execute("EXPLAIN " + sql, params)
        return [r[0] for r in cur.fetchall()]
    finally:
        raw.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=30.0,
                        help="seconds per benchmark: slow calls get fewer runs (at least 3)")
    args = parser.parse_args(argv)

    engine = make_engine(args.url)
    log = StatementLog(engine)
    results = {}
    for name, fn in BENCHMARKS.items():
        t0 = time.perf_counter()
        warmups = 0
        while warmups < args.warmup:
            with Session(engine) as s:
                fn(s)
            warmups += 1
            if time.perf_counter() - t0 > args.budget / 3:  # slow: fewer warm-up calls
                break
        per_call = (time.perf_counter() - t0) / warmups
        runs = max(3, min(args.runs, int(args.budget / per_call))) if per_call > 0 else args.runs
        times, rows = [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            with Session(engine) as s:
                rows = len(fn(s))
            times.append(time.perf_counter() - t0)
        # One more run with statement logging (not in the timings above).
        log.items, log.active = [], True
        t0 = time.perf_counter()
        with Session(engine) as s:
            fn(s)
        total = time.perf_counter() - t0
        log.active = False
        statements = [{
            "sql": compact(" ".join(item["sql"].split())),
            "raw_ms": raw_ms(engine, item["sql"], item["params"]),
            "plan": [compact(line) for line in explain(engine, item["sql"], item["params"])],
        } for item in log.items]
        results[name] = {
            "rows": rows, "runs": runs,
            "p50_ms": round(stats.median(times) * 1000, 2), "p95_ms": round(percentile(times, 0.95) * 1000, 2),
            "min_ms": round(min(times) * 1000, 2),
            "logged_run_ms": round(total * 1000, 2),
            "raw_sql_ms": round(sum(s["raw_ms"] for s in statements), 2),
            "statements": statements,
        }
    json.dump(results, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
