"""The bad-input corpus (tests/fixtures/bad/cases.yaml): every malformed file, hostile query
and bad option value gets one clear error line, a non-zero exit, no traceback, and leaves
the database's content byte-for-byte as it was."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aseanjapan.db import make_engine
from aseanjapan.export import write_bundle

from .clitools import aj

BAD = Path(__file__).parent / "fixtures" / "bad"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def content(db_url: str) -> bytes:
    """A canonical dump: the whole knowledge base as a bundle, candidates included."""
    engine = make_engine(db_url)
    stream = io.StringIO()
    with engine.connect() as conn:
        write_bundle(conn, stream, "yaml", include_unreviewed=True)
    engine.dispose()
    return stream.getvalue().encode()


def check_refused(run, expected: str, exit_code: int | None = None) -> None:
    assert "Traceback" not in run.stderr
    errors = run.error_lines
    assert len(errors) == 1, run.stderr
    assert expected in errors[0], (expected, errors[0])
    assert run.exit_code == exit_code if exit_code is not None else run.exit_code != 0


@pytest.mark.parametrize("case", CASES["load"], ids=lambda c: c["file"])
def test_bad_bundles(db_url, case):
    before = content(db_url)
    run = aj("load", str(BAD / case["file"]))
    check_refused(run, case["expect"], 1)
    assert content(db_url) == before


@pytest.mark.parametrize("case", CASES["source"], ids=lambda c: c["file"])
def test_bad_sources(db_url, case):
    before = content(db_url)
    run = aj("source", "add", str(BAD / case["file"]), "--format", "json")
    check_refused(run, case["expect"], 1)
    assert content(db_url) == before


HOSTILE_OPTIONS = [
    (("query", "initiatives", "--sort", "name; DROP TABLE initiatives"), "cannot sort by", 2),
    (("query", "claims", "--area", "security' OR '1'='1"), "no area", 1),
    (("query", "documents", "--actor", '"; DELETE FROM actors; --'), "no actor", 1),
    (("query", "statistics", "--since", "2024'; --"), "--since: not a date", 2),
    (("query", "statistics", "--metric", "x' UNION SELECT slug FROM claims --"), "no metric", 1),
    (("query", "initiatives", "--limit", "-5"), "Invalid value", 2),
    (("query", "initiatives", "--format", "xml"), "Invalid value", 2),
    (("query", "events", "--until", "2024-02-30"), "--until: not a date", 2),
    (("show", "initiative", "../../etc/passwd"), "no initiative", 1),
    (("show", "claim", "%"), "no claim", 1),
    (("search", "x", "--type", "claims; --"), "--type: 'claims; --' is not a record type", 2),
    (("review", "accept", "' OR 1=1 --"), "no candidate", 1),
    (("conflicts", "--mark", "'; DROP TABLE conflict_reviews; --"), "no disagreement", 1),
    (("compare", "--metric", "trust' --"), "no metric", 1),
    (("export", "--format", "csv"), "--output DIR is required", 2),
    (("timeline", "--kind", "summit' OR '1'='1"), "is not an event kind", 2),
    (("conflicts", "--note", "'; DROP TABLE conflict_reviews; --"), "--note goes with --mark", 2),
    (("compare", "--metric", "confidence-do-right-thing", "--output", "chart.gif"), "write a chart as .png or .svg", 2),
    (("query", "claims", "--contains", "x" * 50_000), "--contains: 50,000 characters long; at most 1,000", 2),
    (("show", "actor", "x" * 50_000), "(50,000 characters): longer than any actor's name", 1),
    (("review", "accept", "--all", "--type", "statistic'; --"), "--type: \"statistic'; --\" is not one of", 2),
    # Database URLs and schema commands: one clear line, never "unexpected ..."
    (("--db", "postgresql://us er@:x/y", "query", "areas"), "not a database URL", 1),
    (("--db", "postgresql://u:secret@host:99999999999/db", "query", "areas"), "not a database URL: 'postgresql://u:***@host", 1),
    (("--db", "sqlite+nodriver:///kb.sqlite", "query", "areas"), "unknown SQLite driver 'nodriver'", 1),
    (("--db", "postgresql+nodriver://localhost/kb", "query", "areas"), "unknown PostgreSQL driver 'nodriver'", 1),
    (("--db", "sqlite:///kb.sqlite?cache=shared", "query", "areas"), "database URL option cache='shared' is not understood", 1),
    (("--db", "sqlite:///no-such-kb.sqlite?mode=ro", "query", "areas"), "no database file at", 1),
    (("--db", "mysql://localhost/kb", "query", "areas"), "unsupported database 'mysql'", 1),
    (("--db", "kb\udcff.sqlite", "query", "areas"), "--db kb\\xff.sqlite: not valid UTF-8", 2),
    (("query", "claims", "--contains", "caf\udce9"), "an argument is not valid UTF-8 text: 'caf\\xe9'", 2),
    (("db", "downgrade", "0003"), "give --yes to downgrade without being asked (nothing was changed)", 2),
    (("db", "downgrade", "9999"), "no revision '9999'", 2),
    (("db", "downgrade", "0018"), "0018 is not older", 2),
]


@pytest.mark.parametrize(("args", "expect", "code"), HOSTILE_OPTIONS, ids=lambda v: str(v)[:40])
def test_hostile_option_values_are_refused_cleanly(db_url, args, expect, code):
    before = content(db_url)
    run = aj(*args)
    assert "Traceback" not in run.stderr
    assert run.exit_code == code, run.stderr
    check_refused(run, expect, code)
    assert content(db_url) == before


HOSTILE_TEXT = ['"unbalanced', "AND OR NOT", "NEAR(a b, 2)", "title:japan", "japan*", "^japan", "'; DROP TABLE claims; --",
                "%' OR '1'='1", "\\", "\x00", "( ) ( )", "-", "- - -", '"" ""', "日本 ASEAN", "a" * 1000]


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=lambda t: repr(t)[:30])
def test_hostile_text_is_data_never_sql(db_url, text):
    """Search strings and --contains values are text to match: never a database error (a
    search without a word to find is refused as such)."""
    before = content(db_url)
    # "--" ends the options, as for any command-line tool, so a query may start with "-".
    for args in (("search", "--format", "json", "--", text), ("query", "claims", "--contains", text, "--format", "json")):
        run = aj(*args)
        assert "Traceback" not in run.stderr
        if run.exit_code == 2 and args[0] == "search":
            assert run.error_lines == ['aj: error: search: nothing to search for; give a word or "a phrase"']
            continue
        assert run.exit_code == 0 and run.error_lines == [], run.stderr
        assert isinstance(run.json(), list)
    assert content(db_url) == before


def test_a_mode_ro_url_for_a_missing_file_creates_nothing(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = aj("--db", "sqlite:///missing.sqlite?mode=ro", "query", "areas")
    check_refused(run, "no database file at", 1)
    assert not [p for p in tmp_path.iterdir() if "missing" in p.name]


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(("command", "name"), [(("source", "add"), "pipe.txt"), (("source", "add"), "/dev/zero"),
                                             (("load",), "pipe.yaml"), (("load",), "pipe.json"), (("load",), "pipe.jsonl")])
def test_a_fifo_or_device_is_refused_at_once(db_url, tmp_path, command, name):
    """Reading a FIFO would wait forever for a writer: it is refused (run in a process of its
    own, so a hang fails the test instead of blocking it)."""
    before = content(db_url)
    target = Path(name) if name.startswith("/") else _fifo(tmp_path / name)
    process = subprocess.run([sys.executable, "-m", "aseanjapan", *command, str(target)], capture_output=True,
                             text=True, timeout=120, env={**os.environ, "AJ_DATABASE_URL": db_url})
    errors = [line for line in process.stderr.splitlines() if line.startswith("aj: error:")]
    assert process.returncode == 1 and len(errors) == 1, process.stderr
    assert "not a regular file" in errors[0] and "Traceback" not in process.stderr
    assert content(db_url) == before


def test_a_file_name_with_a_newline_gives_one_error_line(db_url, tmp_path):
    before = content(db_url)
    odd = tmp_path / "two\nlines.txt"
    odd.write_text("x", encoding="utf-8")
    for args in (("source", "add", str(odd)), ("load", str(tmp_path / "two\nlines.yaml"))):
        run = aj(*args)
        assert len(run.error_lines) == 1 and "two\\nlines" in run.error_lines[0], run.stderr
        assert all(line.startswith(("aj: ", "0 added")) for line in run.stderr.splitlines()), run.stderr
    assert content(db_url) == before


def test_a_file_name_that_is_not_utf8_can_be_added(db_url, tmp_path):
    """A Latin-1 name reaches Python with surrogates: the file is read by its bytes and the
    name shown and stored with the odd byte as \\xe9."""
    name = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9-notes.txt"))
    Path(name).write_text("Japan and Thailand agreed on a maritime programme in 2024 worth 3 billion yen.\n",
                          encoding="utf-8")
    run = aj("source", "add", name, "--format", "json")
    assert run.exit_code == 0, run.stderr
    [result] = run.json()
    assert result["status"] == "added" and result["name"].endswith("caf\\xe9-notes.txt")
    shown = aj("show", "document", result["document"], "--format", "json").json()
    assert shown["fields"]["source_name"].endswith("caf\\xe9-notes.txt")


def test_the_corpus_is_big_enough():
    assert len(CASES["load"]) + len(CASES["source"]) + len(HOSTILE_OPTIONS) + len(HOSTILE_TEXT) >= 40
