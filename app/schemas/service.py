"""The service's own answers: the change feed, vocabularies with counts, health, uploads and
deletes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.resources import AuthorityRef, DocumentRef, InspectionDetail, Page
from app.vocabulary import (
    Grade,
    InspectionType,
    Theme,
)


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


__all__ = [
    "ChangeOut",
    "ChangePage",
    "DocumentDeleted",
    "DocumentLoaded",
    "GradeCount",
    "GradeLabelCount",
    "Health",
    "InspectionRef",
    "ThemeCount",
    "UploadedDocument",
]
