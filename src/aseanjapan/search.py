"""Full-text search across claims, statistics, initiatives, actors, events and documents.

One table, `search_entries`, holds a title and a body of searchable text per record; the
writer keeps it current. SQLite indexes it with an FTS5 external-content table (kept in
sync by triggers); PostgreSQL with a GIN index on its weighted tsvector. Users write
web-search syntax (words, "phrases", OR, -exclusion): PostgreSQL reads that natively
with websearch_to_tsquery; for FTS5 it is translated, so no input can reach FTS5's own
query language and fail there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, text

SEARCH_KINDS = ("claim", "statistic", "initiative", "actor", "event", "document")
MAX_BODY = 400_000  # PostgreSQL refuses tsvectors over 1 MB; keep bodies well under it
HIGHLIGHT = ("\ue000", "\ue001")  # private-use marks around matches, styled when rendered

_RECORD_TABLE = {"claim": "claims", "statistic": "statistics", "initiative": "initiatives",
                 "actor": "actors", "event": "events", "document": "documents"}

PG_VECTOR = ("setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
             "setweight(to_tsvector('english', coalesce(body, '')), 'B')")


# ---- keeping the index current ------------------------------------------------------------

def _join(*parts: Iterable[str | None] | str | None) -> str:
    flat: list[str] = []
    for part in parts:
        if isinstance(part, str):
            flat.append(part)
        elif part is not None:
            flat.extend(p for p in part if p)
    return "\n".join(flat)[:MAX_BODY]


def compose(kind: str, f: dict[str, Any]) -> tuple[str, str]:
    """The (title, body) a record is found by: its own words, names and aliases. Policy areas
    are left out (`--area` filters by them): with them, a word like "security" would match
    every record tagged with it and drown the records that actually discuss it.
    The one place these rules live: used for rows read from the database and for records
    a load has in memory."""
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

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD_CHARS = re.compile(r"[\w]+", re.UNICODE)


def parse_query(query: str) -> list[list[tuple[bool, str]]]:
    """Web-search syntax as OR-groups of (negated, phrase) terms; every term is plain words."""
    groups: list[list[tuple[bool, str]]] = [[]]
    for match in _TOKEN.finditer(query):
        negated, quoted, bare = match.group(1) == "-", match.group(2), match.group(3)
        if bare is not None and bare == "OR":
            if groups[-1]:
                groups.append([])
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = True, bare[1:]
        words = _WORD_CHARS.findall(quoted if quoted is not None else bare or "")
        if words:
            groups[-1].append((negated, " ".join(words)))
    return [g for g in groups if any(not neg for neg, _ in g)]


def to_fts5(query: str) -> str | None:
    """The FTS5 MATCH expression for a web-search query, or None when nothing can match."""
    clauses = []
    for group in parse_query(query):
        positive = " AND ".join(f'"{term}"' for neg, term in group if not neg)
        negative = "".join(f' NOT "{term}"' for neg, term in group if neg)
        clauses.append(f"({positive}{negative})")
    return " OR ".join(clauses) or None


def to_websearch(query: str) -> str:
    """The query rebuilt from its parsed terms, so PostgreSQL reads exactly what FTS5 reads."""
    groups = []
    for group in parse_query(query):
        groups.append(" ".join(("-" if neg else "") + (f'"{term}"' if " " in term else term) for neg, term in group))
    return " OR ".join(groups)


# ---- searching ------------------------------------------------------------------------------

def search(session: Any, query: str, kinds: list[str] | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Ranked hits: kind, slug, title, a snippet with the matches marked, and a score."""
    from .errors import UsageError

    unknown = [k for k in kinds or [] if k not in SEARCH_KINDS]
    if unknown:
        raise UsageError(f"--kind: cannot search {', '.join(unknown)}; choose from {', '.join(SEARCH_KINDS)}")
    if not parse_query(query):
        return []
    kinds = list(kinds or SEARCH_KINDS)
    dialect = (session.dialect if hasattr(session, "dialect") else session.get_bind().dialect).name
    if dialect == "sqlite":
        return _search_sqlite(session, query, kinds, limit)
    return _search_postgresql(session, query, kinds, limit)


