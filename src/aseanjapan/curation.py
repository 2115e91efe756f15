"""What curating a document needs besides deciding on its passages: its defaults (the origin,
subject, period, population and areas its figures share, given once), and the records a
decision may need first (a metric for a figure, the survey or report it comes from).

Decisions (review.py), the review sheet and the web view call these; new metrics and origin
documents are written as bundles through the loader, like every other record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Engine, select

from . import tables as t
from .db import read_session, write_connection
from .errors import NotFoundError, UsageError

DEFAULT_FIELDS = ("origin", "subject", "period", "population", "areas")


@dataclass
class Defaults:
    """A document's defaults, records named by slug."""

    document: str
    origin: str | None = None
    subject: str | None = None
    period: str | None = None
    population: str | None = None
    areas: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"document": self.document, "origin": self.origin, "subject": self.subject, "period": self.period,
                "population": self.population, "areas": self.areas}


def read_defaults(conn: Connection, document_id: int, document: str) -> Defaults:
    d, docs, actors, areas = t.document_defaults, t.documents, t.actors, t.policy_areas
    origin = docs.alias("origin")
    row = conn.execute(select(origin.c.slug.label("origin"), actors.c.slug.label("subject"), d.c.period, d.c.population)
                       .select_from(d).outerjoin(origin, origin.c.id == d.c.origin_document_id)
                       .outerjoin(actors, actors.c.id == d.c.subject_id).where(d.c.document_id == document_id)).first()
    chosen = list(conn.execute(select(areas.c.slug).join(t.document_default_areas, t.document_default_areas.c.area_id == areas.c.id)
                               .where(t.document_default_areas.c.document_id == document_id).order_by(areas.c.slug)).scalars())
    if row is None:
        return Defaults(document, areas=chosen)
    return Defaults(document, row.origin, row.subject, row.period, row.population, chosen)


def _id_of(conn: Connection, kind: str, text: str) -> int:
    from .lookup import resolve

    return resolve(conn, kind, text)


def _slug(conn: Connection, kind: str, id_: int) -> str:
    from .lookup import table_of

    table = table_of(kind)
    return conn.execute(select(table.c.slug).where(table.c.id == id_)).scalar_one()


def get_defaults(engine: Engine, document: str) -> Defaults:
    with read_session(engine) as session:
        conn = session.connection()
        id_ = _id_of(conn, "document", document)
        return read_defaults(conn, id_, _slug(conn, "document", id_))


def set_defaults(engine: Engine, document: str, changes: dict[str, Any], clear: list[str] | None = None,
                 new_origin: dict[str, Any] | None = None) -> Defaults:
    """Set some of a document's defaults (the others are kept; those in `clear` are emptied).
    `changes` maps field names of DEFAULT_FIELDS to values (areas: a list); records are named
    by slug, name or alias. `new_origin` (the arguments of `origin_record`) makes the origin
    document first, in the same transaction."""
    with write_connection(engine) as conn:
        return set_defaults_on(conn, document, changes, clear, new_origin)


