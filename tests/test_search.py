"""Full-text search: one syntax, and the same hits and snippets on SQLite (FTS5) and
PostgreSQL (tsvector); each ranks by its own relevance, as a score from 0 to 1.

The suite runs on one backend at a time. Each query below is asserted against fixed
expectations (the same on both backends), and against a reference: the same search
entries copied into a SQLite database of the current schema, searched by FTS5. On
PostgreSQL that compares the two implementations in one run.
"""

from __future__ import annotations

import importlib.util
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from aseanjapan.db import make_engine, write_connection
from aseanjapan.errors import UsageError
from aseanjapan.loading.load import load_files
from aseanjapan.migrate import upgrade
from aseanjapan.search import MAX_QUERY_CHARS, MAX_QUERY_WORDS, parse_query, search, to_fts5
from aseanjapan.settings import migrations_dir

from .clitools import aj

SOURCE_SLUG = "quokka-corridor-brief"
SOURCE = """Quokka corridor finance brief

Pledges to the quokka corridor fund came to US$12.5 billion by March, its organisers said.

Planners put community well-being first and checked it with a survey of 412 households.
"""

BUNDLE = """\
documents:
  - slug: zeta-lagoon-note
    title: Quokka lagoon
    kind: analysis
    summary: Harbour notes on dredging, possibly technological in scope.
  - slug: zeta-danang-note
    title: Notes from Đà Nẵng, Việt Nam
    kind: analysis
    text: The US delegation will use the new terminal. Its use grew fast in the 1990s.
claims:
  - slug: zeta-claim-technology
    text: Quokka technologies spread incredibly widely through the lagoon ports.
    kind: assessment
    citations: [{document: zeta-lagoon-note, paragraph: 1}]
"""


def slugs(hits):
    return [h["slug"] for h in hits]


def hits_or_refusal(session, query, **kw):
    """The hits, or the message refusing a query with nothing to find (the same on every backend)."""
    try:
        return search(session, query, **kw)
    except UsageError as exc:
        return str(exc)


def found(session, query, **kw):
    hits = hits_or_refusal(session, query, limit=10_000, **kw)
    return hits if isinstance(hits, str) else set(slugs(hits))


