"""Faults, concurrency and migrations: nothing half-written, nothing lost.

- a load or source-add that fails or is killed mid-way leaves no partial records;
- several processes writing at once all succeed, with the right totals;
- up/down/up keeps the data, and search keeps finding new rows after every migration.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from aseanjapan import models as m
from aseanjapan.db import make_engine
from aseanjapan.loading.ingest import add_source
from aseanjapan.migrate import downgrade, upgrade
from aseanjapan.search import search

from .dumps import canonical

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def big_bundle(path: Path, prefix: str, n: int) -> Path:
    """A JSON bundle with one document and n cited statistics."""
    doc = f"{prefix}-doc"
    data = {
        "documents": [{"slug": doc, "title": f"Synthetic source {prefix}", "kind": "report"}],
        "statistics": [{"slug": f"{prefix}-s{i}", "value": i % 97 + 0.5, "unit": "percent",
                        "metric": "confidence-do-right-thing", "subject": "japan",
                        "population": f"panel {i % 13}", "period": str(2000 + i % 25),
                        "citations": [{"document": doc, "paragraph": i % 40 + 1, "reported_as": f"{i % 97 + 0.5}%"}]}
                       for i in range(n)],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def aj_process(db_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "AJ_DATABASE_URL": db_url}
    return subprocess.Popen([sys.executable, "-m", "aseanjapan", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_killed_load_leaves_nothing_half_written(db_url, engine, tmp_path):
    bundle = big_bundle(tmp_path / "big.json", "killed", 12_000)
    before = count(engine, m.Statistic)
    outcomes = set()
    for delay in (0.8, 1.6, 2.4, 3.2):
        process = aj_process(db_url, "load", str(bundle))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = count(engine, m.Statistic)
        assert now in (before, before + 12_000), f"partial load: {now - before} rows after a kill at {delay}s"
        outcomes.add(now - before)
        if now != before:
            break
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # The database is usable afterwards: the same load completes.
    finished = aj_process(db_url, "load", str(bundle))
    assert finished.wait(timeout=300) == 0, finished.stderr.read()
    assert count(engine, m.Statistic) == before + 12_000


def test_a_failure_while_adding_a_source_leaves_no_document(engine, monkeypatch):
    from aseanjapan.loading import ingest

    def broken(*args, **kwargs):
        raise RuntimeError("extraction crashed half-way")

    monkeypatch.setattr(ingest, "store_candidates", broken)
    before = canonical(engine)
    with pytest.raises(RuntimeError):
        add_source(engine, "a.html", (FIXTURES / "harbour-review-article.html").read_bytes())
    assert canonical(engine) == before
    assert count(engine, m.Candidate) == 0


def _search_triggers(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").scalars())


def test_a_load_failing_after_its_search_entries_leaves_search_as_it_was(engine, tmp_path, monkeypatch):
    """On SQLite a load indexes its new entries in one statement, with the insert trigger
    dropped meanwhile: a failure must bring the trigger back and leave no stray words."""
    from aseanjapan.loading import writer
    from aseanjapan.loading.load import load_files

    original = writer.Writer.reindex

    def reindex_then_fail(self, *args, **kwargs):
        original(self, *args, **kwargs)
        raise RuntimeError("crashed after the search entries were written")

    sqlite = engine.dialect.name == "sqlite"
    triggers = _search_triggers(engine) if sqlite else []
    before = canonical(engine)
    monkeypatch.setattr(writer.Writer, "reindex", reindex_then_fail)
    with pytest.raises(RuntimeError):
        load_files(engine, [big_bundle(tmp_path / "crashed.json", "crashed", 300)])
    monkeypatch.undo()
    assert canonical(engine) == before
    assert _indexed(engine, "synthetic") == set()
    if sqlite:
        assert _search_triggers(engine) == triggers
    # Later writes are indexed: the bulk way (a load) and one row at a time (an update).
    load_files(engine, [big_bundle(tmp_path / "later.json", "later", 300)])
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE search_entries SET title = 'Wombat survey' WHERE slug = 'later-s7'")
        conn.exec_driver_sql("INSERT INTO search_entries (kind, record_id, slug, title, body) "
                             "VALUES ('claim', -1, 'stray', 'Wombat note', '')")
    assert _indexed(engine, "synthetic") == {"later-doc"}
    assert _indexed(engine, "wombat") == {"later-s7", "stray"}
    with Session(engine) as session:
        assert len([h for h in search(session, "panel", limit=1000) if h["slug"].startswith("later-s")]) == 300
    if sqlite:
        assert _search_triggers(engine) == triggers
        with engine.connect() as conn:  # FTS5 raises if its index and the content table differ
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")


def test_entries_written_before_an_error_stay_searchable_if_the_caller_commits_anyway(engine):
    from aseanjapan.search_index import indexed_at_end

    if engine.dialect.name != "sqlite":
        pytest.skip("the deferred FTS5 indexing is SQLite's")
    triggers = _search_triggers(engine)
    with engine.begin() as conn:
        with pytest.raises(ValueError):
            with indexed_at_end(conn):
                conn.exec_driver_sql("INSERT INTO search_entries (kind, record_id, slug, title, body) "
                                     "VALUES ('claim', -1, 'stray', 'Wombat note', '')")
                raise ValueError("a caller's own error")
    assert _indexed(engine, "wombat") == {"stray"}
    assert _search_triggers(engine) == triggers
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")


def test_concurrent_writers_all_succeed_with_the_right_totals(db_url, engine, tmp_path):
    docs_before, stats_before = count(engine, m.Document), count(engine, m.Statistic)
    sources = tmp_path / "sources"
    sources.mkdir()
    for i in range(6):
        text_ = (FIXTURES / "wire-story.txt").read_text(encoding="utf-8")
        (sources / f"story-{i}.txt").write_text(text_ + f"\nThis copy is number {i} of the wire feed.\n", encoding="utf-8")
    writers = [aj_process(db_url, "source", "add", str(sources / f"story-{2 * i}.txt"), str(sources / f"story-{2 * i + 1}.txt"),
                          "--format", "json") for i in range(3)]
    writers += [aj_process(db_url, "load", str(big_bundle(tmp_path / f"b{i}.json", f"writer{i}", 300))) for i in range(3)]
    for process in writers:
        assert process.wait(timeout=300) == 0, process.stderr.read()
    assert count(engine, m.Document) == docs_before + 6 + 3
    assert count(engine, m.Statistic) == stats_before + 900


def test_first_use_by_several_processes_at_once_creates_one_knowledge_base(tmp_path):
    from .conftest import BACKEND

    if BACKEND != "sqlite":
        pytest.skip("the embedded database is SQLite")
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    readers = [aj_process(url, "query", "initiatives", "--area", "security", "--format", "json") for _ in range(4)]
    outputs = []
    for process in readers:
        assert process.wait(timeout=300) == 0, process.stderr.read()
        outputs.append(json.loads(process.stdout.read()))
    assert all(out == outputs[0] and out for out in outputs)
    engine = make_engine(url)
    assert count(engine, m.Initiative) == len({i for i in canonical(engine)["initiatives"] for i in [i["slug"]]})
    engine.dispose()


def _insert_by_sql(engine, slug: str) -> None:
    """A cited claim and its search entry, written in plain SQL that every revision accepts
    (migrations are history: nothing of today's loader may be needed at an old revision)."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (slug, title, kind, published_precision, language) "
                          "VALUES (:s, :t, 'analysis', 'unknown', 'en')"), {"s": f"{slug}-doc", "t": f"Zanzibar notes {slug}"})
        conn.execute(text("INSERT INTO claims (slug, text, kind) VALUES (:s, :t, 'assessment')"),
                     {"s": slug, "t": f"Quokka diplomacy in {slug} works."})
        conn.execute(text("INSERT INTO citations (document_id, claim_id, paragraph) SELECT d.id, c.id, 1 "
                          "FROM documents d, claims c WHERE d.slug = :d AND c.slug = :s"), {"d": f"{slug}-doc", "s": slug})
        conn.execute(text("INSERT INTO search_entries (kind, record_id, slug, title, body) "
                          "SELECT 'claim', id, slug, text, '' FROM claims WHERE slug = :s"), {"s": slug})


