"""The change feed: what was loaded, re-extracted or deleted since a data version."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from app.http.limits import DEFAULT_LIMIT, MAX_ID
from app.http.state import engine_of
from app.listing import page_response
from app.listing.export import OutputFormat, csv_columns, csv_response, representation, stream
from app.listing.keyset import Page, next_link
from app.params import Formatted, Limit
from app.schemas import ChangeOut, ChangePage, examples
from app.schemas.documented import documented
from app.store.changes import changes_json, changes_page, changes_since, data_version

router = APIRouter(tags=["changes"])

CSV_COLUMNS = list(dict.fromkeys(csv_columns(ChangeOut)))
"""A change's CSV row: its JSON item flattened (the document's and the inspection's ids are
the change's own `document_id` and `inspection_id`)."""


class ChangesQuery(Formatted):
    since: int = Field(
        0,
        ge=0,
        le=MAX_ID,
        description="The data version you have (the `version` of your last sync, or of the "
        "last change you saw); 0 for everything",
        examples=[3],
    )
    count: bool = Field(True, description="`false` skips counting", examples=[False])
    limit: Limit = DEFAULT_LIMIT


@router.get(
    "/changes",
    response_model=ChangePage,
    summary="What changed since a data version: a feed to sync from",
    responses=documented(examples.CHANGES, csv=examples.CHANGES_CSV, paged=True),
)
def list_changes(request: Request, query: Annotated[ChangesQuery, Query()]) -> Response:
    """Every document loaded, re-extracted (`reparsed`) or deleted after version `since`,
    oldest first, each naming its document and inspection (null once deleted), so a client
    can fetch just those (`GET /inspections/{id}`, `GET /findings?inspection=`) instead of
    everything. The response's `version` is the current data version (also in the ETag):
    keep it and pass it as `since` next time. `next` continues with a later `since`."""
    since, limit = query.since, query.limit
    engine = engine_of(request)
    if representation(request) is OutputFormat.CSV:
        batches = stream(engine, changes_since(since), changes_json)
        return csv_response("changes.csv", CSV_COLUMNS, batches)
    with engine.connect() as connection:
        current = data_version(connection).version
        rows, total = changes_page(connection, since, limit, count=query.count)
    page_rows, more = rows[:limit], len(rows) > limit
    after = next_link(request, str(page_rows[-1].id), "since") if more else None
    page = Page(list(page_rows), total, limit, after)
    return page_response(changes_json(connection, page.rows), page, version=current)


__all__ = ["router"]
