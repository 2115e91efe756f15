"""Which known values a mistyped one was probably meant to be: one rule for every
"(closest: ...)" and "did you mean" hint."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

_WORD_BREAKS = re.compile(r"[\W_]+")


def _words(text: str) -> list[str]:
    return [w for w in _WORD_BREAKS.split(text.lower()) if w]


def _part_score(typed: str, typed_words: list[str], choice: str) -> float:
    """How alike `typed` is to the start of `choice` or to a run of its words as long as the
    typed value: 'maritme' is close to 'maritime-security', 'rising sun' to
    'hong-rising-sun-tropical-east'."""
    lowered = choice.lower()
    best = 1.0 if len(typed) >= 3 and lowered.startswith(typed) else 0.0
    words, width = _words(choice), len(typed_words)
    joined = " ".join(typed_words)
    for start in range(len(words) - width + 1 if typed_words and len(words) > width else 0):
        part = SequenceMatcher(None, joined, " ".join(words[start:start + width]))
        if part.real_quick_ratio() > best and part.quick_ratio() > best:
            best = max(best, part.ratio())
    return best


def closest(typed: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to `n` choices spelt most like `typed`, in any case, best first (ties keep the
    choices' order). Choices spelt like the whole value come first; only when there are
    none, those that start with it or have words spelt like it. Nothing when no choice is
    at least `cutoff` alike."""
    wanted = typed.strip().lower()
    if not wanted:
        return []
    unique = list(dict.fromkeys(choices))
    scored = []
    for order, choice in enumerate(unique):
        matcher = SequenceMatcher(None, wanted, choice.lower())
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            score = matcher.ratio()
            if score >= cutoff:
                scored.append((-score, order, choice))
    if not scored:
        typed_words = _words(wanted)
        for order, choice in enumerate(unique):
            score = _part_score(wanted, typed_words, choice)
            if score >= cutoff:
                scored.append((-score, order, choice))
    return [choice for _, _, choice in sorted(scored)[:n]]


def choices_hint(value: str, allowed: Iterable[str]) -> str:
    """' (closest: fund); choose one of: agreement, framework, ...': the tail of an error
    about a value outside a fixed set."""
    allowed = list(allowed)
    close = closest(value, allowed)
    return (f" (closest: {', '.join(close)})" if close else "") + f"; choose one of: {', '.join(allowed)}"