def _indexed(engine, word: str) -> set[str]:
    """Slugs the full-text index finds for a word, asked in a way every revision understands."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            sql = ("SELECT e.slug FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid "
                   "WHERE search_fts MATCH :w")
        else:
            # The tsvector of migration 0003, computed on the fly: a column every revision has.
            vector = "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))"
            sql = f"SELECT slug FROM search_entries WHERE {vector} @@ plainto_tsquery('english', :w)"
        return set(conn.execute(text(sql), {"w": word}).scalars())


def test_up_down_up_keeps_data_and_search_finds_new_rows_after_every_step(engine, tmp_path):
    from aseanjapan.loading.load import load_files

    load_files(engine, [big_bundle(tmp_path / "user.json", "user", 50)])
    before = canonical(engine)
    steps = ["0004", "0003"]
    for revision in steps:
        downgrade(engine, revision)
    for target, slug in (("0004", "after-0004"), ("0005", "after-0005"), ("0006", "after-0006"), ("0007", "after-0007"), ("0008", "after-0008"), ("0009", "after-0009"), ("0010", "after-0010"), ("0011", "after-0011"), ("0012", "after-0012"), ("0014", "after-0014"), ("0015", "after-0015"), ("0016", "after-0016"), ("0017", "after-0017"), ("0018", "after-0018")):
        upgrade(engine, target)
        _insert_by_sql(engine, slug)
        assert slug in _indexed(engine, "quokka"), target
    with Session(engine) as session:  # and the search itself, at the head revision
        assert {f"after-{t}" for t in ("0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012", "0014", "0015", "0016", "0017", "0018")} <= {h["slug"] for h in search(session, "quokka")}
    after = canonical(engine)
    for kind in before:
        kept = [row for row in after[kind] if not row["slug"].startswith("after-")]
        assert kept == before[kind], kind


def test_downgrade_keeps_citations_of_rebuilt_tables(engine):
    """A batch rebuild on SQLite drops and recreates a table; foreign keys must not cascade."""
    with engine.connect() as conn:
        citations = conn.execute(select(func.count()).select_from(m.Citation)).scalar_one()
    downgrade(engine, "0003")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM citations")).scalar_one() == citations
        assert "byline" not in {c["name"] for c in inspect(conn).get_columns("documents")}
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(m.Citation)).scalar_one() == citations


def test_migration_0010_gives_old_end_dates_a_precision_their_day_allows(engine, tmp_path):
    """Before 0010 an end was stored as the first day of its period, read at the start's
    precision: a decade start ending "2023" was shown, and exported, as "2023s"."""
    from aseanjapan.export import write_bundle
    from aseanjapan.loading.load import load_files

    downgrade(engine, "0009")
    with engine.begin() as conn:
        doc = conn.execute(text("SELECT id FROM documents ORDER BY id LIMIT 1")).scalar()
        conn.execute(text("INSERT INTO events (slug, title, kind, occurred_on, date_precision, ended_on) VALUES "
                          "('old-decade-span', 'Old span', 'other', '2010-01-01', 'decade', '2023-01-01'), "
                          "('old-day-span', 'Old days', 'other', '2024-03-15', 'day', '2024-04-01')"))
        for slug in ("old-decade-span", "old-day-span"):
            conn.execute(text("INSERT INTO citations (document_id, event_id, paragraph) "
                              "SELECT :d, id, 1 FROM events WHERE slug = :s"), {"d": doc, "s": slug})
    upgrade(engine, "head")
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT slug, end_precision FROM events WHERE slug LIKE 'old-%'")).all())
    assert stored == {"old-decade-span": "year", "old-day-span": "day"}
    path = tmp_path / "kb.yaml"
    with engine.connect() as conn, path.open("w", encoding="utf-8") as stream:
        write_bundle(conn, stream)
    text_out = path.read_text(encoding="utf-8")
    assert "end_date: '2023'" in text_out and "2023s" not in text_out
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    upgrade(fresh, "head")
    load_files(fresh, [path])  # loads: no '2023s'


def test_migration_0011_gives_entries_written_before_it_their_folded_lines(engine, tmp_path):
    from aseanjapan.loading.load import load_files

    bundle = tmp_path / "danang.json"
    bundle.write_text(json.dumps({
        "documents": [{"slug": "danang-note", "title": "Port note", "kind": "analysis"}],
        "claims": [{"slug": "danang-port", "text": "Japan will help upgrade the port of Đà Nẵng.", "kind": "fact",
                    "citations": [{"document": "danang-note", "paragraph": 1}]}]}), encoding="utf-8")
    load_files(engine, [bundle])
    downgrade(engine, "0010")
    with engine.begin() as conn:  # the entry as revision 0010 wrote it: a claim's words are its title
        conn.exec_driver_sql("UPDATE search_entries SET body = '' WHERE slug = 'danang-port'")
    with Session(engine) as session:
        assert "danang-port" not in {h["slug"] for h in search(session, '"Da Nang"')}
    upgrade(engine)
    with Session(engine) as session:
        assert "danang-port" in {h["slug"] for h in search(session, '"Da Nang"')}


# ---- issue 15: nothing lost, nothing injected ---------------------------------------------------

from .clitools import aj  # noqa: E402
from .conftest import BACKEND  # noqa: E402

SEED_CLAIM = "kitti-economic-ties-peaked-2000s"


def _integrity_ok(path: Path) -> bool:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


WRITERS = {
    "query": ("query", "claims", "--format", "csv", "--output"),
    "search": ("search", "japan", "--format", "json", "--output"),
    "review-list": ("review", "list", "--format", "json", "--output"),
    "conflicts": ("conflicts", "--format", "json", "--output"),
    "timeline": ("timeline", "--format", "csv", "--output"),
    "compare": ("compare", "--metric", "confidence-do-right-thing", "--format", "csv", "--output"),
    "show": ("show", "initiative", "osa", "--format", "json", "--output"),
    "export-bundle": ("export", "--format", "bundle", "--output"),
    "backup": ("db", "backup"),
}
SPELLINGS = ["kb.json", "./kb.json", "sub/../kb.json", "link.json", "hard.json", "kb.json-wal", "kb.json-shm",
             "kb.json-journal"]


def _writer_cases():
    for writer in WRITERS:
        for spelling in SPELLINGS:
            if writer != "query" and spelling not in ("kb.json", "link.json", "kb.json-wal"):
                continue  # every spelling for one writer, the main ones for all
            if writer == "export-bundle" and not spelling.endswith(".json"):
                continue  # a bundle's name must end in .json, .yaml or .jsonl
            yield writer, spelling


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("writer", "spelling"), list(_writer_cases()))
def test_no_command_writes_over_the_database_it_has_open(template_url, tmp_path, monkeypatch, writer, spelling):
    """`-o` (or a backup) onto the open database, its -wal, -shm or -journal, however the path
    is spelt, is refused before anything is written."""
    import shutil

    from sqlalchemy.engine import make_url

    database = tmp_path / "kb.json"
    shutil.copyfile(make_url(template_url).database, database)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to(database)
    os.link(database, tmp_path / "hard.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AJ_DATABASE_URL", str(database))
    before = database.read_bytes()
    run = aj(*WRITERS[writer], spelling)
    assert run.exit_code == 2, run.stderr
    assert len(run.error_lines) == 1 and "that is the database aj has open" in run.error_lines[0], run.stderr
    assert database.read_bytes() == before and _integrity_ok(database)
    assert aj("query", "claims", "--format", "json").json()


@pytest.mark.sqlite_only
def test_output_redirected_onto_the_database_is_refused(template_url, tmp_path):
    import shutil

    from sqlalchemy.engine import make_url

    database = tmp_path / "kb.sqlite"
    shutil.copyfile(make_url(template_url).database, database)
    before = database.read_bytes()
    with database.open("ab") as out:  # `>>`: the shell's `>` would already have emptied it
        process = subprocess.run([sys.executable, "-m", "aseanjapan", "--db", str(database), "query", "claims",
                                  "--format", "csv"], stdout=out, stderr=subprocess.PIPE, text=True, timeout=120)
    assert process.returncode == 2 and "standard output is the database file" in process.stderr
    assert database.read_bytes() == before


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob("*") if ".aj-" in p.name or p.name.endswith((".tmp", ".partial")))


def test_a_failed_write_leaves_the_previous_file_whole(db_url, tmp_path, monkeypatch):
    """An output is replaced only once it is complete: an error half-way (here: the disk
    filling up, or a crash while reading) leaves the previous file byte for byte, and no
    temporary file behind. Bundle, -o file, table export and chart alike."""
    import errno

    from aseanjapan import export, render

    out = tmp_path / "out"
    bundle, listing, tables, chart = out / "kb.yaml", out / "claims.json", out / "tables", out / "trust.png"
    for args in (("export", "--format", "bundle", "--output", str(bundle)),
                 ("query", "claims", "--format", "json", "--output", str(listing)),
                 ("export", "--format", "csv", "--output", str(tables)),
                 ("compare", "--metric", "confidence-do-right-thing", "--output", str(chart))):
        assert aj(*args).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # New content that the failed writes would have carried.
    (tmp_path / "more.yaml").write_text("metrics:\n  - {slug: failed-write-metric, name: Failed write, unit: count}\n")
    assert aj("load", str(tmp_path / "more.yaml")).exit_code == 0

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    original_events = export.BundleExporter.events

    def events_then_full(self):
        yield from list(original_events(self))[:3]
        disk_full()

    monkeypatch.setattr(export.BundleExporter, "events", events_then_full)
    monkeypatch.setattr(render, "write_json", lambda rows, stream: (stream.write("[\n  {\"slug\""), disk_full()))
    original_csv = export._copy_csv if BACKEND == "postgresql" else export._sqlite_csv
    name = "_copy_csv" if BACKEND == "postgresql" else "_sqlite_csv"
    monkeypatch.setattr(export, name, lambda conn, table, stream, unreviewed: (
        disk_full() if table.name == "events" else original_csv(conn, table, stream, unreviewed)))
    import matplotlib.figure

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", lambda self, stream, **kw: (stream.write(b"\x89PNG"), disk_full()))
    for args in (("export", "--format", "bundle", "--output", str(bundle)),
                 ("query", "claims", "--format", "json", "--output", str(listing)),
                 ("export", "--format", "csv", "--output", str(tables)),
                 ("compare", "--metric", "confidence-do-right-thing", "--output", str(chart))):
        run = aj(*args)
        assert run.exit_code == 1 and len(run.error_lines) == 1, (args, run.stderr)
        assert "No space left on device" in run.error_lines[0]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert _leftovers(tmp_path) == []


def test_a_killed_export_leaves_the_previous_file_whole(db_url, engine, tmp_path):
    """SIGKILL while an export is written: the previous export is still there, whole (it
    loads), and the next export removes the temporary file the killed one left."""
    from aseanjapan.loading.load import load_files

    load_files(engine, [big_bundle(tmp_path / "big.json", "kill", 6000)])
    target = tmp_path / "kb.jsonl"
    first = aj_process(db_url, "export", "--format", "bundle", "--output", str(target))
    assert first.wait(timeout=300) == 0, first.stderr.read()
    previous = target.read_bytes()
    load_files(engine, [big_bundle(tmp_path / "more.json", "later", 50)])
    for delay in (0.3, 0.8, 1.5):
        process = aj_process(db_url, "export", "--format", "bundle", "--output", str(target))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert target.read_bytes() == previous or b'"later-s49"' in target.read_bytes()
        if target.read_bytes() != previous:
            break
    check = aj("load", "--dry-run", str(target))
    assert check.exit_code == 0, check.stderr  # whole: the end marker and its counts are there
    # SIGTERM (what `kill` and service managers send) goes through aj's cleanups: nothing is left.
    process = aj_process(db_url, "export", "--format", "bundle", "--output", str(target))
    time.sleep(0.8)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=300)
    assert aj("load", "--dry-run", str(target)).exit_code == 0  # the previous file, or the new one: whole
    assert not [name for name in _leftovers(tmp_path) if f".aj-{process.pid}-" in name]  # (SIGKILLed ones may)
    again = aj_process(db_url, "export", "--format", "bundle", "--output", str(target))
    assert again.wait(timeout=300) == 0
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_a_cut_short_export_never_loads(db_url, engine, tmp_path, fmt):
    """An export cut at any point (after a whole record too) is refused, and leaves the
    database as it was: the end marker and its record counts prove a bundle whole."""
    import random

    path = tmp_path / f"kb.{fmt}"
    assert aj("export", "--format", "bundle", "--output", str(path)).exit_code == 0
    whole = path.read_bytes()
    # The knowledge base differs from the export, so a partial load would show.
    (tmp_path / "extra.yaml").write_text(
        f"citations:\n  - {{claim: {SEED_CLAIM}, document: wonk-50th-anniversary-summit, paragraph: 3}}\n")
    assert aj("load", str(tmp_path / "extra.yaml")).exit_code == 0
    before = canonical(engine)
    line_ends = [i + 1 for i, byte in enumerate(whole) if byte == 10][:-1]
    cuts = random.Random(15).sample(range(1, len(whole) - 1), 12) + random.Random(16).sample(line_ends, 8)
    cut = tmp_path / f"cut.{fmt}"
    for point in cuts:
        cut.write_bytes(whole[:point])
        run = aj("load", str(cut))
        assert run.exit_code == 1 and len(run.error_lines) == 1, (point, run.stderr)
    assert canonical(engine) == before
    cut.write_bytes(whole)
    assert aj("load", str(cut)).exit_code == 0  # and whole, it loads (removing the extra citation)
    assert canonical(engine) != before


NOTES = """\
documents:
  - {slug: marker-notes, title: Marker notes, kind: report}
