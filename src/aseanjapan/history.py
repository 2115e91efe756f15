"""History: every write is one change set that can be shown and undone.

A change set says when (UTC), which OS user, and which command; for each row it changed, the
row's table, its natural key, and its state before and after, as JSON.

How rows are seen. `db.write_connection` opens a change set for every write transaction
(`change_set` below), so every writer (load, source add, review decisions, and whatever is
added later) is recorded without doing anything. The rows themselves are captured by database
triggers into `change_capture`, then turned into `change_records` before the commit. Triggers,
not SQLAlchemy events or capture inside the writer, because the loader writes through the
driver (executemany, PostgreSQL COPY), which no SQLAlchemy event sees, and because cascades
(ON DELETE CASCADE / SET NULL) happen inside the database: only the database sees every row.
On PostgreSQL one trigger function sits on every table (migration 0017; a table added later
gets it at the first change set) and does nothing unless the transaction set `aj.change_set`;
SQLite has no session variables, so TEMP triggers are created for the length of a change set
(DDL is transactional there: a rollback takes them away too).

Keys. A record with a slug is keyed by its slug; a link row (claim_areas, ...) by its key
columns; a row with nothing but a surrogate id (citations, names, affiliations) by that id.
Ids in aj are never renumbered: rows are only inserted and deleted, and undo gives a deleted
row its old id back when it is free, so exports (which list such rows by id) come back byte
for byte. Foreign keys are stored as the slug of the record they point at, so the JSON reads
as the bundle format does, and a row restored after its target came back under a new id
still points at the right record.

Baseline. Rows written outside a change set (migrations and the seed sync, which keep the
database at the code's schema and seed) are not history: undo never goes behind them.

Undo replays a change set backwards in one transaction, itself a change set (so it can be
undone). It refuses when a record is no longer as the change set left it, or when a row made
later refers to a record the undo would delete, naming the later change set responsible.
The search index is derived data, not recorded: undo recomputes the entries it affects.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, Engine, Table, column, func, select
from sqlalchemy import table as light_table
from sqlalchemy import text as sql_text

from . import tables as schema
from .errors import NotFoundError, UsageError
from .invocation import command_line

HISTORY_TABLES = ("change_sets", "change_records", "change_capture")
NOT_RECORDED = {"search_entries", *HISTORY_TABLES}  # derived data and history itself
_ACTIVE = "aj_change_set"  # Connection.info key of the open change set


class HistoryConflict(UsageError):
    """An undo that would overwrite or orphan what a later change set did."""

    exit_code = 1


@dataclass
class ChangeSet:
    id: int
    command: str
    undoes: int | None = None
    records: int = 0


def recorded_tables() -> list[Table]:
    return [t for t in schema.metadata.sorted_tables if t.name not in NOT_RECORDED]


def kind_of(table: Table) -> str:
    """A table's record type as users name it (statistics -> statistic, policy_areas -> area)."""
    return _kind_of_table(table.name)


@functools.cache
def _kind_of_table(name: str) -> str:
    from .kinds import LOAD_ORDER

    return next((k.name for k in LOAD_ORDER if k.table == name), name.removesuffix("s"))


def _surrogate(table: Table) -> bool:
    return _plan(table.name).surrogate


def _slug_target(col: Any) -> Table | None:
    return _plan(col.table.name).target[col.name]


def _field(table: Table, col: Any) -> str:
    """A column's name in the JSON: a foreign key by the record it names (metric_id -> metric)."""
    return _plan(table.name).field[col.name]


@dataclass(frozen=True)
class _Plan:
    """What turning a table's rows into history needs, worked out once per table."""

    surrogate: bool  # its only key is a meaningless id
    target: dict[str, Table | None]  # column -> the table with slugs it points at
    field: dict[str, str]  # column -> its name in history's JSON
    floats: frozenset[str]
    by_field: dict[str, Table]  # JSON field -> the table it names records of


@functools.cache
def _plan(table_name: str) -> _Plan:
    table = schema.metadata.tables[table_name]
    target: dict[str, Table | None] = {}
    names: dict[str, str] = {}
    for col in table.columns:
        keys = list(col.foreign_keys)
        target[col.name] = keys[0].column.table if keys and "slug" in keys[0].column.table.c else None
        stripped = col.name[:-3] if col.name.endswith("_id") else None
        names[col.name] = stripped if target[col.name] is not None and stripped and stripped not in table.c else col.name
    return _Plan([c.name for c in table.primary_key.columns] == ["id"], target, names,
                 frozenset(c.name for c in table.columns if _float_column(c)),
                 {names[c]: t for c, t in target.items() if t is not None})


