"""Judgements: the grades inspections gave, one row per inspection and judgement area."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from app.export import FormatQuery, OutputFormat, csv_response, representation, stream
from app.pagination import CursorQuery, Keyset, LimitQuery, page_response, paginate
from app.queries import (
    AuthorityParam,
    CountParam,
    InspectionFilters,
    InspectionId,
    InspectionIdParam,
    IsoDate,
    PublishedFromParam,
    PublishedToParam,
    RegionParam,
    TypeParam,
    Year,
    YearFromParam,
    YearParam,
    YearToParam,
    authorities,
    authority_index_of,
    engine_of,
    in_values,
    inspections,
    judgements,
    values_of,
)
from app.responses import coverage_fields, with_coverage
from app.routes import examples
from app.routes.docs import documented
from app.routes.notes import coverage_note
from app.schemas import JudgementRow, Page
from app.vocabulary import GRADE_SCORES, Grade, InspectionType, JudgementArea

router = APIRouter(tags=["judgements"])

_COLUMNS = (
    judgements.c.id,
    judgements.c.inspection_id,
    authorities.c.slug,
    authorities.c.name,
    inspections.c.year,
    inspections.c.type,
    inspections.c.start_date,
    inspections.c.authority_id,
    judgements.c.area,
    judgements.c.area_label,
    judgements.c.grade,
    judgements.c.grade_label,
    judgements.c.document_id,
    judgements.c.source_start,
    judgements.c.source_end,
)
_FROM = judgements.join(inspections, inspections.c.id == judgements.c.inspection_id).join(
    authorities, authorities.c.id == inspections.c.authority_id
)
_ORDER = (inspections.c.start_date, judgements.c.id)


_KEYSET = Keyset("date", _ORDER, (date, int))
CSV_COLUMNS = [
    "id",
    "inspection_id",
    "authority_slug",
    "authority_name",
    "year",
    "inspection_type",
    "start_date",
    "area",
    "area_label",
    "grade",
    "grade_label",
    "score",
    "source_document_id",
    "source_start",
    "source_end",
]


def _latest(conditions: list[Any]) -> Any:
    """The ids of the judgements, among those the `conditions` allow, that are their
    authority's latest in their area (the inspection that began last; the later id on a
    tie)."""
    rank = (
        func.row_number()
        .over(
            partition_by=(inspections.c.authority_id, judgements.c.area),
            order_by=(inspections.c.start_date.desc(), inspections.c.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(judgements.c.id, rank)
        .select_from(judgements.join(inspections, inspections.c.id == judgements.c.inspection_id))
        .where(*conditions)
        .subquery()
    )
    return select(ranked.c.id).where(ranked.c.rank == 1)


def judgement_row_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "inspection_id": row.inspection_id,
        "authority": {"slug": row.slug, "name": row.name},
        "year": row.year,
        "inspection_type": row.type,
        "start_date": row.start_date,
        "area": row.area,
        "area_label": row.area_label,
        "grade": row.grade,
        "grade_label": row.grade_label,
        "score": GRADE_SCORES.get(row.grade) if row.grade else None,
        "source": {
            "document_id": row.document_id,
            "start": row.source_start,
            "end": row.source_end,
        },
    }


@router.get(
    "/judgements",
    response_model=Page[JudgementRow],
    summary="Judgements (grades), filtered and paginated",
    responses=documented(examples.JUDGEMENTS, csv=examples.JUDGEMENTS_CSV, paged=True),
)
def list_judgements(
    request: Request,
    authority: list[str] | None = AuthorityParam,
    region: list[str] | None = RegionParam,
    year: list[Year] | None = YearParam,
    year_from: int | None = YearFromParam,
    year_to: int | None = YearToParam,
    published_from: IsoDate | None = PublishedFromParam,
    published_to: IsoDate | None = PublishedToParam,
    type: list[InspectionType] | None = TypeParam,
    inspection: list[InspectionId] | None = InspectionIdParam,
    area: list[JudgementArea] | None = Query(
        None, description="Judgement area; repeat for OR", examples=["leadership"]
    ),
    grade: list[Grade] | None = Query(
        None, description="Grade of the judgement; repeat for OR", examples=["inadequate"]
    ),
    latest: bool = Query(
        False,
        description="Only each authority's latest judgement in each area: of the inspections "
        "the other inspection filters allow, the one that began last (so `year_to=2019` gives "
        "the latest grades as at the end of 2019, `type=ilacs` the latest ILACS grades); "
        "`area` and `grade` then choose among those latest judgements. Grades known only "
        "from a later report's citation are not judgements and are not listed",
        examples=[True],
    ),
    count: bool = CountParam,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """The judgements that stand for each inspection, in date order, each with its `score` on
    the one grade scale (1 outstanding to 4 inadequate). Where a report and its summary for
    children grade the same area, the report's judgement is the one listed. With
    `format=csv` or `Accept: text/csv`, a CSV of every matching judgement."""
    filters = InspectionFilters(
        authority, region, year, year_from, year_to, published_from, published_to, type, None, None
    )
    index = authority_index_of(request)
    with engine_of(request).connect() as connection:
        conditions = [judgements.c.canonical, *filters.conditions(connection, index)]
        coverage = coverage_note(request, connection, filters)
        if inspection:
            conditions.append(in_values(judgements.c.inspection_id, inspection))
        if area:
            conditions.append(judgements.c.area.in_(values_of(area)))
        if latest:
            conditions.append(judgements.c.id.in_(_latest(conditions)))
        if grade:
            conditions.append(judgements.c.grade.in_(values_of(grade)))
        statement = select(*_COLUMNS).select_from(_FROM).where(*conditions)
        if representation(request) is OutputFormat.CSV:
            if cursor:
                statement = statement.where(_KEYSET.after(_KEYSET.decode(cursor)))
            batches = stream(
                engine_of(request),
                statement.order_by(*_KEYSET.order_by()),
                lambda _connection, rows: map(judgement_row_json, rows),
            )
            return with_coverage(csv_response("judgements.csv", CSV_COLUMNS, batches), coverage)
        page = paginate(connection, request, statement, _KEYSET, limit, cursor, count=count)
    items = [judgement_row_json(row) for row in page.rows]
    return with_coverage(page_response(items, page, **coverage_fields(coverage)), coverage)
