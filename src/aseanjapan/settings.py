"""Names of environment variables, defaults and resolved resource paths.

Nothing here touches the database or the filesystem at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_ENV = "AJ_DATABASE_URL"
DATA_DIR_ENV = "AJ_DATA_DIR"
SEED_DIR_ENV = "AJ_SEED_DIR"  # development: load another seed directory
DEFAULT_DB_FILENAME = "aj.sqlite"

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def _resource(packaged: str, in_repo: str) -> Path:
    # A built wheel carries the resource inside the package; an editable install
    # or a source checkout finds it at the top of the repository.
    inside = _PACKAGE_DIR / packaged
    return inside if inside.is_dir() else _REPO_ROOT / in_repo


def migrations_dir() -> Path:
    return _resource("_alembic", "alembic")


def seed_dir() -> Path:
    override = os.environ.get(SEED_DIR_ENV)
    return Path(override) if override else _resource("_seed", "data/seed")


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("aseanjapan", appauthor=False))


def default_database_path() -> Path:
    return data_dir() / DEFAULT_DB_FILENAME


def resolve_database_url(cli_value: str | None = None) -> str:
    """`--db URL|PATH`, else $AJ_DATABASE_URL, else the per-user SQLite file."""
    value = cli_value or os.environ.get(DATABASE_URL_ENV) or str(default_database_path())
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())
