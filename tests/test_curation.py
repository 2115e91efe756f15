"""Curating an article: records from any passage by quote, per-document defaults, metrics
and origin documents made on the way, and citations that are never lost to a later load."""

from __future__ import annotations

from pathlib import Path

import pytest

from .clitools import aj

ARTICLE = Path(__file__).parent / "fixtures" / "sources" / "mekong-youth-poll.md"
DOC = "mekong-poll"


@pytest.fixture
def article(db_url):
    run = aj("source", "add", str(ARTICLE), "--slug", DOC, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return {c["text"]: c["candidate"] for c in aj("review", "list", "--document", DOC, "--format", "json").json()}


def _citations(kind: str, slug: str) -> list[dict]:
    return aj("show", kind, slug, "--format", "json").json()["citations"]


def test_a_citation_given_apart_keeps_the_one_review_made(article, tmp_path):
    run = aj("review", "accept", article["61.3 percent"], "--metric", "confidence-do-right-thing",
             "--subject", "japan", "--slug", "poll-trust-japan")
    assert run.exit_code == 0, run.stderr
    path = tmp_path / "more.yaml"
    path.write_text(f"""\
citations:
  - {{statistic: poll-trust-japan, document: {DOC}, paragraph: 3, note: "the same figure, cited by paragraph"}}
aj_bundle_end: {{citations: 1}}
""")
    run = aj("load", str(path))
    assert run.exit_code == 0, run.stderr
    assert "1 added, 0 removed" in run.stderr and "removed" not in run.stderr.replace("0 removed", "")
    cited = _citations("statistic", "poll-trust-japan")
    assert sorted((c["excerpt"] or "", c["note"] or "") for c in cited) == [
        ("", "the same figure, cited by paragraph"), ("61.3 percent", "")]
    assert aj("load", str(path)).exit_code == 0  # loading it again changes nothing
    assert len(_citations("statistic", "poll-trust-japan")) == 2


def _accepted(document: str = DOC) -> dict[str, str]:
    rows = aj("review", "list", "--document", document, "--status", "accepted", "--format", "json").json()
    return {r["candidate"]: r["outcome"] for r in rows}


def test_a_claim_is_anchored_to_its_sentence_whatever_was_decided_inside_it(article):
    figure = article["31.7 percent"]
    assert aj("review", "reject", figure, "--note", "kept for the claim").exit_code == 0
    sentence = "They also warn that the lead could fade if exchange budgets shrink - 31.7 percent"
    run = aj("review", "add", "claim", DOC, "--quote", sentence, "--text",
             "The pollsters expect the students' warmth to cool if exchange funding is cut.",
             "--kind", "forecast", "--holder", "japan", "--area", "people-to-people", "--slug", "poll-warmth-may-cool")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip() == f"{DOC} ¶8: claim poll-warmth-may-cool"
    claim = aj("show", "claim", "poll-warmth-may-cool", "--format", "json").json()
    [cite] = claim["citations"]
    assert cite["excerpt"] == sentence.replace(" - ", " – ") and cite["paragraph"] == 8
    assert claim["fields"]["kind"] == "forecast"
    assert claim["fields"]["holders"] == ["japan"] and claim["fields"]["areas"] == ["people-to-people"]
    assert aj("review", "list", "--status", "rejected", "--format", "json").json()[0]["candidate"] == figure


def test_a_figure_the_extractor_missed_or_already_decided_is_added_from_its_words(article):
    assert aj("review", "reject", article["47.5 percent"]).exit_code == 0
    run = aj("review", "add", "statistic", DOC, "--quote", "47.5 percent", "--metric", "preferred-country-live-work",
             "--subject", "japan", "--slug", "poll-work-japanese-firm")
    assert run.exit_code == 0, run.stderr
    stat = aj("show", "statistic", "poll-work-japanese-firm", "--format", "json").json()
    assert stat["fields"]["value"] == "47.5%" and stat["citations"][0]["excerpt"] == "47.5 percent"
    # Words no candidate covers: the figure is read from them
    run = aj("review", "add", "statistic", DOC, "--quote", "asked 2,400 students", "--metric", "population",
             "--unit", "count", "--slug", "poll-sample")
    assert run.exit_code == 0, run.stderr
    assert aj("show", "statistic", "poll-sample", "--format", "json").json()["fields"]["number"] == 2400
    two = aj("review", "add", "statistic", DOC, "--quote", "61.3 percent of the students named Japan, against 22.4 percent",
             "--metric", "confidence-do-right-thing")
    assert two.exit_code == 2 and "the quoted words hold 2 figures" in two.error_lines[0]


def test_a_pending_candidate_at_the_quoted_words_is_decided_with_them(article):
    run = aj("review", "add", "statistic", DOC, "--quote", "72.6 percent", "--metric", "favourite-travel-destination",
             "--subject", "japan", "--slug", "poll-dream-holiday")
    assert run.exit_code == 0, run.stderr
    assert f"decides candidate {article['72.6 percent']}" in run.stdout
    assert _accepted()[article["72.6 percent"]] == "statistic poll-dream-holiday"


def test_a_figure_already_held_is_cited_not_copied(article):
    before = {c["document"] for c in _citations("statistic", "iseas-2024-confidence-japan")}
    run = aj("review", "add", "mention", DOC, "--quote", "58.9%", "--link", "iseas-2024-confidence-japan")
    assert run.exit_code == 0, run.stderr
    cites = _citations("statistic", "iseas-2024-confidence-japan")
    assert {c["document"] for c in cites} == before | {DOC}
    assert [c["excerpt"] for c in cites if c["document"] == DOC] == ["58.9%"]
    assert _accepted()[article["58.9%"]] == "mention of statistic iseas-2024-confidence-japan"
    assert aj("query", "statistics", "--document", DOC, "--format", "json").json()[0]["slug"] == "iseas-2024-confidence-japan"


def test_new_actors_and_initiatives_carry_their_details(article):
    run = aj("review", "add", "initiative", DOC, "--quote", "scholarship schemes", "--title",
             "Japanese scholarships for Mekong students", "--kind", "programme", "--acronym", "JSMS", "--status",
             "active", "--started", "2012", "--participant", "japan:funder", "--participant", "Thailand:recipient")
    assert run.exit_code == 0, run.stderr
    card = aj("show", "initiative", "JSMS", "--format", "json").json()
    assert card["slug"] == "jsms" and card["fields"]["status"] == "active" and card["fields"]["started"] == "2012"
    assert {(p["actor"], p["role"]) for p in card["participants"]} == {("japan", "funder"), ("thailand", "recipient")}
    run = aj("review", "add", "actor", DOC, "--quote", "Mekong Youth Outlook 2025", "--title", "Mekong Youth Outlook team",
             "--kind", "group", "--country", "Thailand", "--affiliation", "iseas:survey partner")
    assert run.exit_code == 0, run.stderr
    actor = aj("show", "actor", "Mekong Youth Outlook team", "--format", "json").json()
    assert actor["fields"]["country"] == "thailand"
    assert [(a["organisation"], a["role"]) for a in actor["affiliations"]] == [("iseas", "survey partner")]
    bad = aj("review", "add", "initiative", DOC, "--quote", "scholarship schemes", "--title", "x", "--kind", "programme",
             "--participant", "japan:sponsor")
    assert bad.exit_code == 2 and "role 'sponsor' is not one of the choices" in bad.error_lines[0]
    wrong = aj("review", "add", "claim", DOC, "--quote", "scholarship schemes", "--text", "x", "--country", "japan")
    assert wrong.exit_code == 2 and "--country does not apply to a new claim" in wrong.error_lines[0]


def test_a_quote_that_names_no_single_place_writes_nothing(article):
    run = aj("review", "add", "statistic", DOC, "--quote", "percent", "--new-metric", "A metric never made")
    assert run.exit_code == 2
    assert run.error_lines == [f"aj: error: --quote: document '{DOC}': the quote 'percent' occurs 11 times "
                               "(paragraphs 3, 4, 5, 7, 8): add prefix or suffix (the words just before or after it) "
                               "or a paragraph to choose one"]
    assert aj("show", "metric", "A metric never made").exit_code == 1
    missing = aj("review", "add", "claim", DOC, "--quote", "japan came out ahead", "--text", "x")
    assert missing.exit_code == 2 and "in other letter case" in missing.error_lines[0]
    chosen = aj("review", "add", "statistic", DOC, "--quote", "percent", "--prefix", "only 8.1", "--metric",
                "favourite-travel-destination", "--value", "8.1", "--unit", "percent", "--slug", "poll-europe")
    assert chosen.exit_code == 0, chosen.stderr
    assert _citations("statistic", "poll-europe")[0]["paragraph"] == 5
    in_paragraph = aj("review", "add", "statistic", DOC, "--quote", "12.5 percent", "--paragraph", "3", "--metric", "x")
    assert in_paragraph.exit_code == 2 and "not in the text in paragraph 3" in in_paragraph.error_lines[0]


def test_document_defaults_fill_every_decision_unless_overridden(article):
    origin = aj("review", "new", "origin", "Mekong Youth Outlook 2025", "--kind", "survey-report", "--date", "2025",
                "--url", "https://example.org/myo-2025", "--publisher", "iseas")
    assert origin.exit_code == 0, origin.stderr
    assert origin.stdout.strip() == "mekong-youth-outlook-2025"
    assert aj("review", "defaults", DOC, "--format", "json").json() == [
        {"document": DOC, "origin": None, "subject": None, "period": None, "population": None, "areas": []}]
    run = aj("review", "defaults", DOC, "--origin", "Mekong Youth Outlook 2025", "--period", "2025", "--population",
             "students in five Mekong countries", "--area", "public-opinion", "--format", "json")
    assert run.exit_code == 0, run.stderr
    shown = aj("review", "defaults", DOC, "--format", "json").json()[0]
    assert shown == run.json()[0] == {"document": DOC, "origin": "mekong-youth-outlook-2025", "subject": None,
                                      "period": "2025", "population": "students in five Mekong countries",
                                      "areas": ["public-opinion"]}
    accepted = aj("review", "accept", article["61.3 percent"], "--metric", "confidence-do-right-thing", "--subject",
                  "japan", "--slug", "poll-a")
    added = aj("review", "add", "statistic", DOC, "--quote", "9.8 percent", "--metric", "confidence-do-right-thing",
               "--subject", "united-states", "--period", "2024", "--slug", "poll-b")
    bare = aj("review", "accept", article["22.4 percent"], "--metric", "confidence-do-right-thing", "--no-defaults",
              "--slug", "poll-c")
    assert accepted.exit_code == added.exit_code == bare.exit_code == 0, accepted.stderr + added.stderr + bare.stderr
    fields = {s: aj("show", "statistic", s, "--format", "json").json()["fields"] for s in ("poll-a", "poll-b", "poll-c")}
    assert (fields["poll-a"]["origin"], fields["poll-a"]["period"], fields["poll-a"]["population"], fields["poll-a"]["areas"]) == (
        "mekong-youth-outlook-2025", "2025", "students in five Mekong countries", ["public-opinion"])
    assert fields["poll-b"]["period"] == "2024" and fields["poll-b"]["origin"] == "mekong-youth-outlook-2025"
    assert fields["poll-c"]["origin"] is None and fields["poll-c"]["areas"] == []
    claim = aj("review", "add", "claim", DOC, "--quote", "Japan came out ahead", "--text", "Japan led the poll.",
               "--slug", "poll-japan-led")
    assert claim.exit_code == 0, claim.stderr
    assert aj("show", "claim", "poll-japan-led", "--format", "json").json()["fields"]["areas"] == ["public-opinion"]
    cleared = aj("review", "defaults", DOC, "--clear", "period", "--clear", "areas", "--format", "json").json()[0]
    assert cleared["period"] is None and cleared["areas"] == [] and cleared["origin"] == "mekong-youth-outlook-2025"
    bad = aj("review", "defaults", DOC, "--period", "spring 2025")
    assert bad.exit_code == 2 and bad.error_lines == ["aj: error: --period: not a date: 'spring 2025' (use YYYY, YYYY-MM or YYYY-MM-DD)"]


def test_a_metric_is_made_with_its_figure_or_on_its_own(article):
    run = aj("review", "accept", article["66.0 percent"], "--new-metric", "Sea lanes as main security worry",
             "--metric-description", "Share naming the sea lanes their main security concern.",
             "--metric-alias", "sea lane worry", "--slug", "poll-sea-lanes")
    assert run.exit_code == 0, run.stderr
    assert "new metric sea-lanes-as-main-security-worry" in run.stdout
    metric = aj("show", "metric", "sea lane worry", "--format", "json").json()
    assert metric["slug"] == "sea-lanes-as-main-security-worry" and metric["fields"]["unit"] == "percent"
    again = aj("review", "new", "metric", "Sea lanes as main security worry", "--unit", "percent")
    assert again.exit_code == 2
    assert again.error_lines == ["aj: error: a metric named 'Sea lanes as main security worry' exists already: "
                                 "'sea-lanes-as-main-security-worry' (give --metric sea-lanes-as-main-security-worry)"]
    made = aj("review", "new", "metric", "Never met a Japanese person", "--unit", "percent", "--alias", "no contact")
    assert made.exit_code == 0 and made.stdout.strip() == "never-met-a-japanese-person"
    both = aj("review", "accept", article["31.7 percent"], "--metric", "population", "--new-metric", "x")
    assert both.exit_code == 2 and "not both" in both.error_lines[0]
    dup = aj("review", "new", "origin", "The State of Southeast Asia 2024 Survey Report")
    assert dup.exit_code == 2 and "exists already: 'iseas-sea-2024'" in dup.error_lines[0]


def test_defaults_can_make_the_origin_they_name(article):
    run = aj("review", "defaults", DOC, "--new-origin", "Mekong Youth Outlook 2025", "--origin-kind", "survey-report",
             "--origin-date", "2025-04", "--origin-url", "https://example.org/myo", "--period", "2025", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()[0]["origin"] == "mekong-youth-outlook-2025" and "new origin document" in run.stderr
    doc = aj("show", "document", "mekong-youth-outlook-2025", "--format", "json").json()
    assert doc["fields"]["kind"] == "survey-report" and doc["fields"]["published"] == "2025-04"
    again = aj("review", "defaults", DOC, "--new-origin", "Mekong youth outlook 2025", "--period", "2024")
    assert again.exit_code == 2 and "exists already: 'mekong-youth-outlook-2025'" in again.error_lines[0]
    assert aj("review", "defaults", DOC, "--format", "json").json()[0]["period"] == "2025"  # nothing half-done
    stray = aj("review", "defaults", DOC, "--origin-url", "https://example.org")
    assert stray.exit_code == 2 and "describe a --new-origin" in stray.error_lines[0]


def test_defaults_new_metrics_and_quoted_records_are_undoable_change_sets(article):
    def newest() -> int:
        return aj("history", "--format", "json").json()[0]["change_set"]

    assert aj("review", "defaults", DOC, "--period", "2025", "--area", "public-opinion").exit_code == 0
    set_defaults = newest()
    run = aj("review", "add", "statistic", DOC, "--quote", "18.2 percent", "--new-metric", "Prefer Korean employers",
             "--slug", "poll-korean-employers")
    assert run.exit_code == 0, run.stderr
    added = newest()
    assert added != set_defaults
    assert aj("undo", str(added)).exit_code == 0
    assert aj("show", "statistic", "poll-korean-employers").exit_code == 1
    assert aj("show", "metric", "Prefer Korean employers").exit_code == 1
    assert aj("undo", str(set_defaults)).exit_code == 0
    assert aj("review", "defaults", DOC, "--format", "json").json()[0] == {
        "document": DOC, "origin": None, "subject": None, "period": None, "population": None, "areas": []}
