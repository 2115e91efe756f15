"""The bundle format: curated records in YAML (or JSON), as in data/seed/.

A bundle is a mapping with any of the sections below; each is a list of records
named by slug. References between records are slugs, resolved against the same
load and the database. The loader (loading/writer.py) enforces what pydantic cannot:
references resolve, slugs are unique, every claim, statistic and event is cited.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .. import vocab
from ..dates import FuzzyDate, parse_fuzzy
from ..kinds import LOAD_ORDER
from ..textnorm import clean_field

def _clean_name(value: str) -> str:
    """A name or title as stored: NFC, no invisible or control characters (textnorm.clean_field)."""
    cleaned = clean_field(value)
    if not cleaned:
        raise ValueError("must not be empty (it holds only spaces or invisible characters)")
    return cleaned


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=160)]
Text = Annotated[str, Field(min_length=1)]
# Lengths match the database columns, so an over-long value fails validation, not the insert.
Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_clean_name)]
Title = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_clean_name)]
Short = Annotated[str, Field(max_length=300)]
# Integers as both databases store them (PostgreSQL's integer; SQLite would take 64 bits).
MAX_INTEGER = 2**31 - 1
Count = Annotated[int, Field(ge=0, le=MAX_INTEGER)]
Paragraph = Annotated[int, Field(ge=1, le=MAX_INTEGER)]
Finite = Annotated[float, Field(allow_inf_nan=False)]


class _Record(BaseModel):
    # Unknown fields are errors (a typo must not vanish); numbers may stand for text.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=False)


# A fuzzy date as text (see dates.py). Checked by pattern here (fast, in pydantic-core);
# calendar validity (no 30 February) is checked with the references, in integrity.py.
DATE_PATTERN = r"^(?:\d{3}0s|\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?|unknown)$"
FuzzyText = Annotated[str | None, Field(default=None, pattern=DATE_PATTERN)]


def _timestamp(value: str | None) -> str | None:
    """An ISO timestamp, kept as text."""
    if value is not None:
        from datetime import datetime

        try:
            datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a timestamp: {value!r} ({exc}; use YYYY-MM-DDTHH:MM:SS)") from None
    return value


class CitationIn(_Record):
    document: Slug
    paragraph: Paragraph | None = None
    char_start: Count | None = None
    char_end: Count | None = None
    # The quoted words instead of a span (W3C TextQuoteSelector: exact, prefix, suffix),
    # resolved against the document's stored text when loaded (integrity.resolve_quotes).
    quote: Annotated[str, Field(min_length=1)] | None = None
    prefix: str | None = None
    suffix: str | None = None
    reported_as: Annotated[str, Field(max_length=500)] | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _span(self) -> CitationIn:
        if (self.char_start is None) != (self.char_end is None):
            raise ValueError("char_start and char_end go together")
        if self.char_start is not None and self.char_start > self.char_end:
            raise ValueError("char_start is after char_end")
        if self.quote is not None and self.char_start is not None:
            raise ValueError("give quote or char_start/char_end, not both")
        if self.quote is None and (self.prefix is not None or self.suffix is not None):
            raise ValueError("prefix and suffix go with a quote")
        return self


class _Cited(_Record):
    citations: list[CitationIn] = Field(default_factory=list)


class CitationRef(CitationIn):
    """A citation given apart from its record, for records defined in another file."""

    claim: Slug | None = None
    statistic: Slug | None = None
    event: Slug | None = None
    initiative: Slug | None = None
    actor: Slug | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> CitationRef:
        given = [k for k in ("claim", "statistic", "event", "initiative", "actor") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("name exactly one of claim, statistic, event, initiative, actor")
        return self

    @property
    def subject(self) -> tuple[str, str]:
        for kind in ("claim", "statistic", "event", "initiative", "actor"):
            if getattr(self, kind):
                return kind, getattr(self, kind)
        raise AssertionError("validated to have a subject")


class NameIn(_Record):
    name: Name
    kind: Literal[vocab.NAME_KINDS]
    document: Slug | None = None
    paragraph: Paragraph | None = None


class AreaIn(_Record):
    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
    name: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_clean_name)]
    parent: Slug | None = None
    description: str | None = None


class AffiliationIn(_Record):
    organisation: Slug
    role: Short = ""


class ActorIn(_Cited):
    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=120)]
    name: Name
    kind: Literal[vocab.ACTOR_KINDS]
    country: Slug | None = None
    description: str | None = None
    names: list[NameIn] = Field(default_factory=list)
    affiliations: list[AffiliationIn] = Field(default_factory=list)


class DocumentIn(_Record):
    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=120)]
    title: Title
    kind: Literal[vocab.DOCUMENT_KINDS]
    authors: list[Slug] = Field(default_factory=list)
    publisher: Slug | None = None
    published: FuzzyText = None
    url: Annotated[str, Field(max_length=2000)] | None = None
    language: Annotated[str, Field(max_length=12)] = "en"
    content_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    summary: str | None = None
    notes: str | None = None
    text: str | None = None
    # Kept from `aj source add`: the author line as the file gives it, the file's name, and when.
    byline: Annotated[str, Field(max_length=500)] | None = None
    source_name: Annotated[str, Field(max_length=500)] | None = None
    added_at: Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d$")] | None = None

    _added = field_validator("added_at")(_timestamp)

    @property
    def published_date(self) -> FuzzyDate:
        return parse_fuzzy(self.published)


class MetricIn(_Record):
    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=120)]
    name: Name
    unit: Literal[vocab.UNITS]
    description: str | None = None
    # Other names for what it measures, as readers and sources word it ("trust").
    names: list[NameIn] = Field(default_factory=list)


class ParticipantIn(_Record):
    actor: Slug
    role: Literal[vocab.PARTICIPANT_ROLES] = "partner"


class InitiativeIn(_Cited):
    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=120)]
    name: Name
    acronym: Annotated[str, Field(max_length=40), AfterValidator(_clean_name)] | None = None
    kind: Literal[vocab.INITIATIVE_KINDS]
    status: Literal[vocab.INITIATIVE_STATUSES] = "unknown"
    started: FuzzyText = None
    areas: list[Slug] = Field(default_factory=list)
    description: str | None = None
    names: list[NameIn] = Field(default_factory=list)
    participants: list[ParticipantIn] = Field(default_factory=list)



class ClaimRelationIn(_Record):
    """This claim supports, contradicts or qualifies another (usually from another source)."""

    kind: Literal[vocab.CLAIM_RELATIONS]
    claim: Slug
    note: str | None = None


class ClaimRelationRef(ClaimRelationIn):
    """A relation given apart from its claims, e.g. curated links between two sources' claims."""

    from_claim: Slug = Field(alias="from")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ClaimIn(_Cited):
    slug: Slug
    text: Text
    kind: Literal[vocab.CLAIM_KINDS]
    holders: list[Slug] = Field(default_factory=list)
    actors: list[Slug] = Field(default_factory=list)
    initiatives: list[Slug] = Field(default_factory=list)
    areas: list[Slug] = Field(default_factory=list)
    relations: list[ClaimRelationIn] = Field(default_factory=list)


