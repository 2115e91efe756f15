"""Access to the five seed articles (../shared/seeds), when they are beside the repository.

The articles are not part of the project (their text must not be copied in); tests use
them, when present, to check that the curated seed data points at the right places.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache
from pathlib import Path

from aseanjapan.textnorm import content_sha256, normalise, paragraph_spans

REPO = Path(__file__).resolve().parent.parent
ARTICLES_DIR = Path(os.environ.get("AJ_SEED_ARTICLES", REPO.parent / "shared" / "seeds"))

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def comparable(text: str) -> str:
    """Case, quote style, dash style and spacing do not matter when matching wording."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", text).strip()


@cache
def articles_by_hash() -> dict[str, list[str]]:
    """content hash -> the article's paragraphs (empty when the articles are absent)."""
    found = {}
    if ARTICLES_DIR.is_dir():
        for path in sorted(ARTICLES_DIR.glob("*.txt")):
            text = normalise(path.read_text(encoding="utf-8"))
            found[content_sha256(text)] = [text[s:e] for s, e in paragraph_spans(text)]
    return found


# Figures: numbers with their %, currency sign or magnitude, and number words.
NUMBER = re.compile(r"(?<![\w.])(?:US)?\$?\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s?%|s\b)?(?![\w])")
NUMBER_WORDS = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|half|two-thirds|one-third|quarter|dozen)\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"^(?:1[89]|20)\d\d(?:s)?$")


def figures_in(paragraph: str) -> list[str]:
    """Figures a curator must account for; bare years and decades are dates, not figures."""
    out = [m.group(0).strip() for m in NUMBER.finditer(paragraph) if not YEAR.match(m.group(0).strip())]
    out += [m.group(0) for m in NUMBER_WORDS.finditer(paragraph)]
    return out


def core(figure: str) -> str:
    """The part of a figure that its `reported_as` wording must contain."""
    return comparable(figure).removeprefix("us").lstrip("$").rstrip("%").strip()
