"""Loading bundles into a database: atomic, idempotent, updating by slug, reporting changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from aseanjapan.errors import ValidationError
from aseanjapan.loading.load import load_files
from aseanjapan.queries import Filters, run

from .dumps import canonical

BUNDLE = """\
documents:
  - slug: field-notes-2025
    title: "Field notes: Japan's patrol boats in the Philippines"
    kind: report
    authors: [japan]
    published: 2025-03-14
metrics:
  - {slug: patrol-vessels-delivered, name: Patrol vessels delivered, unit: count}
statistics:
  - slug: fieldnotes-patrol-vessels
    value: 12
    unit: count
    approximation: over
    metric: patrol-vessels-delivered
    subject: japan
    population_actor: philippines
    period: 2024
    areas: [maritime-security]
    citations: [{document: field-notes-2025, paragraph: 4, reported_as: "more than a dozen"}]
claims:
  - slug: fieldnotes-osa-expanding
    text: "The notes judge that Japan's security assistance to Manila keeps growing, \\"quietly\\", year on year."
    kind: assessment
    holders: [japan]
    initiatives: [osa]
    areas: [maritime-security]
    citations: [{document: field-notes-2025, paragraph: 2}]
events:
  - slug: fieldnotes-handover
    title: Handover ceremony for two vessels, Manila
    kind: delivery
    date: 2024-11
    actors: [japan, philippines]
    initiatives: [osa]
    citations: [{document: field-notes-2025, paragraph: 5}]
citations:
  - {initiative: osa, document: field-notes-2025, paragraph: 1}
