"""`aj db ...`: where the database is, its revision, upgrading it."""


from pathlib import Path
from typing import Annotated

import typer

from . import runtime

app = typer.Typer(help="Create, upgrade and inspect the database.", no_args_is_help=True)


@app.command("path")
@runtime.guarded
def path() -> None:
    """Print the database in use (from --db, AJ_DATABASE_URL or the per-user default).

    An SQLite database is printed as its plain file path, so other tools can open it; a PostgreSQL database as its URL, without the password.

    Examples:

      aj db path

      datasette "$(aj db path)"

      AJ_DATABASE_URL=postgresql://localhost/aj aj db path
    """
    from ..db import shown_url

    print(shown_url(runtime.database_url()))


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
    from ..search_index import SEARCH_INDEX_VERSION

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


@app.command("downgrade")
@runtime.guarded
def downgrade(
    revision: Annotated[str, typer.Argument(help="The older revision to go back to (e.g. 0004), or base (nothing).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do it without asking (what it drops is still listed).")] = False,
) -> None:
    """Take the schema back to an older revision, for an older aj.

    First lists what the downgrade would drop (tables and columns newer revisions added, with how many rows or values they hold), then asks; without a terminal to ask at it refuses unless --yes is given. Back up first (aj db backup). The next command of this aj upgrades the database again.

    Examples:

      aj db downgrade 0004

      aj db downgrade 0004 --yes
    """
    from ..errors import UsageError
    from ..migrate import downgrade as run_downgrade
    from ..migrate import downgrade_losses, known_revisions, schema_state

    eng = runtime.engine(ready=False)
    with eng.connect() as conn:
        current = schema_state(conn).revision
    if revision != "base" and revision not in known_revisions():
        raise UsageError(f"no revision {revision!r}; this aj knows {', '.join(sorted(known_revisions()))} and base")
    if current is None or (revision != "base" and revision >= current):
        raise UsageError(f"the database is at revision {current or 'none (empty)'}: {revision} is not older")
    losses = downgrade_losses(eng, revision)
    if losses:
        runtime.message(f"Downgrading from {current} to {revision} drops:")
        for loss in losses:
            runtime.message(f"  {loss}")
    else:
        runtime.message(f"Downgrading from {current} to {revision} drops no data.")
    if not yes:
        import sys

        if not sys.stdin.isatty():
            raise UsageError("give --yes to downgrade without being asked (nothing was changed)")
        typer.confirm("Downgrade?", abort=True, err=True)
    run_downgrade(eng, revision)
    runtime.message(f"downgraded from {current} to {revision}")


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
