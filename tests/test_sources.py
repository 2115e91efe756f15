"""Adding raw sources: clean text, exact spans, candidates, duplicates, and bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from aseanjapan import models as m
from aseanjapan.errors import ValidationError
from aseanjapan.extract import KnownName, extract
from aseanjapan.loading.ingest import DuplicateSource, add_source
from aseanjapan.loading.sources import read_source

from .clitools import aj
from .dumps import canonical
from .pdfs import RUNNING_HEADER, write_report

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def stored(engine, slug: str) -> tuple[m.Document, list[m.Candidate]]:
    with Session(engine) as session:
        document = session.execute(select(m.Document).where(m.Document.slug == slug)).scalar_one()
        candidates = session.execute(select(m.Candidate).where(m.Candidate.document_id == document.id)
                                     .order_by(m.Candidate.char_start)).scalars().all()
        session.expunge_all()
        return document, candidates


def add(engine, path: Path, **options):
    from aseanjapan.loading.ingest import SourceOptions

    return add_source(engine, path.name, path.read_bytes(), SourceOptions(**options))


def test_html_article_is_stored_clean_with_metadata(engine):
    result = add(engine, FIXTURES / "harbour-review-article.html")
    document, _ = stored(engine, result.document)
    assert document.title == "Tokyo widens maritime aid to Manila"
    assert (document.byline, document.url) == ("Dana Whitlock", "https://harbour-review.example/2025/02/maritime-aid")
    assert (str(document.published_on), document.published_precision) == ("2025-02-14", "day")
    for boilerplate in ("Subscribe", "Share on", "All rights reserved", "track(", "Related", "Home"):
        assert boilerplate not in document.text
    # the headline is the stored text's first line: its figures and names are the article's too
    assert document.text.startswith("Tokyo widens maritime aid to Manila\nJapan will hand over six patrol vessels")
    assert len(document.content_sha256) == 64


def test_ad_slots_read_more_links_and_wire_credits_inside_the_article_are_dropped():
    paragraph = "Japan and Thailand signed a rail loan worth ¥45 billion on Thursday, the ministry said in Bangkok."
    inside = ["ADVERTISEMENT", "Also read: Japan's rail diplomacy in Southeast Asia", "Follow us on Twitter @wire.",
              "Sign up for our daily newsletter", "(Reporting by Somchai Wong; Editing by Jane Lee)",
              "Read more: a longer paragraph that starts like a link line but goes on " + "and on " * 30]
    body = "".join(f"<p>{line}</p>" for line in [paragraph, *inside, paragraph.replace("Thursday", "Friday")])
    html = f"<html><head><title>Rail loan</title></head><body><article><h1>Rail loan</h1>{body}</article></body></html>"
    text = read_source("loan.html", html.encode()).text
    assert [line[:20] for line in text.splitlines()] == [
        "Rail loan", "Japan and Thailand s", "Read more: a longer ", "Japan and Thailand s"]


def test_candidates_have_exact_spans_and_sensible_proposals(engine):
    result = add(engine, FIXTURES / "harbour-review-article.html")
    document, candidates = stored(engine, result.document)
    assert result.candidates == len(candidates) > 10
    for c in candidates:
        assert document.text[c.char_start:c.char_end] == c.text
        assert c.text in c.context
    figures = {c.text: (c.value, c.unit, c.approximation) for c in candidates if c.kind == "statistic"}
    assert figures["¥35 billion"] == (35e9, "jpy", "exact")
    assert figures["Roughly 71%"] == (71, "percent", "about")
    assert figures["4 percentage points"] == (4, "percentage-points", "exact")
    assert figures["nearly 60 per cent"] == (60, "percent", "nearly")
    assert figures["more than 1,200"] == (1200, "count", "over")
    assert figures["US$22.5 billion"] == (22.5e9, "usd", "exact")
    assert figures["six"] == (6, "count", "exact")  # "hand over six": over is not an approximation here
    assert not any(text.startswith(("2023", "2025", "2027")) for text in figures)  # years are not figures
    mentions = {(c.kind, c.text) for c in candidates if c.kind in ("actor", "initiative")}
    assert {("initiative", "OSA"), ("initiative", "Official Security Assistance"), ("initiative", "JASMINE"),
            ("actor", "Japan"), ("actor", "ASEAN")} <= mentions
    assert ("actor", "US") not in mentions  # inside "US$22.5 billion"
    unknown = {c.name: c.acronym for c in candidates if c.kind == "entity"}
    assert unknown["Maritime Domain Awareness Fund"] == "MDAF"
    assert "Lowy Institute" in unknown
    dates = {c.text: (str(c.date_start), c.date_precision) for c in candidates if c.kind == "date"}
    assert dates["March 2024"] == ("2024-03-01", "month")
    assert dates["between 2025 and 2027"] == ("2025-01-01", "year")


def test_pdf_report_loses_headers_and_page_numbers_and_keeps_paragraphs(engine, tmp_path):
    path = write_report(tmp_path / "report.pdf")
    result = add(engine, path)
    document, candidates = stored(engine, result.document)
    assert document.title == "Maritime Cooperation Report 2025" and document.kind == "report"
    assert RUNNING_HEADER not in document.text and "Page 2" not in document.text
    lines = document.text.splitlines()
    assert lines[0] == "Executive summary"
    assert any(line.startswith("Japan delivered six patrol vessels") and line.endswith("three years of deliveries.")
               for line in lines)  # wrapped lines joined into one paragraph
    for c in candidates:
        assert document.text[c.char_start:c.char_end] == c.text
    texts = {c.text for c in candidates}
    assert {"35 billion yen", "71%", "more than 1,200", "nearly two-thirds", "eleven"} <= texts
    assert any(c.kind == "entity" and c.acronym == "CRP" for c in candidates)
    # The only date the file has is when the PDF was made: kept, and said to be that.
    assert document.published_on == date(2025, 3, 1)
    assert result.warnings == [f"{path.name}: the date 2025-03-01 is the PDF's creation date, which may be later "
                               "than publication (give --date to set it)"]


def test_markdown_front_matter_and_plain_text(engine):
    md = add(engine, FIXTURES / "briefing.md")
    document, candidates = stored(engine, md.document)
    assert (document.title, document.byline, document.published_precision) == (
        "Briefing note on Mekong water diplomacy", "Policy Desk", "month")
    assert "ministry.example" not in document.text and "ministry statement" in document.text
    assert {"US$40 million", "About 65%"} <= {c.text for c in candidates}
    txt = add(engine, FIXTURES / "wire-story.txt", kind="news")
    document, candidates = stored(engine, txt.document)
    assert "longer period next year, with more than 800 personnel" in document.text.replace("\n", " ")
    assert any(c.kind == "initiative" and c.text == "Rising Star" for c in candidates)
    assert any(c.kind == "date" and c.text == "12 March 2025" for c in candidates)


def test_a_duplicate_is_refused_naming_the_existing_document(engine):
    first = add(engine, FIXTURES / "harbour-review-article.html")
    before = canonical(engine)
    with pytest.raises(DuplicateSource, match=f"already stored as document '{first.document}'"):
        add(engine, FIXTURES / "harbour-review-article.html", title="Another title")
    assert canonical(engine) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: empty file"),
        ("blob.txt", b"\x00\x01\x02binary\x00", "blob.txt: binary file"),
        ("latin.txt", "Caf\xe9 diplomacy is a long-standing tradition in the region.".encode("latin-1"),
         "latin.txt:1: not UTF-8 text (byte 0xe9 at offset 3)"),
        ("nav-only.html", b"<html><body><nav><a href='/'>Home</a></nav><footer>(c) 2025</footer></body></html>",
         "nav-only.html: no article text found"),
        ("notes.docx", b"PK\x03\x04 not really a document", "notes.docx: unsupported file type '.docx'"),
        ("fake.pdf", b"this is not a pdf at all, only text", "fake.pdf: not a PDF"),
    ],
)
def test_bad_files_get_one_clear_error_and_leave_nothing(engine, name, content, message):
    before = canonical(engine)
    with pytest.raises(ValidationError) as caught:
        add_source(engine, name, content)
    assert len(caught.value.problems) == 1 and caught.value.problems[0].startswith(message)
    assert canonical(engine) == before


def test_truncated_and_encrypted_pdfs(engine, tmp_path):
    good = write_report(tmp_path / "good.pdf").read_bytes()
    with pytest.raises(ValidationError, match=r"truncated.pdf: (damaged or truncated|unreadable) PDF"):
        add_source(engine, "truncated.pdf", good[: len(good) // 3])
    locked = write_report(tmp_path / "locked.pdf", password="s3cret").read_bytes()
    with pytest.raises(ValidationError, match="locked.pdf: the PDF is encrypted"):
        add_source(engine, "locked.pdf", locked)


def test_cli_adds_a_directory_one_file_at_a_time(db_url, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.html").write_bytes((FIXTURES / "harbour-review-article.html").read_bytes())
    (folder / "b.txt").write_bytes((FIXTURES / "wire-story.txt").read_bytes())
    (folder / "c.txt").write_bytes(b"\xff\xfe broken")
    write_report(folder / "d.pdf")
    (folder / "e.docx").write_bytes(b"PK\x03\x04 not read")
    (folder / ".notes.txt").write_text("an editor's hidden file")
    run = aj("source", "add", str(folder), "--format", "json")
    assert run.exit_code == 1
    statuses = {Path(r["name"]).name: r["status"] for r in run.json()}
    assert statuses == {"a.html": "added", "b.txt": "added", "c.txt": "failed", "d.pdf": "added", "e.docx": "skipped"}
    assert "3 added, 0 duplicate, 1 failed, 1 skipped" in run.stderr
    assert "1 file(s) in the folder(s) left out, not of a source type: .docx" in run.stderr
    assert any(line.startswith("aj: error:") and "c.txt" in line for line in run.stderr.splitlines())
    again = aj("source", "add", str(folder / "a.html"))
    assert again.exit_code == 1 and "already stored as document" in again.stderr


def test_cli_reads_stdin(db_url):
    run = aj("source", "add", "-", "--type", "txt", "--title", "Wire copy", "--date", "2025-03",
             "--format", "json", input=(FIXTURES / "wire-story.txt").read_bytes())
    assert run.exit_code == 0, run.stderr
    [result] = run.json()
    assert result["status"] == "added" and result["document"] == "wire-copy"
    doc = aj("show", "document", "wire-copy", "--format", "json").json()
    assert doc["fields"]["published"] == "2025-03" and doc["fields"]["text_stored"].endswith("characters")


# ---- the extractor on any input ---------------------------------------------------------------

KNOWN = [KnownName("Japan", "actor", "japan"), KnownName("ASEAN", "actor", "asean"),
         KnownName("OSA", "initiative", "osa"), KnownName("US", "actor", "united-states")]
PIECES = st.sampled_from(["Japan", "ASEAN", "OSA", "US$", "¥", "%", " per cent", "71", "1,200", "22.5", "billion",
                          "more than", "nearly", "two-thirds of", "March 2024", "2023", "-", "–", "(", ")", " ", "\n",
                          "The", "Fund", "(MDAF)", "six", "vessels", "between 2025 and 2027", ".", ",", "18th"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30).map("".join))
def test_every_candidate_span_equals_its_text(text):
    for c in extract(text, KNOWN):
        assert text[c.start:c.end] == c.text
        assert c.start < c.end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_the_extractor_never_crashes(text):
    extract(text, KNOWN)


def test_reading_never_crashes_on_random_bytes():
    import random

    rng = random.Random(7)
    for n in range(60):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        for name in ("x.txt", "x.md", "x.html", "x.pdf"):
            try:
                read_source(name, (b"%PDF-1.4\n" if name.endswith(".pdf") and n % 2 else b"") + raw)
            except ValidationError:
                pass


# ---- defects found in review --------------------------------------------------------------------

FILLER = "Delegates from Japan and ASEAN compared notes on coastal patrols and port upgrades.\n\n"


def test_control_characters_are_removed_so_both_backends_store_the_same_text(engine):
    # A NUL past the first 8 KB is not taken for a binary file; PostgreSQL refuses NUL in text.
    raw = (FILLER * 120 + "A stray\x00 byte, a bell\x07 and an escape\x1b sit here.\tTabs stay.\x0cNext page.\n").encode()
    assert raw.index(b"\x00") > 8192
    result = add_source(engine, "nul.txt", raw)
    document, candidates = stored(engine, result.document)
    assert not any(ch in document.text for ch in "\x00\x07\x1b\x0c")
    assert "A stray byte, a bell and an escape sit here.\tTabs stay.\nNext page." in document.text
    for c in candidates:
        assert document.text[c.char_start:c.char_end] == c.text


def test_markdown_lines_of_one_paragraph_are_joined_with_a_space(engine):
    result = add(engine, FIXTURES / "wrapped-lines.md")
    document, candidates = stored(engine, result.document)
    assert document.text.splitlines() == [
        "Port finance in the Gulf of Thailand",
        "Japan has pledged fresh loans for two container terminals, and its Official Security Assistance budget "
        "now reaches coastal radar sites as well. Ministers called the package \"a first step\".",
        "A second paragraph starts after the blank line and ends here.",
    ]
    assert any(c.kind == "initiative" and c.text == "Official Security Assistance" for c in candidates)


def test_plain_text_without_blank_lines_keeps_each_line_as_a_paragraph(engine):
    result = add(engine, FIXTURES / "line-per-paragraph.txt")
    document, candidates = stored(engine, result.document)
    assert document.title == "Hanoi and Tokyo open a rail training centre"
    assert len(document.text.splitlines()) == 4
    assert document.text.splitlines()[2].startswith("Japanese and Vietnamese instructors")
    assert {c.text: c.paragraph for c in candidates}["about 400"] == 2


@pytest.mark.parametrize(("title", "slug"), [
    ("ASEAN–Japan Economic Outlook 2024", "asean-japan-economic-outlook-2024"),
    ("Japan—ASEAN: a new chapter", "japan-asean-a-new-chapter"),
    ("Mekong‑Japan ties", "mekong-japan-ties"),  # non-breaking hyphen
    ("Café diplomacy", "cafe-diplomacy"),
])
def test_generated_slugs_treat_dashes_as_word_separators(title, slug):
    from aseanjapan.loading.ingest import slugify

    assert slugify(title) == slug


def test_a_dashed_title_gives_a_dashed_document_slug(engine):
    raw = ("ASEAN–Japan Economic Outlook 2024\n\n" + FILLER).encode()
    assert add_source(engine, "outlook.txt", raw).document == "asean-japan-economic-outlook-2024"


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--slug", "My Hugo Post", "wire-story.txt: --slug: 'My Hugo Post' is not a slug"),
    ("--slug", "a" * 130, "wire-story.txt: --slug: 130 characters long; the limit is 120"),
    ("--slug", "double--dash", "--slug: 'double--dash' is not a slug"),
    ("--url", "https://example.org/" + "x" * 2000, "wire-story.txt: --url: 2,020 characters long; the limit is 2,000"),
    ("--title", "T" * 501, "wire-story.txt: --title: 501 characters long; the limit is 500"),
    ("--date", "sometime", "wire-story.txt: --date: not a date"),
    ("--url", "harbour-review.example/story", "wire-story.txt: --url: 'harbour-review.example/story' is not a URL"),
])
def test_bad_option_values_are_refused_up_front_with_one_line(db_url, engine, option, value, message):
    before = canonical(engine)
    run = aj("source", "add", str(FIXTURES / "wire-story.txt"), option, value, "--format", "json")
    assert run.exit_code == 2, run.stderr
    assert len(run.error_lines) == 1 and message in run.error_lines[0], run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert canonical(engine) == before


def test_a_valid_slug_is_used_as_given(db_url):
    run = aj("source", "add", str(FIXTURES / "wire-story.txt"), "--slug", "naval-drills-2025", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()[0]["document"] == "naval-drills-2025"



def test_an_unknown_name_too_long_for_its_column_is_not_proposed(engine):
    # A long run of capitalised words looks like one unknown name; PostgreSQL would refuse it.
    heading = " ".join(f"Harbour{n} Board" for n in range(60))
    raw = f"Notes from the port authorities\n\n{heading} met Japan's delegation in Cebu.\n\n{FILLER}".encode()
    result = add_source(engine, "long-name.txt", raw)
    document, candidates = stored(engine, result.document)
    assert len(heading) > m.Candidate.__table__.c.name.type.length
    assert all(len(c.name or "") <= 300 for c in candidates)
    assert {("actor", "Japan"), ("actor", "ASEAN")} <= {(c.kind, c.text) for c in candidates}
    assert [c.slug for c in sorted(candidates, key=lambda c: int(c.slug.rsplit("c", 1)[1]))] == [
        f"{document.slug}-c{n}" for n in range(1, len(candidates) + 1)]


def test_one_author_given_twice_is_linked_once(db_url):
    run = aj("source", "add", str(FIXTURES / "wire-story.txt"), "--author", "kitti-prasirtsuk",
             "--author", "Kitti Prasirtsuk", "--format", "json")
    assert run.exit_code == 0, run.stderr
    shown = aj("show", "document", run.json()[0]["document"], "--format", "json").json()
    assert shown["fields"]["authors"] == ["kitti-prasirtsuk"]


def test_a_url_in_the_file_too_long_for_its_column_is_refused_naming_the_file(engine):
    raw = f"---\nurl: https://example.org/{'p' * 2100}\n---\n\n# A long address\n\n{FILLER}".encode()
    before = canonical(engine)
    with pytest.raises(ValidationError, match=r"^long-url.md: the URL in the file is 2,120 characters long"):
        add_source(engine, "long-url.md", raw)
    assert canonical(engine) == before


def test_a_database_error_fails_that_file_only_and_the_batch_goes_on(db_url, engine, tmp_path):
    from sqlalchemy import insert

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text("Port notes from Manila\n\n" + FILLER, encoding="utf-8")
    (folder / "b.txt").write_text("Clashing notes on trade\n\nJapan and Vietnam signed a port deal worth "
                                  "US$3 billion in 2024.\n", encoding="utf-8")
    (folder / "c.txt").write_text(FILLER * 120 + "A NUL\x00 late in the file.\n", encoding="utf-8")
    (folder / "d.txt").write_text("Board meeting notes\n\n" + " ".join(f"Harbour{n} Board" for n in range(60))
                                  + " met in Cebu.\n", encoding="utf-8")
    # b.txt will be "clashing-notes-on-trade": a candidate already holding the slug of its first
    # candidate makes the database refuse b.txt's candidates (a unique violation), and only them.
    with engine.begin() as conn:
        some_document = conn.execute(select(m.Document.id).limit(1)).scalar_one()
        conn.execute(insert(m.Candidate.__table__).values(
            slug="clashing-notes-on-trade-c1", document_id=some_document, kind="entity", status="pending",
            char_start=0, char_end=1, text="x"))
    run = aj("source", "add", str(folder), "--format", "json")
    assert run.exit_code == 1
    results = {Path(r["name"]).name: r for r in run.json()}
    assert {n: r["status"] for n, r in results.items()} == {
        "a.txt": "added", "b.txt": "failed", "c.txt": "added", "d.txt": "added"}
    assert "b.txt: the database refused the operation" in results["b.txt"]["message"]
    assert "\n" not in results["b.txt"]["message"]
    assert "3 added, 0 duplicate, 1 failed" in run.stderr
    assert [line for line in run.error_lines if "b.txt" in line] and "Traceback" not in run.stderr
    with Session(engine) as session:  # b.txt left nothing behind
        assert session.execute(select(m.Document).where(m.Document.slug.like("clashing%"))).first() is None
        assert session.execute(select(m.Candidate.slug).where(m.Candidate.slug.like("clashing%"))).scalars().all() == [
            "clashing-notes-on-trade-c1"]


@pytest.mark.parametrize(("written", "stored_as", "precision"), [
    ("2024-01-15T09:00:00+08:00", "2024-01-15", "day"),  # the date as written, whatever the offset
    ("2023-11-27 23:30", "2023-11-27", "day"),
    ("27 November 2023", "2023-11-27", "day"),
    ("27th Nov. 2023", "2023-11-27", "day"),
    ("November 27, 2023", "2023-11-27", "day"),
    ("Monday, 27 November 2023", "2023-11-27", "day"),
    ("November 2023", "2023-11-01", "month"),
    ("2024-11", "2024-11-01", "month"),
])
def test_front_matter_dates_in_common_forms_are_read(engine, written, stored_as, precision):
    raw = f"---\ndate: {written}\n---\n\n# Dated note\n\n{FILLER}".encode()
    document, _ = stored(engine, add_source(engine, "dated.md", raw).document)
    assert (str(document.published_on), document.published_precision) == (stored_as, precision)


def test_an_unreadable_date_in_the_file_is_said_on_stderr(db_url):
    run = aj("source", "add", str(FIXTURES / "unreadable-date.md"), "--format", "json")
    assert run.exit_code == 0, run.stderr
    [result] = run.json()
    assert result["status"] == "added" and len(result["warnings"]) == 1
    warnings = [line for line in run.stderr.splitlines() if line.startswith("aj: warning:")]
    assert len(warnings) == 1 and "unreadable-date.md: cannot read the date 'the week after the summit'" in warnings[0]
    assert aj("show", "document", result["document"], "--format", "json").json()["fields"]["published"] == "unknown"
    given = aj("source", "add", str(FIXTURES / "briefing.md"), "--date", "2024-11-20", "--format", "json")
    assert given.json()[0]["warnings"] == [] and "aj: warning" not in given.stderr


def test_front_matter_author_lists_and_a_markdown_file_without_a_heading(db_url, tmp_path):
    run = aj("source", "add", str(FIXTURES / "front-matter-authors.md"), "--format", "json")
    assert run.exit_code == 0, run.stderr
    slug = run.json()[0]["document"]
    assert slug == "tokyo-and-bangkok-agree-a-research-exchange"  # titled by its first line, not its path
    shown = aj("show", "document", slug, "--format", "json").json()["fields"]
    assert shown["title"] == "Tokyo and Bangkok agree a research exchange"
    assert shown["published"] == "2024-01-15"
    assert shown["authors"] == ["kitti-prasirtsuk"]  # the author who is a known actor is linked
    assert aj("export", "--format", "bundle", "--output", str(tmp_path / "kb.json")).exit_code == 0
    import json

    exported = next(d for d in json.loads((tmp_path / "kb.json").read_text())["documents"] if d["slug"] == slug)
    assert exported["authors"] == ["kitti-prasirtsuk"]


def test_the_byline_keeps_every_author_the_file_names(engine):
    document, _ = stored(engine, add(engine, FIXTURES / "front-matter-authors.md").document)
    assert document.byline == "Kitti Prasirtsuk, Mariel Santos"
    one = read_source("one.md", b"---\nauthor: Mariel Santos\n---\n\n" + FILLER.encode())
    assert (one.byline, one.authors) == ("Mariel Santos", ["Mariel Santos"])
    listed = read_source("listed.md", b"---\nauthor:\n  - Ana Ruiz\n  - Ben Oduya\n---\n\n" + FILLER.encode())
    assert (listed.byline, listed.authors) == ("Ana Ruiz, Ben Oduya", ["Ana Ruiz", "Ben Oduya"])


@pytest.mark.parametrize(("name", "title"), [
    ("many/brief-02.md", "Brief 02"), ("stdin", "Stdin"), ("C:\\notes\\port_visit.notes.html", "Port visit notes"),
])
def test_a_title_made_from_a_file_name_is_its_stem_prettified(name, title):
    from aseanjapan.loading.ingest import title_from_name

    assert title_from_name(name) == title


def _lines(*texts: str) -> list:
    from aseanjapan.loading.sources import _Line

    return [_Line(text, 72.0, 700.0 - 14 * n, 710.0 - 14 * n, 1) for n, text in enumerate(texts)]


def test_pdf_words_hyphenated_across_a_break_keep_a_hyphen_the_document_uses():
    from aseanjapan.loading.sources import _paragraphs

    # "long-term" is written on one line elsewhere: the hyphen at the break is the word's own.
    assert _paragraphs(_lines("Japan and the Philippines signed a long-", "term radar deal after the long-term",
                              "review of coastal patrols ended last spring")) == [
        "Japan and the Philippines signed a long-term radar deal after the long-term review of coastal patrols "
        "ended last spring"]
    # "mainten-" / "ance": no "mainten-ance" anywhere, so the break's hyphen goes.
    assert _paragraphs(_lines("A second agreement covers the mainten-", "ance of six patrol vessels and their crews")) == [
        "A second agreement covers the maintenance of six patrol vessels and their crews"]
    # Not a broken word: a capital after the break, or a figure before the hyphen.
    assert _paragraphs(_lines("The talks between Tokyo and Jakarta-", "Manila partners went on", "in 2024-",
                              "and beyond that")) == ["The talks between Tokyo and Jakarta- Manila partners went on "
                                                      "in 2024- and beyond that"]


def test_a_pdf_keeps_long_term_across_a_line_break(engine, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ("Tokyo and Manila signed a long-", "term agreement on coastal radar, and a second",
                 "accord covers the mainten-", "ance of six patrol vessels over ten years."):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.multi_cell(0, 6, "Officials described the long-term plan as a model for other coast guards in the region.")
    pdf.output(str(tmp_path / "radar.pdf"))
    document, _ = stored(engine, add(engine, tmp_path / "radar.pdf").document)
    assert "signed a long-term agreement on coastal radar" in document.text
    assert "covers the maintenance of six patrol vessels" in document.text


def test_a_batch_of_only_duplicates_exits_1_like_a_single_one(db_url, tmp_path):
    files = []
    for n, place in enumerate(("Jakarta", "Hanoi")):
        path = tmp_path / f"note-{n}.txt"
        path.write_text(f"Note {n}\n\nJapan and ASEAN officials met in {place} to plan coast guard training.\n",
                        encoding="utf-8")
        files.append(str(path))
    assert aj("source", "add", *files).exit_code == 0
    assert aj("source", "add", files[0]).exit_code == 1
    both = aj("source", "add", *files)
    assert both.exit_code == 1 and "0 added, 2 duplicate, 0 failed" in both.stderr
    fresh = tmp_path / "note-new.txt"
    fresh.write_text("Note new\n\nJapan funded a new radar station for the Philippine coast guard this year.\n",
                     encoding="utf-8")
    assert aj("source", "add", *files, str(fresh)).exit_code == 0


def test_an_html_page_stored_before_the_boilerplate_filter_is_still_a_duplicate(engine, tmp_path):
    from sqlalchemy import update

    from aseanjapan import models as m
    from aseanjapan.textnorm import content_sha256

    paragraph = "Japan and Thailand signed a rail loan worth ¥45 billion on Thursday, the ministry said in Bangkok."
    html = (f"<html><head><title>Rail loan</title></head><body><article><h1>Rail loan</h1><p>{paragraph}</p>"
            f"<p>ADVERTISEMENT</p><p>{paragraph.replace('Thursday', 'Friday')}</p></article></body></html>").encode()
    (tmp_path / "loan.html").write_bytes(html)
    (tmp_path / "loan-again.html").write_bytes(html)
    first = add(engine, tmp_path / "loan.html")
    earlier = read_source("loan.html", html).earlier_texts
    assert "ADVERTISEMENT" in earlier[0]
    with engine.begin() as conn:  # as an aj without the filter stored it
        conn.execute(update(m.Document).where(m.Document.slug == first.document)
                     .values(content_sha256=content_sha256(earlier[0])))
    with pytest.raises(Exception, match="already stored as document"):
        add(engine, tmp_path / "loan-again.html")


# ---- the head of a plain article, and what candidates now say ----------------------------------------

PLAIN_ARTICLE = """Skip to content
Vol. 3/2025 | May 2025

