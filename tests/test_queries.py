"""Library queries: filters combine, names resolve, dates of different precision compare sensibly."""

from __future__ import annotations

import pytest

from aseanjapan.errors import NotFoundError, UsageError
from aseanjapan.display import format_value
from aseanjapan.queries import Filters, run

from .clitools import aj


def slugs(session, what, **filters):
    return [r["slug"] for r in run(session, what, Filters(**filters))]


def test_area_includes_sub_areas(session):
    security = set(slugs(session, "initiatives", area=["security"]))
    defence = set(slugs(session, "initiatives", area=["defence"]))
    maritime = set(slugs(session, "initiatives", area=["maritime-security"]))
    assert {"jasmine", "osa"} <= security and defence | maritime <= security
    assert "jasmine" not in maritime


def test_filters_and_together_and_repeats_or(session):
    osa_claims = set(slugs(session, "claims", initiative=["osa"]))
    jasmine_claims = set(slugs(session, "claims", initiative=["jasmine"]))
    either = set(slugs(session, "claims", initiative=["osa", "jasmine"]))
    assert either == osa_claims | jasmine_claims
    recommend = set(slugs(session, "claims", kind=["recommendation"]))
    assert set(slugs(session, "claims", initiative=["osa", "jasmine"], kind=["recommendation"])) == either & recommend


def test_statistics_filters(session):
    trust = run(session, "statistics", Filters(metric=["confidence-do-right-thing"], sort="value", reverse=True))
    assert [(r["subject"], r["display"]) for r in trust] == [
        ("japan", "58.9%"), ("united-states", "42.4%"), ("china", "24.8%")]
    assert {r["origin"] for r in trust} == {"iseas-sea-2024"}
    from_2023_survey = slugs(session, "statistics", origin=["The State of Southeast Asia 2023 Survey Report"])
    assert from_2023_survey == ["iseas-2023-favourite-destination-japan"]
    assert all(r["unit"] == "usd" for r in run(session, "statistics", Filters(unit=["usd"])))


def test_dates_of_different_precision_overlap_sensibly(session):
    # The CSP upgrade is dated to a month (2023-09): a day inside it finds it, the next month does not.
    assert "wonk-csp-upgrade-2023-09" in slugs(session, "events", since="2023-09-20", until="2023-09-20")
    assert "wonk-csp-upgrade-2023-09" not in slugs(session, "events", since="2023-10")
    # The summit ran 2023-12-16 to 18: a window ending on the 17th catches it.
    summit = [r for r in run(session, "events", Filters(since="2023-12-17", until="2023-12-17"))
              if r["slug"] == "wonk-commemorative-summit-2023-12"]
    assert summit and summit[0]["date"] == "2023-12-16 – 2023-12-18"
    # Records with no date never match a date filter.
    assert all(r["date"] != "unknown" for r in run(session, "events", Filters(since="1900")))


def test_events_sort_by_date(session):
    dated = [r for r in run(session, "events", Filters(sort="date")) if r["date"] != "unknown"]
    assert [r["date"][:4] for r in dated] == sorted(r["date"][:4] for r in dated)


def test_contains_is_case_insensitive_and_literal(session):
    assert "jasmine" in slugs(session, "initiatives", contains="DEFENCE cooperation")
    assert slugs(session, "initiatives", contains="%") == []


def test_unknown_and_ambiguous_names(session):
    with pytest.raises(NotFoundError, match=r"no actor 'Japn' \(closest: japan"):
        run(session, "claims", Filters(actor=["Japn"]))
    with pytest.raises(UsageError, match="--status cannot filter claims"):
        run(session, "claims", Filters(status=["active"]))


def test_limit_offset(session):
    everything = slugs(session, "actors", sort="slug")
    assert slugs(session, "actors", sort="slug", limit=3, offset=2) == everything[2:5]


