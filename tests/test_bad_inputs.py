"""The bad-input corpus (tests/fixtures/bad/cases.yaml): every malformed file, hostile query
and bad option value gets one clear error line, a non-zero exit, no traceback, and leaves
the database's content byte-for-byte as it was."""

from __future__ import annotations

import io
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


def test_the_corpus_is_big_enough():
    assert len(CASES["load"]) + len(CASES["source"]) + len(HOSTILE_OPTIONS) + len(HOSTILE_TEXT) >= 40
