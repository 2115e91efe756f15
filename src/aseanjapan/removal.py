"""Removing a source document: `aj source remove DOC`.

The document goes with its candidates, its citations, the names it attributes and the
records only it supports (every citation of which is its own). A record other documents
also cite keeps them and loses only this document's citations; a statistic whose origin it
was keeps its figure and loses the origin. One write transaction, so one change set of the
history: `aj undo` brings all of it back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from . import tables as t
from .errors import AjError, NotFoundError

from .kinds import CITED as CITED_KINDS
from .kinds import SEARCHED

# Record tables a citation can point at, by the citation column that does.
CITED = {k.table: k.id_column for k in CITED_KINDS}


@dataclass
class Removal:
    document: str
    candidates: int = 0
    removed: list[str] = field(default_factory=list)  # "statistic slug", records only it supported
    uncited: list[str] = field(default_factory=list)  # records other documents still cite
    origins_cleared: list[str] = field(default_factory=list)
    change_set: int | None = None
    dry_run: bool = False


class _DryRun(Exception):
    """Ends a rehearsal: its transaction is rolled back."""


def remove_source(engine: Engine, slug: str, dry_run: bool = False, command: str | None = None) -> Removal:
    """Remove a document and what only it supports; with `dry_run`, say so and change nothing."""
    from .db import write_connection
    from .history import active

    result: Removal | None = None
    try:
        with write_connection(engine, command=command) as conn:
            result = remove_in(conn, slug)
            cs = active(conn)
            if dry_run:
                result.dry_run = True
                raise _DryRun
    except _DryRun:
        return result  # type: ignore[return-value]
    if cs is not None:
        result.change_set = cs.id
    return result


def remove_in(conn: Connection, slug: str) -> Removal:
    d, c = t.documents, t.citations
    doc_id = conn.execute(select(d.c.id).where(d.c.slug == slug)).scalar()
    if doc_id is None:
        from .spelling import closest

        close = closest(slug, list(conn.execute(select(d.c.slug)).scalars()))
        raise NotFoundError(f"no document {slug!r}" + (f" (closest: {', '.join(close)})" if close else ""))
    result = Removal(slug)
    result.candidates = conn.execute(select(func.count()).where(t.candidates.c.document_id == doc_id)).scalar_one()
    only: dict[str, list[int]] = {}
    shared: dict[str, list[int]] = {}
    for table_name, column in CITED.items():
        col = c.c[column]
        cited = set(conn.execute(select(col).where(c.c.document_id == doc_id, col.is_not(None))).scalars())
        elsewhere = set(conn.execute(select(col).where(col.in_(sorted(cited)), c.c.document_id != doc_id)).scalars()) \
            if cited else set()
        only[table_name] = sorted(cited - elsewhere)
        shared[table_name] = sorted(cited & elsewhere)
    _refuse_if_still_needed(conn, slug, only)
    slugs = _slugs(conn, {**only}, shared)
    for table_name, ids in shared.items():
        result.uncited += [f"{_kind(table_name)} {slugs[table_name][i]}" for i in ids]
    s = t.statistics
    kept_origin = [r for r in conn.execute(select(s.c.id, s.c.slug).where(s.c.origin_document_id == doc_id))
                   if r.id not in set(only["statistics"])]
    result.origins_cleared = [f"statistic {r.slug}" for r in kept_origin]
    # Citations first (the records' last ones among them), then the records, then the document.
    conn.execute(c.delete().where(c.c.document_id == doc_id))
    for table_name in CITED:  # claims first, actors (whom statistics may name) last
        ids = only[table_name]
        table = t.metadata.tables[table_name]
        for start in range(0, len(ids), 500):
            conn.execute(table.delete().where(table.c.id.in_(ids[start:start + 500])))
        result.removed += [f"{_kind(table_name)} {slugs[table_name][i]}" for i in ids]
    if kept_origin:
        conn.execute(s.update().where(s.c.id.in_([r.id for r in kept_origin])).values(origin_document_id=None))
    conn.execute(d.delete().where(d.c.id == doc_id))
    _reindex(conn, doc_id, only, shared, [r.id for r in kept_origin])
    return result


def _kind(table_name: str) -> str:
    return next(k.name for k in CITED_KINDS if k.table == table_name)


def _slugs(conn: Connection, *groups: dict[str, list[int]]) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = defaultdict(dict)
    for group in groups:
        for table_name, ids in group.items():
            table = t.metadata.tables[table_name]
            for start in range(0, len(ids), 500):
                out[table_name].update(conn.execute(select(table.c.id, table.c.slug)
                                                    .where(table.c.id.in_(ids[start:start + 500]))).all())
    return out


def _refuse_if_still_needed(conn: Connection, document: str, only: dict[str, list[int]]) -> None:
    """A record only this document supports, but that a record staying refers to (an actor
    who is the subject of a statistic other documents cite): removing it would break that
    record, so nothing is removed."""
    from .history import recorded_tables

    going = {(name, i) for name, ids in only.items() for i in ids}
    for table_name, ids in only.items():
        if not ids:
            continue
        target = t.metadata.tables[table_name]
        for other in recorded_tables():
            for col in other.columns:
                fks = [fk for fk in col.foreign_keys if fk.column.table is target]
                if not fks or fks[0].ondelete or "id" not in other.c:
                    continue  # cascades go with the record
                for row in conn.execute(select(other.c.id, other.c[col.name]).where(other.c[col.name].in_(ids)).limit(50)):
                    if (other.name, row.id) in going:
                        continue
                    what = _describe(conn, other, row.id)
                    needed = conn.execute(select(target.c.slug).where(target.c.id == row[1])).scalar()
                    raise AjError(f"cannot remove document {document!r}: {_kind(table_name)} {needed!r} is supported "
                                  f"only by it, but {what} refers to it ({col.name.removesuffix('_id')}); "
                                  "correct or remove that first (nothing was removed)")


def _describe(conn: Connection, table: Any, id_: int) -> str:
    if "slug" in table.c:
        from .history import kind_of

        return f"{kind_of(table)} {conn.execute(select(table.c.slug).where(table.c.id == id_)).scalar()!r}"
    return f"a row of {table.name}"


def _reindex(conn: Connection, doc_id: int, only: dict[str, list[int]], shared: dict[str, list[int]],
             origin_cleared: list[int]) -> None:
    from .search_index import index_records

    kind_of = {k.table: k.name for k in SEARCHED}
    index_records(conn, t.metadata.tables, "document", [doc_id])
    for table_name in CITED:
        ids = set(only[table_name]) | set(shared[table_name])
        if table_name == "statistics":
            ids |= set(origin_cleared)
        if ids:
            index_records(conn, t.metadata.tables, kind_of[table_name], ids)
