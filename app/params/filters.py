"""The filters, each declared once, composed into the query models of each resource, and
how a list is answered (`ListQuery`)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, PrivateAttr, model_validator

from app.http.errors import ErrorDetail, InvalidParameter
from app.http.limits import DEFAULT_LIMIT
from app.listing.export import OutputFormat
from app.params.values import (
    InspectionId,
    IsoDate,
    Limit,
    QueryModel,
    Types,
    Years,
    check_order,
)
from app.search import SearchQuery, SearchSyntaxError
from app.search import parse as parse_search
from app.vocabulary import (
    FindingKind,
    Grade,
    JudgementArea,
    Polarity,
    Theme,
    Timeframe,
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
        check_order(self.year_from, self.year_to, ("year_from", "year_to"))
        check_order(self.inspected_from, self.inspected_to, ("inspected_from", "inspected_to"))
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
        check_order(self.published_from, self.published_to, ("published_from", "published_to"))
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
