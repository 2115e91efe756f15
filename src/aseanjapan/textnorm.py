"""Text normalisation, hashing and paragraph numbering shared by every source.

A document's stored text is its normalised text; its hash is the SHA-256 of that
text; paragraph N is its N-th non-blank line. Character spans index the same text.

Normalised text holds no C0 control characters other than newline and tab (PostgreSQL
refuses NUL in text, SQLite would keep it), so both backends store the same text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")
# Vertical tab and form feed (a page break in plain text) separate lines; other C0 controls go.
_LINE_CONTROLS = re.compile(r"[\x0b\x0c]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")
_FIELD_SPACE = re.compile(r"[\s\x00-\x1f]+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _CONTROLS.sub("", _LINE_CONTROLS.sub("\n", text))
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def clean_field(text: str | None) -> str | None:
    """A one-line metadata value (title, author, URL): no control characters, single spaces."""
    if text is None:
        return None
    cleaned = _FIELD_SPACE.sub(" ", unicodedata.normalize("NFC", text).replace("\ufeff", "")).strip()
    return cleaned or None


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