claims:
  - slug: marker-claim
    text: Two paragraphs say so.
    kind: assessment
    holders: [japan, philippines]
    citations: [{document: marker-notes, paragraph: 1}, {document: marker-notes, paragraph: 2}]
"""


def test_a_bundle_without_end_marker_only_adds_and_says_what_it_kept(db_url, tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text(NOTES, encoding="utf-8")
    assert aj("load", str(path)).exit_code == 0
    path.write_text(NOTES.replace(", {document: marker-notes, paragraph: 2}", "").replace(", philippines", ""))
    run = aj("load", str(path))
    assert run.exit_code == 0, run.stderr
    assert "nothing was removed" in run.stderr and "citations of claim marker-claim: 1" in run.stderr
    assert "holders of claim marker-claim: 1" in run.stderr
    claim = aj("show", "claim", "marker-claim", "--format", "json").json()
    assert len(claim["citations"]) == 2 and claim["fields"]["holders"] == ["japan", "philippines"]
    # The note gives the line that proves the file whole: with it, the load removes them.
    marker = next(line for line in run.stderr.splitlines() if "end notes.yaml with:" in line or "with: aj_bundle_end" in line)
    path.write_text(path.read_text() + marker.split("with: ", 1)[1] + "\n", encoding="utf-8")
    run = aj("load", str(path))
    assert run.exit_code == 0 and "nothing was removed" not in run.stderr, run.stderr
    claim = aj("show", "claim", "marker-claim", "--format", "json").json()
    assert len(claim["citations"]) == 1 and claim["fields"]["holders"] == ["japan"]


LATE = """\
documents:
  - {slug: late-doc, title: Written during the export, kind: report}
