"""Full-text search across claims, statistics, initiatives, actors, events and documents.

One table, `search_entries`, holds a title and a body of searchable text per record; the
writer keeps it current. SQLite indexes it with an FTS5 external-content table (kept in
sync by triggers); PostgreSQL with a GIN index on a stored tsvector. Both backends read
the same query the same way and give the same hits, scores and snippets:

- One parser (`parse_query`) turns what the user typed into a small `Query`; it is
  rendered to an FTS5 MATCH expression (`to_fts5`) and to a tsquery built from bound
  parameters (`_pg_tsquery`). User text never reaches either query language itself.
- Text is split into words the way FTS5's `porter unicode61 remove_diacritics 2`
  tokenizer does. PostgreSQL matches it through `aj_search_text()` and the `aj_search`
  configuration (migration 0009): FTS5's folding and separators, Porter's stemmer, no
  stop words. The words of a query are cut by FTS5 itself (an in-memory table), so
  the same words reach both backends.
- Ranking is one BM25 formula computed here from counts each backend reports (how
  often each query word occurs in a record's title and body, in how many records it
  occurs, the record's length), normalised to 0..1.
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
  without a term to find finds nothing.
- At most MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words (those in phrases and
  exclusions count too); longer queries are refused as a usage error.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, text

SEARCH_KINDS = ("claim", "statistic", "initiative", "actor", "event", "document")
# What the entries hold (`compose`). Raise it whenever that changes: the next upgrade (and
# the automatic one of the embedded database) then recomputes every entry.
SEARCH_INDEX_VERSION = "1"
MAX_BODY = 400_000  # PostgreSQL refuses tsvectors over 1 MB; keep bodies well under it
HIGHLIGHT = ("\ue000", "\ue001")  # private-use marks around matches, styled when rendered
MAX_QUERY_CHARS = 1_000
MAX_QUERY_WORDS = 32

_RECORD_TABLE = {"claim": "claims", "statistic": "statistics", "initiative": "initiatives",
                 "actor": "actors", "event": "events", "document": "documents"}

# The tokenizer of search_fts (migration 0003): queries are cut into words by it.
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"


# ---- keeping the index current ------------------------------------------------------------

def _join(*parts: Iterable[str | None] | str | None) -> str:
    flat: list[str] = []
    for part in parts:
        if isinstance(part, str):
            flat.append(part)
        elif part is not None:
            flat.extend(p for p in part if p)
    return "\n".join(flat)[:MAX_BODY]


# Letters FTS5's unicode61 tokenizer (and so aj_search_text on PostgreSQL) keeps apart from
# the Latin letters a reader types: remove_diacritics folds combining marks only, so "Đà Nẵng"
# would never be found by "Da Nang", nor full-width "ＡＳＥＡＮ" by "ASEAN". An entry whose
# text has such letters also holds its folded lines. Queries are folded for full-width forms
# only: "Đà" still matches the record's own words, so its snippet quotes the record.
FULL_WIDTH_FOLDS = str.maketrans({"\u3000": " ", **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}})
LETTER_FOLDS = str.maketrans({
    "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Ħ": "H", "ħ": "h", "Æ": "AE", "æ": "ae",
    "Œ": "OE", "œ": "oe", "ß": "ss", "Þ": "Th", "þ": "th", "ı": "i",
}) | FULL_WIDTH_FOLDS


def _with_folded_lines(title: str, body: str) -> str:
    """The body, followed by the folded form of each line of title and body that folding changes."""
    changed = [folded for line in (title + "\n" + body).split("\n")
               if line and (folded := line.translate(LETTER_FOLDS)) != line]
    return _join(body, changed) if changed else body


def compose(kind: str, f: dict[str, Any]) -> tuple[str, str]:
    """The (title, body) a record is found by: its own words, names and aliases (and their
    folded lines, see LETTER_FOLDS). Policy areas are left out (`--area` filters by them):
    with them, a word like "security" would match every record tagged with it and drown the
    records that actually discuss it. The one place these rules live: used for rows read
    from the database and for records a load has in memory."""
    title, body = _compose(kind, f)
    return title, _with_folded_lines(title, body)


def _compose(kind: str, f: dict[str, Any]) -> tuple[str, str]:
    if kind == "statistic":
        from .queries import format_value

        figure = format_value(f["value"], f["unit"], f["approximation"], f.get("value_high"))
        subject = f.get("subject_name")
        return (f"{f['metric_name']}: {subject + ' ' if subject else ''}{figure}",
                _join(f.get("description"), f.get("population"), f.get("reported")))
    if kind == "document":
        return f["title"], _join(f.get("summary"), f.get("notes"), f.get("text"))
    if kind == "claim":
        return f["text"], ""
    if kind == "initiative":
        title = f["name"] + (f" ({f['acronym']})" if f.get("acronym") else "")
        return title, _join(f.get("description"), f.get("aliases"))
    if kind == "actor":
        return f["name"], _join(f.get("description"), f.get("aliases"))
    return f["title"], _join(f.get("description"))  # event


def _entries(conn: Connection, t: Mapping[str, Table], kind: str, ids: list[int]) -> list[dict[str, Any]]:
    """Search entries of stored records, read from the database."""
    table = t[_RECORD_TABLE[kind]]
    aliases: dict[int, list[str]] = {}
    if kind in ("actor", "initiative") and "names" in t:
        names = t["names"]
        for owner, name in conn.execute(select(names.c[f"{kind}_id"], names.c.name).where(names.c[f"{kind}_id"].in_(ids))):
            aliases.setdefault(owner, []).append(name)
    query = select(table).where(table.c.id.in_(ids))
    reported: dict[int, list[str]] = {}
    if kind == "statistic":
        metrics, actors, citations = t["metrics"], t["actors"], t["citations"]
        query = (select(table, metrics.c.name.label("metric_name"), actors.c.name.label("subject_name"))
                 .join(metrics, metrics.c.id == table.c.metric_id)
                 .outerjoin(actors, actors.c.id == table.c.subject_id).where(table.c.id.in_(ids)))
        for owner, wording in conn.execute(
            select(citations.c.statistic_id, citations.c.reported_as).where(citations.c.statistic_id.in_(ids))
        ):
            reported.setdefault(owner, []).append(wording)
    out = []
    for r in conn.execute(query):
        fields = {**r._mapping, "aliases": aliases.get(r.id), "reported": reported.get(r.id)}
        title, body = compose(kind, fields)
        out.append({"record_id": r.id, "slug": r.slug, "title": title, "body": body})
    return out


def index_records(conn: Connection, tables: Mapping[str, Table], kind: str, ids: Iterable[int]) -> None:
    """Replace the search entries of these records with ones computed from the database."""
    if "search_entries" not in tables:
        return  # a migration older than the search index
    entries = tables["search_entries"]
    ids = sorted(set(ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(entries.delete().where(entries.c.kind == kind, entries.c.record_id.in_(chunk)))
        rows = [{**row, "kind": kind} for row in _entries(conn, tables, kind, chunk)]
        if rows:
            conn.execute(entries.insert(), rows)


@contextmanager
def indexed_at_end(conn: Connection) -> Iterator[None]:
    """On SQLite, index the search entries inserted inside this block with one statement at
    its end instead of one trigger call per row: a bulk load of new records runs ~30% faster
    (bench/analysis.md). Only for inserts: the block must not update or delete entries (the
    delete trigger would remove words of a row FTS5 has not indexed yet).

    The trigger is dropped and recreated inside the caller's transaction (DDL is
    transactional in SQLite), so a rollback, to a savepoint or of everything, brings it
    back; outside a transaction the triggers are left to do the work. On an error the
    index is completed too, so a caller that commits anyway still has a consistent index."""
    if conn.dialect.name != "sqlite" or not conn.connection.dbapi_connection.in_transaction:
        yield
        return
    trigger = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'search_entries_ai'").scalar()
    if trigger is None:  # a migration older than the search index
        yield
        return
    before = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM search_entries").scalar_one()
    conn.exec_driver_sql("DROP TRIGGER search_entries_ai")

    def finish() -> None:
        conn.exec_driver_sql("INSERT INTO search_fts(rowid, title, body) "
                             "SELECT id, title, body FROM search_entries WHERE id > ?", (before,))
        conn.exec_driver_sql(trigger)

    try:
        yield
    except BaseException:
        with suppress(Exception):  # the error that got us here is the one to report
            finish()
        raise
    finish()


def rebuild(conn: Connection, tables: Mapping[str, Table]) -> int:
    """Recompute every search entry; returns how many there are."""
    if "search_entries" not in tables:
        return 0
    conn.execute(tables["search_entries"].delete())
    total = 0
    for kind in SEARCH_KINDS:
        table = tables[_RECORD_TABLE[kind]]
        ids = list(conn.execute(select(table.c.id)).scalars())
        index_records(conn, tables, kind, ids)
        total += len(ids)
    return total


# ---- reading user queries -------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A word or a phrase: FTS5's words (folded, unstemmed) that must appear in this order."""

    words: tuple[str, ...]
    stems: tuple[str, ...]

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
_OR_WORD = Term(("or",), ("or",))  # FTS5 does not stem words of two characters


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
    count = sum(len(w) for (_, item_text, quoted), (w, _) in zip(items, words) if quoted or item_text.lower() != _OR)
    if count > MAX_QUERY_WORDS:
        raise UsageError(f"search: the query has {count} words; at most {MAX_QUERY_WORDS} "
                         "(words in phrases and exclusions count too)")
    # Terms in order, an OR between two terms of the query marked; a term without words is dropped.
    sequence: list[tuple[bool, Term] | None] = []  # None: an OR
    for (excluded, item_text, quoted), (item_words, item_stems) in zip(items, words):
        if not quoted and not excluded and item_text.lower() == _OR:
            sequence.append(None)
        elif item_words:
            sequence.append((excluded, Term(item_words, item_stems)))
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