def current_command() -> str:
    return command_line.get() or "python"


# ---- capture ----------------------------------------------------------------------------------

def _history_ready(conn: Connection) -> bool:
    """Whether the database has the history tables (a database not yet at 0017 writes unrecorded)."""
    if conn.dialect.name == "postgresql":
        return conn.exec_driver_sql("SELECT to_regclass('change_capture') IS NOT NULL").scalar()
    return conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'change_capture'").scalar() == 1


def _json_sql(table: Table, prefix: str) -> str:
    """SQLite: the row as a JSON object. Floats go as 17-digit text (json_object keeps only 15)."""
    parts = []
    for col in table.columns:
        ref = f'{prefix}."{col.name}"'
        if _float_column(col):
            ref = f"CASE WHEN typeof({ref}) = 'real' THEN printf('%!.17g', {ref}) ELSE {ref} END"
        parts.append(f"'{col.name}', {ref}")
    return f"json_object({', '.join(parts)})"


def _float_column(col: Any) -> bool:
    try:
        return col.type.python_type is float
    except NotImplementedError:
        return False


def _sqlite_triggers(change_set_id: int) -> Iterator[tuple[str, str]]:
    for table in recorded_tables():
        for op in ("INSERT", "UPDATE", "DELETE"):
            name = f"aj_history_{table.name}_{op.lower()}"
            old = _json_sql(table, "OLD") if op != "INSERT" else "NULL"
            new = _json_sql(table, "NEW") if op != "DELETE" else "NULL"
            yield name, (f'CREATE TEMP TRIGGER "{name}" AFTER {op} ON main."{table.name}" BEGIN '
                         f"INSERT INTO change_capture (change_set_id, table_name, old_row, new_row) "
                         f"VALUES ({int(change_set_id)}, '{table.name}', {old}, {new}); END")


def _start_capture(conn: Connection, change_set_id: int) -> None:
    if conn.dialect.name == "postgresql":
        have = set(conn.exec_driver_sql(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'aj_history' AND c.relnamespace = 'public'::regnamespace").scalars())
        for table in recorded_tables():  # a table added after migration 0017
            if table.name not in have:
                conn.exec_driver_sql(f'CREATE TRIGGER aj_history AFTER INSERT OR UPDATE OR DELETE ON "{table.name}" '
                                     "FOR EACH ROW EXECUTE FUNCTION aj_history_capture()")
        conn.execute(sql_text("SELECT set_config('aj.change_set', :id, true)"), {"id": str(change_set_id)})
    else:
        for _, ddl in _sqlite_triggers(change_set_id):
            conn.exec_driver_sql(ddl)


def _stop_capture(conn: Connection, change_set_id: int) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sql_text("SELECT set_config('aj.change_set', '', true)"))
    else:
        for name, _ in _sqlite_triggers(change_set_id):
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS temp."{name}"')


def active(conn: Connection) -> ChangeSet | None:
    return conn.info.get(_ACTIVE)


@contextmanager
def change_set(conn: Connection, command: str | None = None) -> Iterator[ChangeSet | None]:
    """Record every row written inside the block as one change set (inside the caller's
    transaction). Nested blocks join the open one. A block that changes nothing leaves no
    change set. Yields None on a database without the history tables."""
    if _ACTIVE in conn.info:
        yield conn.info[_ACTIVE]
        return
    if not _history_ready(conn):
        yield None
        return
    sets = schema.change_sets
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a container without one): still recorded
        user = "unknown"
    command = command or current_command()
    made_at = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    cs_id = conn.execute(sets.insert().values(made_at=made_at, os_user=user[:200], command=command)
                         .returning(sets.c.id)).scalar_one()
    cs = ChangeSet(cs_id, command)
    conn.info[_ACTIVE] = cs
    _start_capture(conn, cs_id)
    try:
        yield cs
        _stop_capture(conn, cs_id)
        cs.records = _close(conn, cs)
    except BaseException:
        with suppress(Exception):
            _stop_capture(conn, cs_id)
        raise
    finally:
        conn.info.pop(_ACTIVE, None)


# ---- turning captured rows into records -------------------------------------------------------

