"""Disagreements between sources, figures side by side, timelines, claim relations."""

from __future__ import annotations

import csv
import io

import pytest

from aseanjapan.analysis import agree, conflicts
from aseanjapan.db import write_connection
from aseanjapan.loading.load import load_files
from aseanjapan.loading.seed import sync_seed

from .clitools import aj

SEED_DISAGREEMENTS = {
    "measure:iseas-2024-hedge-partner-japan|tfgi-iseas-2024-trust-reason-economic-resources-japan",
    "naming:initiative:osa:tfgi-asean-japan-panel|wonk-50th-anniversary-summit",
    "naming:initiative:ajcep:hong-rising-sun-tropical-east|prasirtsuk-security-partners",
    "naming:initiative:asean-japan-csp:tfgi-asean-japan-panel|wonk-50th-anniversary-summit",
    "naming:actor:timor-leste:prasirtsuk-security-partners|wonk-50th-anniversary-summit",
    "claim:kitti-economic-ties-peaked-2000s|hong-western-focus-overlooked-asean",
    "claim:wonk-japan-key-in-alignment-mix|hong-western-focus-overlooked-asean",
}


def keys(session, **kw):
    return {c.key for c in conflicts(session, **kw)}


def test_the_seed_disagreements_are_all_reported_and_nothing_else(session):
    assert keys(session) == SEED_DISAGREEMENTS


def test_each_side_carries_its_citations(db_url):
    found = {c["key"]: c for c in aj("conflicts", "--format", "json").json()}
    osa = found["naming:initiative:osa:tfgi-asean-japan-panel|wonk-50th-anniversary-summit"]
    assert [s["says"] for s in osa["sides"]] == ["Overseas Security Assistance (expansion)",
                                                 "Official Security Assistance (expansion)"]
    assert osa["sides"][0]["cited_by"] == ["tfgi-asean-japan-panel ¶12"]
    measure = found["measure:iseas-2024-hedge-partner-japan|tfgi-iseas-2024-trust-reason-economic-resources-japan"]
    assert {"tangkitvanich-strategic-partnership ¶11"} <= set(measure["sides"][0]["cited_by"])
    assert measure["sides"][1]["cited_by"] == ["tfgi-asean-japan-panel ¶2"]
    # The panel summary gives the hedging ranking, not the 27.7% share: it is on one side only.
    assert not any(c.startswith("tfgi-") for c in measure["sides"][0]["cited_by"])


def test_a_later_survey_wave_is_a_time_series_not_a_disagreement(session):
    assert not any("favourite-destination" in k for k in keys(session))


@pytest.mark.parametrize(("a", "a_mark", "b", "b_mark", "expected"), [
    (58.9, "exact", 60, "nearly", True), (58.9, "exact", 59, "exact", True), (58.9, "exact", 52, "exact", False),
    (600e6, "over", 650e6, "exact", True), (600e6, "over", 500e6, "exact", False), (71, "exact", 71.0, "exact", True),
    (27.8, "exact", 30.4, "exact", False), (50, "about", 45.5, "exact", True),
])
def test_rounding_and_approximation_marks(a, a_mark, b, b_mark, expected):
    assert agree(a, a_mark, b, b_mark) is expected


OTHER_SOURCE = """\
documents:
  - {{slug: other-poll-note, title: A note on the 2024 poll, kind: analysis}}
statistics:
  - slug: other-confidence-japan
    value: {value}
    approximation: {approximation}
    unit: percent
    metric: confidence-do-right-thing
    subject: japan
    population: ASEAN opinion leaders
    period: 2024
    origin: iseas-sea-2024
    citations: [{{document: other-poll-note, paragraph: 3, reported_as: "{value}%"}}]
events:
  - slug: other-csp-agreed
    title: CSP agreed
    kind: upgrade
    date: {csp_date}
    initiatives: [asean-japan-csp]
    citations: [{{document: other-poll-note, paragraph: 4}}]
"""


def _load(engine, tmp_path, **values):
    path = tmp_path / "other.yaml"
    path.write_text(OTHER_SOURCE.format(**values), encoding="utf-8")
    load_files(engine, [path])


def test_different_values_for_the_same_measure_disagree(engine, session, tmp_path):
    _load(engine, tmp_path, value=60, approximation="nearly", csp_date="2023-09")
    assert keys(session) == SEED_DISAGREEMENTS  # "nearly 60%" agrees with 58.9%, September agrees
    _load(engine, tmp_path, value=52, approximation="exact", csp_date="2023-05")
    session.rollback()  # end the read transaction so the new rows are visible
    found = keys(session) - SEED_DISAGREEMENTS
    assert found == {"value:iseas-2024-confidence-japan|other-confidence-japan",
                     "date:other-csp-agreed|wonk-csp-upgrade-2023-09"}


