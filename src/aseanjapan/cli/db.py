"""`aj db ...`: where the database is, its revision, upgrading it."""


from pathlib import Path
from typing import Annotated

import typer

from . import runtime

app = typer.Typer(help="Create, upgrade and inspect the database.", no_args_is_help=True)


@app.command("path")
@runtime.guarded
def path() -> None:
    """Print the database URL in use (from --db, AJ_DATABASE_URL or the per-user default).

    Examples:

      aj db path

      AJ_DATABASE_URL=postgresql://localhost/aj aj db path
    """
    print(runtime.database_url())


@app.command("current")
@runtime.guarded
def current() -> None:
    """Print the database's schema revision and whether it is up to date.

    Examples:

      aj db current

      aj --db postgresql://localhost/aj db current
    """
    from ..loading.digest import seed_digest
    from ..migrate import SCHEMA_HEAD, schema_state
    from ..search import SEARCH_INDEX_VERSION

    eng = runtime.engine(ready=False)
    with eng.connect() as conn:
        state = schema_state(conn)
    if state.empty:
        print(f"empty (no knowledge base yet); this aj is at {SCHEMA_HEAD}")
    else:
        note = "up to date" if state.revision == SCHEMA_HEAD else f"behind: this aj is at {SCHEMA_HEAD}"
        seed = "current" if state.seed_digest == seed_digest() else "changed since loaded"
        index = "current" if state.search_index_version == SEARCH_INDEX_VERSION else "to be rebuilt"
        print(f"{state.revision} ({note}; seed data {seed}; search index {index})")


@app.command("upgrade")
@runtime.guarded
def upgrade() -> None:
    """Create the knowledge base or bring it to this version's schema and seed data.

    The embedded SQLite database is upgraded on first use anyway; a PostgreSQL database only ever by this command.

    Examples:

      aj --db postgresql://localhost/aj db upgrade

      aj --db ./team-kb.sqlite db upgrade
    """
    from ..migrate import upgrade as run_upgrade

    eng = runtime.engine(ready=False)
    done = run_upgrade(eng)
    refreshed = [what for what, flag in (("seed data", done.seed_synced), ("search index", done.reindexed)) if flag]
    if done.before == done.after and not refreshed:
        runtime.message(f"already up to date at revision {done.after}")
    elif done.before == done.after:
        runtime.message(f"refreshed the {' and the '.join(refreshed)} at revision {done.after}")
    else:
        runtime.message(f"upgraded from {done.before or 'empty'} to {done.after}"
                        + (f" ({' and '.join(refreshed)} refreshed)" if refreshed else ""))


@app.command("backup")
@runtime.guarded
def backup(
    target: Annotated[Path, typer.Argument(help="The new SQLite file to write (must not exist).", dir_okay=False)],
) -> None:
    """Copy the whole knowledge base into a new SQLite file and check the copy.

    The copy must pass SQLite's integrity and foreign-key checks before it is kept. Use it with `aj --db COPY ...`.

    Examples:

      aj db backup ~/backups/aj-2026-11-23.sqlite

      aj --db postgresql://host/kb db backup kb-copy.sqlite
    """
    from ..backup import backup as run_backup

    counts = run_backup(runtime.engine(), target)
    runtime.message(f"backed up {sum(counts.values())} rows in {len(counts)} tables to {target} (integrity check: ok)")
