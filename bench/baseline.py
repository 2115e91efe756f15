"""Baselines for the load and export benchmarks: the same work done the plainest way.

Each sub-command runs as its own process (timed from outside, like `aj`), and imports
nothing from `aseanjapan`, only the standard library (and psycopg for PostgreSQL ids):

    python bench/baseline.py load-sqlite DB BUNDLE_DIR
        json.load the bundle files and write the rows `aj load` would write (records,
        link rows, citations, search entries) into DB, an identical copy of the seeded
        empty knowledge base (same schema, indexes, FTS triggers and PRAGMAs), with
        sqlite3 executemany in one transaction.

    python bench/baseline.py prepare-copy PG_URL BUNDLE_DIR OUT_DIR
        write the same rows as one CSV file per table plus `copy.sql`, a psql script of
        `\\copy` commands; `psql -1 -f OUT_DIR/copy.sql URL` (timed by run.py) loads them.

    python bench/baseline.py export-sqlite DB OUT_DIR TABLES_JSON
        a plain cursor + csv.writer loop: `SELECT * FROM t ORDER BY key` for each table.

Row construction mirrors loading/writer.py and search.py closely enough that the row
counts per table match `aj load` exactly (run.py checks this).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SECTION_ORDER = ("documents", "claims", "statistics")
COLUMNS = {
    "documents": ("id", "slug", "title", "kind", "publisher_id", "published_on", "published_precision", "url",
                  "language", "summary", "notes"),
    "document_authors": ("document_id", "actor_id", "position"),
    "claims": ("id", "slug", "text", "kind"),
    "claim_holders": ("claim_id", "actor_id"),
    "claim_actors": ("claim_id", "actor_id"),
    "claim_initiatives": ("claim_id", "initiative_id"),
    "claim_areas": ("claim_id", "area_id"),
    "statistics": ("id", "slug", "value", "value_high", "unit", "approximation", "metric_id", "subject_id",
                   "population", "population_actor_id", "period_start", "period_precision", "period_end",
                   "origin_document_id", "description"),
    "statistic_areas": ("statistic_id", "area_id"),
    "citations": ("id", "document_id", "claim_id", "statistic_id", "paragraph", "reported_as"),
    "search_entries": ("id", "kind", "record_id", "slug", "title", "body"),
}
ID_TABLES = ("documents", "claims", "statistics", "citations", "search_entries")


def fuzzy(value: str | None) -> tuple[str | None, str]:
    """'2024-05-10' | '2024-05' | '2024' -> (first day, precision), as aj stores them."""
    if not value:
        return None, "unknown"
    parts = value.split("-")
    if len(parts) == 3:
        return value, "day"
    if len(parts) == 2:
        return f"{value}-01", "month"
    return f"{value}-01-01", "year"


class Rows:
    """Turns bundle records into table rows, assigning ids after those in the database."""

    def __init__(self, lookups: dict[str, dict[str, Any]], next_ids: dict[str, int]):
        self.ids = {k: dict(v) for k, v in lookups.items() if k != "area_names"}
        self.area_names = lookups["area_names"]
        self.metric_names = lookups["metric_names"]
        self.actor_names = lookups["actor_names"]
        self.next = dict(next_ids)

    def _id(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value

    def _entry(self, kind: str, record_id: int, slug: str, title: str, body: list[str | None]) -> tuple:
        return (self._id("search_entries"), kind, record_id, slug, title, "\n".join(b for b in body if b))

    def rows(self, section: str, records: list[dict[str, Any]]) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = {t: [] for t in COLUMNS}
        actor, area, doc = self.ids["actors"], self.ids["policy_areas"], self.ids["documents"]
        if section == "documents":
            for d in records:
                id_ = doc[d["slug"]] = self._id("documents")
                on, precision = fuzzy(d.get("published"))
                out["documents"].append((id_, d["slug"], d["title"], d["kind"], actor.get(d.get("publisher")), on,
                                         precision, d.get("url"), "en", d.get("summary"), d.get("notes")))
                out["document_authors"] += [(id_, actor[a], pos) for pos, a in enumerate(d.get("authors", []))]
                out["search_entries"].append(self._entry("document", id_, d["slug"], d["title"],
                                                         [d.get("summary"), d.get("notes")]))
        elif section == "claims":
            for c in records:
                id_ = self._id("claims")
                out["claims"].append((id_, c["slug"], c["text"], c["kind"]))
                out["claim_holders"] += [(id_, actor[a]) for a in dict.fromkeys(c.get("holders", []))]
                out["claim_actors"] += [(id_, actor[a]) for a in dict.fromkeys(c.get("actors", []))]
                out["claim_initiatives"] += [(id_, self.ids["initiatives"][i]) for i in dict.fromkeys(c.get("initiatives", []))]
                out["claim_areas"] += [(id_, area[a]) for a in dict.fromkeys(c.get("areas", []))]
                for cit in _unique(c["citations"]):
                    out["citations"].append((self._id("citations"), doc[cit["document"]], id_, None,
                                             cit.get("paragraph"), cit.get("reported_as")))
                out["search_entries"].append(self._entry("claim", id_, c["slug"], c["text"],
                                                         [self.area_names[a] for a in c.get("areas", [])]))
        elif section == "statistics":
            for s in records:
                id_ = self._id("statistics")
                start, precision = fuzzy(s.get("period"))
                out["statistics"].append((
                    id_, s["slug"], s["value"], s.get("value_high"), s["unit"], s.get("approximation", "exact"),
                    self.ids["metrics"][s["metric"]], actor.get(s.get("subject")), s.get("population"),
                    actor.get(s.get("population_actor")), start, precision, fuzzy(s.get("period_end"))[0],
                    doc.get(s.get("origin")), s.get("description")))
                out["statistic_areas"] += [(id_, area[a]) for a in dict.fromkeys(s.get("areas", []))]
                cits = _unique(s["citations"])
                for cit in cits:
                    out["citations"].append((self._id("citations"), doc[cit["document"]], None, id_,
                                             cit.get("paragraph"), cit.get("reported_as")))
                subject = self.actor_names.get(s.get("subject"))
                title = f"{self.metric_names[s['metric']]}: {subject + ' ' if subject else ''}{s['value']:g}"
                out["search_entries"].append(self._entry("statistic", id_, s["slug"], title, [
                    s.get("description"), s.get("population"), *[c.get("reported_as") for c in cits],
                    *[self.area_names[a] for a in s.get("areas", [])]]))
        return {t: r for t, r in out.items() if r}


def _unique(citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for c in citations:
        key = (c["document"], c.get("paragraph"), c.get("reported_as"))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def bundle_sections(directory: Path, chunk: int = 5000) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(section, records) file by file (JSON Lines: `chunk` lines at a time), documents
    first (the others refer to them)."""
    files = sorted(directory.glob("*.json"))
    for section in SECTION_ORDER:
        for path in files:
            data = json.loads(path.read_bytes())
            if data.get(section):
                yield section, data[section]
    for path in sorted(directory.glob("*.jsonl")):  # named so that documents come first
        batch: list[tuple[str, dict[str, Any]]] = []
        with path.open("rb") as f:
            for line in f:
                if line.strip():
                    batch.append(next(iter(json.loads(line).items())))
                if len(batch) >= chunk:
                    yield from _by_section(batch)
                    batch = []
        yield from _by_section(batch)


