"""Judgements: the grades inspections gave, one row per inspection and judgement area."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import ColumnElement, func, select

from app.errors import ERROR_RESPONSES
from app.pagination import CursorQuery, LimitQuery, after, decode_cursor, encode_cursor, next_link
from app.queries import (
    AreaParam,
    AuthorityParam,
    GradeParam,
    TypeParam,
    Year,
    YearParam,
    authorities,
    authority_index_of,
    engine_of,
    inspections,
    judgements,
    values_of,
)
from app.responses import json_response
from app.schemas import JudgementRow, Page
from app.vocabulary import Grade, InspectionType, JudgementArea

router = APIRouter(tags=["judgements"])

_COLUMNS = (
    judgements.c.id,
    judgements.c.inspection_id,
    authorities.c.slug,
    authorities.c.name,
    inspections.c.year,
    inspections.c.type,
    inspections.c.start_date,
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


@router.get(
    "/judgements",
    response_model=Page[JudgementRow],
    summary="Judgements (grades), filtered and paginated",
    responses=ERROR_RESPONSES,
)
def list_judgements(
    request: Request,
    authority: list[str] | None = AuthorityParam,
    year: list[Year] | None = YearParam,
    type: list[InspectionType] | None = TypeParam,
    area: list[JudgementArea] | None = AreaParam,
    grade: list[Grade] | None = GradeParam,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
) -> Response:
    """The judgements that stand for each inspection, in date order. Where a report and its
    summary for children grade the same area, the report's judgement is the one listed."""
    with engine_of(request).connect() as connection:
        conditions: list[ColumnElement[bool]] = [judgements.c.canonical]
        if authority:
            ids = authority_index_of(request).resolve(connection, authority)
            conditions.append(inspections.c.authority_id.in_(ids))
        if year:
            conditions.append(inspections.c.year.in_(year))
        if type:
            conditions.append(inspections.c.type.in_(values_of(type)))
        if area:
            conditions.append(judgements.c.area.in_(values_of(area)))
        if grade:
            conditions.append(judgements.c.grade.in_(values_of(grade)))
        statement = select(*_COLUMNS).select_from(_FROM).where(*conditions)
        total = connection.scalar(select(func.count()).select_from(statement.subquery()))
        if cursor:
            statement = statement.where(after(_ORDER, decode_cursor(cursor, (date, int))))
        rows = connection.execute(statement.order_by(*_ORDER).limit(limit + 1)).all()
    page, more = rows[:limit], len(rows) > limit
    items = [
        {
            "id": row.id,
            "inspection_id": row.inspection_id,
            "authority": {"slug": row.slug, "name": row.name},
            "year": row.year,
            "inspection_type": row.type,
            "area": row.area,
            "area_label": row.area_label,
            "grade": row.grade,
            "grade_label": row.grade_label,
            "source": {
                "document_id": row.document_id,
                "start": row.source_start,
                "end": row.source_end,
            },
        }
        for row in page
    ]
    next_page = (
        next_link(request, encode_cursor([page[-1].start_date, page[-1].id])) if more else None
    )
    return json_response({"items": items, "total": total, "limit": limit, "next": next_page})