@pytest.fixture
def kb(db_url, engine, tmp_path):
    """The seeded knowledge base, an added source (full text) and a small bundle."""
    source = tmp_path / "brief.txt"
    source.write_text(SOURCE, encoding="utf-8")
    run = aj("source", "add", str(source), "--slug", SOURCE_SLUG, "--kind", "report")
    assert run.exit_code == 0, run.stderr
    bundle = tmp_path / "zeta.yaml"
    bundle.write_text(BUNDLE, encoding="utf-8")
    load_files(engine, [bundle])
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="module")
def reference_engine(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('reference') / 'reference.sqlite'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def reference(kb, reference_engine):
    """A SQLite database holding exactly the search entries of `kb`."""
    columns = "id, kind, record_id, slug, title, body"
    rows = [dict(r) for r in kb.execute(text(f"SELECT {columns} FROM search_entries")).mappings()]
    with write_connection(reference_engine) as conn:
        conn.execute(text("DELETE FROM search_entries"))
        conn.execute(text(f"INSERT INTO search_entries ({columns}) VALUES "
                          "(:id, :kind, :record_id, :slug, :title, :body)"), rows)
    with Session(reference_engine) as session:
        yield session


# ---- the same on both backends -----------------------------------------------------------------

REVIEWED = ["27.7", "58.9", "US$12.5", "japan or china", "the", "NOT", "japan NOT china", "Japan's",
            '"Japan and ASEAN"', "well-being", "nearly", "japan", 'hydrogen OR "carbon capture" -IPEF']
MORE = ["maritime", '"digital identity"', "investments", "investing", "technology", "technological", "possibly",
        "US", "us", "use", "its", "as", "a", "ay", "Việt Nam", "viet nam", "da nang", "DA NANG", "1990s", "CO2",
        "12.5", "US$ 12.5", '"well being"', "well being", '"lagoon harbour"', '"quokka lagoon"', "quokka",
        "quokka -corridor", "quokka -lagoon -corridor", "-quokka", "japan OR", "OR japan", "japan OR OR china",
        "japan oR china asean", "japan OR -china", "AND", "japan AND asean", "japan*", "title:japan",
        "NEAR(japan asean)", "(japan)", '"unbalanced japan', '"" japan', "- japan", "--japan", '-"" asean',
        "ß", "日本", "\x00japan", "japan ²", "½", "\ue000", "'; DROP TABLE claims; --", "%_%", "\\", "{}",
        "japan " * 20, "e" * 900]


@pytest.mark.parametrize("query", REVIEWED + MORE, ids=lambda q: repr(q)[:40])
def test_same_hits_and_snippets_as_fts5(kb, reference, query):
    got = hits_or_refusal(kb, query, limit=500)
    want = hits_or_refusal(reference, query, limit=500)
    if isinstance(want, str):
        assert got == want
        return
    assert {h["slug"]: (h["kind"], h["title"], h["snippet"]) for h in got} == {
        h["slug"]: (h["kind"], h["title"], h["snippet"]) for h in want}
    assert all(0 < h["score"] <= 1 for h in got)
    assert [h["score"] for h in got] == sorted((h["score"] for h in got), reverse=True)


def test_the_reviewed_queries(kb):
    japan, china, the, not_ = found(kb, "japan"), found(kb, "china"), found(kb, "the"), found(kb, "not")
    assert {"tfgi-iseas-2024-trust-reason-economic-resources-japan", "iseas-2024-hedge-partner-japan"} <= found(kb, "27.7")
    assert slugs(search(kb, "58.9")) == ["iseas-2024-confidence-japan"]
    assert slugs(search(kb, "US$12.5")) == [SOURCE_SLUG]  # the full text of an added source
    assert found(kb, "japan or china") == found(kb, "japan OR china") == japan | china
    assert len(the) > 100 and found(kb, "THE") == the  # no stop words
    assert not_ and not_ == found(kb, "NOT")  # NOT is a word
    assert found(kb, "japan NOT china") == japan & not_ & china
    assert found(kb, "Japan's") == found(kb, '"japan s"') < japan
    assert found(kb, '"Japan and ASEAN"') <= japan & found(kb, "and") & found(kb, "asean")
    assert slugs(search(kb, "well-being")) == [SOURCE_SLUG] == slugs(search(kb, '"well being"'))
    assert "tfgi-sea-mobile-share-of-web-traffic" in found(kb, "nearly")
    assert not found(kb, "nearly") & found(kb, "near") - found(kb, "nearly")  # nearly is not near
    assert len(japan) > 100


def test_exclusion_applies_to_the_whole_query(kb):
    hits = search(kb, 'hydrogen OR "carbon capture" -IPEF', limit=100)
    assert set(slugs(hits)) == (found(kb, "hydrogen") | found(kb, '"carbon capture"')) - found(kb, "ipef")
    assert "somkiat-japan-hydrogen-ccus-expertise" in slugs(hits)
    assert all("ipef" not in (h["title"] + h["snippet"]).lower() for h in hits)


def test_or_binds_tighter_than_and(kb):
    assert found(kb, "japan OR china asean") == (found(kb, "japan") | found(kb, "china")) & found(kb, "asean")
    assert found(kb, "japan OR -china") == found(kb, "japan or") - found(kb, "china")  # OR before -x: a word


def test_snippets_show_the_figure_and_the_whole_title(kb):
    [stat] = search(kb, "58.9")
    assert "Japan \ue00058.9\ue001%" in stat["snippet"]
    hits = {h["slug"]: h for h in search(kb, "AJCEP", kinds=["initiative"])}
    assert hits["ajcep"]["snippet"].endswith("(\ue000AJCEP\ue001)")


def test_phrases_do_not_span_title_and_body(kb):
    assert found(kb, '"quokka lagoon"') == {"zeta-lagoon-note"}
    assert not found(kb, '"lagoon harbour"')


def test_words_match_any_case_accent_and_form(kb):
    # Accents go (ẵ, ệ), and letters FTS5's unicode61 keeps apart are folded too (đ is found as d).
    assert found(kb, "đa nang") == found(kb, "ĐÀ NẴNG") == found(kb, "da nang") == {"zeta-danang-note"}
    assert "zeta-danang-note" in found(kb, "viet nam")
    assert found(kb, "investments") & found(kb, "investing")
    assert "zeta-claim-technology" in found(kb, "technology") & found(kb, "technological")
    assert found(kb, "possibly") == found(kb, "possible") >= {"zeta-lagoon-note"}


def test_kind_narrows(kb):
    hits = search(kb, "Japan", kinds=["initiative"], limit=100)
    assert hits and {h["kind"] for h in hits} == {"initiative"}


def test_scores_run_from_0_to_1_relative_to_the_best_hit(kb):
    hits = search(kb, "japan maritime", limit=50)
    assert hits and hits[0]["score"] == 1 and all(0 < h["score"] <= 1 for h in hits)
    assert hits[0]["score"] > hits[-1]["score"]


def test_new_records_are_searchable_immediately(engine, tmp_path):
    bundle = tmp_path / "b.yaml"
    bundle.write_text(
        "documents:\n  - {slug: zeta-note, title: Notes on wombat diplomacy, kind: analysis}\n"
        "claims:\n  - slug: zeta-claim\n    text: Wombat-themed diplomacy is unusual but effective.\n    kind: assessment\n"
        "    citations: [{document: zeta-note, paragraph: 1}]\n"
    )
    load_files(engine, [bundle])
    with Session(engine) as s:
        assert set(slugs(search(s, "wombat"))) == {"zeta-note", "zeta-claim"}


# ---- the parser ---------------------------------------------------------------------------------

def test_parser_builds_groups_and_exclusions():
    q = parse_query('Japan OR china "digital  identity" -IPEF -"carbon capture" or')
    assert [[t.words for t in g] for g in q.groups] == [[("china",), ("japan",)], [("digital", "identity")], [("or",)]]
    assert [t.words for t in q.excluded] == [("ipef",), ("carbon", "capture")]
    assert to_fts5(q) == '(("china" OR "japan") AND ("digital identity") AND ("or")) NOT ("ipef" OR "carbon capture")'
    assert parse_query("58.9 US$12.5 Japan's").groups == parse_query('"58 9" "us 12 5" "japan s"').groups
    assert not parse_query("- * -japan").groups  # nothing to find
    assert parse_query("japan japan").groups == parse_query("japan").groups


def test_query_size_is_limited():
    parse_query("x" * MAX_QUERY_CHARS)
    parse_query(" ".join(["w"] * MAX_QUERY_WORDS) + " OR OR")
    with pytest.raises(UsageError, match="1,001 characters"):
        parse_query("x" * (MAX_QUERY_CHARS + 1))
    with pytest.raises(UsageError, match="33 words"):
        parse_query('"' + " ".join(["w"] * MAX_QUERY_WORDS) + '" -x')


def test_a_long_query_is_a_usage_error_on_the_command_line(db_url):
    run = aj("search", " ".join(["japan"] * 40))
    assert run.exit_code == 2 and run.error_lines == [
        "aj: error: search: the query has 40 words; at most 32 (words in phrases and exclusions count too)"]
    assert aj("search", "x" * 2000).exit_code == 2


# ---- odd input never reaches a database as an error ----------------------------------------------

HOSTILE = ['"', '"unbalanced', "AND", "OR", "NOT", "-", "*", "a OR", "OR b", "(", ")", "NEAR(a b)", "col:value",
           "title:japan", "'; DROP TABLE claims; --", "^", "\x00", "日本", "%_%", '""', "- -", "a - b", "{}", "\\",
           "\udcff", "a\udcffb", "$1", ":name", "%s", "%(x)s", "?", "'", "''", "\\'", "!!japan", "japan & asean",
           "japan | asean", "japan <-> asean", "japan:*", "japan:A", "e" * 999, "😀", "\u200b", "\ufeff"]


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q)[:30])
def test_hostile_queries_never_fail(session, query):
    hits = hits_or_refusal(session, query)
    assert isinstance(hits, list) or hits.startswith("search: nothing to search for")