Hue port pledges double its cargo berths by 2030
By Minh Anh Vo
Published: 22 May 2025

The Hue Port Authority said on May 20 that it would build two berths. Minister Pham Van Duc opened the
site in April, and Hue Port Authority engineers expect cargo to reach 90,000 boxes.
"""


def test_plain_text_reads_headline_byline_and_date_line_and_drops_the_lines_above(engine, tmp_path):
    path = tmp_path / "hue-port.txt"
    path.write_text(PLAIN_ARTICLE)
    result = add(engine, path)
    document, candidates = stored(engine, result.document)
    assert (document.title, document.byline, str(document.published_on)) == (
        "Hue port pledges double its cargo berths by 2030", "Minh Anh Vo", "2025-05-22")
    assert document.text.startswith("Hue port pledges double") and "By Minh" not in document.text
    assert "Published" not in document.text and "Skip to content" not in document.text
    dates = {c.text: c for c in candidates if c.kind == "date"}
    assert set(dates) == {"2030", "May 20", "April"}  # the date line is metadata, not a date of the article
    assert (dates["May 20"].date_start, dates["April"].date_start) == (date(2025, 5, 20), date(2025, 4, 1))
    assert "publication date 2025-05-22" in dates["April"].date_note
    [authority] = [c for c in candidates if c.kind == "entity" and c.name == "Hue Port Authority"]
    import json

    assert len(json.loads(authority.occurrences)) == 2 and authority.name_type == "organisation"
    [minister] = [c for c in candidates if c.kind == "entity" and c.name == "Pham Van Duc"]
    assert (minister.role, minister.name_type) == ("Minister", "person")


def test_review_list_shows_what_candidates_now_say(db_url, tmp_path):
    path = tmp_path / "hue-port.txt"
    path.write_text(PLAIN_ARTICLE)
    assert aj("source", "add", str(path)).exit_code == 0
    rows = {r["text"]: r for r in aj("review", "list", "--format", "json").json()}
    assert rows["April"]["proposal"].startswith("2025-04 (year taken from the publication date 2025-05-22")
    authority = rows["Hue Port Authority"]
    assert authority["name_type"] == "organisation" and len(authority["occurrences"]) == 2
    assert authority["proposal"] == "new organisation: Hue Port Authority; 2 places in the text"
    assert rows["Pham Van Duc"]["role"] == "Minister"
    csv = aj("review", "list", "--format", "csv")
    assert csv.exit_code == 0 and "name_type,role,date_note,occurrences" in csv.stdout.splitlines()[0]


def test_a_page_of_class_named_divs_keeps_its_headline_and_drops_promotions():
    html = b"""<html><head><title>Port deal signed | Harbour Daily</title></head><body>
