"""Controlled vocabularies shared by the bundle format, the loader and the CLI.

Closed sets that are unlikely to grow (precision, claim kinds, approximation marks...)
are also CHECK constraints in the schema; open sets (document or actor kinds, units)
are enforced by the loader only, so adding a value needs no migration.
"""

from __future__ import annotations


DOCUMENT_KINDS = (
    "op-ed", "interview", "panel-summary", "analysis", "newsletter", "news",
    "survey-report", "report", "speech", "statement", "book", "web-page", "other",
)
ACTOR_KINDS = (
    "country", "regional-organisation", "international-organisation", "government",
    "government-body", "institute", "university", "company", "person", "forum", "media",
    "group", "other",
)
INITIATIVE_KINDS = (
    "agreement", "framework", "programme", "fund", "exercise", "partnership", "strategy",
    "dialogue", "institution", "project", "proposal", "operation", "other",
)
INITIATIVE_STATUSES = ("proposed", "planned", "active", "concluded", "unknown")
PARTICIPANT_ROLES = ("lead", "partner", "member", "recipient", "funder", "host", "implementer", "observer")
EVENT_KINDS = (
    "summit", "meeting", "agreement", "upgrade", "announcement", "establishment", "exercise",
    "speech", "publication", "delivery", "operation", "award", "other",
)
CLAIM_KINDS = ("fact", "assessment", "recommendation", "forecast")
NAME_KINDS = ("acronym", "expansion", "alias", "former")
APPROXIMATIONS = ("exact", "about", "nearly", "over", "under", "at-least", "up-to")
UNITS = ("percent", "percentage-points", "usd", "jpy", "eur", "sgd", "count", "years", "rank", "ratio")
CLAIM_RELATIONS = ("supports", "contradicts", "qualifies")

# The types of record, as commands name them: `aj show initiative`, `aj query initiatives`;
# either form is accepted wherever a type is asked for.
RECORD_TYPES = {"document": "documents", "actor": "actors", "initiative": "initiatives", "claim": "claims",
                "statistic": "statistics", "event": "events", "area": "areas", "metric": "metrics"}


def record_type(text: str, allowed: tuple[str, ...] | None = None, label: str = "type", plural: bool = False) -> str:
    """The singular record type `text` names, in either number and any case ("Claims" ->
    "claim"), one of `allowed` (singular) when given. Anything else is a usage error naming
    the choices (plural ones with `plural`) and the closest of them."""
    from .errors import UsageError
    from .spelling import choices_hint

    choices = allowed or tuple(RECORD_TYPES)
    folded = text.strip().lower()
    singular = next((s for s, p in RECORD_TYPES.items() if folded in (s, p)), None)
    if singular in choices:
        return singular
    shown = [RECORD_TYPES[c] for c in choices] if plural else list(choices)
    what = "not a record type" if singular is None else "not one of the types here"
    raise UsageError(f"{label}: {text!r} is {what}{choices_hint(folded, shown)}")
