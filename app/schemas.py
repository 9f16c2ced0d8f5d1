"""Response models: the API's contract, as the OpenAPI document shows it.

Routes build their JSON directly from rows (no per-row validation on the hot path) in exactly
these shapes; tests check the two agree. New keys may be added to responses; existing keys
will not change meaning or disappear.
"""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from app.vocabulary import (
    DocumentKind,
    FindingKind,
    Grade,
    InspectionType,
    JudgementArea,
    Polarity,
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


class InspectionDetail(InspectionOut):
    inspectors: list[str]
    cited_judgements: list[CitedJudgementOut]
    finding_counts: dict[FindingKind, int] = Field(description="Findings of each kind")


class JudgementRow(JudgementOut):
    id: int
    inspection_id: int
    authority: AuthorityRef
    year: int
    inspection_type: InspectionType


class FindingTheme(BaseModel):
    id: Theme
    matched: list[str] = Field(description="The words of the finding that put it under the theme")


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
    text: str
    themes: list[FindingTheme]
    source: Source


class DocumentOut(DocumentRef):
    inspection_id: int
    sha256: str
    pages: int | None
    inspectors: list[str]
    parser_version: str
    text: str = Field(description="The full normalised text; every source offset points here")


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int | None = Field(description="Rows matching the filters")
    limit: int
    next: str | None = Field(description="Path and query of the next page, or null on the last")


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
    status: str = Field(examples=["ok"])
    database: str = Field(examples=["ok"])
