"""Reviewing in the browser: a document's text with its pending candidates highlighted, and
decisions on them through review.py (the functions `aj review` calls).

These routes exist only when the server was started with --allow-writes. Every write is a
POST that must carry this process's token (in the form, from the page) and come from this
site (Origin and Sec-Fetch-Site, when the browser sends them): another site's page cannot
make a visitor's browser decide anything.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..review import ACCEPT_AS, Decision
from .marks import cut

# Decision fields a form may fill (text); the others are lists or numbers, read below.
_TEXT_FIELDS = ("slug", "metric", "subject", "population", "population_actor", "period", "origin", "unit",
                "approximation", "description", "link", "title", "kind", "text", "note", "narrow")
_NUMBER_FIELDS = ("value", "value_high")
_LIST_FIELDS = ("actors", "initiatives", "areas")
MAX_FIELD = 4000


def routes(allow_writes: bool) -> list[Route]:
    if not allow_writes:
        return [Route("/review", _read_only), Route("/review/{rest:path}", _read_only, methods=["GET", "POST"])]
    return [
        Route("/review", index),
        Route("/review/accept", accept, methods=["POST"]),
        Route("/review/reject", reject, methods=["POST"]),
        Route("/review/undo", undo, methods=["POST"]),
        Route("/review/quote", quote, methods=["POST"]),
        Route("/review/history", history),
        Route("/review/documents/{name}", document),
    ]


async def _read_only(request: Request) -> Response:
    raise HTTPException(403, "this server is read-only: start it with `aj serve --allow-writes` to review")


async def _checked_form(request: Request) -> dict[str, str]:
    """The POSTed form, once it is known to come from one of this server's pages."""
    settings = request.app.state.settings
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise HTTPException(403, f"refused: a cross-site request ({site})")
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise HTTPException(403, "refused: the request comes from another site")
    elif origin == "null":
        raise HTTPException(403, "refused: the request comes from an opaque origin")
    try:
        form = await request.form(max_files=0, max_fields=200)
    except Exception:  # noqa: BLE001 - an unreadable body is the client's problem
        raise HTTPException(400, "the form could not be read") from None
    token = form.get("token")
    if not isinstance(token, str) or not secrets.compare_digest(token, settings.token):
        raise HTTPException(403, "refused: the form lacks this server's token (reload the page)")
    values = {}
    for key, value in form.multi_items():
        if not isinstance(value, str):
            raise HTTPException(400, f"{key[:40]!r}: files are not accepted")
        if len(value) > MAX_FIELD:
            raise HTTPException(400, f"{key[:40]!r}: {len(value):,} characters; at most {MAX_FIELD:,}")
        if "\x00" in value:
            raise HTTPException(400, f"{key[:40]!r}: holds a NUL character")
        values[key] = values[key] + "\n" + value if key in values and key in _LIST_FIELDS else value
    return values


def _decision(form: dict[str, str]) -> Decision:
    decision = Decision()
    as_ = form.get("as", "").strip()
    if as_:
        if as_ not in ACCEPT_AS:
            raise HTTPException(400, f"as: {as_[:40]!r} is not one of {', '.join(ACCEPT_AS)}")
        decision.as_ = as_
    for name in _TEXT_FIELDS:
        value = form.get(name, "").strip()
        if value:
            setattr(decision, name, value)
    for name in _NUMBER_FIELDS:
        value = form.get(name, "").strip()
        if value:
            try:
                setattr(decision, name, float(value))
            except ValueError:
                raise HTTPException(400, f"{name}: {value[:40]!r} is not a number") from None
    for name in _LIST_FIELDS:
        values = [v.strip() for v in form.get(name, "").replace(",", "\n").split("\n") if v.strip()]
        setattr(decision, name, values)
    return decision


def _command(request: Request, what: str) -> str:
    """The command the history records for a write made through this server."""
    return f"{_session_prefix(request)} {what}"


def _session_prefix(request: Request) -> str:
    return f"aj serve [{request.app.state.settings.session}]:"


@contextmanager
def _recorded_as(command: str) -> Iterator[None]:
    from ..invocation import command_line

    mark = command_line.set(command)
    try:
        yield
    finally:
        command_line.reset(mark)


def _session_changes(request: Request, limit: int = 500) -> list[dict[str, Any]]:
    """This server's change sets (its decisions and undos), newest first."""
    prefix = _session_prefix(request)
    return [c for c in request.app.state.pages.kb.history(limit=limit) if c["command"].startswith(prefix)]


def _back(request: Request, form: dict[str, str], message: str, status: int = 200) -> Response:
    """After a decision: JSON for the page's script (with the change set to undo it), or the
    document page again."""
    from .app import redirect

    if request.headers.get("accept", "").startswith("application/json"):
        from starlette.responses import JSONResponse

        changes = _session_changes(request, limit=20)
        return JSONResponse({"message": message, "change_set": changes[0]["change_set"] if changes else None},
                            status_code=status)
    document = form.get("document", "")
    from urllib.parse import quote, urlencode

    return redirect(f"/review/documents/{quote(document, safe='')}?" + urlencode({"done": message[:300]}))


