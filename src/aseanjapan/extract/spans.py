"""What every finder shares: the candidate record, claimed spans, sentence context, and the
regex building blocks the grammars are written in."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Candidate:
    kind: str  # statistic | actor | initiative | date | entity
    start: int
    end: int
    text: str
    context: str = ""
    paragraph: int | None = None
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None
    approximation: str | None = None
    counted: str | None = None  # what a count counts ("patrol vessels")
    target: str | None = None  # slug of a known actor or initiative
    alias: bool = False  # the known record named by one of its aliases
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str | None = None
    date_qualifier: str | None = None  # fiscal-year (Japanese, April to March) | early | mid | late
    date_relative: bool = False  # worded against the time of writing ("June last year")
    year_inferred: bool = False  # no year written: taken from the publication date
    date_month: int | None = None  # the month, when the year is unknown (no publication date)
    date_open_end: bool = False  # "2019 - Present"
    date_note: str | None = None  # how the date was read, for the reviewer
    name: str | None = None  # proposed name of an unknown entity
    acronym: str | None = None
    name_type: str | None = None  # person | organisation | place | programme | publication | event
    role: str | None = None  # a person's office or title, kept out of the name ("Prime Minister")
    occurrences: list[tuple[int, int]] = field(default_factory=list)  # every place an unknown name occurs


SPACE = r"[^\S\n]"  # a space in the grammar: any whitespace but a line break (no span crosses a paragraph)


def trie_pattern(words: Iterable[list[str]]) -> str:
    """One regex for many words, each given as its regex pieces, shaped as a trie: words
    sharing a beginning share its test, so a text is scanned about three times faster than
    with a plain alternation. Where one word continues another ("ASEAN", "ASEAN Regional
    Forum"), the longer is tried first, as in an alternation sorted longest first."""
    trie: dict[str, dict] = {}
    for units in words:
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        branches = [unit + render(child) for unit, child in node.items() if unit]
        if not branches:
            return ""
        ends_here = "" in node
        body = branches[0] if len(branches) == 1 and not ends_here else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends_here else body

    return render(trie)


def word_initial(*alternatives: str) -> str:
    r"""Regex alternatives, each beginning with a literal word character, that match only at
    the start of a word. The character comes first and the boundary test after it ("J(?<!\wJ)an"),
    so the engine tries the pattern only where one of those characters stands: a pattern that
    begins with a look-around ("(?=\d)\b...") is tried at every position of a long text."""
    return "(?:" + "|".join(rf"{re.escape(a[0])}(?<!\w{re.escape(a[0])}){a[1:]}" for a in alternatives) + ")"


# A full stop after a title ("Dr. Nguyen Thi Lan") ends no sentence.
_TITLE_STOPS = "".join(rf"(?<!\b{t}\.)" for t in ("Dr", "Mr", "Ms", "Mrs", "Prof", "St", "No", "Gen", "Lt", "Col", "Capt",
                                                 "Sen", "Gov", "Rep", "Adm", "Sgt", "Rev", "Hon", "Assoc", "Asst"))
SENTENCE_END = re.compile(rf"(?<=[.!?]){_TITLE_STOPS}[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


class SentenceContext:
    """The sentence around a span and its paragraph number, found by bisection (sources can
    be long: no work proportional to the text per candidate). A sentence longer than
    2 * WINDOW characters (a text without full stops) is cut to WINDOW characters either side."""

    WINDOW = 300

    def __init__(self, text: str, paragraphs: list[tuple[int, int]]):
        self.text = text
        self.paragraphs = paragraphs
        self.starts = [start for start, _ in paragraphs]
        self.sentences: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}

    def __call__(self, start: int, end: int) -> tuple[str, int | None]:
        i = bisect_right(self.starts, start) - 1
        if i < 0 or start > self.paragraphs[i][1]:
            return "", None
        if i not in self.sentences:
            p_start, p_end = self.paragraphs[i]
            para = self.text[p_start:p_end]
            spans, begin = [], 0
            for boundary in SENTENCE_END.finditer(para):
                spans.append((begin, boundary.start()))
                begin = boundary.end()
            spans.append((begin, len(para)))
            self.sentences[i] = ([b for _, b in spans], spans)
        ends, spans = self.sentences[i]
        offset = start - self.paragraphs[i][0]
        j = min(bisect_left(ends, offset), len(spans) - 1)
        a, b = spans[j]
        para_start = self.paragraphs[i][0]
        a, b = para_start + a, para_start + b
        if b - a > 2 * self.WINDOW:
            a, b = max(a, start - self.WINDOW), min(b, max(end, start) + self.WINDOW)
        return self.text[a:b].strip(), i + 1


class SpanSet:
    """Spans already claimed, kept sorted and merged so an overlap test is a bisection."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            if self.starts and start < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)  # merge overlapping blocked spans
            else:
                self.starts.append(start)
                self.ends.append(end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] > start:
            return True
        return i + 1 < len(self.starts) and self.starts[i + 1] < end

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def merged(self, spans: list[tuple[int, int]]) -> SpanSet:
        """These spans and `spans` together. Cheaper than `add` for many spans at once: each
        `add` in the middle of a long list moves the rest of it."""
        return SpanSet([*zip(self.starts, self.ends), *spans])

