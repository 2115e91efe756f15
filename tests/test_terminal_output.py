"""Output a reader can follow at any terminal width: no word broken in the middle, a citation's
paragraph kept with its document, wide listings stacked, sources named by title and date."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .clitools import aj

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
# Box drawing, bars and the separators the layouts add; none of them is part of a word.
FRAME = re.compile(r"[\s\u2500-\u257f\u2580-\u259f·]+")
EDGE = ".,;:()[]\"'"


def _tokens(text: str) -> set[str]:
    return {t.strip(EDGE) for t in FRAME.split(text.replace("**", "")) if t.strip(EDGE)}


def _vocabulary(*values: object) -> set[str]:
    """Every word of the data shown, of its field names and of the documents' titles."""
    words: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                words.update(_tokens(key.replace("_", " ")))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            words.update(_tokens(str(value)))

    for value in values:
        walk(value)
    return words


def _check_fits(output: str, width: int, known: set[str]) -> None:
    for line in output.splitlines():
        assert len(line) <= width, line
        # "¶8" never starts a line or a cell: it stays with its document.
        for mark in re.finditer(r"¶\d+", line):
            assert re.search(r"\S ¶$", line[: mark.start() + 1]), line
    # A word shown is a word of the data: a fragment ('ASEAN-Ja', 'pan') means a word was broken.
    # Only a piece of something longer than the whole line (a long URL) may be cut.
    too_long = [w for w in known if len(w) > width - 8]
    broken = {t for t in _tokens(output) - known if not any(t in w for w in too_long)}
    assert not broken, sorted(broken)[:20]


COMMANDS = [
    ("query", "initiatives", "--area", "security", "--status", "active"),
    ("query", "statistics", "--contains", "trust"),
    ("query", "events", "--since", "2023", "--until", "2023"),
    ("query", "claims", "--actor", "kitti-prasirtsuk"),
    ("query", "documents"),
    ("query", "actors", "--kind", "person"),
    ("query", "metrics"),
    ("search", "trust"),
    ("search", "maritime security", "--type", "initiative"),
    ("timeline", "--since", "2023", "--until", "2023"),
    ("conflicts",),
    ("compare", "--metric", "trust", "--subject", "japan", "--subject", "United States", "--subject", "china"),
    ("show", "actor", "Kitti Prasirtsuk"),
    ("show", "initiative", "osa"),
    ("show", "statistic", "iseas-2024-confidence-japan"),
    ("show", "document", "iseas-sea-2024"),
    ("show", "claim", "kitti-us-china-balance-challenge"),
    ("show", "area", "digital"),
    ("review", "list"),
]


@pytest.fixture
def with_candidates(db_url):
    assert aj("source", "add", str(FIXTURES / "harbour-review-article.html"), "--format", "json").exit_code == 0
    return db_url


