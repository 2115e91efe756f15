"""The web application: pages over the Python API (api.KnowledgeBase) and, when writing is
allowed, the review functions (review.py). Nothing here queries, validates or writes by
itself; it reads request parameters, calls the library, and renders.

Every page is also JSON (`?format=json` or a `.json` suffix: the same rows as the CLI's
`--format json`) and tables are also CSV (`.csv`). Safe by default: read-only unless
`allow_writes`; a write needs this process's token in its form and a same-origin request;
every value from the database is escaped by Jinja's autoescape; bad parameters get a 4xx
page with one line saying what is wrong.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..api import KnowledgeBase, kind_plural, kind_singular
from ..display import PARAGRAPH_MARK, cited_document
from ..errors import AjError, NotFoundError, UsageError
from ..facets import FACETS
from ..kinds import RECORDS, kind as kind_of
from ..textnorm import json_text
from . import chart as svg_chart
from .marks import cut, span_id

HERE = Path(__file__).parent
PER_PAGE, MAX_PER_PAGE, MAX_PAGE = 50, 500, 100_000
MAX_VALUE, MAX_VALUES, MAX_QUERY = 1000, 50, 16_000
SECTION_ROWS = 50  # rows of each list on a record page (the rest on the list page it links to)
FACET_BUDGET_MS = 400  # a facet slower to count is left out (and said so) rather than hold the page
LIST_PARAMS = ("area", "actor", "initiative", "document", "kind", "status", "subject", "metric", "unit", "origin")
TEXT_PARAMS = ("since", "until", "contains", "sort")
# Which kind of record a field of a row or card names (to link it).
FIELD_KIND = {
    "actors": "actors", "holders": "actors", "subject": "actors", "population_actor": "actors", "country": "actors",
    "authors": "actors", "publisher": "actors", "actor": "actors", "organisation": "actors", "participants": "actors",
    "initiatives": "initiatives", "initiative": "initiatives", "areas": "areas", "parent": "areas",
    "sub_areas": "areas", "metric": "metrics", "origin": "documents", "document": "documents", "claim": "claims",
}
# The kind of the records a card's section lists ("slug" in its rows).
SECTION_KIND = {"claims": "claims", "claims_held": "claims", "claims_about": "claims", "events": "events",
                "statistics": "statistics", "same_measure": "statistics", "origin_of": "statistics",
                "initiatives": "initiatives", "actors": "actors", "documents": "documents", "relations": "claims"}
KIND_TITLES = {kind.plural: kind.title for kind in RECORDS}
# What a list page shows as the name of each row (the rest is in the table).
TITLE_FIELD = {"documents": "title", "actors": "name", "initiatives": "name", "claims": "text",
               "statistics": "display", "events": "title", "areas": "name", "metrics": "name"}
LIST_COLUMNS = {
    "documents": ["kind", "authors", "publisher", "published", "citations"],
    "actors": ["kind", "country", "cited_by"],
    "initiatives": ["kind", "status", "started", "areas", "participants", "cited_by"],
    "claims": ["kind", "holders", "areas", "cited_by"],
    "statistics": ["metric", "subject", "period", "population", "cited_by"],
    "events": ["date", "kind", "actors", "areas", "cited_by"],
    "areas": ["parent", "records", "description"],
    "metrics": ["unit", "statistics", "description"],
}
SORTS = {"documents": ["published", "title", "kind", "added", "slug"], "actors": ["name", "kind", "slug"],
         "initiatives": ["name", "started", "kind", "status", "slug"], "claims": ["slug", "kind"],
         "statistics": ["metric", "period", "value", "subject", "slug"], "events": ["date", "title", "kind", "slug"],
         "areas": ["slug", "name"], "metrics": ["slug", "name"]}
KINDS = tuple(kind.plural for kind in RECORDS)  # the list pages, as their paths name them
MARKS = ("\ue000", "\ue001")  # around matched words in search results, made <mark> after escaping


@dataclass
class Settings:
    allow_writes: bool = False
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    # Names this server process in the history's commands, so its decisions can be listed.
    session: str = field(default_factory=lambda: secrets.token_hex(4))


class BadRequest(HTTPException):
    def __init__(self, detail: str):
        super().__init__(400, detail)


# ---- templates ----------------------------------------------------------------------------

def _environment() -> Environment:
    # Autoescape everything (not only .html): a title may hold markup or script.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True,
                      default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["marked"] = _marked
    env.filters["cell"] = _cell
    env.globals.update(KIND_TITLES=KIND_TITLES, record_url=record_url, citation_url=citation_url, span_id=span_id)
    return env


def record_url(kind: str, slug: str) -> str:
    from urllib.parse import quote

    return f"/{kind_plural(kind)}/{quote(str(slug), safe='')}"


def citation_url(label: str) -> str:
    """'document-slug ¶12' -> the document page at paragraph 12."""
    slug = cited_document(label)
    rest = label[len(slug):].removeprefix(PARAGRAPH_MARK).strip()
    return record_url("documents", slug) + (f"#p-{rest}" if rest.isdigit() else "")


def _marked(text: str | None) -> Markup:
    """Search text with its match marks as <mark>, everything else escaped."""
    if text is None:
        return Markup("")
    return Markup(str(escape(text)).replace(MARKS[0], "<mark>").replace(MARKS[1], "</mark>"))


def _cell(value: Any, column: str) -> Markup:
    """A table cell: names of records linked, citations linked to their paragraph."""
    if value is None or value == []:
        return Markup("")
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        text = str(v)
        if column == "cited_by":
            out.append(Markup('<a href="{}">{}</a>').format(citation_url(text), text))
        elif column == "participants" and " (" in text:
            slug, role = text.split(" (", 1)
            out.append(Markup('<a href="{}">{}</a> ({}').format(record_url("actors", slug), slug, role))
        elif column in FIELD_KIND and text:
            out.append(Markup('<a href="{}">{}</a>').format(record_url(FIELD_KIND[column], text), text))
        elif isinstance(v, float):
            out.append(escape(f"{v:g}"))
        else:
            out.append(escape(text))
    return Markup(", ").join(out)


# ---- request parameters -------------------------------------------------------------------

def _params(request: Request) -> dict[str, list[str]]:
    """Every query parameter, checked for size and for characters no stored value holds."""
    if len(request.scope.get("query_string", b"")) > MAX_QUERY:
        raise BadRequest(f"the query string is {len(request.scope['query_string']):,} bytes long; at most {MAX_QUERY:,}")
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if len(value) > MAX_VALUE:
            raise BadRequest(f"{key[:40]!r}: {len(value):,} characters long; at most {MAX_VALUE:,}")
        if any(ch < " " and ch not in "\t" or ch == "\x7f" or "\ud800" <= ch <= "\udfff" for ch in value + key):
            raise BadRequest(f"{key[:40]!r}: holds a control character")
        out.setdefault(key, []).append(value.strip())
        if len(out[key]) > MAX_VALUES:
            raise BadRequest(f"{key[:40]!r}: given more than {MAX_VALUES} times")
    return out


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = [v for v in params.get(name, []) if v]
    return values[-1] if values else None


def _int(params: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    value = _one(params, name)
    if value is None:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(f"{name}: {value[:40]!r} is not a whole number from {low} to {high:,}")
    return int(value)


def _filter_options(params: dict[str, list[str]]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for name in LIST_PARAMS:
        values = [v for v in params.get(name, []) if v]
        if values:
            options[name] = values
    for name in TEXT_PARAMS:
        value = _one(params, name)
        if value:
            options[name] = value
    year = _one(params, "year")
    if year:
        if not (year.isdigit() and len(year) == 4):
            raise BadRequest(f"year: {year[:40]!r} is not a year (YYYY)")
        options["since"] = options["until"] = year
    if _one(params, "desc") not in (None, "0"):
        options["reverse"] = True
    return options


def _format(request: Request) -> str:
    fmt = request.scope.get("aj_format") or _one(_params(request), "format") or "html"
    if fmt not in ("html", "json", "csv"):
        raise BadRequest(f"format: {fmt[:40]!r} is not one of html, json, csv")
    return fmt


def _url(path: str, params: dict[str, list[str]], **changes: Any) -> str:
    """This page's URL with some parameters changed (None removes one)."""
    merged = {k: list(v) for k, v in params.items() if k != "format"}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value if isinstance(value, list) else [str(value)]
    query = urlencode([(k, v) for k, vs in merged.items() for v in vs if v != ""])
    return path + ("?" + query if query else "")


