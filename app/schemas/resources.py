"""The resources: authorities, inspections, judgements, findings, documents; a page of them,
their facets and statistics."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from app.listing.export import csv_columns
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


class JudgementPlace(BaseModel):
    """Which judgement, of which inspection: the first fields of a judgement in a list."""

    id: int
    inspection_id: int
    authority: AuthorityRef
    year: int
    inspection_type: InspectionType
    start_date: date = Field(description="The inspection's first day")


class JudgementRow(JudgementOut, JudgementPlace):
    """A judgement in `GET /judgements`: its place, the judgement, its score (pydantic orders
    the fields of the bases last base first, so the CSV's columns come in that order)."""

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
    published_date: date | None = Field(
        description="When the report the finding comes from was published (null: not known)",
        examples=["2013-05-02"],
    )
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


FINDING_CSV_COLUMNS = csv_columns(
    FindingOut, after={"themes": ["theme_scores"]}, without={"snippet"}
)
"""A finding's CSV row: its JSON item flattened, its themes' scores beside them; `snippet`
only with `q` (`GET /findings`), `similarity` and the rest before it in the lists of
findings intelligence."""

__all__ = [
    "FINDING_CSV_COLUMNS",
    "AuthorityOut",
    "AuthorityRef",
    "CitedJudgementOut",
    "CoverageNote",
    "DocumentOut",
    "DocumentRef",
    "FacetValue",
    "FacetsOut",
    "FindingOut",
    "FindingTheme",
    "GradeStat",
    "GradeStats",
    "InspectionDetail",
    "InspectionOut",
    "JudgementOut",
    "JudgementRow",
    "Page",
    "Source",
    "ThemeStat",
    "ThemeStats",
]
