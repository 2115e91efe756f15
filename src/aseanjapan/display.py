"""Values as a reader writes them: figures, citations and sources.

One definition for every door: listings, cards, charts, search entries and the web view
all show '58.9%', 'hong-rising-sun-tropical-east ¶8' and 'The rising sun in the tropical
East (2024-01-05)' the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

APPROXIMATION_WORDS = {"about": "about ", "nearly": "nearly ", "over": "over ", "under": "under ",
                       "at-least": "at least ", "up-to": "up to ", "exact": ""}
CURRENCY_SIGNS = {"usd": "$", "jpy": "¥", "eur": "€", "sgd": "S$"}
PARAGRAPH_MARK = " ¶"


def number(value: float) -> str:
    """1234.5 -> '1,234.5'; large values in words: 22.5e9 -> '22.5 billion'."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:,.3f}".rstrip("0").rstrip(".") + f" {word}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str, approximation: str = "exact", value_high: float | None = None) -> str:
    """A figure the way a reader writes it: '58.9%', 'over 600 million', '$22.5 billion'."""
    def one(v: float) -> str:
        if unit == "percent":
            return f"{number(v)}%"
        if unit == "percentage-points":
            return f"{number(v)} pp"
        if unit in CURRENCY_SIGNS:
            return f"{CURRENCY_SIGNS[unit]}{number(v)}"
        if unit == "rank":
            return f"#{number(v)}"
        if unit == "years":
            return f"{number(v)} years"
        return number(v)

    shown = one(value) if value_high is None else f"{one(value)}–{one(value_high)}"
    return APPROXIMATION_WORDS.get(approximation, "") + shown


def cite_label(document: str, paragraph: int | None) -> str:
    """A citation as every listing writes it: "document-slug ¶N", or the slug without a paragraph."""
    return f"{document}{PARAGRAPH_MARK}{paragraph}" if paragraph else document


def cited_document(label: str) -> str:
    """The document slug of a `cite_label` (slugs hold no spaces)."""
    return label.split(PARAGRAPH_MARK, 1)[0]


def named_citation(label: str, names: Mapping[str, str]) -> str:
    """A `cite_label` with the document as a reader knows it ('Title (Author, date) ¶8'),
    given those names by document slug."""
    slug = cited_document(label)
    return names.get(slug, slug) + label[len(slug):]


def source_label(title: str, published: str | None, authors: Sequence[str] = ()) -> str:
    """A document as a reader knows it: 'Title (Author, 2024-01-05)', 'Title (undated)'."""
    when = published if published and published != "unknown" else "undated"
    return f"{title} ({', '.join([*authors, when])})"
