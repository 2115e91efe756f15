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

    The format is that of data/seed/ (see its README). All files load together in one transaction: any problem in any file and nothing is written. Loading the same file again changes nothing; a corrected file updates records by slug and reports what changed. Citations, names and links a file no longer lists are removed only when it ends with the end marker aj export writes (aj_bundle_end, its record counts): a file without it may have been cut short, so its load only adds and updates. A file that aj export began but that lacks the end marker is refused.

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
    for warning in report.warnings:
        runtime.message(f"aj: warning: {warning}")
    changes = report.changes if verbose else [c for c in report.changes if c.startswith(("updated", "citations of"))][:20]
    for change in changes:
        runtime.message(f"  {change}")
    if report.kept:
        files = ", ".join(report.unsealed)
        runtime.message(f"note: nothing was removed: {files} ha{'s' if len(report.unsealed) == 1 else 've'} no end "
                        "marker (aj_bundle_end, the record counts aj export writes last), so the load cannot tell "
                        "a file cut short from a corrected one; kept what it no longer lists:")
        for kept in report.kept[:20]:
            runtime.message(f"  {kept}")
        for pb in parsed:
            if pb.name in report.unsealed:
                counts = ", ".join(f"{section}: {n}" for section, n in pb.counts().items())
                runtime.message(f"  to remove them, end {pb.name} with: aj_bundle_end: {{{counts}}}")