# ---- responses ----------------------------------------------------------------------------

class Pages:
    def __init__(self, kb: KnowledgeBase, settings: Settings):
        self.kb = kb
        self.settings = settings
        self.env = _environment()

    def html(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = self.env.get_template(template).render(
            request=request, writes=self.settings.allow_writes, token=self.settings.token,
            path=request.url.path, json_url=_url(request.url.path + ".json", _safe_params(request)), **context)
        return HTMLResponse(body, status_code=status)

    def respond(self, request: Request, template: str, data: Any, csv_rows: list[dict[str, Any]] | None = None,
                csv_columns: list[str] | None = None, **context: Any) -> Response:
        fmt = _format(request)
        if fmt == "json":
            return Response(json_text(data, indent=2) + "\n", media_type="application/json")
        if fmt == "csv":
            if csv_rows is None:
                raise BadRequest("this page is not a table: use format=json")
            from ..render import write_csv

            stream = io.StringIO()
            write_csv(csv_rows, stream, csv_columns)
            name = request.url.path.strip("/").replace("/", "-") or "home"
            return Response(stream.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'inline; filename="{name}.csv"'})
        return self.html(request, template, **context)


def _safe_params(request: Request) -> dict[str, list[str]]:
    try:
        return _params(request)
    except HTTPException:
        return {}


