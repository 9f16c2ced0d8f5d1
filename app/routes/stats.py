"""Statistics: themes of findings by year, and grades by area, year and region."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator
from sqlalchemy import ColumnElement, func, select

from app.export import FormatQuery, OutputFormat, representation, rows_csv
from app.queries import (
    AuthorityParam,
    FindingFilters,
    InspectionFilters,
    RegionParam,
    TypeParam,
    Year,
    YearFromParam,
    YearParam,
    YearToParam,
    authorities,
    authority_index_of,
    engine_of,
    finding_themes,
    findings,
    inspections,
    judgements,
    latest_judgements,
    split_commas,
    values_of,
)
from app.responses import coverage_fields, json_response, with_coverage
from app.routes import examples
from app.routes.docs import documented
from app.routes.notes import coverage_note
from app.schemas import GradeStats, ThemeStats
from app.vocabulary import GRADE_SCORES, Grade, InspectionType, JudgementArea

router = APIRouter(tags=["statistics"])


class ThemeSplit(StrEnum):
    AUTHORITY = "authority"
    REGION = "region"
    POLARITY = "polarity"


@router.get(
    "/stats/themes",
    response_model=ThemeStats,
    summary="Findings per theme and year, optionally per authority or region and polarity",
    responses=documented(examples.STATS_THEMES, csv=examples.STATS_THEMES_CSV),
)
def theme_stats(
    request: Request,
    filters: Annotated[FindingFilters, Depends()],
    by: Annotated[
        list[ThemeSplit] | None,
        BeforeValidator(split_commas),
        Query(
            description="Split the counts further: by `authority`, `region` and/or "
            "`polarity`; comma-separated or repeated",
            examples=[["polarity"]],
        ),
    ] = None,
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """How many findings carry each theme, per year of inspection: one row per year and
    theme (and authority, region or polarity when asked), in that order, rows with no
    findings left out. Takes every filter of `GET /findings`; `theme` keeps only those
    themes' rows. A finding with three themes counts once under each."""
    splits = set(by or [])
    columns: list[ColumnElement[Any]] = [inspections.c.year, finding_themes.c.theme]
    if ThemeSplit.AUTHORITY in splits:
        columns.append(authorities.c.slug.label("authority"))
    if ThemeSplit.REGION in splits:
        columns.append(authorities.c.region)
    if ThemeSplit.POLARITY in splits:
        columns.append(findings.c.polarity)
    source = (
        findings.join(inspections, inspections.c.id == findings.c.inspection_id)
        .join(authorities, authorities.c.id == inspections.c.authority_id)
        .join(finding_themes, finding_themes.c.finding_id == findings.c.id)
    )
    index = authority_index_of(request)
    with engine_of(request).connect() as connection:
        conditions = filters.conditions(connection, index, themes=False)
        coverage = coverage_note(request, connection, filters.inspections)
        if filters.theme:
            conditions.append(finding_themes.c.theme.in_(values_of(filters.theme)))
        rows = connection.execute(
            select(*columns, func.count().label("findings"))
            .select_from(source)
            .where(*conditions)
            .group_by(*columns)
            .order_by(*columns)
        ).all()
    items = [dict(row._mapping) for row in rows]
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


