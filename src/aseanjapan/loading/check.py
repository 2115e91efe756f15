"""Validate bundle files without writing anything: `python -m aseanjapan.loading.check PATH...`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ValidationError
from .integrity import Listing, Lookup, Stored, check_bundles
from .reader import ParsedBundle, read_bundles


def check_paths(paths: list[Path], lookup: Lookup | None = None, listing: Listing | None = None,
                stored: Stored | None = None) -> list[ParsedBundle]:
    """The parsed bundles, or ValidationError listing every problem in every file."""
    parsed = read_bundles(paths)
    problems = check_bundles(parsed, lookup, listing, stored)
    if problems:
        raise ValidationError(problems)
    return parsed


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    try:
        parsed = check_paths([Path(a) for a in args])
    except ValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"{len(parsed)} bundle file(s) valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
