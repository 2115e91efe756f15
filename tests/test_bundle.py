"""Reading bundle files: every problem is reported with its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseanjapan.errors import ValidationError
from aseanjapan.loading.check import check_paths
from aseanjapan.loading.reader import parse_bundle_bytes, read_bundle_file

GOOD = """\
documents:
  - slug: note-1
    title: A short note
    kind: op-ed
    published: 2024-05
statistics:
  - slug: trust-figure
    value: 58.9
    unit: percent
    metric: trust
    period: 2024
    citations: [{document: note-1, paragraph: 2, reported_as: "58.9%"}]
metrics:
  - {slug: trust, name: Trust, unit: percent}
"""


def problems_of(text: str | bytes, name: str = "bundle.yaml") -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(ValidationError) as caught:
        parse_bundle_bytes(raw, name, as_json=name.endswith(".json"))
    return caught.value.problems


def test_a_valid_bundle_parses_with_dates_kept_at_their_precision():
    bundle = parse_bundle_bytes(GOOD.encode(), "bundle.yaml").bundle
    assert bundle.documents[0].published == "2024-05"
    assert bundle.statistics[0].period == "2024"
    assert bundle.statistics[0].value == 58.9


def test_a_wrong_type_names_file_line_and_field():
    text = GOOD.replace("value: 58.9", "value: lots")
    assert problems_of(text) == ["bundle.yaml:8: statistics[0].value: not a number"]


def test_every_problem_is_reported_not_just_the_first():
    text = GOOD.replace("value: 58.9", "value: lots").replace("kind: op-ed", "kind: blog")
    found = problems_of(text)
    assert len(found) == 2
    assert any(p.startswith("bundle.yaml:4: documents[0].kind: must be one of:") for p in found)


def test_duplicate_keys_are_refused_not_silently_overwritten():
    text = GOOD.replace("    unit: percent\n    metric", "    unit: percent\n    unit: count\n    metric")
    assert problems_of(text) == ["bundle.yaml:10: duplicate key 'unit' (first given on line 9)"]


def test_norway_stays_a_word_and_dates_stay_text():
    text = GOOD.replace("title: A short note", "title: NO")
    bundle = parse_bundle_bytes(text.encode(), "b.yaml").bundle
    assert bundle.documents[0].title == "NO"


def test_yaml_tags_that_build_objects_are_refused():
    found = problems_of("documents: !!python/object/apply:os.system ['echo hacked']\n")
    assert len(found) == 1 and found[0].startswith("bundle.yaml:1: malformed YAML")


def test_unknown_fields_are_errors():
    assert problems_of(GOOD.replace("    period: 2024\n", "    perod: 2024\n")) == [
        "bundle.yaml:11: statistics[0].perod: unknown field (did you mean 'period'?)"
    ]


def test_bad_dates_and_slugs_are_explained():
    found = problems_of(GOOD.replace("published: 2024-05", "published: 2024-13").replace("slug: note-1", "slug: Note 1"))
    assert "bundle.yaml:2: documents[0].slug: not a valid slug (lower-case letters, digits and single hyphens)" in found
    assert "bundle.yaml:5: documents[0].published: not a date: '2024-13' (use YYYY-MM-DD, YYYY-MM, YYYY, YYY0s or unknown)" in found


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "bundle.yaml: empty bundle"),
        (b"   \n\n", "bundle.yaml: empty bundle"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "bundle.yaml: binary file, not a bundle"),
        ("title: caf\xe9\n".encode("latin-1"), "bundle.yaml: not UTF-8 text (byte 0xe9 at offset 10)"),
        (b"- just\n- a list\n", "bundle.yaml:1: a bundle is a mapping of sections, not a list"),
        (b"documents: [\n", "bundle.yaml:2: malformed YAML"),
    ],
)
def test_unreadable_files_get_one_clear_line(raw: bytes, expected: str):
    found = problems_of(raw)
    assert len(found) == 1 and found[0].startswith(expected)


def test_json_bundles_are_read_too():
    found = problems_of('{"documents": [{"slug": "x", "title": "T", "kind": "op-ed", "published": 5}]}', "b.json")
    assert found == ["b.json:1: documents[0].published: not a date: '5' (use YYYY-MM-DD, YYYY-MM, YYYY, YYY0s or unknown)"]
    assert problems_of('{"documents": [', "b.json")[0].startswith("b.json:1: malformed JSON")


def test_unsupported_extension_and_missing_file(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("documents: []")
    with pytest.raises(ValidationError, match="unsupported bundle file type '.txt'"):
        read_bundle_file(tmp_path / "notes.txt")
    with pytest.raises(ValidationError, match="no such file"):
        read_bundle_file(tmp_path / "absent.yaml")


def test_references_must_resolve_with_suggestions(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(GOOD.replace("metric: trust", "metric: trusts"))
    with pytest.raises(ValidationError) as caught:
        check_paths([tmp_path / "a.yaml"])
    assert caught.value.problems == [
        f"{tmp_path / 'a.yaml'}:10: statistics[0].metric: unknown metric 'trusts' (did you mean 'trust'?)"
    ]


def test_records_need_a_citation(tmp_path: Path):
    text = GOOD.replace('    citations: [{document: note-1, paragraph: 2, reported_as: "58.9%"}]\n', "")
    (tmp_path / "a.yaml").write_text(text)
    with pytest.raises(ValidationError, match="statistic 'trust-figure' has no citation"):
        check_paths([tmp_path / "a.yaml"])


def test_a_slug_is_defined_once_across_files(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text("metrics:\n  - {slug: trust, name: Other, unit: count}\n")
    with pytest.raises(ValidationError) as caught:
        check_paths([tmp_path])
    assert caught.value.problems == [
        f"{tmp_path / 'b.yaml'}:2: metrics[0].slug: duplicate metric slug 'trust' (also at {tmp_path / 'a.yaml'}:14)"
    ]


def test_a_citation_in_another_file_counts(tmp_path: Path):
    text = GOOD.replace('    citations: [{document: note-1, paragraph: 2, reported_as: "58.9%"}]\n', "")
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text("citations:\n  - {statistic: trust-figure, document: note-1, paragraph: 3}\n")
    assert len(check_paths([tmp_path])) == 2


# ---- property-based: any bundle we can write, we read back; any text fails cleanly ------------

import json as _json  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aseanjapan.export import yaml_dump  # noqa: E402
from aseanjapan.loading.reader import parse_bundle_text  # noqa: E402
from aseanjapan.textnorm import clean_field  # noqa: E402

_slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60).filter(str.strip)
_name = _text.filter(clean_field)  # a title that is more than invisible characters
_bundles = st.fixed_dictionaries({
    "documents": st.lists(st.fixed_dictionaries({
        "slug": _slug, "title": _name, "kind": st.sampled_from(["op-ed", "report", "news"]),
        "published": st.sampled_from(["2024", "2024-05", "2024-05-10", "2000s", "unknown"]),
    }), max_size=3, unique_by=lambda d: d["slug"]),
    "claims": st.lists(st.fixed_dictionaries({
        "slug": _slug, "text": _text, "kind": st.sampled_from(["fact", "assessment"]),
        "citations": st.lists(st.fixed_dictionaries({"document": _slug, "paragraph": st.integers(1, 500),
                                                     "reported_as": _text}), min_size=1, max_size=2),
    }), max_size=3, unique_by=lambda c: c["slug"]),
    "statistics": st.lists(st.fixed_dictionaries({
        "slug": _slug, "value": st.floats(allow_nan=False, allow_infinity=False, width=64),
        "unit": st.sampled_from(["percent", "usd", "count"]), "metric": _slug,
        "citations": st.builds(lambda: [{"document": "d"}]),
    }), max_size=3, unique_by=lambda s: s["slug"]),
})


@settings(max_examples=150, deadline=None)
@given(_bundles, st.sampled_from(["yaml", "json"]))
def test_any_bundle_written_reads_back_the_same(data, fmt):
    text = yaml_dump(data) if fmt == "yaml" else _json.dumps(data)
    bundle = parse_bundle_text(text, f"b.{fmt}", as_json=fmt == "json").bundle
    for section, records in data.items():
        parsed = getattr(bundle, section)
        assert [r.slug for r in parsed] == [r["slug"] for r in records]
        for record, original in zip(parsed, records):
            for key, value in original.items():
                if key == "citations":
                    assert [c.model_dump(exclude_none=True) for c in record.citations] == value
                elif key == "published":
                    assert record.published == value
                elif key == "title":  # names and titles are stored normalised
                    assert record.title == clean_field(value)
                else:
                    assert getattr(record, key) == value


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_fails_with_located_problems(text):
    for as_json in (False, True):
        try:
            parse_bundle_text(text, "fuzz.yaml", as_json=as_json)
        except ValidationError as exc:
            assert exc.problems and all(p.startswith("fuzz.yaml") for p in exc.problems)


def test_an_unknown_key_with_a_dash_is_named_at_its_line():
    assert problems_of("-:") == ["bundle.yaml:1: -: unknown field"]
    text = GOOD.replace("    unit: percent\n    metric", "    unit: percent\n    reported-as: x\n    metric")
    assert problems_of(text)[0].startswith("bundle.yaml:10: statistics[0].reported-as: unknown field")


def test_dates_the_calendar_lacks_are_refused(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(GOOD.replace("published: 2024-05", "published: 2023-02-29"))
    with pytest.raises(ValidationError) as caught:
        check_paths([tmp_path / "a.yaml"])
    assert caught.value.problems == [
        f"{tmp_path / 'a.yaml'}:5: documents[0].published: not a date: '2023-02-29' (day is out of range for month)"]


def _check(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        check_paths([tmp_path / "a.yaml"])
    return caught.value.problems


def test_a_figure_must_be_in_its_metrics_unit(tmp_path: Path):
    assert _check(tmp_path, GOOD.replace("    unit: percent\n    metric: trust", "    unit: count\n    metric: trust")) == [
        f"{tmp_path / 'a.yaml'}:9: statistics[0].unit: 'count' does not fit metric 'trust', which is measured in "
        "'percent' (choose or define a metric in 'count')"]


def test_a_range_cannot_end_below_its_start(tmp_path: Path):
    [problem] = _check(tmp_path, GOOD.replace("    value: 58.9\n", "    value: 58.9\n    value_high: 50\n"))
    assert problem.startswith(f"{tmp_path / 'a.yaml'}:7: statistics[0]") and "value_high (50) is below value (58.9)" in problem


TEXT_DOC = GOOD.replace("    published: 2024-05\n", '    published: 2024-05\n    text: "Trust in Japan\\n\\nIt stood at 58.9% in 2024."\n')


@pytest.mark.parametrize(("citation", "expected"), [
    ("{document: note-1, paragraph: 3}", "statistics[0].citations[0].paragraph: paragraph 3 is beyond the end of "
                                         "document 'note-1', which has 2"),
    ("{document: note-1, paragraph: 2, char_start: 40, char_end: 90}",
     "statistics[0].citations[0].char_end: span 40-90 is beyond the end of document 'note-1', which has 42 characters"),
    ("{document: note-1, paragraph: 1, char_start: 28, char_end: 33}",
     "statistics[0].citations[0].char_start: span 28-33 is not in paragraph 1 of document 'note-1' (characters 0-14)"),
    ('{document: note-1, paragraph: 2, char_start: 28, char_end: 33, reported_as: "59%"}',
     "statistics[0].citations[0].reported_as: span 28-33 of document 'note-1' reads '58.9%', not '59%'"),
    ('{document: note-1, paragraph: 2, reported_as: "59%"}',
     "statistics[0].citations[0].reported_as: paragraph 2 of document 'note-1' does not say '59%'"),
])
def test_citations_must_point_inside_a_stored_text(tmp_path: Path, citation: str, expected: str):
    text = TEXT_DOC.replace('citations: [{document: note-1, paragraph: 2, reported_as: "58.9%"}]', f"citations: [{citation}]")
    [problem] = _check(tmp_path, text)
    assert problem == f"{tmp_path / 'a.yaml'}:13: {expected}"
    good = TEXT_DOC.replace('citations: [{document: note-1, paragraph: 2, reported_as: "58.9%"}]',
                            'citations: [{document: note-1, paragraph: 2, char_start: 28, char_end: 33, reported_as: "58.9%"}]')
    (tmp_path / "a.yaml").write_text(good, encoding="utf-8")
    assert check_paths([tmp_path / "a.yaml"])