# ---- reading pages ------------------------------------------------------------------------

async def home(request: Request) -> Response:
    pages: Pages = request.app.state.pages
    kb = pages.kb
    counts = {kind: kb.count(kind) for kind in
              ("initiatives", "claims", "statistics", "events", "documents", "actors", "areas", "metrics")}
    recent = kb.query("documents", sort="added", reverse=True, limit=8)
    return pages.respond(request, "home.html", {"counts": counts, "recent": recent}, counts=counts, recent=recent)


async def search(request: Request) -> Response:
    pages: Pages = request.app.state.pages
    params = _params(request)
    text = _one(params, "q") or ""
    kinds = [v for v in params.get("kind", []) if v]
    limit = _int(params, "limit", 50, 1, 500)
    fmt = _format(request)
    rows = pages.kb.search(text, kinds, limit, marks=("**", "**") if fmt != "html" else MARKS) if text else []
    areas = pages.kb.areas_named(text) if text and fmt == "html" else []
    from ..search import HIT_FIELDS

    return pages.respond(request, "search.html", rows, rows, list(HIT_FIELDS),
                         q=text, rows=rows, kinds=kinds, areas=areas, all_kinds=[k for k in KINDS])


async def listing(request: Request) -> Response:
    """One page of a kind's rows. The total and the facet counts, which can take long on a
    large database, come from /facets/KIND: fetched by the page's script, or rendered here
    with ?facets=1 (for a browser without script)."""
    pages: Pages = request.app.state.pages
    kind = _kind(request)
    params = _params(request)
    options = _filter_options(params)
    per_page = _int(params, "per_page", PER_PAGE, 1, MAX_PER_PAGE)
    page = _int(params, "page", 1, 1, MAX_PAGE)
    kb = pages.kb
    rows = kb.query(kind, limit=per_page + 1, offset=(page - 1) * per_page, **options)
    more = len(rows) > per_page
    rows = rows[:per_page]
    if _format(request) != "html":
        return pages.respond(request, "list.html", rows, rows, list(kind_of(kind).fields))
    countable = kind in FACETS
    inline = countable and _one(params, "facets") not in (None, "0")
    counted = _counts(kb, kind, options, params, request.url.path) if inline else {}
    chosen = [(name, value) for name in LIST_PARAMS for value in options.get(name, [])]
    facets_url = _url(f"/facets/{kind}", params, facets=None, page=None, per_page=None) if countable else None
    return pages.html(
        request, "list.html", kind=kind, rows=rows, page=page, per_page=per_page, more=more,
        params=params, options=options, chosen=chosen, url=lambda **ch: _url(request.url.path, params, **ch),
        title_field=TITLE_FIELD[kind], columns=LIST_COLUMNS[kind], sorts=SORTS[kind], facets_url=facets_url,
        **{"total": None if countable else len(rows), **counted})


