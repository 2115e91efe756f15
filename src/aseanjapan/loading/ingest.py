"""Adding raw sources: store the clean text with its hash and metadata, then propose
candidate records for review. One source, one transaction: a failure leaves nothing."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, func, select

from .. import models as m
from ..dates import FuzzyDate, parse_fuzzy
from ..db import write_connection
from ..errors import DuplicateSource, UsageError, ValidationError
from ..extract import Candidate, KnownName, extract
from ..textnorm import clean_field, content_sha256
from .sources import read_source


@dataclass
class SourceOptions:
    title: str | None = None
    authors: list[str] = field(default_factory=list)  # existing actors: slug, name or alias
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    kind: str | None = None
    slug: str | None = None
    source_type: str | None = None  # txt | md | html | pdf, when the name does not say


@dataclass
class AddResult:
    name: str
    status: str  # added | duplicate | failed | skipped (a file of another type in a folder)
    document: str | None = None
    candidates: int = 0
    message: str = ""
    warnings: list[str] = field(default_factory=list)


def check_options(options: SourceOptions, name: str | None = None) -> None:
    """Refuse option values that could not be stored, before any file is read or written:
    a slug that breaks the bundle format's rule or the column's length, a title or URL
    longer than its column, an unknown kind, an unreadable date. Raises UsageError."""
    from ..vocab import DOCUMENT_KINDS
    from .bundle import SLUG_PATTERN

    where = f"{name}: " if name else ""
    documents = m.Document.__table__
    if options.slug is not None:
        limit = documents.c.slug.type.length
        if len(options.slug) > limit:
            raise UsageError(f"{where}--slug: {len(options.slug):,} characters long; the limit is {limit}")
        if not re.match(SLUG_PATTERN, options.slug):
            raise UsageError(f"{where}--slug: {options.slug!r} is not a slug: use lowercase letters, digits and "
                             f"single dashes (e.g. {slugify(options.slug, limit=limit)!r})")
    for option, value, column in (("--title", options.title, documents.c.title), ("--url", options.url, documents.c.url)):
        if value is not None and len(value) > column.type.length:
            raise UsageError(f"{where}{option}: {len(value):,} characters long; the limit is {column.type.length:,}")
    if options.url is not None and not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", options.url.strip(), re.IGNORECASE):
        raise UsageError(f"{where}--url: {options.url!r} is not a URL; give the full address (https://...)")
    if options.kind is not None and options.kind not in DOCUMENT_KINDS:
        raise UsageError(f"{where}--kind: unknown document kind {options.kind!r}; use one of {', '.join(DOCUMENT_KINDS)}")
    if options.date is not None:
        try:
            parse_fuzzy(options.date)
        except ValueError as exc:
            raise UsageError(f"{where}--date: {exc}") from None


def slugify(text: str, limit: int = 80) -> str:
    # Dashes of every kind (en, em, non-breaking hyphen, minus) separate words, as "-" does;
    # without this, the ASCII folding below drops them and merges the words around them.
    text = "".join(" " if unicodedata.category(ch) == "Pd" or ch == "\u2212" else ch for ch in text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "source"


def unique_slug(conn: Connection, table_name: str, wanted: str) -> str:
    """`wanted` made into a slug no record of the table has yet (adding -2, -3, ...)."""
    table = m.Base.metadata.tables[table_name]
    base = slugify(wanted, limit=min(80, table.c.slug.type.length - 8))  # room for a "-N" suffix
    taken = set(conn.execute(select(table.c.slug).where(table.c.slug.like(f"{base}%"))).scalars())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def known_names(conn: Connection) -> list[KnownName]:
    """Every name, acronym and alias of the actors and initiatives in the database."""
    names: list[KnownName] = []
    a, i, n = m.Actor.__table__, m.Initiative.__table__, m.Name.__table__
    names += [KnownName(name, "actor", slug) for slug, name in conn.execute(select(a.c.slug, a.c.name))]
    for slug, name, acronym in conn.execute(select(i.c.slug, i.c.name, i.c.acronym)):
        names.append(KnownName(name, "initiative", slug))
        if acronym:
            names.append(KnownName(acronym, "initiative", slug))
    names += [KnownName(name, "actor", slug, alias=kind == "alias") for name, slug, kind in
              conn.execute(select(n.c.name, a.c.slug, n.c.kind).join(a, a.c.id == n.c.actor_id))]
    names += [KnownName(name, "initiative", slug, alias=kind == "alias") for name, slug, kind in
              conn.execute(select(n.c.name, i.c.slug, n.c.kind).join(i, i.c.id == n.c.initiative_id))]
    return names


def _resolve_actor(conn: Connection, name: str) -> int:
    from sqlalchemy.orm import Session

    from ..lookup import resolve

    with Session(bind=conn) as session:
        return resolve(session, "actor", name)


def _known_actor(conn: Connection, name: str) -> int | None:
    """The one actor whose slug, name or alias is `name` (any case), if there is one: an
    author the file names who is unknown or ambiguous is kept in the byline only."""
    a, n = m.Actor.__table__, m.Name.__table__
    wanted = name.strip().lower()
    ids = set(conn.execute(select(a.c.id).where((func.lower(a.c.slug) == wanted) | (func.lower(a.c.name) == wanted))
                           ).scalars())
    ids |= set(conn.execute(select(n.c.actor_id).where(n.c.actor_id.is_not(None), func.lower(n.c.name) == wanted)
                            ).scalars())
    return ids.pop() if len(ids) == 1 else None


def title_from_name(name: str) -> str:
    """A title made from a file name, for a source that gives none: "many/brief-02.md" -> "Brief 02"."""
    stem = re.sub(r"\.[A-Za-z]+$", "", re.split(r"[\\/]", name)[-1])
    words = " ".join(re.sub(r"[-_.]+", " ", stem).split())
    return (words[:1].upper() + words[1:]) if words else name


def _shorten(text: str | None, limit: int = 80) -> str | None:
    return text if text is None or len(text) <= limit else text[: limit - 1] + "…"


def add_source(engine: Engine, name: str, raw: bytes, options: SourceOptions | None = None,
               names: list[KnownName] | None = None) -> AddResult:
    """Store one source and its candidates; raises UsageError (a bad option), ValidationError
    (an unreadable file) or DuplicateSource; any other failure (a database error) rolls the
    source back and propagates.

    `names` (from `known_names`) can be passed in when adding many sources at once.
    """
    options = options or SourceOptions()
    check_options(options, name)
    source = read_source(name, raw, options.source_type)
    kind = options.kind or source.kind
    warnings: list[str] = []
    try:
        published = parse_fuzzy(options.date or source.published)
    except ValueError:
        published = parse_fuzzy(None)  # an unreadable date in the file itself is left unknown, and said so
        warnings.append(f"{name}: cannot read the date {_shorten(source.published)!r} in the file; "
                        "stored as unknown (give --date)")
    if source.date_from and not options.date and published.start is not None:
        warnings.append(f"{name}: the date {source.published} is {source.date_from}, which may be later than "
                        "publication (give --date to set it)")
    documents = m.Document.__table__
    # Metadata read from the file is cleaned and fitted to its column before anything is written.
    title = clean_field(options.title) or clean_field(source.title) or title_from_name(name)
    title = title[: documents.c.title.type.length]
    byline = _clip(clean_field(source.byline), documents.c.byline.type.length)
    url = clean_field(options.url) or clean_field(source.url)
    if url and len(url) > documents.c.url.type.length:
        raise ValidationError([f"{name}: the URL in the file is {len(url):,} characters long; the limit is "
                               f"{documents.c.url.type.length:,} (give --url)"])
    digest = content_sha256(source.text)
    with write_connection(engine) as conn:
        digests = [digest, *(content_sha256(text) for text in source.earlier_texts)]
        existing = conn.execute(select(documents.c.slug).where(documents.c.content_sha256.in_(digests))).scalar()
        if existing:
            raise DuplicateSource(f"{name}: already stored as document {existing!r} (same text)")
        if options.authors:  # two spellings of one author (slug and name) are one author
            authors = list(dict.fromkeys(_resolve_actor(conn, author) for author in options.authors))
        else:  # authors the file names who are known actors; the byline keeps every name
            authors = list(dict.fromkeys(filter(None, (_known_actor(conn, author) for author in source.authors))))
        publisher = _resolve_actor(conn, options.publisher) if options.publisher else None
        if options.slug:
            taken = select(func.count()).select_from(documents).where(documents.c.slug == options.slug)
            if conn.execute(taken).scalar():
                raise ValidationError([f"--slug: a document {options.slug!r} exists already"])
            slug = options.slug
        else:
            slug = unique_slug(conn, "documents", title)
        document_id = conn.execute(documents.insert().values(
            slug=slug, title=title, kind=kind, publisher_id=publisher, published_on=published.start,
            published_precision=published.precision, url=url, language="en",
            content_sha256=digest, text=source.text, byline=byline,
            source_name=(clean_field(name) or "")[: documents.c.source_name.type.length],
            added_at=datetime.now(timezone.utc).replace(tzinfo=None),
        ).returning(documents.c.id)).scalar_one()
        if authors:
            conn.execute(m.document_authors.insert(), [
                {"document_id": document_id, "actor_id": actor, "position": pos} for pos, actor in enumerate(authors)])
        candidates = store_candidates(conn, document_id, slug, source.text, names, published)
        from ..search_index import index_records

        index_records(conn, m.Base.metadata.tables, "document", [document_id])
    return AddResult(name, "added", slug, candidates, warnings=warnings)


def _clip(text: str | None, limit: int) -> str | None:
    """`text` cut to at most `limit` characters, at a word boundary when there is one."""
    if text is None or len(text) <= limit:
        return text
    cut = text[:limit]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def _fits(candidate: Candidate, limits: tuple[tuple[str, int], ...]) -> bool:
    """Whether every bounded text field of a candidate fits its column. One that does not
    (a 400-character run of capitalised words taken for a name) is no plausible proposal."""
    for field_name, limit in limits:  # a plain loop: called for every candidate of a long text
        value = getattr(candidate, field_name)
        if value is not None and len(value) > limit:
            return False
    return True


def propose_candidates(text: str, names: list[KnownName], published: FuzzyDate | None = None) -> list[Candidate]:
    """The candidates `aj source add` stores for a stored text (the quality benchmark,
    bench/quality/score.py, measures this very function)."""
    columns = m.Candidate.__table__.c
    # the fields extraction fills from the text itself (the others come from short vocabularies)
    limits = tuple((f, columns[f].type.length) for f in ("counted", "name", "acronym", "role", "date_note"))
    return [c for c in extract(text, names, published) if _fits(c, limits)]


def store_candidates(conn: Connection, document_id: int, document_slug: str, text: str,
                     names: list[KnownName] | None = None, published: FuzzyDate | None = None) -> int:
    found = propose_candidates(text, known_names(conn) if names is None else names, published)
    a, i = m.Actor.__table__, m.Initiative.__table__
    actor_ids = dict(conn.execute(select(a.c.slug, a.c.id)).all())
    initiative_ids = dict(conn.execute(select(i.c.slug, i.c.id)).all())
    rows = [{
        "slug": f"{document_slug}-c{n}", "document_id": document_id, "kind": c.kind, "status": "pending",
        "char_start": c.start, "char_end": c.end, "text": c.text, "context": c.context, "paragraph": c.paragraph,
        "value": c.value, "value_high": c.value_high, "unit": c.unit, "approximation": c.approximation,
        "counted": c.counted, "actor_id": actor_ids.get(c.target) if c.kind == "actor" else None,
        "initiative_id": initiative_ids.get(c.target) if c.kind == "initiative" else None,
        "date_start": c.date_start, "date_end": c.date_end, "date_precision": c.date_precision,
        "name": c.name, "acronym": c.acronym, "name_type": c.name_type, "role": c.role, "date_note": c.date_note,
        "occurrences": json.dumps(c.occurrences) if len(c.occurrences) > 1 else None,
    } for n, c in enumerate(found, start=1)]
    from .writer import driver_insert

    driver_insert(conn, m.Candidate.__table__, rows)
    return len(rows)
