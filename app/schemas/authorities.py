"""An authority's views: its timeline, its neighbours, its inspection clock, and coverage."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.resources import AuthorityRef, DocumentRef, FacetValue, Source
from app.vocabulary import (
    FindingKind,
    Grade,
    InspectionType,
    JudgementArea,
    PublishedSource,
    Theme,
)


class GradedJudgement(BaseModel):
    area: JudgementArea
    area_label: str | None = Field(description="The area as the document names it")
    grade: Grade | None
    grade_label: str | None = Field(description="The grade exactly as written")
    score: int | None = Field(description="The grade on the one scale: 1 best, 4 worst")


class FindingCounts(BaseModel):
    total: int
    by_kind: dict[FindingKind, int]
    by_theme: dict[Theme, int]


class CitedBy(BaseModel):
    inspection_id: int
    source: Source


Day = date  # a field of TimelineEvent is called `date`


class TimelineEvent(BaseModel):
    """An inspection or visit (`event: inspection`), or an earlier judgement that a later
    report cites (`event: cited-judgement`), in date order."""

    date: str = Field(
        description="ISO 8601: the first day of an inspection; year and month (`2019-11`) or "
        "year of a cited judgement",
        examples=["2013-03-11"],
    )
    event: str = Field(examples=["inspection", "cited-judgement"])
    inspection_id: int | None = Field(None, description="The inspection (event: inspection)")
    type: InspectionType | None = None
    type_label: str | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    judgements: list[GradedJudgement] | None = Field(
        None, description="Judgements given (event: inspection); none for ungraded visits"
    )
    documents: list[DocumentRef] | None = None
    findings: FindingCounts | None = None
    judgement: GradedJudgement | None = Field(
        None, description="The judgement cited (event: cited-judgement)"
    )
    cited_by: CitedBy | None = Field(None, description="Where it is cited")


class Timeline(BaseModel):
    authority: AuthorityRef
    items: list[TimelineEvent]


class LatestJudgement(GradedJudgement):
    year: int
    month: int | None
    inspection_id: int = Field(description="The inspection that gave it, or that cites it")
    cited: bool = Field(description="Known from a later report's citation, not its own report")


class Peer(AuthorityRef):
    rank: int = Field(description="0 for the authority itself, then 1 for its closest neighbour")
    region: str
    inspections: int
    findings: int
    latest_judgements: list[LatestJudgement]
    themes: dict[Theme, int] = Field(description="Findings per theme, every theme listed")


class Neighbours(BaseModel):
    authority: Peer
    neighbours: list[Peer]


class ClockInspection(BaseModel):
    """An inspection on the clock: its dates, overall grade, days since its last day and
    days from its last day to its publication."""

    inspection_id: int
    type: InspectionType
    type_label: str
    start_date: date
    end_date: date | None
    grade: Grade | None = Field(description="Overall effectiveness, where the framework has it")
    grade_label: str | None
    days_since: int = Field(description="From its last day (end date, else start) to `as_of`")
    published_date: date | None
    published_source: PublishedSource | None
    days_to_publication: int | None = Field(
        description="From its last day to its report's publication; null with a "
        "`publication_note` saying why"
    )
    publication_note: str | None


class NextInspectionEstimate(BaseModel):
    """The window of the next ILACS inspection under the framework's rule: an estimate, not
    Ofsted's schedule; null dates with a `note` saying why when the rule gives none."""

    kind: Literal["short", "standard"] | None
    from_: date | None = Field(alias="from")
    to: date | None
    position: Literal["before-window", "in-window", "after-window"] | None = Field(
        description="Where `as_of` falls against the window"
    )
    basis_inspection_id: int | None = Field(description="The inspection the window is timed from")
    estimate: bool = Field(description="Always true")
    note: str


class AuthorityClock(BaseModel):
    slug: str = Field(examples=["cheshire-east"])
    name: str
    region: str
    current: bool = Field(description="False for an authority replaced since 2019")
    rank: int | None = Field(
        description="National rank by `days_since`, 1 the longest; equal days share a rank "
        "(1, 2, 2, 4); null without an inspection"
    )
    days_since: int | None = Field(description="Days since `latest`'s last day")
    grade: str = Field(
        description="`latest`'s overall effectiveness, `not-graded` or `no-inspection`"
    )
    latest: ClockInspection | None = Field(
        description="The latest inspection of a full framework (ILACS, SIF, 2009-13 child "
        "protection or looked after children)"
    )
    next_inspection: NextInspectionEstimate
    frameworks: list[ClockInspection] = Field(
        description="The latest inspection of each inspection type loaded, newest first"
    )


class AuthorityFacetValue(FacetValue):
    count: int = Field(description="Authorities listed that have this value")


class ClockRule(BaseModel):
    text: str
    sources: list[str]


class ClockOut(BaseModel):
    as_of: date
    rule: ClockRule
    total: int = Field(description="Authorities matching the filters")
    items: list[AuthorityClock]
    facets: dict[str, list[AuthorityFacetValue]] = Field(
        description="Authorities matching the filters by `region` and by `grade`, most first"
    )


class AuthorityClockOut(AuthorityClock):
    as_of: date
    rule: ClockRule


class FrameworkYearCoverage(BaseModel):
    type: InspectionType
    type_label: str
    year: int
    authorities_with_data: int
    of: int
    without_data: list[AuthorityRef] = Field(
        description="The current authorities with no loaded inspection of this type that year"
    )


class CoverageOut(BaseModel):
    of: int = Field(description="Current authorities in the register (153)")
    items: list[FrameworkYearCoverage]


__all__ = [
    "AuthorityClock",
    "AuthorityClockOut",
    "AuthorityFacetValue",
    "CitedBy",
    "ClockInspection",
    "ClockOut",
    "ClockRule",
    "CoverageOut",
    "Day",
    "FindingCounts",
    "FrameworkYearCoverage",
    "GradedJudgement",
    "LatestJudgement",
    "Neighbours",
    "NextInspectionEstimate",
    "Peer",
    "Timeline",
    "TimelineEvent",
]
