"""The OpenAPI shapes of the findings-intelligence answers (the routes answer with JSON built
from rows; these describe it)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.resources import AuthorityRef, FindingOut, Source
from app.vocabulary import FindingKind, Polarity

Status = Literal["raised-again", "not-raised-before", "raised-before-not-again"]


class SimilarFinding(FindingOut):
    similarity: float = Field(
        description="Cosine similarity of the two findings' embeddings: 1 for the same words, "
        "about 0.8 and above for findings on the same point",
        examples=[0.8309],
    )


class SimilarFindings(BaseModel):
    finding_id: int
    model: str | None = Field(description="The embedding model's version")
    items: list[SimilarFinding] = Field(description="Most similar first")


class IssueFinding(BaseModel):
    id: int
    inspection_id: int
    start_date: date = Field(description="The first day of the finding's inspection")
    kind: FindingKind
    polarity: Polarity
    text: str
    source: Source


class EarlierFinding(IssueFinding):
    similarity: float | None = Field(
        description="Similarity to the later finding (null for `raised-before-not-again`)"
    )


class Issue(BaseModel):
    status: Status
    finding: IssueFinding | None = Field(
        description="The issue of this inspection (null for `raised-before-not-again`)"
    )
    earlier: list[EarlierFinding] = Field(
        description="`raised-again`: the earlier findings that raised it, most similar first; "
        "`raised-before-not-again`: the earlier issue this inspection does not raise again"
    )


class InspectionIssues(BaseModel):
    inspection_id: int
    start_date: date
    counts: dict[Status, int]
    issues: list[Issue]


class LinksMeasured(BaseModel):
    precision: float = Field(
        description="Of the links made at the threshold between judged pairs held out from its "
        "choice, the share a reader judged to be the same issue"
    )
    recall: float = Field(
        description="Of the held-out pairs judged the same issue, the share linked"
    )
    judged_pairs: int = Field(description="Held-out judged pairs the figures are measured on")
    target_precision: float = Field(description="The precision the links are meant to reach")
    method: str


class RecurringIssues(BaseModel):
    authority: AuthorityRef
    threshold: float = Field(
        description="The similarity from which two findings raise the same issue, chosen on "
        "judged pairs (docs/intelligence.md)"
    )
    measured: LinksMeasured = Field(
        description="How often a 'raised again' link is right, measured on judged pairs: read "
        "each link as 'possibly the same issue' and check both passages"
    )
    inspections: list[InspectionIssues] = Field(description="In date order")


__all__ = ["RecurringIssues", "SimilarFindings"]
