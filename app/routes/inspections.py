"""Inspections: one visit to one authority on one set of dates, with its judgements and the
documents it was published in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from app.http.coverage import coverage_note
from app.http.errors import NotFound
from app.http.limits import MAX_ID
from app.http.responses import json_response
from app.http.state import authority_index_of, connection_of
from app.listing import CsvTable, Listing, list_response
from app.listing.export import csv_columns, flatten
from app.params import InspectionListQuery
from app.schemas import InspectionDetail, InspectionOut, Page, examples
from app.schemas.documented import documented
from app.store.inspections import inspection_detail, inspections_json, inspections_statement

router = APIRouter(tags=["inspections"])

CSV_COLUMNS = [*csv_columns(InspectionOut, without=("finding_counts",)), "findings"]


def inspection_csv(item: dict[str, Any]) -> dict[str, Any]:
    """An inspection as a CSV row: judgements as `area:grade;...`, documents as ids,
    inspectors as `a;b`, findings as their total."""
    skipped = ("judgements", "inspectors", "finding_counts")
    row = flatten({key: value for key, value in item.items() if key not in skipped})
    row["judgements"] = ";".join(
        f"{judgement['area']}:{judgement['grade'] or ''}" for judgement in item["judgements"]
    )
    row["inspectors"] = ";".join(item["inspectors"])
    row["findings"] = sum(item["finding_counts"].values())
    return row


@router.get(
    "/inspections",
    response_model=Page[InspectionOut],
    summary="Inspections, filtered and paginated",
    responses=documented(examples.INSPECTIONS, csv=examples.INSPECTIONS_CSV, paged=True),
)
def list_inspections(request: Request, query: Annotated[InspectionListQuery, Query()]) -> Response:
    """Inspections in date order, each with its judgements and documents.

    `grade` matches inspections having a judgement of that grade, narrowed to the judgement
    areas in `area` when given; `area` alone matches inspections graded in that area;
    `published_from`/`published_to` match inspections with a document published in range.
    With `format=csv` or `Accept: text/csv`, a CSV of every matching inspection."""
    index = authority_index_of(request)

    def build(connection: Connection, _first_page: int | None) -> Listing:
        statement, keyset = inspections_statement(connection, index, query, query.sort)
        coverage = coverage_note(request, connection, query)
        return Listing(statement, keyset, inspections_json, coverage)

    table = CsvTable("inspections.csv", CSV_COLUMNS, inspection_csv)
    return list_response(request, query, build, table)


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
    with connection_of(request) as connection:
        body = inspection_detail(connection, inspection_id)
    if body is None:
        raise NotFound(f"No inspection with id {inspection_id}")
    return json_response(body)


__all__ = ["CSV_COLUMNS", "router"]