def set_defaults_on(conn: Connection, document: str, changes: dict[str, Any], clear: list[str] | None = None,
                    new_origin: dict[str, Any] | None = None) -> Defaults:
    """`set_defaults` inside a transaction the caller holds (the review sheet's defaults)."""
    from .dates import parse_fuzzy
    from .loading.bundle import DATE_PATTERN

    clear = clear or []
    unknown = [name for name in [*changes, *clear] if name not in DEFAULT_FIELDS]
    if unknown:
        raise UsageError(f"no default {unknown[0]!r} (defaults are {', '.join(DEFAULT_FIELDS)})")
    both = set(changes) & set(clear)
    if both:
        raise UsageError(f"--{sorted(both)[0]} is both set and cleared")
    period = changes.get("period")
    if period is not None:
        import re

        try:
            if not re.match(DATE_PATTERN, period):
                raise ValueError
            parse_fuzzy(period)
        except ValueError:
            raise UsageError(f"--period: not a date: {period!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
    population = changes.get("population")
    if population is not None and len(population) > 300:
        raise UsageError(f"--population: too long ({len(population)} characters; at most 300)")
    d = t.document_defaults
    if new_origin is not None and "origin" in changes:
        raise UsageError("give --origin (a known document) or --new-origin (a new one), not both")
    document_id = _id_of(conn, "document", document)
    if new_origin is not None:
        from .loading.load import load_data

        record = origin_record(conn, **new_origin)
        load_data(conn, {"documents": [record]}, "--new-origin")
        changes = {**changes, "origin": record["slug"]}
    values: dict[str, Any] = {}
    if "origin" in changes:
        values["origin_document_id"] = _id_of(conn, "document", changes["origin"])
        if values["origin_document_id"] == document_id:
            raise UsageError("--origin: a document is not the origin of its own figures (the origin is the "
                             "survey or report they come from)")
    if "subject" in changes:
        values["subject_id"] = _id_of(conn, "actor", changes["subject"])
    for name in ("period", "population"):
        if name in changes:
            values[name] = changes[name]
    for name in clear:
        if name != "areas":
            values[{"origin": "origin_document_id", "subject": "subject_id"}.get(name, name)] = None
    areas = [_id_of(conn, "area", a) for a in changes["areas"]] if "areas" in changes else None
    exists = conn.execute(select(d.c.document_id).where(d.c.document_id == document_id)).first() is not None
    if exists and values:
        conn.execute(d.update().where(d.c.document_id == document_id).values(**values))
    elif not exists:
        conn.execute(d.insert().values(document_id=document_id, **values))
    if areas is not None or "areas" in clear:
        link = t.document_default_areas
        conn.execute(link.delete().where(link.c.document_id == document_id))
        for area_id in dict.fromkeys(areas or []):
            conn.execute(link.insert().values(document_id=document_id, area_id=area_id))
    return read_defaults(conn, document_id, _slug(conn, "document", document_id))


def fill_defaults(conn: Connection, document_id: int, decision: Any, fields: tuple[str, ...]) -> Any:
    """The decision with what it leaves empty among `fields` taken from the document's defaults."""
    defaults = read_defaults(conn, document_id, "")
    filled = {name: getattr(defaults, name) for name in fields
              if getattr(decision, name) in (None, []) and getattr(defaults, name) not in (None, [])}
    return replace(decision, **filled) if filled else decision


# ---- records a decision needs first ----------------------------------------------------------

def metric_record(conn: Connection, name: str, unit: str, description: str | None = None,
                  aliases: list[str] | tuple[str, ...] = (), slug: str | None = None) -> dict[str, Any]:
    """A new metric as a bundle record (slug made from the name unless given); a name any
    metric already has or goes by is refused, naming that metric."""
    from .loading.ingest import unique_slug
    from .textnorm import clean_field

    name = clean_field(name) or ""
    if not name:
        raise UsageError("the new metric needs a name")
    for text in (name, *aliases):
        try:
            known = _slug(conn, "metric", _id_of(conn, "metric", text))
        except NotFoundError:
            continue
        raise UsageError(f"a metric named {text!r} exists already: {known!r} (give --metric {known})")
    record: dict[str, Any] = {"slug": slug or unique_slug(conn, "metrics", name), "name": name, "unit": unit}
    if description:
        record["description"] = description
    if aliases:
        record["names"] = [{"name": alias, "kind": "alias"} for alias in dict.fromkeys(aliases)]
    return record


def new_metric(engine: Engine, name: str, unit: str, description: str | None = None,
               aliases: list[str] | tuple[str, ...] = (), slug: str | None = None) -> str:
    from .loading.load import load_data

    with write_connection(engine) as conn:
        record = metric_record(conn, name, unit, description, aliases, slug)
        load_data(conn, {"metrics": [record]}, "new metric")
    return record["slug"]


def origin_record(conn: Connection, title: str, kind: str = "report", publisher: str | None = None,
                  published: str | None = None, url: str | None = None, summary: str | None = None,
                  slug: str | None = None) -> dict[str, Any]:
    """A new origin document (the survey or report an article's figures come from) as a
    bundle record; a title a document already has is refused, naming it."""
    from .loading.ingest import unique_slug
    from .textnorm import clean_field

    title = clean_field(title) or ""
    if not title:
        raise UsageError("the new document needs a title")
    known = _same_title(conn, title)
    if known:
        raise UsageError(f"a document titled {title!r} exists already: {known!r}")
    record: dict[str, Any] = {"slug": slug or unique_slug(conn, "documents", title), "title": title, "kind": kind,
                              "publisher": _slug(conn, "actor", _id_of(conn, "actor", publisher)) if publisher else None,
                              "published": published, "url": url, "summary": summary}
    return {k: v for k, v in record.items() if v is not None}


def _title_key(title: str) -> str:
    """A title as compared for sameness: its letters and digits, any case or punctuation."""
    import re

    return " ".join(re.findall(r"\w+", title.casefold()))


def _same_title(conn: Connection, title: str) -> str | None:
    """The slug of a document with the same title but for case and punctuation."""
    key = _title_key(title)
    if not key:
        return None
    docs = t.documents
    longest = max(key.split(), key=len)
    for slug, other in conn.execute(select(docs.c.slug, docs.c.title).where(docs.c.title.ilike(f"%{longest}%"))):
        if _title_key(other) == key:
            return slug
    return None


def new_origin(engine: Engine, title: str, **details: Any) -> str:
    from .loading.load import load_data

    with write_connection(engine) as conn:
        record = origin_record(conn, title, **details)
        load_data(conn, {"documents": [record]}, "new origin")
    return record["slug"]
