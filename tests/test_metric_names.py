"""What a figure measures, in the words readers use: metrics have other names, and search,
--contains and --metric read them (and the metric's description, and each citing
document's wording)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from aseanjapan.loading.load import load_files
from aseanjapan.search import search

from .clitools import aj
from .dumps import canonical

GADGETS = """\
documents:
  - {slug: gadget-note, title: A note on gadgets, kind: analysis}
metrics:
  - slug: gadget-output
    name: Units of widgetry assembled
    unit: count
    description: How many assemblies left the line in the period.
    names:
      - {name: gizmo count, kind: alias, document: gadget-note, paragraph: 1}
statistics:
  - slug: gadget-2024
    value: 1200
    unit: count
    metric: gadget-output
    subject: japan
    period: 2024
    citations: [{document: gadget-note, paragraph: 1, reported_as: "twelve hundred doohickeys"}]
"""


def test_search_finds_trust_in_japan_by_the_word_readers_use(db_url):
    hits = aj("search", "trust", "--format", "json").json()
    assert "iseas-2024-confidence-japan" in {h["slug"] for h in hits}
    japan = next(h for h in hits if h["slug"] == "iseas-2024-confidence-japan")
    assert japan["kind"] == "statistic" and "58.9%" in japan["title"]


def test_contains_reads_the_metric_its_other_names_and_the_citing_wording(db_url):
    for text in ("trust", "overall trust level", "do the right thing"):
        rows = aj("query", "statistics", "--contains", text, "--format", "json").json()
        assert {"iseas-2024-confidence-japan", "iseas-2024-confidence-us", "iseas-2024-confidence-china"} <= {
            r["slug"] for r in rows}, text
    metrics = aj("query", "metrics", "--contains", "overall trust", "--format", "json").json()
    assert [m["slug"] for m in metrics] == ["confidence-do-right-thing"]
    assert "trust" in metrics[0]["aliases"]


def test_a_metric_is_named_by_its_other_names_and_a_near_miss_suggests_it(db_url):
    for name in ("trust", "Overall trust level", "confidence-do-right-thing"):
        run = aj("compare", "--metric", name, "--format", "json")
        assert run.exit_code == 0, run.stderr
        assert {r["statistic"] for r in run.json()} >= {"iseas-2024-confidence-japan"}
    miss = aj("compare", "--metric", "trusst")
    assert miss.exit_code == 1 and "(closest: confidence-do-right-thing" in miss.error_lines[0]
    card = aj("show", "metric", "trust", "--format", "json").json()
    assert {n["name"] for n in card["names"]} >= {"trust", "overall trust level"}


def test_metric_names_load_export_and_reload_the_same(engine, empty_db_url, db_url, tmp_path, monkeypatch):
    bundle = tmp_path / "gadgets.yaml"
    bundle.write_text(GADGETS, encoding="utf-8")
    load_files(engine, [bundle])
    monkeypatch.setenv("AJ_DATABASE_URL", db_url)  # the seeded database (empty_db_url's fixture set the other)
    exported = tmp_path / "kb.yaml"
    assert aj("export", "--format", "bundle", "--output", str(exported)).exit_code == 0
    assert "gizmo count" in exported.read_text(encoding="utf-8")
    monkeypatch.setenv("AJ_DATABASE_URL", empty_db_url)
    assert aj("db", "upgrade").exit_code == 0
    assert aj("load", str(exported)).exit_code == 0
    again = tmp_path / "again.yaml"
    assert aj("export", "--format", "bundle", "--output", str(again)).exit_code == 0
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")
    assert aj("compare", "--metric", "gizmo count", "--format", "json").json()[0]["statistic"] == "gadget-2024"


def test_search_entries_follow_the_metric_and_the_wording(engine, tmp_path):
    bundle = tmp_path / "gadgets.yaml"
    bundle.write_text(GADGETS, encoding="utf-8")
    load_files(engine, [bundle])
    with Session(engine) as session:
        for query in ("gizmo", "doohickeys", "assemblies", "widgetry"):
            assert "gadget-2024" in {h["slug"] for h in search(session, query)}, query
    # A corrected metric (renamed, another name) refreshes its statistics' entries. The file
    # ends with the end marker, so the other name it no longer lists is removed.
    from .test_loading import sealed

    bundle.write_text(sealed(GADGETS.replace("gizmo count", "sprocket tally").replace("widgetry", "thingamajigs")),
                      encoding="utf-8")
    load_files(engine, [bundle])
    with Session(engine) as session:
        assert "gadget-2024" in {h["slug"] for h in search(session, "sprocket")}
        assert "gadget-2024" in {h["slug"] for h in search(session, "thingamajigs")}
        assert not search(session, "gizmo") and not search(session, "widgetry")


def test_metric_names_are_not_naming_disagreements(engine, tmp_path):
    bundle = tmp_path / "gadgets.yaml"
    bundle.write_text(GADGETS.replace("      - {name: gizmo count", "      - {name: thingy rate, kind: alias, document: "
                                      "tangkitvanich-strategic-partnership}\n      - {name: gizmo count"), encoding="utf-8")
    before = aj("conflicts", "--kind", "naming", "--format", "json").json()
    load_files(engine, [bundle])
    assert aj("conflicts", "--kind", "naming", "--format", "json").json() == before
    assert "gadget-output" in str(canonical(engine)["metrics"])
