"""Figures in a text: percentages, money with its currency and scale, counts with what they
count, ratios and fractions; ranges as one figure, changes ("from X to Y") as two.

A small grammar of our own: general-purpose quantity parsers misread ¥ as yuan, average
ranges and count years as quantities."""

from __future__ import annotations

import re
from collections.abc import Callable

from .dates import year_is_count
from .spans import SPACE, Candidate, SpanSet, trie_pattern
from .words import DIGIT_AT_WORD, MONTH, MONTH_AT_WORD, PLURALS_WITHOUT_S, SCALES, YEAR_AT_WORD, not_counted

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
APPROX = [("more than", "over"), ("over", "over"), ("above", "over"), ("upwards of", "over"), ("in excess of", "over"),
          ("nearly", "nearly"), ("almost", "nearly"), ("close to", "nearly"), ("just under", "nearly"),
          ("about", "about"), ("around", "about"), ("roughly", "about"), ("approximately", "about"),
          ("some", "about"), ("an estimated", "about"), ("at least", "at-least"), ("up to", "up-to"),
          ("less than", "under"), ("fewer than", "under"), ("under", "under"), ("below", "under")]
CURRENCY_PREFIX = {"us$": "usd", "usd": "usd", "$": "usd", "¥": "jpy", "jpy": "jpy", "€": "eur", "eur": "eur",
                   "s$": "sgd", "sgd": "sgd"}
CURRENCY_SUFFIX = {"us dollars": "usd", "dollars": "usd", "yen": "jpy", "euros": "eur", "euro": "eur",
                   "singapore dollars": "sgd"}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FRACTION = "|".join(sorted((re.escape(w) for w in FRACTIONS), key=len, reverse=True))
_SCALE = r"(?:thousand|million|billion|trillion|bn|mn|tn|m|k)"
_APPROX = "|".join(sorted((re.escape(a) for a, _ in APPROX), key=len, reverse=True))
_CUR_SUF = r"(?:US dollars|Singapore dollars|dollars|yen|euros?)"


# The number words as one trie: tried at every place a figure may start, an alternation of
# a hundred words would be tested word by word.
_WORDNUM = trie_pattern([re.escape(c) for c in word] for word in NUMBER_WORDS)


# Each pattern starts at the figure itself (a digit, a currency sign, a number word), so the
# scan does not try every approximation word at every position of a long text; the word
# before a figure ("nearly", "more than") is found afterwards by looking back (_approx_before).
# Currency codes and signs before the figure (case-sensitive: "US$", not every "us"), or a
# currency word after it. A bare "$" is a US dollar only when no letter precedes it: A$, HK$,
# NZ$, C$ are other dollars, which the bundle format has no unit for (see NOT_FIGURES).
# Two figures joined: "2-3", "2 to 3", "between 10 and 15", "from 61 to 68". Whether they
# are a range, a change or nothing is decided in find_figures (_read). The second may repeat
# the currency ("$2 to $3 billion") and the first may have its own scale ("$2bn-$3bn").
_SEP = rf"(?P<sep>{SPACE}?[-–\u2011]{SPACE}?|{SPACE}(?i:to|and){SPACE})"
_PCT = rf"%|per{SPACE}?cent\b|percent\b|percentage points?\b|pp\b"
PERCENT = re.compile(
    rf"(?P<num>{_NUM}|\b(?:{_WORDNUM})\b)(?:(?P<low_pct>{SPACE}?(?:{_PCT}))?{_SEP}(?P<high>{_NUM}|\b(?:{_WORDNUM})\b))?"
    rf"{SPACE}?(?P<pct>{_PCT})",
    re.IGNORECASE)
_PREFIX = r"(?:US\$|S\$|\$|USD ?|JPY ?|EUR ?|SGD ?|[¥€])"
_NOT_MONEY_AFTER = rf"(?!\d|[.,]\d|{SPACE}?(?:%|(?i:per{SPACE}?cent|percent)))"  # "$3 to 5%": the 5 is a percentage
MONEY_PREFIX = re.compile(
    rf"(?P<pre>(?<![A-Za-z])(?:US\$|S\$|\$)|USD ?|JPY ?|EUR ?|SGD ?|[¥€]){SPACE}?(?P<num>{_NUM})"
    rf"(?:(?:{SPACE}?(?P<low_scale>(?i:{_SCALE}))\b)?{_SEP}(?P<pre2>{_PREFIX})?(?P<high>{_NUM}){_NOT_MONEY_AFTER})?"
    rf"(?:(?:{SPACE}?|[-‑])(?P<scale>(?i:{_SCALE}))\b)?")  # "$3.2-billion" too
MONEY_SUFFIX = re.compile(
    rf"(?P<num>{_NUM})(?:(?:{SPACE}?(?P<low_scale>{_SCALE})\b)?{_SEP}(?P<high>{_NUM}))?{SPACE}?(?P<scale>{_SCALE})?{SPACE}(?P<suf>{_CUR_SUF})\b",
    re.IGNORECASE)
_COUNTED = rf"(?:[a-z][a-z-]+{SPACE}){{0,2}}?(?:[a-z][a-z-]*s|{'|'.join(PLURALS_WITHOUT_S)})\b"
_COUNT_NUM = rf"{_NUM}|\b(?:{_WORDNUM})\b"
_COUNT_SCALE = r"(?:thousand|million|billion|trillion)"
COUNT = re.compile(
    rf"(?=[\dotfsenhtaOTFSENHTA])(?P<num>{_COUNT_NUM})(?:(?:{SPACE}(?P<low_scale>{_COUNT_SCALE})\b)?{_SEP}(?P<high>{_COUNT_NUM}))?"
    rf"(?:{SPACE}(?P<scale>{_COUNT_SCALE})\b)?{SPACE}(?P<noun>{_COUNTED})",
    re.IGNORECASE)