def _search_sqlite(session: Any, query: str, kinds: list[str], limit: int) -> list[dict[str, Any]]:
    match = to_fts5(query)
    if match is None:
        return []
    # First rank the matches alone (no join, no snippets: cheap even for many thousands of
    # matches), then dress only the top few with their record and highlighted excerpts.
    if set(kinds) == set(SEARCH_KINDS):
        rank = text("SELECT rowid AS id, -bm25(search_fts, 4.0, 1.0) AS score FROM search_fts "
                    "WHERE search_fts MATCH :match ORDER BY bm25(search_fts, 4.0, 1.0), rowid LIMIT :limit")
    else:
        rank = text("SELECT e.id AS id, -bm25(search_fts, 4.0, 1.0) AS score FROM search_fts "
                    "JOIN search_entries e ON e.id = search_fts.rowid WHERE search_fts MATCH :match AND e.kind IN :kinds "
                    "ORDER BY bm25(search_fts, 4.0, 1.0), e.id LIMIT :limit").bindparams(bindparam("kinds", expanding=True))
    top = session.execute(rank, {"match": match, "kinds": kinds, "limit": limit}).all()
    open_, close = HIGHLIGHT
    dress = text(
        "SELECT e.kind, e.slug, e.title, "
        f"snippet(search_fts, 1, '{open_}', '{close}', ' … ', 16) AS body_snippet, "
        f"highlight(search_fts, 0, '{open_}', '{close}') AS title_marked "
        "FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid "
        "WHERE search_fts MATCH :match AND search_fts.rowid = :id"
    )
    hits = []
    for hit in top:
        r = session.execute(dress, {"match": match, "id": hit.id}).one()
        hits.append(_shape(r.kind, r.slug, r.title, r.title_marked, r.body_snippet, hit.score))
    return hits


def _search_postgresql(session: Any, query: str, kinds: list[str], limit: int) -> list[dict[str, Any]]:
    open_, close = HIGHLIGHT
    options = f"StartSel={open_}, StopSel={close}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=\" … \""
    sql = text(
        "WITH q AS (SELECT websearch_to_tsquery('english', :query) AS tsq), "
        "hits AS (SELECT e.id, e.kind, e.slug, e.title, e.body, "
        "ts_rank_cd(e.search_vector, q.tsq) AS score FROM search_entries e, q "
        "WHERE e.search_vector @@ q.tsq AND e.kind IN :kinds ORDER BY score DESC, e.kind, e.slug LIMIT :limit) "
        "SELECT hits.kind, hits.slug, hits.title, hits.score, "
        "ts_headline('english', hits.title, q.tsq, :options) AS title_marked, "
        "CASE WHEN hits.body = '' THEN '' ELSE ts_headline('english', hits.body, q.tsq, :options) END AS body_snippet "
        "FROM hits, q ORDER BY hits.score DESC, hits.kind, hits.slug"
    ).bindparams(bindparam("kinds", expanding=True))
    params = {"query": to_websearch(query), "kinds": kinds, "limit": limit, "options": options}
    rows = session.execute(sql, params).all()
    return [_shape(r.kind, r.slug, r.title, r.title_marked, r.body_snippet, r.score) for r in rows]


def _shape(kind: str, slug: str, title: str, title_marked: str, body_snippet: str, score: float) -> dict[str, Any]:
    # The title when the match is there (claims are their own title), else the body's excerpt.
    open_, _ = HIGHLIGHT
    snippet = title_marked if open_ in (title_marked or "") or open_ not in (body_snippet or "") else body_snippet
    return {"kind": kind, "slug": slug, "title": title, "snippet": " ".join((snippet or "").split()),
            "score": round(float(score), 4)}