@pytest.mark.parametrize("query", ["AND", "'; DROP TABLE claims; --", '"unbalanced', "NEAR(a b)"])
def test_hostile_queries_from_the_command_line(db_url, query):
    run = aj("search", "--format", "json", "--", query)
    assert run.exit_code == 0, run.stderr
    assert isinstance(run.json(), list)


@pytest.mark.parametrize(("query", "message"), [
    ("", "nothing to search for"), ("   ", "nothing to search for"), ("-", "nothing to search for"),
    ("* ( )", "nothing to search for"), ("\\", "nothing to search for"), ("-piracy", "an exclusion alone finds nothing"),
    ('-"carbon capture" -ipef', "an exclusion alone finds nothing"),
])
def test_a_search_with_nothing_to_find_is_a_usage_error(db_url, query, message):
    run = aj("search", "--format", "json", "--", query)
    assert run.exit_code == 2 and run.stdout == ""
    assert len(run.error_lines) == 1 and message in run.error_lines[0]


PIECES = st.sampled_from(["japan", "ASEAN", "OR", "or", "-", '"', "NOT", "AND", "*", "(", ")", ":", "58.9", "Japan's",
                          "well-being", "US$", "12.5", "é", "ß", "Đà", "日本", "the", "-maritime", "security", "'"])
