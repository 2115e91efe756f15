"""Writing validated bundles into the database, by slug, in one transaction.

Written with SQLAlchemy Core against a mapping of tables, so the same code serves the
application (tables from `models`) and migrations (tables reflected from the database
as it is at that revision): columns or tables that do not exist yet are skipped.

Loading is idempotent: records are matched by slug, unchanged records are left alone,
changed fields are updated and reported. Links owned by a record (names, participants,
areas...) are replaced by what the bundle says. A record the load defines has, from each
document it cites, exactly the citations the load gives (and none from a document the load
defines but it no longer cites), so citations a corrected file drops are removed; a
citation given apart for a record the load does not define is added to what is stored,
so citations from another file or a review decision survive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, bindparam, func, select, tuple_

from ..batching import slices
from ..dates import parse_fuzzy
from ..kinds import CITED, LOAD_ORDER, kind as kind_of
from ..textnorm import content_sha256
from .bundle import SECTIONS
from .reader import ParsedBundle

Tables = Mapping[str, Table]
# Bundle fields of a document -> the columns they fill (for keeping what a bundle leaves out).
_DOCUMENT_COLUMNS = {
    "publisher": ("publisher_id",), "published": ("published_on", "published_precision"), "url": ("url",),
    "language": ("language",), "content_sha256": ("content_sha256",), "summary": ("summary",),
    "notes": ("notes",), "text": ("text", "content_sha256"), "byline": ("byline",), "source_name": ("source_name",),
    "added_at": ("added_at",),
}
_CITATION_COLUMNS = [kind.id_column for kind in CITED]  # in the order citations are written


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    changes: list[str] = field(default_factory=list)
    # What a load without removals (a bundle that cannot prove it is whole) left in place
    # although the bundle no longer lists it, per record.
    kept: list[str] = field(default_factory=list)
    unsealed: list[str] = field(default_factory=list)  # the files without an end marker
    # New names that look like names already known (textnorm.skeleton), located.
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        parts = []
        for section in SECTIONS:
            a, u, n = self.added.get(section, 0), self.updated.get(section, 0), self.unchanged.get(section, 0)
            if a or u or n:
                parts.append(f"{section}: {a} added, {u} updated, {n} unchanged")
        return "; ".join(parts) if parts else "nothing to load"


def _date_columns(prefix: str, value: str | None, precision_column: str | None = None) -> dict[str, Any]:
    fuzzy = parse_fuzzy(value)
    return {prefix: fuzzy.start, precision_column or f"{prefix}_precision": fuzzy.precision}


def _end_columns(column: str, value: str | None, precision_column: str) -> dict[str, Any]:
    """An end date and its own precision (none without an end: ends are optional)."""
    fuzzy = parse_fuzzy(value)
    return {column: fuzzy.start, precision_column: fuzzy.precision if fuzzy.start else None}


class Writer:
    def __init__(self, conn: Connection, tables: Tables, fresh_after: dict[str, int] | None = None,
                 removals: bool = True):
        self.conn = conn
        self.t = tables
        # Whether what the bundles no longer list (citations, names, links) is removed: only
        # when every bundle proves it is whole (reader.check_seal); otherwise it is kept.
        self.removals = removals
        self.parsed: list[ParsedBundle] = []
        # Highest id per section before this load began: a slug already stored with a higher id
        # was written earlier in the same (streamed) load, so it is a duplicate, not an update.
        self.fresh_after = fresh_after or {}
        self.report = LoadReport()
        self.ids: dict[str, dict[str, int]] = defaultdict(dict)  # section -> slug -> id
        self.inserted: dict[str, set[str]] = defaultdict(set)  # slugs this load inserted
        # Per table: the highest id before this writer began, and the next id it hands out.
        # New records get their ids here (writes are serialised), so bulk inserts need no
        # RETURNING, and rows owned by new records need no lookup of what existed before.
        self.start_max: dict[str, int] = {}
        self.next_id: dict[str, int] = {}
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.metric_words: dict[str, dict[str, Any]] = {}
        self.updated_ids: dict[str, set[int]] = defaultdict(set)  # records reported as updated

    # ---- lookups -------------------------------------------------------------------------
    def id_of(self, section: str, slug: str | None) -> int | None:
        if slug is None:
            return None
        known = self.ids[section]
        if slug not in known:
            self._fetch_ids(section, [slug])
        return known[slug]

    def _fetch_ids(self, section: str, slugs: Iterable[str]) -> None:
        table = self.t[kind_of(section).table]
        wanted = [s for s in set(slugs) if s not in self.ids[section]]
        for chunk in slices(wanted):
            for row in self.conn.execute(select(table.c.id, table.c.slug).where(table.c.slug.in_(chunk))):
                self.ids[section][row.slug] = row.id

    def prefetch(self, parsed: list[ParsedBundle]) -> None:
        from .integrity import referenced

        wanted: dict[str, set[str]] = defaultdict(set)
        for pb in parsed:
            for section, slugs in referenced(pb.bundle).items():
                wanted[section] |= slugs
        for section, slugs in wanted.items():
            self._fetch_ids(section, slugs)

    # ---- bulk writing ---------------------------------------------------------------------
    def _ids_from(self, table: Table) -> int:
        if table.name not in self.next_id:
            top = self.conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            self.start_max[table.name] = top
            self.next_id[table.name] = top + 1
        return self.next_id[table.name]

    def is_new(self, table_name: str, id_: int) -> bool:
        """Whether a row was inserted by this writer (so nothing it owns existed before)."""
        return table_name in self.start_max and id_ > self.start_max[table_name]

    def bulk_insert(self, table: Table, rows: list[dict[str, Any]], with_ids: bool = False) -> list[int]:
        """`driver_insert`; with `with_ids`, rows get consecutive new ids, returned in order."""
        if not rows:
            return []
        ids: list[int] = []
        if with_ids:
            first = self._ids_from(table)
            ids = list(range(first, first + len(rows)))
            self.next_id[table.name] = first + len(rows)
            rows = [{"id": id_, **row} for id_, row in zip(ids, rows)]
        driver_insert(self.conn, table, rows, bump_sequence=with_ids)
        return ids

    # ---- generic upsert ------------------------------------------------------------------
    def insert_missing(self, section: str, rows: list[dict[str, Any]]) -> None:
        """Insert the rows whose slug is not in the table yet (counted as added)."""
        table = self.t[kind_of(section).table]
        self._fetch_ids(section, [r["slug"] for r in rows])
        new = [r for r in rows if r["slug"] not in self.ids[section]]
        if not new:
            return
        for chunk in slices(new, 20000):
            ids = self.bulk_insert(table, chunk, with_ids=True)
            for r, id_ in zip(chunk, ids, strict=True):
                self.ids[section][r["slug"]] = id_
                self.inserted[section].add(r["slug"])
        self.report.added[section] += len(new)

    def upsert(self, section: str, rows: list[dict[str, Any]], keep: list[set[str]] | None = None) -> list[int]:
        """Insert new slugs, update changed ones; returns ids in the order of `rows`.
        `keep[i]` names columns of row i that an existing record keeps as stored."""
        table = self.t[kind_of(section).table]
        # Slugs inserted by an earlier pass (areas and actors are inserted first, then given
        # their links to each other) are completed with an update; rows new here are not.
        earlier = set(self.inserted[section])
        existing = self.stored_rows(table, [r["slug"] for r in rows if r["slug"] not in earlier])
        self.insert_missing(section, [r for r in rows if r["slug"] not in existing and r["slug"] not in earlier])
        changed = []
        for n, r in enumerate(rows):
            old = existing.get(r["slug"])
            if old is not None and section in self.fresh_after and old.id > self.fresh_after[section]:
                from ..errors import ValidationError

                raise ValidationError([f"duplicate {kind_of(section).name} slug {r['slug']!r} (defined earlier in this load)"])
            if old is None:
                if r["slug"] in earlier:
                    changed.append({**r, "_id": self.ids[section][r["slug"]]})  # completes a two-pass insert
                continue
            self.ids[section][r["slug"]] = old.id
            for column in keep[n] if keep else ():
                if column in r:
                    r[column] = _as_python(table.c[column], getattr(old, column))
            diffs = [(k, getattr(old, k), v) for k, v in r.items() if k != "slug" and not _same(getattr(old, k), v)]
            if diffs:
                changed.append({**r, "_id": old.id})
                shown = ", ".join(self._shown_diffs(table, old, r, [k for k, _, _ in diffs]))
                self.report.changes.append(f"updated {kind_of(section).name} {r['slug']}: {shown}")
                self.report.updated[section] += 1
                self.updated_ids[section].add(old.id)
            else:
                self.report.unchanged[section] += 1
        if changed:
            columns = [k for k in changed[0] if k not in ("_id", "slug")]
            stmt = table.update().where(table.c.id == bindparam("_id")).values(
                {c: bindparam(c) for c in columns}
            )
            self.conn.execute(stmt, changed)
        return [self.ids[section][r["slug"]] for r in rows]

    def _shown_diffs(self, table: Table, old: Any, new: dict[str, Any], columns: list[str]) -> list[str]:
        """Changed columns as the bundle format names and writes them: `subject: japan → china`,
        `period: 2023 → 2022` (a date and its precision are one field), not ids and columns."""
        from ..dates import format_fuzzy

        fuzzy = _FUZZY_FIELDS.get(table.name, {})
        shown, done = [], set()
        for column in columns:
            pairs = [(start, precision, name) for start, (precision, name) in fuzzy.items() if column in (start, precision)]
            if pairs:
                for start, precision, name in pairs:
                    if name in done or (column == precision and start not in new):
                        continue
                    done.add(name)
                    before = format_fuzzy(_as_date(getattr(old, start)), getattr(old, precision))
                    after = format_fuzzy(_as_date(new.get(start)), new.get(precision, getattr(old, precision)))
                    if before != after:
                        shown.append(f"{name}: {before} → {after}")
                continue
            name = column.removesuffix("_id") if table.c[column].foreign_keys else column
            shown.append(f"{name}: {self._shown(table, column, getattr(old, column))} → {self._shown(table, column, new[column])}")
        return shown

    def _shown(self, table: Table, column: str, value: Any) -> str:
        """A stored or new value as a user wrote it: the slug a foreign key points at, a date
        in ISO form (SQLite returns dates as text, the bundle gives date objects)."""
        if value is None:
            return "none"
        keys = table.c[column].foreign_keys
        if keys:
            target = next(iter(keys)).column.table
            if "slug" in target.c:
                slug = self.conn.execute(select(target.c.slug).where(target.c.id == value)).scalar()
                return slug or str(value)
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, str) and isinstance(table.c[column].type, (Date, DateTime)):
            return value
        return _short(value)

    def _note_change(self, section: str, id_: int, message: str, compared: bool = True) -> None:
        """A change to what a stored record owns (its citations, names, holders, ...): the record
        counts as updated, once, and the report says how. `compared`: this load defines the
        record, so comparing its fields counted it as unchanged."""
        self.report.changes.append(message)
        if id_ not in self.updated_ids[section] and not self.is_new(kind_of(section).table, id_):
            self.updated_ids[section].add(id_)
            self.report.updated[section] += 1
            if compared:
                self.report.unchanged[section] -= 1

    def stored_rows(self, table: Table, slugs: list[str]) -> dict[str, Any]:
        """The stored rows with these slugs, read through the driver in large batches (most
        slugs of a bulk load are new, so this is mostly a cheap miss)."""
        found: dict[str, Any] = {}
        if not slugs:
            return found
        columns = [c.name for c in table.columns]
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = self.conn.connection.dbapi_connection.cursor()
        try:
            postgres = self.conn.dialect.name == "postgresql"
            for chunk in slices(slugs, 10000 if postgres else 900):
                if postgres:
                    cursor.execute(f'SELECT {names} FROM "{table.name}" WHERE slug = ANY(%s)', (chunk,))
                else:
                    marks = ", ".join("?" * len(chunk))
                    cursor.execute(f'SELECT {names} FROM "{table.name}" WHERE slug IN ({marks})', chunk)
                for values in cursor.fetchall():
                    row = _Row(zip(columns, values))
                    found[row.slug] = row
        finally:
            cursor.close()
        return found

    def replace_owned(self, table_name: str, owner_column: str, owner_ids: list[int],
                      wanted: list[dict[str, Any]], key: tuple[str, ...]) -> None:
        """Make the rows of `table_name` owned by `owner_ids` exactly `wanted`."""
        table = self.t.get(table_name)
        if table is None or not owner_ids:
            return
        key = tuple(k for k in key if k in table.c)
        wanted = [{k: v for k, v in row.items() if k in table.c} for row in wanted]
        owner_table = table.c[owner_column].foreign_keys and next(iter(table.c[owner_column].foreign_keys)).column.table.name
        if owner_table and all(self.is_new(owner_table, id_) for id_ in owner_ids):
            # Records this writer created own nothing yet: just insert (duplicates dropped).
            unique = list({tuple(row.get(k) for k in key): row for row in wanted}.values())
            for chunk in slices(unique, 20000):
                self.bulk_insert(table, chunk)
            return
        have: dict[tuple[Any, ...], Any] = {}
        pk = list(table.primary_key.columns)
        for chunk in slices(list(set(owner_ids))):
            for row in self.conn.execute(select(table).where(table.c[owner_column].in_(chunk))):
                have[tuple(getattr(row, k) for k in key)] = row
        want = {tuple(row.get(k) for k in key): row for row in wanted}
        stale = [row for k, row in have.items() if k not in want]
        fresh = [row for k, row in want.items() if k not in have]
        if stale and not self.removals:
            self._report_kept(table_name, owner_column, owner_table, stale)
            stale = []
        self._report_owned(table_name, owner_column, owner_table, stale, fresh)
        if stale:
            if len(pk) == 1:
                ids = [getattr(row, pk[0].name) for row in stale]
                for chunk in slices(ids):
                    self.conn.execute(table.delete().where(pk[0].in_(chunk)))
            else:
                for chunk in slices(stale):
                    keys = [tuple(getattr(row, c.name) for c in pk) for row in chunk]
                    self.conn.execute(table.delete().where(tuple_(*pk).in_(keys)))
        for chunk in slices(fresh, 5000):
            self.conn.execute(table.insert(), chunk)

    # ---- sections ------------------------------------------------------------------------
    def write(self, parsed: list[ParsedBundle]) -> LoadReport:
        self.parsed = parsed
        self.prefetch(parsed)
        records = {section: [r for pb in parsed for r in getattr(pb.bundle, section)] for section in SECTIONS}
        self.areas(records["areas"])
        self.actors(records["actors"])
        self.documents(records["documents"])
        # Actors' names may cite documents, which in turn name actors: names come after both.
        actors = records["actors"]
        self._names("actor_id", [self.ids["actors"][a.slug] for a in actors], actors)
        metrics = records["metrics"]
        ids = self.upsert("metrics", [m.model_dump(include={"slug", "name", "unit", "description"}) for m in metrics])
        self._names("metric_id", ids, metrics)
        self.initiatives(records["initiatives"])
        self.claims(records["claims"])
        self.statistics(records["statistics"])
        self.events(records["events"])
        self.candidates(records["candidates"])
        self.relations(records["claims"], [rel for pb in parsed for rel in pb.bundle.claim_relations])
        self.conflict_reviews([r for pb in parsed for r in pb.bundle.reviewed_conflicts])
        refs = [ref for pb in parsed for ref in pb.bundle.citations]
        self.citations(records, refs)
        self.reindex(records, refs)
        self.look_alikes()
        return self.report

    def look_alikes(self) -> None:
        """Warn of each new actor or initiative whose name looks like one already known but is
        spelt with other letters (Cyrillic а in "Jаpan"): readers could not tell them apart."""
        from ..textnorm import skeleton

        for section in ("actors", "initiatives"):
            for pb in self.parsed:
                for i, record in enumerate(getattr(pb.bundle, section)):
                    if record.slug not in self.inserted[section] or record.name.isascii():
                        continue
                    shape = skeleton(record.name)
                    if shape == record.name.lower():
                        continue  # no look-alike letters in it
                    for kind, slug, name in self._named(shape):
                        if name != record.name:
                            self.report.warnings.append(
                                f"{pb.where(section, i, 'name')}: {record.name!r} looks like the known {kind} "
                                f"{name!r} ({slug}) but is spelt with other letters; if they are one, use {slug!r}")
                            break

    def _named(self, lowered: str) -> list[tuple[str, str, str]]:
        """(kind, slug, name) of the actors and initiatives with this name or other name, any case."""
        found = []
        for kind, table_name in (("actor", "actors"), ("initiative", "initiatives")):
            table = self.t[table_name]
            found += [(kind, slug, name) for slug, name in self.conn.execute(
                select(table.c.slug, table.c.name).where(func.lower(table.c.name) == lowered))]
            names = self.t.get("names")
            if names is not None:
                owner = names.c[f"{kind}_id"]
                found += [(kind, slug, name) for slug, name in self.conn.execute(
                    select(table.c.slug, names.c.name).join(names, owner == table.c.id)
                    .where(func.lower(names.c.name) == lowered))]
        return found

    def reindex(self, records: dict[str, list[Any]], refs: list[Any]) -> None:
        """Refresh the search entries of every record this load touched: records it created
        are indexed from memory, others from what the database now holds."""
        from ..search_index import compose, index_records, indexed_at_end

        if "search_entries" not in self.t:
            return
        reported: dict[str, list[str]] = defaultdict(list)
        for ref in refs:
            if ref.statistic and ref.reported_as:
                reported[ref.statistic].append(ref.reported_as)
        for section, kind in (("claims", "claim"), ("statistics", "statistic"), ("initiatives", "initiative"),
                              ("actors", "actor"), ("events", "event"), ("documents", "document")):
            table = kind_of(section).table
            cited_apart = reported if section == "statistics" else {}
            fresh, stored = [], set()
            for record in records[section]:
                id_ = self.ids[section][record.slug]
                if self.is_new(table, id_) and record.slug not in cited_apart:
                    fresh.append(record)
                else:
                    stored.add(id_)
            # A citation's wording is searchable text of its statistic: a statistic also cited
            # apart in this load is indexed from the database, where all its citations are.
            stored |= {self.id_of("statistics", slug) for slug in cited_apart}
            if section == "statistics":
                stored |= self._statistics_named_by_updates()
            if fresh:
                entries = []
                for record in fresh:
                    title, body = compose(kind, self._search_fields(kind, record))
                    entries.append({"kind": kind, "record_id": self.ids[section][record.slug], "slug": record.slug,
                                    "title": title, "body": body})
                with indexed_at_end(self.conn):
                    for chunk in slices(entries, 20000):
                        self.bulk_insert(self.t["search_entries"], chunk)
            if stored:
                index_records(self.conn, self.t, kind, sorted(stored))

    def _statistics_named_by_updates(self) -> set[int]:
        """Stored statistics whose search entry names a record this load changed: their metric
        (name, description, other names), subject (name) or origin (title)."""
        statistics = self.t["statistics"]
        found: set[int] = set()
        for section, column in (("metrics", "metric_id"), ("actors", "subject_id"), ("documents", "origin_document_id")):
            for chunk in slices(sorted(self.updated_ids[section])):
                found.update(self.conn.execute(select(statistics.c.id).where(statistics.c[column].in_(chunk))).scalars())
        return found

    def _search_fields(self, kind: str, record: Any) -> dict[str, Any]:
        """What `search_index.compose` needs, from a record in the load."""
        fields = dict(record.__dict__)  # a pydantic model's field values
        if "names" in fields:
            fields["aliases"] = [n.name for n in record.names]
        if kind == "statistic":
            fields.update(self._metric_words(record.metric))
            fields["subject_name"] = self.label("actors", record.subject) if record.subject else None
            fields["origin_title"] = self.label("documents", record.origin) if record.origin else None
            fields["reported"] = [c.reported_as for c in record.citations if c.reported_as]
        return fields

    def label(self, section: str, slug: str) -> str:
        """The name of an area, metric or actor (a document's title), cached for the load."""
        cache = self.labels[section]
        if slug not in cache:
            table = self.t[kind_of(section).table]
            name = table.c.title if section == "documents" else table.c.name
            for row in self.conn.execute(select(table.c.slug, name.label("name")).where(table.c.slug == slug)):
                cache[row.slug] = row.name
        return cache.get(slug, slug)

    def _metric_words(self, slug: str) -> dict[str, Any]:
        """What a statistic's search entry says of its metric (see `search_index.compose`), as stored
        now (this load has written its metrics and their names), cached for the load."""
        if slug not in self.metric_words:
            metrics, names = self.t["metrics"], self.t["names"]
            row = self.conn.execute(select(metrics.c.id, metrics.c.name, metrics.c.description)
                                    .where(metrics.c.slug == slug)).one()
            aliases = list(self.conn.execute(select(names.c.name).where(names.c.metric_id == row.id)
                                             .order_by(names.c.id)).scalars())
            self.metric_words[slug] = {"metric_name": row.name, "metric_description": row.description,
                                       "metric_aliases": aliases}
        return self.metric_words[slug]

    def areas(self, areas: list[Any]) -> None:
        if not areas:
            return
        # Parents may come later in the list: insert first, then point at them.
        self.insert_missing("areas", [{"slug": a.slug, "name": a.name, "description": a.description} for a in areas])
        self.upsert("areas", [{"slug": a.slug, "name": a.name, "description": a.description,
                               "parent_id": self.id_of("areas", a.parent)} for a in areas])

    def actors(self, actors: list[Any]) -> None:
        if not actors:
            return
        base = [{"slug": a.slug, "name": a.name, "kind": a.kind, "description": a.description} for a in actors]
        self.insert_missing("actors", base)
        ids = self.upsert("actors", [{**row, "country_id": self.id_of("actors", a.country)} for row, a in zip(base, actors)])
        self.replace_owned("actor_affiliations", "actor_id", ids, [
            {"actor_id": id_, "organisation_id": self.id_of("actors", f.organisation), "role": f.role}
            for id_, a in zip(ids, actors) for f in a.affiliations
        ], key=("actor_id", "organisation_id", "role"))

    def _names(self, owner: str, ids: list[int], records: list[Any]) -> None:
        self.replace_owned("names", owner, ids, [
            {owner: id_, "name": n.name, "kind": n.kind, "document_id": self.id_of("documents", n.document),
             "paragraph": n.paragraph}
            for id_, r in zip(ids, records) for n in r.names
        ], key=(owner, "name", "kind", "document_id", "paragraph"))

    def documents(self, documents: list[Any]) -> None:
        if not documents:
            return
        # A document may have been added with `aj source add` (its text, hash, URL, date) and
        # then described by a bundle: what the bundle leaves out is kept, never erased.
        keep = [{column for name, columns in _DOCUMENT_COLUMNS.items() if name not in d.model_fields_set
                 for column in columns} for d in documents]
        ids = self.upsert("documents", [{
            "slug": d.slug, "title": d.title, "kind": d.kind, "publisher_id": self.id_of("actors", d.publisher),
            **_date_columns("published_on", d.published, "published_precision"),
            "url": d.url, "language": d.language,
            "content_sha256": d.content_sha256 or (content_sha256(d.text) if d.text is not None else None),
            "summary": d.summary, "notes": d.notes, "text": d.text, "byline": d.byline, "source_name": d.source_name,
            "added_at": datetime.fromisoformat(d.added_at) if d.added_at else None,
        } for d in documents], keep)
        described = [(id_, d) for id_, d in zip(ids, documents) if "authors" in d.model_fields_set or self.is_new("documents", id_)]
        self.replace_owned("document_authors", "document_id", [id_ for id_, _ in described], [
            {"document_id": id_, "actor_id": self.id_of("actors", a), "position": pos}
            for id_, d in described for pos, a in enumerate(d.authors)
        ], key=("document_id", "actor_id", "position"))

    def _links(self, table: str, owner: str, other: str, other_section: str,
                ids: list[int], records: list[Any], field_name: str) -> None:
        self.replace_owned(table, owner, ids, [
            {owner: id_, other: self.id_of(other_section, slug)}
            for id_, r in zip(ids, records) for slug in dict.fromkeys(getattr(r, field_name))
        ], key=(owner, other))

    def initiatives(self, initiatives: list[Any]) -> None:
        if not initiatives:
            return
        ids = self.upsert("initiatives", [{
            "slug": i.slug, "name": i.name, "acronym": i.acronym, "kind": i.kind, "status": i.status,
            **_date_columns("started_on", i.started, "started_precision"), "description": i.description,
        } for i in initiatives])
        self._links("initiative_areas", "initiative_id", "area_id", "areas", ids, initiatives, "areas")
        self.replace_owned("initiative_participants", "initiative_id", ids, [
            {"initiative_id": id_, "actor_id": self.id_of("actors", p.actor), "role": p.role}
            for id_, i in zip(ids, initiatives) for p in i.participants
        ], key=("initiative_id", "actor_id", "role"))
        self._names("initiative_id", ids, initiatives)

    def claims(self, claims: list[Any]) -> None:
        if not claims:
            return
        ids = self.upsert("claims", [{"slug": c.slug, "text": c.text, "kind": c.kind} for c in claims])
        self._links("claim_holders", "claim_id", "actor_id", "actors", ids, claims, "holders")
        self._links("claim_actors", "claim_id", "actor_id", "actors", ids, claims, "actors")
        self._links("claim_initiatives", "claim_id", "initiative_id", "initiatives", ids, claims, "initiatives")
        self._links("claim_areas", "claim_id", "area_id", "areas", ids, claims, "areas")

    def statistics(self, statistics: list[Any]) -> None:
        if not statistics:
            return
        rows = []
        for s in statistics:
            period = parse_fuzzy(s.period)
            rows.append({
                "slug": s.slug, "value": s.value, "value_high": s.value_high, "unit": s.unit,
                "approximation": s.approximation, "metric_id": self.id_of("metrics", s.metric),
                "subject_id": self.id_of("actors", s.subject), "population": s.population,
                "population_actor_id": self.id_of("actors", s.population_actor),
                "period_start": period.start, "period_precision": period.precision,
                **_end_columns("period_end", s.period_end, "period_end_precision"),
                "origin_document_id": self.id_of("documents", s.origin), "description": s.description,
            })
        ids = self.upsert("statistics", rows)
        self._links("statistic_areas", "statistic_id", "area_id", "areas", ids, statistics, "areas")

    def events(self, events: list[Any]) -> None:
        if not events:
            return
        ids = self.upsert("events", [{
            "slug": e.slug, "title": e.title, "kind": e.kind,
            **_date_columns("occurred_on", e.date, "date_precision"),
            **_end_columns("ended_on", e.end_date, "end_precision"), "description": e.description,
        } for e in events])
        self._links("event_actors", "event_id", "actor_id", "actors", ids, events, "actors")
        self._links("event_initiatives", "event_id", "initiative_id", "initiatives", ids, events, "initiatives")
        self._links("event_areas", "event_id", "area_id", "areas", ids, events, "areas")

    def relations(self, claims: list[Any], refs: list[Any]) -> None:
        """A claim defined in this load gets exactly its inline relations plus those given
        apart for it; relations given apart for other claims are added or updated."""
        if "claim_relations" not in self.t:
            return
        row = lambda src, rel: {"from_claim_id": self.id_of("claims", src), "to_claim_id": self.id_of("claims", rel.claim),  # noqa: E731
                                "kind": rel.kind, "note": rel.note}
        defined = {c.slug for c in claims}
        wanted = [row(c.slug, rel) for c in claims for rel in c.relations]
        wanted += [row(rel.from_claim, rel) for rel in refs if rel.from_claim in defined]
        self.replace_owned("claim_relations", "from_claim_id", [self.id_of("claims", s) for s in defined], wanted,
                           key=("from_claim_id", "to_claim_id", "kind", "note"))
        table = self.t["claim_relations"]
        for rel in refs:
            if rel.from_claim in defined:
                continue
            r = row(rel.from_claim, rel)
            self.conn.execute(table.delete().where(table.c.from_claim_id == r["from_claim_id"],
                                                   table.c.to_claim_id == r["to_claim_id"], table.c.kind == r["kind"]))
            self.conn.execute(table.insert().values(**r))

    def conflict_reviews(self, reviews: list[Any]) -> None:
        if not reviews or "conflict_reviews" not in self.t:
            return
        table = self.t["conflict_reviews"]
        for r in reviews:
            row = {"note": r.note, "reviewed_at": datetime.fromisoformat(r.reviewed_at) if r.reviewed_at else None}
            if self.conn.execute(table.update().where(table.c.key == r.key).values(**row)).rowcount == 0:
                self.conn.execute(table.insert().values(key=r.key, **row))

    def candidates(self, candidates: list[Any]) -> None:
        if not candidates or "candidates" not in self.t:
            return
        rows = []
        for c in candidates:
            date_ = parse_fuzzy(c.date)
            rows.append({
                "slug": c.slug, "document_id": self.id_of("documents", c.document), "kind": c.kind, "status": c.status,
                "char_start": c.char_start, "char_end": c.char_end, "text": c.text, "context": c.context,
                "paragraph": c.paragraph, "value": c.value, "value_high": c.value_high, "unit": c.unit,
                "approximation": c.approximation, "counted": c.counted,
                "actor_id": self.id_of("actors", c.target) if c.kind == "actor" else None,
                "initiative_id": self.id_of("initiatives", c.target) if c.kind == "initiative" else None,
                "date_start": date_.start, "date_end": parse_fuzzy(c.end_date).start,
                "date_precision": date_.precision if date_.start else None, "name": c.name, "acronym": c.acronym,
                "decided_at": datetime.fromisoformat(c.decided_at) if c.decided_at else None,
                "note": c.note, "outcome": c.outcome,
            })
        self.upsert("candidates", rows)

    def citations(self, records: dict[str, list[Any]], refs: list[Any]) -> None:
        table = self.t["citations"]
        # (column, record id, document id) -> the citations this load gives for that pair
        wanted: dict[tuple[str, int, int], list[dict[str, Any]]] = defaultdict(list)
        # Records and documents this load defines: between them, the load's citations are the
        # whole truth, so a corrected file that drops a citation removes it.
        defined: dict[str, set[int]] = defaultdict(set)
        documents = {self.id_of("documents", d.slug) for d in records.get("documents", [])}

        def add(section: str, slug: str, c: Any) -> None:
            column = kind_of(section).id_column
            record_id, document_id = self.id_of(section, slug), self.id_of("documents", c.document)
            row = {"document_id": document_id, column: record_id, "paragraph": c.paragraph,
                   "char_start": c.char_start, "char_end": c.char_end, "reported_as": c.reported_as, "note": c.note}
            if row not in wanted[(column, record_id, document_id)]:
                wanted[(column, record_id, document_id)].append(row)

        for section, column in ((kind.plural, kind.id_column) for kind in CITED):
            for record in records[section]:
                defined[column].add(self.id_of(section, record.slug))
                for c in record.citations:
                    add(section, record.slug, c)
        # A citation given apart (top-level `citations:`) for a record this load does not
        # define adds to what that record has from the document: it is not the whole set, so
        # citations from elsewhere (another file, a review decision) are kept.
        additive: set[tuple[str, int, int]] = set()
        for ref in refs:
            kind, slug = ref.subject
            section = kind_of(kind).plural
            add(section, slug, ref)
            column = kind_of(section).id_column
            record_id = self.id_of(section, slug)
            if record_id not in defined[column]:
                additive.add((column, record_id, self.id_of("documents", ref.document)))
        if not wanted and not documents:
            return
        key = ("paragraph", "char_start", "char_end", "reported_as", "note")
        by_column: dict[str, dict[tuple[int, int], list[dict[str, Any]]]] = {c: {} for c in _CITATION_COLUMNS}
        for (column, record_id, document_id), rows in wanted.items():
            by_column[column][(record_id, document_id)] = rows
        for column, pairs in by_column.items():
            record_table = next(iter(table.c[column].foreign_keys)).column.table.name
            new_pairs = [pair for pair in pairs if self.is_new(record_table, pair[0])]
            if new_pairs:
                # A record created by this load has no citations yet: insert them all.
                fresh = [_complete(r) for pair in new_pairs for r in pairs.pop(pair)]
                for chunk in slices(fresh, 20000):
                    self.bulk_insert(table, chunk)
            owned = {id_ for id_ in defined[column] if not self.is_new(record_table, id_)} if documents else set()
            if not pairs and not owned:
                continue
            have: dict[tuple[int, int], list[Any]] = defaultdict(list)
            for chunk in slices(sorted({record_id for record_id, _ in pairs} | owned)):
                for row in self.conn.execute(select(table).where(table.c[column].in_(chunk)).order_by(table.c.id)):
                    pair = (getattr(row, column), row.document_id)
                    if pair in pairs or (pair[0] in owned and pair[1] in documents):
                        have[pair].append(row)
            stale, fresh = [], []
            counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # record id -> [added, removed]
            kept: dict[int, int] = defaultdict(int)  # record id -> citations no longer listed, kept
            for pair in sorted(have.keys() | pairs.keys()):
                old_rows, rows = have.get(pair, []), pairs.get(pair, [])
                old = {tuple(getattr(r, k) for k in key) for r in old_rows}
                new = {tuple(r[k] for k in key) for r in rows}
                if (column, *pair) in additive:
                    fresh += [r for r in rows if tuple(r[k] for k in key) not in old]
                    if new - old:
                        counts[pair[0]][0] += len(new - old)
                elif old != new and not self.removals:
                    # Only added: the citations it no longer lists stay (the bundle may be cut short).
                    fresh += [r for r in rows if tuple(r[k] for k in key) not in old]
                    if new - old:
                        counts[pair[0]][0] += len(new - old)
                    if old - new:
                        kept[pair[0]] += len(old - new)
                elif old != new:
                    # The pair is rewritten whole, in the bundle's order, as a fresh load has it.
                    stale += [r.id for r in old_rows]
                    fresh += rows
                    counts[pair[0]][0] += len(new - old)
                    counts[pair[0]][1] += len(old - new)
            for chunk in slices(stale):
                self.conn.execute(table.delete().where(table.c.id.in_(chunk)))
            for chunk in slices(fresh, 5000):
                self.conn.execute(table.insert(), [_complete(r) for r in chunk])
            self._check_still_cited(column, [id_ for id_, (_, removed) in counts.items() if removed])
            self._report_citation_changes(column, counts, defined[column])
            if kept:
                section = next(kind.plural for kind in CITED if kind.id_column == column)
                slugs = {id_: slug for slug, id_ in self.ids[section].items() if id_ in kept}
                self.report.kept += [f"citations of {kind_of(section).name} {slugs.get(id_, id_)}: {n}"
                                     for id_, n in sorted(kept.items())]

    def _check_still_cited(self, column: str, record_ids: list[int]) -> None:
        """A corrected file may drop citations, but not a record's last one: every record
        needs a document that reports it, as a new one does (the load is then undone)."""
        table = self.t["citations"]
        still: set[int] = set()
        for chunk in slices(sorted(record_ids)):
            still.update(self.conn.execute(select(table.c[column]).where(table.c[column].in_(chunk)).distinct()).scalars())
        uncited = set(record_ids) - still
        if not uncited:
            return
        from ..errors import ValidationError

        section = next(kind.plural for kind in CITED if kind.id_column == column)
        slugs = {slug for slug, id_ in self.ids[section].items() if id_ in uncited}
        problems = [f"{pb.where(section, i, 'citations')}: {kind_of(section).name} {record.slug!r} would be left with no "
                    f"citation; every {kind_of(section).name} needs a document that reports it"
                    for pb in self.parsed for i, record in enumerate(getattr(pb.bundle, section)) if record.slug in slugs]
        raise ValidationError(problems or [f"{kind_of(section).name} {slug!r} would be left with no citation" for slug in sorted(slugs)])

    def _report_citation_changes(self, column: str, counts: dict[int, list[int]], defined: set[int]) -> None:
        """A record whose citations changed is an updated record, and the report says how."""
        if not counts:
            return
        section = next(kind.plural for kind in CITED if kind.id_column == column)
        slugs = {id_: slug for slug, id_ in self.ids[section].items() if id_ in counts}
        for id_, (added, removed) in counts.items():
            self._note_change(section, id_, f"citations of {kind_of(section).name} {slugs.get(id_, id_)}: "
                                             f"{added} added, {removed} removed", compared=id_ in defined)

    def _report_kept(self, table_name: str, owner_column: str, owner_table: str | None, stale: list[Any]) -> None:
        section = next((kind.plural for kind in LOAD_ORDER if kind.table == owner_table), None)
        what = table_name.split("_", 1)[1] if "_" in table_name else table_name  # claim_holders -> holders
        counts: dict[int, int] = defaultdict(int)
        for row in stale:
            counts[getattr(row, owner_column)] += 1
        slugs = {id_: slug for slug, id_ in self.ids[section].items() if id_ in counts} if section else {}
        noun = kind_of(section).name if section else "record"
        self.report.kept += [f"{what} of {noun} {slugs.get(id_, id_)}: {n}"
                             for id_, n in sorted(counts.items())]

    def _report_owned(self, table_name: str, owner_column: str, owner_table: str | None,
                      stale: list[Any], fresh: list[dict[str, Any]]) -> None:
        """Rows a corrected file adds to or removes from a stored record's lists (names,
        participants, holders, areas, relations ...), reported per record."""
        section = next((kind.plural for kind in LOAD_ORDER if kind.table == owner_table), None)
        if section is None or not (stale or fresh):
            return
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for row in fresh:
            counts[row[owner_column]][0] += 1
        for row in stale:
            counts[getattr(row, owner_column)][1] += 1
        what = table_name.split("_", 1)[1] if "_" in table_name else table_name  # claim_holders -> holders
        slugs = {id_: slug for slug, id_ in self.ids[section].items() if id_ in counts}
        for id_, (added, removed) in sorted(counts.items()):
            if self.is_new(kind_of(section).table, id_):
                continue
            self._note_change(section, id_, f"{what} of {kind_of(section).name} {slugs.get(id_, id_)}: "
                                             f"{added} added, {removed} removed")


def _as_python(column: Any, value: Any) -> Any:
    """A value read through the driver, as the column type takes it back (SQLite gives text)."""
    if isinstance(value, str) and isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(value, str) and isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def driver_insert(conn: Connection, table: Table, rows: list[dict[str, Any]], bump_sequence: bool = False) -> None:
    """Insert many rows through the driver (executemany on SQLite, COPY on PostgreSQL),
    skipping SQLAlchemy's per-row parameter processing. Rows share their keys."""
    if not rows:
        return
    columns = [c for c in rows[0] if c in table.c]
    values = [tuple(map(row.get, columns)) for row in rows]
    postgres = conn.dialect.name == "postgresql"
    if not postgres:
        # SQLite stores dates and times as text, as SQLAlchemy writes them.
        temporal = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, (Date, DateTime))]
        if temporal:
            def shaped(value: tuple[Any, ...]) -> tuple[Any, ...]:
                row = list(value)
                for i in temporal:  # only the date columns are touched
                    row[i] = _sqlite_value(row[i])
                return tuple(row)

            values = [shaped(value) for value in values]
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        if postgres:
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for value in values:
                    copy.write_row(value)
            if bump_sequence:  # explicit ids were given: keep the sequence ahead of them
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                               f'(SELECT max(id) FROM "{table.name}"))')
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', values)
    finally:
        cursor.close()


