"""The values query parameters take (dates, years, ids, limits, comma-separated lists), the
base of every query model, and the check that a range is in order."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.http.errors import ErrorDetail, InvalidParameter
from app.http.limits import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT
from app.vocabulary import (
    InspectionType,
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """A date parameter is YYYY-MM-DD: pydantic alone would also read `0` as a Unix time."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


def split_commas(values: Any) -> Any:
    """For a list parameter that also takes comma-separated values: `by=a,b&by=c`. An empty
    value (`by=`, `by=a,`) is kept, for validation to reject as the enum it is not."""
    if isinstance(values, list):
        return [part.strip() for value in values for part in str(value).split(",")]
    return values


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Year = Annotated[int, Field(ge=2000, le=2100)]
InspectionId = Annotated[int, Field(ge=1, le=MAX_ID)]
Limit = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_LIMIT,
        description=f"Rows per page (1 to {MAX_LIMIT}); CSV ignores it and sends every row",
        examples=[DEFAULT_LIMIT],
    ),
]
Years = Annotated[
    list[Year] | None,
    Field(description="Year the inspection began; repeat for OR", examples=[2013]),
]
Types = Annotated[
    list[InspectionType] | None,
    Field(description="Inspection type; repeat for OR", examples=["ilacs"]),
]


AuthorityKey = Path(
    description="Slug (`cheshire-east`) or ONS code (`E06000049`)", examples=["cheshire-east"]
)
"""The path parameter naming one authority."""


class QueryModel(BaseModel):
    """A set of query parameters: unknown names are refused, values are never coerced
    beyond what a query string means."""

    model_config = ConfigDict(extra="forbid")


def check_order(earlier: Any, later: Any, names: tuple[str, str]) -> None:
    if earlier is not None and later is not None and earlier > later:
        given = earlier.isoformat() if isinstance(earlier, date) else earlier
        raise InvalidParameter(
            f"{names[0]}: {earlier} is after {names[1]} {later}",
            [ErrorDetail(parameter=names[0], message=f"after {names[1]}", input=given)],
        )