@router.get(
    "/stats/grades",
    response_model=GradeStats,
    summary="Grade distribution by judgement area, optionally by year, region and type",
    responses=documented(examples.STATS_GRADES, csv=examples.STATS_GRADES_CSV),
)
def grade_stats(
    request: Request,
    per: GradeBasis = Query(
        GradeBasis.LATEST,
        description="`latest`: one judgement per authority and area, its latest known "
        "(including one that a later report cites); `inspection`: every inspection's",
        examples=["inspection"],
    ),
    by: Annotated[
        list[GradeSplit] | None,
        BeforeValidator(split_commas),
        Query(
            description="Split the counts further: by `year` (of the inspection), `region` "
            "and/or `type` (of inspection); comma-separated or repeated",
            examples=[["region"]],
        ),
    ] = None,
    authority: list[str] | None = AuthorityParam,
    region: list[str] | None = RegionParam,
    year: list[Year] | None = YearParam,
    year_from: int | None = YearFromParam,
    year_to: int | None = YearToParam,
    type: list[InspectionType] | None = TypeParam,
    area: list[JudgementArea] | None = Query(
        None, description="Judgement area; repeat for OR", examples=["overall-effectiveness"]
    ),
    grade: list[Grade] | None = Query(
        None, description="Grade; repeat for OR", examples=["inadequate"]
    ),
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """How many judgements of each grade there are in each judgement area: one row per
    area and grade (and year, region or type when asked), grades on the one scale with
    their `score`.

    With `per=latest` (the default) each authority counts once per area, with its latest
    grade among the judgements the filters allow, so `year_to=2019` gives the picture at the
    end of 2019. With `per=inspection` every inspection's judgement counts."""
    splits = set(by or [])
    filters = InspectionFilters(
        authority, region, year, year_from, year_to, None, None, type, None, None
    )
    areas, grades = set(values_of(area)), set(values_of(grade))
    with engine_of(request).connect() as connection:
        authority_ids = filters.authority_ids(connection, authority_index_of(request))
        coverage = coverage_note(request, connection, filters)
        if per is GradeBasis.LATEST:
            latest = latest_judgements(
                connection,
                authority_ids,
                years=filters.year,
                year_from=year_from,
                year_to=year_to,
                types=filters.type,
            )
            index = authority_index_of(request)
            counts: Counter[tuple[Any, ...]] = Counter()
            for (authority_id, judgement_area), judgement in latest.items():
                if (areas and judgement_area not in areas) or (
                    grades and judgement.grade not in grades
                ):
                    continue
                counts[
                    (
                        judgement_area,
                        judgement.grade,
                        judgement.year,
                        index.by_id(connection, authority_id).region,
                        judgement.type,
                    )
                ] += 1
            rows = _grade_rows(counts, splits)
        else:
            conditions = [
                judgements.c.canonical,
                judgements.c.grade.is_not(None),
                *filters.conditions(connection, authority_index_of(request)),
            ]
            if areas:
                conditions.append(judgements.c.area.in_(areas))
            if grades:
                conditions.append(judgements.c.grade.in_(grades))
            statement = (
                select(
                    judgements.c.area,
                    judgements.c.grade,
                    inspections.c.year,
                    authorities.c.region,
                    inspections.c.type,
                    func.count(),
                )
                .select_from(
                    judgements.join(
                        inspections, inspections.c.id == judgements.c.inspection_id
                    ).join(authorities, authorities.c.id == inspections.c.authority_id)
                )
                .where(*conditions)
                .group_by(
                    judgements.c.area,
                    judgements.c.grade,
                    inspections.c.year,
                    authorities.c.region,
                    inspections.c.type,
                )
            )
            counts = Counter()
            for *key, count in connection.execute(statement):
                counts[tuple(key)] += count
            rows = _grade_rows(counts, splits)
    if representation(request) is OutputFormat.CSV:
        names = ["area", "grade", "score", *[s.value for s in GradeSplit if s in splits]]
        return with_coverage(rows_csv("grade-stats.csv", [*names, "judgements"], rows), coverage)
    return with_coverage(json_response({"items": rows, **coverage_fields(coverage)}), coverage)


def _grade_rows(counts: Counter[tuple[Any, ...]], splits: set[GradeSplit]) -> list[dict[str, Any]]:
    """Counts keyed (area, grade, year, region, type), summed over what is not split by,
    as rows in order of area, split values and score."""
    summed: Counter[tuple[Any, ...]] = Counter()
    for (area, grade, year, region, type_), count in counts.items():
        summed[
            (
                area,
                year if GradeSplit.YEAR in splits else None,
                region if GradeSplit.REGION in splits else None,
                type_ if GradeSplit.TYPE in splits else None,
                GRADE_SCORES[Grade(grade)],
                grade,
            )
        ] += count
    rows = []
    for (area, year, region, type_, score, grade), count in sorted(
        summed.items(), key=lambda item: tuple("" if v is None else str(v) for v in item[0])
    ):
        row: dict[str, Any] = {"area": area, "grade": grade, "score": score}
        if GradeSplit.YEAR in splits:
            row["year"] = year
        if GradeSplit.REGION in splits:
            row["region"] = region
        if GradeSplit.TYPE in splits:
            row["type"] = type_
        row["judgements"] = count
        rows.append(row)
    return rows


__all__ = ["router"]
