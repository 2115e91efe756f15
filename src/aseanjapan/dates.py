"""Dates known only to a day, a month, a year or a decade.

A fuzzy date is stored as its first day plus a precision; it stands for the whole
interval up to the last day of that period, so filters compare intervals.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache


_PATTERN = re.compile(r"^(?:(?P<decade>\d{3}0)s|(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?)$")


@dataclass(frozen=True)
class FuzzyDate:
    start: date | None
    precision: str

    @property
    def end(self) -> date | None:
        return period_end(self.start, self.precision)

    def __str__(self) -> str:
        return format_fuzzy(self.start, self.precision)


def parse_fuzzy(value: object) -> FuzzyDate:
    """'2024-05-10', '2024-05', '2024', '2000s' or 'unknown'; raises ValueError otherwise."""
    if value is None:
        return FuzzyDate(None, "unknown")
    if isinstance(value, date):
        return FuzzyDate(value, "day")
    return _parse_text(str(value).strip())


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> FuzzyDate:
    if text.lower() in ("", "unknown"):
        return FuzzyDate(None, "unknown")
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM, YYYY, YYY0s or unknown)")
    if match["decade"]:
        return FuzzyDate(date(int(match["decade"]), 1, 1), "decade")
    year = int(match["y"])
    if match["m"] is None:
        return FuzzyDate(date(year, 1, 1), "year")
    month = int(match["m"])
    if not 1 <= month <= 12:
        raise ValueError(f"not a date: {text!r} (month {month} out of range)")
    if match["d"] is None:
        return FuzzyDate(date(year, month, 1), "month")
    try:
        return FuzzyDate(date(year, month, int(match["d"])), "day")
    except ValueError as exc:
        raise ValueError(f"not a date: {text!r} ({exc})") from None


def period_end(start: date | None, precision: str) -> date | None:
    if start is None:
        return None
    if precision == "day":
        return start
    if precision == "month":
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return date(start.year, 12, 31)
    if precision == "decade":
        return date(start.year + 9, 12, 31)
    raise ValueError(f"unknown precision {precision!r}")


def format_fuzzy(start: date | None, precision: str) -> str:
    if start is None or precision == "unknown":
        return "unknown"
    if precision == "day":
        return start.isoformat()
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if precision == "year":
        return f"{start.year:04d}"
    return f"{start.year:04d}s"


def format_span(start: date | None, precision: str, end: date | None, end_precision: str | None = None) -> str:
    """A start, and an explicit end (at its own precision, else the start's) when it reaches
    past the start's own period."""
    first = format_fuzzy(start, precision)
    if start is None or end is None or period_end(end, end_precision or precision) <= period_end(start, precision):
        return first
    return f"{first} – {format_fuzzy(end, end_precision or precision)}"
