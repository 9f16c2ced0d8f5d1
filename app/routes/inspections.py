"""Inspections: one visit to one authority on one set of dates, with its judgements and the
documents it was published in."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import ColumnElement, Connection, func, select

from app.errors import ERROR_RESPONSES, NotFound
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
    cited_judgements,
    documents,
    engine_of,
    findings,
    grade_condition,
    inspections,
    judgements,
    values_of,
)
from app.responses import json_response
from app.schemas import InspectionDetail, InspectionOut, Page
from app.vocabulary import Grade, InspectionType, JudgementArea

router = APIRouter(tags=["inspections"])

_COLUMNS = (
    inspections.c.id,
    authorities.c.slug,
    authorities.c.name,
    inspections.c.type,
    inspections.c.start_date,
    inspections.c.end_date,
    inspections.c.year,
)
_FROM = inspections.join(authorities, authorities.c.id == inspections.c.authority_id)
_ORDER = (inspections.c.start_date, inspections.c.id)


def judgement_json(row: Any) -> dict[str, Any]:
    return {
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


def judgements_for(connection: Connection, inspection_ids: list[int]) -> dict[int, list[Any]]:
    """The judgements that stand for each inspection, in the order the documents give them."""
    found: dict[int, list[Any]] = defaultdict(list)
    if not inspection_ids:
        return found
    rows = connection.execute(
        select(judgements)
        .where(judgements.c.inspection_id.in_(inspection_ids), judgements.c.canonical)
        .order_by(judgements.c.inspection_id, judgements.c.document_id, judgements.c.source_start)
    )
    for row in rows:
        found[row.inspection_id].append(judgement_json(row))
    return found


def documents_for(connection: Connection, inspection_ids: list[int]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    if not inspection_ids:
        return found
    rows = connection.execute(
        select(
            documents.c.id,
            documents.c.inspection_id,
            documents.c.filename,
            documents.c.title,
            documents.c.kind,
            documents.c.letter_date,
            documents.c.published_date,
            documents.c.source_url,
            documents.c.inspectors,
        )
        .where(documents.c.inspection_id.in_(inspection_ids))
        .order_by(documents.c.inspection_id, documents.c.id)
    )
    for row in rows:
        found[row.inspection_id].append(row)
    return found


def document_ref(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "filename": row.filename,
        "title": row.title,
        "kind": row.kind,
        "letter_date": row.letter_date,
        "published_date": row.published_date,
        "source_url": row.source_url,
    }


def inspection_json(
    row: Any, judgement_rows: list[Any], document_rows: list[Any]
) -> dict[str, Any]:
    return {
        "id": row.id,
        "authority": {"slug": row.slug, "name": row.name},
        "type": row.type,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "year": row.year,
        "judgements": judgement_rows,
        "documents": [document_ref(document) for document in document_rows],
    }


@router.get(
    "/inspections",
    response_model=Page[InspectionOut],
    summary="Inspections, filtered and paginated",
    responses=ERROR_RESPONSES,
)
def list_inspections(
    request: Request,
    authority: list[str] | None = AuthorityParam,
    year: list[Year] | None = YearParam,
    type: list[InspectionType] | None = TypeParam,
    grade: list[Grade] | None = GradeParam,
    area: list[JudgementArea] | None = AreaParam,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
) -> Response:
    """Inspections in date order, each with its judgements and documents.

    `grade` matches inspections having a judgement of that grade, narrowed to the judgement
    areas in `area` when given; `area` alone matches inspections graded in that area."""
    with engine_of(request).connect() as connection:
        conditions: list[ColumnElement[bool]] = []
        if authority:
            ids = authority_index_of(request).resolve(connection, authority)
            conditions.append(inspections.c.authority_id.in_(ids))
        if year:
            conditions.append(inspections.c.year.in_(year))
        if type:
            conditions.append(inspections.c.type.in_(values_of(type)))
        if grade:
            conditions.append(grade_condition(inspections.c.id, grade, area))
        elif area:
            conditions.append(
                select(judgements.c.id)
                .where(
                    (judgements.c.inspection_id == inspections.c.id)
                    & judgements.c.canonical
                    & judgements.c.area.in_(values_of(area))
                )
                .exists()
            )
        statement = select(*_COLUMNS).select_from(_FROM).where(*conditions)
        total = connection.scalar(select(func.count()).select_from(statement.subquery()))
        if cursor:
            statement = statement.where(after(_ORDER, decode_cursor(cursor, (date, int))))
        rows = connection.execute(statement.order_by(*_ORDER).limit(limit + 1)).all()
        page, more = rows[:limit], len(rows) > limit
        ids = [row.id for row in page]
        grades = judgements_for(connection, ids)
        docs = documents_for(connection, ids)
    items = [inspection_json(row, grades.get(row.id, []), docs.get(row.id, [])) for row in page]
    next_page = (
        next_link(request, encode_cursor([page[-1].start_date, page[-1].id])) if more else None
    )
    return json_response({"items": items, "total": total, "limit": limit, "next": next_page})


@router.get(
    "/inspections/{inspection_id}",
    response_model=InspectionDetail,
    summary="One inspection, with its judgements, documents and finding counts",
    responses=ERROR_RESPONSES,
)
def get_inspection(request: Request, inspection_id: int = Path(ge=1)) -> Response:
    """An inspection with its judgements (grade and grade label as written), its documents,
    the inspectors they name, the earlier judgements they cite, and its findings counted by
    kind."""
    with engine_of(request).connect() as connection:
        row = connection.execute(
            select(*_COLUMNS).select_from(_FROM).where(inspections.c.id == inspection_id)
        ).first()
        if row is None:
            raise NotFound(f"No inspection with id {inspection_id}")
        grades = judgements_for(connection, [inspection_id]).get(inspection_id, [])
        docs = documents_for(connection, [inspection_id]).get(inspection_id, [])
        counts: dict[str, int] = dict(
            connection.execute(
                select(findings.c.kind, func.count())
                .where(findings.c.inspection_id == inspection_id)
                .group_by(findings.c.kind)
                .order_by(findings.c.kind)
            ).all()
        )
        cited = connection.execute(
            select(cited_judgements)
            .where(cited_judgements.c.inspection_id == inspection_id)
            .order_by(cited_judgements.c.document_id, cited_judgements.c.source_start)
        ).all()
    body = inspection_json(row, grades, docs)
    inspectors: list[str] = []
    for document in docs:
        inspectors.extend(name for name in document.inspectors if name not in inspectors)
    body["inspectors"] = inspectors
    body["cited_judgements"] = [
        {
            "area": item.area,
            "grade": item.grade,
            "grade_label": item.grade_label,
            "year": item.cited_year,
            "month": item.cited_month,
            "source": {
                "document_id": item.document_id,
                "start": item.source_start,
                "end": item.source_end,
            },
        }
        for item in cited
    ]
    body["finding_counts"] = counts
    return json_response(body)