class _Slugs:
    """Slugs of records by id, from the rows a change set captured and then the database."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.known: dict[tuple[str, int], str] = {}

    def note(self, table: Table, raw: dict[str, Any] | None) -> None:
        if raw is not None and "slug" in table.c and raw.get("id") is not None:
            self.known[(table.name, raw["id"])] = raw["slug"]

    def fetch(self, wanted: Iterable[tuple[Table, int]]) -> None:
        by_table: dict[str, set[int]] = defaultdict(set)
        tables: dict[str, Table] = {}
        for table, id_ in wanted:
            if (table.name, id_) not in self.known:
                by_table[table.name].add(id_)
                tables[table.name] = table
        for name, ids in by_table.items():
            t = tables[name]
            ordered = sorted(ids)
            for start in range(0, len(ordered), 500):
                for id_, slug in self.conn.execute(select(t.c.id, t.c.slug).where(t.c.id.in_(ordered[start:start + 500]))):
                    self.known[(name, id_)] = slug

    def __call__(self, table: Table, id_: int | None) -> Any:
        if id_ is None:
            return None
        if (table.name, id_) not in self.known:
            self.fetch([(table, id_)])
        return self.known.get((table.name, id_), id_)


def _refs_wanted(table: Table, raw: dict[str, Any] | None) -> Iterator[tuple[Table, int]]:
    if raw is None:
        return
    for name, target in _plan(table.name).target.items():
        if target is not None and raw.get(name) is not None:
            yield target, raw[name]


def natural(table: Table, raw: dict[str, Any] | None, slugs: _Slugs) -> dict[str, Any] | None:
    """A row as stored (JSON from the database) as history keeps it: no surrogate id, foreign
    keys as slugs, floats as numbers."""
    if raw is None:
        return None
    plan = _plan(table.name)
    out: dict[str, Any] = {}
    for name, field_name in plan.field.items():
        if name == "id" and plan.surrogate:
            continue
        value = raw.get(name)
        target = plan.target[name]
        if target is not None:
            value = slugs(target, value)
        elif isinstance(value, str) and name in plan.floats:
            value = float(value)
        elif isinstance(value, float) and value.is_integer() and name not in plan.floats:
            value = int(value)
        out[field_name] = value
    return out


def record_key(table: Table, row: dict[str, Any], row_id: int | None) -> dict[str, Any]:
    if "slug" in table.c:
        return {"slug": row["slug"]}
    if _surrogate(table):
        return {"id": row_id}
    return {_field(table, c): row[_field(table, c)] for c in table.primary_key.columns}


def _key_hash(table_name: str, key: dict[str, Any]) -> str:
    return hashlib.sha256(f"{table_name}\n{_dump(key, sort=True)}".encode()).hexdigest()


def _dump(value: Any, sort: bool = False) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=sort, separators=(",", ":"), default=str)


def _label(table: Table, key: dict[str, Any], row: dict[str, Any]) -> str:
    if "slug" in key:
        return f"{kind_of(table)} {key['slug']}"
    refs = [f"{_kind_of_field(table, name)} {value}" for name, value in row.items()
            if value is not None and _is_ref(table, name)]
    if "id" in key:
        return f"{table.name.removesuffix('s')} #{key['id']}" + (f" ({', '.join(refs)})" if refs else "")
    return f"{table.name}: " + ", ".join(f"{k} {v}" for k, v in key.items())


def _is_ref(table: Table, name: str) -> bool:
    return name in _plan(table.name).by_field


def _kind_of_field(table: Table, name: str) -> str:
    target = _plan(table.name).by_field.get(name)
    return kind_of(target) if target is not None else name


def _refs(table: Table, rows: Iterable[dict[str, Any] | None]) -> str:
    """' kind/slug ...': the record itself and every record the row points at."""
    tokens = set()
    by_field = _plan(table.name).by_field
    own = kind_of(table) if "slug" in table.c else None
    for row in rows:
        if row is None:
            continue
        if own:
            tokens.add(f"{own}/{row['slug']}")
        for name, target in by_field.items():
            if row.get(name) is not None:
                tokens.add(f"{kind_of(target)}/{row[name]}")
    return " " + " ".join(sorted(tokens)) + " "


def _identity(table: Table, raw: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(raw.get(c.name) for c in table.primary_key.columns)


def _close(conn: Connection, cs: ChangeSet) -> int:
    """Turn the captured rows into change records; drops the change set if nothing changed."""
    cap = schema.change_capture
    tables = schema.metadata.tables
    groups: dict[tuple[str, tuple[Any, ...]], list[Any]] = {}  # -> [before, after]
    slugs = _Slugs(conn)
    rows = conn.execute(select(cap.c.table_name, cap.c.old_row, cap.c.new_row)
                        .where(cap.c.change_set_id == cs.id).order_by(cap.c.id)).all()
    for name, old_text, new_text in rows:
        table = tables[name]
        old = json.loads(old_text) if old_text else None
        new = json.loads(new_text) if new_text else None
        slugs.note(table, old)
        slugs.note(table, new)
        ident_old = _identity(table, old) if old else None
        ident_new = _identity(table, new) if new else None
        if old and new and ident_old != ident_new:  # a key changed: the old row went, a new one came
            groups.setdefault((name, ident_old), [old, None])[1] = None
            groups.setdefault((name, ident_new), [None, None])[1] = new
            continue
        ident = ident_old if old else ident_new
        groups.setdefault((name, ident), [old, None])[1] = new
    conn.execute(cap.delete().where(cap.c.change_set_id == cs.id))
    wanted = [ref for (name, _), (old, new) in groups.items() for raw in (old, new)
              for ref in _refs_wanted(tables[name], raw)]
    slugs.fetch(wanted)
    records = []
    for (name, _), (old, new) in groups.items():
        table = tables[name]
        before, after = natural(table, old, slugs), natural(table, new, slugs)
        if before == after:
            continue
        raw = new or old
        row_id = raw.get("id") if "id" in table.c else None
        key = record_key(table, after or before, row_id)
        records.append({"change_set_id": cs.id, "table_name": name, "record_key": _dump(key, sort=True),
                        "key_hash": _key_hash(name, key), "label": _label(table, key, after or before)[:500],
                        "refs": _refs(table, (before, after)), "row_id": row_id,
                        "before": None if before is None else _dump(before),
                        "after": None if after is None else _dump(after)})
    if not records:
        conn.execute(schema.change_sets.delete().where(schema.change_sets.c.id == cs.id))
        return 0
    from .loading.writer import driver_insert  # through the driver: a bulk load records many rows

    for start in range(0, len(records), 20000):
        driver_insert(conn, schema.change_records, records[start:start + 20000])
    if cs.undoes is not None:
        conn.execute(schema.change_sets.update().where(schema.change_sets.c.id == cs.id).values(undoes_id=cs.undoes))
    return len(records)


# ---- reading history --------------------------------------------------------------------------

def _record_filter(record: str) -> str:
    """'statistic/slug' as given, or a bare slug of any kind, as a LIKE pattern over `refs`."""
    if "/" in record:
        kind, slug = record.split("/", 1)
        from .kinds import kind as kind_named

        kind = kind.strip().lower()
        try:
            kind = kind_named(kind).name
        except KeyError:
            pass  # matches nothing, as an unknown slug does
        return f"% {_like(kind)}/{_like(slug.strip())} %"
    return f"%/{_like(record.strip())} %"


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_change_sets(conn: Connection, records: list[str] | None = None, documents: list[str] | None = None,
                     limit: int | None = None) -> list[dict[str, Any]]:
    """Change sets, newest first, with how many rows each changed; optionally only those that
    touched one of the records (KIND/SLUG or SLUG) or documents named."""
    sets, recs = schema.change_sets, schema.change_records
    undone = schema.change_sets.alias("undone_by")
    count = select(func.count()).where(recs.c.change_set_id == sets.c.id).scalar_subquery()
    undone_by = select(func.max(undone.c.id)).where(undone.c.undoes_id == sets.c.id).scalar_subquery()
    query = select(sets.c.id, sets.c.made_at, sets.c.os_user, sets.c.command, sets.c.undoes_id,
                   count.label("rows"), undone_by.label("undone_by"))
    patterns = [_record_filter(r) for r in records or []] + [f"% document/{_like(d.strip())} %" for d in documents or []]
    if patterns:
        from sqlalchemy import exists, or_

        query = query.where(exists().where(recs.c.change_set_id == sets.c.id,
                                           or_(*(recs.c.refs.like(p, escape="\\") for p in patterns))))
    query = query.order_by(sets.c.id.desc())
    if limit:
        query = query.limit(limit)
    out = []
    for r in conn.execute(query):
        out.append({"change_set": r.id, "when": _utc(r.made_at), "user": r.os_user, "command": r.command,
                    "rows": r.rows, "undoes": r.undoes_id, "undone_by": r.undone_by})
    return out


HISTORY_FIELDS = ["change_set", "when", "user", "command", "rows", "undoes", "undone_by"]
RECORD_FIELDS = ["change_set", "table", "record", "change", "before", "after"]


def _utc(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _change_set_row(conn: Connection, change_set_id: int) -> Any:
    row = conn.execute(select(schema.change_sets).where(schema.change_sets.c.id == change_set_id)).first()
    if row is None:
        mine = active(conn)  # an undo's own change set, open while it looks
        last = conn.execute(select(func.max(schema.change_sets.c.id))
                            .where(schema.change_sets.c.id != (mine.id if mine else -1))).scalar()
        raise NotFoundError(f"no change set {change_set_id}" + (f" (the newest is {last}; see aj history)" if last
                                                                  else " (nothing has been recorded yet)"))
    return row


def show_change_set(conn: Connection, change_set_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A change set and each row it changed, before and after."""
    head = _change_set_row(conn, change_set_id)
    recs = schema.change_records
    summary = _summary(conn, head)
    rows = []
    for r in conn.execute(select(recs).where(recs.c.change_set_id == change_set_id).order_by(recs.c.id)):
        before = json.loads(r.before) if r.before is not None else None
        after = json.loads(r.after) if r.after is not None else None
        change = "added" if before is None else "removed" if after is None else "changed"
        if change == "changed":  # only the fields that changed
            fields = [k for k in after if before.get(k) != after.get(k)]
            before, after = {k: before.get(k) for k in fields}, {k: after[k] for k in fields}
        rows.append({"change_set": change_set_id, "table": r.table_name, "record": r.label, "change": change,
                     "before": before, "after": after})
    return summary, rows