claims:
  - slug: late-claim
    text: Added while an export was reading.
    kind: fact
    citations: [{document: late-doc, paragraph: 1}]
citations:
  - {claim: kitti-economic-ties-peaked-2000s, document: late-doc, paragraph: 2}
"""


def _write_meanwhile(db_url: str, tmp_path: Path, prefix: str) -> None:
    """Another writer's load, committed at once."""
    from aseanjapan.loading.load import load_files

    path = tmp_path / f"{prefix}.yaml"
    path.write_text(LATE.replace("late-", f"{prefix}-"), encoding="utf-8")
    other = make_engine(db_url)
    try:
        load_files(other, [path])
    finally:
        other.dispose()


def test_exports_and_backups_read_one_snapshot(db_url, tmp_path, monkeypatch):
    """Another process writes while an export or a backup reads table after table: the output
    is the knowledge base as it was when it began, never a mix (a claim without its document)."""
    from aseanjapan import backup, export

    pending: list[str] = []  # the next concurrent write to make, once

    def write_once() -> None:
        if pending:
            _write_meanwhile(db_url, tmp_path, pending.pop())

    original_claims = export.BundleExporter.claims

    def claims_after_a_write(self):
        write_once()
        yield from original_claims(self)

    monkeypatch.setattr(export.BundleExporter, "claims", claims_after_a_write)
    pending.append("late")
    bundle = tmp_path / "kb.yaml"
    assert aj("export", "--format", "bundle", "--output", str(bundle)).exit_code == 0
    assert "late-" not in bundle.read_text(encoding="utf-8")
    assert aj("show", "claim", "late-claim", "--format", "json").exit_code == 0  # the write did happen
    fresh = aj("--db", str(tmp_path / "fresh.sqlite"), "load", str(bundle))
    assert fresh.exit_code == 0, fresh.stderr  # a consistent whole: every reference resolves

    original_query = export._table_query

    def query_after_a_write(table, *args, **kwargs):
        if table.name == "claims":
            write_once()
        return original_query(table, *args, **kwargs)

    monkeypatch.setattr(export, "_table_query", query_after_a_write)
    pending.append("later")
    tables = tmp_path / "tables"
    assert aj("export", "--format", "csv", "--output", str(tables)).exit_code == 0
    assert "later-" not in "".join(p.read_text(encoding="utf-8") for p in tables.iterdir())
    assert aj("show", "claim", "later-claim", "--format", "json").exit_code == 0

    if BACKEND == "postgresql":  # SQLite's backup API copies in one step anyway
        original_select = backup.select

        def select_after_a_write(table):
            if table.name == "claims":
                write_once()
            return original_select(table)

        monkeypatch.setattr(backup, "select", select_after_a_write)
        pending.append("latest")
        run = aj("db", "backup", str(tmp_path / "copy.sqlite"))
        assert run.exit_code == 0, run.stderr  # its reference check passes
        copy = make_engine(f"sqlite:///{tmp_path / 'copy.sqlite'}")
        with copy.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM documents WHERE slug LIKE 'latest-%'").scalar() == 0
        copy.dispose()


