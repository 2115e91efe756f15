"""A stored text cut into paragraphs and pieces for highlighting: which spans (citations or
candidates) cover each piece. Pure presentation: the spans come from the library."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..textnorm import paragraph_spans


@dataclass
class Piece:
    start: int
    text: str
    spans: list[dict[str, Any]] = field(default_factory=list)  # those covering it, shortest first
    anchors: list[str] = field(default_factory=list)  # ids of the spans that start here


@dataclass
class Paragraph:
    number: int
    start: int
    pieces: list[Piece]
    spans: list[dict[str, Any]]  # every span that starts in it


def span_id(start: int, end: int) -> str:
    return f"s-{start}-{end}"


def cut(text: str, spans: list[dict[str, Any]]) -> list[Paragraph]:
    """Paragraph N (as citations number them) with its pieces; a span is a dict with
    char_start and char_end (others keys are kept for the page)."""
    usable = [s for s in spans if 0 <= s["char_start"] < s["char_end"] <= len(text)]
    out = []
    for number, (p_start, p_end) in enumerate(paragraph_spans(text), start=1):
        inside = [s for s in usable if s["char_start"] < p_end and s["char_end"] > p_start]
        cuts = {p_start, p_end}
        for s in inside:
            cuts.add(max(p_start, s["char_start"]))
            cuts.add(min(p_end, s["char_end"]))
        edges = sorted(cuts)
        pieces = []
        for a, b in zip(edges, edges[1:]):
            covering = sorted((s for s in inside if s["char_start"] <= a and s["char_end"] >= b),
                              key=lambda s: s["char_end"] - s["char_start"])
            anchors = list(dict.fromkeys(span_id(s["char_start"], s["char_end"]) for s in inside if s["char_start"] == a))
            pieces.append(Piece(a, text[a:b], covering, anchors))
        out.append(Paragraph(number, p_start, pieces, [s for s in inside if s["char_start"] >= p_start]))
    return out
