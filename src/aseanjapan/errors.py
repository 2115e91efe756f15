"""Exception types of the library. The CLI turns them into one line on stderr."""

from __future__ import annotations


class AjError(Exception):
    """A problem the user can fix; its message is shown as is."""

    exit_code = 1


class DatabaseError(AjError):
    """The database is missing, unreachable or at the wrong revision."""


class NotFoundError(AjError):
    """A slug or name that matches no record."""


class ValidationError(AjError):
    """Input data that does not satisfy the bundle format or the knowledge base's rules.

    `problems` holds every problem found, each already located ("file:line: path: message").
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        first = problems[0] if problems else "invalid input"
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(first + more)


class DuplicateSource(AjError):
    """A source whose text (by hash) is already stored."""


class UsageError(AjError):
    """A bad combination of options or an unusable option value."""

    exit_code = 2
