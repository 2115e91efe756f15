"""History and undo: every write is one change set that `aj history` shows and `aj undo` reverts."""

from __future__ import annotations

import getpass
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from .clitools import aj

BUNDLE = """\
documents:
  - slug: ferry-audit-2025
    title: "An audit of island ferry upgrades"
    kind: report
    authors: [japan]
    published: 2025-06-02
metrics:
  - {slug: ferries-refitted, name: Ferries refitted, unit: count}
actors:
  - slug: island-ferry-board
    name: Island Ferry Board
    kind: government-body
    country: philippines
    citations: [{document: ferry-audit-2025, paragraph: 1}]
statistics:
  - slug: ferry-audit-refits
    value: 9
    unit: count
    metric: ferries-refitted
    subject: japan
    population_actor: philippines
    period: 2024
    areas: [maritime-security]
    citations: [{document: ferry-audit-2025, paragraph: 3, reported_as: "nine vessels"}]
claims:
  - slug: ferry-audit-slow-tenders
    text: "The auditors think tendering, not money, held the refits back."
    kind: assessment
    holders: [japan]
    areas: [maritime-security]
    citations: [{document: ferry-audit-2025, paragraph: 2}]
citations:
  - {initiative: osa, document: ferry-audit-2025, paragraph: 4}
"""

ARTICLE = """Port Lending Poll

By A. Writer

A new poll of harbour managers across the region found that 64.5% of them called Japanese loans dependable in 2025.
Another 27% said they would rather borrow elsewhere.
"""