def _summary(conn: Connection, head: Any) -> dict[str, Any]:
    recs = schema.change_records
    n = conn.execute(select(func.count()).where(recs.c.change_set_id == head.id)).scalar_one()
    undone_by = conn.execute(select(func.max(schema.change_sets.c.id)).where(schema.change_sets.c.undoes_id == head.id)).scalar()
    return {"change_set": head.id, "when": _utc(head.made_at), "user": head.os_user, "command": head.command,
            "rows": n, "undoes": head.undoes_id, "undone_by": undone_by}


# ---- undo -------------------------------------------------------------------------------------

@dataclass
class UndoResult:
    undone: int
    change_set: int | None  # the undo's own change set
    restored: list[str] = field(default_factory=list)  # labels, as "added|removed|changed label"


class _Ids:
    """Ids of records by slug, as the database holds them now."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.cache: dict[tuple[str, str], int | None] = {}

    def __call__(self, table: Table, slug: Any) -> int | None:
        if slug is None:
            return None
        if not isinstance(slug, str):  # a target without a slug was stored by id
            return slug
        if (table.name, slug) not in self.cache:
            self.cache[(table.name, slug)] = self.conn.execute(select(table.c.id).where(table.c.slug == slug)).scalar()
        return self.cache[(table.name, slug)]

    def forget(self, table: Table, slug: Any) -> None:
        self.cache.pop((table.name, slug), None)

    def prefetch(self, table: Table, slugs: Iterable[Any]) -> None:
        wanted = sorted({s for s in slugs if isinstance(s, str) and (table.name, s) not in self.cache})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found = dict(self.conn.execute(select(table.c.slug, table.c.id).where(table.c.slug.in_(chunk))).all())
            for slug in chunk:
                self.cache[(table.name, slug)] = found.get(slug)


def _where(table: Table, key: dict[str, Any], ids: _Ids) -> dict[str, Any] | None:
    """The stored columns that find a record by its key, or None when a record it names is gone."""
    if "slug" in key:
        return {"slug": key["slug"]}
    if "id" in key:
        return {"id": key["id"]}
    where = {}
    for c in table.primary_key.columns:
        value = key[_field(table, c)]
        target = _slug_target(c)
        if target is not None:
            value = ids(target, value)
            if value is None:
                return None
        where[c.name] = value
    return where


@dataclass
class _Rec:
    table: Table
    key: dict[str, Any]
    key_hash: str
    label: str
    row_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _load_records(conn: Connection, change_set_id: int) -> list[_Rec]:
    recs = schema.change_records
    out = []
    for r in conn.execute(select(recs).where(recs.c.change_set_id == change_set_id).order_by(recs.c.id)):
        out.append(_Rec(schema.metadata.tables[r.table_name], json.loads(r.record_key), r.key_hash, r.label, r.row_id,
                        json.loads(r.before) if r.before is not None else None,
                        json.loads(r.after) if r.after is not None else None))
    return out


def _later_toucher(conn: Connection, key_hash: str, after: int) -> Any:
    recs, sets = schema.change_records, schema.change_sets
    return conn.execute(select(sets).join(recs, recs.c.change_set_id == sets.c.id)
                        .where(recs.c.key_hash == key_hash, sets.c.id > after)
                        .order_by(sets.c.id.desc()).limit(1)).first()


def _blame(conn: Connection, target: int, key_hash: str, what: str) -> str:
    later = _later_toucher(conn, key_hash, target)
    if later is None:
        return f"cannot undo change set {target}: {what} was changed since outside any recorded change set"
    if later.undoes_id == target:
        return f"change set {target} was already undone by change set {later.id} (undo {later.id} to redo it)"
    return (f"cannot undo change set {target}: change set {later.id} ({later.command}, {_utc(later.made_at)}) "
            f"changed {what} since; undo {later.id} first")


def undo(engine: Engine, change_set_id: int, command: str | None = None) -> UndoResult:
    """Revert exactly one change set, in one transaction that is itself a change set."""
    from .db import write_connection

    with write_connection(engine, command=command) as conn:
        return undo_in(conn, change_set_id)


def undo_in(conn: Connection, target: int) -> UndoResult:
    head = _change_set_row(conn, target)
    records = _load_records(conn, head.id)
    cs = active(conn)
    slugs = _Slugs(conn)
    ids = _Ids(conn)
    hashes = {r.key_hash for r in records}
    by_table: dict[str, list[_Rec]] = defaultdict(list)
    for r in records:
        by_table[r.table.name].append(r)
    # 1. Every record must still be as the change set left it.
    current: dict[int, dict[str, Any] | None] = {}  # id(record) -> its stored row, as JSON
    for recs in by_table.values():
        found = _stored(conn, recs, ids)
        slugs.fetch(ref for raw in found.values() for ref in _refs_wanted(recs[0].table, raw))
        for r in recs:
            raw = found.get(id(r))
            now = natural(r.table, raw, slugs)
            if now != r.after and r.after is None and "id" in r.key and now != r.before:
                # A row with nothing but an id, removed here, whose id a later, different row
                # reuses: nothing depends on the old id, so it comes back under a new one.
                raw = None
            elif now != r.after:
                raise HistoryConflict(_blame(conn, head.id, r.key_hash, r.label))
            current[id(r)] = raw
    # 2. Rows made later must not refer to a record the undo deletes.
    for name, recs in by_table.items():
        doomed = {current[id(r)]["id"]: r.label for r in recs
                  if r.before is None and current[id(r)] and "id" in r.table.c}
        if doomed:
            _check_referrers(conn, head.id, schema.metadata.tables[name], doomed, hashes, slugs)
    # 3. Replay backwards: remove what it added (children first), restore what it removed
    # (parents first), then put changed rows back.
    order = [t.name for t in schema.metadata.sorted_tables if t.name in by_table]
    result = UndoResult(head.id, cs.id if cs else None)
    touched: list[tuple[Table, dict[str, Any] | None, dict[str, Any] | None, int | None]] = []
    for name in reversed(order):
        gone = [r for r in by_table[name] if r.before is None]
        if gone:
            _delete(conn, gone, current, ids)
            for r in gone:
                touched.append((r.table, r.after, None, (current[id(r)] or {}).get("id")))
                result.restored.append(f"removed {r.label}")
    for name in order:
        back = [r for r in by_table[name] if r.after is None]
        if back:
            for r, new_id in _insert(conn, head.id, back, ids):
                touched.append((r.table, None, r.before, new_id))
                result.restored.append(f"restored {r.label}")
    for name in order:
        for r in by_table[name]:
            if r.before is not None and r.after is not None:
                values, self_refs = _to_db(conn, head.id, r, r.before, ids)
                where = _where(r.table, r.key, ids)
                light = _light(r.table)
                conn.execute(light.update().where(*[light.c[k] == v for k, v in where.items()])
                             .values({**values, **self_refs}))
                touched.append((r.table, r.after, r.before, (current[id(r)] or {}).get("id")))
                result.restored.append(f"changed back {r.label}")
    _reindex(conn, touched, ids)
    if cs is not None:
        cs.undoes = head.id
    return result


def _raw_in(conn: Connection, table: Table, column_name: str, values: list[Any]) -> list[dict[str, Any]]:
    """Stored rows whose `column_name` is one of `values`, as JSON read the way the triggers
    read rows (so values compare exactly)."""
    from sqlalchemy import bindparam

    if conn.dialect.name == "postgresql":
        row_json = "to_jsonb(t)::text"
    else:
        row_json = _json_sql(table, "t")
    query = sql_text(f'SELECT {row_json} FROM "{table.name}" AS t WHERE t."{column_name}" IN :values') \
        .bindparams(bindparam("values", expanding=True))
    out = []
    unique = sorted(set(values), key=str)
    for start in range(0, len(unique), 500):
        out += [json.loads(found) for found in conn.execute(query, {"values": unique[start:start + 500]}).scalars()]
    return out


def _stored(conn: Connection, recs: list[_Rec], ids: _Ids) -> dict[int, dict[str, Any]]:
    """The stored row of each record (of one table) that still exists, by id(record)."""
    table = recs[0].table
    if "slug" in recs[0].key:
        rows = {raw["slug"]: raw for raw in _raw_in(conn, table, "slug", [r.key["slug"] for r in recs])}
        return {id(r): rows[r.key["slug"]] for r in recs if r.key["slug"] in rows}
    if "id" in recs[0].key:
        rows = {raw["id"]: raw for raw in _raw_in(conn, table, "id", [r.key["id"] for r in recs])}
        return {id(r): rows[r.key["id"]] for r in recs if r.key["id"] in rows}
    pk = [c.name for c in table.primary_key.columns]
    for c in table.primary_key.columns:
        target = _slug_target(c)
        if target is not None:
            ids.prefetch(target, [r.key[_field(table, c)] for r in recs])
    wheres = {id(r): _where(table, r.key, ids) for r in recs}
    firsts = [w[pk[0]] for w in wheres.values() if w is not None]
    rows = {tuple(raw[k] for k in pk): raw for raw in _raw_in(conn, table, pk[0], firsts)} if firsts else {}
    return {key: rows[tuple(w[k] for k in pk)] for key, w in wheres.items()
            if w is not None and tuple(w[k] for k in pk) in rows}


def _delete(conn: Connection, recs: list[_Rec], current: dict[int, Any], ids: _Ids) -> None:
    from sqlalchemy import bindparam

    table = recs[0].table
    light = _light(table)
    if "id" in table.c:
        doomed = sorted(current[id(r)]["id"] for r in recs if current[id(r)])
        for start in range(0, len(doomed), 500):
            conn.execute(light.delete().where(light.c.id.in_(doomed[start:start + 500])))
    else:
        pk = [c.name for c in table.primary_key.columns]
        rows = [{f"k_{k}": current[id(r)][k] for k in pk} for r in recs if current[id(r)]]
        if rows:
            conn.execute(light.delete().where(*[light.c[k] == bindparam(f"k_{k}") for k in pk]), rows)
    for r in recs:
        if "slug" in r.key:
            ids.forget(table, r.key["slug"])


def _insert(conn: Connection, target: int, recs: list[_Rec], ids: _Ids) -> list[tuple[_Rec, int | None]]:
    """Put rows back (of one table), each under its old id when that is free."""
    from sqlalchemy import bindparam

    table = recs[0].table
    light = _light(table)
    for c in table.columns:
        ref = _slug_target(c)
        if ref is not None and ref is not table:
            ids.prefetch(ref, [r.before.get(_field(table, c)) for r in recs])
    prepared = [(r, *_to_db(conn, target, r, r.before, ids)) for r in recs]
    done: list[tuple[_Rec, int | None]] = []
    if "id" not in table.c:
        conn.execute(light.insert(), [values for _, values, _ in prepared])
        return [(r, None) for r in recs]
    wanted = [r.row_id for r in recs if r.row_id is not None]
    taken = {raw["id"] for raw in _raw_in(conn, table, "id", wanted)} if wanted else set()
    with_ids = [(r, {**values, "id": r.row_id}, refs) for r, values, refs in prepared
                if r.row_id is not None and r.row_id not in taken]
    if with_ids:
        conn.execute(light.insert(), [values for _, values, _ in with_ids])
        done += [(r, values["id"]) for r, values, _ in with_ids]
        if conn.dialect.name == "postgresql":  # explicit ids: keep the sequence ahead of them
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                 f'(SELECT max(id) FROM "{table.name}"))')
    placed = {id(r) for r, _, _ in with_ids}
    for r, values, _ in prepared:
        if id(r) not in placed:
            done.append((r, conn.execute(light.insert().values(values).returning(light.c.id)).scalar()))
    for r, new_id in done:
        if "slug" in r.before:
            ids.cache[(table.name, r.before["slug"])] = new_id
    # references to rows of the same table, now that they are all back
    refs = [{"k_id": new_id, **self_refs} for (r, new_id), self_refs in
            zip(done, [dict(_to_db(conn, target, r, r.before, ids)[1]) for r, _ in done]) if self_refs]
    for row in refs:
        conn.execute(light.update().where(light.c.id == bindparam("k_id")).values(
            {k: bindparam(k) for k in row if k != "k_id"}), [row])
    return done


def _light(table: Table, values: dict[str, Any] | None = None) -> Any:  # noqa: ARG001
    """The table with untyped columns: values go to the driver as history holds them (on
    SQLite, dates and times as the text that was stored)."""
    return light_table(table.name, *[column(c.name) for c in table.columns])


def _to_db(conn: Connection, target: int, r: _Rec, row: dict[str, Any], ids: _Ids) -> tuple[dict[str, Any], dict[str, Any]]:
    """History's JSON of a row as column values; references to the same table apart."""
    values: dict[str, Any] = {}
    self_refs: dict[str, Any] = {}
    postgres = conn.dialect.name == "postgresql"
    for c in r.table.columns:
        name = _field(r.table, c)
        if name not in row:
            continue
        value = row[name]
        target_table = _slug_target(c)
        if target_table is not None and value is not None:
            found = ids(target_table, value)
            if found is None:
                gone = {"slug": value}
                raise HistoryConflict(_blame(conn, target, _key_hash(target_table.name, gone),
                                             f"{kind_of(target_table)} {value} (which {r.label} refers to)"))
            value = found
            if target_table is r.table:
                self_refs[c.name] = value
                continue
        elif postgres and isinstance(value, str):
            value = _pg_value(c, value)
        values[c.name] = value
    return values, self_refs


