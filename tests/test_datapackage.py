"""`aj export --format datapackage`: the CSV tables with a Frictionless descriptor that the
frictionless library validates, keys and references included."""

from __future__ import annotations

import csv
import json

import pytest

from .clitools import aj

frictionless = pytest.importorskip("frictionless")


def _export(tmp_path):
    target = tmp_path / "kb"
    run = aj("export", "--format", "datapackage", "--output", str(target))
    assert run.exit_code == 0, run.stderr
    assert "with datapackage.json" in run.stderr
    return target


def test_the_data_package_validates_with_types_keys_and_sources(db_url, tmp_path):
    target = _export(tmp_path)
    report = frictionless.validate(str(target / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    statistics = resources["statistics"]["schema"]
    assert statistics["primaryKey"] == ["slug"]
    assert {"fields": ["subject"], "reference": {"resource": "actors", "fields": ["slug"]}} in statistics["foreignKeys"]
    assert {f["name"]: f["type"] for f in statistics["fields"]}["value"] == "number"
    assert resources["claim_holders"]["schema"]["primaryKey"] == ["claim", "actor"]
    assert all(r["description"] for r in package["resources"])
    titles = {s["title"] for s in package["sources"]}
    assert "The rising sun in the tropical East" in titles
    # The tables are the CSV export's, byte for byte.
    plain = tmp_path / "plain"
    aj("export", "--format", "csv", "--output", str(plain))
    assert (target / "statistics.csv").read_bytes() == (plain / "statistics.csv").read_bytes()


def test_a_broken_reference_makes_the_package_invalid(db_url, tmp_path):
    """The foreign keys are real constraints: frictionless checks them."""
    target = _export(tmp_path)
    path = target / "statistics.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    subject = rows[0].index("subject")
    row = next(r for r in rows[1:] if r[subject])
    row[subject] = "no-such-actor"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
    report = frictionless.validate(str(target / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {kind for (kind,) in report.flatten(["type"])}
