"""No silent duplicates: accepting a figure or a name the knowledge base already holds cites
the held record, says so, and makes a separate record only when asked (--separate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseanjapan.matching import rounding, same_value

from .clitools import aj

NOTE = Path(__file__).parent / "fixtures" / "sources" / "campus-poll-note.txt"
DOC = "campus-poll-note"
HELD = "iseas-2024-confidence-japan"  # the seed's 58.9% (tangkitvanich-strategic-partnership ¶6)


@pytest.mark.parametrize(("a", "b", "same"), [
    (58.9, 59, True), (59, 58.9, True), (58.9, 58.7, False), (58.9, 58.9, True), (60, 58.9, False),
    (1.25, 1.2, True), (35e9, 35.2e9, True), (35e9, 36e9, False), (1200, 1210, False), (None, None, True), (None, 3, False),
])
def test_values_are_equal_within_the_rounding_of_either(a, b, same):
    assert same_value(a, b) is same


def test_the_rounding_of_a_value_is_half_its_last_place():
    assert (rounding(59), rounding(58.9), rounding(0.125), rounding(35e9)) == (0.5, 0.05, 0.0005, 0.5e9)


@pytest.fixture
def note(db_url):
    assert aj("source", "add", str(NOTE), "--slug", DOC).exit_code == 0
    return {c["text"] + f"@{c['paragraph']}": c["candidate"] for c in
            aj("review", "list", "--document", DOC, "--format", "json").json()}


def statistics_count() -> int:
    return len(aj("query", "statistics", "--format", "json").json())


TRUST = ("--metric", "trust", "--subject", "japan", "--period", "2024")


def test_a_held_figure_becomes_a_citation_of_it(note):
    before = statistics_count()
    cited_before = aj("show", "statistic", HELD, "--format", "json").json()["citations"]
    run = aj("review", "accept", note["59%@2"], *TRUST)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip() == f"{note['59%@2']}: cited existing statistic {HELD}"
    assert statistics_count() == before
    card = aj("show", "statistic", HELD, "--format", "json").json()
    assert card["fields"]["value"] == "58.9%"  # the held record is unchanged
    ours = [c for c in card["citations"] if c["document"] == DOC]
    assert [(c["reported_as"], c["excerpt"]) for c in ours] == [("59%", "59%")]  # this document's wording and span
    assert [c for c in card["citations"] if c["document"] != DOC] == cited_before  # the others kept
    accepted = aj("review", "list", "--status", "accepted", "--format", "json").json()
    assert [r["outcome"] for r in accepted] == [f"cited existing statistic {HELD}"]


def test_a_value_outside_the_rounding_is_a_new_statistic(note):
    before = statistics_count()
    run = aj("review", "accept", note["58.7%@3"], *TRUST)
    assert run.exit_code == 0, run.stderr
    assert "cited existing" not in run.stdout and statistics_count() == before + 1


def test_another_period_or_subject_is_no_match(note):
    before = statistics_count()
    assert aj("review", "accept", note["59%@2"], "--metric", "trust", "--subject", "japan", "--period", "2023").exit_code == 0
    assert statistics_count() == before + 1


def test_separate_forces_a_record_of_its_own_and_says_what_it_matches(note):
    before = statistics_count()
    run = aj("review", "accept", note["59%@2"], *TRUST, "--separate")
    assert run.exit_code == 0, run.stderr
    slug = run.stdout.split(": statistic ")[1].split()[0]
    assert f"(separate from statistic {HELD}, which it matches)" in run.stdout
    assert statistics_count() == before + 1
    assert aj("show", "statistic", slug, "--format", "json").json()["fields"]["value"] == "59%"


def test_two_candidates_of_one_figure_make_one_record(note, tmp_path):
    """The second figure matches the record the first just made, within one command."""
    before = statistics_count()
    run = aj("review", "accept", note["58.7%@3"], note["59%@2"], "--metric", "trust", "--subject", "japan",
             "--period", "2019")
    assert run.exit_code == 0, run.stderr
    first = run.stdout.splitlines()[0].split(": statistic ")[1]
    assert run.stdout.splitlines()[1] == f"{note['59%@2']}: cited existing statistic {first}"
    assert statistics_count() == before + 1


def test_separate_is_refused_for_a_mention(note):
    run = aj("review", "accept", note["Japan@2"], "--separate")
    assert run.exit_code == 2 and "--separate does not apply to a mention" in run.error_lines[0]


BUNDLE = """\
actors:
  - slug: lowy
    name: Lowy Institute for International Policy
    kind: institute
    names: [{name: Lowy Institute, kind: alias}]
    citations: [{document: tangkitvanich-strategic-partnership, paragraph: 1}]
initiatives:
  - slug: mdaf
    name: Domain awareness fund of the maritime partnership
    acronym: MDAF
    kind: fund
    citations: [{document: tangkitvanich-strategic-partnership, paragraph: 1}]
"""


@pytest.fixture
def known(note, tmp_path):
    """The names of the note's two unknown entities become known after it was added."""
    path = tmp_path / "known.yaml"
    path.write_text(BUNDLE)
    run = aj("load", str(path))
    assert run.exit_code == 0, run.stderr
    return note


def test_a_new_actor_under_a_known_other_name_is_a_mention_of_it(known):
    run = aj("review", "accept", known["Lowy Institute@4"], "--as", "actor", "--kind", "institute")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip() == f"{known['Lowy Institute@4']}: cited existing actor lowy (known as 'Lowy Institute')"
    assert [a["slug"] for a in aj("query", "actors", "--contains", "Lowy", "--format", "json").json()] == ["lowy"]
    cited = aj("show", "actor", "lowy", "--format", "json").json()["citations"]
    assert [(c["document"], c["excerpt"]) for c in cited if c["document"] == DOC] == [(DOC, "Lowy Institute")]


def test_a_new_initiative_with_a_known_acronym_is_a_mention_of_it(known):
    run = aj("review", "accept", known["Maritime Domain Awareness Fund (MDAF)@4"], "--as", "initiative", "--kind", "fund")
    assert run.exit_code == 0, run.stderr
    assert "cited existing initiative mdaf (known as 'MDAF')" in run.stdout
    assert len(aj("query", "initiatives", "--contains", "MDAF", "--format", "json").json()) == 1


def test_separate_makes_a_new_actor_despite_the_known_name(known):
    run = aj("review", "accept", known["Lowy Institute@4"], "--as", "actor", "--kind", "institute", "--separate")
    assert run.exit_code == 0, run.stderr
    assert "cited existing" not in run.stdout
    assert len(aj("query", "actors", "--contains", "Lowy", "--format", "json").json()) == 2
