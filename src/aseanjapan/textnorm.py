"""Text normalisation, hashing and paragraph numbering shared by every source.

A document's stored text is its normalised text; its hash is the SHA-256 of that
text; paragraph N is its N-th non-blank line. Character spans index the same text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def content_sha256(normalised_text: str) -> str:
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, in order; paragraph N is item N-1."""
    spans = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans


def paragraph_at(text: str, offset: int) -> int | None:
    """The 1-based paragraph number containing a character offset."""
    for number, (start, end) in enumerate(paragraph_spans(text), start=1):
        if start <= offset <= end:
            return number
    return None
