"""The query parameters of the lists, each declared once, as composed pydantic models.

A route takes one model (`query: Annotated[FindingListQuery, Query()]`); FastAPI reads the
model's fields as query parameters, so each field here is at once the OpenAPI parameter
(description, example, enum of valid values), its validation (a bad value is a 422 naming
the valid ones, `app.http.errors`), and, through `app.store.filters`, its SQL condition.

    Scope            authority, region, year, year_from, year_to, inspected_from,
                     inspected_to, type: which inspections
    Published        published_from, published_to: by the documents' publication dates
    InspectionQuery  Scope + Published + grade, area (inspections having such a judgement)
    FindingQuery     InspectionQuery + q, inspection, kind, theme, polarity, timeframe,
                     judgement_area (the finding's own)
    JudgementQuery   Scope + Published + inspection + the judgement's own area and grade,
                     latest
    ListQuery        count, limit, cursor, format: how a list is answered

A filter that every list takes is one field on `Scope` (or `Published`) and one condition
in `app.store.filters`. A repeated parameter is OR within its filter; different filters
combine with AND. Every model forbids fields it does not declare (`extra="forbid"`).

`values` holds the value types and the base model, `filters` the filters and their
composition, `lists` each list route's own model (its order, its search mode).
"""

from __future__ import annotations

from app.params.filters import (
    Authorities,
    FindingQuery,
    Formatted,
    InspectionQuery,
    Inspections,
    Judged,
    JudgementQuery,
    ListQuery,
    Paged,
    Published,
    Regions,
    Scope,
)
from app.params.lists import (
    FindingListQuery,
    FindingSort,
    InspectionListQuery,
    InspectionSort,
    JudgementListQuery,
    SimilarQuery,
)
from app.params.values import (
    AuthorityKey,
    InspectionId,
    IsoDate,
    Limit,
    QueryModel,
    Types,
    Year,
    Years,
    split_commas,
)

__all__ = [
    "Authorities",
    "AuthorityKey",
    "FindingListQuery",
    "FindingQuery",
    "FindingSort",
    "Formatted",
    "InspectionId",
    "InspectionListQuery",
    "InspectionQuery",
    "InspectionSort",
    "Inspections",
    "IsoDate",
    "Judged",
    "JudgementListQuery",
    "JudgementQuery",
    "Limit",
    "ListQuery",
    "Paged",
    "Published",
    "QueryModel",
    "Regions",
    "Scope",
    "SimilarQuery",
    "Types",
    "Year",
    "Years",
    "split_commas",
]
