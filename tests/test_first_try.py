"""A journalist's questions, each answered with its sources by the first command a reader finds
in `aj --help` and the README (the commands below are the README's)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from aseanjapan.charts import plan_chart

from .clitools import aj

TRUST = ("compare", "--metric", "trust", "--subject", "japan", "--subject", "United States", "--subject", "china")


def _cited(row: dict) -> bool:
    """The row names where it is reported: a document and paragraph, and that document's title."""
    return bool(row["cited_by"]) and len(row["sources"]) == len(row["cited_by"]) and all(
        re.search(r"\(.*\)", source) for source in row["sources"])


def test_which_security_initiatives_are_active_and_which_articles_report_each(db_url):
    rows = aj("query", "initiatives", "--area", "security", "--status", "active", "--format", "json").json()
    assert {"osa", "jasmine"} <= {r["slug"] for r in rows}
    assert all(r["status"] == "active" and _cited(r) for r in rows)
    osa = next(r for r in rows if r["slug"] == "osa")
    assert {label.split(" ¶")[0] for label in osa["cited_by"]} == {"wonk-50th-anniversary-summit", "tfgi-asean-japan-panel"}


def test_what_the_iseas_2024_survey_says_about_trust_in_japan_the_us_and_china_as_csv(db_url):
    run = aj(*TRUST, "--format", "csv")
    assert run.exit_code == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["subject_name"], r["display"]) for r in rows] == [("Japan", "58.9%"), ("United States", "42.4%"),
                                                                ("China", "24.8%")]
    assert all(r["origin"] == "iseas-sea-2024" and r["period"] == "2024" and r["cited_by"] and r["sources"] for r in rows)
    assert rows[0]["origin_source"].startswith("The State of Southeast Asia: 2024 Survey Report")
    # The same figures by the word readers use, from a listing
    listed = aj("query", "statistics", "--contains", "trust", "--origin", "iseas-sea-2024", "--format", "csv").stdout
    assert {"iseas-2024-confidence-japan", "iseas-2024-confidence-us", "iseas-2024-confidence-china"} <= {
        r["slug"] for r in csv.DictReader(io.StringIO(listed))}


def test_where_the_sources_disagree(db_url):
    found = aj("conflicts", "--format", "json").json()
    assert found
    for conflict in found:
        assert len(conflict["sides"]) == 2
        for side in conflict["sides"]:
            assert _cited(side), side


def test_what_happened_between_japan_and_asean_in_2023_in_date_order(db_url):
    rows = aj("timeline", "--since", "2023", "--until", "2023", "--format", "json").json()
    assert len(rows) >= 5 and all(_cited(r) for r in rows)
    starts = [date.fromisoformat((r["date"].split(" – ")[0] + "-01-01")[:10]) for r in rows]
    assert starts == sorted(starts) and all(d.year == 2023 for d in starts)
    assert "wonk-commemorative-summit-2023-12" in {r["slug"] for r in rows}


def test_who_kitti_prasirtsuk_is_and_what_he_argues(db_url):
    card = aj("show", "actor", "Kitti Prasirtsuk", "--format", "json").json()
    assert card["fields"]["kind"] == "person"
    assert card["affiliations"] and card["affiliations"][0]["organisation"] == "thammasat-university"
    assert len(card["claims_held"]) >= 10 and all(_cited(c) for c in card["claims_held"])


def test_everything_about_digital_cooperation(db_url):
    search = aj("search", "digital cooperation", "--format", "json")
    assert search.exit_code == 0 and all("cited_by" in h for h in search.json())
    # Search points a reader after a whole topic to the area that files it.
    assert "aj show area digital" in search.stderr
    card = aj("show", "area", "digital", "--format", "json").json()
    assert len(card["claims"]) + len(card["initiatives"]) + len(card["statistics"]) + len(card["events"]) >= 20
    assert all(_cited(row) for part in ("claims", "initiatives", "statistics", "events") for row in card[part])


def test_a_png_chart_of_trust_in_japan_the_us_and_china_ready_for_a_report(db_url, tmp_path):
    png = tmp_path / "trust.png"
    run = aj(*TRUST, "--output", str(png))
    assert run.exit_code == 0, run.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 1200 and height >= 600  # 8 inches at 150 dpi: a report's page width
    plan = plan_chart(aj(*TRUST, "--format", "json").json(), "trust")
    assert plan.groups == ["Japan", "United States", "China"]  # in the order asked for, by name
    assert len(plan.bars) == 3  # one bar per statistic, though two documents report Japan's
    assert plan.subtitle == ["From The State of Southeast Asia: 2024 Survey Report (ISEAS – Yusof Ishak Institute, 2024)",
                             "ASEAN opinion leaders · 2024"]
    notes = "\n".join(plan.notes)
    assert "Japan & ASEAN: a Strategic Partnership in the Face of US-China Rivalry" in notes and "¶6" in notes
    assert plan.bars[0].label == "58.9% [1, 2]" and plan.bars[2].label == "24.8% [1]"
