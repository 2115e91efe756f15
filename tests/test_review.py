"""Reviewing candidates: accepted ones become cited records, rejected ones keep the decision,
and nothing unreviewed mixes with curated records unless asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from .clitools import aj

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
DOC = "tokyo-widens-maritime-aid-to-manila"


@pytest.fixture
def added(db_url):
    run = aj("source", "add", str(FIXTURES / "harbour-review-article.html"), "--format", "json")
    assert run.exit_code == 0, run.stderr
    return {c["text"]: c for c in aj("review", "list", "--document", DOC, "--format", "json").json()}


def test_pending_candidates_are_listed_with_context(added):
    yen = added["¥35 billion"]
    assert yen["status"] == "pending" and yen["proposal"] == "¥35 billion"
    assert "package worth ¥35 billion" in yen["context"] and yen["paragraph"] == 2  # the headline is paragraph 1


def test_accepting_a_figure_makes_a_cited_statistic(added):
    slug = added["Roughly 71%"]["candidate"]
    run = aj("review", "accept", slug, "--metric", "confidence-do-right-thing", "--subject", "japan",
             "--population", "respondents to a regional poll", "--period", "2025")
    assert run.exit_code == 0, run.stderr
    created = run.stdout.strip().split(": ")[1].split()[1]
    stat = aj("show", "statistic", created, "--format", "json").json()
    assert stat["fields"]["value"] == "about 71%" and stat["fields"]["subject"] == "japan"
    [citation] = stat["citations"]
    assert citation["document"] == DOC and citation["excerpt"] == "Roughly 71%" == citation["reported_as"]
    listed = aj("query", "statistics", "--document", DOC, "--format", "json").json()
    assert [r["slug"] for r in listed] == [created]
    assert aj("review", "list", "--status", "accepted", "--format", "json").json()[0]["outcome"] == f"statistic {created}"


def test_a_figure_needs_a_metric(added):
    run = aj("review", "accept", added["¥35 billion"]["candidate"])
    assert run.exit_code == 2 and "give --metric" in run.error_lines[0]
    bad = aj("review", "accept", added["¥35 billion"]["candidate"], "--metric", "fdi-flw")
    assert bad.exit_code == 1 and bad.error_lines == ["aj: error: no metric 'fdi-flw' (closest: fdi-flow)"]
    assert aj("review", "list", "--document", DOC, "--type", "statistic", "--format", "json").json()  # still pending


def test_accepting_mentions_cites_the_known_records(added):
    run = aj("review", "accept", "--all", "--document", DOC, "--type", "initiative")
    assert run.exit_code == 0, run.stderr
    osa = aj("show", "initiative", "osa", "--format", "json").json()
    spans = [c for c in osa["citations"] if c["document"] == DOC]
    assert sorted(c["excerpt"] for c in spans) == ["OSA", "OSA", "Official Security Assistance"]
    cited = {r["slug"]: r["cited_by"] for r in aj("query", "initiatives", "--document", DOC, "--format", "json").json()}
    assert set(cited) == {"osa", "jasmine", "asean-japan-csp"}
    assert f"{DOC} ¶2" in cited["osa"] and f"{DOC} ¶3" in cited["asean-japan-csp"]


def test_unknown_names_become_new_records(added):
    mdaf = added["Maritime Domain Awareness Fund (MDAF)"]["candidate"]
    assert aj("review", "accept", mdaf).exit_code == 2  # what is it?
    run = aj("review", "accept", mdaf, "--as", "initiative", "--kind", "fund", "--area", "maritime-security")
    assert run.exit_code == 0, run.stderr
    card = aj("show", "initiative", "MDAF", "--format", "json").json()
    assert card["fields"]["name"] == "Maritime Domain Awareness Fund" and card["fields"]["acronym"] == "MDAF"
    assert card["citations"][0]["excerpt"] == "Maritime Domain Awareness Fund (MDAF)"
    lowy = added["Lowy Institute"]["candidate"]
    assert aj("review", "accept", lowy, "--as", "actor", "--kind", "institute").exit_code == 0
    assert aj("show", "actor", "Lowy Institute", "--format", "json").json()["fields"]["kind"] == "institute"


def test_dates_become_events_and_claims_take_the_reviewers_words(added):
    march = added["March 2024"]["candidate"]
    run = aj("review", "accept", march, "--title", "Maritime Domain Awareness Fund launched", "--kind", "establishment",
             "--actor", "japan", "--area", "maritime-security")
    assert run.exit_code == 0, run.stderr
    events = aj("query", "events", "--since", "2024-03", "--until", "2024-03", "--format", "json").json()
    assert any(e["title"] == "Maritime Domain Awareness Fund launched" and e["date"] == "2024-03" for e in events)
    jasmine = added["JASMINE"]["candidate"]
    run = aj("review", "accept", jasmine, "--as", "claim", "--text", "An analyst sees JASMINE and OSA overlapping.",
             "--initiative", "jasmine", "--initiative", "osa")
    assert run.exit_code == 0, run.stderr
    claims = aj("query", "claims", "--document", DOC, "--format", "json").json()
    assert claims[0]["text"] == "An analyst sees JASMINE and OSA overlapping." and claims[0]["initiatives"] == ["jasmine", "osa"]


def test_rejection_is_recorded_and_final(added):
    slug = added["Southeast Asia"]["candidate"]
    assert aj("review", "reject", slug, "--note", "a region, not an organisation").exit_code == 0
    rejected = aj("review", "list", "--status", "rejected", "--format", "json").json()
    assert [(r["candidate"], r["note"]) for r in rejected] == [(slug, "a region, not an organisation")]
    again = aj("review", "accept", slug, "--as", "actor", "--kind", "other")
    assert again.exit_code == 2 and "already rejected" in again.error_lines[0]


def test_unknown_candidate_is_explained(added):
    run = aj("review", "accept", f"{DOC}-c999")
    assert run.exit_code == 1 and run.error_lines[0].startswith(f"aj: error: no candidate '{DOC}-c999'")


def test_unreviewed_figures_only_when_asked(added):
    assert aj("query", "statistics", "--document", DOC, "--format", "json").json() == []
    pending = aj("query", "statistics", "--document", DOC, "--include-unreviewed", "--format", "json").json()
    assert pending and all(row["reviewed"] is False for row in pending)
    assert "US$22.5 billion" in {row["reported_as"][0] for row in pending}


def test_decisions_survive_a_bundle_round_trip(db_url, added, tmp_path, empty_db_url, monkeypatch):
    from aseanjapan.cli import runtime

    def use(url: str) -> None:
        monkeypatch.setenv("AJ_DATABASE_URL", url)
        runtime._engine_cache.clear()

    use(db_url)
    pending_before = len(aj("review", "list", "--format", "json").json())
    assert aj("review", "reject", added["Southeast Asia"]["candidate"], "--note", "region").exit_code == 0
    yen = tmp_path / "yen-metric.yaml"
    yen.write_text("metrics:\n  - {slug: fdi-flow-jpy, name: Foreign direct investment flow in yen, unit: jpy}\n")
    assert aj("load", str(yen)).exit_code == 0
    assert aj("review", "accept", added["¥35 billion"]["candidate"], "--metric", "fdi-flow-jpy", "--subject", "japan").exit_code == 0
    first = tmp_path / "kb.yaml"
    assert aj("export", "--format", "bundle", "--output", str(first), "--include-unreviewed").exit_code == 0
    use(empty_db_url)
    if empty_db_url.startswith("postgresql"):
        assert aj("db", "upgrade").exit_code == 0
    assert aj("load", str(first)).exit_code == 0
    second = tmp_path / "kb2.yaml"
    assert aj("export", "--format", "bundle", "--output", str(second), "--include-unreviewed").exit_code == 0
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert aj("review", "list", "--status", "rejected", "--format", "json").json()[0]["note"] == "region"
    assert len(aj("review", "list", "--format", "json").json()) == pending_before - 2


def test_walk_decides_at_a_prompt(added, tmp_path):
    figures = aj("review", "list", "--document", DOC, "--type", "statistic", "--format", "json").json()
    assert figures[0]["text"] == "six"
    vessels = tmp_path / "vessels.yaml"
    vessels.write_text("metrics:\n  - {slug: patrol-vessels-provided, name: Patrol vessels provided, unit: count}\n")
    assert aj("load", str(vessels)).exit_code == 0
    answers = "a\npatrol-vessels-provided\njapan\n2025\nr\nnot a figure\nq\n"
    run = aj("review", "walk", "--document", DOC, "--type", "statistic", input=answers)
    assert run.exit_code == 0, run.stderr
    assert "-> " in run.stdout and "2 decided" in run.stderr
    statuses = {c["candidate"]: c["status"] for c in aj("review", "list", "--status", "accepted", "--status", "rejected",
                                                            "--format", "json").json()}
    assert statuses == {figures[0]["candidate"]: "accepted", figures[1]["candidate"]: "rejected"}


def test_a_figure_is_accepted_only_under_a_metric_in_its_unit(added):
    yen = added["¥35 billion"]["candidate"]
    run = aj("review", "accept", yen, "--metric", "fdi-flow", "--subject", "japan")
    assert run.exit_code == 1
    assert run.error_lines == [f"aj: error: {yen}: statistics[0].unit: 'jpy' does not fit metric 'fdi-flow', "
                               "which is measured in 'usd' (choose or define a metric in 'jpy')"]
    assert any(r["candidate"] == yen for r in aj("review", "list", "--format", "json").json())


def test_records_are_named_as_everywhere_else_and_unknown_ones_get_suggestions(added):
    figure = added["US$22.5 billion"]["candidate"]
    unknown = aj("review", "accept", figure, "--metric", "fdi-flw", "--subject", "Japan")
    assert unknown.exit_code == 1 and unknown.error_lines[0].startswith("aj: error: no metric 'fdi-flw' (closest: fdi-flow")
    run = aj("review", "accept", figure, "--metric", "Foreign direct investment flow", "--subject", "Japan",
             "--population-actor", "ASEAN")
    assert run.exit_code == 0, run.stderr
    [stat] = aj("query", "statistics", "--document", DOC, "--format", "json").json()
    assert (stat["metric"], stat["subject"], stat["population_actor"]) == ("fdi-flow", "japan", "asean")


def test_list_and_walk_refuse_unknown_kinds_and_statuses(added):
    for args in (("list", "--kind", "figure"), ("list", "--status", "done"), ("walk", "--kind", "figure")):
        run = aj("review", *args)
        assert run.exit_code == 2 and len(run.error_lines) == 1 and "is not one of" in run.error_lines[0], args


def test_walk_asks_again_after_an_answer_it_does_not_know(added):
    run = aj("review", "walk", "--document", DOC, input="maybe\nq\n")
    assert run.exit_code == 0 and "answer a, r, s or q" in run.stderr and "0 decided" in run.stderr


def test_accepting_under_a_taken_slug_is_refused_and_changes_nothing(added):
    before = aj("show", "actor", "japan", "--format", "json").json()
    lowy = added["Lowy Institute"]["candidate"]
    run = aj("review", "accept", lowy, "--as", "actor", "--kind", "institute", "--slug", "japan")
    assert run.exit_code == 2 and run.error_lines == [
        "aj: error: --slug: actor 'japan' exists already; choose another slug (to add a citation to it, load a bundle)"]
    figure = added["Roughly 71%"]["candidate"]
    run = aj("review", "accept", figure, "--metric", "confidence-do-right-thing", "--subject", "japan",
             "--slug", "iseas-2024-confidence-japan")
    assert run.exit_code == 2 and "statistic 'iseas-2024-confidence-japan' exists already" in run.error_lines[0]
    assert aj("show", "actor", "japan", "--format", "json").json() == before
    assert aj("show", "statistic", "iseas-2024-confidence-japan", "--format", "json").json()["fields"]["value"] == "58.9%"
    pending = {c["candidate"] for c in aj("review", "list", "--document", DOC, "--format", "json").json()}
    assert {lowy, figure} <= pending


def test_link_alone_records_a_mention(added):
    lowy = added["Lowy Institute"]["candidate"]
    run = aj("review", "accept", lowy, "--link", "japan")
    assert run.exit_code == 0, run.stderr
    cited = aj("show", "actor", "japan", "--format", "json").json()["citations"]
    assert any(c["document"] == DOC and c["excerpt"] == "Lowy Institute" for c in cited)
    bad = aj("review", "accept", added["Maritime Domain Awareness Fund (MDAF)"]["candidate"], "--link", "nosuchthing")
    assert bad.exit_code == 1 and "names no known actor, initiative, statistic, claim or event" in bad.error_lines[0]


def test_options_that_do_not_apply_are_refused_not_dropped(added):
    pending = len(aj("review", "list", "--document", DOC, "--format", "json").json())
    lowy = added["Lowy Institute"]["candidate"]
    run = aj("review", "accept", lowy, "--as", "actor", "--kind", "institute", "--actor", "japan")
    assert run.exit_code == 2 and run.error_lines == [f"aj: error: {lowy}: --actor does not apply to a new actor"]
    run = aj("review", "accept", lowy, "--as", "actor", "--kind", "institute", "--link", "japan")
    assert run.exit_code == 2 and "--link records a mention" in run.error_lines[0]
    run = aj("review", "accept", lowy, "--link", "japan", "--kind", "institute", "--metric", "fdi-flow")
    assert run.exit_code == 2 and run.error_lines == [f"aj: error: {lowy}: --kind, --metric do not apply to a mention"]
    run = aj("review", "accept", added["¥35 billion"]["candidate"], "--metric", "fdi-flow", "--title", "A package")
    assert run.exit_code == 2 and "--title does not apply to a new statistic" in run.error_lines[0]
    assert len(aj("review", "list", "--document", DOC, "--format", "json").json()) == pending  # nothing accepted


def test_a_range_keeps_its_top_end_through_review(db_url, tmp_path):
    article = tmp_path / "pledge.txt"
    article.write_text("Japan pledged $2-3 billion to the Philippines.\n", encoding="utf-8")
    assert aj("source", "add", str(article), "--title", "Pledge").exit_code == 0
    [figure] = [c for c in aj("review", "list", "--document", "pledge", "--format", "json").json() if c["kind"] == "statistic"]
    assert (figure["text"], figure["value"], figure["value_high"]) == ("$2-3 billion", 2e9, 3e9)
    run = aj("review", "accept", figure["candidate"], "--metric", "fdi-flow", "--subject", "japan")
    assert run.exit_code == 0, run.stderr
    [stat] = aj("query", "statistics", "--document", "pledge", "--format", "json").json()
    card = aj("show", "statistic", stat["slug"], "--format", "json").json()
    assert (card["fields"]["number"], card["fields"]["number_high"]) == (2e9, 3e9)
    assert card["fields"]["value"] == "$2 billion–$3 billion"


def test_show_document_text_prints_the_stored_text_its_spans_count_in(added):
    run = aj("show", "document", DOC, "--text")
    assert run.exit_code == 0, run.stderr
    yen = added["¥35 billion"]
    assert run.stdout[yen["char_start"]:yen["char_end"]] == "¥35 billion"
    none = aj("show", "document", "iseas-sea-2024", "--text")
    assert none.exit_code == 1 and "has no stored text" in none.error_lines[0]
    assert aj("show", "actor", "japan", "--text").exit_code == 2


def test_narrow_cites_only_part_of_a_candidates_text(added):
    mdaf = added["Maritime Domain Awareness Fund (MDAF)"]
    run = aj("review", "accept", mdaf["candidate"], "--as", "initiative", "--kind", "fund", "--narrow", "Awareness Fund (MDAF)")
    assert run.exit_code == 0, run.stderr
    card = aj("show", "initiative", "MDAF", "--format", "json").json()
    assert card["fields"]["name"] == "Awareness Fund"
    [citation] = card["citations"]
    text = aj("show", "document", DOC, "--text").stdout
    assert citation["excerpt"] == "Awareness Fund (MDAF)" == text[citation["char_start"]:citation["char_end"]]
    bad = aj("review", "accept", added["Lowy Institute"]["candidate"], "--link", "japan", "--narrow", "Harvard")
    assert bad.exit_code == 2 and "is not part of the candidate's text" in bad.error_lines[0]
