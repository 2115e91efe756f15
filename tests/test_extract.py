"""The candidate extractor on small texts written for these tests: figures, dates, known and
unknown names. Every candidate's text is its exact span of the text, on one line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aseanjapan.extract import KnownName, extract

KNOWN = [
    KnownName("Japan", "actor", "japan"),
    KnownName("China", "actor", "china"),
    KnownName("Philippines", "actor", "philippines"),
    KnownName("Association of Southeast Asian Nations", "actor", "asean"),
    KnownName("ASEAN", "actor", "asean"),
    KnownName("Japan-ASEAN Ministerial Initiative for Enhanced Defence Cooperation", "initiative", "jasmine"),
    KnownName("JASMINE", "initiative", "jasmine"),
    KnownName("OSA", "initiative", "osa"),
    KnownName("US", "actor", "united-states"),
]


def candidates(text: str, kind: str | None = None) -> list:
    found = extract(text, KNOWN)
    for c in found:
        assert text[c.start:c.end] == c.text
    return [c for c in found if kind is None or c.kind == kind]


def texts(text: str, kind: str | None = None) -> list[str]:
    return [c.text for c in candidates(text, kind)]


def mentions(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.target) for c in candidates(text) if c.kind in ("actor", "initiative")]


def entities(text: str) -> list[tuple[str, str | None]]:
    return [(c.name, c.acronym) for c in candidates(text, "entity")]


def figures(text: str) -> list[tuple[str, float, float | None, str]]:
    return [(c.text, c.value, c.value_high, c.unit) for c in candidates(text, "statistic")]


# ---- spans ------------------------------------------------------------------------------------

def test_no_span_runs_from_a_heading_into_the_next_paragraph():
    text = "Harbour Talks Resume\nPort Authority Board officials met on Tuesday."
    for c in candidates(text):
        assert "\n" not in c.text
    assert ("Authority Board", None) in entities(text)
    assert "about\n40" not in " ".join(texts("They counted about\n40 vessels."))


PIECES = st.sampled_from(["Japan", "ASEAN", "Asean", "OSA", "US$", "A$", "¥", "%", " per cent", "71", "1,200", "22.5",
                          "billion", "more than", "from", " to ", " in ", "2015", "–21", "-", "—", "(", ")", " ", "\n",
                          "\n\n", "The", "Fund", "(MDAF)", "six", "vessels", "people", ", ", " and ", "'s", "e-",
                          "Coast", "Guard", "March 2024", "Ministry", "of", "."])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=30).map("".join))
def test_every_span_is_exact_and_on_one_line(text):
    for c in extract(text, KNOWN):
        assert text[c.start:c.end] == c.text and c.start < c.end
        assert "\n" not in c.text
        if c.kind == "entity":
            assert text[c.start:c.start + len(c.name)] == c.name