def test_a_backup_leaves_one_file_and_refuses_a_dangling_link(db_url, tmp_path):
    out = tmp_path / "backups"
    out.mkdir()
    assert aj("db", "backup", str(out / "kb.sqlite")).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["kb.sqlite"]  # no -wal, -shm, -journal, .partial
    assert _integrity_ok(out / "kb.sqlite")
    assert sorted(p.name for p in out.iterdir()) == ["kb.sqlite"]  # opening it made none either
    (out / "dangling.sqlite").symlink_to(out / "nowhere" / "x.sqlite")
    run = aj("db", "backup", str(out / "dangling.sqlite"))
    assert run.exit_code == 2 and "a symbolic link to" in run.error_lines[0] and "does not exist" in run.error_lines[0]
    assert os.path.islink(out / "dangling.sqlite") and not (out / "nowhere").exists()
    (out / "dangling.json").symlink_to(out / "nowhere" / "x.json")  # any output, not only backups
    run = aj("query", "claims", "--format", "json", "--output", str(out / "dangling.json"))
    assert run.exit_code == 2 and "a symbolic link to" in run.error_lines[0] and not (out / "nowhere").exists()
    (out / "linked.json").symlink_to(out / "real.json")
    (out / "real.json").write_text("old")  # a link to a file is written through: the link stays
    assert aj("query", "claims", "--format", "json", "--output", str(out / "linked.json")).exit_code == 0
    assert os.path.islink(out / "linked.json") and json.loads((out / "real.json").read_text())
    again = aj("db", "backup", str(out / "kb.sqlite"))  # never over an existing file
    assert again.exit_code == 2 and "exists already" in again.error_lines[0]


