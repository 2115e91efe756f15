"""The aj benchmark suite: one command measures everything and rewrites BENCHMARKS.md.

    python bench/run.py --scale small                     # everything (~7 min)
    python bench/run.py --scale large --bundle-format jsonl --only load,export,queries --runs 1 --pg-via-copy

Run it with the Python of the virtualenv where `aj` is installed (the `aj` next to that
interpreter is the one measured; `sh bench/snapshot.sh` makes a frozen one when the
working tree is changing). Stages (`--only`, default all):

  cold     `aj query initiatives --area security` and `aj --help` as whole processes
           (hyperfine), against sqlite-utils / python -c sqlite3 baselines, and the
           `python -X importtime` offenders.
  load     `aj load` of the generated bundle into a fresh copy of a seeded SQLite
           database, against bench/baseline.py's sqlite3 executemany of the same rows;
           the same into PostgreSQL against psql \\copy of the same rows as CSV.
  export   `aj export --format csv` of the loaded databases, against a cursor +
           csv.writer loop (SQLite) and psql \\copy (PostgreSQL).
  queries  bench/inproc.py on both loaded databases: p50/p95, raw SQL time, plans.
  ingest   `aj source add` of one large text file (MB/s; at 1 and 4 MB) and of 1,000
           small HTML articles in one call.
  profile  cProfile of `aj load` and `aj export` (SQLite): top functions; and
           bench/sqltrace.py: the SQL time of `aj load` by statement (both databases).

Results go to bench/results/results-NAME.json (committed) (NAME: the scale, plus -jsonl); BENCHMARKS.md is rendered from every
results file there (so a small and a large run sit side by side), followed by the
hand-written bench/analysis.md. Generated data and databases live under --work
(default /tmp/aj-bench); PostgreSQL databases are named aj_bench_* and dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import shlex
import shutil
import signal
import sqlite3
import statistics as stats
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "results"
PY = sys.executable
AJ = str(Path(PY).parent / "aj") if (Path(PY).parent / "aj").exists() else shutil.which("aj") or "aj"
STAGES = ("cold", "load", "export", "queries", "ingest", "profile")
MIB = 1024 * 1024

sys.path.insert(0, str(BENCH))
import generate  # noqa: E402
import report  # noqa: E402


# ---- running things ---------------------------------------------------------------------------

def sh(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


MEMORY_LIMIT_GB = 16.0


def _limit_memory() -> None:
    """In the child: cap the address space, so a runaway load fails with MemoryError
    instead of waking the OOM killer on a shared machine."""
    import resource

    limit = int(MEMORY_LIMIT_GB * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def measure(cmd: list[str], env: dict[str, str] | None = None, timeout: float | None = None) -> dict[str, Any]:
    """Wall time (perf_counter around the whole process), and the process's CPU time (user +
    system) and peak RSS (/usr/bin/time). CPU time is what the code costs on a shared machine,
    where wall time also counts waiting for the neighbours' processes."""
    full = ["/usr/bin/time", "-f", "__maxrss_kb=%M __cpu=%U+%S"] + cmd
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, start_new_session=True, preexec_fn=_limit_memory)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"cmd": shlex.join(cmd), "timeout": timeout, "seconds": None, "rss_mib": None}
    seconds = time.perf_counter() - t0
    rss = re.search(r"__maxrss_kb=(\d+)(?: __cpu=([\d.]+)\+([\d.]+))?", err)
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    cpu = float(rss.group(2)) + float(rss.group(3)) if rss and rss.group(2) else None
    return {"cmd": shlex.join(cmd), "seconds": seconds, "cpu_seconds": cpu, "rss_mib": int(rss.group(1)) / 1024 if rss else None,
            "stdout": out[-2000:], "stderr": err.replace(rss.group(0), "").strip()[-2000:] if rss else err[-2000:]}


def median_of(runs: list[dict[str, Any]], key: str = "seconds") -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return stats.median(values) if values else None


def pg_url(base: str, database: str) -> str:
    return re.sub(r"/[^/?]*(\?|$)", f"/{database}\\1", base.rstrip("/"), count=1) if base.count("/") > 2 else f"{base}/{database}"


