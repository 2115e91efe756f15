"""The Python API (`import aseanjapan`): what a notebook user types, on both backends.

Each method must return exactly the rows the command line prints as JSON, since the
command line calls it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import aseanjapan
from aseanjapan.errors import AjError, NotFoundError, UsageError

from .clitools import aj


@pytest.fixture
def kb(db_url):
    with aseanjapan.open(db_url) as opened:
        yield opened


def test_a_notebook_gets_japans_statistics_with_their_citations_in_three_lines(kb, db_url):
    pandas = pytest.importorskip("pandas")
    frame = aseanjapan.open(db_url).dataframe("statistics", subject="japan")
    assert isinstance(frame, pandas.DataFrame)
    trust = frame[frame["display"] == "58.9%"]
    assert len(trust) == 1
    assert any(c.startswith("tfgi-asean-japan-panel") for c in trust.iloc[0]["cited_by"])
    assert set(frame["subject"]) == {"japan"}


def test_query_returns_the_rows_the_command_line_prints_as_json(kb):
    for kind, options, args in (
        ("initiatives", {"area": "security"}, ["--area", "security"]),
        ("statistics", {"subject": ["japan", "china"], "sort": "value"}, ["--subject", "japan", "--subject", "china", "--sort", "value"]),
        ("events", {"since": "2023", "until": "2023-12"}, ["--since", "2023", "--until", "2023-12"]),
        ("claims", {"initiative": "OSA"}, ["--initiative", "OSA"]),
        ("documents", {}, []),
    ):
        rows = kb.query(kind, **options)
        assert rows, kind
        assert rows == aj("query", kind, *args, "--format", "json").json(), kind


def test_kinds_may_be_singular_or_plural_and_a_wrong_one_names_the_choices(kb):
    assert kb.query("initiative", area="security") == kb.query("initiatives", area="security")
    with pytest.raises(UsageError, match=r"kind: 'initiatves' is not a record type \(closest: initiatives\); choose one of: documents, actors"):
        kb.query("initiatves")
    with pytest.raises(UsageError, match="unknown filter 'areas'"):
        kb.query("initiatives", areas="security")


def test_show_search_conflicts_compare_and_timeline_match_their_commands(kb):
    assert kb.show("initiative", "Overseas Security Assistance") == aj("show", "initiative", "osa", "-f", "json").json()
    hits = kb.search("maritime security", limit=5)
    assert hits == aj("search", "maritime security", "-n", "5", "-f", "json").json()
    assert "**" in hits[0]["snippet"] or "**" in hits[0]["title"]
    assert kb.conflicts() == aj("conflicts", "-f", "json").json()
    trust = kb.compare("confidence-do-right-thing", ["japan", "united-states", "china"])
    assert trust == aj("compare", "--metric", "confidence-do-right-thing", "-s", "japan", "-s", "united-states",
                       "-s", "china", "-f", "json").json()
    assert {row["subject"] for row in trust} == {"japan", "united-states", "china"}
    assert kb.timeline(since="2023", until="2023") == aj("timeline", "--since", "2023", "--until", "2023", "-f", "json").json()


def test_show_with_rows_keeps_the_first_rows_of_each_list_and_counts_the_lists_it_cut(kb):
    whole = kb.show("initiative", "osa")
    assert len(whole["claims"]) > 1 and "totals" not in whole
    cut = kb.show("initiative", "osa", rows=1)
    assert cut["claims"] == whole["claims"][:1]  # the same rows, citations and sources included
    assert cut["totals"]["claims"] == len(whole["claims"])
    for key, total in cut["totals"].items():
        assert total == len(whole[key]) > 1 and len(cut[key]) == 1
    assert {key: value for key, value in cut.items() if key not in cut["totals"] and key != "totals"} == \
        {key: value for key, value in whole.items() if key not in cut["totals"]}
    assert kb.show("initiative", "osa", rows=len(whole["claims"]) + len(whole["events"])) == whole


@pytest.mark.parametrize("kind, name", [("actor", "japan"), ("area", "security")])
def test_show_with_rows_cuts_an_actors_and_an_areas_lists_as_the_whole_card_orders_them(kb, kind, name):
    whole = kb.show(kind, name)
    lists = {key for key, value in whole.items() if isinstance(value, list) and value and "cited_by" in value[0]}
    longest = max(len(whole[key]) for key in lists)
    assert longest > 2
    cut = kb.show(kind, name, rows=2)
    assert cut["totals"] == {key: len(whole[key]) for key in lists if len(whole[key]) > 2}
    for key in lists:  # the same first rows, in the same order, citations and sources included
        assert cut[key] == whole[key][:2]
    assert {key: value for key, value in cut.items() if key not in lists and key != "totals"} == \
        {key: value for key, value in whole.items() if key not in lists}
    assert kb.show(kind, name, rows=longest) == whole


def test_values_are_plain_json_values(kb):
    import json

    for rows in (kb.query("events"), kb.query("statistics"), kb.timeline()):
        assert json.loads(json.dumps(rows)) == rows  # dates as text, nothing json cannot hold


def test_an_unknown_name_is_an_error_with_suggestions(kb):
    with pytest.raises(NotFoundError, match="jasmine"):
        kb.show("initiative", "jasmin")


def test_opening_a_new_sqlite_file_creates_the_knowledge_base(tmp_path):
    said = []
    with aseanjapan.open(tmp_path / "new.sqlite", notify=said.append) as kb:
        assert {"jasmine", "osa"} <= {row["slug"] for row in kb.query("initiatives", area="security")}
    assert said and said[0].startswith("Creating the knowledge base at")


def test_a_dataframe_without_pandas_names_the_install_command(kb, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    from aseanjapan.install import install_command

    # in the form this installation takes (pip install -e '/path/to/checkout[pandas]' in a checkout)
    with pytest.raises(AjError, match=re.escape(install_command("pandas"))):
        kb.dataframe("statistics")


def test_importing_aseanjapan_stays_light():
    """The package and the command line's module load without the database layer."""
    code = ("import sys, aseanjapan, aseanjapan.cli.app; "
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