async def accept(request: Request) -> Response:
    from ..review import WARNING
    from ..review import accept as accept_candidates

    form = await _checked_form(request)
    candidate = form.get("candidate", "").strip()
    if not candidate:
        raise HTTPException(400, "candidate: missing")
    with _recorded_as(_command(request, f"review accept {candidate}")):
        outcomes = accept_candidates(request.app.state.pages.kb.engine, [candidate], _decision(form))
    return _back(request, form, "; ".join(o.removeprefix(WARNING) for o in outcomes))


async def reject(request: Request) -> Response:
    from ..review import reject as reject_candidates

    form = await _checked_form(request)
    candidate = form.get("candidate", "").strip()
    if not candidate:
        raise HTTPException(400, "candidate: missing")
    with _recorded_as(_command(request, f"review reject {candidate}")):
        reject_candidates(request.app.state.pages.kb.engine, [candidate], form.get("note", "").strip() or None)
    return _back(request, form, f"{candidate}: rejected")


async def index(request: Request) -> Response:
    from .app import _params

    pages = request.app.state.pages
    _params(request)
    pending = pages.kb.candidates()
    documents: dict[str, dict[str, Any]] = {}
    for c in pending:
        entry = documents.setdefault(c["document"], {"document": c["document"], "pending": 0, "kinds": {}})
        entry["pending"] += 1
        entry["kinds"][c["kind"]] = entry["kinds"].get(c["kind"], 0) + 1
    rows = sorted(documents.values(), key=lambda d: d["document"])
    return pages.respond(request, "review_index.html", rows, rows=rows)


async def document(request: Request) -> Response:
    from .app import _one, _params

    pages = request.app.state.pages
    params = _params(request)
    name = request.path_params["name"]
    card = pages.kb.show("document", name)
    pending = pages.kb.candidates([card["slug"]])
    if request.scope.get("aj_format") == "json" or _one(params, "format") == "json":
        return pages.respond(request, "review.html", pending)
    text = pages.kb.document_text(card["slug"])
    spans = [dict(c, kind="candidate", slug=c["candidate"]) for c in pending if c["char_start"] is not None]
    cited = pages.kb.cited_spans(card["slug"])
    proposals = {p["candidate"]: p for p in pages.kb.proposals(card["slug"])}
    return pages.html(request, "review.html", card=card, candidates=pending, paragraphs=cut(text, spans + cited),
                      done=_one(params, "done"), accept_as=ACCEPT_AS, proposals=proposals)


async def undo(request: Request) -> Response:
    """Undo one of this server's change sets (history.undo, as `aj undo ID`)."""
    from .app import redirect

    form = await _checked_form(request)
    wanted = form.get("change_set", "").strip()
    if not wanted.isdigit() or len(wanted) > 12:
        raise HTTPException(400, f"change_set: {wanted[:40]!r} is not a change set number")
    ids = {c["change_set"] for c in _session_changes(request)}
    if int(wanted) not in ids:
        raise HTTPException(403, f"change set {wanted} was not made in this browser session: undo it with `aj undo {wanted}`")
    with _recorded_as(_command(request, f"undo {wanted}")):
        result = request.app.state.pages.kb.undo(int(wanted))
    message = f"undid change set {result.undone}" + (f": {'; '.join(result.restored[:5])}" if result.restored else "")
    if request.headers.get("accept", "").startswith("application/json"):
        from starlette.responses import JSONResponse

        return JSONResponse({"message": message, "change_set": result.change_set})
    from urllib.parse import urlencode

    return redirect("/review/history?" + urlencode({"done": message[:300]}))


async def history(request: Request) -> Response:
    """The decisions made through this server, newest first, each undoable."""
    from .app import _one, _params

    pages = request.app.state.pages
    params = _params(request)
    rows = _session_changes(request)
    prefix = _session_prefix(request)
    for row in rows:
        row["what"] = row["command"].removeprefix(prefix).strip()
    return pages.respond(request, "history.html", rows, rows, None, rows=rows, done=_one(params, "done"))


async def quote(request: Request) -> Response:
    """Record words selected in a document (a claim, or a record the extractor missed) through
    review.add, which finds the quote in the stored text (quotes.py) as `aj review add` does."""
    from ..quotes import Quote
    from ..review import ADD_AS, WARNING
    from ..review import add as add_passage

    form = await _checked_form(request)
    document = form.get("document", "").strip()
    exact = form.get("exact", "")
    if not document or not exact.strip():
        raise HTTPException(400, "select some words of the document first")
    as_ = form.get("as", "claim").strip() or "claim"
    if as_ not in ADD_AS:
        raise HTTPException(400, f"as: {as_[:40]!r} is not one of {', '.join(ADD_AS)}")
    paragraph = form.get("paragraph", "").strip()
    if paragraph and not (paragraph.isdigit() and len(paragraph) < 9):
        raise HTTPException(400, f"paragraph: {paragraph[:40]!r} is not a paragraph number")
    decision = _decision({k: v for k, v in form.items() if k != "as"})
    words = Quote(exact, form.get("prefix") or None, form.get("suffix") or None)
    with _recorded_as(_command(request, f"review add {as_} {document} ¶{paragraph or '?'}")):
        outcomes = add_passage(request.app.state.pages.kb.engine, document, as_, words, decision,
                               int(paragraph) if paragraph else None)
    return _back(request, form, "; ".join(o.removeprefix(WARNING) for o in outcomes))