@pytest.mark.parametrize(
    ("value", "unit", "approx", "expected"),
    [(58.9, "percent", "exact", "58.9%"), (22.5e9, "usd", "exact", "$22.5 billion"),
     (600e6, "count", "over", "over 600 million"), (1e12, "usd", "exact", "$1 trillion"),
     (100000, "count", "exact", "100,000"), (2, "rank", "exact", "#2"), (66.7, "percent", "nearly", "nearly 66.7%")],
)
def test_figures_read_naturally(value, unit, approx, expected):
    assert format_value(value, unit, approx) == expected


ACCENTED = """\
documents:
  - {slug: hanoi-note, title: A note from Hanoi, kind: analysis}
actors:
  - slug: dong-a-institute
    name: Đông Á Institute
    kind: institute
    names: [{name: Viện Đông Á, kind: alias}]
    citations: [{document: hanoi-note, paragraph: 1}]
claims:
  - slug: hanoi-claim
    text: The ÜBERSICHT of Đông Á ties is upbeat.
    kind: assessment
    citations: [{document: hanoi-note, paragraph: 2}]
"""


def test_names_and_text_with_accented_capitals_match_in_any_case(engine, db_url, tmp_path):
    """SQLite's built-in lower() folds ASCII only; names typed in another case must still match."""
    from aseanjapan.loading.load import load_files

    (tmp_path / "accented.yaml").write_text(ACCENTED, encoding="utf-8")
    load_files(engine, [tmp_path / "accented.yaml"])
    for name in ("Đông Á Institute", "đông á institute", "VIỆN ĐÔNG Á"):
        run = aj("show", "actor", name, "--format", "json")
        assert run.exit_code == 0, (name, run.stderr)
        assert run.json()["slug"] == "dong-a-institute"
    for text in ("ÜBERSICHT", "übersicht", "đông á"):
        rows = aj("query", "claims", "--contains", text, "--format", "json").json()
        assert [r["slug"] for r in rows] == ["hanoi-claim"], text


def test_undated_records_sort_last_and_names_sort_the_same_on_every_backend(engine, db_url, tmp_path):
    from aseanjapan.loading.load import load_files

    (tmp_path / "names.yaml").write_text(
        "actors:\n"
        "  - {slug: acme-lower, name: acme lower, kind: company}\n"
        "  - {slug: zeta-upper, name: Zeta Upper, kind: company}\n"
        "  - {slug: ynbc-co, name: YNBC Holdings, kind: company}\n", encoding="utf-8")
    load_files(engine, [tmp_path / "names.yaml"])
    names = [r["name"] for r in aj("query", "actors", "--kind", "company", "--sort", "name", "--format", "json").json()]
    assert names == sorted(names, key=str.lower) and names.index("acme lower") < names.index("YNBC Holdings")
    for reverse in ([], ["--reverse"]):
        dates = [r["date"] for r in aj("query", "events", "--sort", "date", *reverse, "--format", "json").json()]
        known = [d for d in dates if d != "unknown"]
        assert dates == known + ["unknown"] * (len(dates) - len(known)), reverse
    published = [r["published"] for r in aj("query", "documents", "--format", "json").json()]
    assert published[-1] == "unknown" and published[0] != "unknown"


def test_every_kind_gives_the_fields_it_promises(session):
    from aseanjapan.kinds import RECORDS

    for kind in RECORDS:
        rows = run(session, kind.plural, Filters(limit=3))
        assert rows and all(list(r) == list(kind.fields) for r in rows), kind.plural


def test_an_empty_csv_still_has_its_header(db_url):
    from aseanjapan.kinds import CLAIM

    run_ = aj("query", "claims", "--contains", "zzzz-nothing", "--format", "csv")
    assert run_.exit_code == 0 and run_.stdout.splitlines() == [",".join(CLAIM.fields)]


@pytest.mark.parametrize(("args", "fixed"), [
    (["initiatives", "--status", "Active"], "active"), (["statistics", "--unit", "USD"], "usd"),
    (["claims", "--kind", "Recommendation"], "recommendation"),
])
def test_vocabulary_values_match_in_any_case(db_url, args, fixed):
    rows = aj("query", *args, "--format", "json").json()
    assert rows and all(r[args[1][2:]] == fixed for r in rows)