def _kind(request: Request) -> str:
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise HTTPException(404, f"no page {request.url.path!r}: the lists are {', '.join(KINDS)}")
    return kind


def _counts(kb: KnowledgeBase, kind: str, options: dict[str, Any], params: dict[str, list[str]],
            path: str) -> dict[str, Any]:
    """The total and the facets of a listing, for its template (`_facets.html`)."""
    return {"total": kb.count(kind, **options), "facets": kb.facets(kind, budget_ms=FACET_BUDGET_MS, **options),
            "list_url": lambda **ch: _url(path, params, **ch)}


async def facets(request: Request) -> Response:
    """/facets/KIND?filters: how many records match and each facet's values with counts (JSON,
    or the HTML the list page's script puts in its sidebar)."""
    pages: Pages = request.app.state.pages
    kind = _kind(request)
    if kind not in FACETS:
        raise HTTPException(404, f"{kind} have no facets")
    params = _params(request)
    options = _filter_options(params)
    counted = _counts(pages.kb, kind, options, params, f"/{kind}")
    data = {"count": counted["total"], "facets": counted["facets"]}
    if _format(request) != "html":
        return pages.respond(request, "_facets.html", data)
    body = pages.env.get_template("_facets.html").render(kind=kind, params=params, **counted)
    return HTMLResponse(body)


async def record(request: Request) -> Response:
    pages: Pages = request.app.state.pages
    kind = _kind(request)
    _params(request)
    name = request.path_params["name"]
    if len(name) > MAX_VALUE:
        raise BadRequest(f"a name of {len(name):,} characters; at most {MAX_VALUE:,}")
    # A page shows SECTION_ROWS of each list: the card is built for those (JSON gets it whole).
    card = pages.kb.show(kind, name, rows=SECTION_ROWS if _format(request) == "html" else None)
    context: dict[str, Any] = {"card": card, "kind": kind, "sections": _sections(card, kind)}
    if kind == "documents" and _format(request) == "html" and card["fields"].get("text_stored") not in (None, "no"):
        text = pages.kb.document_text(card["slug"])
        spans = pages.kb.cited_spans(card["slug"])
        for s in spans:
            s["url"] = record_url(s["kind"], s["slug"])
        context["paragraphs"] = cut(text, spans)
    return pages.respond(request, "record.html", card, **context)


# Which filter of a list page chooses the records a card of this kind links to.
CARD_FILTER = {"initiatives": "initiative", "actors": "actor", "areas": "area", "metrics": "metric",
               "documents": "document"}