def psql(url: str, *args: str) -> str:
    return sh(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *args, url]).stdout


def pg_recreate(admin: str, name: str, template: str | None = None) -> None:
    psql(admin, "-c", f"DROP DATABASE IF EXISTS {name}")
    psql(admin, "-c", f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def sqlite_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_fts%' "
                                        "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
    counts = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    conn.close()
    return counts


def pg_counts(url: str) -> dict[str, int]:
    out = psql(url, "-At", "-c", "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                                 "AND table_name != 'alembic_version'")
    names = out.split()
    sql = " UNION ALL ".join(f"SELECT '{n}', count(*) FROM \"{n}\"" for n in names)
    return {line.split("|")[0]: int(line.split("|")[1]) for line in psql(url, "-At", "-c", sql).split()}


def delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before.get(k, 0) for k in sorted(after) if after[k] != before.get(k, 0)}


def export_tables() -> list[list[str]]:
    """The tables `aj export` writes, each with the column it orders by."""
    from aseanjapan import models as m
    from aseanjapan.export import SKIPPED_TABLES

    out = []
    for t in m.Base.metadata.sorted_tables:
        if t.name in SKIPPED_TABLES:
            continue
        key = "slug" if "slug" in t.c else "id" if "id" in t.c else ", ".join(c.name for c in t.primary_key.columns)
        out.append([t.name, key])
    return out


def csv_rows(directory: Path) -> int:
    """Records in a directory of CSV exports (physical lines minus headers is wrong for
    multi-line cells, so parse)."""
    import csv

    total = 0
    for path in directory.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            total += max(sum(1 for _ in csv.reader(f)) - 1, 0)
    return total


# ---- environment ------------------------------------------------------------------------------

def environment(args: argparse.Namespace) -> dict[str, Any]:
    from importlib.metadata import version

    def ver(name: str) -> str:
        try:
            return version(name)
        except Exception:  # noqa: BLE001
            return "-"

    def out(cmd: list[str]) -> str:
        try:
            return sh(cmd).stdout.strip().splitlines()[0]
        except Exception:  # noqa: BLE001
            return "-"

    cpu = "-"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except Exception:  # noqa: BLE001
        pass
    mem = "-"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / MIB:.1f} GiB"
    except Exception:  # noqa: BLE001
        pass
    import aseanjapan

    package = Path(aseanjapan.__file__).resolve().parent
    snapshot = Path(sys.prefix).parent / "SNAPSHOT_COMMIT"
    if package.is_relative_to(REPO):
        # Editable install of this working tree: what it holds may change during the run.
        git = out(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
        dirty = bool(sh(["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "alembic", "data"]).stdout.strip())
        git += " (working tree, with uncommitted changes in src/alembic/data)" if dirty else " (working tree)"
    elif snapshot.exists():
        git = snapshot.read_text().strip()[:7] + " (frozen snapshot, bench/snapshot.sh)"
    else:
        git = f"unknown (aseanjapan installed at {package})"
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(), "cpu": cpu, "memory": mem, "os": platform.platform(),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "postgresql": out(["psql", "-X", "-At", "-c", "SHOW server_version", args.pg]) if args.pg else "-",
        "libraries": {n: ver(n) for n in ("aseanjapan", "SQLAlchemy", "alembic", "pydantic", "typer", "rich",
                                          "PyYAML", "psycopg", "trafilatura")},
        "hyperfine": out(["hyperfine", "--version"]),
        "sqlite_utils": out([args.sqlite_utils, "--version"]) if args.sqlite_utils else "-",
        "git": git,
        "aj": AJ, "python_executable": PY,
    }


# ---- stages -----------------------------------------------------------------------------------

class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.work: Path = args.work / args.scale
        self.work.mkdir(parents=True, exist_ok=True)
        self.results: dict[str, Any] = {"scale": args.scale, "runs": args.runs}
        self.template = self.work / "template.sqlite"
        self.loaded = self.work / "loaded.sqlite"
        self.pg_dbs = {k: f"aj_bench_{args.scale}_{k}" for k in ("tpl", "load", "copy")}

    def log(self, text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    # -- data
    def bundle(self) -> Path:
        d, c, s = generate.SCALES[self.args.scale]
        if self.args.rows:
            d, c, s = max(self.args.rows // 20, 10), self.args.rows // 2, self.args.rows // 2
        fmt = self.args.bundle_format
        path = self.work / f"bundle-{fmt}"
        manifest = path / "MANIFEST"
        want = {"documents": d, "claims": c, "statistics": s, "seed": 1, "format": fmt}
        if manifest.exists() and {k: json.loads(manifest.read_text()).get(k) for k in want} == want:
            self.results["bundle"] = json.loads(manifest.read_text())
            return path
        self.log(f"generating {d} documents, {c} claims, {s} statistics ({fmt})")
        t0 = time.perf_counter()
        self.results["bundle"] = generate.write_bundle(path, d, c, s, fmt=fmt)
        self.results["bundle"]["generate_seconds"] = time.perf_counter() - t0
        return path

    def seeded_template(self) -> Path:
        """An empty knowledge base: schema and seed, as `aj` creates it on first use."""
        if not self.template.exists():
            tmp = self.work / "template-xdg"
            shutil.rmtree(tmp, ignore_errors=True)
            sh([AJ, "query", "areas", "--format", "json"], env={**os.environ, "XDG_DATA_HOME": str(tmp)})
            shutil.copy(tmp / "aseanjapan" / "aj.sqlite", self.template)
        return self.template

    def fresh_copy(self, name: str) -> Path:
        path = self.work / name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy(self.seeded_template(), path)
        return path

    # -- a. cold start
    def cold(self) -> None:
        xdg = self.work / "xdg"
        env = {**os.environ, "XDG_DATA_HOME": str(xdg)}
        sh([AJ, "query", "areas", "--format", "json"], env=env)  # create the default database
        db = xdg / "aseanjapan" / "aj.sqlite"
        where = ("id IN (SELECT ia.initiative_id FROM initiative_areas ia JOIN policy_areas a ON a.id = ia.area_id "
                 "WHERE a.slug = 'security' OR a.parent_id = (SELECT id FROM policy_areas WHERE slug = 'security'))")
        py_baseline = ("import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                       f"cur = c.execute(\"SELECT * FROM initiatives WHERE {where} ORDER BY name\"); "
                       "cols = [d[0] for d in cur.description]; "
                       "json.dump([dict(zip(cols, r)) for r in cur], sys.stdout)")
        commands = {
            "aj query initiatives --area security": [AJ, "query", "initiatives", "--area", "security"],
            "aj --help": [AJ, "--help"],
            "python -c sqlite3 query (baseline)": [PY, "-c", py_baseline, str(db)],
            "python -c pass (interpreter floor)": [PY, "-c", "pass"],
        }
        if self.args.sqlite_utils:
            commands["sqlite-utils rows --where (baseline)"] = [self.args.sqlite_utils, "rows", str(db), "initiatives",
                                                                 "--where", where]
        runs = max(self.args.runs, 10)
        results: dict[str, Any] = {}
        if shutil.which("hyperfine"):
            export = self.work / "hyperfine.json"
            cmd = ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", str(export)]
            for name, argv in commands.items():
                cmd += ["-n", name, shlex.join(argv)]
            self.log("cold start (hyperfine)")
            sh(cmd, env=env)
            for r in json.loads(export.read_text())["results"]:
                results[r["command"]] = {"median": r["median"], "mean": r["mean"], "stddev": r["stddev"],
                                         "min": r["min"], "max": r["max"], "runs": len(r["times"]),
                                         "cmd": shlex.join(commands[r["command"]])}
            self.results["cold_tool"] = "hyperfine " + sh(["hyperfine", "--version"]).stdout.split()[-1]
        else:
            self.log("cold start (subprocess loop; hyperfine not installed)")
            for name, argv in commands.items():
                times = []
                for i in range(runs + 2):
                    t0 = time.perf_counter()
                    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                    if i >= 2:
                        times.append(time.perf_counter() - t0)
                results[name] = {"median": stats.median(times), "mean": stats.mean(times), "stddev": stats.pstdev(times),
                                 "min": min(times), "max": max(times), "runs": runs, "cmd": shlex.join(argv)}
            self.results["cold_tool"] = "time.perf_counter around subprocess.run"
        self.results["cold"] = results
        self.results["importtime"] = self.importtime(env)

    def importtime(self, env: dict[str, str]) -> dict[str, Any]:
        """`python -X importtime -m aseanjapan query initiatives --area security`: the run
        with the median total of 5, its top modules by cumulative time, and self time by package."""
        parsed = []
        for _ in range(5):
            proc = subprocess.run([PY, "-X", "importtime", "-m", "aseanjapan", "query", "initiatives", "--area", "security"],
                                  env=env, capture_output=True, text=True, check=True)
            rows = []
            for line in proc.stderr.splitlines():
                m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
                if m:
                    rows.append({"self_us": int(m.group(1)), "cum_us": int(m.group(2)),
                                 "depth": len(m.group(3)) // 2, "module": m.group(4)})
            parsed.append((sum(r["self_us"] for r in rows), rows))
        parsed.sort(key=lambda p: p[0])
        total, rows = parsed[len(parsed) // 2]
        by_package: dict[str, int] = {}
        for r in rows:
            top = r["module"].split(".")[0]
            by_package[top] = by_package.get(top, 0) + r["self_us"]
        ours = sorted((r for r in rows if r["module"].startswith("aseanjapan")), key=lambda r: -r["cum_us"])
        return {
            "total_ms": total / 1000,
            "top_cumulative": sorted(rows, key=lambda r: -r["cum_us"])[:20],
            "by_package_ms": {k: v / 1000 for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])[:15]},
            "project_modules": ours[:15],
            "command": f"{PY} -X importtime -m aseanjapan query initiatives --area security",
        }

    # -- b. load
    def load(self, bundle: Path) -> None:
        tiny = self.work / "tiny-bundle"
        if not tiny.exists():
            generate.write_bundle(tiny, 1, 1, 1)
        # Floors: the same process loading a 3-record bundle (imports, engine, seed check).
        floor_db = self.fresh_copy("floor.sqlite")
        aj_floor = measure([AJ, "--db", str(floor_db), "load", str(tiny)])
        floor_db = self.fresh_copy("floor.sqlite")
        base_floor = measure([PY, str(BENCH / "baseline.py"), "load-sqlite", str(floor_db), str(tiny)])
        before = sqlite_counts(self.seeded_template())
        aj_runs, base_runs, rows = [], [], None
        for i in range(self.args.runs):
            db = self.fresh_copy("load.sqlite")
            self.log(f"aj load -> SQLite (run {i + 1}/{self.args.runs})")
            r = measure([AJ, "--db", str(db), "load", str(bundle)], timeout=self.args.timeout)
            aj_runs.append(r)
            if r["seconds"] is None:
                break
            if rows is None:
                rows = delta(sqlite_counts(db), before)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.loaded}{suffix}").unlink(missing_ok=True)
                db.rename(self.loaded)
            db = self.fresh_copy("baseline.sqlite")
            self.log(f"baseline executemany -> SQLite (run {i + 1}/{self.args.runs})")
            b = measure([PY, str(BENCH / "baseline.py"), "load-sqlite", str(db), str(bundle)], timeout=self.args.timeout)
            base_runs.append(b)
            baseline_rows = json.loads(b["stdout"])
            if rows and {k: v for k, v in rows.items() if k in baseline_rows} != baseline_rows:
                raise RuntimeError(f"baseline wrote different rows: {baseline_rows} vs aj {rows}")
        self.results["load_sqlite"] = {
            "rows": rows, "total_rows": sum((rows or {}).values()), "aj": aj_runs, "baseline": base_runs,
            "aj_floor": aj_floor, "baseline_floor": base_floor,
            "aj_seconds": median_of(aj_runs), "baseline_seconds": median_of(base_runs),
            "aj_rss_mib": max((r["rss_mib"] for r in aj_runs if r["rss_mib"]), default=None),
            "baseline_rss_mib": max((r["rss_mib"] for r in base_runs if r["rss_mib"]), default=None),
            "bundle_mb": self.results["bundle"]["bytes"] / 1e6,
        }
        if self.args.pg:
            self.load_pg(bundle, tiny)

    def load_pg(self, bundle: Path, tiny: Path) -> None:
        admin = self.args.pg
        tpl, target, copy = (self.pg_dbs[k] for k in ("tpl", "load", "copy"))
        self.log("PostgreSQL: template database (aj db upgrade)")
        pg_recreate(admin, tpl)
        sh([AJ, "--db", pg_url(admin, tpl), "db", "upgrade"])
        before = pg_counts(pg_url(admin, tpl))
        pg_recreate(admin, copy, tpl)
        csv_dir = self.work / "copy-csv"
        shutil.rmtree(csv_dir, ignore_errors=True)
        self.log("PostgreSQL: preparing CSV for COPY (not timed)")
        t0 = time.perf_counter()
        sh([PY, str(BENCH / "baseline.py"), "prepare-copy", pg_url(admin, copy), str(bundle), str(csv_dir)])
        prepare = time.perf_counter() - t0
        pg_recreate(admin, target, tpl)
        aj_floor = measure([AJ, "--db", pg_url(admin, target), "load", str(tiny)])
        aj_runs, copy_runs, rows = [], [], None
        if self.args.pg_via_copy:
            # aj load is too slow here: build the database for export/queries with COPY
            # (exactly the rows aj load writes) and time that alone.
            pg_recreate(admin, target, tpl)
            self.log("psql \\copy -> PostgreSQL (builds the database for export/queries)")
            copy_runs.append(measure(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-o", "/dev/null",
                                      "-f", str(csv_dir / "copy.sql"), pg_url(admin, target)], timeout=self.args.timeout))
            self.results["load_pg"] = {"rows": delta(pg_counts(pg_url(admin, target)), before), "aj": [],
                                       "copy": copy_runs, "aj_floor": aj_floor, "prepare_csv_seconds": prepare,
                                       "aj_seconds": None, "copy_seconds": median_of(copy_runs), "aj_rss_mib": None,
                                       "note": "aj load not run (--pg-via-copy); the database was built by COPY"}
            self.results["load_pg"]["total_rows"] = sum(self.results["load_pg"]["rows"].values())
            return
        for i in range(self.args.runs):
            pg_recreate(admin, target, tpl)
            self.log(f"aj load -> PostgreSQL (run {i + 1}/{self.args.runs})")
            r = measure([AJ, "--db", pg_url(admin, target), "load", str(bundle)], timeout=self.args.timeout)
            aj_runs.append(r)
            if r["seconds"] is None:
                break
            if rows is None:
                rows = delta(pg_counts(pg_url(admin, target)), before)
                psql(admin, "-c", f"ALTER DATABASE {target} RENAME TO {target}_keep")
            pg_recreate(admin, copy, tpl)
            self.log(f"psql \\copy -> PostgreSQL (run {i + 1}/{self.args.runs})")
            copy_runs.append(measure(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-o", "/dev/null",
                                      "-f", str(csv_dir / "copy.sql"), pg_url(admin, copy)], timeout=self.args.timeout))
        copied = delta(pg_counts(pg_url(admin, copy)), before)
        if rows and {k: v for k, v in rows.items() if k in copied} != copied:
            raise RuntimeError(f"COPY wrote different rows: {copied} vs aj {rows}")
        psql(admin, "-c", f"DROP DATABASE IF EXISTS {target}")
        if rows is not None:
            psql(admin, "-c", f"ALTER DATABASE {target}_keep RENAME TO {target}")
        self.results["load_pg"] = {
            "rows": rows, "total_rows": sum((rows or {}).values()), "aj": aj_runs, "copy": copy_runs,
            "aj_floor": aj_floor, "prepare_csv_seconds": prepare,
            "aj_seconds": median_of(aj_runs), "copy_seconds": median_of(copy_runs),
            "aj_rss_mib": max((r["rss_mib"] for r in aj_runs if r["rss_mib"]), default=None),
        }

    def pg_loaded(self) -> bool:
        if not self.args.pg:
            return False
        out = psql(self.args.pg, "-At", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{self.pg_dbs['load']}'")
        return out.strip() == "1"

    # -- c. export
    def export(self) -> None:
        tables = json.dumps(export_tables())
        floor_dir = self.work / "export-floor"
        shutil.rmtree(floor_dir, ignore_errors=True)
        floor = measure([AJ, "--db", str(self.seeded_template()), "export", "--format", "csv", "--output", str(floor_dir)])
        aj_runs, base_runs = [], []
        aj_dir, base_dir = self.work / "export-aj", self.work / "export-baseline"
        for i in range(self.args.runs):
            for d in (aj_dir, base_dir):
                shutil.rmtree(d, ignore_errors=True)
            self.log(f"aj export csv (SQLite, run {i + 1}/{self.args.runs})")
            aj_runs.append(measure([AJ, "--db", str(self.loaded), "export", "--format", "csv", "--output", str(aj_dir)],
                                   timeout=self.args.timeout))
            self.log(f"baseline cursor + csv.writer (run {i + 1}/{self.args.runs})")
            base_runs.append(measure([PY, str(BENCH / "baseline.py"), "export-sqlite", str(self.loaded), str(base_dir), tables],
                                     timeout=self.args.timeout))
        self.results["export_sqlite"] = {
            "aj": aj_runs, "baseline": base_runs, "aj_floor": floor,
            "aj_seconds": median_of(aj_runs), "baseline_seconds": median_of(base_runs),
            "aj_rss_mib": max((r["rss_mib"] for r in aj_runs if r["rss_mib"]), default=None),
            "baseline_rss_mib": max((r["rss_mib"] for r in base_runs if r["rss_mib"]), default=None),
            "aj_rows": csv_rows(aj_dir) if aj_dir.exists() else None,
            "baseline_rows": csv_rows(base_dir) if base_dir.exists() else None,
            "aj_mb": sum(p.stat().st_size for p in aj_dir.glob("*.csv")) / 1e6 if aj_dir.exists() else None,
            "baseline_mb": sum(p.stat().st_size for p in base_dir.glob("*.csv")) / 1e6 if base_dir.exists() else None,
        }
        if self.pg_loaded():
            url = pg_url(self.args.pg, self.pg_dbs["load"])
            aj_runs, copy_runs = [], []
            aj_dir, copy_dir = self.work / "export-aj-pg", self.work / "export-copy-pg"
            script = self.work / "export-copy.sql"
            script.write_text("\n".join(
                f"\\copy (SELECT * FROM {name} ORDER BY {key}) TO '{copy_dir / (name + '.csv')}' WITH (FORMAT csv, HEADER)"
                for name, key in export_tables()) + "\n")
            for i in range(self.args.runs):
                for d in (aj_dir, copy_dir):
                    shutil.rmtree(d, ignore_errors=True)
                copy_dir.mkdir()
                self.log(f"aj export csv (PostgreSQL, run {i + 1}/{self.args.runs})")
                aj_runs.append(measure([AJ, "--db", url, "export", "--format", "csv", "--output", str(aj_dir)],
                                       timeout=self.args.timeout))
                self.log(f"psql \\copy TO (run {i + 1}/{self.args.runs})")
                copy_runs.append(measure(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(script), url],
                                         timeout=self.args.timeout))
            self.results["export_pg"] = {
                "aj": aj_runs, "copy": copy_runs, "aj_seconds": median_of(aj_runs), "copy_seconds": median_of(copy_runs),
                "aj_rss_mib": max((r["rss_mib"] for r in aj_runs if r["rss_mib"]), default=None),
                "aj_rows": csv_rows(aj_dir) if aj_dir.exists() else None,
                "copy_rows": csv_rows(copy_dir),
            }

    # -- d. queries
    def queries(self) -> None:
        targets = {"sqlite": f"sqlite:///{self.loaded}"}
        if self.pg_loaded():
            url = pg_url(self.args.pg, self.pg_dbs["load"])
            # autovacuum would analyze the new rows within a minute; do it now so plans are stable.
            psql(url, "-c", "ANALYZE")
            targets["postgresql"] = url
        self.results["queries"] = {}
        for name, url in targets.items():
            self.log(f"queries in-process ({name})")
            proc = sh([PY, str(BENCH / "inproc.py"), url, "--runs", str(self.args.query_runs)], timeout=self.args.timeout)
            self.results["queries"][name] = json.loads(proc.stdout)

    # -- e. ingest
    def ingest(self) -> None:
        folder = self.work / "ingest"
        articles = folder / "articles"
        if not articles.exists():
            generate.write_articles(articles, self.args.articles)
        tiny = folder / "tiny.txt"
        tiny.write_text("A short note\n\nJapan and ASEAN agreed to meet again in March 2024 to review 12 projects.\n")
        floor = measure([AJ, "--db", str(self.fresh_copy("ingest.sqlite")), "source", "add", str(tiny), "--format", "json"])
        texts = []
        # Several sizes: throughput that falls as the file grows means super-linear work.
        for mb in (float(x) for x in self.args.text_mb.split(",")):
            text = folder / f"text-{mb:g}mb.txt"
            if not text.exists():
                generate.write_text(text, mb)
            runs = []
            for i in range(self.args.runs):
                self.log(f"aj source add {text.name} (run {i + 1}/{self.args.runs})")
                runs.append(measure([AJ, "--db", str(self.fresh_copy("ingest.sqlite")), "source", "add", str(text),
                                     "--format", "json"], timeout=self.args.timeout))
            texts.append({"bytes": text.stat().st_size, "runs": runs, "seconds": median_of(runs),
                          "cpu_seconds": median_of(runs, "cpu_seconds")})
        article_runs = []
        for i in range(self.args.article_runs):
            self.log(f"aj source add {self.args.articles} articles (run {i + 1}/{self.args.article_runs})")
            article_runs.append(measure([AJ, "--db", str(self.fresh_copy("ingest.sqlite")), "source", "add", str(articles),
                                         "--format", "json"], timeout=self.args.timeout))
        db = self.work / "ingest.sqlite"
        added = sqlite3.connect(db).execute("SELECT count(*) FROM documents WHERE source_name IS NOT NULL").fetchone()[0]
        self.results["ingest"] = {
            "texts": texts, "articles": self.args.articles,
            "articles_bytes": sum(p.stat().st_size for p in articles.iterdir()),
            "article_runs": article_runs, "articles_seconds": median_of(article_runs), "articles_added": added,
            "floor": floor,
        }

    # -- profiles
    def profile(self, bundle: Path) -> None:
        out: dict[str, Any] = {}
        db = self.fresh_copy("profile.sqlite")
        for name, argv in (("load", ["--db", str(db), "load", str(bundle)]),
                           ("export", ["--db", str(self.loaded), "export", "--format", "csv", "--output",
                                       str(self.work / "export-profile")])):
            if name == "export" and not self.loaded.exists():
                continue
            self.log(f"cProfile aj {name}")
            prof = self.work / f"{name}.prof"
            sh([PY, "-m", "cProfile", "-o", str(prof), "-m", "aseanjapan", *argv])
            out[name] = profile_summary(prof)
            out[name]["command"] = f"{PY} -m cProfile -o {prof} -m aseanjapan {shlex.join(argv)}"
        self.results["profile"] = out
        # SQL time of `aj load` by statement shape, on both databases.
        traces = {}
        db = self.fresh_copy("trace.sqlite")
        targets = {"sqlite": f"sqlite:///{db}"}
        if self.args.pg:
            name = f"aj_bench_{self.args.scale}_trace"
            pg_recreate(self.args.pg, name)
            sh([AJ, "--db", pg_url(self.args.pg, name), "db", "upgrade"])
            targets["postgresql"] = pg_url(self.args.pg, name)
        for label, url in targets.items():
            self.log(f"SQL trace of aj load ({label})")
            cmd = [PY, str(BENCH / "sqltrace.py"), url, str(bundle)]
            traces[label] = json.loads(sh(cmd, timeout=self.args.timeout).stdout)
            traces[label]["command"] = shlex.join(cmd)
        if self.args.pg:
            psql(self.args.pg, "-c", f"DROP DATABASE IF EXISTS aj_bench_{self.args.scale}_trace")
        self.results["sqltrace"] = traces

    def cleanup(self) -> None:
        if self.args.pg and not self.args.keep:
            for name in self.pg_dbs.values():
                for n in (name, f"{name}_keep"):
                    psql(self.args.pg, "-c", f"DROP DATABASE IF EXISTS {n}")


def profile_summary(path: Path, top: int = 25) -> dict[str, Any]:
    p = pstats.Stats(str(path))
    total = max(v[3] for v in p.stats.values())  # the outermost cumulative time

    def label(key: tuple) -> str:
        filename, line, func = key
        short = re.sub(r".*/site-packages/", "", filename)
        short = re.sub(r".*/src/", "", short)
        return f"{short}:{line}({func})" if line else func

    rows = [(label(k), v[1], v[2], v[3]) for k, v in p.stats.items()]  # calls, tottime, cumtime
    return {
        "total_s": total,
        "by_cumulative": [{"function": f, "calls": n, "tottime": t, "cumtime": c}
                          for f, n, t, c in sorted(rows, key=lambda r: -r[3]) if "aseanjapan" in f][:top],
        "by_tottime": [{"function": f, "calls": n, "tottime": t, "cumtime": c}
                       for f, n, t, c in sorted(rows, key=lambda r: -r[2])][:top],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the aj benchmarks and rewrite BENCHMARKS.md.")
    parser.add_argument("--scale", choices=generate.SCALES, default="small")
    parser.add_argument("--rows", type=int, help="override the scale: N/2 claims, N/2 statistics, N/20 documents")
    parser.add_argument("--bundle-format", choices=("json", "jsonl"), default="json",
                        help="JSON bundles (read whole) or JSON Lines (streamed a chunk at a time by aj load)")
    parser.add_argument("--only", help=f"comma-separated stages: {','.join(STAGES)}")
    parser.add_argument("--runs", type=int, default=3, help="runs of each load/export/ingest measurement (median)")
    parser.add_argument("--query-runs", type=int, default=30)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--article-runs", type=int, default=1)
    parser.add_argument("--text-mb", default="1,4", help="sizes of the large text file(s) to ingest, in MB")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1/postgres",
                        help="an admin URL of a PostgreSQL server (databases aj_bench_* are created); '' to skip")
    parser.add_argument("--sqlite-utils", default=shutil.which("sqlite-utils") or
                        ("/tmp/vbench/bin/sqlite-utils" if Path("/tmp/vbench/bin/sqlite-utils").exists() else None))
    parser.add_argument("--work", type=Path, default=Path("/tmp/aj-bench"))
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one measured command is killed")
    parser.add_argument("--pg-via-copy", action="store_true",
                        help="PostgreSQL: skip `aj load` (too slow at large scale) and build the database by COPY")
    parser.add_argument("--memory-limit-gb", type=float, default=16.0, help="address-space cap of measured commands")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--name", help="results name (default: the scale, or rows-N)")
    args = parser.parse_args(argv)
    global MEMORY_LIMIT_GB
    MEMORY_LIMIT_GB = args.memory_limit_gb
    stages = args.only.split(",") if args.only else list(STAGES)
    args.only = stages if args.only else None
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(unknown)}")
    name = args.name or (f"rows-{args.rows}" if args.rows else args.scale) + \
        ("-jsonl" if args.bundle_format == "jsonl" else "")

    bench = Bench(args)
    bench.results["name"] = name
    bench.results["command"] = shlex.join([PY, "bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    bench.results["stages"] = stages
    bench.results["environment"] = environment(args)
    OUT.mkdir(exist_ok=True)
    results_path = OUT / f"results-{name}.json"
    started = time.perf_counter()
    try:
        bundle = bench.bundle()
        if "cold" in stages:
            bench.cold()
        if "load" in stages or not bench.loaded.exists():
            bench.load(bundle)
        if "export" in stages:
            bench.export()
        if "queries" in stages:
            bench.queries()
        if "ingest" in stages:
            bench.ingest()
        if "profile" in stages:
            bench.profile(bundle)
    finally:
        bench.results["wall_seconds"] = time.perf_counter() - started
        results_path.write_text(json.dumps(bench.results, indent=1, default=str) + "\n")
        bench.cleanup()
    report.write(REPO / "BENCHMARKS.md")
    bench.log(f"results in {results_path}; BENCHMARKS.md rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