@pytest.mark.parametrize("width", [80, 200])
def test_no_word_is_broken_at_80_or_200_columns(with_candidates, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    # Besides a command's own data, what its table names: documents, people, measures.
    named = [aj("query", kind, "--format", "json").json() for kind in ("documents", "actors", "metrics")]
    for args in COMMANDS:
        shown = aj(*args, "--format", "table")
        assert shown.exit_code == 0, (args, shown.stderr)
        data = aj(*args, "--format", "json").json()
        _check_fits(shown.stdout, width, _vocabulary(data, *named) | {"Sources", "key", "value", "none"})


@pytest.mark.parametrize("width", [80, 200])
def test_every_help_fits_without_breaking_a_word(monkeypatch, width):
    from aseanjapan.cli.app import app

    monkeypatch.setenv("COLUMNS", str(width))
    commands = [()] + [(c.name,) for c in app.registered_commands] + [
        (group.name, c.name) for group in app.registered_groups for c in group.typer_instance.registered_commands]
    wide = {}
    for command in commands:
        monkeypatch.setenv("COLUMNS", "400")
        wide[command] = _tokens(aj(*command, "--help").stdout)
    monkeypatch.setenv("COLUMNS", str(width))
    for command in commands:
        shown = aj(*command, "--help")
        assert shown.exit_code == 0
        assert all(len(line) <= width for line in shown.stdout.splitlines()), command
        assert not _tokens(shown.stdout) - wide[command], (command, sorted(_tokens(shown.stdout) - wide[command]))
        usage = next(line for line in shown.stdout.splitlines() if "Usage:" in line)
        assert usage.strip().endswith(("...", "]", "}")), usage  # on one line


def test_wide_listings_are_stacked_on_a_narrow_terminal(with_candidates, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    count = len(aj("review", "list", "--format", "json").json())
    narrow = aj("review", "list", "--format", "table").stdout
    assert "┏" not in narrow and count > 5
    assert len(narrow.splitlines()) <= 9 * count  # one short block per candidate, not a 13-line row
    first = aj("review", "list", "--format", "json").json()[0]
    assert narrow.splitlines()[0] == first["candidate"]
    monkeypatch.setenv("COLUMNS", "200")
    assert aj("review", "list", "--format", "table").stdout.startswith("┏")


def test_tables_name_the_sources_they_cite_by_title_and_date(db_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    shown = aj("query", "initiatives", "--area", "security", "--status", "active", "--format", "table").stdout
    sources = shown.split("\nSources\n", 1)[1]
    documents = {d["slug"]: d for d in aj("query", "documents", "--format", "json").json()}
    rows = aj("query", "initiatives", "--area", "security", "--status", "active", "--format", "json").json()
    for slug in {label.split(" ¶")[0] for row in rows for label in row["cited_by"]}:
        assert slug in sources
        first_words = " ".join(documents[slug]["title"].split()[:3])
        assert first_words in " ".join(sources.split()), slug


def test_machine_formats_keep_slugs_and_pair_each_citation_with_its_source(db_url):
    rows = aj("query", "statistics", "--contains", "trust", "--format", "json").json()
    titles = {d["slug"]: d["title"] for d in aj("query", "documents", "--format", "json").json()}
    for row in rows:
        assert len(row["sources"]) == len(row["cited_by"]) == len(row["reported_as"]) or not row["reported_as"]
        for label, source in zip(row["cited_by"], row["sources"]):
            slug, _, paragraph = label.partition(" ¶")
            assert source.startswith(titles[slug] + " (") and source.endswith(f" ¶{paragraph}" if paragraph else ")")
    japan = next(r for r in rows if r["slug"] == "iseas-2024-confidence-japan")
    assert japan["origin"] == "iseas-sea-2024" and japan["origin_source"].startswith("The State of Southeast Asia")
    header = aj("query", "statistics", "--format", "csv").stdout.splitlines()[0].split(",")
    assert header[:15] == ["slug", "value", "value_high", "unit", "approximation", "display", "metric", "subject",
                           "population", "population_actor", "period", "origin", "areas", "reported_as", "cited_by"]


def test_search_hits_carry_their_citations_in_every_format(db_url):
    hits = aj("search", "trust", "--format", "json").json()
    assert hits and all("cited_by" in h and "sources" in h for h in hits)
    japan = next(h for h in hits if h["slug"] == "iseas-2024-confidence-japan")
    assert japan["cited_by"] == ["tangkitvanich-strategic-partnership ¶6", "tfgi-asean-japan-panel ¶2"]
    documents = [h for h in hits if h["kind"] == "document"]
    assert all(h["cited_by"] == [] for h in documents)  # a document is the source itself
    csv_header = aj("search", "trust", "--format", "csv").stdout.splitlines()[0]
    assert csv_header == "kind,slug,title,snippet,score,cited_by,sources"
    table = aj("search", "trust", "--format", "table").stdout
    assert "score" in table and "tangkitvanich-strategic-partnership ¶6" in table
    assert f"{hits[1]['score']}" in table


def test_show_actor_lists_each_claim_with_its_paragraph(db_url):
    card = aj("show", "actor", "Kitti Prasirtsuk", "--format", "json").json()
    assert card["claims_held"]
    for claim in card["claims_held"]:
        assert claim["cited_by"] and all(re.fullmatch(r"prasirtsuk-security-partners ¶\d+", c) for c in claim["cited_by"])
        assert claim["sources"][0].startswith("Japan-ASEAN Cooperation as Security Partners (Kitti Prasirtsuk")
    shown = aj("show", "actor", "Kitti Prasirtsuk", "--format", "table").stdout
    claim = card["claims_held"][0]
    block = shown.split(claim["slug"], 1)[1].split("\n\n", 1)[0]
    assert claim["cited_by"][0] in block
    assert "Sources" in shown and "Japan-ASEAN Cooperation as Security Partners" in shown


def test_json_output_is_unchanged_apart_from_added_fields(db_url):
    """Existing consumers keep working: every field rows had before is still there."""
    before = {"initiatives": ["slug", "name", "acronym", "kind", "status", "started", "areas", "participants", "cited_by"],
              "events": ["slug", "date", "precision", "title", "kind", "actors", "initiatives", "areas", "cited_by"]}
    for kind, fields in before.items():
        row = aj("query", kind, "--format", "json").json()[0]
        assert list(row)[: len(fields)] == fields
    assert json.loads(aj("search", "osa", "--format", "jsonl").stdout.splitlines()[0]).keys() >= {
        "kind", "slug", "title", "snippet", "score"}