@pytest.mark.parametrize("args", [["initiatives", "--kind", "frameworks"], ["initiatives", "--status", "ongoing"],
                                  ["statistics", "--unit", "dollars"], ["events", "--kind", "summits"]])
def test_a_value_outside_the_vocabulary_is_a_usage_error_naming_the_choices(db_url, args):
    result = aj("query", *args)
    assert result.exit_code == 2 and len(result.error_lines) == 1 and "choose one of:" in result.error_lines[0]


def test_huge_limits_are_usage_errors_not_overflows(db_url):
    for option in ("--limit", "--offset"):
        result = aj("query", "events", option, "9223372036854775808")
        assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_include_unreviewed_honours_limit_and_offset(db_url, tmp_path):
    article = tmp_path / "figures.txt"
    article.write_text("Aid figures\n\nJapan pledged US$3 billion and 40% more grants to 12 countries.\n", encoding="utf-8")
    assert aj("source", "add", str(article)).exit_code == 0
    everything = aj("query", "statistics", "--include-unreviewed", "--format", "json").json()
    assert any(not r["reviewed"] for r in everything)
    for limit, offset in ((2, 0), (0, 0), (3, len(everything) - 2)):
        page = aj("query", "statistics", "--include-unreviewed", "-n", str(limit), "--offset", str(offset),
                  "--format", "json").json()
        assert page == everything[offset:offset + limit], (limit, offset)


@pytest.mark.parametrize(("args", "closest"), [
    (["show", "document", "rising sun"], "hong-rising-sun-tropical-east"),
    (["query", "claims", "--actor", "kitti"], "kitti-prasirtsuk"),
    (["show", "metric", "confidence"], "confidence-do-right-thing"),
    (["query", "claims", "--initiative", "Security"], "osa"),
    (["query", "claims", "--actor", "usa"], "united-states"),
])
def test_an_unknown_name_suggests_records_named_like_it(db_url, args, closest):
    result = aj(*args)
    assert result.exit_code == 1 and len(result.error_lines) == 1
    assert "(closest: " in result.error_lines[0] and closest in result.error_lines[0].split("(closest: ")[1]


END_PRECISION_BUNDLE = """\
documents:
  - {slug: prec-notes, title: Precision notes, kind: report}
metrics:
  - {slug: prec-metric, name: Precision metric, unit: percent}
statistics:
  - {slug: prec-decade-to-year, value: 10, unit: percent, metric: prec-metric, period: "2010s", period_end: "2023",
     citations: [{document: prec-notes, paragraph: 1}]}
  - {slug: prec-year-to-month, value: 11, unit: percent, metric: prec-metric, period: "2019", period_end: "2023-06",
     citations: [{document: prec-notes, paragraph: 2}]}
events:
  - {slug: prec-day-to-month, title: Day to month, kind: other, date: "2024-03-15", end_date: "2024-04",
     citations: [{document: prec-notes, paragraph: 3}]}
  - {slug: prec-decade-to-year-event, title: Decade to year, kind: other, date: "1990s", end_date: "2005",
     citations: [{document: prec-notes, paragraph: 4}]}
"""


