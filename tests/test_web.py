"""`aj serve` over HTTP (Starlette's TestClient), on both backends: what a reader sees and
follows, that every page is also the CLI's JSON, and that it is safe by default."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

pytest.importorskip("starlette")

from starlette.testclient import TestClient  # noqa: E402

import aseanjapan  # noqa: E402
from aseanjapan.web import create_app  # noqa: E402

from .clitools import aj  # noqa: E402
from .webtools import DOC, HOSTILE_TITLE, add_article  # noqa: E402

TOKEN = "test-token-of-this-process"


@pytest.fixture
def kb(db_url):
    with aseanjapan.open(db_url) as opened:
        yield opened


@pytest.fixture
def client(kb):
    return TestClient(create_app(kb), raise_server_exceptions=False)


@pytest.fixture
def writer(kb):
    return TestClient(create_app(kb, allow_writes=True, token=TOKEN), raise_server_exceptions=False,
                      base_url="http://127.0.0.1:8000")


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def unescape(text: str) -> str:
    import html

    return html.unescape(text)


# ---- reading ------------------------------------------------------------------------------

def test_home_says_what_the_knowledge_base_holds_and_lists_recent_sources(client, kb):
    page = client.get("/")
    assert page.status_code == 200
    claims = kb.count("claims")
    assert claims > 0 and f"<strong>{claims:,}</strong> claims" in page.text
    newest = kb.query("documents", sort="added", reverse=True, limit=1)[0]
    assert f'href="/documents/{newest["slug"]}"' in page.text
    data = client.get("/.json").json()
    assert data["counts"]["claims"] == claims and data["recent"][0]["slug"] == newest["slug"]


def test_search_shows_snippets_kinds_and_citations_and_its_json_is_the_clis(client):
    page = client.get("/search", params={"q": "maritime security"})
    assert page.status_code == 200
    assert "<mark>" in page.text and 'class="kind">claim<' in page.text
    assert any(re.fullmatch(r"/documents/[a-z0-9-]+#p-\d+", href) for href in links(page.text))
    cli = aj("search", "maritime security", "--format", "json").json()
    assert client.get("/search.json", params={"q": "maritime security", "limit": "20"}).json() == cli
    csv_cli = aj("search", "maritime security", "--format", "csv").stdout
    assert client.get("/search.csv", params={"q": "maritime security", "limit": "20"}).text == csv_cli


def test_a_list_page_has_facets_whose_counts_are_what_a_click_shows(client, kb):
    page = client.get("/initiatives", params={"area": "security"})
    assert page.status_code == 200
    shown = kb.query("initiatives", area="security")
    for row in shown:
        assert f'href="/initiatives/{row["slug"]}"' in page.text
    # The counts come after the rows (the page's script fetches them), or inline with facets=1.
    assert 'data-src="/facets/initiatives?area=security"' in page.text
    sidebar = client.get("/facets/initiatives", params={"area": "security"}).text
    assert client.get("/initiatives", params={"area": "security", "facets": "1"}).text.count('class="count"') == \
        sidebar.count('class="count"')
    assert f'data-total-text="{len(shown)} found"' in sidebar
    assert client.get("/facets/initiatives.json", params={"area": "security"}).json()["count"] == len(shown)
    facet_links = re.findall(r'<a href="(/initiatives\?[^"]+)">([^<]+)</a>\s*<span class="count">([\d,]+)</span>',
                             sidebar)
    assert len(facet_links) > 5
    followed = 0
    for href, _name, count in facet_links:
        href = unescape(href)
        chosen = parse_qs(urlsplit(href).query)
        if chosen.get("area") != ["security"] or "year" in chosen:
            continue  # another area ORs with security (its count: what it adds); years count by start
        listed = client.get(href.replace("/initiatives?", "/initiatives.json?"))
        assert listed.status_code == 200, href
        assert len(listed.json()) == int(count.replace(",", "")), href
        followed += 1
    assert followed >= 3


def test_facets_narrow_by_kind_status_actor_and_year(client, kb):
    expected = kb.query("initiatives", area="security", actor="japan", status="active")
    data = client.get("/initiatives.json", params=[("area", "security"), ("actor", "japan"), ("status", "active")])
    assert data.json() == expected
    counted = client.get("/facets/initiatives.json", params=[("area", "security"), ("actor", "japan"), ("status", "active")])
    assert counted.json()["count"] == len(expected)
    events = client.get("/events.json", params={"year": "2023"}).json()
    assert events == kb.query("events", since="2023", until="2023") and events
    sidebar = client.get("/facets/events", params={"year": "2023"}).text
    assert re.search(r'<li class="depth-0 selected">\s*<a href="/events">2023</a>', sidebar)


def test_a_slow_count_is_stopped_and_the_session_goes_on(kb):
    import time

    from sqlalchemy import text

    from aseanjapan.db import TimeLimit, read_session, time_limit

    endless = text("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) "
                   "SELECT count(*) FROM c")
    with read_session(kb.engine) as session:
        start = time.monotonic()
        with pytest.raises(TimeLimit), time_limit(session, 50):
            session.execute(endless).scalar_one()
        assert time.monotonic() - start < 5
        assert session.execute(text("SELECT count(*) FROM claims")).scalar_one() == kb.count("claims")
    facets = kb.facets("claims", budget_ms=5000)
    assert {f["facet"] for f in facets} == {"area", "kind", "actor", "initiative", "document"}
    assert not any(f["timed_out"] for f in facets) and all(f["values"] for f in facets)


def test_paging_and_sorting_follow_the_url(client, kb):
    everything = kb.query("claims", sort="kind", reverse=True)
    second = client.get("/claims.json", params={"sort": "kind", "desc": "1", "per_page": "7", "page": "2"})
    assert second.json() == everything[7:14]
    page = client.get("/claims", params={"per_page": "7"})
    assert 'rel="next" href="/claims?per_page=7&amp;page=2"' in page.text
    last = -(-len(everything) // 7)
    end = client.get("/claims", params={"per_page": "7", "page": str(last)})
    assert 'rel="next"' not in end.text and 'rel="prev"' in end.text


def test_a_table_is_also_csv_with_the_clis_columns(client):
    got = client.get("/initiatives.csv", params={"area": "security"})
    assert got.headers["content-type"].startswith("text/csv")
    cli = aj("query", "initiatives", "--area", "security", "--format", "csv").stdout
    assert got.text == cli
    assert next(csv.reader(io.StringIO(got.text)))[0] == "slug"


def test_a_record_page_is_the_show_card_with_linked_records_and_citations(client, kb):
    page = client.get("/initiatives/osa")
    assert page.status_code == 200
    card = kb.show("initiative", "osa")
    assert client.get("/initiatives/osa.json").json() == card == aj("show", "initiative", "osa", "--format", "json").json()
    for p in card["participants"]:
        assert f'href="/actors/{p["actor"]}"' in page.text
    first = card["citations"][0]
    label = f'{first["title"]}, {first["published"] or "undated"}, ¶{first["paragraph"]}'
    assert label in unescape(page.text)
    assert f'href="/documents/{first["document"]}#p-{first["paragraph"]}"' in page.text
    for href in {h for h in links(page.text) if h.startswith(("/actors/", "/claims/", "/events/", "/areas/"))}:
        assert client.get(href).status_code == 200, href


def test_a_document_page_highlights_every_cited_span_and_links_it_both_ways(client, kb):
    found = add_article()
    assert aj("review", "accept", found["Official Security Assistance"]["candidate"]).exit_code == 0
    card = kb.show("initiative", "osa")
    [citation] = [c for c in card["citations"] if c["document"] == DOC]
    anchor = f's-{citation["char_start"]}-{citation["char_end"]}'
    record = client.get("/initiatives/osa")
    assert f'href="/documents/{DOC}#{anchor}"' in record.text
    document = client.get(f"/documents/{DOC}")
    assert f'<span class="anchor" id="{anchor}"></span>' in document.text
    marked = re.search(rf'<mark class="span initiative {anchor}"[^>]*><a href="/initiatives/osa">([^<]+)</a></mark>',
                       document.text)
    assert marked and marked.group(1) == "Official Security Assistance"
    assert re.search(r'Cited here: <a href="/initiatives/osa"', document.text)


def test_conflicts_compare_and_timeline(client, kb):
    conflicts = kb.conflicts()
    assert client.get("/conflicts.json").json() == conflicts
    page = client.get("/conflicts")
    assert conflicts and all(unescape(c["subject"]) in unescape(page.text) for c in conflicts)
    chart = client.get("/compare", params={"metric": "confidence-do-right-thing"})
    rows = kb.compare("confidence-do-right-thing")
    assert chart.text.count("<rect x=") == len(rows) and "<svg" in chart.text
    assert "Reported in:" in chart.text  # the chart's numbered sources
    assert client.get("/compare.json", params={"metric": "confidence-do-right-thing"}).json() == rows
    timeline = client.get("/timeline.json", params={"since": "2023", "until": "2023"}).json()
    assert timeline == kb.timeline(since="2023", until="2023") and timeline
    page = client.get("/timeline", params={"since": "2023", "until": "2023"})
    assert all(f'/{"initiatives" if e["what"] == "initiative start" else "events"}/{e["slug"]}"' in page.text
               for e in timeline)


# ---- safe by default ----------------------------------------------------------------------

def test_a_hostile_title_stays_text(client):
    add_article()
    for url in ("/", f"/documents/{DOC}", "/documents", "/search?q=radar"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "<script>window.__xss" not in page.text and "<img src=x" not in page.text, url
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in client.get(f"/documents/{DOC}").text
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"


HOSTILE = [
    "", "'", '"', "\\", "%", "%00", "%ff%fe", "%c0%af", "%ud800", "%E2%80%AE", "<script>alert(1)</script>",
    "' OR 1=1 --", "\"; DROP TABLE claims; --", "../../etc/passwd", "*", "NEAR(", '"unbalanced', "a" * 5000,
    "9" * 40, "-1", "0", "1e309", "NaN", "2023-13-45", "99999", "%0a%0d", "{{7*7}}", "${jndi:x}", "\u202e",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_query_strings_get_a_4xx_page_never_a_500(client, value):
    for template in ("/search?q={}", "/search?q=x&kind={}", "/claims?area={}", "/initiatives?status={}",
                     "/claims?sort={}", "/claims?page={}", "/claims?per_page={}", "/events?since={}",
                     "/events?year={}", "/claims?contains={}", "/initiatives/{}", "/conflicts?kind={}",
                     "/compare?metric={}", "/timeline?until={}", "/claims?format={}", "/{}"):
        url = template.format(quote(value, safe="%") if "%" in value else quote(value))
        got = client.get(url)
        assert got.status_code < 500, (url, got.text[:300])
        assert "Traceback" not in got.text and 'File "' not in got.text, url
        if got.status_code >= 400 and "json" not in got.headers["content-type"]:
            assert 'class="error"' in got.text, url


def test_too_long_and_repeated_parameters_are_refused(client):
    assert client.get("/claims?" + "&".join(["area=security"] * 60)).status_code == 400
    assert client.get("/claims?contains=" + "x" * 20000).status_code == 400
    got = client.get("/claims?area=security%00")
    assert got.status_code == 400 and "control character" in got.text


def test_the_server_is_read_only_unless_writes_are_allowed(client):
    found = add_article()
    slug = found["ASEAN"]["candidate"]
    for path in ("/review", f"/review/documents/{DOC}"):
        assert client.get(path).status_code == 403
    got = client.post("/review/reject", data={"token": TOKEN, "candidate": slug, "document": DOC})
    assert got.status_code in (403, 405)
    assert aj("review", "list", "--document", DOC, "--format", "json").json()[-1]["status"] == "pending"


def test_writes_need_the_token_and_a_same_origin_request(writer):
    found = add_article()
    slug = found["ASEAN"]["candidate"]
    form = {"candidate": slug, "document": DOC}
    refused = [
        writer.post("/review/reject", data=form),
        writer.post("/review/reject", data={**form, "token": "guessed"}),
        writer.post("/review/reject", data={**form, "token": TOKEN}, headers={"Origin": "http://evil.example"}),
        writer.post("/review/reject", data={**form, "token": TOKEN}, headers={"Sec-Fetch-Site": "cross-site"}),
        writer.post("/review/reject", data={**form, "token": TOKEN}, headers={"Origin": "null"}),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    pending = {c["candidate"] for c in aj("review", "list", "--document", DOC, "--format", "json").json()}
    assert slug in pending
    done = writer.post("/review/reject", data={**form, "token": TOKEN},
                       headers={"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(f"/review/documents/{DOC}?")
    assert aj("review", "list", "--status", "rejected", "--format", "json").json()[0]["candidate"] == slug


# ---- reviewing ----------------------------------------------------------------------------

def test_review_page_highlights_pending_candidates_and_decisions_are_made_through_review_py(writer, kb):
    found = add_article()
    page = writer.get(f"/review/documents/{DOC}")
    assert page.status_code == 200
    for text, candidate in found.items():
        assert f'data-candidate="{candidate["candidate"]}"' in page.text, text
    assert f'name="token" value="{TOKEN}"' in page.text
    figure = found["about US$12 million"]["candidate"]
    bad = writer.post("/review/accept", data={"token": TOKEN, "candidate": figure, "document": DOC},
                      headers={"Accept": "application/json"})
    assert bad.status_code == 400 and "metric" in bad.json()["error"]
    yen = writer.post("/review/accept", headers={"Accept": "application/json"}, data={
        "token": TOKEN, "candidate": found["Official Security Assistance"]["candidate"], "document": DOC})
    assert yen.status_code == 200 and "osa" in yen.json()["message"]
    assert any(c["document"] == DOC for c in kb.show("initiative", "osa")["citations"])
    left = {c["candidate"] for c in writer.get(f"/review/documents/{DOC}.json").json()}
    assert found["Official Security Assistance"]["candidate"] not in left and figure in left


def test_aj_serve_binds_to_this_computer_unless_told(monkeypatch, db_url):
    import socket

    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: calls.append((server.config, sockets)))
    assert aj("serve", "--port", "0").exit_code == 0
    assert aj("serve", "--host", "0.0.0.0", "--port", "0", "--allow-writes").exit_code == 0
    (one, [first]), (two, [second]) = calls
    assert first.getsockname()[0] == "127.0.0.1" and second.getsockname()[0] == "0.0.0.0"
    assert one.app.state.settings.allow_writes is False and two.app.state.settings.allow_writes is True
    assert one.app.state.settings.token != two.app.state.settings.token
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = aj("serve", "--port", str(port))
        assert run.exit_code == 2 and len(run.error_lines) == 1 and "cannot listen there" in run.error_lines[0]
    for s in (first, second):
        s.close()


def test_a_hostile_title_is_not_a_problem_for_the_review_page_either(writer):
    add_article()
    page = writer.get(f"/review/documents/{DOC}")
    assert "<script>window.__xss" not in page.text
    assert HOSTILE_TITLE not in page.text


def test_the_decision_form_is_prefilled_with_the_review_sheets_suggestions(writer, kb):
    found = add_article()
    proposals = {p["candidate"]: p for p in kb.proposals(DOC)}
    figure = found["4"]["candidate"]
    assert proposals[figure]["fields"] == {"subject": "japan", "period": "2025"}
    page = writer.get(f"/review/documents/{DOC}").text
    item = page[page.index(f'id="cand-{figure}"'):]
    item = item[:item.index("reject-form")]
    assert 'name="subject" value="japan"' in item and 'name="period" value="2025"' in item
    assert "suggested: skip" in item and "the known actor nearest the figure" in unescape(item)
    forum = page[page.index(f'id="cand-{found["Harbour Policy Forum"]["candidate"]}"'):]
    assert '<option value="actor" selected>' in forum[:forum.index("reject-form")]


def test_the_sessions_decisions_are_listed_and_each_can_be_undone(writer, kb):
    found = add_article()
    osa = found["Official Security Assistance"]["candidate"]
    tokyo = found["Tokyo"]["candidate"]
    first = writer.post("/review/accept", headers={"Accept": "application/json"},
                        data={"token": TOKEN, "candidate": osa, "document": DOC}).json()
    second = writer.post("/review/reject", headers={"Accept": "application/json"},
                         data={"token": TOKEN, "candidate": tokyo, "document": DOC}).json()
    assert first["change_set"] and second["change_set"] > first["change_set"]
    page = writer.get("/review/history").text
    assert f"review accept {osa}" in page and f"review reject {tokyo}" in page
    assert page.count('class="undo-form"') == 2
    done = writer.post("/review/undo", data={"token": TOKEN, "change_set": str(first["change_set"])},
                       follow_redirects=False)
    assert done.status_code == 303
    assert not any(c["document"] == DOC for c in kb.show("initiative", "osa")["citations"])
    pending = {c["candidate"] for c in aj("review", "list", "--document", DOC, "--format", "json").json()}
    assert osa in pending and tokyo not in pending
    listed = writer.get("/review/history.json").json()
    assert listed[0]["what"] == f"undo {first['change_set']}"
    assert [c["undone_by"] for c in listed if c["change_set"] == first["change_set"]] == [listed[0]["change_set"]]
    # only this session's change sets, and only with the token
    assert aj("review", "reject", found["ASEAN"]["candidate"]).exit_code == 0
    cli = kb.history(limit=1)[0]["change_set"]
    refused = writer.post("/review/undo", data={"token": TOKEN, "change_set": str(cli)})
    assert refused.status_code == 403 and f"aj undo {cli}" in unescape(refused.text)
    assert writer.post("/review/undo", data={"change_set": str(second["change_set"])}).status_code == 403


def test_words_selected_in_a_document_become_a_cited_claim(writer, kb):
    add_article()
    got = writer.post("/review/quote", headers={"Accept": "application/json"}, data={
        "token": TOKEN, "document": DOC, "as": "claim", "exact": "the second of its kind since OSA started",
        "prefix": "and is ", "suffix": ".", "paragraph": "3",
        "text": "The radar grant repeats an earlier OSA grant.", "kind": "fact", "initiatives": "osa"})
    assert got.status_code == 200, got.text
    [claim] = [c for c in kb.query("claims", document=DOC)]
    assert claim["text"] == "The radar grant repeats an earlier OSA grant." and claim["initiatives"] == ["osa"]
    card = kb.show("claim", claim["slug"])
    assert card["citations"][0]["excerpt"] == "the second of its kind since OSA started"
    assert any(c["what"].startswith("review add claim") for c in writer.get("/review/history.json").json())
    missing = writer.post("/review/quote", headers={"Accept": "application/json"}, data={
        "token": TOKEN, "document": DOC, "as": "claim", "exact": "words the article never says", "text": "x"})
    assert missing.status_code == 400 and "never says" in missing.json()["error"] or "not found" in missing.json()["error"]
