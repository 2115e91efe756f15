"""`aj load FILE...`: add or update curated records from bundle files."""


from pathlib import Path
from typing import Annotated

import typer

from . import runtime


def load(
    files: Annotated[list[Path], typer.Argument(help="Bundle files (.yaml, .yml, .json) or directories of them.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every changed field.")] = False,
) -> None:
    """Load curated bundle files (YAML or JSON).

    The format is that of data/seed/ (see its README). All files load together in one transaction: any problem in any file and nothing is written. Loading the same file again changes nothing; a corrected file updates records by slug and reports what changed.

    Examples:

      aj load my-bundle.yaml

      aj load --dry-run bundles/
    """
    from ..loading.load import load_files

    parsed, report = load_files(runtime.engine(), files, dry_run=dry_run)
    if report is None:
        runtime.message(f"{len(parsed)} file(s) valid; nothing written (--dry-run)")
        return
    runtime.message(report.summary())
    changes = report.changes if verbose else [c for c in report.changes if c.startswith(("updated", "citations of"))][:20]
    for change in changes:
        runtime.message(f"  {change}")
