"""`aj source add FILE...`: store raw articles and propose candidate records for review."""


import sys
from pathlib import Path
from typing import Annotated

import typer

from . import runtime

app = typer.Typer(help="Add raw sources (articles, reports) to the knowledge base.", no_args_is_help=True)

SOURCE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf")


def _expand(paths: list[str]) -> tuple[list[str], list[str]]:
    """Files as given ('-' is stdin); directories expand to the sources inside them. Also the
    files of those directories left out for their type (hidden files are not counted)."""
    out: list[str] = []
    skipped: list[str] = []
    for given in paths:
        path = Path(given)
        if given != "-" and path.is_dir():
            for p in sorted(path.rglob("*")):
                if not p.is_file() or any(part.startswith(".") for part in p.relative_to(path).parts):
                    continue
                (out if p.suffix.lower() in SOURCE_SUFFIXES else skipped).append(str(p))
        else:
            out.append(given)
    return out, skipped


@app.command("add")
@runtime.guarded
def add(
    files: Annotated[list[Path], typer.Argument(help="Files (.txt, .md, .html, .pdf), directories, or - for stdin.")],
    title: Annotated[str | None, typer.Option("--title", help="Title (default: from the file).")] = None,
    author: Annotated[list[str], typer.Option("--author", help="An author who is a known actor (slug or name); repeat for several.")] = [],
    publisher: Annotated[str | None, typer.Option("--publisher", help="The publisher, a known actor.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD (default: from the file).")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where the source lives online (default: from the file).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Document kind: op-ed, report, news, ... (default: by file type).")] = None,
    slug: Annotated[str | None, typer.Option("--slug", help="The document's slug (default: from the title).")] = None,
    source_type: Annotated[str | None, typer.Option("--type", help="txt, md, html or pdf, when the name does not say (stdin).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="Report format: table (default on a terminal) or json.")] = None,
) -> None:
    """Store sources as clean text and propose what they contain.

    Each source's main text is extracted (navigation, footers and scripts removed from HTML; running headers and page numbers from PDF), normalised, hashed and stored with its metadata. A source whose text is already stored is refused, naming the existing document. Candidate figures, dates and mentions of known and unknown actors and initiatives are then proposed, each with its exact span, for `aj review`. Each file is added on its own: one bad file does not stop the others and leaves nothing behind.

    Examples:

      aj source add article.html --author kitti-prasirtsuk

      aj source add reports/ --kind report

      curl -s https://example.org/a.html | aj source add - --type html --url https://example.org/a.html
    """
    from ..errors import AjError, DuplicateSource
    from ..files import display, read_regular
    from ..loading.sources import MAX_SOURCE_BYTES
    from ..textnorm import json_text, one_line
    from ..loading.ingest import AddResult, SourceOptions, add_source, check_options, known_names

    options = SourceOptions(title=title, authors=author, publisher=publisher, date=date, url=url, kind=kind,
                            slug=slug, source_type=source_type)
    names, skipped = _expand([str(f) for f in files])
    if not names:
        from ..errors import UsageError

        raise UsageError("no source files found" + (f" ({len(skipped)} file(s) of other types)" if skipped else ""))
    if len(names) > 1 and (title or slug or url):
        from ..errors import UsageError

        raise UsageError("--title, --slug and --url describe one source; give one file with them")
    check_options(options, ("stdin" if names[0] == "-" else names[0]) if len(names) == 1 else None)
    eng = runtime.engine()
    with eng.connect() as conn:
        known = known_names(conn)
    results: list[AddResult] = []

    def one(name: str) -> AddResult:
        """Add one file in its own transaction; any failure is that file's result, not the batch's."""
        # A name that is not UTF-8 is read as it is and shown (and stored) with its odd bytes as \xNN.
        label = "stdin" if name == "-" else display(name)
        try:
            raw = sys.stdin.buffer.read() if name == "-" else read_regular(Path(name), MAX_SOURCE_BYTES)
            return add_source(eng, label, raw, options, known)
        except AjError as exc:
            status = "duplicate" if isinstance(exc, DuplicateSource) else "failed"
            return AddResult(label, status, message=_located(label, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a database or reader failure: this file failed, go on
            if runtime.state.debug:
                raise
            return AddResult(label, "failed", message=_located(label, runtime.describe(exc)))

    if len(names) > 1 and sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(console=runtime.err_console(), transient=True) as progress:
            task = progress.add_task("Adding sources", total=len(names))
            for name in names:
                results.append(one(name))
                progress.advance(task)
    else:
        results = [one(name) for name in names]
    results += [AddResult(display(name), "skipped", message=f"{display(name)}: not a source type (use {', '.join(SOURCE_SUFFIXES)})")
                for name in skipped]

    added = [r for r in results if r.status == "added"]
    duplicates = [r for r in results if r.status == "duplicate"]
    failed = [r for r in results if r.status == "failed"]
    if skipped:
        types = sorted({Path(name).suffix.lower() or "(no extension)" for name in skipped})
        print(f"aj: note: {len(skipped)} file(s) in the folder(s) left out, not of a source type: {', '.join(types)}",
              file=sys.stderr)
    if fmt == "json" or (fmt is None and not sys.stdout.isatty()):
        print(json_text([r.__dict__ for r in results], indent=2))
    else:
        for r in added:
            print(f"added {r.document} ({r.candidates} candidates to review)")
    for r in results:
        for warning in r.warnings:
            print(f"aj: warning: {one_line(warning)}", file=sys.stderr)
    for r in duplicates + failed:
        print(f"aj: {'duplicate' if r.status == 'duplicate' else 'error'}: {one_line(r.message)}", file=sys.stderr)
    runtime.message(f"{len(added)} added, {len(duplicates)} duplicate, {len(failed)} failed"
                    + (f", {len(skipped)} skipped" if skipped else "")
                    + (" — next: aj review list" if added else ""))
    # A refused duplicate is an error when it is all there was; re-adding a folder that holds
    # some new files and some stored ones is not.
    if failed or (duplicates and not added):
        raise typer.Exit(1)


@app.command("remove")
@runtime.guarded
def remove(
    document: Annotated[str, typer.Argument(metavar="DOC", help="The document's slug (aj query documents).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be removed; change nothing.")] = False,
) -> None:
    """Remove a source with its candidates and the records only it supports.

    Records other documents also cite stay, losing only this document's citations; a statistic whose origin it was keeps its figure without the origin. One change set: aj undo brings it all back. Nothing is asked; what was removed is printed.

    Examples:

      aj source remove harbour-survey-notes --dry-run

      aj source remove harbour-survey-notes
    """
    from ..removal import remove_source

    result = remove_source(runtime.engine(), document, dry_run=dry_run)
    verb = "would remove" if result.dry_run else "removed"
    print(f"{verb} document {result.document} and its {result.candidates} candidate(s)")
    for line in result.removed:
        print(f"{verb} {line} (cited by no other document)")
    for line in result.uncited:
        print(f"{'would keep' if result.dry_run else 'kept'} {line}, cited by other documents (only this document's citations go)")
    for line in result.origins_cleared:
        print(f"{'would clear' if result.dry_run else 'cleared'} the origin of {line}")
    if result.dry_run:
        runtime.message("nothing was changed (--dry-run)")
    elif result.change_set:
        runtime.message(f"change set {result.change_set} (aj undo {result.change_set} brings it back)")


def _located(label: str, message: str) -> str:
    """The message, starting with the file it is about (printed on one line: see one_line)."""
    first = message.strip() or "failed"
    return first if first.startswith(label) else f"{label}: {first}"