def _sections(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The card's lists of linked records, each with the kind its rows' slugs name. A long
    list shows its first SECTION_ROWS rows and links to the list page that holds them all."""
    out = []
    for key, value in card.items():
        if key in ("kind", "slug", "fields", "citations", "totals"):
            continue
        if isinstance(value, dict):
            for sub, rows in value.items():
                if rows:
                    out.append({"title": f"{key.replace('_', ' ')}: {sub}", "kind": sub, "rows": rows})
        elif isinstance(value, list) and value:
            out.append({"title": key.replace("_", " "), "kind": SECTION_KIND.get(key), "rows": value,
                        "total": card.get("totals", {}).get(key, len(value))})
    for s in out:
        s.setdefault("total", len(s["rows"]))
        s["rows"] = s["rows"][:SECTION_ROWS]
        s["columns"] = [c for c in s["rows"][0] if c not in ("sources",)
                        and any(r.get(c) not in (None, "", []) for r in s["rows"])]
        listed = s["kind"] in KINDS and kind in CARD_FILTER and s["kind"] not in ("documents", kind)
        s["all_url"] = _url(f"/{s['kind']}", {CARD_FILTER[kind]: [card["slug"]]}) if listed else None
    return out


async def conflicts(request: Request) -> Response:
    pages: Pages = request.app.state.pages
    params = _params(request)
    kinds = [v for v in params.get("kind", []) if v]
    reviewed = _one(params, "reviewed") not in (None, "0")
    rows = pages.kb.conflicts(kinds, include_reviewed=reviewed)
    from ..analysis import CONFLICT_KINDS

    return pages.respond(request, "conflicts.html", rows, rows, ["key", "kind", "subject", "sides", "reviewed", "note"],
                         rows=rows, kinds=kinds, reviewed=reviewed, conflict_kinds=CONFLICT_KINDS)


async def compare(request: Request) -> Response:
    pages: Pages = request.app.state.pages
    params = _params(request)
    metric = _one(params, "metric")
    subjects = [v for v in params.get("subject", []) if v]
    population = _one(params, "population")
    metrics = pages.kb.query("metrics")
    rows: list[dict[str, Any]] = []
    context: dict[str, Any] = {"metrics": metrics, "metric": metric, "subjects": subjects, "population": population}
    if metric:
        from ..charts import plan_chart

        rows = pages.kb.compare(metric, subjects, population)
        measure = pages.kb.metric_name(metric)
        if rows:
            plan = plan_chart(rows, measure)
            context.update(plan=plan, svg=svg_chart.layout(plan))
        context["measure"] = measure
    columns = ["subject", "display", "period", "population", "origin", "cited_by"]
    return pages.respond(request, "compare.html", rows, rows, None, rows=rows, columns=columns, **context)


async def timeline(request: Request) -> Response:
    pages: Pages = request.app.state.pages
    params = _params(request)
    options = _filter_options(params)
    options.pop("sort", None)
    options.pop("reverse", None)
    undated = _one(params, "undated") not in (None, "0")
    rows = pages.kb.timeline(include_undated=undated, **options)
    years: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        years.setdefault((row["date"] or "undated")[:4], []).append(row)
    return pages.respond(request, "timeline.html", rows, rows, None, rows=rows, years=years, options=options,
                         params=params, undated=undated)


# ---- errors -------------------------------------------------------------------------------

def _error_page(request: Request, status: int, message: str) -> Response:
    pages: Pages = request.app.state.pages
    wants_json = request.headers.get("accept", "").startswith("application/json")
    if wants_json or request.scope.get("aj_format") == "json" or request.query_params.get("format") == "json":
        return JSONResponse({"error": message}, status_code=status)
    return pages.html(request, "error.html", status=status, status_code=status, message=message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else f"no page {request.url.path!r}"
    return _error_page(request, exc.status_code, message)


async def _aj_error(request: Request, exc: Exception) -> Response:
    import re

    status = 404 if isinstance(exc, NotFoundError) else 400 if isinstance(exc, AjError) else 500
    # The library words options as the CLI spells them (--sort); here they are parameters.
    return _error_page(request, status, re.sub(r"(?<![\w-])--([a-z][a-z-]*)", r"\1", str(exc)))


async def _server_error(request: Request, exc: Exception) -> Response:
    import logging

    logging.getLogger("aseanjapan.web").exception("error on %s", request.url.path)
    return _error_page(request, 500, "something went wrong on this page (the server's log says what)")


class FormatSuffix:
    """`/claims.json` is `/claims?format=json` (and .csv): a link names its format."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            for suffix in (".json", ".csv"):
                if path.endswith(suffix):
                    scope = dict(scope, path=path[: -len(suffix)] or "/", aj_format=suffix[1:])
                    break
        await self.app(scope, receive, send)


class SecurityHeaders:
    """No framing, no scripts or styles but our own, no sniffing."""

    HEADERS = [
        (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                     b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
        (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = dict(message, headers=list(message.get("headers", [])) + self.HEADERS)
            await send(message)

        await self.app(scope, receive, sending)


def create_app(kb: KnowledgeBase, allow_writes: bool = False, token: str | None = None) -> Starlette:
    """The application over `kb`; writes (reviewing) only with `allow_writes`."""
    from . import reviewing

    settings = Settings(allow_writes=allow_writes, **({"token": token} if token else {}))
    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/conflicts", conflicts),
        Route("/compare", compare),
        Route("/timeline", timeline),
        Route("/facets/{kind}", facets),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        *reviewing.routes(allow_writes),
        Route("/{kind}", listing),
        Route("/{kind}/{name}", record),
    ]
    app = Starlette(routes=routes, exception_handlers={
        HTTPException: _http_error, AjError: _aj_error, UsageError: _aj_error, NotFoundError: _aj_error,
        Exception: _server_error,
    })
    app.state.pages = Pages(kb, settings)
    app.state.settings = settings
    app.add_middleware(FormatSuffix)
    app.add_middleware(SecurityHeaders)
    return app


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
