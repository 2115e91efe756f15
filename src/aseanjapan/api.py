"""The Python API: the knowledge base from a notebook or a script.

    import aseanjapan

    kb = aseanjapan.open()                           # the per-user database; or a path or a URL
    kb.query("statistics", subject="japan")          # what `aj query statistics --subject japan -f json` prints
    df = kb.dataframe("statistics", subject="japan")  # the same rows as a pandas DataFrame

Every method returns plain values (dicts, lists, str, int, float, bool, None): exactly the
rows the command line writes as JSON, because the command line calls these methods. Names
of records may be slugs, names, acronyms or aliases, as on the command line; a filter takes
one value or a list of them (a list ORs its values; different filters AND).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from .errors import AjError, UsageError

if TYPE_CHECKING:
    import pandas
    from sqlalchemy import Engine

    from .queries import Filters

SEARCH_MARKS = ("**", "**")  # around matched words in search titles and snippets, as in JSON


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def open(database: str | os.PathLike[str] | None = None, *, ready: bool = True,  # noqa: A001 - aseanjapan.open
         notify: Callable[[str], None] = _stderr) -> KnowledgeBase:
    """Open a knowledge base: a SQLite file path, a database URL (postgresql://...), or by
    default $AJ_DATABASE_URL or the per-user SQLite file.

    With `ready` (the default) an embedded SQLite database is created or upgraded first,
    saying so through `notify`; a PostgreSQL database must already be at this version's
    schema (`aj db upgrade`)."""
    from .db import make_engine
    from .migrate import ensure_ready
    from .settings import resolve_database_url

    from .db import read_only

    engine = make_engine(resolve_database_url(os.fspath(database) if database is not None else None))
    why = read_only(engine)
    if why:
        notify(f"note: the database is open read-only ({why}): it can be read, not changed")
    if ready:
        ensure_ready(engine, notify)
    return KnowledgeBase(engine)


def kind_plural(kind: str) -> str:
    """'statistic' or 'statistics' -> 'statistics'; anything else is a usage error naming the closest."""
    from .kinds import kind as kind_of, record_type

    return kind_of(record_type(kind, label="kind", plural=True)).plural


def kind_singular(kind: str) -> str:
    """'statistics' or 'statistic' -> 'statistic' (see `kind_plural`)."""
    from .kinds import record_type

    return record_type(kind, label="kind")


def make_filters(filters: Filters | None = None, **options: Any) -> Filters:
    """A Filters from keyword options (a value or a list of values each), over `filters`."""
    from dataclasses import replace

    from .queries import Filters

    known = {f.name: f for f in fields(Filters)}
    unknown = [name for name in options if name not in known]
    if unknown:
        from .spelling import choices_hint

        raise UsageError(f"unknown filter {unknown[0]!r}{choices_hint(unknown[0], known)}")
    listed = {name for name, value in vars(Filters()).items() if isinstance(value, list)}
    values = {}
    for name, value in options.items():
        if value is None:
            continue
        if name in listed:
            value = [value] if isinstance(value, str) else list(value)
        values[name] = value
    return replace(filters or Filters(), **values)


class KnowledgeBase:
    """One knowledge base (a database). Cheap to make; each call uses its own connection."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"<KnowledgeBase {self.url}>"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- reading ----------------------------------------------------------------------------

    def query(self, kind: str, filters: Filters | None = None, /, **options: Any) -> list[dict[str, Any]]:
        """Records of one kind, filtered: `kb.query("initiatives", area="security")`.

        Options: area, actor, initiative, document, kind, status, subject, metric, unit,
        origin, since, until, contains, sort, reverse, limit, offset, include_unreviewed."""
        from .queries import run

        plural = kind_plural(kind)
        chosen = make_filters(filters, **options)
        with self.engine.connect() as conn:  # no ORM needed for listings
            return _json_rows(run(conn, plural, chosen))

    def show(self, kind: str, name: str, rows: int | None = None) -> dict[str, Any]:
        """One record with its links and every citation (the `aj show` card). With `rows`, each
        list of linked records keeps its first `rows` and card["totals"] counts the lists cut."""
        from .db import read_session
        from .records import detail

        with read_session(self.engine) as session:
            return detail(session, kind_singular(kind), name, rows)

    def document_text(self, name: str) -> str:
        """A source's stored text, in which citations' character spans count."""
        from .db import read_session
        from .records import stored_text

        with read_session(self.engine) as session:
            return stored_text(session, name)

    def count(self, kind: str, filters: Filters | None = None, /, **options: Any) -> int:
        """How many records `query` would list without limit and offset."""
        from .db import read_session
        from .facets import count

        with read_session(self.engine) as session:
            return count(session, kind_plural(kind), make_filters(filters, **options))

    def facets(self, kind: str, filters: Filters | None = None, /, budget_ms: int | None = None,
               **options: Any) -> list[dict[str, Any]]:
        """For each facet of `kind` (area, kind, status, actor, ...), its values with how many
        of the filtered records each would keep (facets.py); with `budget_ms`, a facet slower
        to count than that is given up (timed_out)."""
        from .db import read_session
        from .facets import facet_counts

        with read_session(self.engine) as session:
            return facet_counts(session, kind_plural(kind), make_filters(filters, **options), budget_ms)

    def cited_spans(self, document: str) -> list[dict[str, Any]]:
        """The spans of a document's stored text that records cite, in text order."""
        from .db import read_session
        from .records import cited_spans

        with read_session(self.engine) as session:
            return cited_spans(session, document)

    def candidates(self, documents: Sequence[str] = (), kinds: Sequence[str] = (),
                   statuses: Sequence[str] = ("pending",), limit: int | None = None) -> list[dict[str, Any]]:
        """Extraction candidates (`aj review list`), pending ones by default."""
        from .db import read_session
        from .review import list_candidates

        with read_session(self.engine) as session:
            return _json_rows(list_candidates(session, list(documents), list(kinds), list(statuses), limit))

    def proposals(self, document: str) -> list[dict[str, Any]]:
        """The review sheet's proposed decision for each pending candidate of a document
        (`aj review sheet`): {"candidate", "decision", "fields", "why", "notes"}."""
        from .sheet import propose

        with self.engine.connect() as conn:
            proposed = propose(conn, document).proposals
        return [{"candidate": p.candidate, "decision": p.decision, "fields": p.fields, "why": p.why,
                 "notes": p.notes} for p in proposed]

    def search(self, text: str, kinds: Sequence[str] = (), limit: int = 20,
               marks: tuple[str, str] = SEARCH_MARKS) -> list[dict[str, Any]]:
        """Ranked full-text search (the syntax of `aj search`). `marks` go around matched words."""
        from .search import search as run_search

        with self.engine.connect() as conn:
            return _json_rows(run_search(conn, text, list(kinds), limit), marks)

    def areas_named(self, text: str) -> list[dict[str, Any]]:
        """The policy areas a search names ("digital cooperation" -> digital), each with how
        many records are filed under it: `show("area", ...)` lists them all."""
        from .search import areas_named

        with self.engine.connect() as conn:
            return areas_named(conn, text)

    def conflicts(self, kinds: Sequence[str] = (), include_reviewed: bool = False) -> list[dict[str, Any]]:
        """Where the sources disagree, each with both sides and their citations."""
        from .analysis import conflicts
        from .db import read_session

        with read_session(self.engine) as session:
            return [c.as_row() for c in conflicts(session, list(kinds), include_reviewed)]

    def compare(self, metric: str, subjects: Sequence[str] | str = (), population: str | None = None) -> list[dict[str, Any]]:
        """One measure lined up across subjects and periods, each value with its sources."""
        from .analysis import series
        from .db import read_session

        chosen = [subjects] if isinstance(subjects, str) else list(subjects)
        with read_session(self.engine) as session:
            return _json_rows(series(session, metric, chosen, population))

    def metric_name(self, metric: str) -> str:
        """A metric's display name, from its slug, name or alias."""
        from .db import read_session
        from .lookup import resolve
        from .models import Metric

        with read_session(self.engine) as session:
            return session.get(Metric, resolve(session, "metric", metric)).name

    def timeline(self, filters: Filters | None = None, /, include_undated: bool = False,
                 **options: Any) -> list[dict[str, Any]]:
        """Events and initiative starts in date order: `kb.timeline(since="2023", until="2023")`."""
        from .analysis import timeline
        from .db import read_session
        from .queries import check_vocabularies

        chosen = make_filters(filters, **options)
        check_vocabularies("events", chosen)
        with read_session(self.engine) as session:
            return _json_rows(timeline(session, chosen, include_undated))

    def dataframe(self, kind: str, filters: Filters | None = None, /, **options: Any) -> pandas.DataFrame:
        """`query` as a pandas DataFrame (lists such as cited_by stay lists).
        Needs pandas: pip install 'aseanjapan[pandas]'."""
        try:
            import pandas
        except ModuleNotFoundError:
            from .install import install_command

            raise AjError(f"a DataFrame needs pandas: {install_command('pandas')}") from None
        from .kinds import kind as kind_of

        plural = kind_plural(kind)
        rows = self.query(plural, filters, **options)
        return pandas.DataFrame(rows) if rows else pandas.DataFrame(columns=list(kind_of(plural).fields))


    def history(self, record: Sequence[str] | str = (), document: Sequence[str] | str = (),
                limit: int | None = None) -> list[dict[str, Any]]:
        """Change sets, newest first, as `aj history -f json` prints them; `record` is
        KIND/SLUG or a bare slug."""
        from .history import list_change_sets

        with self.engine.connect() as conn:
            return list_change_sets(conn, _listed(record), _listed(document), limit)

    def history_show(self, change_set: int) -> list[dict[str, Any]]:
        """Each row a change set changed, before and after (`aj history show ID -f json`)."""
        from .history import show_change_set

        with self.engine.connect() as conn:
            return show_change_set(conn, change_set)[1]

    def undo(self, change_set: int) -> Any:
        """Revert one change set (as `aj undo ID`); returns what it did (history.UndoResult)."""
        from .history import command_line, undo

        return undo(self.engine, change_set, command=command_line.get() or f"python: undo {change_set}")


def _listed(value: Sequence[str] | str) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _json_rows(rows: Iterable[dict[str, Any]], marks: tuple[str, str] = SEARCH_MARKS) -> list[dict[str, Any]]:
    from .render import json_ready

    return [json_ready(row, marks) for row in rows]
