"""Dates in a text: days, months, years, decades and fiscal years, alone or as ranges."""

from __future__ import annotations

import re
from datetime import date

from .spans import SPACE, Candidate, SpanSet, word_initial
from .words import DIGIT_AT_WORD, MONTH, MONTH_AT_WORD, MONTHS, PLURALS_WITHOUT_S, YEAR, YEAR_AT_WORD, not_counted

# Words after which a four-digit number is a year (capitalised too: "In 2023, ..." opens
# many a sentence).
_YEAR_WORDS = [form for word in ("in", "since", "from", "by", "until", "during", "before", "after", "of", "early", "late",
                                 "fiscal", "through", "throughout", "around", "circa")
               for form in (word, word.capitalize())]
_YEAR_AFTER = "|".join([*(rf"(?<=(?<!\w){word}{SPACE}\d\d\d\d)" for word in _YEAR_WORDS),
                         *(rf"(?<=(?<!\w){word}\d\d\d\d)" for word in ("mid-", "Mid-", "mid", "Mid")),
                         rf"(?<=\d\d\d\d{SPACE}and{SPACE}\d\d\d\d)"])
DATE_PATTERNS = [
    # December 16-18, 2023 / December 16, 2023
    (re.compile(rf"(?P<month>{MONTH_AT_WORD}){SPACE}(?P<day>\d{{1,2}})(?:{SPACE}?(?:-|–){SPACE}?(?P<day2>\d{{1,2}}))?,?{SPACE}(?P<year>{YEAR})\b"), "day"),
    # 16-18 December 2023 / 16 December 2023
    (re.compile(rf"(?P<day>{DIGIT_AT_WORD}\d?)(?:{SPACE}?(?:-|–){SPACE}?(?P<day2>\d{{1,2}}))?{SPACE}(?P<month>{MONTH}){SPACE}(?P<year>{YEAR})\b"), "day"),
    (re.compile(rf"(?P<year>{YEAR_AT_WORD})-(?P<mnum>\d\d)-(?P<day>\d\d)\b"), "day"),
    (re.compile(rf"(?P<month>{MONTH_AT_WORD}){SPACE}(?P<year>{YEAR})\b"), "month"),
    # the 1990s / mid-2010s (a qualifier such as "late" is not kept: the precision is the decade)
    (re.compile(rf"(?P<year>{YEAR_AT_WORD})s\b"), "decade"),
    # between 2025 and 2027 / from 2015 to 2021 / 2015-2021
    (re.compile(rf"{word_initial('between', 'Between', 'from', 'From')}{SPACE}(?P<year>{YEAR}){SPACE}(?:and|to|until){SPACE}(?P<year2>{YEAR})\b"), "year"),
    # FY2022, FY 2023/24 (fiscal years)
    (re.compile(rf"F(?<!\wF)Y{SPACE}?(?P<year>{YEAR})(?:[-–/](?P<yy>\d\d)\b(?![-–/.]\d))?\b"), "year"),
    (re.compile(rf"(?P<year>{YEAR_AT_WORD}){SPACE}?(?:-|–){SPACE}?(?P<year2>{YEAR})\b"), "year"),
    # 2015-21 / 1998–02 (the end year abbreviated; read as a range of at most 30 years)
    (re.compile(rf"(?P<year>{YEAR_AT_WORD})(?:-|–|/)(?P<yy>\d\d)\b(?![-–/.]\d)"), "year"),  # and 2023/24
    # in 2019, In 2019, late 2023, mid-2024, fiscal 2023, the end of 2022, 2022 and 2023: the
    # year is found first and the word before it checked after (years are rarer than words)
    (re.compile(rf"(?P<year>{YEAR_AT_WORD})\b(?:{_YEAR_AFTER})"), "year"),
]


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
    return noun in PLURALS_WITHOUT_S or (
        len(noun) > 3 and noun.endswith("s") and noun not in _NOT_PLURALS and not not_counted(noun))


_NEXT_WORD = re.compile(rf"{SPACE}+([a-z][a-z-]*)\b")
_NOT_PLURALS = {"this", "thus", "across", "plus", "less", "unless", "always", "perhaps", "whereas", "towards"}


def find_dates(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    taken = SpanSet()
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