class StatisticIn(_Cited):
    slug: Slug
    value: Finite
    value_high: Finite | None = None
    unit: Literal[vocab.UNITS]
    approximation: Literal[vocab.APPROXIMATIONS] = "exact"
    metric: Slug
    subject: Slug | None = None
    population: Short | None = None
    population_actor: Slug | None = None
    period: FuzzyText = None
    period_end: FuzzyText = None
    origin: Slug | None = None
    description: str | None = None
    areas: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _range(self) -> StatisticIn:
        if self.value_high is not None and self.value_high < self.value:
            raise ValueError(f"value_high ({self.value_high:g}) is below value ({self.value:g})")
        return self


class EventIn(_Cited):
    slug: Slug
    title: Title
    kind: Literal[vocab.EVENT_KINDS]
    date: FuzzyText = None
    end_date: FuzzyText = None
    description: str | None = None
    actors: list[Slug] = Field(default_factory=list)
    initiatives: list[Slug] = Field(default_factory=list)
    areas: list[Slug] = Field(default_factory=list)



class CandidateIn(_Record):
    """An extraction candidate and any decision taken on it (exported so nothing is lost)."""

    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=200)]
    document: Slug
    kind: Literal[vocab.CANDIDATE_KINDS]
    status: Literal[vocab.CANDIDATE_STATUSES] = "pending"
    char_start: Count
    char_end: Count
    text: str
    context: str | None = None
    paragraph: Paragraph | None = None
    value: Finite | None = None
    value_high: Finite | None = None
    unit: Annotated[str, Field(max_length=30)] | None = None
    approximation: Literal[vocab.APPROXIMATIONS] | None = None
    counted: Annotated[str, Field(max_length=200)] | None = None
    target: Slug | None = None  # the known actor or initiative proposed
    date: FuzzyText = None
    end_date: FuzzyText = None
    name: Short | None = None
    acronym: Annotated[str, Field(max_length=40)] | None = None
    decided_at: str | None = None
    note: str | None = None
    outcome: Short | None = None


    _decided = field_validator("decided_at")(_timestamp)

    @model_validator(mode="after")
    def _span(self) -> CandidateIn:
        if self.char_start > self.char_end:
            raise ValueError("char_start is after char_end")
        if self.target and self.kind not in ("actor", "initiative"):
            raise ValueError("only actor and initiative candidates have a target")
        return self


class ConflictReviewIn(_Record):
    """A disagreement someone has reviewed (see `aj conflicts --mark`)."""

    key: Annotated[str, Field(min_length=1, max_length=400)]
    note: str | None = None
    reviewed_at: str | None = None

    _reviewed = field_validator("reviewed_at")(_timestamp)


class Bundle(_Record):
    aj_bundle: Literal[1] = 1
    # Written by `aj export`: the file ends with aj_bundle_end (see loading/reader.check_seal).
    aj_bundle_sealed: bool = False
    areas: list[AreaIn] = Field(default_factory=list)
    actors: list[ActorIn] = Field(default_factory=list)
    documents: list[DocumentIn] = Field(default_factory=list)
    metrics: list[MetricIn] = Field(default_factory=list)
    initiatives: list[InitiativeIn] = Field(default_factory=list)
    claims: list[ClaimIn] = Field(default_factory=list)
    statistics: list[StatisticIn] = Field(default_factory=list)
    events: list[EventIn] = Field(default_factory=list)
    candidates: list[CandidateIn] = Field(default_factory=list)
    citations: list[CitationRef] = Field(default_factory=list)
    claim_relations: list[ClaimRelationRef] = Field(default_factory=list)
    reviewed_conflicts: list[ConflictReviewIn] = Field(default_factory=list)
    # The end marker: records per section, the file's last entry.
    aj_bundle_end: dict[str, Count] | None = None


# Sections in the order they must be written (each only refers to earlier ones or itself).
SECTIONS = tuple(kind.plural for kind in LOAD_ORDER)
# Every list of records a bundle may hold, as the end marker counts them.
RECORD_SECTIONS = (*SECTIONS, "citations", "claim_relations", "reviewed_conflicts")
