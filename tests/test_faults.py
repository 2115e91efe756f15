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
    from aseanjapan.search import indexed_at_end

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
    for target, slug in (("0004", "after-0004"), ("0005", "after-0005"), ("0006", "after-0006"), ("0007", "after-0007"), ("0008", "after-0008"), ("0009", "after-0009"), ("0010", "after-0010"), ("0011", "after-0011"), ("0012", "after-0012"), ("0014", "after-0014"), ("0015", "after-0015")):
        upgrade(engine, target)
        _insert_by_sql(engine, slug)
        assert slug in _indexed(engine, "quokka"), target
    with Session(engine) as session:  # and the search itself, at the head revision
        assert {f"after-{t}" for t in ("0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012", "0014", "0015")} <= {h["slug"] for h in search(session, "quokka")}
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
