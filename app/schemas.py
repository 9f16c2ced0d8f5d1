"""Response models: the API's contract, as the OpenAPI document shows it.

Routes build their JSON directly from rows (no per-row validation on the hot path) in exactly
these shapes; tests check the two agree. New keys may be added to responses; existing keys
will not change meaning or disappear.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from app.vocabulary import (
    DocumentKind,
    FindingKind,
    Grade,
    InspectionType,
    JudgementArea,
    Polarity,
    PublishedSource,
    Theme,
    Timeframe,
)


class AuthorityRef(BaseModel):
    slug: str = Field(examples=["cheshire-east"])
    name: str = Field(examples=["Cheshire East"])


class AuthorityOut(AuthorityRef):
    ons_code: str = Field(examples=["E06000049"])
    dfe_code: str = Field(examples=["895"])
    ofsted_urn: str = Field(examples=["80447"])
    region: str = Field(examples=["North West"])
    region_code: str = Field(examples=["E12000002"])
    type: str | None = Field(examples=["Unitary Authority"])
    other_names: list[str]
    statistical_neighbours: list[str] = Field(
        description="Slugs of the authority's statistical neighbours, closest first"
    )
    inspections: int = Field(description="Inspections of this authority in the database")


class Source(BaseModel):
    """Where the words came from: `GET /documents/{document_id}` returns the text, and
    `text[start:end]` is the passage."""

    document_id: int
    start: int
    end: int


class JudgementOut(BaseModel):
    area: JudgementArea
    area_label: str = Field(description="The area as the document names it")
    grade: Grade | None = Field(description="null when the grade could not be read")
    grade_label: str | None = Field(
        description="The grade exactly as written", examples=["Adequate"]
    )
    source: Source


class DocumentRef(BaseModel):
    id: int
    filename: str
    title: str
    kind: DocumentKind
    letter_date: date | None
    published_date: date | None
    published_source: PublishedSource | None = Field(
        description="Where `published_date` comes from: `document` when the document prints "
        "it, `manifest` when it came from the manifest the file was loaded with, `site` when "
        "it is the date Ofsted's reports site lists beside the file (a document fetched by "
        "`python -m seed sync`); null with no date"
    )
    source_url: str | None


class CitedJudgementOut(BaseModel):
    """An earlier judgement that a document of this inspection cites."""

    area: JudgementArea
    grade: Grade | None
    grade_label: str = Field(examples=["require improvement to be good"])
    year: int
    month: int | None
    source: Source


class InspectionOut(BaseModel):
    id: int
    authority: AuthorityRef
    type: InspectionType
    start_date: date
    end_date: date | None
    year: int
    judgements: list[JudgementOut]
    documents: list[DocumentRef]
    inspectors: list[str] = Field(description="The inspectors its documents name")
    finding_counts: dict[FindingKind, int] = Field(description="Findings of each kind")


class InspectionDetail(InspectionOut):
    cited_judgements: list[CitedJudgementOut]


class JudgementRow(JudgementOut):
    id: int
    inspection_id: int
    authority: AuthorityRef
    year: int
    inspection_type: InspectionType
    start_date: date = Field(description="The inspection's first day")
    score: int | None = Field(description="The grade on the one scale: 1 best, 4 worst")


class FindingTheme(BaseModel):
    id: Theme
    matched: list[str] = Field(
        description="The words of the finding that weighed most for the theme, as written, "
        "the weightiest first"
    )
    score: float | None = Field(
        description="The model's calibrated probability (0 to 1) that the finding has the "
        "theme; a theme is given at 0.375 or more (null: labelled before the model)",
        examples=[0.93],
    )


class FindingOut(BaseModel):
    id: int
    inspection_id: int
    authority: AuthorityRef
    year: int
    kind: FindingKind
    section: str | None
    judgement_area: JudgementArea | None
    timeframe: Timeframe | None
    paragraph: int | None
    polarity: Polarity
    polarity_score: float | None = Field(
        description="The model's probability (0 to 1) of the polarity given; 1 for "
        "recommendations and priority actions, always neutral (null: labelled before the model)",
        examples=[0.87],
    )
    text: str
    themes: list[FindingTheme]
    source: Source
    snippet: str | None = Field(
        None,
        description="Only with `q`: the text, HTML-escaped, with the words that matched in "
        "<mark>...</mark>; a long text is cut to about 32 words around the first match, "
        "with … where it was cut",
        examples=["…concerns. <mark>Management oversight</mark> of cases is not consistent…"],
    )


class DocumentOut(DocumentRef):
    inspection_id: int
    sha256: str
    pages: int | None
    inspectors: list[str]
    parser_version: str
    text: str = Field(description="The full normalised text; every source offset points here")


T = TypeVar("T")


class CoverageNote(BaseModel):
    """How many of the register's current authorities the answer could draw on: those with
    a loaded inspection within the request's years, publication dates and types (and
    region), whatever else the filters ask (docs/query-api.md, "Honest coverage"). Present
    when the request names no `authority`; a CSV carries it in the `X-Coverage` header."""

    authorities_with_data: int = Field(examples=[133])
    of: int = Field(description="Current authorities the filters allow (153 with no region)")


class Page(BaseModel, Generic[T]):
    """A page of a list. Follow `next` (also sent as a `Link: <...>; rel="next"` header)
    until it is null; new keys may be added, existing ones keep their meaning."""

    items: list[T]
    total: int | None = Field(
        description="Rows matching the filters; null when asked not to count (`count=false`)"
    )
    limit: int
    next: str | None = Field(description="Path and query of the next page, or null on the last")
    coverage: CoverageNote | None = Field(
        default=None,
        description="On `/findings`, `/inspections` and `/judgements` without `authority`: "
        "how many authorities have data for the filters",
    )


class FacetValue(BaseModel):
    value: str | int = Field(examples=["management-oversight"])
    label: str = Field(examples=["Management oversight and supervision"])
    count: int = Field(description="Findings matching the filters that have this value")


class FacetsOut(BaseModel):
    total: int = Field(description="Findings matching the filters")
    facets: dict[str, list[FacetValue]] = Field(
        description="For each facet asked for (theme, year, kind, grade, area, authority, "
        "region, type, polarity, timeframe), its values, most findings first"
    )
    coverage: CoverageNote | None = Field(
        default=None, description="Without `authority`: how many authorities have data"
    )


class ThemeStat(BaseModel):
    year: int
    theme: Theme
    authority: str | None = Field(None, description="Authority slug, with `by=authority`")
    region: str | None = Field(None, description="Region, with `by=region`")
    polarity: Polarity | None = Field(None, description="With `by=polarity`")
    findings: int


class ThemeStats(BaseModel):
    items: list[ThemeStat]
    coverage: CoverageNote | None = Field(
        default=None, description="Without `authority`: how many authorities have data"
    )


class GradeStat(BaseModel):
    area: JudgementArea
    grade: Grade
    score: int = Field(description="1 (outstanding) to 4 (inadequate)")
    year: int | None = Field(None, description="With `by=year`")
    region: str | None = Field(None, description="With `by=region`")
    type: InspectionType | None = Field(
        None, description="With `by=type`; null for a judgement known only from a citation"
    )
    judgements: int


class GradeStats(BaseModel):
    items: list[GradeStat]
    coverage: CoverageNote | None = Field(
        default=None, description="Without `authority`: how many authorities have data"
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


class InspectionRef(BaseModel):
    id: int
    authority: AuthorityRef
    type: InspectionType
    start_date: date
    year: int


class ChangeOut(BaseModel):
    version: int = Field(description="The data version this change made")
    action: str = Field(examples=["loaded", "reparsed", "deleted"])
    at: datetime
    document_id: int
    inspection_id: int
    document: DocumentRef | None = Field(description="null once the document is deleted")
    inspection: InspectionRef | None = Field(description="null once the inspection is deleted")


class ChangePage(Page[ChangeOut]):
    version: int = Field(description="The current data version: pass it as `since` next time")


class ThemeCount(BaseModel):
    id: Theme
    label: str
    findings: int


class GradeLabelCount(BaseModel):
    label: str
    judgements: int


class GradeCount(BaseModel):
    id: Grade
    label: str
    score: int
    judgements: int
    labels: list[GradeLabelCount] = Field(
        description="Every label written in documents that maps to this grade"
    )


class Health(BaseModel):
    status: str = Field(
        description="`ok`; `migration_needed` when the database is not at the schema this "
        "service needs (the message says what to run); `unavailable` when it cannot be reached",
        examples=["ok"],
    )
    database: str = Field(description="`ok` or `unreachable`", examples=["ok"])
    schema_revision: str | None = Field(
        description="The database's migration (null on an empty database)", examples=["0004"]
    )
    data_version: int | None = Field(
        description="The newest change's id (see `/changes`); null when not serving",
        examples=[5],
    )
    search_ranking: str | None = Field(
        None,
        description="How searches are ranked by relevance: `fts5-bm25` (SQLite, inside its "
        "index), `rum` (PostgreSQL, inside the RUM index) or `ts_rank_cd` (PostgreSQL without "
        "the `rum` extension: each relevance-ordered search reads every match to rank it, "
        "slow on large databases; see the README); null when not serving",
        examples=["fts5-bm25"],
    )
    message: str | None = Field(
        None, description="What is wrong and what to run, when status is not `ok`"
    )


class UploadedDocument(DocumentRef):
    sha256: str
    pages: int | None
    parser_version: str


class DocumentLoaded(BaseModel):
    """What `POST /documents` did with a file."""

    status: Literal["loaded", "already_loaded"] = Field(
        description="`loaded` (201): a new document; `already_loaded` (200): a file with the "
        "same SHA-256 was loaded before, and nothing changed"
    )
    document: UploadedDocument
    inspection_created: bool = Field(
        description="Whether the document made a new inspection (else it joined one)"
    )
    inspection: InspectionDetail = Field(description="As `GET /inspections/{id}` returns it")


class DocumentDeleted(BaseModel):
    """What `DELETE /documents/{id}` removed."""

    document_id: int
    inspection_id: int
    inspection_removed: bool = Field(
        description="Whether the inspection went too (no other document belonged to it)"
    )
    data_version: int = Field(description="The data version after the delete")


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