<div class="nav"><div>Home</div><div>Ports</div></div>
<div class="story"><div class="head">Port deal signed as Hue adds berths</div>
<div class="meta">By Lan Vu | Mar 3, 2025</div>
<div class="p">The Hue Port Authority will add 4 berths, the ministry said on Monday, and lend 30 tugs.</div>
<div class="promo">Save 30% on a yearly plan. Offer ends Friday.</div>
<div class="p">Cargo through the port rose 12 percent in 2024, its operators said on Tuesday.</div></div>
</body></html>"""
    source = read_source("deal.html", html)
    assert source.title == "Port deal signed as Hue adds berths" and source.byline == "Lan Vu"
    assert source.text.splitlines()[0] == "Port deal signed as Hue adds berths" and "Save 30%" not in source.text


def test_a_markdown_table_keeps_its_rows_and_its_header_gives_the_unit():
    text = ("# Grants by country\n\nGrants rose again this year.\n\n| Country | Year | Grant (¥ million) | Share (%) |\n"
            "|---|---|---|---|\n| Laos | 2023 | 450 | 12.5 |\n| Nepal | 2024 | 1,200 | 30 |\n")
    source = read_source("grants.md", text.encode())
    assert "Laos | 2023 | 450 | 12.5" in source.text.splitlines()
    found = [(c.text, c.value, c.unit) for c in extract(source.text, []) if c.kind == "statistic"]
    assert found == [("450", 450e6, "jpy"), ("12.5", 12.5, "percent"), ("1,200", 1.2e9, "jpy"), ("30", 30.0, "percent")]


def test_a_section_label_above_the_headline_a_reporting_by_line_and_a_date_line_are_not_article_text():
    html = """<html><head><title>Ferry line to Con Dao approved | Coast Weekly</title></head><body>
