"""Proposing candidate records from a source's text: figures, dates, known and unknown names.

Every candidate carries its exact span in the text: `text[start:end] == candidate.text`,
always. Nothing here touches the database.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable

from ..dates import FuzzyDate
from ..textnorm import paragraph_spans
from .dates import find_dates
from .figures import find_figures, promotion_spans
from .names import KnownName, find_known, find_unknown, linked_variants, outside_names, places_not_actors
from .spans import Candidate, SentenceContext

__all__ = ["Candidate", "KnownName", "extract", "find_dates", "find_figures", "find_known", "find_unknown"]


def extract(text: str, names: Iterable[KnownName] = (), published: FuzzyDate | None = None) -> list[Candidate]:
    """All candidates in a text, in order, each with its sentence and paragraph. Dates
    written without a year or relative to the time of writing are read against
    `published`, the document's publication date, when it is known to the month or day."""
    # Extraction makes a few hundred thousand small objects (matches, spans, candidates) that
    # hold no reference cycles and live until it returns; the cyclic collector, run every
    # few hundred allocations, would only scan them again and again (a tenth of the time on
    # a text of a few MB). It is paused meanwhile, and restored as it was.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _extract(text, names, published)
    finally:
        if collecting:
            gc.enable()


def _extract(text: str, names: Iterable[KnownName], published: FuzzyDate | None) -> list[Candidate]:
    paragraphs = paragraph_spans(text)
    known_to = published.precision if published is not None and published.start is not None else None
    dates = find_dates(text, published.start if known_to else None, known_to)
    figures = find_figures(text, dates)
    names = list(names)
    known = find_known(text, names, [(c.start, c.end) for c in figures + dates])
    places = places_not_actors(known, text)  # "near Tokyo": the city, proposed as an unknown place
    known = [c for c in known if c not in places]
    entities = find_unknown(text, known + figures + dates, paragraphs, promotion_spans(text))
    unknown, variants = linked_variants(entities, names)  # "Official Development Aid": the known ODA
    known = outside_names(known, entities) + variants
    candidates = sorted(dates + figures + known + unknown, key=lambda c: (c.start, c.end, c.kind))
    context = SentenceContext(text, paragraphs)
    for c in candidates:
        c.context, c.paragraph = context(c.start, c.end)
    return candidates