class _Row(dict):
    """A stored row read through the driver, with attribute access."""

    __getattr__ = dict.__getitem__


def _same(stored: Any, new: Any) -> bool:
    """Whether a stored value equals a new one (SQLite returns dates as text through the driver)."""
    if stored == new:
        return True
    return isinstance(new, (date, datetime)) and isinstance(stored, str) and stored == _sqlite_value(new) or (
        isinstance(new, datetime) and isinstance(stored, str) and stored.split(".")[0] == new.strftime("%Y-%m-%d %H:%M:%S"))


def _sqlite_value(value: Any) -> Any:
    """Values as SQLAlchemy stores them on SQLite (dates and times as ISO text)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _complete(row: dict[str, Any]) -> dict[str, Any]:
    # executemany needs every row to carry the same keys.
    return {**{c: None for c in _CITATION_COLUMNS}, **row}


# A date column and its precision column are one field of the bundle format.
_FUZZY_FIELDS = {
    "events": {"occurred_on": ("date_precision", "date"), "ended_on": ("end_precision", "end_date")},
    "initiatives": {"started_on": ("started_precision", "started")},
    "documents": {"published_on": ("published_precision", "published")},
    "statistics": {"period_start": ("period_precision", "period"), "period_end": ("period_end_precision", "period_end")},
}


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return date.fromisoformat(str(value)[:10])


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def load_parsed(conn: Connection, tables: Tables, parsed: list[ParsedBundle],
                fresh_after: dict[str, int] | None = None, removals: bool | None = None) -> LoadReport:
    """Write the bundles. `removals`: whether what they no longer list is removed; by
    default, when every one of them is known to be whole (`ParsedBundle.complete`)."""
    if removals is None:
        removals = all(pb.complete for pb in parsed)
    return Writer(conn, tables, fresh_after, removals).write(parsed)


def high_water_marks(conn: Connection, tables: Tables) -> dict[str, int]:
    """The highest id in each record table, to tell this load's rows from older ones."""
    from sqlalchemy import func

    marks = {}
    for section in SECTIONS:
        table = tables.get(kind_of(section).table)
        if table is not None:
            marks[section] = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return marks


def merge_reports(total: LoadReport, part: LoadReport, max_changes: int = 1000) -> None:
    for attr in ("added", "updated", "unchanged"):
        for section, n in getattr(part, attr).items():
            getattr(total, attr)[section] += n
    room = max_changes - len(total.changes)
    if room > 0:
        total.changes.extend(part.changes[:room])
    total.kept.extend(part.kept[:max(0, max_changes - len(total.kept))])
