"""The review sheet: `aj review sheet DOC` proposes a decision for every pending candidate,
the analyst edits the YAML, `aj review apply` applies it all or nothing, and again changes
nothing. Short ids (c7) name candidates inside a document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aseanjapan.loading.yamlio import parse_yaml

from .clitools import aj

SOURCES = Path(__file__).parent / "fixtures" / "sources"
POLL = SOURCES / "lantern-campus-poll.md"  # our own write-up of an imagined student survey
DOC = "lantern-poll"
HELD = "iseas-2024-confidence-japan"


@pytest.fixture
def poll(db_url, tmp_path):
    assert aj("source", "add", str(POLL), "--slug", DOC).exit_code == 0
    path = tmp_path / "poll.yaml"
    run = aj("review", "sheet", DOC, "-o", str(path))
    assert run.exit_code == 0, run.stderr
    return path


def entries(path: Path) -> dict[str, dict]:
    data, _ = parse_yaml(path.read_text())
    return {e["found"] + f"@{e['sentence'][:12]}": e for e in data["candidates"]}


def by_id(path: Path) -> dict[str, dict]:
    data, _ = parse_yaml(path.read_text())
    return {e["id"]: e for e in data["candidates"]}


def edit(path: Path, id_: str, **changes: str) -> None:
    """Set fields of one entry as a person would in an editor (values are YAML text)."""
    lines = path.read_text().splitlines()
    start = lines.index(f"  - id: {id_}")
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("  - id:")), len(lines))
    block = [line for line in lines[start:end] if not any(line.startswith(f"    {k}:") for k in changes)]
    block[1:1] = [f"    {k}: {v}" for k, v in changes.items()]
    path.write_text("\n".join(lines[:start] + block + lines[end:]) + "\n")


def pending() -> list[dict]:
    return aj("review", "list", "--document", DOC, "--format", "json").json()


def test_every_pending_candidate_has_a_short_id_its_sentence_and_a_proposal(poll):
    listed = pending()
    sheet = by_id(poll)
    assert list(sheet) == [f"c{n}" for n in range(1, len(listed) + 1)]
    assert {f"{DOC}-{id_}" for id_ in sheet} == {c["candidate"] for c in listed}
    for c in listed:
        entry = sheet[c["candidate"].removeprefix(f"{DOC}-")]
        assert entry["found"] == c["text"] and entry["sentence"] == c["context"]
        assert entry["decision"] in ("accept", "reject", "skip")


def test_proposals_come_from_the_sentence_and_the_vocabulary(poll):
    sheet = entries(poll)
    us = sheet["44.2%@Asked whethe"]
    # 'trusted' is the metric's other name 'trust'; the United States is in the figure's clause
    assert (us["decision"], us["metric"], us["subject"]) == ("accept", "confidence-do-right-thing", "united-states")
    assert "period" not in us  # the sentence gives no year
    assert (sheet["21.9%@Asked whethe"]["subject"], sheet["48.6%@Distrust of "]["subject"]) == ("china", "china")
    assert sheet["48.6%@Distrust of "]["metric"] == "distrust-of-power"
    # two metrics answer one question: the words nearest each figure decide
    assert sheet["46.1%@On ASEAN's b"]["metric"] == "asean-option-resilience-unity"
    assert sheet["27.5%@On ASEAN's b"]["metric"] == "asean-option-third-parties"
    # a year in the sentence is the period; the held figure is cited, as the comment says
    held = sheet["58.9%@That puts st"]
    assert (held["subject"], held["period"]) == ("japan", "2024")  # not ISEAS, the survey's publisher
    text = poll.read_text()
    assert re.search(rf"decision: accept +# cites statistic {HELD} \(58\.9%\)", text)
    # no metric named: nothing proposed to accept, and the comment says what is missing
    assert sheet["9.7%@Only 9.7% sa"]["decision"] == "skip"
    assert "no metric's name in the sentence" in text
    # known names are mentions
    assert sheet["Singapore@Asked which "]["decision"] == "accept"


def test_applying_a_sheet_records_every_decision_and_cites_the_held_figure(poll):
    before = len(aj("query", "statistics", "--format", "json").json())
    ids = {e["found"] + "@" + e["sentence"][:12]: i for i, e in by_id(poll).items()}
    edit(poll, ids["9.7%@Only 9.7% sa"], decision="reject", note='"no measure held for news interest"')
    run = aj("review", "apply", str(poll))
    assert run.exit_code == 0, run.stderr
    assert f"{ids['58.9%@That puts st']}: cited existing statistic {HELD}" in run.stdout.splitlines()
    assert f"{ids['9.7%@Only 9.7% sa']}: rejected" in run.stdout.splitlines()
    accepted = run.stdout.count(": statistic ")
    assert accepted == 10  # twelve percentages: one cited as held, one rejected
    assert len(aj("query", "statistics", "--format", "json").json()) == before + accepted
    us = [s for s in aj("query", "statistics", "--document", DOC, "--subject", "united-states", "--format", "json").json()]
    assert sorted(s["value"] for s in us) == [14.8, 44.2]
    left = {c["candidate"].removeprefix(f"{DOC}-") for c in pending()}
    assert left == {i for i, e in by_id(poll).items() if e["decision"] == "skip"}


def test_applying_the_same_sheet_again_changes_nothing(poll):
    assert aj("review", "apply", str(poll)).exit_code == 0
    statistics = aj("query", "statistics", "--format", "json").json()
    decided = aj("review", "list", "--document", DOC, "--status", "accepted", "--format", "json").json()
    again = aj("review", "apply", str(poll))
    assert again.exit_code == 0, again.stderr
    assert "nothing changed" in again.stderr and "already decided as the sheet says" in again.stderr
    assert all("already accepted" in line for line in again.stdout.splitlines())
    assert aj("query", "statistics", "--format", "json").json() == statistics
    assert aj("review", "list", "--document", DOC, "--status", "accepted", "--format", "json").json() == decided


def test_an_error_anywhere_applies_nothing_and_names_its_line(poll):
    ids = list(by_id(poll))
    edit(poll, ids[-4], decision="accept", metric="trsut")  # an entry near the end
    line = next(n for n, text in enumerate(poll.read_text().splitlines(), 1) if text == "    metric: trsut")
    run = aj("review", "apply", str(poll))
    assert run.exit_code == 1
    assert run.error_lines == [f"aj: error: {poll}:{line}: {ids[-4]}: no metric 'trsut' (closest: "
                               "confidence-do-right-thing)"]
    assert aj("review", "list", "--document", DOC, "--status", "accepted", "--format", "json").json() == []


def test_an_accept_missing_what_it_needs_is_located_in_sheet_terms(poll):
    ids = {e["found"]: i for i, e in by_id(poll).items()}
    edit(poll, ids["9.7%"], decision="accept")
    line = next(n for n, text in enumerate(poll.read_text().splitlines(), 1)
                if text.startswith("    decision: accept") and n > poll.read_text().splitlines().index(f"  - id: {ids['9.7%']}"))
    run = aj("review", "apply", str(poll))
    assert run.exit_code == 1
    assert run.error_lines[0].startswith(f"aj: error: {poll}:{line}: {ids['9.7%']}: give metric: (what the figure")


@pytest.mark.parametrize(("change", "problem"), [
    ({"decision": "maybe"}, "decision: must be accept, reject or skip, not 'maybe'"),
    ({"subjet": "japan"}, "unknown field 'subjet' (closest: subject)"),
    ({"value": "lots"}, "value: must be a number"),
    ({"separate": "yes"}, "separate: must be true or false"),
])
def test_a_malformed_entry_is_refused_at_its_line(poll, change, problem):
    first = next(i for i, e in by_id(poll).items() if e["found"] == "67.5%")
    edit(poll, first, **change)
    key = next(iter(k for k in change if k != "decision"), "decision")
    line = next(n for n, text in enumerate(poll.read_text().splitlines(), 1)
                if text.startswith(f"    {key}: {change[key]}"))
    run = aj("review", "apply", str(poll))
    assert run.exit_code == 1
    assert run.error_lines[0].startswith(f"aj: error: {poll}:{line}: {first}: {problem}")
    assert aj("review", "list", "--document", DOC, "--status", "accepted", "--format", "json").json() == []


def test_a_repeated_id_and_broken_yaml_are_refused(poll):
    text = poll.read_text()
    poll.write_text(text.replace("  - id: c3\n", "  - id: c2\n", 1))
    second = poll.read_text().splitlines().index("  - id: c2", poll.read_text().splitlines().index("  - id: c2") + 1) + 1
    run = aj("review", "apply", str(poll))
    assert run.exit_code == 1 and f"{poll}:{second}: c2 is given twice" in run.error_lines[0]
    poll.write_text(text.replace("    decision: accept", "    decision: [accept", 1))
    broken = aj("review", "apply", str(poll))
    assert broken.exit_code == 1 and broken.error_lines[0].startswith(f"aj: error: {poll}:")
    assert "malformed YAML" in broken.error_lines[0]


def test_a_decision_contradicting_an_earlier_one_is_refused(poll):
    ids = {e["found"] + "@" + e["sentence"][:12]: i for i, e in by_id(poll).items()}
    first = ids["67.5%@Asked whethe"]
    assert aj("review", "reject", DOC, first).exit_code == 0
    run = aj("review", "apply", str(poll))
    assert run.exit_code == 1
    assert f"{first}: already rejected; the sheet says accept" in run.error_lines[0]
    assert len(aj("review", "list", "--document", DOC, "--status", "accepted", "--format", "json").json()) == 0


def test_the_sheet_is_not_written_over_an_edited_one_unless_forced(poll):
    edit(poll, "c1", decision="reject")
    edited = poll.read_text()
    run = aj("review", "sheet", DOC, "-o", str(poll))
    assert run.exit_code == 2 and "exists already" in run.error_lines[0]
    assert poll.read_text() == edited
    assert aj("review", "sheet", DOC, "-o", str(poll), "--force").exit_code == 0
    assert by_id(poll)["c1"]["decision"] == "accept"


def test_a_sheet_on_stdout_applies_as_well(poll, tmp_path):
    run = aj("review", "sheet", DOC)
    assert run.exit_code == 0 and run.stdout.startswith("# Review sheet for lantern-poll")
    copy = tmp_path / "copy.yaml"
    copy.write_text(run.stdout)
    assert copy.read_text() == poll.read_text()


def test_short_ids_name_candidates_on_the_command_line(poll):
    ids = {e["found"] + "@" + e["sentence"][:12]: i for i, e in by_id(poll).items()}
    run = aj("review", "accept", DOC, ids["67.5%@Asked whethe"], "--metric", "trust", "--subject", "japan",
             "--period", "2025")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith(f"{DOC}-{ids['67.5%@Asked whethe']}: statistic ")
    assert aj("review", "reject", DOC, "c2", "c4").exit_code == 0
    rejected = aj("review", "list", "--document", DOC, "--status", "rejected", "--format", "json").json()
    assert {r["candidate"] for r in rejected} == {f"{DOC}-c2", f"{DOC}-c4"}
    alone = aj("review", "reject", "c5")
    assert alone.exit_code == 2 and "a short candidate id follows its document" in alone.error_lines[0]
    bare = aj("review", "reject", DOC)
    assert bare.exit_code == 2 and f"{DOC}: name its candidates after it" in bare.error_lines[0]
    missing = aj("review", "reject", DOC, "c999")
    assert missing.exit_code == 1 and missing.error_lines[0].startswith(f"aj: error: no candidate '{DOC}-c999'")


def test_a_name_known_since_the_source_was_added_is_proposed_as_a_mention(db_url, tmp_path):
    assert aj("source", "add", str(SOURCES / "campus-poll-note.txt"), "--slug", "note").exit_code == 0
    bundle = tmp_path / "known.yaml"
    bundle.write_text("actors:\n  - slug: lowy\n    name: Lowy Institute for International Policy\n    kind: institute\n"
                      "    names: [{name: Lowy Institute, kind: alias}]\n"
                      "    citations: [{document: tangkitvanich-strategic-partnership, paragraph: 1}]\n")
    assert aj("load", str(bundle)).exit_code == 0
    path = tmp_path / "note.yaml"
    assert aj("review", "sheet", "note", "-o", str(path)).exit_code == 0
    lowy = next(e for e in by_id(path).values() if e["found"] == "Lowy Institute")
    assert (lowy["decision"], lowy["link"]) == ("accept", "lowy")
    assert "actor lowy is known as 'Lowy Institute'" in path.read_text()


# ---- the whole article, as a new user would curate it -----------------------------------------

SECTIONS = '''defaults:
  origin: lantern-campus-poll-2025
  subject:
  period: "2025"
  population: "Undergraduates in six ASEAN member states"
  areas: [public-opinion]

new_origins:
  - slug: lantern-campus-poll-2025
    title: "Lantern Campus Poll 2025"
    kind: survey-report
    published: "2025-04"
new_metrics:
  - slug: follows-asean-japan-news
    name: "Follows news about ASEAN-Japan relations closely"
    unit: percent
    aliases: [news interest]

passages:
  - quote: "Japanese popular culture is doing work that diplomacy alone cannot"
    text: "The student-elite gap shows Japanese popular culture winning goodwill that diplomacy does not."
    kind: assessment
    actors: [japan]
  - quote: "gives Tokyo room to widen exchange programmes"
    text: "Japan should expand exchange programmes rather than rely on goodwill already earned."
    kind: recommendation
    actors: [japan]
'''


def curate(path: Path) -> None:
    """What the analyst types into the sheet: the defaults, the survey and the one metric the
    knowledge base lacks, two claims, and decisions on what the proposals left open."""
    text = path.read_text()
    start, end = text.index("defaults:\n"), text.index("\ncandidates:")
    path.write_text(text[:start] + SECTIONS + text[end:])
    for id_, entry in by_id(path).items():
        if entry["found"] == "9.7%":
            edit(path, id_, decision="accept", metric="follows-asean-japan-news")
        elif entry["decision"] == "skip":  # the respondents' count, the member states, the dates, the poll's name
            edit(path, id_, decision="reject")


def test_an_article_becomes_reviewed_records_in_three_commands(db_url, tmp_path):
    before = {kind: len(aj("query", kind, "--format", "json").json()) for kind in ("statistics", "claims", "metrics")}
    held_citations = aj("show", "statistic", HELD, "--format", "json").json()["citations"]
    sheet = tmp_path / "poll.yaml"
    # 1. the source; 2. the sheet; (the analyst edits it); 3. apply
    assert aj("source", "add", str(POLL), "--slug", DOC).exit_code == 0
    assert aj("review", "sheet", DOC, "-o", str(sheet)).exit_code == 0
    curate(sheet)
    run = aj("review", "apply", str(sheet))
    assert run.exit_code == 0, run.stderr
    assert "origin lantern-campus-poll-2025: new document" in run.stdout
    assert "metric follows-asean-japan-news: new metric" in run.stdout
    assert f"cited existing statistic {HELD}" in run.stdout

    after = {kind: len(aj("query", kind, "--format", "json").json()) for kind in ("statistics", "claims", "metrics")}
    assert after == {"statistics": before["statistics"] + 11, "claims": before["claims"] + 2,
                     "metrics": before["metrics"] + 1}
    assert aj("review", "list", "--document", DOC, "--format", "json").json() == []  # nothing left pending
    # the students' figures carry the defaults; the ISEAS one is the held record, cited once more
    ours = aj("query", "statistics", "--document", DOC, "--format", "json").json()
    assert len(ours) == 12 and sum(1 for s in ours if s["slug"] == HELD) == 1
    students = [s for s in ours if s["slug"] != HELD]
    assert {(s["origin"], s["period"], s["population"]) for s in students} == {
        ("lantern-campus-poll-2025", "2025", "Undergraduates in six ASEAN member states")}
    assert sorted((s["metric"], s["subject"], s["value"]) for s in students if s["subject"] == "japan") == [
        ("confidence-do-right-thing", "japan", 67.5), ("distrust-of-power", "japan", 12.4),
        ("preferred-country-live-work", "japan", 31.0)]
    assert [s["value"] for s in students if s["metric"] == "follows-asean-japan-news"] == [9.7]
    held = aj("show", "statistic", HELD, "--format", "json").json()
    assert held["fields"]["value"] == "58.9%" and len(held["citations"]) == len(held_citations) + 1
    claims = aj("query", "claims", "--document", DOC, "--format", "json").json()
    assert sorted(c["kind"] for c in claims) == ["assessment", "recommendation"]
    cited = aj("show", "claim", claims[0]["slug"], "--format", "json").json()["citations"]
    assert cited[0]["document"] == DOC and cited[0]["excerpt"] in POLL.read_text()

    # applying it again changes nothing, and says so
    export = aj("export", "--format", "json").stdout
    again = aj("review", "apply", str(sheet))
    assert again.exit_code == 0 and "nothing changed" in again.stderr
    assert "passage 1: already recorded (claim " in again.stdout
    assert "origin lantern-campus-poll-2025: already held" in again.stdout
    assert aj("export", "--format", "json").stdout == export


def test_the_sheet_shows_the_document_defaults_and_uses_them(db_url, tmp_path):
    assert aj("source", "add", str(POLL), "--slug", DOC).exit_code == 0
    assert aj("review", "defaults", DOC, "--period", "2025", "--population", "students").exit_code == 0
    sheet = tmp_path / "poll.yaml"
    assert aj("review", "sheet", DOC, "-o", str(sheet)).exit_code == 0
    data, _ = parse_yaml(sheet.read_text())
    assert data["defaults"] == {"origin": None, "subject": None, "period": "2025", "population": "students", "areas": []}
    assert "# from the document's defaults: period 2025, population students" in sheet.read_text()


def test_a_problem_in_a_section_is_located_and_nothing_is_applied(db_url, tmp_path):
    assert aj("source", "add", str(POLL), "--slug", DOC).exit_code == 0
    sheet = tmp_path / "poll.yaml"
    assert aj("review", "sheet", DOC, "-o", str(sheet)).exit_code == 0
    curate(sheet)
    sheet.write_text(sheet.read_text().replace("gives Tokyo room to widen exchange programmes",
                                               "gives Tokyo room to widen its programmes"))
    line = next(n for n, text in enumerate(sheet.read_text().splitlines(), 1) if "widen its programmes" in text)
    run = aj("review", "apply", str(sheet))
    assert run.exit_code == 1
    assert run.error_lines[0].startswith(f"aj: error: {sheet}:{line}: passage 2: quote: the quote ")
    assert aj("query", "metrics", "--format", "json").json() == aj("query", "metrics", "--format", "json").json()
    assert aj("show", "metric", "follows-asean-japan-news").exit_code == 1  # the new metric was not kept
    assert aj("review", "list", "--document", DOC, "--status", "accepted", "--format", "json").json() == []


def test_a_sheet_cut_short_is_refused_even_where_the_cut_leaves_valid_yaml(poll):
    text = poll.read_text()
    for entry in list(by_id(poll))[:3]:
        edit(poll, entry, decision="accept")
    edited = poll.read_text()
    # Cut just before the third entry: what is left parses as a shorter, valid sheet.
    cut = edited[:edited.index("  - id: c3\n")]
    parse_yaml(cut)
    poll.write_text(cut)
    run = aj("review", "apply", str(poll))
    assert run.exit_code == 1
    assert run.error_lines[0].startswith(f"aj: error: {poll}:{cut.count(chr(10)) + 1}: ")
    assert "cut short" in run.error_lines[0]
    assert aj("review", "list", "--document", DOC, "--status", "accepted", "--format", "json").json() == []
    assert text.rstrip().endswith("end_of_sheet: true")
