"""Finding a record from what a user types: its slug, its name or title, or an alias.

An unknown name fails with the closest matches; an ambiguous one lists its candidates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from . import kinds
from . import tables as t
from .errors import NotFoundError, UsageError
from .spelling import closest

if TYPE_CHECKING:  # a Session or a Connection: these functions only call .execute
    from sqlalchemy.orm import Session

def table_of(kind: str) -> Any:
    """The table that holds records of this kind ("statistic")."""
    return t.metadata.tables[kinds.kind(kind).table]


def names_owner(kind: str):  # noqa: ANN201 - a column
    """The column of `names` that points at a record of this kind."""
    return t.names.c[kinds.kind(kind).id_column]


def label_column(kind: str):  # noqa: ANN201 - a column
    """The column besides the slug a user may name a record of this kind by, if any."""
    label = kinds.kind(kind).label
    return table_of(kind).c[label] if label is not None else None


# Longer than any slug, name or title can be: not looked up (SQLite refuses LIKE patterns of
# ~50,000 characters), and echoed shortened.
MAX_NAME = 1000


def shown(text: str, limit: int = 80) -> str:
    """A value as an error message repeats it: whole when short, else its start and a count."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text):,} characters)"


def resolve(session: Session, kind: str, text: str) -> int:
    """The id of the one record of `kind` that `text` names."""
    from .textnorm import clean_field

    model = table_of(kind).c
    # Names are stored normalised (NFC, no invisible characters): so is what is asked for.
    wanted = text if len(text) > MAX_NAME else (clean_field(text) or "")
    if not wanted:
        raise UsageError(f"empty {kind} name")
    if len(wanted) > MAX_NAME:
        raise NotFoundError(f"no {kind} {shown(wanted)}: longer than any {kind}'s name")
    lowered = wanted.lower()
    ids = session.execute(select(model.id).where(model.slug == wanted)).scalars().all()
    if not ids:
        ids = session.execute(select(model.id).where(func.lower(model.slug) == lowered)).scalars().all()
    if not ids:
        conditions = []
        label = label_column(kind)
        if label is not None:
            conditions.append(func.lower(label) == lowered)
        if kind == "initiative":
            conditions.append(func.lower(t.initiatives.c.acronym) == lowered)
        if conditions:
            ids = session.execute(select(model.id).where(or_(*conditions))).scalars().all()
        if kinds.kind(kind).named:
            owner = names_owner(kind)
            ids = list(dict.fromkeys([*ids, *session.execute(
                select(owner).where(owner.is_not(None), func.lower(t.names.c.name) == lowered)
            ).scalars()]))
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        slugs = session.execute(select(model.slug).where(model.id.in_(ids)).order_by(model.slug)).scalars().all()
        raise NotFoundError(f"{kind} {text!r} is ambiguous: it could be {', '.join(slugs)}; give the slug")
    raise NotFoundError(f"no {kind} {shown(text)}{suggest(session, kind, wanted)}")


def resolve_many(session: Session, kind: str, texts: list[str]) -> list[int]:
    return list(dict.fromkeys(resolve(session, kind, t) for t in texts))


def suggest(session: Session, kind: str, text: str) -> str:
    """ (closest: slug, ...)": records whose slug, name or alias is spelt nearly like the
    input, then those whose slug, name or alias holds every word typed ("rising sun")."""
    model = table_of(kind).c
    label = label_column(kind)
    columns = [model.slug] + ([label] if label is not None else [])
    typed = text.lower()
    # Candidates that share a word with the input keep this fast on large tables.
    words = [w for w in typed.replace("-", " ").split() if len(w) >= 3][:5] or [typed[:3]]
    pool: dict[str, str] = {}  # a slug, name or alias, lower-cased -> the record's slug

    for column in columns:
        query = select(model.slug, column).where(or_(*[func.lower(column).contains(w, autoescape=True) for w in words]))
        for slug, value in session.execute(query.limit(200)):
            pool.setdefault(slug.lower(), slug)
            if isinstance(value, str):
                pool.setdefault(value.lower(), slug)
    if kinds.kind(kind).named:
        owner = names_owner(kind)
        aliases = (select(t.names.c.name, model.slug).join(table_of(kind), model.id == owner)
                   .where(or_(*[func.lower(t.names.c.name).contains(w, autoescape=True) for w in [*words, typed[:2]]])))
        for name, slug in session.execute(aliases.limit(200)):
            pool.setdefault(name.lower(), slug)
    if len(pool) < 10:
        for slug in session.execute(select(model.slug).limit(5000)).scalars():
            pool.setdefault(slug.lower(), slug)
    close = closest(typed, list(pool), n=5)
    parts = typed.replace("-", " ").split()
    holding = sorted(low for low in pool if all(w in low.replace("-", " ") for w in parts))
    shown = list(dict.fromkeys(pool[low] for low in [*close, *holding]))[:5]
    return f" (closest: {', '.join(shown)})" if shown else ""