def _by_section(batch: list[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for section in SECTION_ORDER:
        records = [r for s, r in batch if s == section]
        if records:
            yield section, records


def lookups(cursor: Any) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """slug -> id for the seed records, names for search entries, and the next free ids."""
    found: dict[str, dict[str, Any]] = {}
    for table in ("actors", "policy_areas", "metrics", "initiatives", "documents"):
        cursor.execute(f"SELECT slug, id FROM {table}")
        found[table] = dict(cursor.fetchall())
    cursor.execute("SELECT slug, name FROM policy_areas")
    found["area_names"] = dict(cursor.fetchall())
    cursor.execute("SELECT slug, name FROM metrics")
    found["metric_names"] = dict(cursor.fetchall())
    cursor.execute("SELECT slug, name FROM actors")
    found["actor_names"] = dict(cursor.fetchall())
    next_ids = {}
    for table in ID_TABLES:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        next_ids[table] = cursor.fetchone()[0]
    return found, next_ids


# ---- SQLite: executemany ------------------------------------------------------------------------

def load_sqlite(db: Path, bundle: Path) -> dict[str, int]:
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("foreign_keys = ON", "busy_timeout = 30000", "journal_mode = WAL", "synchronous = NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    cur = conn.cursor()
    cur.execute("BEGIN IMMEDIATE")
    rows = Rows(*lookups(cur))
    counts: dict[str, int] = {}
    for section, records in bundle_sections(bundle):
        for table, batch in rows.rows(section, records).items():
            cols = COLUMNS[table]
            cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", batch)
            counts[table] = counts.get(table, 0) + len(batch)
    cur.execute("COMMIT")
    conn.close()
    return counts


# ---- PostgreSQL: CSV for COPY -------------------------------------------------------------------

def _csv_field(value: Any) -> str:
    if value is None:
        return ""  # unquoted empty: NULL for COPY ... CSV
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value) if isinstance(value, float) else str(value)


def prepare_copy(url: str, bundle: Path, out: Path) -> dict[str, int]:
    import psycopg

    out.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = Rows(*lookups(conn.cursor()))
    files = {table: (out / f"{table}.csv").open("w", encoding="utf-8", newline="") for table in COLUMNS}
    counts: dict[str, int] = {}
    for section, records in bundle_sections(bundle):
        for table, batch in rows.rows(section, records).items():
            files[table].writelines(",".join(map(_csv_field, row)) + "\n" for row in batch)
            counts[table] = counts.get(table, 0) + len(batch)
    for f in files.values():
        f.close()
    script = [f"\\copy {t} ({', '.join(COLUMNS[t])}) FROM '{out / (t + '.csv')}' WITH (FORMAT csv)"
              for t in COLUMNS if counts.get(t)]
    # Sequences move past the ids we chose, as a real loader would have to.
    script += [f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}));"
               for t in ID_TABLES if counts.get(t)]
    (out / "copy.sql").write_text("\n".join(script) + "\n", encoding="utf-8")
    return counts


# ---- export: cursor + csv.writer ----------------------------------------------------------------

def export_sqlite(db: Path, out: Path, tables: list[list[str]]) -> int:
    """tables: [name, order-by column] pairs."""
    out.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db)
    total = 0
    for name, key in tables:
        cur = conn.execute(f"SELECT * FROM {name} ORDER BY {key}")
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow([d[0] for d in cur.description])
            while batch := cur.fetchmany(2000):
                writer.writerows(batch)
                total += len(batch)
    conn.close()
    return total


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "load-sqlite":
        counts = load_sqlite(Path(args[0]), Path(args[1]))
    elif command == "prepare-copy":
        counts = prepare_copy(args[0], Path(args[1]), Path(args[2]))
    elif command == "export-sqlite":
        counts = {"rows": export_sqlite(Path(args[0]), Path(args[1]), json.loads(args[2]))}
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