SYNTAX = st.lists(PIECES, max_size=12).flatmap(
    lambda parts: st.lists(st.sampled_from([" ", "", "  "]), min_size=len(parts), max_size=len(parts))
    .map(lambda gaps: "".join(p + g for p, g in zip(parts, gaps))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_text_is_searched_or_refused_as_usage(session, query):
    try:
        assert isinstance(search(session, query), list)
    except UsageError:
        assert len(query) > MAX_QUERY_CHARS or len(query.split()) > MAX_QUERY_WORDS // 4 or not parse_query(query).groups


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SYNTAX)
def test_any_mix_of_the_syntax_gives_the_same_hits_as_fts5(kb, reference, query):
    assert found(kb, query) == found(reference, query)


# ---- PostgreSQL reads words the way FTS5 does --------------------------------------------------

def _migration():
    path = next(migrations_dir().glob("versions/0009_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0009", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fts5_words(texts, tokenizer):
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{tokenizer}')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    db.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", enumerate(texts))
    words = {}
    for term, doc, offset in db.execute("SELECT term, doc, offset FROM v ORDER BY doc, offset"):
        words.setdefault(doc, []).append(term)
    db.close()
    return [words.get(i, []) for i in range(len(texts))]


def test_the_migrations_tables_are_fts5s_folding_and_separators():
    migration = _migration()
    separators = set()
    for item in migration.SEPARATORS.split():
        start, _, end = item.partition("-")
        separators |= set(range(int(start, 16), int(end or start, 16) + 1))
    fold_from, fold_to = migration._folds()
    folds = dict(zip(fold_from, fold_to + "\0" * (len(fold_from) - len(fold_to))))
    codes = [c for c in range(1, 0x10000) if not 0xD800 <= c <= 0xDFFF]
    for code, words in zip(codes, _fts5_words([f"a{chr(code)}b" for code in codes], "unicode61 remove_diacritics 2")):
        if code in separators:
            assert words == ["a", "b"], hex(code)
        else:
            assert words == ["a" + folds.get(chr(code), chr(code)).strip("\0") + "b"], hex(code)


def _vocabulary() -> list[str]:
    from aseanjapan.settings import seed_dir

    words = set()
    for path in seed_dir().rglob("*"):
        if path.is_file():
            words |= set(path.read_text(encoding="utf-8", errors="replace").lower().split())
    base = sorted({w.strip(".,;:()\"'") for w in words if w.isalpha() and len(w) > 2})[:3000]
    endings = ["", "s", "es", "ed", "ing", "ly", "ness", "ation", "ational", "ization", "fulness", "ality", "ment",
               "ous", "ive", "ize", "er", "able", "ible", "al", "ance", "ence", "e", "y", "ies", "bly", "logy"]
    short = [a + b for a in "abcdefghijklmnopqrstuvwxyz0123456789" for b in " abcdeilnorstuy0"]
    return [w + e for w in base for e in endings] + [s.strip() for s in short] + ["x" * 70 + "ing", "1e5", "3e8x"]


def test_postgresql_puts_together_the_words_fts5_puts_together(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's side of the tokenisation")
    words = _vocabulary()
    fts5 = [w[0] if len(w) == 1 else tuple(w) for w in _fts5_words(words, "porter unicode61 remove_diacritics 2")]
    with engine.connect() as conn:
        pg = conn.execute(text("SELECT w, tsvector_to_array(to_tsvector('aj_search', aj_search_text(w))) "
                               "FROM unnest(CAST(:words AS text[])) AS w"), {"words": words}).all()
    groups_fts5, groups_pg = {}, {}
    for word, stem, (_, lexemes) in zip(words, fts5, pg):
        assert len(lexemes) == 1, (word, lexemes)
        groups_fts5.setdefault(stem, set()).add(word)
        groups_pg.setdefault(lexemes[0], set()).add(word)
    assert sorted(map(sorted, groups_fts5.values())) == sorted(map(sorted, groups_pg.values()))


# ---- the command -------------------------------------------------------------------------------

def test_cli_search_output(db_url):
    run = aj("search", "maritime", "--type", "claim", "--limit", "3", "--format", "json")
    hits = run.json()
    assert len(hits) == 3 and all(h["kind"] == "claim" for h in hits)
    assert all("**" in h["snippet"] and 0 < h["score"] <= 1 for h in hits)
    assert run.stderr.strip() == "3 hits (as many as --limit allows; there may be more: raise it)"
    bad = aj("search", "x", "--type", "planet")
    assert bad.exit_code == 2 and bad.error_lines == [
        "aj: error: --type: 'planet' is not a record type; choose one of: claim, statistic, initiative, actor, event, document"
    ]


def test_letters_the_tokenizer_keeps_apart_are_found_by_their_plain_form(db_url, engine, tmp_path):
    bundle = tmp_path / "danang.yaml"
    bundle.write_text(
        "documents:\n  - {slug: danang-note, title: Port note, kind: analysis}\n"
        "claims:\n"
        "  - slug: danang-port\n    text: Japan will help upgrade the port of Đà Nẵng.\n    kind: fact\n"
        "    citations: [{document: danang-note, paragraph: 1}]\n"
        "  - slug: fullwidth-asean\n    text: The ＡＳＥＡＮ ｃｅｎｔｒｅ in Tokyo opened.\n    kind: fact\n"
        "    citations: [{document: danang-note, paragraph: 2}]\n", encoding="utf-8")
    load_files(engine, [bundle])
    with Session(engine) as session:
        for query, slug in (('"Da Nang"', "danang-port"), ("Đà Nẵng", "danang-port"), ("danang OR nang", "danang-port"),
                            ('"ASEAN centre" Tokyo', "fullwidth-asean"), ("ＡＳＥＡＮ centre", "fullwidth-asean"), ("ｐｏｒｔ Japan", "danang-port")):
            assert slug in {h["slug"] for h in search(session, query)}, query
    # the record itself keeps its letters
    assert aj("query", "claims", "--document", "danang-note", "--format", "json").json()[0]["text"].endswith("Đà Nẵng.")
