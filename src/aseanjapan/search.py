"""Full-text search across claims, statistics, initiatives, actors, events and documents:
answering queries over the index that search_index.py keeps (`search_entries`, with FTS5
on SQLite and a tsvector on PostgreSQL). Both backends read the same query the same way
and give the same hits and snippets:

- One parser (`parse_query`) turns what the user typed into a small `Query`; it is
  rendered to an FTS5 MATCH expression (`to_fts5`) and to a tsquery built from bound
  parameters (`_pg_tsquery`). User text never reaches either query language itself.
- Text is split into words the way FTS5's `porter unicode61 remove_diacritics 2`
  tokenizer does. PostgreSQL matches it through `aj_search_text()` and the `aj_search`
  configuration (migration 0009): FTS5's folding and separators, Porter's stemmer, no
  stop words. The words of a query are cut by FTS5 itself (an in-memory table), so
  the same words reach both backends.
- Ranking is each database's own relevance, mapped to 0..1 (see `_rank_sqlite`).
- Snippets are made by FTS5's highlight() and snippet() over the top hits, on both.

Query syntax (`aj search --help` says the same):

- `word`: records containing the word, in any of its forms (Porter stem), any case,
  accents ignored, letters the tokenizer keeps apart folded (Đ as D: LETTER_FOLDS). Every word must match (AND); `AND` itself is just a word.
- `"a phrase"`: those words, adjacent, in that order. An unclosed quote runs to the end.
- `a OR b`: either; OR in any case, between two terms, binds tighter than AND:
  `japan OR china trade` is (japan or china) and trade. Elsewhere `or` is a word.
- `-word`, `-"a phrase"`: no record containing it, whatever the rest of the query.
- Everything else is literal: `NOT`, `NEAR`, `*`, `:`, parentheses are words or
  punctuation. Punctuation inside a term splits it into words that must be adjacent,
  in order: `58.9` finds "58.9" (58 then 9), `US$12.5` finds "US$12.5", `Japan's`
  finds "Japan's" (not a plain "Japan"), `well-being` finds "well-being" and
  "well being". A term without letters or digits (`-`, `*`) is ignored; a query
  without a term to find (empty, or exclusions alone) is refused as a usage error.
- At most MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words (those in phrases and
  exclusions count too); longer queries are refused as a usage error.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text

from .batching import slices
from .kinds import SEARCHED
from .search_index import FTS5_TOKENIZER, FULL_WIDTH_FOLDS

HIGHLIGHT = ("\ue000", "\ue001")  # private-use marks around matches, styled when rendered
MAX_QUERY_CHARS = 1_000
MAX_QUERY_WORDS = 32
SEARCH_KINDS = tuple(kind.name for kind in SEARCHED)


# ---- reading user queries -------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A word or a phrase: FTS5's words (folded, unstemmed) that must appear in this order."""

    words: tuple[str, ...]

    @property
    def phrase(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Query:
    """Every group must match (one of its terms is enough); no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


_ITEM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_OR = "or"
_OR_WORD = Term(("or",))


def parse_query(query: str) -> Query:
    """The user's web-search syntax as a `Query` (empty groups: nothing can match).
    Raises UsageError for a query over MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words."""
    from .errors import UsageError

    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(f"search: the query has {len(query):,} characters; at most {MAX_QUERY_CHARS:,} are read")
    query = query.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate from the shell: not text
    items: list[tuple[bool, str, bool]] = []  # (excluded, text, written as a phrase)
    for match in _ITEM.finditer(query):
        excluded, quoted, bare = match.group(1) == "-", match.group(2), match.group(3)
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            excluded, bare = True, bare[1:]
        items.append((excluded, quoted if quoted is not None else bare, quoted is not None))
    words = _words([item_text for _, item_text, _ in items])
    count = sum(len(w) for (_, item_text, quoted), w in zip(items, words) if quoted or item_text.lower() != _OR)
    if count > MAX_QUERY_WORDS:
        raise UsageError(f"search: the query has {count} words; at most {MAX_QUERY_WORDS} "
                         "(words in phrases and exclusions count too)")
    # Terms in order, an OR between two terms of the query marked; a term without words is dropped.
    sequence: list[tuple[bool, Term] | None] = []  # None: an OR
    for (excluded, item_text, quoted), item_words in zip(items, words):
        if not quoted and not excluded and item_text.lower() == _OR:
            sequence.append(None)
        elif item_words:
            sequence.append((excluded, Term(item_words)))
    groups: list[list[Term]] = []
    excluded_terms: list[Term] = []
    joined = False  # the previous item was an OR that joins the next term to the last group
    for index, item in enumerate(sequence):
        if item is None:
            before = sequence[index - 1] if index else None
            after = next((x for x in sequence[index + 1:] if x is not None), None)
            if joined or (before is not None and not before[0] and after is not None and not after[0]):
                joined = True  # OR between two terms (a run of ORs counts as one)
                continue
            item = (False, _OR_WORD)  # anywhere else, OR is the word "or"
        excluded, term = item
        if excluded:
            excluded_terms.append(term)
        elif joined and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        joined = False
    # A repeated term or group changes nothing (and costs PostgreSQL dearly): once each.
    unique_groups = {tuple(sorted(_unique(g), key=lambda t: t.words)): None for g in groups}
    return Query(tuple(unique_groups), tuple(_unique(excluded_terms)))


def _unique(terms: Iterable[Term]) -> list[Term]:
    seen: dict[tuple[str, ...], Term] = {}
    for term in terms:
        seen.setdefault(term.words, term)
    return list(seen.values())


def _words(texts: Sequence[str], tokenizer: str = "unicode61 remove_diacritics 2") -> list[tuple[str, ...]]:
    """FTS5's words of each text, in order (folded; Porter stems with FTS5_TOKENIZER): FTS5
    itself cuts them, in a scratch in-memory database, so they are exactly what search_fts
    holds."""
    if not texts:
        return []
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute(f"CREATE VIRTUAL TABLE words USING fts5(t, tokenize='{tokenizer}')")
        db.execute("CREATE VIRTUAL TABLE listed USING fts5vocab(words, instance)")
        db.executemany("INSERT INTO words(rowid, t) VALUES (?, ?)", enumerate(texts))
        found: dict[int, dict[int, str]] = {}
        for term, doc, offset in db.execute("SELECT term, doc, offset FROM listed"):
            found.setdefault(doc, {})[offset] = term
    return [tuple(word for _, word in sorted(found.get(index, {}).items())) for index in range(len(texts))]


def to_fts5(query: Query) -> str | None:
    """The FTS5 MATCH expression of a query, or None when nothing can match. Every term
    is a quoted FTS5 string of FTS5's own words (which never contain a quote)."""
    if not query.groups:
        return None
    def phrase(term: Term) -> str:
        return '"' + term.phrase + '"'
    expression = " AND ".join("(" + " OR ".join(phrase(t) for t in group) + ")" for group in query.groups)
    if query.excluded:
        expression = f"({expression}) NOT (" + " OR ".join(phrase(t) for t in query.excluded) + ")"
    return expression


def _pg_tsquery(query: Query, params: dict[str, Any]) -> str:
    """SQL for the tsquery of a query: one phraseto_tsquery() per term over a bound
    parameter holding the term's words; the parameters are added to `params`."""
    def term_sql(term: Term) -> str:
        name = f"t{len(params)}"
        params[name] = term.phrase
        return f"phraseto_tsquery('aj_search', aj_search_text(:{name}))"
    expression = " && ".join("(" + " || ".join(term_sql(t) for t in group) + ")" for group in query.groups)
    if query.excluded:
        expression = f"({expression}) && !!(" + " || ".join(term_sql(t) for t in query.excluded) + ")"
    return expression


# ---- searching ------------------------------------------------------------------------------

# In SQLite's BM25, a word in the title weighs as much as this many in the body.
TITLE_WEIGHT = 4


@dataclass(frozen=True)
class _Hit:
    id: int
    kind: str
    slug: str
    score: float


def search(session: Any, query: str, kinds: list[str] | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Ranked hits of the record types `kinds` (all by default): kind (the record type),
    slug, title, a snippet with the matches marked, a score (0..1 relative to the best
    hit, higher is better), cited_by and sources. The same hits, and snippets, on SQLite
    and PostgreSQL. A query with nothing to find is a UsageError."""
    from .errors import UsageError
    from .kinds import record_type

    # "claims" or "Claim" as well as "claim", as `aj query` names the types
    kinds = [record_type(k, SEARCH_KINDS, label="--type") for k in kinds or []]
    parsed = parse_query(query.translate(FULL_WIDTH_FOLDS))
    if not parsed.groups:
        raise UsageError("search: an exclusion alone finds nothing; give a word or phrase to find as well"
                         if parsed.excluded else "search: nothing to search for; give a word or \"a phrase\"")
    kinds = list(kinds or SEARCH_KINDS)
    dialect = (session.dialect if hasattr(session, "dialect") else session.get_bind().dialect).name
    ranked = (_rank_sqlite if dialect == "sqlite" else _rank_postgresql)(session, parsed, kinds, limit)
    if ranked is None:
        return []
    searched, hits = ranked
    # Relative to the best hit (1): a raw relevance of a word found nearly everywhere is a
    # few millionths, which tells a reader nothing.
    best = max((hit.score for hit in hits), default=0)
    if best > 0:
        hits = [_Hit(hit.id, hit.kind, hit.slug, hit.score / best) for hit in hits]
    return _hit_rows(session, searched, hits)


# Ranking is each database's own relevance, computed by the database over its index so
# only the top hits come back: BM25 on SQLite (a title word weighing TITLE_WEIGHT body
# words), cover density on PostgreSQL (title words weigh more too). Both are mapped to
# 0..1, higher is better. The hits are the same on both backends; the order of hits of
# similar relevance can differ. (Computing one formula from counts on both was tried:
# identical order, but 5-20 times slower, far from the 20-30 ms a search should take at a
# million records: bench/analysis.md.)

def _rank_sqlite(session: Any, query: Query, kinds: list[str], limit: int) -> tuple[Query, list[_Hit]]:
    weights = f"{float(TITLE_WEIGHT)}, 1.0"
    params: dict[str, Any] = {"match": to_fts5(query), "kinds": kinds, "limit": limit}
    if set(kinds) == set(SEARCH_KINDS):
        # Rank the matches alone (no join): cheap even for many thousands of matches.
        ranked = session.execute(text(
            f"SELECT rowid, bm25(search_fts, {weights}) AS r FROM search_fts WHERE search_fts MATCH :match "
            f"ORDER BY r, rowid LIMIT :limit"), params).all()
    else:
        ranked = session.execute(text(
            f"SELECT e.id, bm25(search_fts, {weights}) AS r FROM search_fts JOIN search_entries e "
            "ON e.id = search_fts.rowid WHERE search_fts MATCH :match AND e.kind IN :kinds "
            "ORDER BY r, e.id LIMIT :limit").bindparams(bindparam("kinds", expanding=True)), params).all()
    if not ranked:
        return query, []
    named = dict((row[0], row[1:]) for row in session.execute(
        text("SELECT id, kind, slug FROM search_entries WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"ids": [id_ for id_, _ in ranked]}))
    # bm25() is negative, lower is better: -r / (1 - r) maps it to 0..1, higher is better.
    return query, [_Hit(id_, *named[id_], -r / (1 - r)) for id_, r in ranked]


def _rank_postgresql(session: Any, query: Query, kinds: list[str], limit: int) -> tuple[Query, list[_Hit]] | None:
    # PostgreSQL's lexemes of each word. A word has none where PostgreSQL's parser drops
    # characters that FTS5 keeps in words (², ½, private-use characters): a term without
    # any lexeme is left out, as PostgreSQL cannot find it.
    words = sorted({w for term in (*query.terms(), *query.excluded) for w in term.words})
    lexemes = dict(session.execute(text(
        "SELECT w, tsvector_to_array(to_tsvector('aj_search', aj_search_text(w))) "
        "FROM unnest(CAST(:words AS text[])) AS w"), {"words": words}).all())

    def searchable(term: Term) -> bool:
        return any(lexemes[w] for w in term.words)
    groups = tuple(tuple(t for t in group if searchable(t)) for group in query.groups)
    if not all(groups):
        return None
    query = Query(groups, tuple(t for t in query.excluded if searchable(t)))
    params: dict[str, Any] = {"limit": limit}
    tsquery = _pg_tsquery(query, params)
    # Every kind asked for: no kind condition, which the planner would otherwise meet by
    # scanning the kind index for every entry and intersecting it with the matches.
    every_kind = set(kinds) >= set(SEARCH_KINDS)
    # The tsquery inline (not from a joined CTE), so the planner sees it and uses the GIN index;
    # normalisation 32 maps the rank to rank / (rank + 1): 0..1.
    sql = text(
        f"SELECT id, kind, slug, ts_rank_cd(search_vector, {tsquery}, 32) AS score FROM search_entries "
        f"WHERE search_vector @@ ({tsquery}) " + ("" if every_kind else "AND kind IN :kinds ") +
        'ORDER BY score DESC, kind COLLATE "C", slug COLLATE "C" LIMIT :limit'
    )
    if not every_kind:
        params["kinds"] = kinds
        sql = sql.bindparams(bindparam("kinds", expanding=True))
    return query, [_Hit(*row) for row in session.execute(sql, params)]


def _hit_rows(session: Any, query: Query, ranked: list[_Hit]) -> list[dict[str, Any]]:
    """The hits with their titles and snippets, marked by FTS5's highlight() and snippet()
    over a scratch table of just these records: the same on both backends."""
    if not ranked:
        return []
    from .queries import cited_by

    match = to_fts5(query)
    open_, close = HIGHLIGHT
    hits = []
    records: dict[int, int] = {}  # entry id -> record id
    with closing(sqlite3.connect(":memory:")) as scratch:
        scratch.execute(f"CREATE VIRTUAL TABLE hit USING fts5(title, body, tokenize='{FTS5_TOKENIZER}')")
        for chunk in slices(ranked, 200):
            stored = {}
            for r in session.execute(text("SELECT id, record_id, title, body FROM search_entries WHERE id IN :ids")
                                     .bindparams(bindparam("ids", expanding=True)), {"ids": [hit.id for hit in chunk]}):
                stored[r.id] = (r.title, r.body)
                records[r.id] = r.record_id
            scratch.execute("DELETE FROM hit")
            scratch.executemany("INSERT INTO hit(rowid, title, body) VALUES (?, ?, ?)",
                                [(i, *stored[hit.id]) for i, hit in enumerate(chunk)])
            marked = {row[0]: row[1:] for row in scratch.execute(
                f"SELECT rowid, highlight(hit, 0, ?, ?), snippet(hit, 1, ?, ?, ' … ', 16) FROM hit WHERE hit MATCH ?",
                (open_, close, open_, close, match))}
            for i, hit in enumerate(chunk):
                title, _ = stored[hit.id]
                title_marked, body_snippet = marked.get(i, (title, ""))
                hits.append(_shape(hit.kind, hit.slug, title, title_marked, body_snippet, hit.score))
    # Each hit with the documents that report it, as every listing gives them.
    for kind in {hit.kind for hit in ranked}:
        ids = [records[hit.id] for hit in ranked if hit.kind == kind]
        sources: dict[int, list[str]] = {}
        cited = cited_by(session, kind, ids, sources)
        for hit, shaped in zip(ranked, hits):
            if hit.kind == kind:
                shaped["cited_by"], shaped["sources"] = cited[records[hit.id]], sources.get(records[hit.id], [])
    return hits


def areas_named(session: Any, query: str) -> list[dict[str, Any]]:
    """Policy areas the query names ("digital cooperation" -> digital, "maritime security" ->
    maritime-security: every word of the area's slug or name is in the query; the most
    specific ones), with how many records are filed under each. Search leaves areas out of
    its entries (see `compose`): a reader after everything on a topic is better served by
    `aj show area`."""
    from .queries import Filters, areas, count_area_records

    terms = parse_query(query.translate(FULL_WIDTH_FOLDS)).terms()
    if not terms:
        return []
    rows = areas(session, Filters(), counted=False)
    # One tokenizer pass for the query's terms, the slugs and the names (each opens a scratch database).
    phrases = [term.phrase for term in terms]
    words = _words(phrases + [row["slug"].replace("-", " ") for row in rows] + [row["name"] for row in rows],
                   FTS5_TOKENIZER)
    wanted = {stem for stems in words[:len(phrases)] for stem in stems}
    slugs, names = words[len(phrases):len(phrases) + len(rows)], words[len(phrases) + len(rows):]
    named = [row for row, a, b in zip(rows, slugs, names) if set(a) <= wanted or set(b) <= wanted]
    parents = {row["parent"] for row in named}
    return count_area_records(session, [row for row in named if row["slug"] not in parents])


HIT_FIELDS = ("kind", "slug", "title", "snippet", "score", "cited_by", "sources")  # a CSV header, even with no hits


def _shape(kind: str, slug: str, title: str, title_marked: str, body_snippet: str, score: float) -> dict[str, Any]:
    # The title when the match is there (claims are their own title), else the body's excerpt.
    open_, _ = HIGHLIGHT
    snippet = title_marked if open_ in (title_marked or "") or open_ not in (body_snippet or "") else body_snippet
    return {"kind": kind, "slug": slug, "title": title, "snippet": " ".join((snippet or "").split()),
            "score": float(f"{float(score):.4g}")}
