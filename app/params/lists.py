"""The routes' own models: a list's filters, its answer, and its order."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from app.http.errors import ErrorDetail, InvalidParameter
from app.intelligence.modes import WINDOW, SearchMode
from app.params.filters import (
    FindingQuery,
    Formatted,
    InspectionQuery,
    JudgementQuery,
    ListQuery,
)


class FindingSort(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"
    DATE_DESC = "-date"
    YEAR = "year"
    YEAR_DESC = "-year"
    AUTHORITY = "authority"
    AUTHORITY_DESC = "-authority"


class FindingListQuery(ListQuery, FindingQuery):
    sort: FindingSort | None = Field(
        None,
        description="Order of the results: `relevance` (the default with `q`, most relevant "
        "first), `date` (the default without `q`: the inspection's first day, then document "
        "order), `-date` (newest first), `year`/`-year` (the same as `date`/`-date`), "
        "`authority`/`-authority` (by authority slug, then date)",
        examples=["-date"],
    )
    mode: SearchMode | None = Field(
        None,
        description="How `q` is matched: `keyword` (the default: full-text search of the words), "
        '`semantic` (findings nearest in meaning to `q`, by their embeddings: "section 47 '
        'enquiries" finds "child protection enquiries"), or `hybrid` (both rankings merged '
        "by reciprocal rank fusion). A semantic or hybrid answer says which ran (`mode`) and "
        f"ranks the best {WINDOW} findings (`total` counts those); every other filter applies",
        examples=["hybrid"],
    )

    @model_validator(mode="after")
    def _mode_needs_q(self) -> Self:
        if self.mode is not None and self.mode.by_meaning and self.search is None:
            raise InvalidParameter(
                f"mode: {self.mode.value} needs a search: add q",
                [ErrorDetail(parameter="mode", message="needs q", input=self.mode.value)],
            )
        return self


class SimilarQuery(Formatted, FindingQuery):
    """`GET /findings/{id}/similar`: every filter of `GET /findings`, and how many."""

    limit: int = Field(10, ge=1, le=100, description="How many (1 to 100)", examples=[10])


class InspectionSort(StrEnum):
    DATE = "date"
    DATE_DESC = "-date"
    AUTHORITY = "authority"
    AUTHORITY_DESC = "-authority"


class InspectionListQuery(ListQuery, InspectionQuery):
    sort: InspectionSort = Field(
        InspectionSort.DATE,
        description="`date` (first day, oldest first), `-date` (newest first), "
        "`authority`/`-authority` (by authority slug, then date)",
        examples=["-date"],
    )


class JudgementListQuery(ListQuery, JudgementQuery):
    pass
