"""`aj export`: the whole knowledge base, as tables or as one loadable bundle."""


from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import runtime


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    bundle = "bundle"
    datapackage = "datapackage"


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, json or jsonl (one file per table "
                                              "in a directory), datapackage (the CSV tables with a Frictionless "
                                              "datapackage.json), or bundle (one file `aj load` reads back).")] = ExportFormat.csv,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Directory for tables; file for a bundle "
                                                "(.yaml, .json, or .jsonl to stream any size; stdout if omitted).")] = None,
    include_unreviewed: Annotated[bool, typer.Option("--include-unreviewed", help="Also export candidates "
                                                     "nobody has reviewed yet.")] = False,
) -> None:
    """Export the whole knowledge base, as tables or as one bundle.

    Tables carry slugs instead of internal ids, and cited records a cited_by column, so a CSV opened alone still says where each record comes from. A bundle export loaded into a fresh database reproduces this one.

    Examples:

      aj export --format csv --output kb/

      aj export --format bundle --output kb.yaml

      aj export --format bundle | gzip > kb.yaml.gz

      aj export --format datapackage --output kb/      (then: frictionless validate kb/datapackage.json)
    """
    from ..errors import UsageError
    from ..export import export_tables, write_bundle
    from ..render import opened

    eng = runtime.engine()
    if fmt is ExportFormat.bundle:
        suffix = output.suffix.lower() if output is not None else ".yaml"
        if suffix not in (".json", ".jsonl", ".yaml", ".yml"):
            raise UsageError(f"--output {output}: a bundle is a .yaml, .yml, .json or .jsonl file")
        kind = {".json": "json", ".jsonl": "jsonl"}.get(suffix, "yaml")
        with eng.connect() as conn, opened(output) as stream:
            counts = write_bundle(conn, stream, kind, include_unreviewed)
        runtime.message(", ".join(f"{n} {section}" for section, n in counts.items()) + (f" written to {output}" if output else ""))
        return
    if output is None:
        raise UsageError("--output DIR is required for table exports (one file per table)")
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output}: not a directory")
    with eng.connect() as conn:
        if fmt is ExportFormat.datapackage:
            from ..datapackage import write_datapackage

            counts = write_datapackage(conn, output, include_unreviewed)
        else:
            counts = export_tables(conn, output, fmt.value, include_unreviewed)
    runtime.message(f"{len(counts)} tables, {sum(counts.values())} rows written to {output}/"
                    + (" with datapackage.json" if fmt is ExportFormat.datapackage else ""))
