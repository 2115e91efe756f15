"""Proposing candidate records from a source's text: figures, dates, known and unknown entities.

A small grammar of our own (general-purpose quantity parsers misread ¥ as yuan, average
ranges and count years as quantities). Every candidate carries its exact span in the text:
`text[start:end] == candidate.text`, always. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_FRACTION = "|".join(sorted((re.escape(w) for w in FRACTIONS), key=len, reverse=True))
_SCALE = r"(?:thousand|million|billion|trillion|bn|mn|tn|m|k)"
_APPROX = "|".join(sorted((re.escape(a) for a, _ in APPROX), key=len, reverse=True))
_CUR_PRE = r"(?:US\$|S\$|USD\s?|JPY\s?|EUR\s?|SGD\s?|\$|¥|€)"
_CUR_SUF = r"(?:US dollars|Singapore dollars|dollars|yen|euros?)"

_APPROX_RE = rf"(?:(?P<approx>{_APPROX})\s+)?"
PERCENT = re.compile(
    rf"{_APPROX_RE}(?P<num>{_NUM})(?:\s?(?:-|–|to)\s?(?P<high>{_NUM}))?\s?(?P<pct>%|per\s?cent\b|percent\b|percentage points?\b|pp\b)",
    re.IGNORECASE)
MONEY = re.compile(
    rf"{_APPROX_RE}(?:(?P<pre>{_CUR_PRE})\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE})\b)?"
    rf"|(?P<num2>{_NUM})\s?(?P<scale2>{_SCALE})?\s(?P<suf>{_CUR_SUF})\b)",
    re.IGNORECASE)
COUNT = re.compile(
    rf"{_APPROX_RE}(?P<num>{_NUM}|\b(?:{_WORDNUM})\b)(?:\s(?P<scale>thousand|million|billion|trillion)\b)?"
    r"\s(?P<noun>(?:[a-z][a-z-]+\s){0,2}?[a-z][a-z-]*s\b|people\b|staff\b|personnel\b)",
    re.IGNORECASE)
FRACTION_RE = re.compile(rf"{_APPROX_RE}\b(?P<frac>{_FRACTION})\b(?=\s+of\b)", re.IGNORECASE)

_YEAR = r"(?:1[89]\d\d|20\d\d)"
DATE_PATTERNS = [
    # December 16-18, 2023 / December 16, 2023
    (re.compile(rf"\b(?P<month>{_MONTH})\s(?P<day>\d{{1,2}})(?:\s?(?:-|–)\s?(?P<day2>\d{{1,2}}))?,?\s(?P<year>{_YEAR})\b"), "day"),
    # 16-18 December 2023 / 16 December 2023
    (re.compile(rf"\b(?P<day>\d{{1,2}})(?:\s?(?:-|–)\s?(?P<day2>\d{{1,2}}))?\s(?P<month>{_MONTH})\s(?P<year>{_YEAR})\b"), "day"),
    (re.compile(rf"\b(?P<year>{_YEAR})-(?P<mnum>\d\d)-(?P<day>\d\d)\b"), "day"),
    (re.compile(rf"\b(?P<month>{_MONTH})\s(?P<year>{_YEAR})\b"), "month"),
    # between 2025 and 2027 / from 2015 to 2021 / 2015-2021
    (re.compile(rf"\b(?:between|from)\s(?P<year>{_YEAR})\s(?:and|to|until)\s(?P<year2>{_YEAR})\b"), "year"),
    (re.compile(rf"\b(?P<year>{_YEAR})\s?(?:-|–)\s?(?P<year2>{_YEAR})\b"), "year"),
    (re.compile(rf"\b(?:in|since|from|by|until|during|before|after)\s(?P<year>{_YEAR})\b"), "year"),
]
# Numbers that are parts of dates, ordinals, times or identifiers are not figures.
NOT_FIGURES = [
    re.compile(rf"\b{_YEAR}s?\b"),
    re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE),
    re.compile(r"\b\d{1,2}:\d\d\b"),
    re.compile(rf"\b(?:{_MONTH})\s\d{{1,2}}\b"),
    re.compile(rf"\b\d{{1,2}}\s(?:{_MONTH})\b"),
]


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


def _particle(text: str, m: re.Match[str]) -> bool:
    """True when the match's approximation word is really a verb particle."""
    if not m["approx"] or m["approx"].lower() not in ("over", "under", "above", "below", "some"):
        return False
    before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 30) : m.start()])
    return bool(before) and before[-1].lower() in _PARTICLE_VERBS


