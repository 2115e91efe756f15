"""aj: a relational, cited knowledge base about Japan-ASEAN relations.

    import aseanjapan
    kb = aseanjapan.open()          # see aseanjapan.api
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["KnowledgeBase", "__version__", "open"]

if TYPE_CHECKING:
    from .api import KnowledgeBase, open  # noqa: A004


def __getattr__(name: str) -> Any:
    # Imported on first use: the command line reads __version__ and must start quickly.
    if name in ("open", "KnowledgeBase"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'aseanjapan' has no attribute {name!r}")
