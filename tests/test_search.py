"""Full-text search: the same web-search syntax on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aseanjapan.loading.load import load_files
from aseanjapan.search import parse_query, search, to_fts5

from .clitools import aj


def slugs(hits):
    return [h["slug"] for h in hits]


def test_maritime_finds_security_material(session):
    hits = search(session, "maritime")
    assert len(hits) >= 5
    assert {"claim", "initiative"} <= {h["kind"] for h in hits} or "claim" in {h["kind"] for h in hits}
    assert all("\ue000" in h["snippet"] for h in hits)


def test_phrase_digital_identity(session):
    hits = search(session, '"digital identity"')
    assert "tfgi-recommend-digital-identity" in slugs(hits)
    assert all("identity" in h["snippet"].lower() for h in hits)


def test_or_and_exclusion(session):
    both = set(slugs(search(session, "hydrogen OR semiconductors", limit=100)))
    hydrogen = set(slugs(search(session, "hydrogen", limit=100)))
    chips = set(slugs(search(session, "semiconductors", limit=100)))
    assert both == hydrogen | chips and hydrogen and chips
    without = set(slugs(search(session, "hydrogen -IPEF", limit=100)))
    assert without and without < hydrogen
    assert "ipef-window-japan-hydrogen-fund" not in without


def test_kind_narrows(session):
    hits = search(session, "Japan", kinds=["initiative"], limit=100)
    assert hits and {h["kind"] for h in hits} == {"initiative"}


def test_stemming_matches_word_forms(session):
    assert set(slugs(search(session, "investments", limit=200))) & set(slugs(search(session, "investing", limit=200)))


def test_new_records_are_searchable_immediately(engine, tmp_path):
    bundle = tmp_path / "b.yaml"
    bundle.write_text(
        "documents:\n  - {slug: zeta-note, title: Notes on quokka diplomacy, kind: analysis}\n"
        "claims:\n  - slug: zeta-claim\n    text: Quokka-themed diplomacy is unusual but effective.\n    kind: assessment\n"
        "    citations: [{document: zeta-note, paragraph: 1}]\n"
    )
    load_files(engine, [bundle])
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        assert set(slugs(search(s, "quokka"))) == {"zeta-note", "zeta-claim"}


HOSTILE = ['"', '"unbalanced', "AND", "OR", "NOT", "-", "*", "a OR", "OR b", "(", ")", "NEAR(a b)", "col:value",
           "title:japan", "'; DROP TABLE claims; --", "^", "\x00", "日本", "%_%", '""', "- -", "a - b", "{}", "\\"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(session, query):
    search(session, query)


@pytest.mark.parametrize("query", ["AND", "'; DROP TABLE claims; --", '"unbalanced', "NEAR(a b)"])
def test_hostile_queries_from_the_command_line(db_url, query):
    run = aj("search", query, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert isinstance(run.json(), list)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_text_translates_to_a_valid_fts5_query(session, query):
    # Every term the translator emits is a quoted string of word characters.
    match = to_fts5(query)
    if match is not None:
        assert all(term.replace(" ", "").isalnum() or "_" in term for _, term in sum(parse_query(query), []))
    search(session, query)


def test_cli_search_output(db_url):
    run = aj("search", "maritime", "--kind", "claim", "--limit", "3", "--format", "json")
    hits = run.json()
    assert len(hits) == 3 and all(h["kind"] == "claim" for h in hits)
    assert all("**" in h["snippet"] for h in hits)
    assert run.stderr.strip() == "3 hits"
    bad = aj("search", "x", "--kind", "planet")
    assert bad.exit_code == 2 and bad.error_lines == [
        "aj: error: --kind: cannot search planet; choose from claim, statistic, initiative, actor, event, document"
    ]