def _approx(word: str | None) -> str:
    if not word:
        return "exact"
    lowered = " ".join(word.lower().split())
    return next(mark for phrase, mark in APPROX if phrase == lowered)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def _context(text: str, start: int, end: int, paragraphs: list[tuple[int, int]]) -> tuple[str, int | None]:
    """The sentence around a span, and the paragraph number it lies in."""
    for number, (p_start, p_end) in enumerate(paragraphs, start=1):
        if p_start <= start <= p_end:
            para = text[p_start:p_end]
            s_start = 0
            for boundary in _SENTENCE_END.finditer(para):
                if boundary.end() > start - p_start:
                    return para[s_start:boundary.start()].strip(), number
                s_start = boundary.end()
            return para[s_start:].strip(), number
    return "", None


def _overlaps(start: int, end: int, taken: Iterable[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


# ---- extractors ------------------------------------------------------------------------------

def find_dates(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for pattern, precision in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), taken):
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
                else:
                    start = date(year, 1, 1)
                    end = date(int(groups["year2"]), 1, 1) if groups.get("year2") else None
            except (ValueError, KeyError):
                continue
            if end is not None and end < start:
                continue
            # "in 2019" proposes the year; the span is the date itself.
            span_start = m.start("year") if precision == "year" and not groups.get("year2") else m.start()
            found.append(Candidate("date", span_start, m.end(), text[span_start:m.end()], date_start=start,
                                   date_end=end, date_precision=precision))
            taken.append((m.start(), m.end()))
    return found


def find_figures(text: str, dates: list[Candidate]) -> list[Candidate]:
    blocked = [(d.start, d.end) for d in dates]
    for pattern in NOT_FIGURES:
        blocked += [(m.start(), m.end()) for m in pattern.finditer(text)]
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []

    def add(candidate: Candidate, number_span: tuple[int, int], m: re.Match[str] | None = None) -> None:
        if _overlaps(*number_span, blocked) or _overlaps(candidate.start, candidate.end, taken):
            return
        if m is not None and _particle(text, m):
            # Keep the figure, drop the particle: "hand over six vessels" -> "six".
            skip = m.start("approx") + len(m["approx"])
            while skip < len(text) and text[skip].isspace():
                skip += 1
            candidate.start, candidate.text, candidate.approximation = skip, text[skip:candidate.end], "exact"
        found.append(candidate)
        taken.append((candidate.start, candidate.end))

    for m in PERCENT.finditer(text):
        unit = "percentage-points" if m["pct"].lower().startswith(("percentage", "pp")) else "percent"
        high = _number(m["high"]) if m["high"] else None
        add(Candidate("statistic", m.start(), m.end(), m.group(0), value=_number(m["num"]), value_high=high,
                      unit=unit, approximation=_approx(m["approx"])), m.span("num"), m)
    for m in MONEY.finditer(text):
        if m["pre"]:
            unit = CURRENCY_PREFIX[m["pre"].strip().lower()]
            number, scale, span = m["num"], m["scale"], m.span("num")
        else:
            unit = CURRENCY_SUFFIX[" ".join(m["suf"].lower().split())]
            number, scale, span = m["num2"], m["scale2"], m.span("num2")
        value = _number(number) * (SCALES[scale.lower()] if scale else 1)
        add(Candidate("statistic", m.start(), m.end(), m.group(0), value=value, unit=unit,
                      approximation=_approx(m["approx"])), span, m)
    for m in FRACTION_RE.finditer(text):
        add(Candidate("statistic", m.start(), m.end(), m.group(0), value=FRACTIONS[m["frac"].lower()],
                      unit="percent", approximation=_approx(m["approx"]) if m["approx"] else "about"), m.span("frac"))
    for m in COUNT.finditer(text):
        if m["noun"].split()[0].lower() in SCALES or m["noun"].lower() in ("years", "months", "weeks", "days", "hours"):
            if m["noun"].lower() not in ("years", "months", "weeks", "days", "hours"):
                continue
        value = _number(m["num"]) * (SCALES[m["scale"].lower()] if m["scale"] else 1)
        unit = "years" if m["noun"].lower() == "years" else "count"
        if unit == "count" and m["noun"].lower() in ("months", "weeks", "days", "hours"):
            continue
        add(Candidate("statistic", m.start(), m.end("scale") if m["scale"] else m.end("num"),
                      text[m.start():m.end("scale") if m["scale"] else m.end("num")], value=value, unit=unit,
                      approximation=_approx(m["approx"]), counted=" ".join(m["noun"].split())), m.span("num"), m)
    return sorted(found, key=lambda c: c.start)


@dataclass(frozen=True)
class KnownName:
    name: str
    kind: str  # actor | initiative
    slug: str


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(name) <= 10 and all(c.isupper() for c in letters)


def find_known(text: str, names: Iterable[KnownName], taken: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Mentions of known actors and initiatives; acronyms match case-sensitively, names in any case.
    Spans in `taken` (figures such as "US$22.5 billion") are not searched."""
    by_text: dict[str, KnownName] = {}
    for known in names:
        key = known.name if _is_acronym(known.name) else known.name.lower()
        if len(key.strip()) >= 2:
            by_text.setdefault(key, known)
    if not by_text:
        return []
    acronyms = sorted((k for k in by_text if _is_acronym(k)), key=len, reverse=True)
    words = sorted((k for k in by_text if not _is_acronym(k)), key=len, reverse=True)
    found: list[Candidate] = []
    taken = list(taken or [])
    for keys, flags in ((words, re.IGNORECASE), (acronyms, 0)):
        for start in range(0, len(keys), 300):  # keep each alternation a manageable size
            chunk = keys[start : start + 300]
            pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in chunk) + r")(?![\w-])", flags)
            for m in pattern.finditer(text):
                if _overlaps(m.start(), m.end(), taken):
                    continue
                key = m.group(0) if flags == 0 else m.group(0).lower()
                known = by_text.get(key) or by_text.get(" ".join(key.split()))
                if known is None:
                    continue
                found.append(Candidate(known.kind, m.start(), m.end(), m.group(0), target=known.slug))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


_CAP_WORD = r"(?:[A-Z][\w'’&.-]*[\w]|[A-Z])"
_JOINER = r"(?:of|for|and|the|on|de|del|da|van|von)"
_PROPER = re.compile(rf"\b{_CAP_WORD}(?:\s(?:{_JOINER}\s)*{_CAP_WORD})+")
_EXPANSION_ACRONYM = re.compile(rf"(?P<exp>{_CAP_WORD}(?:[\s-](?:{_JOINER}\s)*{_CAP_WORD}){{1,10}})\s\((?P<acr>[A-Z][A-Za-z0-9&-]{{1,11}})\)")
_NOT_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def find_unknown(text: str, known: list[Candidate], paragraphs: list[tuple[int, int]]) -> list[Candidate]:
    """Names that look like organisations or programmes but match nothing known."""
    taken = [(c.start, c.end) for c in known]
    found: list[Candidate] = []
    for m in _EXPANSION_ACRONYM.finditer(text):
        if _overlaps(m.start("acr"), m.end("acr"), taken) and _overlaps(m.start("exp"), m.end("exp"), taken):
            continue
        if _overlaps(m.start("exp"), m.end("exp"), taken):
            continue
        start, expansion = m.start(), m["exp"]
        article = re.match(r"(?:The|A|An)\s", expansion)
        if article:  # "The Maritime Domain Awareness Fund (MDAF)" names the fund, not "The ..."
            start, expansion = start + article.end(), expansion[article.end():]
        found.append(Candidate("entity", start, m.end(), text[start:m.end()], name=expansion, acronym=m["acr"]))
        taken.append((start, m.end()))
    sentence_starts = {p_start for p_start, _ in paragraphs} | {
        b.end() for b in _SENTENCE_END.finditer(text)}
    for m in _PROPER.finditer(text):
        start = m.start()
        words = m.group(0).split()
        if start in sentence_starts:  # a sentence's first word is capitalised anyway
            first = words.pop(0)
            start += len(first) + 1
            while words and words[0].lower() in ("of", "for", "and", "the", "on"):
                start += len(words.pop(0)) + 1
        if len(words) < 2 or any(w.lower().strip(".") in _NOT_NAMES for w in words):
            continue
        end = m.end()
        if _overlaps(start, end, taken):
            continue
        found.append(Candidate("entity", start, end, text[start:end], name=text[start:end]))
        taken.append((start, end))
    return sorted(found, key=lambda c: c.start)


def extract(text: str, names: Iterable[KnownName] = ()) -> list[Candidate]:
    """All candidates in a text, in order, each with its sentence and paragraph."""
    paragraphs = paragraph_spans(text)
    dates = find_dates(text)
    figures = find_figures(text, dates)
    known = find_known(text, names, [(c.start, c.end) for c in figures + dates])
    unknown = find_unknown(text, known + figures + dates, paragraphs)
    candidates = sorted(dates + figures + known + unknown, key=lambda c: (c.start, c.end, c.kind))
    for c in candidates:
        c.context, c.paragraph = _context(text, c.start, c.end, paragraphs)
    return candidates


def fuzzy_of(candidate: Candidate) -> FuzzyDate | None:
    return FuzzyDate(candidate.date_start, candidate.date_precision) if candidate.date_start else None