_NOUN_AFTER = re.compile(rf"{SPACE}(?P<noun>{_COUNTED})", re.IGNORECASE)
# "1 in 5 respondents", "one out of three firms": a ratio (0.2), never a count of 5.
RATIO = re.compile(
    rf"(?P<num>{_NUM}|\b(?:{_WORDNUM})\b){SPACE}(?:in|out{SPACE}of){SPACE}(?P<den>{_NUM}|\b(?:{_WORDNUM})\b)(?![\w.,]\d)"
    rf"(?:{SPACE}(?P<noun>{_COUNTED}))?",
    re.IGNORECASE)
FRACTION_RE = re.compile(rf"(?=[hotaqHOTAQ])\b(?P<frac>{_FRACTION})\b(?=\s+of\b)", re.IGNORECASE)
# Where a figure can start. Each alternative begins with a literal character or class and the
# number words are one trie, so the scan skips most positions of a text quickly.
_NUMBER_WORDS_TRIE = trie_pattern([re.escape(c) for c in word] for word in [*NUMBER_WORDS, *FRACTIONS])
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
_UP_TO_FIGURE = rf"{SPACE}+(?:(?i:{_APPROX}){SPACE}+)?\Z"  # "from about " just before the first number
_CHANGE_BEFORE = re.compile(rf"\b(?i:{_CHANGE_VERBS})\b[^.;:\n]{{0,40}}?\b(?i:from){_UP_TO_FIGURE}")
_FROM_BEFORE = re.compile(rf"\b(?i:from){_UP_TO_FIGURE}")  # a fall from 5.3 to 4.8 is no range
_CHANGE_VERB_BEFORE = re.compile(rf"\b(?i:{_CHANGE_VERBS}){SPACE}+\Z")  # "fell 30 to 25%"
_BETWEEN_BEFORE = re.compile(rf"\b(?i:between){_UP_TO_FIGURE}")
_APPROX_BEFORE = re.compile(rf"(?<![\w-])(?P<approx>{_APPROX}){SPACE}+$", re.IGNORECASE)

# Numbers that are parts of dates, ordinals, times or identifiers are not figures.
_YEAR_LIKE = re.compile(rf"{YEAR_AT_WORD}s?\b")  # a year, unless it counts ("drew 2023 applicants")
NOT_FIGURES = [
    re.compile(rf"{YEAR_AT_WORD}[-–/]\d\d\b"),  # 2015-21, 2024-03, 2023/24: never "21 ..." or "03 ..."
    # Dollars other than US and Singapore dollars (A$500 million, HK$2 billion): left out, not
    # proposed as usd or as a count.
    # (the first letter, then: no letter before it, and not the start of "US$" or "S$")
    re.compile(rf"[A-Z](?<![A-Za-z][A-Z])(?!(?<=U)S\$)(?!(?<=S)\$)[A-Z]{{0,2}}\${SPACE}?(?:{_NUM})"),
    re.compile(rf"{DIGIT_AT_WORD}\d*(?:st|nd|rd|th)\b", re.IGNORECASE),
    re.compile(rf"{DIGIT_AT_WORD}\d?:\d\d\b"),
    re.compile(rf"{MONTH_AT_WORD}{SPACE}\d{{1,2}}\b"),
    re.compile(rf"{DIGIT_AT_WORD}\d?{SPACE}(?:{MONTH})\b"),
]
# "Boeing 737-800", "ATR 72-600", "Japan 2-1": a capitalised word, then two numbers joined by a
# hyphen, is a model or a score, not a figure (unless the word is "About", "Between"...).
_DESIGNATION = re.compile(rf"(?P<word>[A-Z](?<!\w[A-Z])[A-Za-z]*){SPACE}(?P<code>\d+[-‑]\d+)\b")
_NOT_DESIGNATORS = {a for a, _ in APPROX} | {"between", "from", "and", "or", "to", "by", "of", "in", "at", "for",
                                             "with", "only", "just", "another", "all", "a", "an", "the", "some"}
_AFTER_A_FIGURE = re.compile(rf"{SPACE}?(?:%|(?i:per{SPACE}?cent|percent|{_SCALE})\b)")


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


def find_figures(text: str, dates: list[Candidate]) -> list[Candidate]:
    spans = [(d.start, d.end) for d in dates]
    spans += [m.span() for m in _YEAR_LIKE.finditer(text) if not year_is_count(text, *m.span())]
    for pattern in NOT_FIGURES:
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    spans += [m.span("code") for m in _DESIGNATION.finditer(text) if _designation(text, m)]
    blocked = SpanSet(spans)
    found: list[Candidate] = []
    taken = SpanSet()

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
                (noun := _NOUN_AFTER.match(text, m.end("high"))) is not None and not not_counted(noun["noun"]))
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
        elif (m := read(COUNT, at, count_end))[0] and not not_counted(m[0]["noun"]):
            noun = m[0]["noun"]
            add_all(m[1], unit="years" if noun.lower() == "years" else "count", counted=" ".join(noun.split()))
    return sorted(found, key=lambda c: c.start)

