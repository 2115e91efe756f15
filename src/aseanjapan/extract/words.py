"""Vocabulary more than one finder reads: month names, where years and months start, scale
words and the plural nouns a number counts."""

from __future__ import annotations

from .spans import word_initial

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"

YEAR = r"(?:1[89]\d\d|20\d\d)"
# The same at the start of a word, written to be found fast (see word_initial).
YEAR_AT_WORD = word_initial("1[89]", "20") + r"\d\d"
MONTH_AT_WORD = word_initial("Jan(?:uary)?", "Feb(?:ruary)?", "Mar(?:ch)?", "Apr(?:il)?", "May", "June?", "July?",
                             "Aug(?:ust)?", "Sep(?:t(?:ember)?)?", "Oct(?:ober)?", "Nov(?:ember)?",
                             "Dec(?:ember)?") + r"\.?"
DIGIT_AT_WORD = r"\d(?<!\w\d)"

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "mn": 1e6,
          "tn": 1e12, "k": 1e3}
PLURALS_WITHOUT_S = ("people", "staff", "personnel", "children", "men", "women", "memoranda", "criteria", "alumni")


def not_counted(noun: str) -> bool:
    """Durations, scale words and currencies after a number are not things counted ("six months",
    "5 million", "500 million Hong Kong dollars")."""
    noun = noun.lower()
    return (noun in ("months", "weeks", "days", "hours") or (noun.split()[0] in SCALES and noun != "years")
            or noun.split()[-1] in ("dollars", "euros", "pesos", "rupees", "pounds"))  # other currencies