def _words(texts: Sequence[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """FTS5's words of each text, as (folded words, their Porter stems): FTS5 itself cuts
    them, in a scratch in-memory database, so they are exactly what search_fts holds."""
    if not texts:
        return []
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("CREATE VIRTUAL TABLE plain USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
        db.execute(f"CREATE VIRTUAL TABLE stemmed USING fts5(t, tokenize='{FTS5_TOKENIZER}')")
        for table in ("plain", "stemmed"):
            db.execute(f"CREATE VIRTUAL TABLE {table}_words USING fts5vocab({table}, instance)")
            db.executemany(f"INSERT INTO {table}(rowid, t) VALUES (?, ?)", enumerate(texts))
        found: dict[str, dict[int, dict[int, str]]] = {"plain": {}, "stemmed": {}}
        for table, bucket in found.items():
            for term, doc, offset in db.execute(f"SELECT term, doc, offset FROM {table}_words"):
                bucket.setdefault(doc, {})[offset] = term
    out = []
    for index in range(len(texts)):
        plain, stemmed = found["plain"].get(index, {}), found["stemmed"].get(index, {})
        offsets = sorted(plain)
        out.append((tuple(plain[o] for o in offsets), tuple(stemmed.get(o, plain[o]) for o in offsets)))
    return out


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
    """Ranked hits: kind, slug, title, a snippet with the matches marked, and a score
    (0..1 relative to the best hit, higher is better). The same hits, and snippets, on
    SQLite and PostgreSQL."""
    from .errors import UsageError

    # "claims" or "Claim" as well as "claim", as `aj query` names the kinds
    folded = [k.strip().lower().removesuffix("s") for k in kinds or []]
    kinds = [f if f in SEARCH_KINDS else k for f, k in zip(folded, kinds or [])]
    unknown = [k for k in kinds if k not in SEARCH_KINDS]
    if unknown:
        raise UsageError(f"--kind: cannot search {', '.join(unknown)}; choose from {', '.join(SEARCH_KINDS)}")
    parsed = parse_query(query.translate(FULL_WIDTH_FOLDS))
    if not parsed.groups:
        return []
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
    return _dress(session, searched, hits)


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


def _dress(session: Any, query: Query, ranked: list[_Hit]) -> list[dict[str, Any]]:
    """The hits with their titles and snippets, marked by FTS5's highlight() and snippet()
    over a scratch table of just these records: the same on both backends."""
    if not ranked:
        return []
    match = to_fts5(query)
    open_, close = HIGHLIGHT
    hits = []
    with closing(sqlite3.connect(":memory:")) as scratch:
        scratch.execute(f"CREATE VIRTUAL TABLE hit USING fts5(title, body, tokenize='{FTS5_TOKENIZER}')")
        for start in range(0, len(ranked), 200):
            chunk = ranked[start : start + 200]
            stored = {r.id: (r.title, r.body) for r in session.execute(
                text("SELECT id, title, body FROM search_entries WHERE id IN :ids")
                .bindparams(bindparam("ids", expanding=True)), {"ids": [hit.id for hit in chunk]})}
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
    return hits


HIT_FIELDS = ("kind", "slug", "title", "snippet", "score")  # a CSV header, even with no hits


def _shape(kind: str, slug: str, title: str, title_marked: str, body_snippet: str, score: float) -> dict[str, Any]:
    # The title when the match is there (claims are their own title), else the body's excerpt.
    open_, _ = HIGHLIGHT
    snippet = title_marked if open_ in (title_marked or "") or open_ not in (body_snippet or "") else body_snippet
    return {"kind": kind, "slug": slug, "title": title, "snippet": " ".join((snippet or "").split()),
            "score": float(f"{float(score):.4g}")}
