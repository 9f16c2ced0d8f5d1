"""Statistics: themes of findings by year, and grades by area, year and region."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator, Field

from app.http.coverage import coverage_note
from app.http.responses import coverage_fields, json_response, with_coverage
from app.http.state import authority_index_of, connection_of
from app.listing.export import OutputFormat, representation, rows_csv
from app.params import FindingQuery, Formatted, Inspections, Judged, Published, Scope, split_commas
from app.schemas import GradeStats, ThemeStats, examples
from app.schemas.documented import documented
from app.store.stats import grade_counts, theme_counts

router = APIRouter(tags=["statistics"])


class ThemeSplit(StrEnum):
    AUTHORITY = "authority"
    REGION = "region"
    POLARITY = "polarity"


class ThemeStatsQuery(Formatted, FindingQuery):
    by: Annotated[list[ThemeSplit] | None, BeforeValidator(split_commas)] = Field(
        None,
        description="Split the counts further: by `authority`, `region` and/or "
        "`polarity`; comma-separated or repeated",
        examples=[["polarity"]],
    )


@router.get(
    "/stats/themes",
    response_model=ThemeStats,
    summary="Findings per theme and year, optionally per authority or region and polarity",
    responses=documented(examples.STATS_THEMES, csv=examples.STATS_THEMES_CSV),
)
def theme_stats(request: Request, filters: Annotated[ThemeStatsQuery, Query()]) -> Response:
    """How many findings carry each theme, per year of inspection: one row per year and
    theme (and authority, region or polarity when asked), in that order, rows with no
    findings left out. Takes every filter of `GET /findings`; `theme` keeps only those
    themes' rows. A finding with three themes counts once under each."""
    splits = set(filters.by or [])
    with connection_of(request) as connection:
        items = theme_counts(connection, authority_index_of(request), filters, splits)
        coverage = coverage_note(request, connection, filters)
    if representation(request) is OutputFormat.CSV:
        names = ["year", "theme", *[s.value for s in ThemeSplit if s in splits], "findings"]
        return with_coverage(rows_csv("theme-stats.csv", names, items), coverage)
    return with_coverage(json_response({"items": items, **coverage_fields(coverage)}), coverage)


class GradeSplit(StrEnum):
    YEAR = "year"
    REGION = "region"
    TYPE = "type"


class GradeBasis(StrEnum):
    LATEST = "latest"
    INSPECTION = "inspection"


class GradeStatsQuery(Formatted, Judged, Inspections, Published, Scope):
    per: GradeBasis = Field(
        GradeBasis.LATEST,
        description="`latest`: one judgement per authority and area, its latest known "
        "(including one that a later report cites); `inspection`: every inspection's",
        examples=["inspection"],
    )
    by: Annotated[list[GradeSplit] | None, BeforeValidator(split_commas)] = Field(
        None,
        description="Split the counts further: by `year` (of the inspection), `region` "
        "and/or `type` (of inspection); comma-separated or repeated",
        examples=[["region"]],
    )


@router.get(
    "/stats/grades",
    response_model=GradeStats,
    summary="Grade distribution by judgement area, optionally by year, region and type",
    responses=documented(examples.STATS_GRADES, csv=examples.STATS_GRADES_CSV),
)
def grade_stats(request: Request, filters: Annotated[GradeStatsQuery, Query()]) -> Response:
    """How many judgements of each grade there are in each judgement area: one row per
    area and grade (and year, region or type when asked), grades on the one scale with
    their `score`.

    With `per=latest` (the default) each authority counts once per area, with its latest
    grade among the judgements the filters allow, so `year_to=2019` gives the picture at the
    end of 2019, and `published_to=2019-12-31` the picture that reports published by then
    gave. With `per=inspection` every inspection's judgement counts. The filters mean what
    they mean on `GET /judgements`."""
    splits = set(filters.by or [])
    with connection_of(request) as connection:
        index = authority_index_of(request)
        latest = filters.per is GradeBasis.LATEST
        rows = grade_counts(connection, index, filters, filters, latest=latest, splits=splits)
        coverage = coverage_note(request, connection, filters)
    if representation(request) is OutputFormat.CSV:
        names = ["area", "grade", "score", *[s.value for s in GradeSplit if s in splits]]
        return with_coverage(rows_csv("grade-stats.csv", [*names, "judgements"], rows), coverage)
    return with_coverage(json_response({"items": rows, **coverage_fields(coverage)}), coverage)


__all__ = ["router"]