def test_what_sqlite_stores_postgresql_stores_too_texts_over_the_tsvector_limit(db_url, tmp_path):
    """PostgreSQL refuses a tsvector over 1 MB: records far longer than that (here 1.8 MB of
    distinct words, and 1.7 MB of CJK text) load on both backends, found by their start."""
    import hashlib
    import random

    rng = random.Random(6)
    words = " ".join(hashlib.md5(str(i).encode()).hexdigest()[:6] for i in range(260_000))
    cjk = " ".join("".join(chr(0x4E00 + rng.randrange(20_000)) for _ in range(2)) for _ in range(300_000))
    data = {"documents": [{"slug": "long-doc", "title": "Longer than a tsvector", "kind": "report",
                           "text": "Quokkapedia opens it.\n" + cjk}],
            "claims": [{"slug": "long-claim", "text": "Wombatology first. " + words, "kind": "fact",
                        "citations": [{"document": "long-doc", "paragraph": 1}]}]}
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = aj("load", str(path))
    assert run.exit_code == 0, run.stderr
    assert {h["slug"] for h in aj("search", "quokkapedia", "--format", "json").json()} == {"long-doc"}
    assert {h["slug"] for h in aj("search", "wombatology", "--format", "json").json()} == {"long-claim"}


HOSTILE_BUNDLE = """\
documents:
  - slug: hostile-doc
    title: "Report \\e]0;pwned\\a on \\e[31mred\\e[0m"
    kind: report
    notes: "bidi \\u202eevil\\u202c and C1 \\x9b2J"
metrics:
  - {slug: hostile-metric, name: "Trust \\e[2J\\e[H", unit: percent}
claims:
  - slug: hostile-claim
    text: "Clears the screen \\e[2J\\e[H, then \\u202ereverses\\u202c, \\x9b1m"
    kind: fact
    citations: [{document: hostile-doc, paragraph: 1, reported_as: "\\e[5mblink"}]
statistics:
  - slug: hostile-stat
    value: 12
    unit: percent
    metric: hostile-metric
    subject: japan
    period: 2024
    description: "\\e]8;;http://evil/\\e\\\\link"
    citations: [{document: hostile-doc, paragraph: 2}]
events:
  - slug: hostile-event
    title: "Summit \\e[8mhidden"
    kind: summit
    date: 2024-03
    citations: [{document: hostile-doc, paragraph: 3}]
"""
_RAW = ("\x1b", "\x9b", "\u202e", "\x07")


def test_control_characters_never_reach_a_terminal_raw(db_url, tmp_path):
    """Database text is shown on a terminal with its control characters as visible escapes
    (tables, cards, charts, messages, error lines, the review prompt); JSON keeps the data."""
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_BUNDLE, encoding="utf-8")
    assert aj("load", str(path)).exit_code == 0
    shown = [
        aj("query", "claims", "--contains", "screen", "--format", "table"),
        aj("query", "documents", "--format", "table"),
        aj("query", "events", "--format", "table"),
        aj("query", "statistics", "--metric", "hostile-metric", "--format", "table"),
        aj("show", "claim", "hostile-claim", "--format", "table"),
        aj("show", "document", "hostile-doc", "--format", "table"),
        aj("show", "statistic", "hostile-stat", "--format", "table"),
        aj("search", "screen", "--format", "table"),
        aj("timeline", "--since", "2024", "--format", "table"),
        aj("compare", "--metric", "hostile-metric", "--format", "table"),
        aj("show", "claim", "hostile\x1b[31m"),  # error lines quoting what was typed
        aj("query", "claims", "--format", "\x1b]0;title\x07"),
        aj("load", str(tmp_path / "no\x1b]0;such.yaml")),
    ]
    for run in shown:
        for raw in _RAW:
            assert raw not in run.stdout + run.stderr, (raw, run.stdout + run.stderr)
    assert "\\x1b[2J" in shown[0].stdout and "\\u202e" in shown[0].stdout
    # Machine-readable output keeps the data as stored (C1 and bidi as JSON escapes).
    [claim] = aj("query", "claims", "--contains", "screen", "--format", "json").json()
    assert claim["text"] == "Clears the screen \x1b[2J\x1b[H, then \u202ereverses\u202c, \x9b1m"
    raw_json = aj("query", "claims", "--contains", "screen", "--format", "json").stdout
    assert not any(raw in raw_json for raw in _RAW)


