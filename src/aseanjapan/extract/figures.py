"""Figures in a text: percentages, money with its currency and scale, counts with what they
count, ratios and fractions; ranges as one figure, changes ("from X to Y") as two.

A small grammar of our own: general-purpose quantity parsers misread ¥ as yuan, average
ranges and count years as quantities."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import repeat

from .dates import year_is_count
from .spans import SPACE, Candidate, SpanSet, trie_pattern, word_initial
from .words import DIGIT_AT_WORD, MONTH, MONTH_AT_WORD, PLURALS_WITHOUT_S, SCALES, WEEKDAYS, YEAR_AT_WORD, not_counted

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
APPROX = [("more than", "over"), ("just over", "over"), ("over", "over"), ("above", "over"), ("upwards of", "over"), ("in excess of", "over"),
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
# A number with no noun after it ("arrivals rose 6.2 percent to 412,300", "a record high of
# 2.75 million"): a count, or a percentage when a list gave the unit once (_units_given_once).
BARE_COUNT = re.compile(
    rf"(?P<num>{_NUM})(?:(?:{SPACE}(?P<low_scale>{_COUNT_SCALE})\b)?{_SEP}(?P<high>{_NUM}))?"
    rf"(?:{SPACE}(?P<scale>{_COUNT_SCALE})\b)?(?![A-Za-z]|[.,]\d)", re.IGNORECASE)
# Number words without a counted noun only where they plainly count: "five of them", "five
# more", "three days" (spans of time are counts, as with digits), and before a name
# ("two Japan Disaster Relief (JDR) teams").
WORD_COUNT = re.compile(rf"(?P<num>\b(?:{_WORDNUM})\b)(?={SPACE}(?:(?:of{SPACE}(?:them|those|these|which|whom)|more|"
                        rf"days|weeks|months|hours|nights)\b|(?-i:(?:[A-Z][\w'’-]*{SPACE}){{1,5}}(?:\([A-Z]{{2,}}\){SPACE})?"
                        rf"[a-z][a-z-]*s)\b))",
                        re.IGNORECASE)
# "We have one patrol boat": "one" states a quantity after these words (elsewhere it is too
# often "one of", "one day", "a one-off").
_ONE_BEFORE = re.compile(rf"\b(?i:have|has|had|only|just){SPACE}+\Z")
_ONE_AFTER = re.compile(rf"(?i:one){SPACE}(?!(?:of|or|and|to|in|more|another|day|time|way|thing|example|reason|point|side|"
                        rf"hand|year)\b)[a-z][a-z-]+\b")
# Durations written as compound adjectives: "a 12-year roadmap", "a five-year programme".
DURATION = re.compile(rf"(?P<num>{_NUM}|\b(?:{_WORDNUM})\b)-year(?![\w-])", re.IGNORECASE)
# "1.5 times the 2024 amount", "three times as many"
TIMES = re.compile(rf"(?P<num>{_NUM}|\b(?:{_WORDNUM})\b){SPACE}times(?={SPACE}(?:the|as|that|this|its|their|more|higher|"
                   rf"larger|bigger|greater|over|what)\b)", re.IGNORECASE)
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
                 r"extend\w*|lengthen\w*|shorten\w*|lower(?:ed|s|ing)|hik(?:e|ed|es|ing)|"
                 r"up|down|changed?|revised|shifted")
_UP_TO_FIGURE = rf"{SPACE}+(?:(?i:{_APPROX}){SPACE}+)?\Z"  # "from about " just before the first number
_CHANGE_BEFORE = re.compile(rf"\b(?i:{_CHANGE_VERBS})\b[^.;:\n]{{0,60}}?\b(?i:from){_UP_TO_FIGURE}")
_RANGE_BEFORE = re.compile(rf"\b(?i:rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying)|anywhere){SPACE}+(?i:from){_UP_TO_FIGURE}")
_FROM_BEFORE = re.compile(rf"\b(?i:from){_UP_TO_FIGURE}")  # a fall from 5.3 to 4.8 is no range
_CHANGE_VERB_BEFORE = re.compile(rf"\b(?i:{_CHANGE_VERBS}){SPACE}+\Z")  # "fell 30 to 25%"
_BETWEEN_BEFORE = re.compile(rf"\b(?i:between){_UP_TO_FIGURE}")
_APPROX_BEFORE = re.compile(rf"(?<![\w-])(?P<approx>{_APPROX}){SPACE}+$", re.IGNORECASE)

_DIGIT_START = re.compile(DIGIT_AT_WORD)
_YEAR_LIKE = re.compile(rf"{YEAR_AT_WORD}s?\b")  # a year, unless it counts ("drew 2023 applicants")
# Multiplicative changes: "doubled", "nearly quadrupled", "halved", "twice the size", "double the amount".
MULTIPLE = re.compile(
    rf"[dDtTqQhH](?<!\w[dDtTqQhH])(?:(?:oubl|ripl|uadrupl|alv)(?:ed|ing|es)\b"
    rf"|(?:wice|ouble|riple|alf)(?={SPACE}(?:as|the|that|its|their|this|what)\b)"
    rf"|alf(?={SPACE}of{SPACE}(?:what|that)\b))")  # "half of what it was": a ratio, not half of a group
# "fivefold", "a 3-fold rise": found from the word, the number looked for before it
_FOLD = re.compile(r"f(?<=[\w‑-]f)old\b")
_FOLD_NUMBER = re.compile(rf"(?<![\w.,-])(?P<num>{_NUM}|(?i:{_WORDNUM}))[-‑]?\Z")
_MULTIPLES = {"doubl": 2.0, "twice": 2.0, "double": 2.0, "tripl": 3.0, "triple": 3.0, "quadrupl": 4.0, "halv": 0.5,
              "half": 0.5}
# Ranks: "came fourth", "ranked first", "the third-largest investor", "second only to".
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_ORDINAL = rf"(?:{'|'.join(_ORDINALS)}|\d{{1,3}}(?:st|nd|rd|th))"
# The words around a rank are found first (they are rarer than ordinals), then the ordinal.
_ORDINAL = rf"(?:{'|'.join(_ORDINALS)}|\d{{1,3}}(?:st|nd|rd|th))"
_RANK_AFTER_VERB = re.compile(
    word_initial("ranked", "ranks", "ranking", "came", "comes", "placed", "finished", "stood", "stands", "slipped",
                 "rose", "fell", "climbed", "dropped")
    + rf"(?<=\w){SPACE}(?:to{SPACE})?(?:in{SPACE})?(?P<ordinal>(?i:{_ORDINAL}))\b")
_RANK_BEFORE_WORD = re.compile(rf"-(?:largest|biggest|highest|lowest|most|least|ranked|placed|fastest|busiest|smallest|"
                               rf"strongest|richest|poorest)\b|o(?<={SPACE}o)nly{SPACE}to\b")
_ORDINAL_BEFORE = re.compile(rf"(?<![\w-])(?P<ordinal>(?i:{_ORDINAL}))\Z")


def _ranks(text: str) -> list[Candidate]:
    """Ranks: "came fourth", "ranked first", "the third-largest investor", "second only to"."""
    spans = [m.span("ordinal") for m in _RANK_AFTER_VERB.finditer(text)]
    spans += [o.span("ordinal") for m in _RANK_BEFORE_WORD.finditer(text)  # "only" comes after a space
              if (o := _ORDINAL_BEFORE.search(text, max(0, m.start() - 9), m.start() - (m[0][0] == "o")))]
    found = []
    for start, end in sorted(set(spans)):
        word = text[start:end].lower()
        found.append(Candidate("statistic", start, end, text[start:end], value=float(_ORDINALS.get(word) or int(word[:-2])),
                               unit="rank", approximation="exact"))
    return found


# A bare number after these is a reference, not a quantity: "p. 37", "pages 14 to 22", "No. 27".
_REFERENCE_BEFORE = re.compile(
    rf"(?<![\w.])(?:pp?\.|[Pp]ages?|[Nn]os?\.|[Vv]ol\.|[Cc]hapter|[Pp]ara(?:graph)?\.?|[Ii]ssue|[Ee]dition)"
    rf"{SPACE}?(?:\d+{SPACE}?(?:to|and|-|–){SPACE}?)?\Z")
# "Nobody is 100 percent sure": rhetoric, not a statistic.
_RHETORIC = re.compile(rf"\b(?:is|am|are|was|were|be|been|feel|feels|felt|not|remain|remains){SPACE}+\Z")
# "110 percent committed", not "150 percent higher" (a comparison is a statistic)
_AFTER_RHETORIC = re.compile(rf"{SPACE}+(?!(?:of|in|for|on|by|and|or|from|to|at|more|less|above|below|up|down|over|"
                             rf"under|than|[a-z]+er)\b)[a-z]+")
# A promotion line inside an article ("Save 40% on an annual plan", "Get 3 months free"):
# its numbers are offers, not figures (HTML sources drop such lines; plain text keeps them).
# Lines that open with an appeal to the reader ("Donate today", "Unlock unlimited access",
# "Try Premium free") or carry an offer's wording anywhere ("Limited offer", "for the price of
# 1", "¥980/month") are promotions too.
PROMOTION = re.compile(
    r"^[^\S\n]*(?i:(?:save|get)[^\S\n]+(?:up[^\S\n]+to[^\S\n]+)?[$¥€]?\d|subscribe\b|sign[^\S\n]+up\b|join[^\S\n]+[\d,]+"
    r"[^\S\n]+(?:readers|subscribers)|donate\b|unlock\b|upgrade\b|(?:try|start)\b.{0,40}\bfree\b|become[^\S\n]+a[^\S\n]+"
    r"(?:member|subscriber|supporter)\b|support[^\S\n]+(?:our|independent)[^\S\n]+journalism\b"
    r"|.{0,80}\b(?:\d+%[^\S\n]+off|offer[^\S\n]+ends|free[^\S\n]+trial|\d+[^\S\n]+"
    r"(?:months?|weeks?|days?)[^\S\n]+free|limited(?:[- ]time)?[^\S\n]+offer|for[^\S\n]+the[^\S\n]+price[^\S\n]+of"
    r"|free[^\S\n]+for[^\S\n]+\d+[^\S\n]+(?:days|weeks|months))\b"
    r"|.{0,80}[$¥€]\d[\d,.]*[^\S\n]?(?:/|per[^\S\n]|a[^\S\n])[^\S\n]?(?:month|year|week|mo|yr)\b).{0,160}$", re.MULTILINE)


def promotion_spans(text: str) -> list[tuple[int, int]]:
    """The promotion lines of a text: no figure, date or name is proposed inside them."""
    return [m.span() for m in PROMOTION.finditer(text)]
# Numbers that are parts of dates, ordinals, times or identifiers are not figures.
NOT_FIGURES = [
    re.compile(r"P(?<!\wP)age[^\S\n]+\d+[^\S\n]+of[^\S\n]+\d+"),  # "Page 2 of 5"
    # phone numbers: "+84 ...", "Tel: ...", "the hotline on 0234 3822 123", "0234-3822-123"
    re.compile(r"\+\d[\d ()-]{6,}\d|T(?<!\wT)el(?:ephone)?\.?:?[^\S\n]*[\d(][\d ()-]{5,}\d"),
    re.compile(r"0(?<![\w.,]0)\d{1,4}(?:(?:[^\S\n]|-)\d{2,4}){2,}\b"),  # a leading zero and groups: no quantity
    re.compile(r"\(\d{1,5}\)[^\S\n]?\d{2,4}(?:(?:[^\S\n]|-)\d{2,4})+\b"),  # "(03) 5412 6800"
    re.compile(r"-(?<=[A-Z]-)\d+(?:-\d+)*"),  # the digits of codes and designations: PR-2025-041, F-35
    re.compile(rf"{YEAR_AT_WORD}[-–/]\d\d\b"),  # 2015-21, 2024-03, 2023/24: never "21 ..." or "03 ..."
    # Dollars other than US and Singapore dollars (A$500 million, HK$2 billion): left out, not
    # proposed as usd or as a count.
    # (the first letter, then: no letter before it, and not the start of "US$" or "S$")
    re.compile(rf"[A-Z](?<![A-Za-z][A-Z])(?!(?<=U)S\$)(?!(?<=S)\$)[A-Z]{{0,2}}\${SPACE}?(?:{_NUM})"),
    # street addresses: "12 Orchard Road", "88 Le Loi Street"
    re.compile(rf"{DIGIT_AT_WORD}\d{{0,4}}[A-Za-z]?(?={SPACE}(?:[A-Z][\w'’-]*{SPACE}){{1,3}}(?:Road|Street|Avenue|Boulevard|"
               rf"Lane|Drive|Highway|Rd\.|St\.|Ave\.|Blvd\.)(?!\w))"),
    re.compile(rf"{DIGIT_AT_WORD}\d*(?:st|nd|rd|th)\b", re.IGNORECASE),
    re.compile(rf"{DIGIT_AT_WORD}\d?:\d\d\b"),
    re.compile(rf"{DIGIT_AT_WORD}\d?(?:[:.]\d\d)?{SPACE}?(?:[ap]\.m\.|(?i:am|pm)\b)"),  # 9 a.m., 10.30pm
    re.compile(rf"{MONTH_AT_WORD}{SPACE}\d{{1,2}}\b"),
    re.compile(rf"{DIGIT_AT_WORD}\d?{SPACE}(?:{MONTH})\b"),
]
_PHONE_DIGITS = re.compile(r"[\d(][\d ()-]{5,}\d")
_PHONE_WORD_BEFORE = re.compile(r"\b(?i:hotline|helpline|phone|call|dial|fax|whatsapp)(?:[^\S\n]+(?:on|at|number|no\.?))?:?"
                                r"[^\S\n]*\Z")
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
    # The patterns that begin with a digit are tried only where a number begins.
    digits = [m.start() for m in _DIGIT_START.finditer(text)]
    for pattern in NOT_FIGURES:
        if pattern.pattern.startswith(DIGIT_AT_WORD):
            spans += [m.span() for m in map(pattern.match, repeat(text), digits) if m]
        else:
            spans += [m.span() for m in pattern.finditer(text)]
    # "the hotline on 0234 3822 123": digits found first, the word before them looked at after
    spans += [m.span() for m in map(_PHONE_DIGITS.match, repeat(text), digits)
              if m and _PHONE_WORD_BEFORE.search(text, max(0, m.start() - 24), m.start())]
    spans += [m.span("code") for m in _DESIGNATION.finditer(text) if _designation(text, m)]
    spans += promotion_spans(text)
    found: list[Candidate] = []
    taken = SpanSet()
    for rank in _ranks(text):  # before the ordinals are blocked
        found.append(rank)
        taken.add(rank.start, rank.end)
    blocked = SpanSet(spans)

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
            elif sep == "to" and not _RANGE_BEFORE.search(before) and (_CHANGE_BEFORE.search(before) or (low > high and (
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

    for m in MULTIPLE.finditer(text):
        word = m[0].lower()
        value = next(v for stem, v in _MULTIPLES.items() if word.startswith(stem))
        add(m.start(), m.span(), m.end(), value=value, unit="ratio")

    for m in _FOLD.finditer(text):
        if (number := _FOLD_NUMBER.search(text, max(0, m.start() - 16), m.start())) is not None:
            add(number.start(), number.span("num"), m.end(), value=_number(number["num"]), unit="ratio")

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
        elif ((ratio := RATIO.match(text, at)) and 0 < _number(ratio["num"]) <= _number(ratio["den"])
              and not blocked.overlaps(*ratio.span("den"))):  # "from 168 in 2023": a year, no ratio
            add(at, (at, ratio.end("den")), ratio.end("den"), value=round(_number(ratio["num"]) / _number(ratio["den"]), 4),
                unit="ratio", counted=" ".join(ratio["noun"].split()) if ratio["noun"] else None)
        elif duration := DURATION.match(text, at):
            add(at, duration.span("num"), duration.end(), value=_number(duration["num"]), unit="years")
        elif times := TIMES.match(text, at):
            add(at, times.span("num"), times.end(), value=_number(times["num"]), unit="ratio")
        elif (m := read(COUNT, at, count_end))[0] and _counts(m[0]["noun"]) and not _identifier(text, at) and (
                m[0]["scale"] or "." not in m[0]["num"] or m[0]["noun"].lower() in ("points", "point", "years")) and (
                # "AZEC 2.0 follows": no count of things has decimals (points and years may)
                len(m[1]) > 1 or m[1][0][4] is not None or _states_a_quantity(text, at, m[0]["num"])):
            noun = m[0]["noun"]
            add_all(m[1], unit="years" if noun.lower() == "years" else "count", counted=" ".join(noun.split()))
        elif (m := read(BARE_COUNT, at, count_end))[0] and _bare_number(text, at, m[0].end()):
            add_all(m[1], unit="count")
        elif (word_count := WORD_COUNT.match(text, at)) and _states_a_quantity(text, at, word_count["num"]):
            add(at, word_count.span(), word_count.end(), value=_number(word_count["num"]), unit="count")
        elif text[at:at + 3].lower() == "one" and _states_a_quantity(text, at, "one"):
            add(at, (at, at + 3), at + 3, value=1.0, unit="count")  # "we have one patrol boat"
    _units_given_once(text, found)
    _units_of_table_columns(text, found)
    return sorted((c for c in found if not _rhetoric(text, c)), key=lambda c: c.start)


_DETERMINER_BEFORE = re.compile(rf"\b(?i:the|these|those|its|their|our|his|her|both|all){SPACE}+\Z")


def _states_a_quantity(text: str, at: int, number: str) -> bool:
    """A number written in words states a quantity, except "one" ("one vessel", "a one-off")
    and one that names who rather than how many ("the two governments", "their three sons")."""
    if not number[0].isalpha():
        return True
    if number.lower() == "one":
        return _ONE_BEFORE.search(text, max(0, at - 8), at) is not None and _ONE_AFTER.match(text, at) is not None
    return _DETERMINER_BEFORE.search(text, max(0, at - 8), at) is None


# Words that begin no noun phrase a number counts: "one of its members" counts no "of its".
_NOT_COUNTED_WORDS = {"of", "the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those", "is", "was",
                      "has", "as", "us", "thus", "was", "does", "per", "plus", "less", "across", "and", "or", "to",
                      "in", "on", "at", "for", "with", "by", "from", "than", "among", "amongst", "against", "between",
                      "into", "onto", "over", "under", "within", "without", "after", "before", "during", "about",
                      "around", "since", "until", "via", "like", "along", "above", "below", "behind",
                      "beyond", "despite", "towards", "toward", "through", "throughout", "versus", "upon", "apiece",
                      "each", "respectively", "alone", "apart"}


def _counts(noun: str) -> bool:
    words = noun.lower().split()
    return not not_counted(noun) and words[0] not in _NOT_COUNTED_WORDS and words[-1] not in _NOT_COUNTED_WORDS


_CAPITALISED_BEFORE = re.compile(rf"(?<![\w'’.-])(?P<word>[A-Z][\w'’.&-]*){SPACE}\Z")
_PHRASE_OPENERS = {a for a, _ in APPROX} | {
    "at", "about", "to", "of", "by", "from", "with", "for", "and", "or", "than", "between", "around", "only", "just",
    "all", "another", "the", "a", "in", "on", "since", "after", "before", "up", "down", "its", "their", "his", "her",
    "our", "these", "those", *WEEKDAYS}


# "berth 4", "phase 2", "terminal 3": a number that names one of several, not a quantity.
_IDENTIFIER_BEFORE = re.compile(
    rf"\b(?i:berth|gate|phase|route|terminal|platform|pier|line|zone|section|article|clause|chapter|page|level|tier|"
    rf"stage|block|lot|unit|room|floor|lane|exit|highway|road|wing|hall|building|plot|batch|grade|category|step|item|"
    rf"number|no|version|type|model|class|flight|runway|dock|ward|district|region|sector|annex|appendix|table|figure|"
    rf"chart|box|part|week|day|year|round|session|term|season|episode|act|scene|aged){SPACE}\Z")
# "24/7", "7/2026": parts of a fraction or a code; "a 3-day visit", "a 45-year-old": a span of
# time or an age written as an adjective (only years are proposed, as durations).
_NOT_A_COUNT_AFTER = re.compile(r"/\d|[-‐‑–](?:day|week|month|hour|minute|second|night|old)s?\b|[-‐‑–]year-old")
# "500 million Hong Kong dollars": a currency the bundle format has no unit for, not a count.
_OTHER_CURRENCY_AFTER = re.compile(rf"(?:{SPACE}[A-Z][\w.]*)*{SPACE}(?i:dollars|pesos|rupees|pounds|yuan|won|baht|ringgit|"
                                   rf"rupiah|dong|kip|riel|kyat|francs|rubles|roubles)\b")


_GROUPED = re.compile(r"\d{1,3},\d{3}\b")  # no berth, page or article is numbered "4,200": "visitors number 612,400"


def _bare_number(text: str, at: int, end: int) -> bool:
    """Whether a number with no noun after it is a quantity: not part of a name or a
    designation ("Article 9", "Nikkei 225", "Route 1", "berth 4"), that is, not right after
    a capitalised word other than one opening a sentence or a phrase ("About 150", "At 61")."""
    if (_identifier(text, at) or _OTHER_CURRENCY_AFTER.match(text, end)
            or _NOT_A_COUNT_AFTER.match(text, end) or (at > 1 and text[at - 1] == "/" and text[at - 2].isdigit())
            or re.match(r"[-‑–]\d", text[end:end + 2])):  # "3-2": a score, not a range
        return False
    before = _CAPITALISED_BEFORE.search(text, max(0, at - 40), at)
    if before is None or before["word"].lower() in _PHRASE_OPENERS:
        return True
    prefix = text[max(0, before.start() - 3):before.start()].rstrip(" \t\"“'‘(")
    # "Perhaps 20", "Roughly 300" open a sentence; "AZEC 2.0", "Windows 11" are names there too
    word = before["word"].lower()
    return (not prefix or prefix[-1] in ".!?\n") and (word.endswith("ly") or word in _SENTENCE_ADVERBS)


_SENTENCE_ADVERBS = {"perhaps", "maybe", "still", "now", "then", "also", "yet", "another", "even", "so", "thus",
                     "overall", "altogether", "today"}


def _identifier(text: str, at: int) -> bool:
    """"Article 9", "clause 12", "p. 37": a number that names one of several or points into
    a document, whatever follows it ("Article 9 says", "clause 12 applies")."""
    return bool((_IDENTIFIER_BEFORE.search(text, max(0, at - 12), at) and not _GROUPED.match(text, at))
                or _REFERENCE_BEFORE.search(text, max(0, at - 24), at))


# The figure before a bare number gives its unit when it is a percentage and the number reads
# like one (decimals, or at most 100): "Japan scored 61.3 percent, followed by South Korea at
# 44.0 and India at 39.5"; "41.2 and 38.7 percent respectively" takes the unit after it.
_LIST_UNIT_WINDOW = 400
_THEN_PERCENT = re.compile(rf"\A{SPACE}*(?:,|and|or|,{SPACE}and){SPACE}+\Z")


def _units_given_once(text: str, found: list[Candidate]) -> None:
    found.sort(key=lambda c: c.start)
    before: Candidate | None = None  # the last figure other than a rank
    share: Candidate | None = None  # the last percentage
    for i, c in enumerate(found):
        previous, before = before, (c if c.unit != "rank" else before)
        if c.unit in ("percent", "percentage-points"):
            share = c
        if (c.counted in ("points", "point") and share is not None and c.start - share.end <= _POINTS_WINDOW
                and c.value is not None and c.value < 100):
            # "fell 2.1 points" after a share in percent: points of a percentage, the word in the span
            c.unit, c.counted = "percentage-points", None
            c.end = _POINTS.match(text, c.end).end()
            c.text = text[c.start:c.end]
            share = c
            continue
        if c.unit != "count" or c.counted:
            continue
        if previous is not None and previous.counted and "." in c.text and share is not None:
            # "64.7% of the 1,502 respondents agreed, compared with 51.2 for Australia": a
            # count with its own noun does not end a list of shares
            previous = share
        number = c.text.split()[-1]
        if not _SCALED.search(c.text) and (not _PLAIN_NUMBER.fullmatch(number) or not ("." in number or c.value <= 100)):
            continue
        after = found[i + 1] if i + 1 < len(found) else None
        if _SCALED.search(c.text) and previous is not None and previous.unit in CURRENCY_PREFIX.values() and (
                c.start - previous.end <= _LIST_UNIT_WINDOW and "\n" not in text[previous.end:c.start]):
            c.unit = previous.unit  # "exports of $26.2 billion and imports of 25.2 billion"
        elif _SCALED.search(c.text):
            continue  # "2.6 million" after a percentage is a count
        elif after is not None and after.unit in ("percent", "percentage-points") and _THEN_PERCENT.match(
                text[c.end:after.start]):
            c.unit = after.unit
            share = c
        elif (previous is not None and previous.unit in ("percent", "percentage-points")
                and c.start - previous.end <= _LIST_UNIT_WINDOW and "\n" not in text[previous.end:c.start]
                and (previous.unit == "percentage-points"  # "slid 6.8 points to 31.5": a level in points
                     or not _TO_BEFORE.search(text, max(0, c.start - 4), c.start))):  # "rose 5 percent to 80": a count
            c.unit = previous.unit
            if c.unit == "percent" or c.unit == "percentage-points":
                share = c


_PLAIN_NUMBER = re.compile(r"[\d.]+")
_POINTS = re.compile(rf"{SPACE}points?\b", re.IGNORECASE)
_POINTS_WINDOW = 600  # points follow the shares they are points of, in the same or the next paragraph
_SCALED = re.compile(r"\d\s(?:million|billion|trillion)$", re.IGNORECASE)
_TO_BEFORE = re.compile(rf"\bto{SPACE}\Z")


_TABLE_ROW = re.compile(r"^[^\n|]*\|[^\n]*$", re.MULTILINE)
_CELL = re.compile(r"[^|\n]+")
_HEADER_UNIT = re.compile(r"\((?P<pre>US\$|S\$|\$|¥|€|USD|JPY|EUR|SGD)?\s*(?P<scale>thousand|million|billion|trillion|"
                          r"bn|mn|m|k)?\s*(?P<suf>yen|dollars|US dollars|euros?|%|per ?cent|percent)?\)", re.IGNORECASE)


def _units_of_table_columns(text: str, found: list[Candidate]) -> None:
    """A table whose header gives a column's unit ("Value (¥ million)", "Share (%)"): the bare
    numbers below it are in that unit and scale."""
    columns: dict[int, tuple[str, float]] = {}
    by_start = {c.start: c for c in found if c.unit == "count" and not c.counted}
    width = 0
    for row in _TABLE_ROW.finditer(text):
        cells = list(_CELL.finditer(text, row.start(), row.end()))
        if len(cells) != width:  # a new table, or none
            columns, width = {}, len(cells)
        for i, cell in enumerate(cells):
            unit = _HEADER_UNIT.search(cell[0])
            if unit and (unit["pre"] or unit["suf"]):
                symbol = (unit["pre"] or "").lower()
                word = (unit["suf"] or "").lower()
                name = "percent" if "%" in word or "cent" in word else (
                    CURRENCY_PREFIX.get(symbol) or CURRENCY_SUFFIX.get(word, "count"))
                columns[i] = (name, SCALES[unit["scale"].lower()] if unit["scale"] else 1.0)
                continue
            if i in columns and (c := by_start.get(cell.start() + len(cell[0]) - len(cell[0].lstrip()))):
                c.unit, scale = columns[i]
                c.value = c.value * scale if c.value is not None else None


def _rhetoric(text: str, c: Candidate) -> bool:
    """"Nobody here is 100 percent sure": a hundred percent said of a feeling."""
    return (c.unit == "percent" and c.value is not None and c.value >= 100
            and _RHETORIC.search(text, max(0, c.start - 20), c.start) is not None
            and _AFTER_RHETORIC.match(text, c.end) is not None)