def _pg_value(col: Any, value: str) -> Any:
    from sqlalchemy import Date, DateTime

    if isinstance(col.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(col.type, Date):
        return date.fromisoformat(value)
    return value


def _check_referrers(conn: Connection, target: int, table: Table, doomed: dict[int, str], hashes: set[str],
                     slugs: _Slugs) -> None:
    """Refuse when a row outside the change set refers to a record the undo deletes (`doomed`:
    id -> label)."""
    for other in recorded_tables():
        for c in other.columns:
            if not any(fk.column.table is table for fk in c.foreign_keys):
                continue
            raws = _raw_in(conn, other, c.name, list(doomed))
            slugs.fetch(ref for raw in raws for ref in _refs_wanted(other, raw))
            for raw in raws:
                row = natural(other, raw, slugs)
                key = record_key(other, row, raw.get("id"))
                h = _key_hash(other.name, key)
                if h not in hashes:
                    raise HistoryConflict(_blame(conn, target, h, f"{_label(other, key, row)}, which refers to "
                                                                  f"{doomed[raw[c.name]]},"))


def _reindex(conn: Connection, touched: list[tuple[Table, Any, Any, int | None]], ids: _Ids) -> None:
    """Recompute the search entries of every record the undo touched or whose text it changed."""
    from .kinds import SEARCHED
    from .search_index import index_records

    table_kind = {k.table: k.name for k in SEARCHED}
    tables = schema.metadata.tables
    wanted: dict[str, set[int]] = defaultdict(set)
    metrics: set[int] = set()
    documents: set[int] = set()
    wanted_refs: dict[str, tuple[Table, set[Any]]] = {}
    for table, before, after, _ in touched:
        for row in (before, after):
            for name, target in _plan(table.name).by_field.items() if row else ():
                wanted_refs.setdefault(target.name, (target, set()))[1].add(row.get(name))
    for target, values in wanted_refs.values():
        ids.prefetch(target, values)
    for table, before, after, row_id in touched:
        if table.name in table_kind and row_id is not None:
            wanted[table_kind[table.name]].add(row_id)
        for row in (before, after):
            if row is None:
                continue
            for c in table.columns:
                target = _slug_target(c)
                value = row.get(_field(table, c))
                if target is None or value is None:
                    continue
                id_ = ids(target, value)
                if id_ is None:
                    continue
                if target.name in table_kind:
                    wanted[table_kind[target.name]].add(id_)
                if target.name == "metrics":
                    metrics.add(id_)
                if target.name == "documents":
                    documents.add(id_)
        if table.name == "metrics" and row_id is not None:
            metrics.add(row_id)
        if table.name == "documents" and row_id is not None:
            documents.add(row_id)
    s = tables["statistics"]
    if metrics:
        wanted["statistic"].update(conn.execute(select(s.c.id).where(s.c.metric_id.in_(sorted(metrics)))).scalars())
    if documents:
        wanted["statistic"].update(conn.execute(select(s.c.id).where(s.c.origin_document_id.in_(sorted(documents)))).scalars())
    for kind, id_set in wanted.items():
        index_records(conn, tables, kind, id_set)