def export_bytes(tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    run = aj("export", "--format", "json", "--output", str(out))
    assert run.exit_code == 0, run.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def history(*args: str) -> list[dict]:
    run = aj("history", "--format", "json", *args)
    assert run.exit_code == 0, run.stderr
    return run.json()


def search_slugs(query: str) -> set[str]:
    run = aj("search", query, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return {hit["slug"] for hit in run.json()}


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "ferries.yaml"
    path.write_text(BUNDLE, encoding="utf-8")
    return path


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "poll.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def candidate(document: str, text_: str) -> str:
    run = aj("review", "list", "--document", document, "--format", "json")
    return next(c["candidate"] for c in run.json() if c["text"] == text_)


def test_the_seed_is_the_baseline_and_a_load_is_one_change_set_with_who_when_and_the_command(bundle, engine):
    assert history() == []  # migrations and the seed are the baseline
    start = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    assert aj("load", str(bundle)).exit_code == 0
    [cs] = history()
    assert cs["command"] == f"aj load {bundle}"
    assert cs["user"] == getpass.getuser()
    when = datetime.strptime(cs["when"], "%Y-%m-%dT%H:%M:%SZ")
    assert start - timedelta(seconds=1) <= when <= datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(seconds=1)
    assert cs["rows"] > 5 and cs["undoes"] is None
    # Loading the same file again changes nothing, so it leaves no change set.
    assert aj("load", str(bundle)).exit_code == 0
    assert len(history()) == 1


def test_history_show_gives_each_row_before_and_after_with_slugs_for_foreign_keys(bundle, engine, tmp_path):
    assert aj("load", str(bundle)).exit_code == 0
    corrected = tmp_path / "ferries-v2.yaml"
    corrected.write_text(BUNDLE.replace("value: 9", "value: 11"), encoding="utf-8")
    assert aj("load", str(corrected)).exit_code == 0
    newest, first = history()
    run = aj("history", "show", str(first["change_set"]), "--format", "json")
    assert run.exit_code == 0, run.stderr
    rows = run.json()
    stat = next(r for r in rows if r["record"] == "statistic ferry-audit-refits")
    assert stat["change"] == "added" and stat["before"] is None
    assert stat["after"]["metric"] == "ferries-refitted" and stat["after"]["subject"] == "japan"
    assert stat["after"]["value"] == 9
    link = next(r for r in rows if r["table"] == "statistic_areas")
    assert link["after"] == {"statistic": "ferry-audit-refits", "area": "maritime-security"}
    changed = aj("history", "show", str(newest["change_set"]), "--format", "json").json()
    assert [(r["record"], r["change"], r["before"], r["after"]) for r in changed] == [
        ("statistic ferry-audit-refits", "changed", {"value": 9}, {"value": 11})]
    # the table view names the change set and the command on stderr
    table = aj("history", "show", str(newest["change_set"]), "--format", "csv")
    assert f"aj load {corrected}" in table.stderr
    assert "statistic ferry-audit-refits,changed" in table.stdout


def test_history_filters_by_record_and_by_document(bundle, article, engine):
    assert aj("load", str(bundle)).exit_code == 0
    assert aj("source", "add", str(article)).exit_code == 0
    everything = history()
    assert [cs["command"] for cs in everything] == [f"aj source add {article}", f"aj load {bundle}"]
    assert [cs["command"] for cs in history("--record", "statistic/ferry-audit-refits")] == [f"aj load {bundle}"]
    assert [cs["command"] for cs in history("--record", "ferry-audit-refits")] == [f"aj load {bundle}"]
    assert [cs["command"] for cs in history("--document", "port-lending-poll")] == [f"aj source add {article}"]
    assert history("--record", "claim/ferry-audit-refits") == []  # not a claim
    csv = aj("history", "--format", "csv", "--document", "ferry-audit-2025")
    assert csv.stdout.splitlines()[0] == "change_set,when,user,command,rows,undoes,undone_by"
    assert len(csv.stdout.splitlines()) == 2


def test_undoing_a_load_restores_an_identical_export_and_the_search_index(bundle, engine, tmp_path):
    before = export_bytes(tmp_path, "before")
    assert aj("load", str(bundle)).exit_code == 0
    assert "ferry-audit-slow-tenders" in search_slugs("tendering refits")
    [cs] = history()
    run = aj("undo", str(cs["change_set"]))
    assert run.exit_code == 0, run.stderr
    assert export_bytes(tmp_path, "after") == before
    assert "ferry-audit-slow-tenders" not in search_slugs("tendering refits")
    assert "island-ferry-board" not in search_slugs("Island Ferry Board")
    # the undo is a change set too, and undoing it puts the load back
    undo_cs = history()[0]
    assert undo_cs["undoes"] == cs["change_set"] and undo_cs["command"] == f"aj undo {cs['change_set']}"
    assert aj("undo", str(undo_cs["change_set"])).exit_code == 0
    assert "ferry-audit-slow-tenders" in search_slugs("tendering refits")
    assert aj("load", str(bundle)).stderr.count("unchanged") >= 1  # as loaded: nothing to change
    assert history()[0]["undoes"] == undo_cs["change_set"]


def test_undoing_a_review_decision_restores_an_identical_export(article, engine, tmp_path):
    assert aj("source", "add", str(article)).exit_code == 0
    before = export_bytes(tmp_path, "before")
    pending = aj("review", "list", "--format", "json").json()
    figure = candidate("port-lending-poll", "64.5%")
    run = aj("review", "accept", figure, "--metric", "confidence-do-right-thing", "--subject", "japan",
             "--period", "2025", "--slug", "poll-dependable-loans")
    assert run.exit_code == 0, run.stderr
    assert "poll-dependable-loans" in search_slugs("confidence right thing")
    other = candidate("port-lending-poll", "27%")
    assert aj("review", "reject", other, "--note", "not about Japan").exit_code == 0
    reject_cs, accept_cs, _ = history()
    assert reject_cs["command"].startswith("aj review reject") and accept_cs["command"].startswith("aj review accept")
    assert aj("undo", str(reject_cs["change_set"])).exit_code == 0
    assert aj("undo", str(accept_cs["change_set"])).exit_code == 0
    assert export_bytes(tmp_path, "after") == before
    assert aj("review", "list", "--format", "json").json() == pending  # every candidate pending again
    assert "poll-dependable-loans" not in search_slugs("confidence right thing")


def test_undo_refuses_when_a_later_change_set_changed_the_same_record(bundle, engine, tmp_path):
    assert aj("load", str(bundle)).exit_code == 0
    corrected = tmp_path / "ferries-v2.yaml"
    corrected.write_text(BUNDLE.replace("value: 9", "value: 11"), encoding="utf-8")
    assert aj("load", str(corrected)).exit_code == 0
    second, first = history()
    refused = aj("undo", str(first["change_set"]))
    assert refused.exit_code == 1
    assert refused.error_lines == [
        f"aj: error: cannot undo change set {first['change_set']}: change set {second['change_set']} "
        f"(aj load {corrected}, {second['when']}) changed statistic ferry-audit-refits since; "
        f"undo {second['change_set']} first"]
    assert len(history()) == 2  # nothing was written
    # undoing the later one first makes the earlier one undoable
    assert aj("undo", str(second["change_set"])).exit_code == 0
    assert aj("undo", str(first["change_set"])).exit_code == 0
    assert aj("show", "statistic", "ferry-audit-refits").exit_code == 1


def test_undo_refuses_when_a_later_record_depends_on_one_it_would_remove(bundle, engine, tmp_path):
    assert aj("load", str(bundle)).exit_code == 0
    later = tmp_path / "later.yaml"
    later.write_text("""\
statistics:
  - slug: ferry-board-crews
    value: 40
    unit: count
    metric: ferries-refitted
    subject: island-ferry-board
    period: 2025
    citations: [{document: ferry-audit-2025, paragraph: 5}]
""", encoding="utf-8")
    assert aj("load", str(later)).exit_code == 0
    second, first = history()
    refused = aj("undo", str(first["change_set"]))
    assert refused.exit_code == 1
    [line] = refused.error_lines
    assert f"change set {second['change_set']} (aj load {later}" in line
    assert "statistic ferry-board-crews" in line and f"undo {second['change_set']} first" in line


def test_an_undone_change_set_cannot_be_undone_twice(bundle, engine):
    assert aj("load", str(bundle)).exit_code == 0
    [cs] = history()
    assert aj("undo", str(cs["change_set"])).exit_code == 0
    again = aj("undo", str(cs["change_set"]))
    assert again.exit_code == 1
    assert again.error_lines == [f"aj: error: change set {cs['change_set']} was already undone by change set "
                                 f"{cs['change_set'] + 1} (undo {cs['change_set'] + 1} to redo it)"]


def test_unknown_change_sets_are_one_error_line(engine):
    for args in (("undo", "99"), ("history", "show", "99")):
        run = aj(*args)
        assert run.exit_code == 1
        assert run.error_lines == ["aj: error: no change set 99 (nothing has been recorded yet)"]


def test_source_remove_takes_what_only_the_document_supports_and_undo_brings_it_back(article, bundle, engine, tmp_path):
    assert aj("load", str(bundle)).exit_code == 0
    assert aj("source", "add", str(article)).exit_code == 0
    figure = candidate("port-lending-poll", "64.5%")
    assert aj("review", "accept", figure, "--metric", "confidence-do-right-thing", "--subject", "japan",
              "--period", "2025", "--slug", "poll-dependable-loans").exit_code == 0
    # the poll also reports the ferry figure, which the audit cites too
    also = tmp_path / "also.yaml"
    also.write_text("citations:\n  - {statistic: ferry-audit-refits, document: port-lending-poll, paragraph: 2}\n",
                    encoding="utf-8")
    assert aj("load", str(also)).exit_code == 0
    before = export_bytes(tmp_path, "before")
    with engine.connect() as conn:
        candidates = conn.execute(text("SELECT count(*) FROM candidates")).scalar()
    listed = aj("review", "list", "--document", "port-lending-poll", "--status", "pending", "--status", "accepted",
                "--format", "json").json()
    assert len(listed) >= 2
    dry = aj("source", "remove", "port-lending-poll", "--dry-run")
    assert dry.exit_code == 0 and "would remove statistic poll-dependable-loans" in dry.stdout
    assert export_bytes(tmp_path, "dry") == before

    run = aj("source", "remove", "port-lending-poll")
    assert run.exit_code == 0, run.stderr
    assert f"removed document port-lending-poll and its {len(listed)} candidate(s)" in run.stdout
    assert "removed statistic poll-dependable-loans (cited by no other document)" in run.stdout
    assert "kept statistic ferry-audit-refits, cited by other documents" in run.stdout
    assert aj("show", "statistic", "poll-dependable-loans").exit_code == 1
    shown = aj("show", "statistic", "ferry-audit-refits", "--format", "json").json()
    assert "port-lending-poll" not in json.dumps(shown) and "ferry-audit-2025" in json.dumps(shown)
    assert "port-lending-poll" not in search_slugs("harbour managers")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM candidates")).scalar() == candidates - len(listed)

    removal = history()[0]
    assert removal["command"] == "aj source remove port-lending-poll"
    assert aj("undo", str(removal["change_set"])).exit_code == 0
    assert export_bytes(tmp_path, "after") == before
    assert "port-lending-poll" in search_slugs("harbour managers")
    assert "poll-dependable-loans" in search_slugs("confidence right thing")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM candidates")).scalar() == candidates


def test_source_remove_of_an_unknown_document_suggests_the_closest(article, engine):
    assert aj("source", "add", str(article)).exit_code == 0
    run = aj("source", "remove", "port-lending-pol")
    assert run.exit_code == 1
    assert run.error_lines == ["aj: error: no document 'port-lending-pol' (closest: port-lending-poll)"]
    assert len(history()) == 1


def test_the_python_api_lists_and_undoes(bundle, engine, db_url):
    from aseanjapan import api

    assert aj("load", str(bundle)).exit_code == 0
    kb = api.open(db_url)
    [cs] = kb.history()
    assert cs["command"] == f"aj load {bundle}"
    result = kb.undo(cs["change_set"])
    assert result.undone == cs["change_set"]
    newest = kb.history()[0]
    assert newest["undoes"] == cs["change_set"] and newest["command"] == f"python: undo {cs['change_set']}"
    assert kb.history(record="statistic/ferry-audit-refits")[0]["change_set"] == newest["change_set"]


def test_the_command_is_stored_as_given_without_a_password_and_with_odd_bytes_shown(article, engine, tmp_path):
    odd = tmp_path / "caf\udce9 poll.txt"  # a file name that is not UTF-8
    odd.write_bytes(article.read_bytes())
    assert aj("source", "add", str(odd)).exit_code == 0
    assert history()[0]["command"] == f"aj source add '{tmp_path}/caf\\xe9 poll.txt'"
    from aseanjapan.cli.app import _shown_command

    assert _shown_command(["--db", "postgresql://ann:s3cret@db.example/kb", "load", "a b.yaml"]) == \
        "aj --db 'postgresql://ann:***@db.example/kb' load 'a b.yaml'"


def test_applying_a_review_sheet_is_one_change_set_and_undoing_it_restores_the_export(engine, tmp_path):
    poll = Path(__file__).parent / "fixtures" / "sources" / "lantern-campus-poll.md"
    assert aj("source", "add", str(poll), "--slug", "lantern-poll").exit_code == 0
    sheet = tmp_path / "poll.yaml"
    assert aj("review", "sheet", "lantern-poll", "-o", str(sheet)).exit_code == 0
    before = export_bytes(tmp_path, "before")
    run = aj("review", "apply", str(sheet))
    assert run.exit_code == 0, run.stderr
    applied = history()[0]
    assert applied["command"] == f"aj review apply {sheet}" and applied["rows"] > 1
    assert len(history()) == 2  # the source add, then the whole sheet as one change set
    assert aj("undo", str(applied["change_set"])).exit_code == 0
    assert export_bytes(tmp_path, "after") == before


def test_a_table_added_after_history_is_recorded_too(article, engine, tmp_path):
    # document defaults came with migration 0018, after the history tables
    assert aj("source", "add", str(article)).exit_code == 0
    before = export_bytes(tmp_path, "before")
    run = aj("review", "defaults", "port-lending-poll", "--period", "2025", "--area", "maritime-security")
    assert run.exit_code == 0, run.stderr
    latest = history()[0]
    assert latest["command"] == "aj review defaults port-lending-poll --period 2025 --area maritime-security"
    rows = aj("history", "show", str(latest["change_set"]), "--format", "json").json()
    assert {r["table"] for r in rows} == {"document_defaults", "document_default_areas"}
    assert aj("undo", str(latest["change_set"])).exit_code == 0
    assert export_bytes(tmp_path, "after") == before
    shown = aj("review", "defaults", "port-lending-poll")
    assert shown.exit_code == 0 and "port-lending-poll" in shown.stdout + shown.stderr
    assert "2025" not in shown.stdout + shown.stderr


def test_a_redo_gives_rows_new_ids_when_later_rows_took_their_old_ones(bundle, engine, tmp_path):
    assert aj("load", str(bundle)).exit_code == 0
    [loaded] = history()
    assert aj("undo", str(loaded["change_set"])).exit_code == 0  # its citations' ids are free again
    other = tmp_path / "other.yaml"
    other.write_text("""\
documents:
  - slug: dredging-brief-2025
    title: "A brief on harbour dredging"
    kind: report
    published: 2025-02
claims:
  - slug: dredging-brief-silt
    text: "The brief says silt, not funding, sets the dredging calendar."
    kind: assessment
    citations: [{document: dredging-brief-2025, paragraph: 1}]
""", encoding="utf-8")
    assert aj("load", str(other)).exit_code == 0  # takes the freed citation ids
    undo_cs = history()[1]
    run = aj("undo", str(undo_cs["change_set"]))  # redo the first load
    assert run.exit_code == 0, run.stderr
    for slug in ("ferry-audit-slow-tenders", "dredging-brief-silt"):
        card = aj("show", "claim", slug, "--format", "json")
        assert card.exit_code == 0 and card.json()["citations"], slug
