"""The seed data's digest, cheap enough to check before every command (no heavy imports)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..settings import seed_dir

SEED_DIGEST_KEY = "seed_digest"
SEED_SUFFIXES = (".yaml", ".yml", ".json")


def seed_digest(directory: Path | None = None) -> str:
    """A digest of every seed file's path and bytes: it changes when the seed changes."""
    root = directory or seed_dir()
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SEED_SUFFIXES):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
