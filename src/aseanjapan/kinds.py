"""The kinds of record, each defined once: what commands call it, where it is stored, how
documents cite it, what a listing of it holds.

Everything that goes by kind (queries, cards, lookups, loading, search, export) reads it
from here; a newcomer finds a kind's facts in one place. Migrations keep their own
definitions: they describe the schema as it was, not as this module says it is now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import vocab


@dataclass(frozen=True, eq=False)  # one object per kind: compared and hashed by identity
class Kind:
    name: str  # singular: `aj show statistic`, a search entry's kind, `statistic_id` columns
    plural: str  # `aj query statistics`, a bundle's section
    table: str
    title: str  # a heading over a list of them: "Policy areas"
    # The column, besides the slug, a user may name a record by (None: the slug and other names only).
    label: str | None = "name"
    must_cite: bool = False  # a bundle's record needs at least one citation
    named: bool = False  # has other names (aliases, acronyms, expansions) in `names`
    # `aj query` rows' fields, in order (a CSV header even when nothing matches), and those a
    # terminal table shows.
    fields: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    # Filters whose values come from a fixed vocabulary (vocab.py): a typo is an error, not 0 rows.
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def id_column(self) -> str:
        """The column that points at a record of this kind, in `citations`, `names` and link tables."""
        return f"{self.name}_id"

    @property
    def cited(self) -> bool:
        """Documents cite it: `citations` has a column for it."""
        return self in CITED

    @property
    def article(self) -> str:
        return "an" if self.name[0] in "aeiou" else "a"


DOCUMENT = Kind(
    "document", "documents", "documents", "Documents", label="title",
    fields=("slug", "title", "kind", "authors", "publisher", "published", "url", "citations", "has_text"),
    columns=("slug", "title", "kind", "authors", "published", "citations"),
    choices={"kind": vocab.DOCUMENT_KINDS},
)
ACTOR = Kind(
    "actor", "actors", "actors", "Actors", named=True,
    fields=("slug", "name", "kind", "country", "aliases", "affiliations", "cited_by", "sources"),
    columns=("slug", "name", "kind", "country", "cited_by"),
    choices={"kind": vocab.ACTOR_KINDS},
)
INITIATIVE = Kind(
    "initiative", "initiatives", "initiatives", "Initiatives", named=True,
    fields=("slug", "name", "acronym", "kind", "status", "started", "areas", "participants", "cited_by", "sources"),
    columns=("slug", "name", "acronym", "kind", "status", "areas", "cited_by"),
    choices={"kind": vocab.INITIATIVE_KINDS, "status": vocab.INITIATIVE_STATUSES},
)
CLAIM = Kind(
    "claim", "claims", "claims", "Claims", label=None, must_cite=True,
    fields=("slug", "kind", "text", "holders", "actors", "initiatives", "areas", "cited_by", "sources"),
    columns=("slug", "kind", "text", "holders", "cited_by"),
    choices={"kind": vocab.CLAIM_KINDS},
)
STATISTIC = Kind(
    "statistic", "statistics", "statistics", "Statistics", label=None, must_cite=True,
    fields=("slug", "value", "value_high", "unit", "approximation", "display", "metric", "subject", "population",
            "population_actor", "period", "origin", "areas", "reported_as", "cited_by", "sources", "origin_source"),
    columns=("slug", "display", "metric", "subject", "population", "period", "origin", "cited_by"),
    choices={"unit": vocab.UNITS},
)
EVENT = Kind(
    "event", "events", "events", "Events", label="title", must_cite=True,
    fields=("slug", "date", "precision", "title", "kind", "actors", "initiatives", "areas", "cited_by", "sources"),
    columns=("date", "title", "kind", "actors", "cited_by"),
    choices={"kind": vocab.EVENT_KINDS},
)
AREA = Kind(
    "area", "areas", "policy_areas", "Policy areas",
    fields=("slug", "name", "parent", "description", "records"),
    columns=("slug", "name", "parent", "records"),
)
METRIC = Kind(
    "metric", "metrics", "metrics", "Metrics", named=True,
    fields=("slug", "name", "unit", "description", "statistics", "aliases"),
    columns=("slug", "name", "unit", "statistics"),
    choices={"unit": vocab.UNITS},
)
# Figures proposed from added sources, waiting for review: a bundle section and a table,
# not a type of record that commands list or show.
CANDIDATE = Kind("candidate", "candidates", "candidates", "Candidates", label=None)

# The types of record, in the order commands list them.
RECORDS = (DOCUMENT, ACTOR, INITIATIVE, CLAIM, STATISTIC, EVENT, AREA, METRIC)
# A bundle's sections in the order a load writes them: each after the records it refers to.
LOAD_ORDER = (AREA, ACTOR, DOCUMENT, METRIC, INITIATIVE, CLAIM, STATISTIC, EVENT, CANDIDATE)
# What full-text search finds, in the order the index is written (a tie in rank goes to the
# entry written first). Areas are filters, not hits (search_index.compose says why).
SEARCHED = (CLAIM, STATISTIC, INITIATIVE, ACTOR, EVENT, DOCUMENT)
# What documents cite, in the order a load writes citations.
CITED = (CLAIM, STATISTIC, EVENT, INITIATIVE, ACTOR)

_BY_NAME = MappingProxyType({k.name: k for k in LOAD_ORDER} | {k.plural: k for k in LOAD_ORDER})


def kind(name: str) -> Kind:
    """The kind a program names, singular or plural ("statistic", "statistics"); KeyError otherwise."""
    return _BY_NAME[name]


def record_type(text: str, allowed: tuple[str, ...] | None = None, label: str = "type", plural: bool = False) -> str:
    """The singular record type `text` names, in either number and any case ("Claims" ->
    "claim"), one of `allowed` (singular) when given. Anything else is a usage error naming
    the choices (plural ones with `plural`) and the closest of them."""
    from .errors import UsageError
    from .spelling import choices_hint

    choices = allowed or tuple(k.name for k in RECORDS)
    folded = text.strip().lower()
    singular = next((k.name for k in RECORDS if folded in (k.name, k.plural)), None)
    if singular in choices:
        return singular
    shown = [kind(c).plural for c in choices] if plural else list(choices)
    what = "not a record type" if singular is None else "not one of the types here"
    raise UsageError(f"{label}: {text!r} is {what}{choices_hint(folded, shown)}")