<div class="top"><div class="kicker">Transport</div>
<div class="ttl">Ferry line to Con Dao approved with Japanese loan</div>
<div class="who">Reporting by Tran Bao Ngoc</div>
<div class="when">Feb 9, 2026 07:40 ICT</div>
<div class="p">The ferry line will carry 900 passengers a day once its two boats arrive, the province said.</div>
<div class="p">Work on the pier starts in the spring and should take about eleven months.</div></div>
</body></html>""".encode()
    source = read_source("ferry.html", html)
    assert (source.title, source.byline, source.published) == (
        "Ferry line to Con Dao approved with Japanese loan", "Tran Bao Ngoc", "2026-02-09")
    lines = source.text.splitlines()
    assert lines[0] == "Ferry line to Con Dao approved with Japanese loan" and lines.count(lines[0]) == 1
    assert "Transport" not in lines and not any("Reporting" in line or "07:40" in line for line in lines)


def test_an_undeclared_utf8_page_keeps_its_byline_clean():
    html = """<html><head><title>Drought relief for the Mekong delta agreed</title></head><body>
<div class="a-ttl">Drought relief for the Mekong delta agreed</div>
<div class="a-sub">By Pham Thu Ha · 3 May 2025 · Updated 09:10</div>
<div class="a-txt">Japan will send pumps to 14 districts of the delta, officials said on Friday.</div>
<div class="a-txt">The pumps arrive by ship in June and will run until the rains come back.</div>
</body></html>""".encode()  # no charset declared: read as UTF-8, not Latin-1 ("Â·")
    assert read_source("relief.html", html).byline == "Pham Thu Ha"


@pytest.mark.parametrize(("line", "published"), [("Posted 14/11/2025", "2025-11-14"), ("Posted 11/14/2025", "2025-11-14"),
                                                 ("Updated 30.01.2026", "2026-01-30"), ("Posted 03/04/2025", None)])
def test_a_numeric_date_line_is_read_when_its_order_is_plain(line, published):
    text = f"Holiday flights to Da Nang climb again\n\n{line}\n\nArrivals rose 9 percent in October to 80,400.\n"
    assert read_source("flights.txt", text.encode()).published == published
