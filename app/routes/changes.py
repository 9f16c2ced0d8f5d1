"""The change feed: what was loaded, re-extracted or deleted since a data version."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Select, select

from app.caching import changes, data_version
from app.export import FormatQuery, OutputFormat, csv_response, representation, stream
from app.limits import MAX_ID
from app.pagination import LimitQuery, Page, count_of, next_link, page_response
from app.queries import authorities, documents, engine_of, inspections
from app.routes import examples
from app.routes.docs import documented
from app.schemas import ChangePage

router = APIRouter(tags=["changes"])

_COLUMNS = (
    changes.c.id,
    changes.c.action,
    changes.c.at,
    changes.c.document_id,
    changes.c.inspection_id,
    documents.c.id.label("document_found"),
    documents.c.filename,
    documents.c.title,
    documents.c.kind,
    documents.c.letter_date,
    documents.c.published_date,
    documents.c.published_source,
    documents.c.source_url,
    inspections.c.id.label("inspection_found"),
    inspections.c.type,
    inspections.c.start_date,
    inspections.c.year,
    authorities.c.slug,
    authorities.c.name,
)
# Outer joins: a change outlives the document or inspection it names.
_FROM = (
    changes.outerjoin(documents, documents.c.id == changes.c.document_id)
    .outerjoin(inspections, inspections.c.id == changes.c.inspection_id)
    .outerjoin(authorities, authorities.c.id == inspections.c.authority_id)
)
CSV_COLUMNS = [
    "version",
    "action",
    "at",
    "document_id",
    "inspection_id",
    "document_filename",
    "document_title",
    "document_kind",
    "document_published_date",
    "document_published_source",
    "inspection_authority_slug",
    "inspection_type",
    "inspection_start_date",
    "inspection_year",
]


def change_json(row: Any) -> dict[str, Any]:
    return {
        "version": row.id,
        "action": row.action,
        "at": row.at,
        "document_id": row.document_id,
        "inspection_id": row.inspection_id,
        "document": None
        if row.document_found is None
        else {
            "id": row.document_id,
            "filename": row.filename,
            "title": row.title,
            "kind": row.kind,
            "letter_date": row.letter_date,
            "published_date": row.published_date,
            "published_source": row.published_source,
            "source_url": row.source_url,
        },
        "inspection": None
        if row.inspection_found is None
        else {
            "id": row.inspection_id,
            "authority": {"slug": row.slug, "name": row.name},
            "type": row.type,
            "start_date": row.start_date,
            "year": row.year,
        },
    }


def _statement(since: int) -> Select[Any]:
    return select(*_COLUMNS).select_from(_FROM).where(changes.c.id > since)


@router.get(
    "/changes",
    response_model=ChangePage,
    summary="What changed since a data version: a feed to sync from",
    responses=documented(examples.CHANGES, csv=examples.CHANGES_CSV, paged=True),
)
def list_changes(
    request: Request,
    since: int = Query(
        0,
        ge=0,
        le=MAX_ID,
        description="The data version you have (the `version` of your last sync, or of the "
        "last change you saw); 0 for everything",
        examples=[3],
    ),
    count: bool = Query(True, description="`false` skips counting", examples=[False]),
    limit: int = LimitQuery,
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """Every document loaded, re-extracted (`reparsed`) or deleted after version `since`,
    oldest first, each naming its document and inspection (null once deleted), so a client
    can fetch just those (`GET /inspections/{id}`, `GET /findings?inspection=`) instead of
    everything. The response's `version` is the current data version (also in the ETag):
    keep it and pass it as `since` next time. `next` continues with a later `since`."""
    with engine_of(request).connect() as connection:
        current = data_version(connection).version
        statement = _statement(since)
        if representation(request) is OutputFormat.CSV:
            batches = stream(engine_of(request), statement.order_by(changes.c.id), _changes_json)
            return csv_response("changes.csv", CSV_COLUMNS, batches)
        total = count_of(connection, statement) if count else None
        rows = connection.execute(statement.order_by(changes.c.id).limit(limit + 1)).all()
    page_rows, more = rows[:limit], len(rows) > limit
    page = Page(
        list(page_rows),
        total,
        limit,
        next_link(request, str(page_rows[-1].id), "since") if more else None,
    )
    items = [change_json(row) for row in page.rows]
    return page_response(items, page, version=current)


def _changes_json(_connection: Connection, rows: list[Any]) -> list[dict[str, Any]]:
    return [change_json(row) for row in rows]


__all__ = ["router"]