def test_the_review_prompt_shows_no_raw_control_characters(db_url, tmp_path):
    """Sources are stored without C0 controls, but C1 controls and bidi overrides in a text
    reach candidates and their context: the prompt shows them escaped."""
    source = tmp_path / "bidi.txt"
    source.write_text("In 2024 Japan pledged \u202e$5 billion\u202c to the \x9bregional fund for coastal patrols.\n"
                      "The second paragraph adds nothing new at all to this note.\n", encoding="utf-8")
    assert aj("source", "add", str(source), "--format", "json").exit_code == 0
    run = aj("review", "walk", input="q\n")
    assert run.exit_code == 0, run.stderr
    assert "\\u202e" in run.stdout
    for raw in _RAW:
        assert raw not in run.stdout + run.stderr


def test_a_note_typed_at_the_review_prompt_is_stored_alike_or_refused(db_url, tmp_path):
    """A NUL typed (or piped) at the prompt would be stored by SQLite and refused by
    PostgreSQL: both refuse it, in one line, and the candidate stays pending."""
    source = tmp_path / "note.txt"
    source.write_text("In 2024 Japan pledged $5 billion to the regional fund for coastal patrols.\n"
                      "The second paragraph adds nothing new at all to this note.\n", encoding="utf-8")
    assert aj("source", "add", str(source), "--format", "json").exit_code == 0
    pending = aj("review", "list", "--format", "json").json()
    run = aj("review", "walk", input="r\nbad \x00 note\n")
    assert run.exit_code == 1 and len(run.error_lines) == 1 and "NUL" in run.error_lines[0], run.stderr
    assert aj("review", "list", "--format", "json").json() == pending


def test_csv_for_spreadsheets_neutralises_formulas(db_url, tmp_path):
    """`--format excel-csv`: UTF-8 with a byte order mark, and a cell a spreadsheet would run
    as a formula starts with an apostrophe; numbers stay numbers. Plain CSV keeps cells as
    stored, for programs."""
    import csv
    import io

    path = tmp_path / "formulas.yaml"
    path.write_text("""\
documents:
  - {slug: formula-doc, title: "=HYPERLINK(\\"http://evil\\",\\"click\\")", kind: report}
claims:
  - {slug: formula-1, text: "=1+1", kind: fact, citations: [{document: formula-doc}]}
  - {slug: formula-2, text: "+cmd|' /C calc'!A0", kind: fact, citations: [{document: formula-doc}]}
  - {slug: formula-3, text: "-2+3", kind: fact, citations: [{document: formula-doc}]}
  - {slug: formula-4, text: "@SUM(A1)", kind: fact, citations: [{document: formula-doc}]}
  - {slug: formula-5, text: "\\t=1", kind: fact, citations: [{document: formula-doc}]}
statistics:
  - {slug: formula-stat, value: -3.5, unit: percent, metric: confidence-do-right-thing, subject: japan,
     citations: [{document: formula-doc}]}
""", encoding="utf-8")
    assert aj("load", str(path)).exit_code == 0
    excel = aj("query", "claims", "--document", "formula-doc", "--format", "excel-csv")
    assert excel.exit_code == 0 and excel.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(excel.stdout.lstrip("\ufeff"))))
    stored = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]
    assert sorted(r["text"] for r in rows) == sorted("'" + text for text in stored)
    plain = list(csv.DictReader(io.StringIO(aj("query", "claims", "--document", "formula-doc", "--format", "csv").stdout)))
    assert sorted(r["text"] for r in plain) == sorted(stored)
    stats = list(csv.DictReader(io.StringIO(aj("query", "statistics", "--document", "formula-doc", "--format",
                                               "excel-csv").stdout.lstrip("\ufeff"))))
    assert stats[0]["value"] == "-3.5"  # a number, not text
    out = tmp_path / "sheets"
    assert aj("export", "--format", "excel-csv", "--output", str(out)).exit_code == 0
    documents = (out / "documents.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in documents and "\n=HYPERLINK" not in documents


def test_names_that_look_the_same_are_one_name_or_a_warning(db_url, tmp_path):
    """NFC and no invisible characters in names at every entry point; a new name spelt with
    look-alike letters (Cyrillic а in Jаpan) is warned of, naming the known one."""
    path = tmp_path / "names.yaml"
    path.write_text('actors:\n  - {slug: nfd-body, name: "Re\\u0301seau Me\\u0301kong\\u200b", kind: forum}\n'
                    '  - {slug: japan-lookalike, name: "J\\u0430pan", kind: country}\n', encoding="utf-8")
    run = aj("load", str(path))
    assert run.exit_code == 0, run.stderr
    [warning] = [line for line in run.stderr.splitlines() if "warning" in line]
    assert "names.yaml:3: actors[1].name: 'J\u0430pan' looks like the known actor 'Japan' (japan)" in warning
    card = aj("show", "actor", "R\u00e9seau M\u00e9kong", "--format", "json")
    assert card.exit_code == 0 and card.json()["fields"]["name"] == "R\u00e9seau M\u00e9kong"
    assert aj("show", "actor", "Ja\u200bpan", "--format", "json").json()["slug"] == "japan"  # lookups too
    source = tmp_path / "note.txt"
    source.write_text("Japan and Viet Nam signed a coast guard agreement in 2024, worth 2 billion yen.\n")
    added = aj("source", "add", str(source), "--title", "Coast\u200b guard  note\u00ad", "--format", "json")
    document = added.json()[0]["document"]
    assert aj("show", "document", document, "--format", "json").json()["fields"]["title"] == "Coast guard note"
    # Review makes new records too: the same warning there.
    assert aj("source", "add", str(FIXTURES / "harbour-review-article.html"), "--format", "json").exit_code == 0
    [mdaf] = [c for c in aj("review", "list", "--format", "json").json()
              if c["text"] == "Maritime Domain Awareness Fund (MDAF)"]
    accepted = aj("review", "accept", mdaf["candidate"], "--as", "initiative", "--kind", "fund",
                  "--title", "\u041efficial Security Assistance")
    assert accepted.exit_code == 0, accepted.stderr
    assert "looks like the known initiative 'Official Security Assistance' (osa)" in accepted.stderr


@pytest.mark.sqlite_only
def test_a_read_only_database_can_be_queried_and_refuses_writes(template_url, tmp_path, monkeypatch):
    """A shared copy nobody may write (file and folder read-only): queries work, it says once
    that the database is read-only, a write is one clear error, and no file appears beside it."""
    import shutil

    from sqlalchemy.engine import make_url

    folder = tmp_path / "shared"
    folder.mkdir()
    database = folder / "kb.sqlite"
    shutil.copyfile(make_url(template_url).database, database)
    database.chmod(0o444)
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root may write anything: aj is shown the permissions as others see them
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if mode & os.W_OK and str(
            Path(path).resolve()).startswith(str(folder)) else real_access(path, mode, **kw))
    monkeypatch.setenv("AJ_DATABASE_URL", str(database))
    try:
        listed = aj("query", "initiatives", "--area", "security", "--format", "json")
        assert listed.exit_code == 0, listed.stderr
        assert listed.json() and listed.stderr.count("read-only") == 1
        key = "naming:initiative:osa:tfgi-asean-japan-panel|wonk-50th-anniversary-summit"
        write = aj("conflicts", "--mark", key)
        assert write.exit_code == 1 and len(write.error_lines) == 1 and "open read-only" in write.error_lines[0]
        assert sorted(p.name for p in folder.iterdir()) == ["kb.sqlite"]
    finally:
        folder.chmod(0o755)
        database.chmod(0o644)
        monkeypatch.undo()
    # A URL may ask for read-only explicitly, on a file anyone could write.
    url = f"sqlite:///{database}?mode=ro"
    assert aj("--db", url, "query", "claims", "--format", "json").exit_code == 0
    refused = aj("--db", url, "conflicts", "--mark", key)
    assert refused.exit_code == 1 and "open read-only (as the URL asks (mode=ro))" in refused.error_lines[0]


