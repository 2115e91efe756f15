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
# What the extractor proposes, and where a proposal stands in review.
CANDIDATE_KINDS = ("statistic", "actor", "initiative", "date", "entity")
CANDIDATE_STATUSES = ("pending", "accepted", "rejected")
