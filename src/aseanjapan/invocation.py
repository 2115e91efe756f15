"""The command line a door is running, as given, for the history to record (history.py).

Its own tiny module so the CLI can set it at start-up without importing SQLAlchemy."""

from __future__ import annotations

from contextvars import ContextVar

command_line: ContextVar[str | None] = ContextVar("aj_command_line", default=None)
