"""Proposing candidate records from a source's text: figures, dates, known and unknown entities.

A small grammar of our own (general-purpose quantity parsers misread ¥ as yuan, average
ranges and count years as quantities). Every candidate carries its exact span in the text:
`text[start:end] == candidate.text`, always. Nothing here touches the database.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from .dates import FuzzyDate
from .textnorm import paragraph_spans


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
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str | None = None
    name: str | None = None  # proposed name of an unknown entity
    acronym: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


# ---- vocabulary -----------------------------------------------------------------------------

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
}
# "twenty-five" as one number (else "five" alone would be read after the hyphen)
NUMBER_WORDS.update({f"{tens}-{unit}": NUMBER_WORDS[tens] + NUMBER_WORDS[unit]
                     for tens in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
                     for unit in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")})
FRACTIONS = {"half": 50.0, "a half": 50.0, "one-half": 50.0, "two-thirds": 66.7, "two thirds": 66.7,
             "one-third": 33.3, "a third": 33.3, "one third": 33.3, "a quarter": 25.0, "one-quarter": 25.0,
             "one quarter": 25.0, "three-quarters": 75.0, "three quarters": 75.0}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "mn": 1e6,
          "tn": 1e12, "k": 1e3}
APPROX = [("more than", "over"), ("over", "over"), ("above", "over"), ("upwards of", "over"), ("in excess of", "over"),
          ("nearly", "nearly"), ("almost", "nearly"), ("close to", "nearly"), ("just under", "nearly"),
          ("about", "about"), ("around", "about"), ("roughly", "about"), ("approximately", "about"),
          ("some", "about"), ("an estimated", "about"), ("at least", "at-least"), ("up to", "up-to"),
          ("less than", "under"), ("fewer than", "under"), ("under", "under"), ("below", "under")]
CURRENCY_PREFIX = {"us$": "usd", "usd": "usd", "$": "usd", "¥": "jpy", "jpy": "jpy", "€": "eur", "eur": "eur",
                   "s$": "sgd", "sgd": "sgd"}
CURRENCY_SUFFIX = {"us dollars": "usd", "dollars": "usd", "yen": "jpy", "euros": "eur", "euro": "eur",
                   "singapore dollars": "sgd"}

_S = r"[^\S\n]"  # a space in the grammar: any whitespace but a line break (no span crosses a paragraph)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FRACTION = "|".join(sorted((re.escape(w) for w in FRACTIONS), key=len, reverse=True))
_SCALE = r"(?:thousand|million|billion|trillion|bn|mn|tn|m|k)"
_APPROX = "|".join(sorted((re.escape(a) for a, _ in APPROX), key=len, reverse=True))
_CUR_SUF = r"(?:US dollars|Singapore dollars|dollars|yen|euros?)"


def _trie_pattern(words: Iterable[list[str]]) -> str:
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


# The number words as one trie: tried at every place a figure may start, an alternation of
# a hundred words would be tested word by word.
_WORDNUM = _trie_pattern([re.escape(c) for c in word] for word in NUMBER_WORDS)


def _word_initial(*alternatives: str) -> str:
    r"""Regex alternatives, each beginning with a literal word character, that match only at
    the start of a word. The character comes first and the boundary test after it ("J(?<!\wJ)an"),
    so the engine tries the pattern only where one of those characters stands: a pattern that
    begins with a look-around ("(?=\d)\b...") is tried at every position of a long text."""
    return "(?:" + "|".join(rf"{re.escape(a[0])}(?<!\w{re.escape(a[0])}){a[1:]}" for a in alternatives) + ")"


# Each pattern starts at the figure itself (a digit, a currency sign, a number word), so the
# scan does not try every approximation word at every position of a long text; the word
# before a figure ("nearly", "more than") is found afterwards by looking back (_approx_before).
# Currency codes and signs before the figure (case-sensitive: "US$", not every "us"), or a
# currency word after it. A bare "$" is a US dollar only when no letter precedes it: A$, HK$,
# NZ$, C$ are other dollars, which the bundle format has no unit for (see NOT_FIGURES).
# Two figures joined: "2-3", "2 to 3", "between 10 and 15", "from 61 to 68". Whether they
# are a range, a change or nothing is decided in find_figures (_read). The second may repeat
# the currency ("$2 to $3 billion") and the first may have its own scale ("$2bn-$3bn").
_SEP = rf"(?P<sep>{_S}?[-–\u2011]{_S}?|{_S}(?i:to|and){_S})"
_PCT = rf"%|per{_S}?cent\b|percent\b|percentage points?\b|pp\b"
PERCENT = re.compile(
    rf"(?P<num>{_NUM}|\b(?:{_WORDNUM})\b)(?:(?P<low_pct>{_S}?(?:{_PCT}))?{_SEP}(?P<high>{_NUM}|\b(?:{_WORDNUM})\b))?"
    rf"{_S}?(?P<pct>{_PCT})",
    re.IGNORECASE)
_PREFIX = r"(?:US\$|S\$|\$|USD ?|JPY ?|EUR ?|SGD ?|[¥€])"
_NOT_MONEY_AFTER = rf"(?!\d|[.,]\d|{_S}?(?:%|(?i:per{_S}?cent|percent)))"  # "$3 to 5%": the 5 is a percentage
MONEY_PREFIX = re.compile(
    rf"(?P<pre>(?<![A-Za-z])(?:US\$|S\$|\$)|USD ?|JPY ?|EUR ?|SGD ?|[¥€]){_S}?(?P<num>{_NUM})"
    rf"(?:(?:{_S}?(?P<low_scale>(?i:{_SCALE}))\b)?{_SEP}(?P<pre2>{_PREFIX})?(?P<high>{_NUM}){_NOT_MONEY_AFTER})?"
    rf"(?:(?:{_S}?|[-‑])(?P<scale>(?i:{_SCALE}))\b)?")  # "$3.2-billion" too
MONEY_SUFFIX = re.compile(
    rf"(?P<num>{_NUM})(?:(?:{_S}?(?P<low_scale>{_SCALE})\b)?{_SEP}(?P<high>{_NUM}))?{_S}?(?P<scale>{_SCALE})?{_S}(?P<suf>{_CUR_SUF})\b",
    re.IGNORECASE)
_PLURALS_WITHOUT_S = ("people", "staff", "personnel", "children", "men", "women")
_COUNTED = rf"(?:[a-z][a-z-]+{_S}){{0,2}}?(?:[a-z][a-z-]*s|{'|'.join(_PLURALS_WITHOUT_S)})\b"
_COUNT_NUM = rf"{_NUM}|\b(?:{_WORDNUM})\b"
_COUNT_SCALE = r"(?:thousand|million|billion|trillion)"
COUNT = re.compile(
    rf"(?=[\dotfsenhtaOTFSENHTA])(?P<num>{_COUNT_NUM})(?:(?:{_S}(?P<low_scale>{_COUNT_SCALE})\b)?{_SEP}(?P<high>{_COUNT_NUM}))?"
    rf"(?:{_S}(?P<scale>{_COUNT_SCALE})\b)?{_S}(?P<noun>{_COUNTED})",
    re.IGNORECASE)
_NOUN_AFTER = re.compile(rf"{_S}(?P<noun>{_COUNTED})", re.IGNORECASE)
# "1 in 5 respondents", "one out of three firms": a ratio (0.2), never a count of 5.
RATIO = re.compile(
    rf"(?P<num>{_NUM}|\b(?:{_WORDNUM})\b){_S}(?:in|out{_S}of){_S}(?P<den>{_NUM}|\b(?:{_WORDNUM})\b)(?![\w.,]\d)"
    rf"(?:{_S}(?P<noun>{_COUNTED}))?",
    re.IGNORECASE)
FRACTION_RE = re.compile(rf"(?=[hotaqHOTAQ])\b(?P<frac>{_FRACTION})\b(?=\s+of\b)", re.IGNORECASE)
# Where a figure can start. Each alternative begins with a literal character or class and the
# number words are one trie, so the scan skips most positions of a text quickly.
_NUMBER_WORDS_TRIE = _trie_pattern([re.escape(c) for c in word] for word in [*NUMBER_WORDS, *FRACTIONS])
_FIGURE_START = re.compile(
    r"\d(?<![\d.,A-Za-z]\d)(?<![A-Za-z]-\d)|[$¥€](?<![A-Za-z]\$)|U(?<![A-Za-z]U)S\$|S(?<![A-Za-z]S)\$|USD|JPY|EUR|SGD"
    rf"|(?<!\w)(?=[otfsenhtaqOTFSENHTAQ])(?i:{_NUMBER_WORDS_TRIE})\b")
# "rose from 61 to 68 per cent" is a change, two figures; "ranged from 100 to 1,000" or
# "from 10 to 15 countries" is a range. A change needs a verb of change before "from".
_CHANGE_VERBS = (r"rose|rise[sn]?|rising|fell|falls?|fallen|falling|grew|grow(?:s|n|ing)?|increas\w*|decreas\w*|"
                 r"drop\w*|declin\w*|climb\w*|jump\w*|surg\w*|soar\w*|doubl\w*|tripl\w*|expand\w*|"
                 r"shr[ai]nk\w*|shrunk|cut|cuts|rais\w*|reduc\w*|boost\w*|lift\w*|went|gone|goes|going|moved?|"
                 r"slipp?\w*|slid|slump\w*|plung\w*|plummet\w*|widen\w*|narrow\w*|swell\w*|swollen|"
                 r"slow\w*|accelerat\w*|eas(?:ed|es|ing)|improv\w*|weaken\w*|strengthen\w*|recover\w*|"
                 r"up|down|changed?|revised|shifted")
_UP_TO_FIGURE = rf"{_S}+(?:(?i:{_APPROX}){_S}+)?\Z"  # "from about " just before the first number
_CHANGE_BEFORE = re.compile(rf"\b(?i:{_CHANGE_VERBS})\b[^.;:\n]{{0,40}}?\b(?i:from){_UP_TO_FIGURE}")
_FROM_BEFORE = re.compile(rf"\b(?i:from){_UP_TO_FIGURE}")  # a fall from 5.3 to 4.8 is no range
_CHANGE_VERB_BEFORE = re.compile(rf"\b(?i:{_CHANGE_VERBS}){_S}+\Z")  # "fell 30 to 25%"
_BETWEEN_BEFORE = re.compile(rf"\b(?i:between){_UP_TO_FIGURE}")
_APPROX_BEFORE = re.compile(rf"(?<![\w-])(?P<approx>{_APPROX}){_S}+$", re.IGNORECASE)


_YEAR = r"(?:1[89]\d\d|20\d\d)"
# The same at the start of a word, written to be found fast (see _word_initial).
_YEAR_AT_WORD = _word_initial("1[89]", "20") + r"\d\d"
_MONTH_AT_WORD = _word_initial("Jan(?:uary)?", "Feb(?:ruary)?", "Mar(?:ch)?", "Apr(?:il)?", "May", "June?", "July?",
                               "Aug(?:ust)?", "Sep(?:t(?:ember)?)?", "Oct(?:ober)?", "Nov(?:ember)?",
                               "Dec(?:ember)?") + r"\.?"
_DIGIT_AT_WORD = r"\d(?<!\w\d)"
# Words after which a four-digit number is a year (capitalised too: "In 2023, ..." opens
# many a sentence).
_YEAR_WORDS = [form for word in ("in", "since", "from", "by", "until", "during", "before", "after", "of", "early", "late",
                                 "fiscal", "through", "throughout", "around", "circa")
               for form in (word, word.capitalize())]
_YEAR_AFTER = "|".join([*(rf"(?<=(?<!\w){word}{_S}\d\d\d\d)" for word in _YEAR_WORDS),
                         *(rf"(?<=(?<!\w){word}\d\d\d\d)" for word in ("mid-", "Mid-", "mid", "Mid")),
                         rf"(?<=\d\d\d\d{_S}and{_S}\d\d\d\d)"])
DATE_PATTERNS = [
    # December 16-18, 2023 / December 16, 2023
    (re.compile(rf"(?P<month>{_MONTH_AT_WORD}){_S}(?P<day>\d{{1,2}})(?:{_S}?(?:-|–){_S}?(?P<day2>\d{{1,2}}))?,?{_S}(?P<year>{_YEAR})\b"), "day"),
    # 16-18 December 2023 / 16 December 2023
    (re.compile(rf"(?P<day>{_DIGIT_AT_WORD}\d?)(?:{_S}?(?:-|–){_S}?(?P<day2>\d{{1,2}}))?{_S}(?P<month>{_MONTH}){_S}(?P<year>{_YEAR})\b"), "day"),
    (re.compile(rf"(?P<year>{_YEAR_AT_WORD})-(?P<mnum>\d\d)-(?P<day>\d\d)\b"), "day"),
    (re.compile(rf"(?P<month>{_MONTH_AT_WORD}){_S}(?P<year>{_YEAR})\b"), "month"),
    # the 1990s / mid-2010s (a qualifier such as "late" is not kept: the precision is the decade)
    (re.compile(rf"(?P<year>{_YEAR_AT_WORD})s\b"), "decade"),
    # between 2025 and 2027 / from 2015 to 2021 / 2015-2021
    (re.compile(rf"{_word_initial('between', 'Between', 'from', 'From')}{_S}(?P<year>{_YEAR}){_S}(?:and|to|until){_S}(?P<year2>{_YEAR})\b"), "year"),
    # FY2022, FY 2023/24 (fiscal years)
    (re.compile(rf"F(?<!\wF)Y{_S}?(?P<year>{_YEAR})(?:[-–/](?P<yy>\d\d)\b(?![-–/.]\d))?\b"), "year"),
    (re.compile(rf"(?P<year>{_YEAR_AT_WORD}){_S}?(?:-|–){_S}?(?P<year2>{_YEAR})\b"), "year"),
    # 2015-21 / 1998–02 (the end year abbreviated; read as a range of at most 30 years)
    (re.compile(rf"(?P<year>{_YEAR_AT_WORD})(?:-|–|/)(?P<yy>\d\d)\b(?![-–/.]\d)"), "year"),  # and 2023/24
    # in 2019, In 2019, late 2023, mid-2024, fiscal 2023, the end of 2022, 2022 and 2023: the
    # year is found first and the word before it checked after (years are rarer than words)
    (re.compile(rf"(?P<year>{_YEAR_AT_WORD})\b(?:{_YEAR_AFTER})"), "year"),
]
# Numbers that are parts of dates, ordinals, times or identifiers are not figures.
NOT_FIGURES = [
    re.compile(rf"{_YEAR_AT_WORD}s?\b"),
    re.compile(rf"{_YEAR_AT_WORD}[-–/]\d\d\b"),  # 2015-21, 2024-03, 2023/24: never "21 ..." or "03 ..."
    # Dollars other than US and Singapore dollars (A$500 million, HK$2 billion): left out, not
    # proposed as usd or as a count.
    # (the first letter, then: no letter before it, and not the start of "US$" or "S$")
    re.compile(rf"[A-Z](?<![A-Za-z][A-Z])(?!(?<=U)S\$)(?!(?<=S)\$)[A-Z]{{0,2}}\${_S}?(?:{_NUM})"),
    re.compile(rf"{_DIGIT_AT_WORD}\d*(?:st|nd|rd|th)\b", re.IGNORECASE),
    re.compile(rf"{_DIGIT_AT_WORD}\d?:\d\d\b"),
    re.compile(rf"{_MONTH_AT_WORD}{_S}\d{{1,2}}\b"),
    re.compile(rf"{_DIGIT_AT_WORD}\d?{_S}(?:{_MONTH})\b"),
]
# "Boeing 737-800", "ATR 72-600", "Japan 2-1": a capitalised word, then two numbers joined by a
# hyphen, is a model or a score, not a figure (unless the word is "About", "Between"...).
_DESIGNATION = re.compile(rf"(?P<word>[A-Z](?<!\w[A-Z])[A-Za-z]*){_S}(?P<code>\d+[-‑]\d+)\b")
_NOT_DESIGNATORS = {a for a, _ in APPROX} | {"between", "from", "and", "or", "to", "by", "of", "in", "at", "for",
                                             "with", "only", "just", "another", "all", "a", "an", "the", "some"}
_AFTER_A_FIGURE = re.compile(rf"{_S}?(?:%|(?i:per{_S}?cent|percent|{_SCALE})\b)")


def _designation(text: str, m: re.Match[str]) -> bool:
    """Whether "Word 12-34" is a model or a score: not after a currency code ("USD 2-3
    billion"), "Up", "Perhaps" or any word opening a sentence, nor before % or a scale."""
    word = m["word"]
    if word.lower() in _NOT_DESIGNATORS or (word.isupper() and word.lower() in CURRENCY_PREFIX):
        return False
    before = text[max(0, m.start() - 3):m.start()].rstrip(" \t\"“'‘(")
    if not before or before[-1] in ".!?\n":
        return False
    return _AFTER_A_FIGURE.match(text, m.end()) is None


# ---- helpers ---------------------------------------------------------------------------------

def _number(text: str) -> float:
    lowered = text.lower()
    if lowered in NUMBER_WORDS:
        return float(NUMBER_WORDS[lowered])
    return float(text.replace(",", ""))


# "hand over six vessels": after these verbs, over/under are particles, not approximations.
_PARTICLE_VERBS = {"hand", "hands", "handed", "handing", "turn", "turns", "turned", "turning", "take", "takes", "took",
                   "taken", "taking", "pass", "passed", "passing", "win", "won", "carry", "carried", "go", "went",
                   "hold", "held", "sign", "signed", "signing", "roll", "rolled", "fall", "fell", "look", "looked",
                   "give", "gave", "given", "bring", "brought", "put", "get", "got", "come", "came"}


def _not_counted(noun: str) -> bool:
    """Durations, scale words and currencies after a number are not things counted ("six months",
    "5 million", "500 million Hong Kong dollars")."""
    noun = noun.lower()
    return (noun in ("months", "weeks", "days", "hours") or (noun.split()[0] in SCALES and noun != "years")
            or noun.split()[-1] in ("dollars", "euros", "pesos", "rupees", "pounds"))  # other currencies


def _approx_before(text: str, start: int) -> tuple[str, str] | None:
    """(the text to take into the span, the approximation word) just before a figure; None
    when there is none, or when the word is a verb's particle ("hand over six vessels")."""
    window = text[max(0, start - 30) : start]
    m = _APPROX_BEFORE.search(window)
    if m is None:
        return None
    word = m["approx"]
    if word.lower() in ("over", "under", "above", "below", "some"):
        before = re.findall(r"[A-Za-z]+", window[: m.start()])
        if before and before[-1].lower() in _PARTICLE_VERBS:
            return None
    return window[m.start():], word


def _approx(word: str | None) -> str:
    if not word:
        return "exact"
    lowered = " ".join(word.lower().split())
    return next(mark for phrase, mark in APPROX if phrase == lowered)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


class _Context:
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
            for boundary in _SENTENCE_END.finditer(para):
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


class _Spans:
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

    def merged(self, spans: list[tuple[int, int]]) -> _Spans:
        """These spans and `spans` together. Cheaper than `add` for many spans at once: each
        `add` in the middle of a long list moves the rest of it."""
        return _Spans([*zip(self.starts, self.ends), *spans])


# ---- extractors ------------------------------------------------------------------------------

_WORD_BEFORE = re.compile(r"(\w+)\W*\Z")


def _a_count_of(text: str, m: re.Match[str]) -> bool:
    """"a survey of 2000 respondents", "around 1900 people", "2000 and 2010 firms": after
    these words a four-digit number followed by what it counts is a count, not a year."""
    word = _WORD_BEFORE.search(text, max(0, m.start("year") - 12), m.start("year"))
    if word is None or word[1].lower() not in ("of", "around", "circa", "and"):
        return False
    after = _NEXT_WORD.match(text, m.end())
    if after is None:
        return False
    noun = after[1]
    return noun in _PLURALS_WITHOUT_S or (
        len(noun) > 3 and noun.endswith("s") and noun not in _NOT_PLURALS and not _not_counted(noun))


_NEXT_WORD = re.compile(rf"{_S}+([a-z][a-z-]*)\b")
_NOT_PLURALS = {"this", "thus", "across", "plus", "less", "unless", "always", "perhaps", "whereas", "towards"}


def find_dates(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    taken = _Spans()
    for pattern, precision in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            groups = m.groupdict()
            try:
                year = int(groups["year"])
                if precision == "day":
                    month = int(groups["mnum"]) if groups.get("mnum") else MONTHS[groups["month"].lower().rstrip(".")]
                    start = date(year, month, int(groups["day"]))
                    end = date(year, month, int(groups["day2"])) if groups.get("day2") else None
                elif precision == "month":
                    start, end = date(year, MONTHS[groups["month"].lower().rstrip(".")], 1), None
                elif precision == "decade":
                    if year % 10:
                        continue  # "1995s" is no decade
                    start, end = date(year, 1, 1), None
                else:
                    start = date(year, 1, 1)
                    end = date(int(groups["year2"]), 1, 1) if groups.get("year2") else None
                    if groups.get("yy"):
                        end_year = year // 100 * 100 + int(groups["yy"])
                        end_year += 100 if end_year <= year else 0
                        if end_year - year > 30:
                            continue
                        end = date(end_year, 1, 1)
            except (ValueError, KeyError):
                continue
            if end is not None and end < start:
                continue
            if precision == "year" and not groups.get("year2") and not groups.get("yy") and _a_count_of(text, m):
                continue
            # "in 2019" proposes the year; the span is the date itself.
            span_start = m.start("year") if precision == "year" and not groups.get("year2") else m.start()
            found.append(Candidate("date", span_start, m.end(), text[span_start:m.end()], date_start=start,
                                   date_end=end, date_precision=precision))
            taken.add(m.start(), m.end())
    return found


def find_figures(text: str, dates: list[Candidate]) -> list[Candidate]:
    spans = [(d.start, d.end) for d in dates]
    for pattern in NOT_FIGURES:
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    spans += [m.span("code") for m in _DESIGNATION.finditer(text) if _designation(text, m)]
    blocked = _Spans(spans)
    found: list[Candidate] = []
    taken = _Spans()

    def add(start: int, number_span: tuple[int, int], end: int, default_approx: str = "exact",
            **proposal: object) -> None:
        approximation = default_approx
        word = _approx_before(text, start)
        if word is not None:  # "more than 1,200": the span starts at the approximation
            start, approximation = start - len(word[0]), _approx(word[1])
        if blocked.overlaps(*number_span) or taken.overlaps(start, end):
            return
        found.append(Candidate("statistic", start, end, text[start:end], approximation=approximation, **proposal))
        taken.add(start, end)

    def values(m: re.Match[str]) -> tuple[float, float | None]:
        """The figure's value(s). A scale after the second number applies to the first too
        ("$2-3 billion"), unless the first has its own, or is large and above the second
        number (800,000 to 1.2 million)."""
        scales = m.groupdict()
        scale = SCALES[scales["scale"].lower()] if scales.get("scale") else 1
        low = _number(m["num"])
        if not m["high"]:
            return low * scale, None
        if scales.get("low_scale"):
            low *= SCALES[scales["low_scale"].lower()]
        elif low < 1000 or low <= _number(m["high"]):  # "$2-3 billion", "1,000 to 1,500 billion"
            low *= scale
        return low, _number(m["high"]) * scale

    def read(pattern: re.Pattern[str], at: int, figure_end: Callable[[re.Match[str]], int] = re.Match.end
             ) -> tuple[re.Match[str] | None, list[tuple[int, tuple[int, int], int, float, float | None]]]:
        """The pattern's match at `at` and its figures, each (start, number span, end, value,
        value_high): one, a range ("2-3", "between 10 and 15", "ranged from 100 to 1,000"), or
        two for a change ("rose from $2 to $3 billion"). Two numbers that are neither ("10 and
        15" without "between", "3-2", "$2 to ¥3", "$100 to 200 schools") are matched up to
        the first number only."""
        m = pattern.match(text, at)
        if m is not None and m["high"]:
            groups = m.groupdict()
            sep = m["sep"].strip().lower()
            low, high = values(m)
            before = text[max(0, at - 80):at]
            other_currency = groups.get("pre2") and (
                CURRENCY_PREFIX[groups["pre2"].strip().lower()] != CURRENCY_PREFIX[m["pre"].strip().lower()])
            # "$100 to 200 schools": money, then a count
            then_count = "pre" in groups and not groups["pre2"] and not groups["scale"] and (
                (noun := _NOUN_AFTER.match(text, m.end("high"))) is not None and not _not_counted(noun["noun"]))
            if blocked.overlaps(*m.span("high")) or other_currency or then_count:
                pass
            elif sep == "to" and (_CHANGE_BEFORE.search(before) or (low > high and (
                    _CHANGE_VERB_BEFORE.search(before) or _FROM_BEFORE.search(before)))):
                first_end = max(m.end(g) for g in ("num", "low_scale", "low_pct") if groups.get(g))
                second = m.start("pre2") if groups.get("pre2") else m.start("high")
                return m, [(at, m.span("num"), first_end, low, None),
                           (second, m.span("high"), figure_end(m), high, None)]
            elif low < high and (sep != "and" or _BETWEEN_BEFORE.search(before)):
                return m, [(at, (m.start("num"), m.end("high")), figure_end(m), low, high)]
            m = pattern.match(text, at, m.start("sep"))
        if m is None:
            return None, []
        return m, [(at, m.span("num"), figure_end(m), values(m)[0], None)]

    def add_all(figures: list[tuple[int, tuple[int, int], int, float, float | None]], **proposal: object) -> None:
        for start, number_span, end, value, high in figures:
            add(start, number_span, end, value=value, value_high=high, **proposal)

    def count_end(m: re.Match[str]) -> int:  # a count's span ends at its number (or scale), not its noun
        return m.end("scale") if m["scale"] else m.end("high" if m["high"] else "num")

    # One pass finds where a figure could start (a digit, a currency sign or code, a number
    # word); the figure patterns are then tried only there, in order of precedence.
    for start in _FIGURE_START.finditer(text):
        at = start.start()
        if taken.overlaps(at, at + 1):
            continue
        if (m := read(PERCENT, at))[0]:
            unit = "percentage-points" if m[0]["pct"].lower().startswith(("percentage", "pp")) else "percent"
            add_all(m[1], unit=unit)
        elif (m := read(MONEY_PREFIX, at))[0]:
            add_all(m[1], unit=CURRENCY_PREFIX[m[0]["pre"].strip().lower()])
        elif (m := read(MONEY_SUFFIX, at))[0]:
            add_all(m[1], unit=CURRENCY_SUFFIX[" ".join(m[0]["suf"].lower().split())])
        elif fraction := FRACTION_RE.match(text, at):
            add(at, fraction.span("frac"), fraction.end(), default_approx="about",
                value=FRACTIONS[fraction["frac"].lower()], unit="percent")
        elif (ratio := RATIO.match(text, at)) and 0 < _number(ratio["num"]) <= _number(ratio["den"]):
            add(at, (at, ratio.end("den")), ratio.end("den"), value=round(_number(ratio["num"]) / _number(ratio["den"]), 4),
                unit="ratio", counted=" ".join(ratio["noun"].split()) if ratio["noun"] else None)
        elif (m := read(COUNT, at, count_end))[0] and not _not_counted(m[0]["noun"]):
            noun = m[0]["noun"]
            add_all(m[1], unit="years" if noun.lower() == "years" else "count", counted=" ".join(noun.split()))
    return sorted(found, key=lambda c: c.start)


@dataclass(frozen=True)
class KnownName:
    name: str
    kind: str  # actor | initiative
    slug: str


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(name) <= 10 and all(c.isupper() for c in letters)


_DASHES = "-‐‑–—"  # hyphen, Unicode hyphens, en dash, em dash: one separator in names
_JOINING_DASHES = "-‐‑–"  # an unspaced em dash is punctuation ("with ASEAN—especially"), never a compound
_DASH_RUN = re.compile(rf"{_S}*[{_DASHES}]{_S}*")


def _name_key(name: str, acronym: bool) -> str:
    """The form names are compared in: dashes and their spacing as one "-", runs of spaces as
    one, and any case unless the name is an acronym."""
    key = " ".join(_DASH_RUN.sub("-", name).split())
    return key if acronym else key.lower()


def _name_units(key: str) -> list[str]:
    """A name key as regex pieces: each character, any dash for "-", any spaces between words."""
    units: list[str] = []
    for part in re.split(r"([- ])", key):
        if part == "-":
            units.append(rf"{_S}*[{_DASHES}]{_S}*")
        elif part == " ":
            units.append(rf"{_S}+")
        elif part:
            units.extend(re.escape(c) for c in part)
    return units


def find_known(text: str, names: Iterable[KnownName], taken: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Mentions of known actors and initiatives; acronyms match case-sensitively (and an actor's
    all-caps acronym of four letters or more in title case too: "Asean"), names in any case;
    hyphen, en dash and em dash are one. A name joined to another by a dash ("Japan-Philippines")
    is a mention when the other part is known too. Spans in `taken` (figures such as
    "US$22.5 billion") are not searched."""
    words: dict[str, KnownName] = {}
    acronyms: dict[str, KnownName] = {}
    for known in names:
        acronym = _is_acronym(known.name)
        key = _name_key(known.name, acronym)
        if len(key) >= 2:
            (acronyms if acronym else words).setdefault(key, known)
    for key, known in list(acronyms.items()):
        if known.kind == "actor" and len(key) >= 4 and key.isalpha():
            acronyms.setdefault(key[0] + key[1:].lower(), known)
    if not words and not acronyms:
        return []
    raw: list[tuple[int, int, KnownName]] = []
    claimed = _Spans(taken or [])
    key_of: dict[tuple[str, int], str] = {}  # a long text names the same few actors thousands of times
    for by_key, flags in ((words, re.IGNORECASE), (acronyms, 0)):
        keys = sorted(by_key)
        for start in range(0, len(keys), 2000):  # keep each pattern a manageable size
            chunk = keys[start : start + 2000]
            # A cheap look at the first character spares the trie most positions.
            initials = "".join(sorted({re.escape(c) for k in chunk for c in (k[0], k[0].upper(), k[0].lower())}))
            pattern = re.compile(rf"(?=[{initials}])(?<!\w)(?:{_trie_pattern(_name_units(k) for k in chunk)})(?!\w)", flags)
            # The matches of one pattern never overlap one another: each is tested against the
            # spans claimed before this pattern, and they are all claimed after it.
            accepted: list[tuple[int, int]] = []
            for m in pattern.finditer(text):
                start, end = m.span()
                if claimed.overlaps(start, end):
                    continue
                matched = m.group(0)
                if (key := key_of.get((matched, flags))) is None:
                    key = key_of[matched, flags] = _name_key(matched, flags == 0)
                known = by_key.get(key)
                if known is None:
                    continue
                raw.append((start, end, known))
                accepted.append((start, end))
            claimed = claimed.merged(accepted)
    # Next to a dash, a name is part of a compound: a mention only when its neighbour across
    # the dash is a known name too ("Japan-Philippines", not "Japan-funded" or "e-ASEAN").
    starts, ends = {s for s, _, _ in raw}, {e for _, e, _ in raw}
    found = [Candidate(known.kind, s, e, text[s:e], target=known.slug) for s, e, known in raw
             if (s == 0 or text[s - 1] not in _JOINING_DASHES or s - 1 in ends)
             and (e == len(text) or text[e] not in _JOINING_DASHES or e + 1 in starts)]
    return sorted(found, key=lambda c: c.start)


# A capitalised word, or a brand with a short lowercase prefix kept whole ("e-Conomy"); a name
# never starts inside a word ("Conomy").
_CAP_WORD = r"(?:[a-z]{1,2}-)?(?:[A-Z][\w'’&.-]*[\w]|[A-Z])"
_NAME_START = r"(?<![\w'’&.-])"
_JOINER = r"(?:of|for|and|the|on|de|del|da|van|von)"
# "Ministry of Economy, Trade and Industry": a comma stays inside a name when a list of single
# capitalised words ending in "and <Word>" follows it.
_LIST_COMMA = rf",{_S}(?=(?:{_CAP_WORD},{_S}){{0,6}}{_CAP_WORD}{_S}and{_S}[A-Z])"
_NAME_GAP = rf"(?:{_S}(?:{_JOINER}{_S})*|{_LIST_COMMA})"
_PROPER = re.compile(rf"{_NAME_START}{_CAP_WORD}(?:{_NAME_GAP}{_CAP_WORD})+")
_EXPANSION_ACRONYM = re.compile(
    rf"{_NAME_START}(?P<exp>{_CAP_WORD}(?:{_NAME_GAP}{_CAP_WORD}){{1,10}}){_S}\((?P<acr>[A-Z][A-Za-z0-9&-]{{1,11}})\)")
_NOT_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


# A sentence's first word is capitalised anyway and is dropped from a name, unless it is a
# known name ("Japan Coast Guard"), the acronym's initial, or a word that starts names.
_NAME_HEADS = {"Ministry", "Department", "Bank", "Agency", "Council", "Office", "Institute", "University", "Centre",
               "Center", "Association", "Committee", "Commission", "Foundation", "Fund", "Bureau", "Embassy",
               "National", "Royal", "North", "South", "East", "West", "Northeast", "Northwest", "Southeast",
               "Southwest"}
_JOINERS = {"of", "for", "and", "the", "on", "de", "del", "da", "van", "von"}
_ARTICLES = {"The", "A", "An"}
_NAME_TOKEN = re.compile(r"[^\s,]+|,")
_MENTION = ("actor", "initiative")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _is_heading(line: str) -> bool:
    """A short Title Case line without a full stop ("Japan-ASEAN Ties Get a Boost")."""
    stripped = line.rstrip(" \"”’')")
    if len(line) > 200 or not stripped or stripped[-1] in ".!?:;,":
        return False
    words = [w for w in _WORD.findall(line) if len(w) >= 4]  # "a", "at", "of" are lowercase in titles
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised >= 2 and capitalised >= 0.8 * len(words)  # "with" may be too


@dataclass
class _Name:
    """Words of a run of capitalised words, as (start, end, what) with what one of "joiner",
    "known" (a word inside known names) or "word"."""
    tokens: list[tuple[int, int, str]]

    @property
    def start(self) -> int:
        return self.tokens[0][0]

    @property
    def end(self) -> int:
        return self.tokens[-1][1]

    @property
    def known(self) -> bool:
        return all(what != "word" for _, _, what in self.tokens)

    @property
    def words(self) -> int:
        return sum(what != "joiner" for _, _, what in self.tokens)


def _one_acronym(text: str, name: _Name) -> bool:
    """A lone all-caps word ("AUKUS"): a name of its own, never the end of "Quad and ..."."""
    word = text[name.start : name.end]
    return len(name.tokens) == 1 and len(word) > 1 and _is_acronym(word)


class _Runs:
    """Splits a run of capitalised words into the names it holds, knowing where the known
    names are. A known name is a name of its own ("Japan and Southeast Asia"), unless it is one
    word of a longer name ("South China Sea", "Japan Coast Guard", "Bank of Japan"): then the
    longer name is proposed and the caller drops the shorter mention."""

    def __init__(self, text: str, mentions: list[tuple[int, int]], sentence_starts: set[int],
                 paragraphs: list[tuple[int, int]]):
        self.text = text
        self.starts = [start for start, _ in mentions]
        self.ends = [end for _, end in mentions]
        self.sentence_starts = sentence_starts
        self.paragraphs = paragraphs
        self.paragraph_starts = [start for start, _ in paragraphs]
        self.headings: dict[int, bool] = {}

    def in_heading(self, pos: int) -> bool:
        """In a Title Case line without a full stop ("Japan-ASEAN Ties Get a Boost"), where
        capitalised words say little about where a name ends."""
        i = bisect_right(self.paragraph_starts, pos) - 1
        if i < 0:
            return False
        if i not in self.headings:
            start, end = self.paragraphs[i]
            self.headings[i] = _is_heading(self.text[start:end])
        return self.headings[i]

    def _first_mention(self, start: int) -> int:
        i = bisect_right(self.starts, start) - 1
        return i if i >= 0 and self.ends[i] > start else i + 1

    def _covered(self, start: int, end: int) -> bool:
        """Every letter of the word text[start:end] is in a known name (a possessive 's aside)."""
        i, pos = self._first_mention(start), start
        while i < len(self.starts) and self.starts[i] < end:
            if any(ch.isalnum() for ch in self.text[pos : self.starts[i]]):
                return False
            pos, i = max(pos, self.ends[i]), i + 1
        rest = self.text[pos:end]
        return pos > start and (rest in ("'s", "’s") or not any(ch.isalnum() for ch in rest))

    def _inside_mention(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and self.starts[i] < pos < self.ends[i]

    def names(self, start: int, end: int, acronym: str | None = None) -> list[_Name]:
        """The names in the run text[start:end], in order; known ones included."""
        text = self.text
        tokens = [(t.start(), t.end()) for t in _NAME_TOKEN.finditer(text, start, end)]
        at_sentence_start = start in self.sentence_starts or (
            start > 0 and text[start - 1] in "\"“‘([" and start - 1 in self.sentence_starts)
        if acronym and tokens and text[slice(*tokens[0])] in _ARTICLES:
            tokens.pop(0)  # "The Maritime Domain Awareness Fund (MDAF)" names the fund, not "The ..."
        elif at_sentence_start and tokens:
            first = text[slice(*tokens[0])]
            if not (self._covered(*tokens[0]) or first in _NAME_HEADS or (acronym and acronym[0] == first[0])):
                tokens.pop(0)
        # Parts between separators (", ", " and ", after a known possessive: "Japan's Coast Guard")
        parts: list[list[tuple[int, int, str]]] = [[]]
        seps: list[str] = []
        for s, e in tokens:
            word = text[s:e]
            if word in (",", "and") and not self._inside_mention(s):
                parts.append([])
                seps.append(word)
            elif word in _JOINERS:
                parts[-1].append((s, e, "joiner"))
            elif self._covered(s, e):
                parts[-1].append((s, e, "known"))
                if word.endswith(("'s", "’s")):
                    parts.append([])
                    seps.append("'s")
            else:
                parts[-1].append((s, e, "word"))
        names: list[_Name] = []
        group: list[_Name] = []  # unknown parts that make one name: "Ministry of Economy, Trade and Industry"
        for tokens_of_part, sep in zip(parts, [""] + seps):
            while tokens_of_part and tokens_of_part[0][2] == "joiner":
                tokens_of_part.pop(0)
            while tokens_of_part and tokens_of_part[-1][2] == "joiner":
                tokens_of_part.pop()
            part = _Name(tokens_of_part) if tokens_of_part else None
            of_name = bool(group) and any(text[s:e] in ("of", "for") for s, e, _ in group[0].tokens)
            # "Ministry of Economy, Trade and Industry", "Science and Technology Agency"; but
            # "India and Australia" are two names
            joins = part is not None and group and not part.known and (
                (sep == "," and of_name)
                or (sep == "and" and (group[-1].words == 1 or part.words == 1) and (of_name or part.words > 1)
                    and not (_one_acronym(text, group[-1]) or _one_acronym(text, part))))
            if not joins and group:
                names.append(_Name([t for p in group for t in p.tokens]))
                group = []
            if part is not None:
                (names.append(part) if part.known else group.append(part))
        if group:
            names.append(_Name([t for p in group for t in p.tokens]))
        return names

    def proposable(self, name: _Name) -> bool:
        """An unknown name, and the known names in it are single words embedded in it: an
        unknown word follows them, or "of"/"for" precedes them ("Bank of Japan"). A known name
        of several words is a name of its own ("Prime Minister Fumio Kishida" is not proposed),
        and so is one only preceded by a capitalised word ("Offer ASEAN nations")."""
        if name.known or name.words < 2:
            return False
        if any(what == "known" for _, _, what in name.tokens) and self.in_heading(name.start):
            return False
        word_after = False
        for i in range(len(name.tokens) - 1, -1, -1):
            s, e, what = name.tokens[i]
            if what == "word":
                word_after = True
            elif what == "known":
                j = self._first_mention(s)
                if any(ch.isspace() for ch in self.text[self.starts[j] : self.ends[j]]):
                    return False
                after_of = i > 0 and self.text[name.tokens[i - 1][0] : name.tokens[i - 1][1]] in ("of", "for")
                if not (word_after or after_of):
                    return False
        return True


def _trim_to_acronym(text: str, name: _Name, acronym: str) -> _Name:
    """The longest tail of an expansion whose words' initials spell its acronym: "Siti
    Rahmawati of the Centre for Archipelagic Policy Studies (CAPS)" names the centre, and
    "the Tokyo-based Institute for Pacific Resilience (IPR)" the institute. The name as it
    is when no tail does ("Association of Southeast Asian Nations (ASEAN)"), or when only known
    names are before the tail."""
    letters = "".join(ch for ch in acronym.upper() if ch.isalpha())
    for i, (s, _, what) in enumerate(name.tokens):
        if what == "joiner":
            continue
        initials = "".join(text[ts].upper() for ts, _, w in name.tokens[i:] if w != "joiner")
        if initials == letters:
            # a known name before it belongs to the name ("ASEAN Digital Economy Framework Agreement (DEFA)")
            dropped_unknown = any(w == "word" for _, _, w in name.tokens[:i])
            return _Name(name.tokens[i:]) if dropped_unknown else name
    return name


# Words of a person's title: "Rear Admiral Jose Dela Cruz of the Philippine Coast Guard" is a
# person of an organisation, two names ("Minister of Foreign Affairs" is one: no name between).
_TITLES = {"Admiral", "General", "Minister", "Secretary", "Director", "Ambassador", "Dr", "Dr.", "Professor", "Prof",
           "Prof.", "President", "Chairman", "Chairwoman", "Chair", "Commander", "Captain", "Colonel", "Chief",
           "Governor", "Mayor", "Senator", "Spokesperson", "Spokesman", "Spokeswoman", "Deputy", "Lieutenant",
           "Mr", "Mr.", "Ms", "Ms.", "Mrs", "Mrs."}


def _split_person_of(text: str, name: _Name) -> list[_Name]:
    words = [text[s:e] for s, e, _ in name.tokens]
    titled = [i for i, w in enumerate(words) if w in _TITLES]
    if not titled:
        return [name]
    # the title, then name words only, then "of" ("Governor of the Bank of Thailand" is an office)
    first = titled[-1] + 1
    for i in range(first, len(words)):
        if name.tokens[i][2] != "joiner":
            continue
        if words[i] != "of" or i == first:
            return [name]
        right = name.tokens[i + 1:]
        while right and right[0][2] == "joiner":
            right = right[1:]
        return [_Name(name.tokens[:i])] + ([_Name(right)] if right else [])
    return [name]


_LOWERCASE_NEXT = re.compile(rf"{_S}+[a-z]")
_DEMONYM_ENDINGS = ("ian", "ean", "ican", "ese", "ish")
_NOT_DEMONYMS = {"Ocean", "Caribbean"}


def _adjective(text: str, name: _Name) -> bool:
    """"Southeast Asian nations", "Japanese firms": a demonym before a common noun, not a name
    ("Bank of Japan raised", "Colombo Plan was", "Indian Ocean last" are names)."""
    last = text[name.tokens[-1][0] : name.end]
    return (last.endswith(_DEMONYM_ENDINGS) and last not in _NOT_DEMONYMS
            and all(what != "joiner" for _, _, what in name.tokens)
            and _LOWERCASE_NEXT.match(text, name.end) is not None)


def find_unknown(text: str, known: list[Candidate], paragraphs: list[tuple[int, int]]) -> list[Candidate]:
    """Names that look like organisations or programmes but match nothing known. A known name
    that is one word of a longer name ("Japan Coast Guard") does not stop the longer name; the
    caller drops such mentions (`extract`). Figures and dates are never inside a name."""
    mentions = sorted((c.start, c.end) for c in known if c.kind in _MENTION)
    taken = _Spans((c.start, c.end) for c in known if c.kind not in _MENTION)
    sentence_starts = {p_start for p_start, _ in paragraphs} | {b.end() for b in _SENTENCE_END.finditer(text)}
    runs = _Runs(text, mentions, sentence_starts, paragraphs)
    found: list[Candidate] = []
    for m in _EXPANSION_ACRONYM.finditer(text):
        if sum(ch.isupper() for ch in m["acr"]) < 2:
            continue  # "(Green)" is no acronym
        names = runs.names(*m.span("exp"), acronym=m["acr"])
        if not names or names[-1].end != m.end("exp"):
            continue
        name = _trim_to_acronym(text, names[-1], m["acr"])
        if not runs.proposable(name):
            continue  # "Official Security Assistance (OSA)" is known already
        start, end = name.start, name.end
        if taken.overlaps(start, m.end()):
            continue
        found.append(Candidate("entity", start, m.end(), text[start:m.end()], name=text[start:end], acronym=m["acr"]))
        taken.add(start, m.end())
    for m in _PROPER.finditer(text):
        for name in (part for whole in runs.names(*m.span()) for part in _split_person_of(text, whole)):
            if not runs.proposable(name) or _adjective(text, name):
                continue
            start, end = name.start, name.end
            if text.endswith(("'s", "’s"), start, end):  # "Southeast Asia's water": the name is "Southeast Asia"
                end -= 2
            if taken.overlaps(start, end) or any(w.lower().strip(".") in _NOT_NAMES for w in text[start:end].split()):
                continue
            found.append(Candidate("entity", start, end, text[start:end], name=text[start:end]))
            taken.add(start, end)
    return sorted(found, key=lambda c: c.start)


def _outside_names(mentions: list[Candidate], entities: list[Candidate]) -> list[Candidate]:
    """The mentions that are not a word of a proposed longer name (China in "South China Sea")."""
    spans = sorted((e.start, e.start + len(e.name or "")) for e in entities)
    starts = [s for s, _ in spans]

    def inside(c: Candidate) -> bool:
        i = bisect_right(starts, c.start) - 1
        return i >= 0 and spans[i][1] >= c.end

    return [c for c in mentions if not inside(c)]


def extract(text: str, names: Iterable[KnownName] = ()) -> list[Candidate]:
    """All candidates in a text, in order, each with its sentence and paragraph."""
    paragraphs = paragraph_spans(text)
    dates = find_dates(text)
    figures = find_figures(text, dates)
    known = find_known(text, names, [(c.start, c.end) for c in figures + dates])
    unknown = find_unknown(text, known + figures + dates, paragraphs)
    known = _outside_names(known, unknown)
    candidates = sorted(dates + figures + known + unknown, key=lambda c: (c.start, c.end, c.kind))
    context = _Context(text, paragraphs)
    for c in candidates:
        c.context, c.paragraph = context(c.start, c.end)
    return candidates


def fuzzy_of(candidate: Candidate) -> FuzzyDate | None:
    return FuzzyDate(candidate.date_start, candidate.date_precision) if candidate.date_start else None
