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
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

from fastapi import Path
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from app.http.errors import ErrorDetail, InvalidParameter
from app.http.limits import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT
from app.intelligence.modes import WINDOW, SearchMode
from app.listing.export import OutputFormat
from app.search import SearchQuery, SearchSyntaxError
from app.search import parse as parse_search
from app.vocabulary import (
    FindingKind,
    Grade,
    InspectionType,
    JudgementArea,
    Polarity,
    Theme,
    Timeframe,
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


def _after(earlier: Any, later: Any, names: tuple[str, str]) -> None:
    if earlier is not None and later is not None and earlier > later:
        given = earlier.isoformat() if isinstance(earlier, date) else earlier
        raise InvalidParameter(
            f"{names[0]}: {earlier} is after {names[1]} {later}",
            [ErrorDetail(parameter=names[0], message=f"after {names[1]}", input=given)],
        )


class Authorities(QueryModel):
    authority: list[str] | None = Field(
        None,
        description="Authority slug (`cheshire-east`) or ONS code (`E06000049`); repeat for OR",
        examples=["cheshire-east"],
    )


class Regions(QueryModel):
    region: list[str] | None = Field(
        None,
        description="Region of the authority, by name (`North West`, any case) or ONS region "
        "code (`E12000002`); repeat for OR",
        examples=["North West"],
    )


class Scope(Regions, Authorities):
    """Which inspections: every list of inspections, or of what they hold, takes these."""

    year: Years = None
    year_from: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="Inspections that began in this year or later",
        examples=[2012],
    )
    year_to: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="Inspections that began in this year or earlier",
        examples=[2014],
    )
    inspected_from: IsoDate | None = Field(
        None,
        description="Inspections that began on or after this date (ISO 8601): `year_from` to "
        "the day",
        examples=["2018-04-01"],
    )
    inspected_to: IsoDate | None = Field(
        None,
        description="Inspections that began on or before this date (ISO 8601)",
        examples=["2019-03-31"],
    )
    type: Types = None

    @model_validator(mode="after")
    def _years_in_order(self) -> Self:
        _after(self.year_from, self.year_to, ("year_from", "year_to"))
        _after(self.inspected_from, self.inspected_to, ("inspected_from", "inspected_to"))
        return self


class Published(QueryModel):
    """By the publication dates of the inspections' documents."""

    published_from: IsoDate | None = Field(
        None,
        description="Published on or after this date (ISO 8601); documents without a "
        "publication date never match",
        examples=["2013-01-01"],
    )
    published_to: IsoDate | None = Field(
        None, description="Published on or before this date (ISO 8601)", examples=["2013-12-31"]
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        _after(self.published_from, self.published_to, ("published_from", "published_to"))
        return self


class InspectionQuery(Published, Scope):
    """Inspections: the scope, the publication dates, and the judgements they gave."""

    grade: list[Grade] | None = Field(
        None,
        description="Inspections having a judgement of this grade (narrowed by `area` when "
        "given); repeat for OR",
        examples=["inadequate"],
    )
    area: list[JudgementArea] | None = Field(
        None,
        description="Inspections graded in this judgement area (with `grade`: having that "
        "grade in that area); repeat for OR",
        examples=["leadership"],
    )


class Inspections(QueryModel):
    inspection: list[InspectionId] | None = Field(
        None, description="Inspection id (see `/inspections`); repeat for OR", examples=[4]
    )


class FindingQuery(Inspections, InspectionQuery):
    """Findings: the inspection filters, the findings' own fields, and `q`."""

    q: str | None = Field(
        None,
        max_length=500,
        description="Full-text search of the findings' text. Words match whole words, any "
        'case; `supervis*` matches words that start with `supervis`; `"management oversight"` '
        "matches the words together; `AND` (or nothing), `OR`, `NOT` and parentheses combine "
        "them. Results then come most relevant first, each with a highlighted `snippet`. A "
        "query that cannot be parsed is a 422 saying why.",
        examples=['"management oversight"'],
    )
    kind: list[FindingKind] | None = Field(
        None, description="Finding kind; repeat for OR", examples=["recommendation"]
    )
    theme: list[Theme] | None = Field(
        None, description="Finding theme; repeat for OR", examples=["child-in-need"]
    )
    theme_score_min: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Only themes the model gave at least this probability (0 to 1, each "
        "theme's `score`) count: with `theme`, a finding matches when it has one of those "
        "themes at this score or more; without, when it has any theme at this score or more. "
        "The theme facet and `/stats/themes` then count only such themes. Themes from the "
        "word lists before the model have no score and never match",
        examples=[0.8],
    )
    polarity: list[Polarity] | None = Field(
        None, description="Finding polarity; repeat for OR", examples=["negative"]
    )
    timeframe: list[Timeframe] | None = Field(
        None,
        description="Timeframe of a recommendation; repeat for OR",
        examples=["within-3-months"],
    )
    judgement_area: list[JudgementArea] | None = Field(
        None,
        description="The judgement area of the finding itself (the section of the report it "
        "comes from, `judgement_area` in each item), unlike `area`, which is an area the "
        "inspection graded; repeat for OR",
        examples=["care-leavers"],
    )
    _search: SearchQuery | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _parse_search(self) -> Self:
        if self.q is not None and self.q.strip():
            try:
                self._search = parse_search(self.q)
            except SearchSyntaxError as exc:
                raise InvalidParameter(
                    f"q: {exc}", [ErrorDetail(parameter="q", message=str(exc), input=self.q)]
                ) from exc
        return self

    @property
    def search(self) -> SearchQuery | None:
        """`q`, parsed; None without one."""
        return self._search


class Judged(QueryModel):
    """The judgement's own area and grade (not the inspection's: see `InspectionQuery`)."""

    area: list[JudgementArea] | None = Field(
        None, description="Judgement area; repeat for OR", examples=["leadership"]
    )
    grade: list[Grade] | None = Field(
        None, description="Grade of the judgement; repeat for OR", examples=["inadequate"]
    )


class JudgementQuery(Judged, Inspections, Published, Scope):
    """Judgements: the scope, the publication dates, the judgement's own area and grade, and
    whether only each authority's latest judgement in each area is wanted."""

    latest: bool = Field(
        False,
        description="Only each authority's latest judgement in each area: of the inspections "
        "the other inspection filters allow, the one that began last (so `year_to=2019` gives "
        "the latest grades as at the end of 2019, `type=ilacs` the latest ILACS grades); "
        "`area` and `grade` then choose among those latest judgements. Grades known only "
        "from a later report's citation are not judgements and are not listed",
        examples=[True],
    )


class Formatted(QueryModel):
    format: OutputFormat | None = Field(
        None,
        description="`csv` for a CSV of every matching row (the same as `Accept: text/csv`); "
        "JSON by default",
        examples=["csv"],
    )


class Paged(QueryModel):
    count: bool = Field(
        True,
        description="`false` skips counting the matching rows (`total` is then null), which is "
        "faster on large results",
        examples=[False],
    )
    limit: Limit = DEFAULT_LIMIT
    cursor: str | None = Field(
        None,
        description="Opaque cursor from the previous page's `next`; omit for the first page",
        examples=["WyJkYXRlIiwiMjAxMy0wMy0xMSIsNTld"],
    )


class ListQuery(Formatted, Paged):
    """How a list is answered: a keyset page (or every row, as CSV)."""


# --- the routes' models ---------------------------------------------------------------------


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
    "IsoDate",
    "Judged",
    "JudgementListQuery",
    "JudgementQuery",
    "Limit",
    "ListQuery",
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
