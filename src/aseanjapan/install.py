"""How this copy of aj was installed, so a hint to add an optional part (an extra) names
the command that works for it: pip from an index, pip from a checkout (editable or not),
or pipx."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

DISTRIBUTION = "aseanjapan"


@dataclass(frozen=True)
class Installation:
    how: str  # "pipx", "editable", "path" (a local directory) or "index"
    source: str | None = None  # the checkout's directory, for "editable" and "path"


def installation() -> Installation:
    """How the running aj was installed (read from its distribution's direct_url.json)."""
    if f"{os.sep}pipx{os.sep}venvs{os.sep}" in sys.prefix + os.sep:
        return Installation("pipx")
    try:
        raw = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        raw = None
    origin = json.loads(raw) if raw else {}
    url = origin.get("url", "")
    if url.startswith("file://"):
        source = str(Path(unquote(urlparse(url).path)))
        return Installation("editable" if origin.get("dir_info", {}).get("editable") else "path", source)
    return Installation("index")


def extra_requirements(extra: str) -> list[str]:
    """The requirements an extra adds ("psycopg[binary]>=3.1" for postgres), without markers."""
    try:
        requires = metadata.distribution(DISTRIBUTION).requires or []
    except metadata.PackageNotFoundError:
        return []
    marker = f'extra == "{extra}"'
    return [r.split(";")[0].strip() for r in requires if marker in r.replace("'", '"')]


def _pip() -> str:
    """`pip` in the active virtual environment aj runs from, else this interpreter's pip."""
    active = os.environ.get("VIRTUAL_ENV")
    if active and Path(active).resolve() == Path(sys.prefix).resolve():
        return "pip"
    return f"{sys.executable} -m pip"


def install_command(extra: str, where: Installation | None = None) -> str:
    """The command that adds `extra` to this installation of aj."""
    where = where or installation()
    if where.how == "pipx":
        return "pipx inject aseanjapan " + " ".join(f"'{r}'" for r in extra_requirements(extra) or [f"aseanjapan[{extra}]"])
    if where.how == "editable":
        return f"{_pip()} install -e '{where.source}[{extra}]'"
    if where.how == "path":
        return f"{_pip()} install '{where.source}[{extra}]'"
    return f"{_pip()} install 'aseanjapan[{extra}]'"
