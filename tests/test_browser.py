"""`aj serve` in a real browser: Debian's Chromium driven by Playwright, on both backends.

A reader searches, opens a record and follows its citation to the highlighted span; a
reviewer decides on a new article's candidates with the keyboard; a hostile title stays
text. Screenshots at 1280 and 390 pixels wide go to $AJ_TEST_ARTIFACTS (default
tmp/artifacts in the repository). Without Chromium these tests fail under CI and are skipped
elsewhere (`apt-get install chromium`).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")

CHROMIUM = os.environ.get("AJ_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"the browser tests need Chromium ({CHROMIUM} is missing): .ci/run installs it", pytrace=False)
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")

import aseanjapan  # noqa: E402

from .clitools import aj  # noqa: E402
from .webtools import DOC, add_article  # noqa: E402

ARTIFACTS = Path(os.environ.get("AJ_TEST_ARTIFACTS") or Path(__file__).parent.parent / "tmp" / "artifacts")
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


class Served:
    """The web app over a test database, served by uvicorn on a free port of 127.0.0.1."""

    def __init__(self, db_url: str, allow_writes: bool):
        import uvicorn

        from aseanjapan.web import create_app

        self.kb = aseanjapan.open(db_url)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(create_app(self.kb, allow_writes=allow_writes), host="127.0.0.1", port=port,
                                log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.kb.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


def _serve(db_url: str, allow_writes: bool) -> Iterator[Served]:
    served = Served(db_url, allow_writes)
    yield served
    served.stop()


@pytest.fixture
def reader(db_url):
    yield from _serve(db_url, allow_writes=False)


@pytest.fixture
def reviewer(db_url):
    yield from _serve(db_url, allow_writes=True)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == [], errors  # no script error on any page


def _shoot(browser, url: str, name: str) -> None:
    """The page at both widths, as a reader sees it; the phone's must not scroll sideways."""
    from .conftest import BACKEND

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        tab = context.new_page()
        tab.goto(url)
        tab.screenshot(path=str(ARTIFACTS / f"{name}-{label}-{width}-{BACKEND}.png"), full_page=True)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        context.close()
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"