def test_an_end_date_keeps_its_own_precision(db_url, tmp_path, empty_db_url, monkeypatch):
    from aseanjapan.cli import runtime

    def use(url: str) -> None:
        monkeypatch.setenv("AJ_DATABASE_URL", url)
        runtime._engine_cache.clear()

    use(db_url)
    bundle = tmp_path / "precision.yaml"
    bundle.write_text(END_PRECISION_BUNDLE, encoding="utf-8")
    assert aj("load", str(bundle)).exit_code == 0
    periods = {r["slug"]: r["period"] for r in aj("query", "statistics", "--metric", "prec-metric", "--format", "json").json()}
    assert periods == {"prec-decade-to-year": "2010s – 2023", "prec-year-to-month": "2019 – 2023-06"}
    dates = {r["slug"]: r["date"] for r in aj("query", "events", "--document", "prec-notes", "--format", "json").json()}
    assert dates == {"prec-day-to-month": "2024-03-15 – 2024-04", "prec-decade-to-year-event": "1990s – 2005"}

    def slugs(*args):
        return [r["slug"] for r in aj("query", *args, "--format", "json").json()]

    # An end stands for its whole period: April 2024 runs past the 15th, 2005 does not reach 2006.
    assert slugs("events", "--document", "prec-notes", "--since", "2024-04-15") == ["prec-day-to-month"]
    assert slugs("events", "--document", "prec-notes", "--since", "2006") == ["prec-day-to-month"]
    assert slugs("statistics", "--metric", "prec-metric", "--since", "2023-07") == ["prec-decade-to-year"]
    exported = tmp_path / "kb.yaml"
    assert aj("export", "--format", "bundle", "--output", str(exported)).exit_code == 0
    use(empty_db_url)
    assert aj("db", "upgrade").exit_code == 0
    assert aj("load", str(exported)).exit_code == 0
    again = {r["slug"]: r["period"] for r in aj("query", "statistics", "--metric", "prec-metric", "--format", "json").json()}
    assert again == periods


def test_each_statistics_wordings_pair_up_with_its_citations(db_url, tmp_path):
    """`reported_as` has one entry per `cited_by` entry, in the same order ("" where that
    citation gives no wording), so a spreadsheet reader can tell which document said what."""
    (tmp_path / "mixed.yaml").write_text(
        "documents:\n  - {slug: mixed-a, title: A, kind: report, published: 2020}\n"
        "  - {slug: mixed-b, title: B, kind: report, published: 2021}\n"
        "statistics:\n  - {slug: mixed-stat, value: 7, unit: percent, metric: confidence-do-right-thing, subject: japan,\n"
        "     citations: [{document: mixed-a, paragraph: 3}, {document: mixed-b, paragraph: 10, reported_as: seven percent}]}\n",
        encoding="utf-8")
    assert aj("load", str(tmp_path / "mixed.yaml")).exit_code == 0
    checked = 0
    for row in aj("query", "statistics", "--format", "json").json():
        card = aj("show", "statistic", row["slug"], "--format", "json").json()
        said = {}
        for c in card["citations"]:
            label = f"{c['document']} ¶{c['paragraph']}" if c["paragraph"] else c["document"]
            said.setdefault(label, [])
            if c["reported_as"] and c["reported_as"] not in said[label]:
                said[label].append(c["reported_as"])
        expected = [" / ".join(said[label]) for label in row["cited_by"]] if any(said.values()) else []
        assert row["reported_as"] == expected, row["slug"]
        checked += 1
    mixed = next(r for r in aj("query", "statistics", "--format", "json").json() if r["slug"] == "mixed-stat")
    assert list(zip(mixed["cited_by"], mixed["reported_as"])) == [("mixed-a ¶3", ""), ("mixed-b ¶10", "seven percent")]
    assert checked > 30


def test_contains_looks_in_other_names_too(db_url):
    def slugs(kind, text):
        return [r["slug"] for r in aj("query", kind, "--contains", text, "--format", "json").json()]

    assert slugs("initiatives", "overseas security") == ["osa"]  # an expansion one article gives
    assert slugs("actors", "TOKYO") == ["japan"]  # an alias


def test_an_end_whose_period_reaches_past_the_start_is_shown():
    from datetime import date

    from aseanjapan.dates import format_span

    assert format_span(date(2024, 5, 1), "month", date(2024, 1, 1), "year") == "2024-05 – 2024"
    assert format_span(date(2024, 5, 1), "month", date(2024, 5, 1), "month") == "2024-05"
    assert format_span(date(2010, 1, 1), "decade", date(2019, 1, 1), "year") == "2010s"  # inside the decade
