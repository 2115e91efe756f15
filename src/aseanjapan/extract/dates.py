"""Dates in a text: days, months, years, decades and fiscal years, alone or as ranges.

A date without its year ("on Nov. 27", "In November alone") or related to the time of
writing ("June last year", "next year") is resolved against the document's publication
date, and says so (`year_inferred`, `date_relative`, `date_note`); with no publication date
it is still proposed, its year unknown. Qualifiers are kept: "fiscal 2025" is a Japanese
fiscal year (April 2025 to March 2026), "late 1990s" is 1997-1999, not the decade.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .spans import SPACE, Candidate, SpanSet, word_initial
from .words import DIGIT_AT_WORD, MONTH, MONTH_AT_WORD, MONTHS, PLURALS_WITHOUT_S, YEAR, YEAR_AT_WORD, not_counted

_RANGE_SEP = rf"(?P<sep>{SPACE}?[-–]{SPACE}?|{SPACE}(?:to|and|until|through){SPACE}|-to-)"
_SECOND_SEP = _RANGE_SEP.replace("?P<sep>", "?P<sep2>")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?!\d)"
_THEN_YEAR = rf"(?:,?{SPACE}(?P<year>{YEAR})\b)?"
_NOT_A_FIGURE_AFTER = rf"(?!{SPACE}?(?:%|per{SPACE}?cent|percent)|[.,]\d)"
# A full month name, or an abbreviation with its full stop: "Mar" alone is too often a word.
_MONTH_ALONE = word_initial("January", "February", "March", "April", "May", "June", "July", "August", "September",
                            "October", "November", "December", r"Jan\.", r"Feb\.", r"Mar\.", r"Apr\.", r"Aug\.",
                            r"Sept\.", r"Sep\.", r"Oct\.", r"Nov\.", r"Dec\.")  # a dot, not any character ("Nov0")
_MONTH_IN_RANGE = _MONTH_ALONE + r"(?!\w)"
_MONTH_ALONE += r"(?![\w-])"
_MONTH_BEFORE = re.compile(rf"(?P<month>{MONTH_AT_WORD}){SPACE}\Z")
_RELATIVE_YEAR = rf"(?:{SPACE}(?P<rel>last|this|next){SPACE}year\b)?"

# Each pattern with the name of the _Dates method that makes its candidate (None: no date
# after all). The first pattern to claim a span wins, so longer forms come first.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 2019 - Present, March 2020 to present
    (re.compile(rf"(?P<year>{YEAR_AT_WORD}){SPACE}?(?:[-–]|to){SPACE}?(?:[Pp]resent|now|date)\b"), "open_range"),
    # December 16-18, 2023 / Mar. 4 to Apr. 20 / Nov. 18 and Dec. 20 last year / on Nov. 27
    (re.compile(rf"(?P<month>{MONTH_AT_WORD}){SPACE}(?P<day>{_DAY})(?:st|nd|rd|th)?\b"
                rf"(?:{_RANGE_SEP}(?:(?P<month2>{MONTH_AT_WORD}){SPACE})?(?P<day2>{_DAY})\b{_NOT_A_FIGURE_AFTER})?"
                rf"{_THEN_YEAR}{_RELATIVE_YEAR}"), "month_day"),
    # 16-18 December 2023 / 27 November / 4 March to 20 April 2025
    (re.compile(rf"(?P<day>{DIGIT_AT_WORD}\d?)(?:{_RANGE_SEP}(?P<day2>{_DAY}))?{SPACE}(?P<month>{MONTH})(?!\w)"
                rf"(?:{_SECOND_SEP}(?P<day3>{_DAY}){SPACE}(?P<month2>{MONTH})(?!\w))?{_THEN_YEAR}{_RELATIVE_YEAR}"),
     "day_month"),
    (re.compile(rf"(?P<year>{YEAR_AT_WORD})-(?P<mnum>0[1-9]|1[0-2])-(?P<day>{_DAY})\b"), "iso_day"),
    # July to September 2024 / July-to-September / between March and May last year
    (re.compile(rf"(?P<month>{_MONTH_IN_RANGE}){_RANGE_SEP}(?P<month2>{_MONTH_IN_RANGE})(?:{SPACE}(?P<year>{YEAR})\b)?"
                rf"{_RELATIVE_YEAR}"), "month_range"),
    # December 2023 / Dec. 2023
    (re.compile(rf"(?P<month>{MONTH_AT_WORD}){SPACE}(?:of{SPACE})?(?P<year>{YEAR})\b"), "month_year"),
    # the 1990s / late 1990s / mid-2010s
    (re.compile(rf"(?P<year>{YEAR_AT_WORD})s\b"), "decade"),
    # between 2025 and 2027 / from 2015 to 2021
    (re.compile(rf"{word_initial('between', 'Between', 'from', 'From')}{SPACE}(?P<year>{YEAR}){SPACE}(?:and|to|until){SPACE}(?P<year2>{YEAR})\b"),
     "year_range"),
    # FY2022, FY 2023/24 (fiscal years)
    (re.compile(rf"F(?<!\wF)Y{SPACE}?(?P<year>{YEAR})(?:[-–/](?P<yy>\d\d)\b(?![-–/.]\d))?\b"), "fiscal_year"),
    # 2015-2021, 2012 - 2019
    (re.compile(rf"(?P<year>{YEAR_AT_WORD}){SPACE}?(?:-|–){SPACE}?(?P<year2>{YEAR})\b"), "year_span"),
    # 2015-21 / 1998–02 / 2023/24 (the end year abbreviated; a range of at most 30 years)
    (re.compile(rf"(?P<year>{YEAR_AT_WORD})(?:-|–|/)(?P<yy>\d\d)\b(?![-–/.]\d)"), "year_span"),
    # June last year / March this year
    (re.compile(rf"(?P<month>{_MONTH_ALONE}){SPACE}(?P<rel>last|this|next){SPACE}year\b"), "month_alone"),
    # last year, this year, next year, last month, this fiscal year ...
    (re.compile(rf"{word_initial('last', 'Last', 'this', 'This', 'next', 'Next')}{SPACE}(?P<fiscal>fiscal{SPACE})?"
                rf"(?P<unit>year|month)\b"), "relative"),
    # "the centre today hosted": the publication day (not "Today the motive is ...": nowadays)
    (re.compile(rf"t(?<!\wt)oday(?={SPACE}(?:[a-z]+ed|said|says|met|signed|announced|began|holds?|opens?)\b)"), "today"),
    # in May, since July, In November alone
    (re.compile(rf"(?P<month>{_MONTH_ALONE})(?!{SPACE}?\d)"), "month_alone"),
    # a year wherever it stands: in 2019, For 2026, the 1954 Act, (2018)
    (re.compile(rf"(?P<year>{YEAR_AT_WORD})\b(?![-–/.,]\d|{SPACE}?(?:%|per{SPACE}?cent|percent))"), "year"),
]

# "KUALA LUMPUR, 9 October 2025 – The ASEAN-Japan Centre ...": a press release's dateline,
# which gives the publication date and is no date of the article's own.
PRESS_DATELINE = re.compile(r"^\W*[A-Z][A-Z .'-]+,\s+(?P<date>[^–—-]{6,30}?)\W*\s*[–—-]\s", re.MULTILINE)
# Words that say a date without a year is ahead of the time of writing ("due to open on Mar. 29").
_FUTURE = re.compile(r"\b(?:will|shall|due|expected|scheduled|set to|plans?|planned|planning|upcoming|intends?|"
                     r"aims? to|to be held|is to|are to|next)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[.!?;:,—–]\s|\n")
_SUBCLAUSE = re.compile(r"\b(?:and|but|or|which|that|who|where|while|whereas)\b")
_SENTENCE_START = re.compile(r"[.!?]\s|\n")
# A verb in the past just before a date ("the ministry said on Nov. 27") dates a past event.
_PAST = re.compile(r"\b(?:said|told|wrote|met|held|was|were|had|did|began|took|gave|came|went|saw|won|"
                   r"(?!expected|scheduled|planned|intended)[a-z]+ed)\b")
_EARLIER_LATER = re.compile(rf"\b(?:[Ee]arlier|[Ll]ater)(?:{SPACE}(?:this|that){SPACE}year)?,?{SPACE}(?:in|on){SPACE}\Z")
_LAST_NEXT_BEFORE = re.compile(rf"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his){SPACE}\Z")
_PART_BEFORE = re.compile(rf"(?<![\w-])(?P<part>[Ee]arly|[Mm]id|[Ll]ate)(?:-|{SPACE}|-{SPACE}?)(?:the{SPACE})?\Z")
_FISCAL_BEFORE = re.compile(rf"(?<![\w-])(?:[Ff]iscal(?:{SPACE}year)?|FY){SPACE}?\Z")
# "Survey 2025", "Vision 2030", "Expo 2025": a year right after a capitalised word is part of
# a name, unless the word is one that opens a phrase ("In 2023", "For 2026", "By 2030").
_CAPITALISED_BEFORE = re.compile(rf"(?<![\w'’.-])(?P<word>[A-Z][\w'’.-]*){SPACE}\Z")
_OPENERS = {"In", "For", "By", "Since", "From", "Until", "Till", "During", "Before", "After", "Through", "Throughout",
            "Around", "Circa", "Of", "And", "Or", "To", "Between", "At", "On", "As", "Over", "Under", "Unlike", "Like",
            "Early", "Late", "Mid", "Fiscal", "Also", "Then", "Only", "Even", "Back", "Last", "Beyond", "Not", "But",
            "Yet", "Already", "Spring", "Summer", "Autumn", "Winter", "Both", "Each", "Every", "Calendar", "Year",
            "Within", "Toward", "Towards", "Compared", "Against", "Versus", "With", "The", "A", "An", "This", "That",
            "These", "Those", "Its", "Their", "His", "Her", "Our", "Your", "My"}
# "$2019", "No. 2019", "#2019", "Issue 7/2026", "Vol. 2024": a sum or a number, not a year
_CURRENCY_BEFORE = re.compile(r"(?:[$¥€£]|US\$|S\$|USD|JPY|EUR|SGD|No\.?|#|\d/|(?:[Ii]ssue|[Vv]ol\.?|[Vv]olume)\s\S*/?)\s?\Z")
_WORD_BEFORE = re.compile(r"(\w+)\W*\Z")
# "Apr. 6 and 7" is two days; "Apr. 6 and 7 vessels" is a day and a count
_COUNTED_AFTER = re.compile(rf"{SPACE}+(?:[a-z][a-z-]*{SPACE}+)?(?:[a-z][a-z-]*s|people|staff|thousand|million|billion)\b")
_NEXT_WORD = re.compile(rf"{SPACE}+([a-z][a-z-]*)\b")
_NEXT_CAPITALISED = re.compile(rf"{SPACE}+[A-Z][a-z]")
_NOT_PLURALS = {"this", "thus", "across", "plus", "less", "unless", "always", "perhaps", "whereas", "towards", "was",
                "has", "is", "its", "as", "us", "does", "goes"}
# After these a four-digit number followed by a plural noun counts it ("drew 2023 applicants").
_COUNT_LEADS = {"of", "around", "circa", "and", "about", "some", "nearly", "almost", "over", "than", "only", "just",
                "drew", "had", "has", "have", "saw", "took", "won", "got", "employs", "employ", "hired", "trained",
                "received", "attracted", "welcomed", "registered", "recorded", "counted", "enrolled"}


# "asked for 1985 candidates" (but "the forecast for 2026 exports": a year)
_ASKED_FOR = re.compile(r"\b(?:ask(?:s|ed)?|call(?:s|ed)?|appl(?:y|ies|ied)|request(?:s|ed)?|appeal(?:s|ed)?|bid|budget(?:s|ed)?)"
                        r"\s+\Z", re.IGNORECASE)


def year_is_count(text: str, start: int, end: int) -> bool:
    """"a survey of 2000 respondents", "around 1900 people", "the scheme drew 2023
    applicants": a four-digit number after such words and before what it counts is a count."""
    word = _WORD_BEFORE.search(text, max(0, start - 14), start)
    if word is None or (word[1].lower() not in _COUNT_LEADS and not (
            word[1].lower() == "for" and _ASKED_FOR.search(text, max(0, word.start() - 12), word.start()))):
        return False
    after = _NEXT_WORD.match(text, end)
    if after is None:
        return False
    noun = after[1]
    return noun in PLURALS_WITHOUT_S or (
        len(noun) > 3 and noun.endswith("s") and noun not in _NOT_PLURALS and not not_counted(noun))


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