def test_search_open_a_record_and_follow_its_citation_to_the_highlighted_span(reader, page, browser):
    found = add_article()
    assert aj("review", "accept", found["Official Security Assistance"]["candidate"]).exit_code == 0
    page.goto(reader.url + "/")
    page.fill("form.big-search input[name=q]", "Official Security Assistance")
    page.press("form.big-search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    page.click("a.result-title[href='/initiatives/osa']")
    page.wait_for_url("**/initiatives/osa")
    assert page.inner_text("h1") == "Official Security Assistance"
    link = page.locator(f"a.cite-link[href^='/documents/{DOC}#s-']")
    assert link.count() == 1 and link.inner_text().endswith("2025-05, ¶2")
    link.click()
    page.wait_for_url(f"**/documents/{DOC}#s-*")
    targeted = page.locator("mark.targeted")
    targeted.first.wait_for()
    assert "".join(targeted.all_inner_texts()) == "Official Security Assistance"
    assert targeted.first.is_visible()
    box, viewport = targeted.first.bounding_box(), page.viewport_size
    assert box is not None and 0 <= box["y"] <= viewport["height"]  # scrolled to it
    # and back: the highlighted span links to the record that cites it
    targeted.first.locator("a").click()
    page.wait_for_url("**/initiatives/osa")
    # a list's counts arrive after its rows; a facet narrows it
    page.goto(reader.url + "/initiatives?area=security")
    page.locator("#facet-counts .facet-list").wait_for()
    expected = reader.kb.count("initiatives", area="security")
    assert page.inner_text("#total") == f"{expected} found"
    status = page.locator(".facet[data-facet=status] li").first
    wanted = int(status.locator(".count").inner_text())
    status.locator("a").click()
    page.wait_for_url("**/initiatives?area=security&status=*")
    assert page.locator("table.records tbody tr").count() == wanted
    for url, name in ((reader.url + "/", "home"), (reader.url + "/initiatives?area=security", "initiatives"),
                      (reader.url + "/initiatives/osa", "record"), (reader.url + f"/documents/{DOC}", "document"),
                      (reader.url + "/compare?metric=confidence-do-right-thing", "compare")):
        _shoot(browser, url, name)


def test_review_a_small_article_with_the_keyboard(reviewer, page, browser):
    found = add_article()
    page.goto(reviewer.url + "/review")
    page.click(f"a[href='/review/documents/{DOC}']")
    page.wait_for_url(f"**/review/documents/{DOC}")
    candidates = page.locator("li.candidate")
    total = candidates.count()
    assert total == len(found)
    assert page.locator("mark.candidate").count() >= total
    _shoot(browser, page.url, "review")
    first = candidates.first.get_attribute("data-candidate")
    assert page.locator("li.candidate.current").get_attribute("data-candidate") == first
    assert first == found["Tokyo"]["candidate"]
    page.keyboard.press("a")  # Tokyo: a mention of Japan, as proposed
    page.locator(f"#cand-{first}").wait_for(state="detached")
    assert "japan" in page.inner_text("#status")
    current = page.locator("li.candidate.current")
    assert current.get_attribute("data-candidate") == found["Japan"]["candidate"]  # the next one
    page.keyboard.press("j")  # skip "Japan"
    page.keyboard.press("j")
    page.keyboard.press("k")
    rejected = current.get_attribute("data-candidate")
    assert rejected == found["4"]["candidate"]
    assert page.locator(f"mark.current[data-candidate='{rejected}']").count() == 1  # its span, shown in the text
    page.keyboard.press("r")
    page.locator(f"#cand-{rejected}").wait_for(state="detached")
    assert candidates.count() == total - 2
    decided = {c["candidate"]: c["status"] for c in
               aj("review", "list", "--document", DOC, "--status", "accepted", "--status", "rejected",
                  "--format", "json").json()}
    assert decided == {first: "accepted", rejected: "rejected"}
    japan = reviewer.kb.show("actor", "japan")
    assert any(c["document"] == DOC and c["excerpt"] == "Tokyo" for c in japan["citations"])
    # u undoes the last decision: the rejected figure is pending again, on the page and in the database
    page.keyboard.press("u")
    page.wait_for_url(f"**/review/documents/{DOC}?done=*")
    assert page.locator(f"#cand-{rejected}").count() == 1
    assert "undid change set" in page.inner_text("p.done")
    statuses = {c["candidate"]: c["status"] for c in aj("review", "list", "--document", DOC, "--status", "pending",
                                                           "--status", "accepted", "--format", "json").json()}
    assert statuses[rejected] == "pending" and statuses[first] == "accepted"
    page.click("a[href='/review/history']")
    page.wait_for_url("**/review/history")
    assert page.locator("table.history tbody tr").count() == 3  # accept, reject, and the undo


SELECT_WORDS = """words => {
    const node = Array.from(document.querySelectorAll("#text .para span[data-start]"))
        .find(span => span.textContent.includes(words)).firstChild;
    const at = node.textContent.indexOf(words);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + words.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.getElementById("text").dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_selected_words_become_a_cited_claim(reviewer, page):
    add_article()
    page.goto(reviewer.url + f"/review/documents/{DOC}")
    page.evaluate(SELECT_WORDS, "the second of its kind since")
    form = page.locator("#quote-form")
    form.wait_for(state="visible")
    assert page.inner_text("#quote-shown") == "the second of its kind since"
    form.locator("textarea[name=text]").fill("The radar grant follows an earlier one of the same kind.")
    form.locator("input[name=kind]").fill("fact")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/review/documents/{DOC}?done=*")
    assert "claim" in page.inner_text("p.done")
    [claim] = reviewer.kb.query("claims", document=DOC)
    assert claim["text"] == "The radar grant follows an earlier one of the same kind." and claim["cited_by"] == [f"{DOC} ¶3"]
    [citation] = reviewer.kb.show("claim", claim["slug"])["citations"]
    assert citation["excerpt"] == "the second of its kind since"
    # the new claim's citation lands on its highlighted words in the document
    page.goto(reviewer.url + f"/claims/{claim['slug']}")
    page.click(f"a.cite-link[href^='/documents/{DOC}#s-']")
    page.locator("mark.targeted").first.wait_for()
    assert "".join(page.locator("mark.targeted").all_inner_texts()) == "the second of its kind since"


def test_a_hostile_title_stays_text_in_the_browser(reader, page):
    add_article()
    for url in ("/", f"/documents/{DOC}", "/documents", "/search?q=radar"):
        page.goto(reader.url + url)
        assert page.evaluate("window.__xss") is None, url
    page.goto(reader.url + f"/documents/{DOC}")
    assert page.inner_text("h1").startswith("<script>window.__xss=1</script><img src=x")
    assert page.locator("main script, main img").count() == 0
