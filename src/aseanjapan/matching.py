"""Whether what a reviewer is about to record is already held.

A statistic is held when one has the same metric, subject and period and a value equal
within the rounding of either (58.9 and 59 are one figure told twice; 58.9 and 58.7 are
two). An actor or initiative is held when its slug, name, acronym or one of its other names
is the name a new record would get. Reviewing a candidate (`aj review accept`, the review
sheet, the web view) asks here, so every door turns a duplicate into a citation alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from . import tables as t
from .dates import parse_fuzzy

# From this size on, trailing zeros are rounding too: "¥35 billion" is 35e9 to the billion.
# Below it they are not: 60% is not 58.9% rounded to the ten.
_SCALED = 1e6


def rounding(value: float) -> float:
    """Half the last place `value` is given to: 59 -> 0.5, 58.9 -> 0.05, 35e9 -> 0.5e9."""
    if not math.isfinite(value) or value == 0:
        return 0.5
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if abs(value) < _SCALED:
        exponent = min(exponent, 0)
    return 0.5 * 10.0 ** exponent


def same_value(a: float | None, b: float | None) -> bool:
    """Whether two figures are one within the rounding of either (both absent counts as one)."""
    if a is None or b is None:
        return a is None and b is None
    tolerance = max(rounding(a), rounding(b))
    return abs(a - b) <= tolerance * (1 + 1e-9)  # 58.9 vs 58.95 is on the edge, not past it


def held_statistic(conn: Connection, record: Mapping[str, Any]) -> str | None:
    """The slug of a statistic already held that `record` (a bundle statistic: metric and
    subject slugs, period text, unit, value, value_high) reports again, or None. The closest
    in value wins when several match."""
    s, mt, a = t.statistics.c, t.metrics.c, t.actors.c
    period = parse_fuzzy(record.get("period"))
    end = parse_fuzzy(record.get("period_end")) if record.get("period_end") is not None else None
    query = (select(s.slug, s.value, s.value_high).join(t.metrics, mt.id == s.metric_id)
             .where(mt.slug == record["metric"], s.unit == record["unit"], s.period_precision == period.precision))
    query = query.where(s.period_start.is_(None) if period.start is None else s.period_start == period.start)
    query = query.where(s.period_end.is_(None) if end is None or end.start is None else s.period_end == end.start)
    subject = record.get("subject")
    if subject is None:
        query = query.where(s.subject_id.is_(None))
    else:
        query = query.join(t.actors, a.id == s.subject_id).where(a.slug == subject)
    value, high = record["value"], record.get("value_high")
    found = [(abs(v - value), slug) for slug, v, h in conn.execute(query.order_by(s.slug))
             if same_value(v, value) and same_value(h, high)]
    return min(found)[1] if found else None


def _folded(name: str) -> str:
    from .textnorm import clean_field

    return " ".join((clean_field(name) or "").split()).lower()


def known_records(conn: Connection, kind: str, names: Iterable[str | None]) -> list[tuple[str, str]]:
    """The actors or initiatives (`kind`) already known by one of `names` (any case, spaces
    collapsed): pairs of (slug, the name that matched), one per record, by slug."""
    wanted = list(dict.fromkeys(_folded(n) for n in names if n and _folded(n)))
    if not wanted:
        return []
    table = t.actors if kind == "actor" else t.initiatives
    c, n = table.c, t.names.c
    owner = n[f"{kind}_id"]
    # the name as people write it first, the slug last: the match is reported by the name
    queries = [select(c.slug, c.name).where(func.lower(c.name).in_(wanted))]
    if kind == "initiative":
        queries.append(select(c.slug, c.acronym).where(func.lower(c.acronym).in_(wanted)))
    queries.append(select(c.slug, n.name).join(t.names, owner == c.id).where(func.lower(n.name).in_(wanted)))
    queries.append(select(c.slug, c.slug).where(func.lower(c.slug).in_(wanted)))
    found: dict[str, str] = {}
    for query in queries:
        for slug, value in conn.execute(query):
            found.setdefault(slug, value)
    return sorted(found.items())
