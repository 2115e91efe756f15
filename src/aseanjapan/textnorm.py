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
    """A one-line value a reader tells records apart by (a name, title, author, URL): in NFC,
    without control characters or invisible format characters (zero-width spaces and
    joiners, soft hyphens, bidirectional marks and overrides, byte order marks), with single
    spaces. "Japan", "Ja\u200bpan" and an NFD spelling are then one name. The name
    normaliser of every entry point: bundles, `aj source add`, review, lookups."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\t\n\r")
    cleaned = _FIELD_SPACE.sub(" ", text).strip()
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



# What must not reach a terminal raw: C0 controls other than newline and tab (ESC starts
# colour, cursor and window-title sequences; CR and backspace overwrite what was shown), DEL,
# C1 controls (8-bit CSI and OSC), the bidirectional marks, overrides and isolates that
# reorder what is shown, and lone surrogates (bytes of a name that is not UTF-8).
_TERMINAL_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[{_TERMINAL_UNSAFE}]")
_UNSAFE_ON_ONE_LINE = re.compile(f"[{_TERMINAL_UNSAFE}\n\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    if char == "\n":
        return "\\n"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def storable(text: str | None, what: str) -> str | None:
    """Free text a command writes as given (a note): refused, with one clear line, when one
    of the two databases could not store it (NUL for PostgreSQL, lone surrogates for both)."""
    from .errors import ValidationError

    if text is not None and ("\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)):
        raise ValidationError([f"{what}: holds a NUL character or bytes that are not UTF-8, which cannot be stored"])
    return text


def for_terminal(text: str) -> str:
    """Text from the database (or a file name) made safe to show on a terminal: control
    characters, bidirectional overrides and lone surrogates become visible escapes (\\x1b,
    \\u202e); newlines and tabs stay. Machine-readable output keeps the data as stored."""
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """`for_terminal`, with newlines (and line separators) escaped too: for error lines and
    messages, which must stay one line."""
    return _UNSAFE_ON_ONE_LINE.sub(_escaped, text) if _UNSAFE_ON_ONE_LINE.search(text) else text


# In JSON text these characters can only stand inside strings: written as \u escapes, the
# data reads back the same and nothing reaches a terminal raw (`cat out.json`). json.dumps
# already escapes C0 controls.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def json_text(value: object, indent: int | None = None) -> str:
    """JSON for aj's outputs: UTF-8 text as it is, except the characters `for_terminal` would
    escape, written as \\u escapes (the same data to any JSON reader)."""
    import json

    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) if _JSON_UNSAFE.search(text) else text


def skeleton(name: str) -> str:
    """A name as it looks rather than as it is spelt: each letter that looks like Latin
    letters (Cyrillic а, Greek Ο, ...) replaced by them, in lower case, after clean_field.
    Two names with one skeleton are told apart by no reader. The look-alikes are Unicode's
    confusables (UTS #39), as the confusable-homoglyphs package ships them."""
    cleaned = (clean_field(name) or "").lower()
    if cleaned.isascii():
        return cleaned
    from confusable_homoglyphs.confusables import confusables_data

    out = []
    for char in cleaned:
        latin = char if char.isascii() else next(
            (g["c"] for g in confusables_data.get(char, ()) if g["c"].isascii()), char)
        out.append(latin)
    return "".join(out).lower()