"""


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "notes.yaml"
    path.write_text(BUNDLE, encoding="utf-8")
    return path


def sealed(text: str) -> str:
    """The bundle ended with the marker `aj export` writes (its record counts): a file that
    proves it is whole, so what it no longer lists is removed."""
    import json

    import yaml

    counts = {k: len(v) for k, v in yaml.safe_load(text).items() if isinstance(v, list) and v}
    return text + f"aj_bundle_end: {json.dumps(counts)}\n"


def rows(engine, kind: str, **filters) -> list[dict]:
    with Session(engine) as session:
        return run(session, kind, Filters(**filters))


def test_loaded_records_are_queryable_with_their_citations(engine, bundle):
    _, report = load_files(engine, [bundle])
    assert report.added == {"documents": 1, "metrics": 1, "statistics": 1, "claims": 1, "events": 1}
    [stat] = rows(engine, "statistics", metric=["patrol-vessels-delivered"])
    assert stat["display"] == "over 12" and stat["subject"] == "japan"
    assert stat["cited_by"] == ["field-notes-2025 ¶4"] and stat["reported_as"] == ["more than a dozen"]
    osa = next(r for r in rows(engine, "initiatives", document=["field-notes-2025"]))
    assert osa["slug"] == "osa" and "field-notes-2025 ¶1" in osa["cited_by"]
    [claim] = rows(engine, "claims", document=["field-notes-2025"])
    assert '"quietly"' in claim["text"]


def test_loading_the_same_file_twice_changes_nothing(engine, bundle):
    load_files(engine, [bundle])
    before = canonical(engine)
    _, report = load_files(engine, [bundle])
    assert not report.changed and report.changes == []
    assert canonical(engine) == before


def test_a_corrected_file_updates_by_slug_and_says_what_changed(engine, bundle):
    load_files(engine, [bundle])
    bundle.write_text(sealed(BUNDLE.replace("value: 12", "value: 14").replace("paragraph: 4,", "paragraph: 6,")))
    _, report = load_files(engine, [bundle])
    assert report.updated == {"statistics": 1}
    assert "updated statistic fieldnotes-patrol-vessels: value: 12.0 → 14.0" in report.changes
    [stat] = rows(engine, "statistics", metric=["patrol-vessels-delivered"])
    assert stat["value"] == 14 and stat["cited_by"] == ["field-notes-2025 ¶6"]


def test_any_problem_means_nothing_is_written(engine, bundle, tmp_path):
    bad = tmp_path / "zz-bad.yaml"
    bad.write_text("claims:\n  - slug: orphan\n    text: A claim about nothing.\n    kind: fact\n"
                   "    citations: [{document: no-such-document}]\n")
    before = canonical(engine)
    with pytest.raises(ValidationError, match="unknown document 'no-such-document'"):
        load_files(engine, [bundle, bad])
    assert canonical(engine) == before


def test_a_failure_while_writing_rolls_everything_back(engine, bundle, monkeypatch):
    from aseanjapan.loading import writer

    def explode(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer.Writer, "events", explode)  # after documents, claims, statistics
    before = canonical(engine)
    with pytest.raises(RuntimeError, match="disk full"):
        load_files(engine, [bundle])
    assert canonical(engine) == before


def test_citations_added_from_another_file_survive_reloading_the_first(engine, bundle, tmp_path):
    other = tmp_path / "more.yaml"
    other.write_text(
        "documents:\n  - {slug: second-look, title: A second look, kind: analysis}\n"
        "citations:\n  - {statistic: fieldnotes-patrol-vessels, document: second-look, paragraph: 9}\n"
    )
    load_files(engine, [bundle])
    load_files(engine, [other])
    load_files(engine, [bundle])
    [stat] = rows(engine, "statistics", metric=["patrol-vessels-delivered"])
    assert stat["cited_by"] == ["field-notes-2025 ¶4", "second-look ¶9"]


def test_a_citation_the_corrected_file_drops_is_removed_and_the_rest_keep_their_order(engine, bundle, tmp_path):
    """The file defines both the document and the records: what it cites between them is the
    whole truth. A citation from a document it does not define (another file's), or of a record
    it does not define, stays."""
    other = tmp_path / "more.yaml"
    other.write_text(
        "documents:\n  - {slug: second-look, title: A second look, kind: analysis}\n"
        "citations:\n  - {statistic: fieldnotes-patrol-vessels, document: second-look, paragraph: 9}\n"
    )
    two_places = BUNDLE.replace(
        'citations: [{document: field-notes-2025, paragraph: 4, reported_as: "more than a dozen"}]',
        'citations: [{document: field-notes-2025, paragraph: 3}, {document: field-notes-2025, paragraph: 4}]')
    bundle.write_text(two_places, encoding="utf-8")
    load_files(engine, [bundle])
    load_files(engine, [other])
    bundle.write_text(sealed(BUNDLE.replace("citations:\n  - {initiative: osa, document: field-notes-2025, paragraph: 1}\n", "")),
                      encoding="utf-8")
    _, report = load_files(engine, [bundle])
    # ¶3 and ¶4 out, ¶4 "more than a dozen" in: the statistic counts as updated
    assert "citations of statistic fieldnotes-patrol-vessels: 1 added, 2 removed" in report.changes
    assert report.updated["statistics"] == 1 and report.unchanged["statistics"] == 0
    [stat] = rows(engine, "statistics", metric=["patrol-vessels-delivered"])
    assert stat["cited_by"] == ["field-notes-2025 ¶4", "second-look ¶9"]
    # OSA is defined elsewhere (the seed): its citation from this document is left alone.
    osa = next(r for r in rows(engine, "initiatives", actor=["japan"]) if r["slug"] == "osa")
    assert "field-notes-2025 ¶1" in osa["cited_by"]
    # Loading the corrected file again is a no-op.
    before = canonical(engine)
    _, report = load_files(engine, [bundle])
    assert report.changes == [] and canonical(engine) == before


def test_a_refreshed_database_equals_a_freshly_built_one(engine, empty_db_url, tmp_path):
    """Re-loading a corrected bundle over an older version of it gives exactly the database a
    first load of the corrected bundle gives: same records, same citations in the same order."""
    from aseanjapan.db import make_engine
    from aseanjapan.export import write_bundle
    from aseanjapan.migrate import upgrade

    first, corrected = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    first.write_text(BUNDLE, encoding="utf-8")
    corrected.write_text(sealed(BUNDLE.replace(
        "citations: [{document: field-notes-2025, paragraph: 5}]",
        "citations: [{document: field-notes-2025, paragraph: 3}, {document: field-notes-2025, paragraph: 5}]")),
        encoding="utf-8")
    load_files(engine, [first])
    load_files(engine, [corrected])
    fresh = make_engine(empty_db_url)
    upgrade(fresh)
    load_files(fresh, [corrected])
    dumps = []
    for eng in (engine, fresh):
        with eng.connect() as conn, (tmp_path / "out.yaml").open("w", encoding="utf-8") as f:
            write_bundle(conn, f, "yaml")
        dumps.append((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    fresh.dispose()
    assert dumps[0] == dumps[1]


def test_dry_run_validates_without_writing(engine, bundle):
    before = canonical(engine)
    parsed, report = load_files(engine, [bundle], dry_run=True)
    assert report is None and len(parsed) == 1
    assert canonical(engine) == before


# ---- JSON Lines bundles: streamed a chunk at a time ------------------------------------------

def _jsonl(path: Path, lines: list[dict]) -> Path:
    import json

    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _stat(i: int, doc: str = "stream-doc") -> dict:
    return {"statistics": {"slug": f"stream-s{i}", "value": i, "unit": "count", "metric": "population",
                           "citations": [{"document": doc, "paragraph": 1}]}}


@pytest.fixture
def small_chunks(monkeypatch):
    from aseanjapan.loading import reader

    monkeypatch.setattr(reader, "CHUNK_RECORDS", 7)
    monkeypatch.setattr(reader.iter_jsonl_chunks, "__defaults__", (None, 7))


def test_a_streamed_bundle_loads_in_chunks_and_exports_back_identically(engine, tmp_path, small_chunks, empty_db_url):
    from aseanjapan.db import make_engine
    from aseanjapan.export import write_bundle
    from aseanjapan.migrate import upgrade

    path = _jsonl(tmp_path / "s.jsonl", [{"aj_bundle": 1}, {"documents": {"slug": "stream-doc", "title": "S", "kind": "report"}}]
                  + [_stat(i) for i in range(40)])
    _, report = load_files(engine, [path])
    assert report.added == {"documents": 1, "statistics": 40}
    first = tmp_path / "first.jsonl"
    with engine.connect() as conn, first.open("w", encoding="utf-8") as f:
        write_bundle(conn, f, "jsonl")
    fresh = make_engine(empty_db_url)
    upgrade(fresh)
    load_files(fresh, [first])
    second = tmp_path / "second.jsonl"
    with fresh.connect() as conn, second.open("w", encoding="utf-8") as f:
        write_bundle(conn, f, "jsonl")
    fresh.dispose()
    assert second.read_bytes() == first.read_bytes()


def test_a_streamed_bundle_is_atomic_and_its_errors_name_the_line(engine, tmp_path, small_chunks):
    lines = [{"documents": {"slug": "stream-doc", "title": "S", "kind": "report"}}] + [_stat(i) for i in range(30)]
    lines[25]["statistics"]["value"] = "many"
    path = _jsonl(tmp_path / "s.jsonl", lines)
    before = canonical(engine)
    with pytest.raises(ValidationError) as caught:
        load_files(engine, [path])
    assert caught.value.problems == [f"{path}:26: statistics.value: not a number"]
    assert canonical(engine) == before  # the chunks written before the bad one are rolled back


def test_a_slug_repeated_in_a_later_chunk_is_a_duplicate(engine, tmp_path, small_chunks):
    lines = [{"documents": {"slug": "stream-doc", "title": "S", "kind": "report"}}] + [_stat(i) for i in range(20)] + [_stat(3)]
    path = _jsonl(tmp_path / "s.jsonl", lines)
    before = canonical(engine)
    with pytest.raises(ValidationError, match="duplicate statistic slug 'stream-s3'"):
        load_files(engine, [path])
    with pytest.raises(ValidationError, match="duplicate statistic slug 'stream-s3'"):
        load_files(engine, [path], dry_run=True)
    assert canonical(engine) == before


def _add_source(engine, path: Path, **options) -> str:
    from aseanjapan.loading.ingest import SourceOptions, add_source

    return add_source(engine, path.name, path.read_bytes(), SourceOptions(**options)).document


def _document(engine, slug: str):
    from sqlalchemy import select

    from aseanjapan import models as m

    with Session(engine) as session:
        doc = session.execute(select(m.Document).where(m.Document.slug == slug)).scalar_one()
        authors = [a.slug for a in doc.authors] if hasattr(doc, "authors") else None
        session.expunge_all()
        return doc, authors


def test_a_bundle_describing_an_added_source_keeps_its_text_hash_and_metadata(engine, tmp_path):
    """`aj source add` stores the text; a bundle that then gives the document a summary must
    not erase what it leaves out (text, hash, URL, date, authors)."""
    from aseanjapan.loading.ingest import DuplicateSource

    article = tmp_path / "coast-guard-note.txt"
    article.write_text("Coast guard training\n\nJapan funded a course for twelve officers in 2024.\n", encoding="utf-8")
    slug = _add_source(engine, article, url="https://example.org/note", date="2024-05", authors=["japan"])
    before, authors_before = _document(engine, slug)
    note = tmp_path / "describe.yaml"
    note.write_text(f"documents:\n  - {{slug: {slug}, title: Coast guard training, kind: news, summary: A short note.}}\n",
                    encoding="utf-8")
    load_files(engine, [note])
    after, authors_after = _document(engine, slug)
    assert after.summary == "A short note." and after.kind == "news"
    assert (after.text, after.content_sha256, after.url) == (before.text, before.content_sha256, before.url)
    assert (after.published_on, after.published_precision) == (before.published_on, before.published_precision)
    assert authors_after == authors_before
    with pytest.raises(DuplicateSource):
        _add_source(engine, article)


def test_a_document_loaded_with_its_text_is_recognised_when_the_file_is_added(engine, tmp_path):
    from aseanjapan.loading.ingest import DuplicateSource

    article = tmp_path / "brief.txt"
    article.write_text("Port visit\n\nTwo Japanese destroyers called at Cam Ranh Bay.\n", encoding="utf-8")
    bundle = tmp_path / "brief.yaml"
    bundle.write_text('documents:\n  - slug: port-visit-brief\n    title: Port visit\n    kind: news\n'
                      '    text: "Port visit\\n\\nTwo Japanese destroyers called at Cam Ranh Bay."\n', encoding="utf-8")
    load_files(engine, [bundle])
    doc, _ = _document(engine, "port-visit-brief")
    assert doc.content_sha256 and len(doc.content_sha256) == 64
    with pytest.raises(DuplicateSource, match="port-visit-brief"):
        _add_source(engine, article)


def test_a_citation_of_a_stored_source_must_point_inside_its_text(engine, tmp_path):
    article = tmp_path / "short-note.txt"
    article.write_text("Patrol boats\n\nManila received two boats.\n", encoding="utf-8")
    slug = _add_source(engine, article)
    bad = tmp_path / "cite.yaml"
    bad.write_text(f"citations:\n  - {{initiative: osa, document: {slug}, paragraph: 42, char_start: 5000, char_end: 5011}}\n",
                   encoding="utf-8")
    before = canonical(engine)
    with pytest.raises(ValidationError) as caught:
        load_files(engine, [bad])
    assert caught.value.problems == [f"{bad}:2: citations[0].paragraph: paragraph 42 is beyond the end of document "
                                     f"'{slug}', which has 2"]
    assert canonical(engine) == before


def test_an_added_sources_author_line_file_name_and_time_survive_a_bundle_round_trip(engine, empty_db_url, tmp_path):
    from aseanjapan.db import make_engine
    from aseanjapan.export import write_bundle
    from aseanjapan.migrate import upgrade

    article = tmp_path / "field-visit.md"
    article.write_text("---\ntitle: Field visit\nauthor: Aiko Tanaka\n---\n\nJapanese engineers inspected the "
                       "Manila port works in 2024 and reported progress to the ministry.\n", encoding="utf-8")
    slug = _add_source(engine, article)
    before, _ = _document(engine, slug)
    assert before.byline == "Aiko Tanaka" and before.added_at is not None
    exported = tmp_path / "kb.yaml"
    with engine.connect() as conn, exported.open("w", encoding="utf-8") as f:
        write_bundle(conn, f, "yaml")
    fresh = make_engine(empty_db_url)
    upgrade(fresh)
    load_files(fresh, [exported])
    after, _ = _document(fresh, slug)
    fresh.dispose()
    assert (after.byline, after.source_name, after.added_at.replace(microsecond=0)) == (
        before.byline, before.source_name, before.added_at.replace(microsecond=0))


def test_documents_are_streamed_in_chunks_too(engine, tmp_path, small_chunks):
    """Many documents are not held in memory at once: they load across chunks, statistics cite
    documents of earlier chunks (spans checked against their texts), and a document slug
    repeated in a later chunk is still a duplicate."""
    docs = [{"documents": {"slug": f"stream-doc-{i}", "title": f"S{i}", "kind": "report",
                           "text": f"Title {i}\n\nJapan gave {i} boats."}} for i in range(20)]
    stats = [_stat(i, doc=f"stream-doc-{i}") for i in range(20)]
    stats[0]["statistics"]["citations"] = [{"document": "stream-doc-0", "paragraph": 2, "char_start": 20,
                                            "char_end": 21, "reported_as": "0"}]
    path = _jsonl(tmp_path / "docs.jsonl", docs + stats)
    _, report = load_files(engine, [path])
    assert report.added == {"documents": 20, "statistics": 20}
    bad = [dict(s) for s in stats]
    bad[0] = {"statistics": {**stats[0]["statistics"], "slug": "stream-bad",
                             "citations": [{"document": "stream-doc-0", "paragraph": 2, "char_start": 20,
                                            "char_end": 21, "reported_as": "9"}]}}
    wrong = _jsonl(tmp_path / "wrong.jsonl", [{"documents": {"slug": "stream-doc-x", "title": "X", "kind": "report"}},
                                              *bad[:1]])
    with pytest.raises(ValidationError, match="reads '0', not '9'"):
        load_files(engine, [wrong])
    again = _jsonl(tmp_path / "again.jsonl", [{"documents": {"slug": f"new-doc-{i}", "title": "N", "kind": "report"}}
                                              for i in range(10)] + [{"documents": {"slug": "new-doc-2", "title": "N",
                                                                                    "kind": "report"}}])
    with pytest.raises(ValidationError, match="duplicate document slug 'new-doc-2'"):
        load_files(engine, [again])


def test_a_corrected_file_cannot_drop_a_records_last_citation(engine, bundle):
    load_files(engine, [bundle])
    before = canonical(engine)
    bundle.write_text(sealed(BUNDLE.replace("    citations: [{document: field-notes-2025, paragraph: 2}]\n", "")), encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        load_files(engine, [bundle])
    line = BUNDLE.splitlines().index("  - slug: fieldnotes-osa-expanding") + 1
    assert error.value.problems == [
        f"{bundle}:{line}: claims[0].citations: claim 'fieldnotes-osa-expanding' would be left with no citation; "
        "every claim needs a document that reports it"]
    assert canonical(engine) == before


def test_the_change_report_names_fields_and_lists_as_the_bundle_does(engine, bundle):
    load_files(engine, [bundle])
    corrected = (BUNDLE.replace("    subject: japan\n    population_actor: philippines\n    period: 2024\n",
                                "    subject: philippines\n    population_actor: philippines\n    period: 2023\n")
                 .replace("    holders: [japan]\n", "    holders: [japan, philippines]\n")
                 .replace("    actors: [japan, philippines]\n    initiatives: [osa]\n", "    actors: [japan]\n    initiatives: [osa]\n"))
    bundle.write_text(sealed(corrected), encoding="utf-8")
    _, report = load_files(engine, [bundle])
    assert ("updated statistic fieldnotes-patrol-vessels: subject: japan → philippines, "
            "period: 2024 → 2023") in report.changes
    assert "holders of claim fieldnotes-osa-expanding: 1 added, 0 removed" in report.changes
    assert "actors of event fieldnotes-handover: 0 added, 1 removed" in report.changes
    assert report.updated["claims"] == report.updated["events"] == report.updated["statistics"] == 1
    assert report.unchanged["claims"] == report.unchanged["events"] == 0
    _, again = load_files(engine, [bundle])
    assert again.changes == [] and sum(again.updated.values()) == 0
