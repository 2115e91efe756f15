"""Citations given by quote: the quoted words are found in the stored text and kept as a span;
a quote that names no single place is refused with its file and line, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from aseanjapan.quotes import Quote, QuoteError, find, same_words

from .clitools import aj

ARTICLE = Path(__file__).parent / "fixtures" / "sources" / "mekong-youth-poll.md"
DOC = "mekong-poll"

TEXT = ("Headline of a short note\n\n"
        "The ministry’s plan – a modest one – won 40 percent support.\n\n"
        "A second survey also found 40 percent support, and \"cautious\" optimism.")


def test_the_quoted_words_give_their_exact_span():
    span = find(TEXT, Quote("The ministry's plan - a modest one"))
    assert TEXT[span.start:span.end] == span.text == "The ministry’s plan – a modest one"
    assert span.paragraph == 2


def test_whitespace_quotes_and_dashes_may_differ_but_letters_may_not():
    assert find(TEXT, Quote("“cautious”\n   optimism")).text == '"cautious" optimism'
    with pytest.raises(QuoteError, match="not in the text.*other letter case"):
        find(TEXT, Quote("the Ministry’s plan"))
    with pytest.raises(QuoteError, match="not in the text"):
        find(TEXT, Quote("The ministrys plan"))
    assert same_words("a – b", "a - b") and not same_words("a b", "a c")


def test_a_repeated_quote_needs_a_prefix_suffix_or_paragraph():
    with pytest.raises(QuoteError, match="occurs twice .*paragraphs 2, 3.*prefix or suffix"):
        find(TEXT, Quote("40 percent support"))
    assert find(TEXT, Quote("40 percent support", prefix="also found")).paragraph == 3
    assert find(TEXT, Quote("40 percent support", suffix=".")).paragraph == 2
    assert find(TEXT, Quote("40 percent", suffix="support,")).paragraph == 3
    assert find(TEXT, Quote("40 percent support"), paragraph=2).start == TEXT.index("40 percent")
    with pytest.raises(QuoteError, match="never with prefix 'nobody'"):
        find(TEXT, Quote("40 percent support", prefix="nobody"))


@pytest.fixture
def article(db_url):
    run = aj("source", "add", str(ARTICLE), "--slug", DOC, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return run


def _bundle(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "poll.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_bundle_cites_by_quote_and_stores_the_span(article, tmp_path):
    path = _bundle(tmp_path, f"""\
statistics:
  - slug: poll-trust-japan
    value: 61.3
    unit: percent
    metric: confidence-do-right-thing
    subject: japan
    citations:
      - document: {DOC}
        quote: "61.3 percent"
claims:
  - slug: poll-lead-may-fade
    kind: forecast
    text: The survey's authors think the goodwill could shrink along with exchange funding.
    citations:
      - {{document: {DOC}, quote: "could fade if exchange budgets shrink - 31.7", note: typed with a plain hyphen}}
citations:
  - {{actor: japan, document: {DOC}, quote: Japan, prefix: "percent listed"}}
""")
    run = aj("load", str(path))
    assert run.exit_code == 0, run.stderr
    stat = aj("show", "statistic", "poll-trust-japan", "--format", "json").json()
    [cite] = stat["citations"]
    assert cite["excerpt"] == cite["reported_as"] == "61.3 percent" and cite["paragraph"] == 3
    claim = aj("show", "claim", "poll-lead-may-fade", "--format", "json").json()
    assert claim["citations"][0]["excerpt"] == "could fade if exchange budgets shrink – 31.7"  # the text's own dash
    exported = aj("export", "--format", "bundle")
    assert exported.exit_code == 0
    bundle = yaml.safe_load(exported.stdout)
    text = next(d["text"] for d in bundle["documents"] if d["slug"] == DOC)
    [stored] = next(s["citations"] for s in bundle["statistics"] if s["slug"] == "poll-trust-japan")
    assert "quote" not in stored and text[stored["char_start"]:stored["char_end"]] == "61.3 percent"  # offsets
    japan = aj("show", "actor", "japan", "--format", "json").json()
    assert [c["paragraph"] for c in japan["citations"] if c["document"] == DOC] == [5]


@pytest.mark.parametrize(("citation", "problem"), [
    ('quote: "61.3 per cent"', "document 'mekong-poll': the quote '61.3 per cent' is not in the text"),
    ('quote: "percent"', "the quote 'percent' occurs 11 times (paragraphs 3, 4, 5, 7, 8): add prefix or suffix"),
    ('quote: "Japan", prefix: "trust in"', "the quote 'Japan' occurs 6 times, never with prefix 'trust in'"),
    ('quote: "61.3 percent", char_start: 1, char_end: 3', "give quote or char_start/char_end, not both"),
])
def test_a_bad_quote_is_refused_at_its_line_and_nothing_is_written(article, tmp_path, citation, problem):
    path = _bundle(tmp_path, f"""\
metrics:
  - {{slug: poll-metric, name: A metric only this bundle defines, unit: percent}}
statistics:
  - slug: poll-trust-japan
    value: 61.3
    unit: percent
    metric: poll-metric
    citations:
      - {{document: {DOC}, {citation}}}
""")
    run = aj("load", str(path))
    assert run.exit_code == 1
    [line] = run.error_lines
    assert line.startswith(f"aj: error: {path}:9: statistics[0].citations[0]") and problem in line, line
    assert aj("show", "metric", "poll-metric").exit_code == 1  # nothing written
    assert aj("show", "statistic", "poll-trust-japan").exit_code == 1


def test_a_quote_needs_a_stored_text(db_url, tmp_path):
    path = _bundle(tmp_path, """\
citations:
  - {actor: japan, document: tangkitvanich-strategic-partnership, quote: "Japan"}
""")
    run = aj("load", "--dry-run", str(path))
    assert run.exit_code == 1 and "has no stored text to find the quote in" in run.error_lines[0]
    assert f"{path}:2: citations[0].quote" in run.error_lines[0]


def test_a_streamed_bundle_cites_by_quote_too(article, tmp_path):
    path = tmp_path / "poll.jsonl"
    path.write_text('{"citations": {"actor": "china", "document": "%s", "quote": "22.4 percent for China"}}\n' % DOC)
    run = aj("load", str(path))
    assert run.exit_code == 0, run.stderr
    [cite] = [c for c in aj("show", "actor", "china", "--format", "json").json()["citations"] if c["document"] == DOC]
    assert cite["excerpt"] == "22.4 percent for China" and cite["paragraph"] == 3
