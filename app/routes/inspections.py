"""Inspections: one visit to one authority on one set of dates, with its judgements and the
documents it was published in."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, func, select

from app.errors import NotFound
from app.export import FormatQuery, OutputFormat, csv_response, flatten, representation, stream
from app.limits import MAX_ID
from app.pagination import CursorQuery, Keyset, LimitQuery, page_response, paginate
from app.queries import (
    CountParam,
    InspectionFilters,
    authorities,
    authority_index_of,
    cited_judgements,
    documents,
    engine_of,
    findings,
    inspections,
    judgements,
)
from app.responses import coverage_fields, json_response, with_coverage
from app.routes import examples
from app.routes.docs import documented
from app.routes.notes import coverage_note
from app.schemas import InspectionDetail, InspectionOut, Page

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
            documents.c.published_source,
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
        "published_source": row.published_source,
        "source_url": row.source_url,
    }


def finding_counts_for(
    connection: Connection, inspection_ids: list[int]
) -> dict[int, dict[str, int]]:
    """Each inspection's findings counted by kind, in one statement."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    if not inspection_ids:
        return found
    rows = connection.execute(
        select(findings.c.inspection_id, findings.c.kind, func.count())
        .where(findings.c.inspection_id.in_(inspection_ids))
        .group_by(findings.c.inspection_id, findings.c.kind)
        .order_by(findings.c.inspection_id, findings.c.kind)
    )
    for inspection_id, kind, count in rows:
        found[inspection_id][kind] = count
    return found


def inspection_json(
    row: Any, judgement_rows: list[Any], document_rows: list[Any], counts: dict[str, int]
) -> dict[str, Any]:
    inspectors: list[str] = []
    for document in document_rows:
        inspectors.extend(name for name in document.inspectors if name not in inspectors)
    return {
        "id": row.id,
        "authority": {"slug": row.slug, "name": row.name},
        "type": row.type,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "year": row.year,
        "judgements": judgement_rows,
        "documents": [document_ref(document) for document in document_rows],
        "inspectors": inspectors,
        "finding_counts": counts,
    }


class InspectionSort(StrEnum):
    DATE = "date"
    DATE_DESC = "-date"
    AUTHORITY = "authority"
    AUTHORITY_DESC = "-authority"


_KEYSETS = {
    InspectionSort.DATE: Keyset("date", _ORDER, (date, int)),
    InspectionSort.DATE_DESC: Keyset("-date", _ORDER, (date, int), descending=True),
    InspectionSort.AUTHORITY: Keyset("authority", (authorities.c.slug, *_ORDER), (str, date, int)),
    InspectionSort.AUTHORITY_DESC: Keyset(
        "-authority", (authorities.c.slug, *_ORDER), (str, date, int), descending=True
    ),
}
CSV_COLUMNS = [
    "id",
    "authority_slug",
    "authority_name",
    "type",
    "start_date",
    "end_date",
    "year",
    "judgements",
    "documents",
    "inspectors",
    "findings",
]


def inspection_csv(item: dict[str, Any]) -> dict[str, Any]:
    """An inspection as a CSV row: judgements as `area:grade;...`, documents as ids."""
    skipped = ("judgements", "inspectors", "finding_counts")
    row = flatten({key: value for key, value in item.items() if key not in skipped})
    row["judgements"] = ";".join(
        f"{judgement['area']}:{judgement['grade'] or ''}" for judgement in item["judgements"]
    )
    row["inspectors"] = ";".join(item["inspectors"])
    row["findings"] = sum(item["finding_counts"].values())
    return row


def inspections_json(connection: Connection, rows: list[Any]) -> list[dict[str, Any]]:
    ids = [row.id for row in rows]
    grades = judgements_for(connection, ids)
    docs = documents_for(connection, ids)
    counts = finding_counts_for(connection, ids)
    return [
        inspection_json(row, grades.get(row.id, []), docs.get(row.id, []), counts.get(row.id, {}))
        for row in rows
    ]


@router.get(
    "/inspections",
    response_model=Page[InspectionOut],
    summary="Inspections, filtered and paginated",
    responses=documented(examples.INSPECTIONS, csv=examples.INSPECTIONS_CSV, paged=True),
)
def list_inspections(
    request: Request,
    filters: Annotated[InspectionFilters, Depends()],
    sort: InspectionSort = Query(
        InspectionSort.DATE,
        description="`date` (first day, oldest first), `-date` (newest first), "
        "`authority`/`-authority` (by authority slug, then date)",
        examples=["-date"],
    ),
    count: bool = CountParam,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """Inspections in date order, each with its judgements and documents.

    `grade` matches inspections having a judgement of that grade, narrowed to the judgement
    areas in `area` when given; `area` alone matches inspections graded in that area;
    `published_from`/`published_to` match inspections with a document published in range.
    With `format=csv` or `Accept: text/csv`, a CSV of every matching inspection."""
    keyset = _KEYSETS[sort]
    index = authority_index_of(request)
    with engine_of(request).connect() as connection:
        conditions = filters.conditions(connection, index)
        statement = select(*_COLUMNS).select_from(_FROM).where(*conditions)
        coverage = coverage_note(request, connection, filters)
        if representation(request) is OutputFormat.JSON:
            page = paginate(connection, request, statement, keyset, limit, cursor, count=count)
            items = inspections_json(connection, page.rows)
            return with_coverage(page_response(items, page, **coverage_fields(coverage)), coverage)
    if cursor:
        statement = statement.where(keyset.after(keyset.decode(cursor)))
    batches = stream(
        engine_of(request),
        statement.order_by(*keyset.order_by()),
        lambda connection, rows: map(inspection_csv, inspections_json(connection, rows)),
    )
    return with_coverage(csv_response("inspections.csv", CSV_COLUMNS, batches), coverage)


@router.get(
    "/inspections/{inspection_id}",
    response_model=InspectionDetail,
    summary="One inspection, with its judgements, documents and finding counts",
    responses=documented(examples.INSPECTION, not_found=True),
)
def get_inspection(
    request: Request,
    inspection_id: int = Path(ge=1, le=MAX_ID, description="The inspection's id", examples=[4]),
) -> Response:
    """An inspection with its judgements (grade and grade label as written), its documents,
    the inspectors they name, the earlier judgements they cite, and its findings counted by
    kind."""
    with engine_of(request).connect() as connection:
        body = inspection_detail(connection, inspection_id)
    if body is None:
        raise NotFound(f"No inspection with id {inspection_id}")
    return json_response(body)


def inspection_detail(connection: Connection, inspection_id: int) -> dict[str, Any] | None:
    """The body of `GET /inspections/{id}`, or None when there is no such inspection."""
    row = connection.execute(
        select(*_COLUMNS).select_from(_FROM).where(inspections.c.id == inspection_id)
    ).first()
    if row is None:
        return None
    grades = judgements_for(connection, [inspection_id]).get(inspection_id, [])
    docs = documents_for(connection, [inspection_id]).get(inspection_id, [])
    counts = finding_counts_for(connection, [inspection_id]).get(inspection_id, {})
    cited = connection.execute(
        select(cited_judgements)
        .where(cited_judgements.c.inspection_id == inspection_id)
        .order_by(cited_judgements.c.document_id, cited_judgements.c.source_start)
    ).all()
    body = inspection_json(row, grades, docs, counts)
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
    return body
