"""Keeping the search index: what each record is found by, and writing it.

One table, `search_entries`, holds a title and a body of searchable text per record; the
writer keeps it current through `index_records` (and `indexed_at_end` for bulk loads),
and `rebuild` recomputes it whole when SEARCH_INDEX_VERSION changes. SQLite indexes it
with an FTS5 external-content table (kept in sync by triggers); PostgreSQL with a GIN
index on a stored tsvector. Answering queries over it is search.py's part.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Connection, Table, select

from . import kinds
from .batching import slices

# What the entries hold (`compose`). Raise it whenever that changes: the next upgrade (and
# the automatic one of the embedded database) then recomputes every entry.
# 2: statistics hold their metric's other names, description and origin;
# 3: a record is indexed up to MAX_INDEXED_BYTES.
SEARCH_INDEX_VERSION = "3"
MAX_BODY = 400_000  # characters of a body kept while composing it (see MAX_INDEXED_BYTES)
# PostgreSQL refuses a tsvector whose lexemes and positions take over 1 MB (1,048,575
# bytes: "string is too long for tsvector"). A token costs it at most about twice its bytes
# in the text (a 3-byte word: 4 bytes aligned, 2 for its count of positions, 2 per
# position), so each record's title and body together are indexed up to this many bytes of
# UTF-8, on both backends alike: a longer text is found by its first 400 kB.
MAX_INDEXED_BYTES = 400_000

# The tokenizer of search_fts (migration 0003): queries are cut into words by it.
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"


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


def compose(kind: str, fields: dict[str, Any]) -> tuple[str, str]:
    """The (title, body) a record is found by: its own words, names and aliases (and their
    folded lines, see LETTER_FOLDS). Policy areas are left out (`--area` filters by them):
    with them, a word like "security" would match every record tagged with it and drown the
    records that actually discuss it. The one place these rules live: used for rows read
    from the database and for records a load has in memory."""
    title, body = _compose(kind, fields)
    title = _clip_utf8(title, MAX_INDEXED_BYTES)
    body = _with_folded_lines(title, body)
    return title, _clip_utf8(body, MAX_INDEXED_BYTES - len(title.encode("utf-8")))


def _clip_utf8(text: str, limit: int) -> str:
    """The longest start of `text` that takes at most `limit` bytes in UTF-8."""
    if len(text) * 4 <= limit:  # cannot be over: no need to encode
        return text
    return text.encode("utf-8")[:max(limit, 0)].decode("utf-8", "ignore")


def _compose(kind: str, fields: dict[str, Any]) -> tuple[str, str]:
    if kind == "statistic":
        from .display import format_value

        figure = format_value(fields["value"], fields["unit"], fields["approximation"], fields.get("value_high"))
        subject = fields.get("subject_name")
        # What it measures in the words readers use too: the metric's first other name in the
        # title ('... (trust): Japan 58.9%'), so the figure ranks with records titled by that
        # word; the others, its description, each citing document's wording and the survey or
        # report it comes from in the body.
        aliases = fields.get("metric_aliases") or []
        measure = fields["metric_name"] + (f" ({aliases[0]})" if aliases else "")
        return (f"{measure}: {subject + ' ' if subject else ''}{figure}",
                _join(fields.get("description"), fields.get("population"), fields.get("reported"),
                      fields.get("metric_description"), aliases[1:], fields.get("origin_title")))
    if kind == "document":
        return fields["title"], _join(fields.get("summary"), fields.get("notes"), fields.get("text"))
    if kind == "claim":
        return fields["text"], ""
    if kind == "initiative":
        title = fields["name"] + (f" ({fields['acronym']})" if fields.get("acronym") else "")
        return title, _join(fields.get("description"), fields.get("aliases"))
    if kind == "actor":
        return fields["name"], _join(fields.get("description"), fields.get("aliases"))
    return fields["title"], _join(fields.get("description"))  # event


def _entries(conn: Connection, tables: Mapping[str, Table], kind: str, ids: list[int]) -> list[dict[str, Any]]:
    """Search entries of stored records, read from the database."""
    table = tables[kinds.kind(kind).table]
    aliases: dict[int, list[str]] = {}
    if kinds.kind(kind).named and "names" in tables:
        names = tables["names"]
        owner_column = names.c[kinds.kind(kind).id_column]
        for owner, name in conn.execute(select(owner_column, names.c.name).where(owner_column.in_(ids))):
            aliases.setdefault(owner, []).append(name)
    query = select(table).where(table.c.id.in_(ids))
    reported: dict[int, list[str]] = {}
    metric_aliases: dict[int, list[str]] = {}
    if kind == "statistic":
        metrics, actors, citations, documents = tables["metrics"], tables["actors"], tables["citations"], tables["documents"]
        query = (select(table, metrics.c.name.label("metric_name"), metrics.c.description.label("metric_description"),
                        actors.c.name.label("subject_name"), documents.c.title.label("origin_title"))
                 .join(metrics, metrics.c.id == table.c.metric_id)
                 .outerjoin(actors, actors.c.id == table.c.subject_id)
                 .outerjoin(documents, documents.c.id == table.c.origin_document_id).where(table.c.id.in_(ids)))
        for owner, wording in conn.execute(
            select(citations.c.statistic_id, citations.c.reported_as).where(citations.c.statistic_id.in_(ids))
        ):
            reported.setdefault(owner, []).append(wording)
        names = tables["names"]
        metric_ids = select(table.c.metric_id).where(table.c.id.in_(ids)).scalar_subquery()
        for owner, name in conn.execute(select(names.c.metric_id, names.c.name)
                                        .where(names.c.metric_id.in_(metric_ids)).order_by(names.c.id)):
            metric_aliases.setdefault(owner, []).append(name)
    out = []
    for r in conn.execute(query):
        fields = {**r._mapping, "aliases": aliases.get(r.id), "reported": reported.get(r.id)}
        if kind == "statistic":
            fields["metric_aliases"] = metric_aliases.get(r.metric_id)
        title, body = compose(kind, fields)
        out.append({"record_id": r.id, "slug": r.slug, "title": title, "body": body})
    return out


def index_records(conn: Connection, tables: Mapping[str, Table], kind: str, ids: Iterable[int]) -> None:
    """Replace the search entries of these records with ones computed from the database."""
    if "search_entries" not in tables:
        return  # a migration older than the search index
    entries = tables["search_entries"]
    ids = sorted(set(ids))
    for chunk in slices(ids):
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
    for kind in kinds.SEARCHED:
        table = tables[kind.table]
        ids = list(conn.execute(select(table.c.id)).scalars())
        index_records(conn, tables, kind.name, ids)
        total += len(ids)
    return total
