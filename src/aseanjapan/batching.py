"""Cutting a list into consecutive slices, the one way aj works through long lists a part
at a time: an `IN (...)` list within the databases' limits on bound parameters (SQLite
allows 32,766 in a statement), inserts in batches the driver sends well, patterns of a
manageable size."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

Item = TypeVar("Item")

SIZE = 500  # items per slice unless a caller knows better


def slices(items: Sequence[Item], size: int = SIZE) -> Iterator[Sequence[Item]]:
    """`items` in order, `size` at a time (the last slice may be shorter)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