def test_a_downgrade_says_what_it_drops_and_asks_first(db_url, engine):
    key = "naming:initiative:osa:tfgi-asean-japan-panel|wonk-50th-anniversary-summit"
    assert aj("conflicts", "--mark", key).exit_code == 0
    refused = aj("db", "downgrade", "0004")
    assert refused.exit_code == 2 and "give --yes" in refused.error_lines[0]
    assert "table conflict_reviews: " in refused.stderr and "(reviewed disagreements)" in refused.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0018"
    declined = aj("db", "downgrade", "0004", input="n\n")  # asked (as on a terminal) and declined
    assert declined.exit_code != 0
    done = aj("db", "downgrade", "0004", "--yes")
    assert done.exit_code == 0, done.stderr
    assert "conflict_reviews" in done.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"
        assert not inspect(conn).has_table("conflict_reviews")


@pytest.mark.parametrize(("sql", "expect"), [
    ("UPDATE alembic_version SET version_num = 'zz-not-a-revision'", "which no version of aj has"),
    ("DELETE FROM alembic_version", "no schema revision (alembic_version is empty)"),
    ("INSERT INTO alembic_version VALUES ('0003')", "records 2 schema revisions"),
])
def test_a_bogus_schema_revision_is_one_clear_line(db_url, engine, sql, expect):
    with engine.begin() as conn:
        conn.execute(text(sql))
    for args in (("query", "areas"), ("db", "current")):
        run = aj(*args)
        assert run.exit_code == 1 and len(run.error_lines) == 1 and expect in run.error_lines[0], run.stderr
        assert "Traceback" not in run.stderr


def test_since_the_first_years_of_the_calendar(db_url):
    run = aj("query", "events", "--since", "0001", "--format", "json")
    assert run.exit_code == 0 and run.json(), run.stderr


def test_migration_0016_cleans_stored_names_and_their_search_entries(engine, tmp_path):
    from aseanjapan.loading.load import load_files

    path = tmp_path / "user.yaml"  # records of the user's (the seed's would be reloaded from data/seed)
    path.write_text("actors:\n  - {slug: user-body, name: Quokka Council, kind: forum}\n"
                    "initiatives:\n  - {slug: user-plan, name: Wombat Plan, kind: programme}\n", encoding="utf-8")
    load_files(engine, [path])
    downgrade(engine, "0015")
    with engine.begin() as conn:
        conn.execute(text("UPDATE actors SET name = :n WHERE slug = 'user-body'"), {"n": "Quo\u200bkka Council\u202e"})
        conn.execute(text("UPDATE initiatives SET name = :n WHERE slug = 'user-plan'"), {"n": "Wombat Re\u0301seau"})
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM actors WHERE slug = 'user-body'")).scalar() == "Quokka Council"
        assert conn.execute(text("SELECT name FROM initiatives WHERE slug = 'user-plan'")).scalar() == "Wombat R\u00e9seau"
    with Session(engine) as session:
        assert "user-body" in {h["slug"] for h in search(session, "quokka", kinds=["actor"])}
        assert "user-plan" in {h["slug"] for h in search(session, "réseau", kinds=["initiative"])}
