"""Finding quoted words in a stored text: a citation given by quote, resolved to its span.

A quote has the shape of the W3C Web Annotation TextQuoteSelector: the exact words, and
optionally a `prefix` (the words just before) and a `suffix` (just after) that tell
repeated words apart. Matching forgives what copying from a browser, a PDF or a word
processor changes (runs of whitespace and line breaks, typographic quotes, apostrophes,
dashes and ellipses) and nothing else: letters, digits and case must be as the text has
them. A quote that is not found, or found more than once with nothing to choose between
the places, is an error; the caller adds where it was given. Bundles, review and the web
view resolve quotes here and store the span as offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Characters a copy may have changed, each with the forms it may appear in.
_SAME = {
    "'": "'\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4",
    '"': '"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb',
    "-": "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
}
_CLASS_OF = {ch: key for key, forms in _SAME.items() for ch in forms}
_ELLIPSIS = ("...", "\u2026")
# Whitespace, including the no-break and thin spaces typography inserts.
_SPACE = r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+"


class QuoteError(ValueError):
    """A quote that names no single place in the text (the message says why)."""


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str | None = None
    suffix: str | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    paragraph: int  # 1-based, as citations count paragraphs (textnorm.paragraph_spans)
    text: str  # the words as the stored text has them


def _pattern(words: str) -> str:
    """A regular expression matching `words` with the tolerated differences."""
    words = unicodedata.normalize("NFC", words)
    out, i = [], 0
    while i < len(words):
        ch = words[i]
        if words.startswith("...", i) or ch == "\u2026":
            out.append("(?:\\.\\.\\.|\u2026)")
            i += 3 if ch == "." else 1
            continue
        if ch.isspace() or ch in "\u00a0\u202f":
            while i < len(words) and (words[i].isspace() or words[i] in "\u00a0\u202f"):
                i += 1
            out.append(_SPACE)
            continue
        key = _CLASS_OF.get(ch)
        out.append("[" + re.escape(_SAME[key]) + "]" if key else re.escape(ch))
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def _compiled(words: str) -> re.Pattern[str]:
    return re.compile(_pattern(words))


def _occurrences(text: str, words: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Every place `words` occurs in text[start:end], overlapping places included."""
    pattern, found, at = _compiled(words), [], start
    end = len(text) if end is None else end
    while (match := pattern.search(text, at, end)) is not None:
        found.append(match.span())
        at = match.start() + 1
    return found


def _before_ok(text: str, start: int, prefix: str) -> bool:
    """Whether the text just before `start` ends with the prefix (spaces at the join forgiven)."""
    prefix = prefix.strip()
    if not prefix:
        return True
    head = text[max(0, start - 4 * len(prefix) - 200):start].rstrip()
    return re.search("(?:" + _pattern(prefix) + ")$", head) is not None


def _after_ok(text: str, end: int, suffix: str) -> bool:
    suffix = suffix.strip()
    if not suffix:
        return True
    tail = text[end:end + 4 * len(suffix) + 200].lstrip()
    return _compiled(suffix).match(tail) is not None


def find(text: str, quote: Quote, paragraph: int | None = None) -> Span:
    """The one place in `text` the quote names. `paragraph` (1-based), when given, is where
    to look. Raises QuoteError when there is no such place, or more than one."""
    from .textnorm import paragraph_spans

    exact = quote.exact.strip()
    if not exact:
        raise QuoteError("the quote is empty")
    spans = paragraph_spans(text)
    lo, hi = 0, len(text)
    if paragraph is not None:
        if not 1 <= paragraph <= len(spans):
            raise QuoteError(f"paragraph {paragraph} is beyond the end of the text, which has {len(spans)}")
        lo, hi = spans[paragraph - 1]
    places = _occurrences(text, exact, lo, hi)
    where = f" in paragraph {paragraph}" if paragraph is not None else ""
    if not places:
        raise QuoteError(f"the quote {_short(exact)} is not in the text{where}" + _near_miss(text, exact, lo, hi))
    chosen = [(s, e) for s, e in places
              if (quote.prefix is None or _before_ok(text, s, quote.prefix))
              and (quote.suffix is None or _after_ok(text, e, quote.suffix))]
    if not chosen:
        given = " and ".join(f"{name} {_short(value)}" for name, value in (("prefix", quote.prefix), ("suffix", quote.suffix))
                             if value is not None)
        raise QuoteError(f"the quote {_short(exact)} occurs {_times(len(places))}{where}, never with {given}"
                         + (f" ({_paragraph_list(spans, places)})" if paragraph is None else ""))
    if len(chosen) > 1:
        places = f" ({_paragraph_list(spans, chosen)})" if paragraph is None else ""
        choose = "prefix or suffix (the words just before or after it)" + (" or a paragraph" if paragraph is None else "")
        raise QuoteError(f"the quote {_short(exact)} occurs {_times(len(chosen))}{where}{places}: add {choose} to choose one")
    start, end = chosen[0]
    return Span(start, end, _paragraph_of(spans, start), text[start:end])


def same_words(a: str, b: str) -> bool:
    """Whether two texts are the same words, with the differences quoting forgives."""
    return _compiled(b.strip()).fullmatch(a.strip()) is not None if b.strip() else not a.strip()


def _paragraph_of(spans: list[tuple[int, int]], at: int) -> int:
    for n, (start, end) in enumerate(spans, start=1):
        if start <= at <= end:
            return n
    return len(spans)


def _paragraph_list(spans: list[tuple[int, int]], places: list[tuple[int, int]]) -> str:
    numbers = list(dict.fromkeys(_paragraph_of(spans, s) for s, _ in places))
    return ("paragraph " if len(numbers) == 1 else "paragraphs ") + ", ".join(map(str, numbers))


def _near_miss(text: str, exact: str, lo: int, hi: int) -> str:
    """A hint when the words are there in other letter case (which is not forgiven)."""
    match = re.search(_pattern(exact), text[lo:hi], re.IGNORECASE)
    return f" (it has {_short(match.group(0))}, in other letter case)" if match else ""


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{n} times" if n != 1 else "once"


def _short(words: str, limit: int = 60) -> str:
    words = " ".join(words.split())
    return repr(words if len(words) <= limit else words[: limit - 3] + "...")