class _Dates:
    """Reads one text's dates against its publication date (`published`, or None)."""

    def __init__(self, text: str, published: date | None, published_precision: str | None):
        self.text = text
        self.published = published
        self.precision = published_precision


    # -- resolving a date without its year

    def _sentence_of(self, start: int, end: int) -> str:
        before = self.text[max(0, start - 300):start]
        cut = max((m.end() for m in _SENTENCE_START.finditer(before)), default=0)
        after = _SENTENCE_START.search(self.text, end, end + 300)  # after the date: "Mar." ends no sentence
        return before[cut:] + self.text[start:after.start() if after else end + 300]

    def _clause_before(self, start: int) -> str:
        """The words before `start` back to the start of their clause ("the ministry said on")."""
        window = self.text[max(0, start - 200):start]
        cut = max((m.end() for m in _CLAUSE_START.finditer(window)), default=0)
        return window[cut:]

    def _year_for(self, start: int, end: int, month: int, day: int | None, word: str | None = None) -> int | None:
        """The year of a month (and day) written without one: the latest at or before the
        publication date, or the next after it when the sentence speaks of the future;
        "last March" is before the publication month, "next March" after it."""
        if self.published is None or self.precision not in ("day", "month"):
            return None
        pub = self.published
        pub_day = pub.day if self.precision == "day" else _last_day(pub.year, pub.month)
        if word == "this":
            return pub.year
        if word == "last":
            return pub.year - 1 if month >= pub.month else pub.year
        if word == "next":
            return pub.year + 1 if month <= pub.month else pub.year
        # A verb in the past in the date's own clause dates a past event, whatever the rest of
        # the sentence says ("Japan will finance the ships, the ministers said after talks on
        # Mar. 26"); else a sentence about the future ("will train officers in a course running
        # from Mar. 3") puts the date ahead.
        clause = _SUBCLAUSE.split(self._clause_before(start))[-1]  # "passed in March and which takes effect on"
        if not _PAST.search(clause) and _FUTURE.search(self._sentence_of(start, end)):
            return pub.year + 1 if (month, day or _last_day(pub.year, month)) < (pub.month, pub_day) else pub.year
        return pub.year - 1 if (month, day or 1) > (pub.month, pub_day) else pub.year

    def _relative_year(self, rel: str) -> int | None:
        if self.published is None or self.precision == "unknown":
            return None
        return self.published.year + {"last": -1, "this": 0, "next": 1}[rel.lower()]

    def _published_note(self) -> str:
        return f"the publication date {self.published.isoformat()}" if self.precision == "day" else (
            f"the publication month {self.published:%Y-%m}")

    def _yearless(self, m: re.Match[str], start: int, end: int, months: tuple[int, int | None],
                  days: tuple[int | None, int | None], precision: str) -> Candidate | None:
        """A date whose year is written after it, relative to the time of writing, or not at all."""
        groups = m.groupdict()
        (month, month2), (day, day2) = months, days
        window = max(0, start - 30)
        before = self.text[window:start]
        said = groups.get("rel")  # "June last year"
        last_next = None if said or groups.get("year") else _LAST_NEXT_BEFORE.search(before)  # "last March"
        inferred = False
        if groups.get("year"):
            year, note = int(groups["year"]), None
        elif said:
            year = self._relative_year(said)
            note = (f"{said} year, read against {self._published_note()}" if year is not None
                    else f"'{said} year': year unknown, the document has no publication date")
        else:
            word = last_next["rel"].lower() if last_next else None
            year = self._year_for(start, end, month, day, word)
            inferred = word is None
            if last_next:
                start = window + last_next.start()
            note = ((f"'{word}', read against " if word else "year taken from ") + self._published_note()
                    if year is not None else "year unknown: the document has no publication date")
        relative = bool(said or last_next or _EARLIER_LATER.search(before))
        first = last = None
        if year is not None:
            try:
                first = date(year, month, day or 1)
                if month2 is not None or day2 is not None:
                    end_month = month2 or month
                    last = date(year + (1 if end_month < month else 0), end_month, day2 or 1)
            except ValueError:
                return None
            if last is not None and last <= first:
                return None
        return Candidate("date", start, end, self.text[start:end], date_start=first, date_end=last,
                         date_precision=precision, date_relative=relative, year_inferred=inferred,
                         date_month=month if year is None else None, date_note=note)

    # -- the readers, one per pattern

    def open_range(self, m: re.Match[str]) -> Candidate | None:
        year, start = int(m["year"]), m.start()
        before = _MONTH_BEFORE.search(self.text, max(0, start - 12), start)  # "March 2020 - present"
        month = _month(before["month"]) if before else None
        start = before.start() if before else start
        return Candidate("date", start, m.end(), self.text[start:m.end()], date_start=date(year, month or 1, 1),
                         date_precision="month" if month else "year", date_open_end=True, date_note="to the present")

    def month_day(self, m: re.Match[str]) -> Candidate | None:
        if m["day2"] and not m["month2"] and not m["year"] and m["sep"].strip() in ("to", "and", "until", "through") and (
                int(m["day2"]) <= int(m["day"]) or _COUNTED_AFTER.match(self.text, m.end("day2"))):
            return self._single_month_day(m)  # "on Mar. 4 to 20 vessels": the second number counts
        if m["sep"] and m["sep"].strip() == "and" and m["month2"] and not self._between(m.start()):
            return self._single_month_day(m)  # "Nov. 18 and Dec. 20": two dates
        months = (_month(m["month"]), _month(m["month2"]) if m["month2"] else None)
        days = (int(m["day"]), int(m["day2"]) if m["day2"] else None)
        if m["month2"] and not m["day2"]:
            return None
        return self._yearless(m, m.start(), m.end(), months, days, "day")

    def _single_month_day(self, m: re.Match[str]) -> Candidate | None:
        end = m.end("day")
        single = re.match(rf"(?P<month>{MONTH_AT_WORD}){SPACE}(?P<day>{_DAY})", self.text[m.start():end])
        if single is None:
            return None
        return self._yearless(single, m.start(), end, (_month(m["month"]), None), (int(m["day"]), None), "day")

    def day_month(self, m: re.Match[str]) -> Candidate | None:
        if "and" in (m["sep"] or "", m["sep2"] or "") and not self._between(m.start()):
            return None
        month = _month(m["month"])
        if m["day3"]:
            months, days = (month, _month(m["month2"])), (int(m["day"]), int(m["day3"]))
        else:
            months, days = (month, None), (int(m["day"]), int(m["day2"]) if m["day2"] else None)
        return self._yearless(m, m.start(), m.end(), months, days, "day")

    def iso_day(self, m: re.Match[str]) -> Candidate | None:
        try:
            start = date(int(m["year"]), int(m["mnum"]), int(m["day"]))
        except ValueError:
            return None
        return Candidate("date", m.start(), m.end(), m[0], date_start=start, date_precision="day")

    def month_range(self, m: re.Match[str]) -> Candidate | None:
        if m["sep"].strip() == "and" and not self._between(m.start()):
            return None
        return self._yearless(m, m.start(), m.end(), (_month(m["month"]), _month(m["month2"])), (None, None), "month")

    def month_year(self, m: re.Match[str]) -> Candidate | None:
        return Candidate("date", m.start(), m.end(), m[0], date_start=date(int(m["year"]), _month(m["month"]), 1),
                         date_precision="month")

    def decade(self, m: re.Match[str]) -> Candidate | None:
        year = int(m["year"])
        if year % 10:
            return None  # "1995s" is no decade
        part = _PART_BEFORE.search(self.text, max(0, m.start() - 12), m.start())
        if part is None:
            return Candidate("date", m.start(), m.end(), m[0], date_start=date(year, 1, 1), date_precision="decade")
        word = part["part"].lower()
        first, last = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[word]
        return Candidate("date", part.start(), m.end(), self.text[part.start():m.end()],
                         date_start=date(year + first, 1, 1), date_end=date(year + last, 1, 1), date_precision="year",
                         date_qualifier=word, date_note=f"{word} {year}s: {year + first} to {year + last}")

    def year_range(self, m: re.Match[str]) -> Candidate | None:
        year = int(m["year"])
        groups = m.groupdict()
        if groups.get("yy"):
            end_year = year // 100 * 100 + int(groups["yy"])
            end_year += 100 if end_year <= year else 0
            if end_year - year > 30:
                return None
        else:
            end_year = int(groups["year2"])
        if end_year < year:
            return None
        fiscal = _FISCAL_BEFORE.search(self.text, max(0, m.start() - 14), m.start())
        if fiscal is not None and groups.get("yy") and end_year == year + 1:
            return self._fiscal(fiscal.start(), m.end(), year)
        return Candidate("date", m.start(), m.end(), m[0], date_start=date(year, 1, 1), date_end=date(end_year, 1, 1),
                         date_precision="year")

    year_span = year_range  # the same read, for the patterns that begin with the year

    def fiscal_year(self, m: re.Match[str]) -> Candidate | None:
        year = int(m["year"])
        if m["yy"]:
            end_year = year // 100 * 100 + int(m["yy"])
            end_year += 100 if end_year <= year else 0
            if end_year != year + 1:
                return None
        return self._fiscal(m.start(), m.end(), year)

    def _fiscal(self, start: int, end: int, year: int) -> Candidate:
        """A Japanese fiscal year: April of the year to March of the next."""
        return Candidate("date", start, end, self.text[start:end], date_start=date(year, 4, 1),
                         date_end=date(year + 1, 3, 1), date_precision="month", date_qualifier="fiscal-year",
                         date_note=f"Japanese fiscal year {year}: April {year} to March {year + 1}")

    def month_alone(self, m: re.Match[str]) -> Candidate | None:
        word = m["month"]
        if word == "May" and (m.start() == 0 or self.text[m.start() - 1] in "\n\"“" or
                              self.text[max(0, m.start() - 2):m.start()] in (". ", "? ", "! ")):
            return None  # "May we ...": a sentence's first word is read as the verb
        if not m.groupdict().get("rel") and _NEXT_CAPITALISED.match(self.text, m.end()):
            return None  # "April Tan", "June Bulletin": a name
        return self._yearless(m, m.start(), m.end(), (_month(word), None), (None, None), "month")

    def today(self, m: re.Match[str]) -> Candidate | None:
        known = self.precision == "day"
        return Candidate("date", m.start(), m.end(), m[0], date_start=self.published if known else None,
                         date_precision="day", date_relative=True,
                         date_note=f"'today', read as {self._published_note()}" if known
                         else "'today': unknown, the document has no publication day")

    def relative(self, m: re.Match[str]) -> Candidate | None:
        word = m[0].split()[0].lower()
        if m["fiscal"]:
            if self.published is None or self.precision not in ("day", "month"):
                return Candidate("date", m.start(), m.end(), m[0], date_precision="month", date_relative=True,
                                 date_qualifier="fiscal-year",
                                 date_note=f"'{m[0].lower()}': unknown, the document has no publication date")
            current = self.published.year - (1 if self.published.month < 4 else 0)
            found = self._fiscal(m.start(), m.end(), current + {"last": -1, "this": 0, "next": 1}[word])
            found.date_relative = True
            found.date_note += f", read against {self._published_note()}"
            return found
        if m["unit"] == "year":
            year = self._relative_year(word)
            note = (f"{m[0].lower()}, read against {self._published_note()}" if year is not None
                    else f"'{m[0].lower()}': year unknown, the document has no publication date")
            return Candidate("date", m.start(), m.end(), m[0], date_start=date(year, 1, 1) if year else None,
                             date_precision="year", date_relative=True, date_note=note)
        if self.published is None or self.precision not in ("day", "month"):
            return Candidate("date", m.start(), m.end(), m[0], date_precision="month", date_relative=True,
                             date_note=f"'{m[0].lower()}': unknown, the document has no publication date")
        shift = {"last": -1, "this": 0, "next": 1}[word]
        months = self.published.year * 12 + self.published.month - 1 + shift
        return Candidate("date", m.start(), m.end(), m[0], date_start=date(months // 12, months % 12 + 1, 1),
                         date_precision="month", date_relative=True,
                         date_note=f"{m[0].lower()}, read against {self._published_note()}")

    def year(self, m: re.Match[str]) -> Candidate | None:
        start, end = m.span()
        before = self.text[max(0, start - 30):start]
        if _CURRENCY_BEFORE.search(before) or year_is_count(self.text, start, end):
            return None
        fiscal = _FISCAL_BEFORE.search(before)
        if fiscal is not None:
            return self._fiscal(start - len(fiscal[0]), end, int(m["year"]))
        capitalised = _CAPITALISED_BEFORE.search(before)
        if capitalised is not None and capitalised["word"] not in _OPENERS:
            return None  # "Regional Outlook Survey 2025": the year is part of the name
        return Candidate("date", start, end, m[0], date_start=date(int(m["year"]), 1, 1), date_precision="year")

    # -- helpers

    def _between(self, start: int) -> bool:
        return bool(re.search(rf"\b[Bb]etween{SPACE}+\Z", self.text[max(0, start - 10):start]))


_YEAR_START = re.compile(YEAR_AT_WORD)
_MONTH_START = re.compile(MONTH_AT_WORD)
# What the patterns read by each method begin with (the others are scanned for whole).
_ANCHORS = {"open_range": "year", "month_day": "month", "iso_day": "year", "month_range": "month",
            "month_year": "month", "decade": "year", "year_span": "year", "month_alone": "month", "year": "year"}


def find_dates(text: str, published: date | None = None, published_precision: str | None = None) -> list[Candidate]:
    """Every date in `text`, in order. `published` (with its precision, "day" or "month")
    resolves dates written without a year or relative to the time of writing."""
    reader = _Dates(text, published, published_precision if published else None)
    found: list[Candidate] = []
    taken = SpanSet()
    # Most patterns begin with a year or a month name: those are found once, and each such
    # pattern is tried only where one stands (a dozen scans of a long text cost more).
    starts = {"year": [m.start() for m in _YEAR_START.finditer(text)],
              "month": [m.start() for m in _MONTH_START.finditer(text)]}
    for pattern, how in _PATTERNS:
        read = getattr(_Dates, how)
        anchor = _ANCHORS.get(how)
        matches = pattern.finditer(text) if anchor is None else filter(None, map(
            lambda at, match=pattern.match: match(text, at), starts[anchor]))
        for m in matches:
            if taken.overlaps(m.start(), m.end()):
                continue
            candidate = read(reader, m)
            if candidate is None or taken.overlaps(candidate.start, candidate.end):
                continue
            found.append(candidate)
            taken.add(candidate.start, candidate.end)
    datelines = SpanSet(m.span("date") for m in PRESS_DATELINE.finditer(text))
    return sorted((c for c in found if not datelines.overlaps(c.start, c.end)), key=lambda c: c.start)