def test_marked_disagreements_stop_reappearing_even_after_reseeding(db_url, engine, session):
    key = "naming:actor:timor-leste:prasirtsuk-security-partners|wonk-50th-anniversary-summit"
    run = aj("conflicts", "--mark", key, "--note", "two spellings of one country")
    assert run.exit_code == 0, run.stderr
    assert key not in {c["key"] for c in aj("conflicts", "--format", "json").json()}
    with write_connection(engine) as conn:
        sync_seed(conn)
    listed = {c["key"]: c for c in aj("conflicts", "--include-reviewed", "--format", "json").json()}
    assert listed[key]["reviewed"] is True and listed[key]["note"] == "two spellings of one country"
    assert key not in {c["key"] for c in aj("conflicts", "--format", "json").json()}
    bad = aj("conflicts", "--mark", "naming:actor:timor")
    assert bad.exit_code == 1 and "no disagreement" in bad.error_lines[0] and "closest" in bad.error_lines[0]


def test_conflicts_as_csv_have_one_row_per_side(db_url):
    rows = list(csv.DictReader(io.StringIO(aj("conflicts", "--kind", "naming", "--format", "csv").stdout)))
    assert {r["kind"] for r in rows} == {"naming"} and len(rows) == 8
    assert aj("conflicts", "--kind", "nonsense").exit_code == 2


def test_compare_trust_in_japan_the_us_and_china(db_url, tmp_path):
    rows = aj("compare", "--metric", "confidence-do-right-thing", "--subject", "japan", "--subject", "united-states",
              "--subject", "china", "--format", "json").json()
    assert {(r["subject"], r["display"]) for r in rows} == {("japan", "58.9%"), ("united-states", "42.4%"), ("china", "24.8%")}
    assert all(r["origin"] == "iseas-sea-2024" and r["cited_by"] for r in rows)
    chart = aj("compare", "--metric", "confidence-do-right-thing", "--format", "table")
    assert "█" in chart.stdout and "58.9%" in chart.stdout and "tangkitvanich-strategic-partnership ¶6" in chart.stdout
    png, svg = tmp_path / "trust.png", tmp_path / "trust.svg"
    assert aj("compare", "--metric", "confidence-do-right-thing", "--output", str(png)).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert aj("compare", "--metric", "confidence-do-right-thing", "--output", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "iseas-sea-2024" in text


def test_compare_a_measure_across_survey_waves(db_url):
    rows = aj("compare", "--metric", "favourite-travel-destination", "--subject", "japan", "--format", "json").json()
    assert [(r["period"], r["display"], r["origin"]) for r in rows] == [
        ("2023", "27.8%", "iseas-sea-2023"), ("2024", "30.4%", "iseas-sea-2024")]


def test_timeline_security_in_date_order_with_honest_precision(db_url):
    rows = aj("timeline", "--area", "security", "--format", "json").json()
    assert rows and [r["date"][:7] for r in rows] == sorted(r["date"][:7] for r in rows)
    csp = next(r for r in rows if r["slug"] == "asean-japan-csp")
    assert csp["date"] == "2023-09" and csp["precision"] == "month"
    assert all(r["precision"] != "unknown" for r in rows)
    everything = aj("timeline", "--format", "json").json()
    summit = next(r for r in everything if r["slug"] == "wonk-commemorative-summit-2023-12")
    assert summit["date"] == "2023-12-16 – 2023-12-18" and summit["cited_by"]
    assert next(r for r in everything if r["slug"] == "ajcep")["date"] == "2000s"
    window = aj("timeline", "--since", "2024", "--until", "2024", "--format", "json").json()
    assert window and all(r["date"].startswith("2024") for r in window)


def test_show_claim_lists_its_relations_with_citations(db_url):
    card = aj("show", "claim", "kitti-japanese-investment-declining", "--format", "json").json()
    relations = {(r["direction"], r["relation"], r["claim"]) for r in card["relations"]}
    assert ("outgoing", "qualifies", "hong-japanese-fdi-likely-to-grow") in relations
    other = next(r for r in card["relations"] if r["claim"] == "hong-japanese-fdi-likely-to-grow")
    assert other["cited_by"] == ["hong-rising-sun-tropical-east ¶27"] and other["note"]
    back = aj("show", "claim", "hong-western-focus-overlooked-asean", "--format", "json").json()
    assert {("incoming", "contradicts", "kitti-economic-ties-peaked-2000s"),
            ("incoming", "contradicts", "wonk-japan-key-in-alignment-mix"),
            ("incoming", "qualifies", "kitti-japan-security-partner-since-1990s")} <= {
        (r["direction"], r["relation"], r["claim"]) for r in back["relations"]}


def test_a_chart_without_its_extra_names_the_install_command_and_writes_nothing(db_url, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    target = tmp_path / "trust.png"
    run = aj("compare", "--metric", "confidence-do-right-thing", "--output", str(target))
    assert run.exit_code == 1
    assert run.error_lines == ["aj: error: PNG and SVG charts need matplotlib: pip install 'aseanjapan[charts]'"]
    assert not target.exists()
