"""Judgements: the grades inspections gave, one row per inspection and judgement area."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from app.http.coverage import coverage_note
from app.http.state import authority_index_of
from app.listing import CsvTable, Listing, list_response
from app.listing.export import csv_columns
from app.params import JudgementListQuery
from app.schemas import JudgementRow, Page, examples
from app.schemas.documented import documented
from app.store.judgements import judgements_json, judgements_statement

router = APIRouter(tags=["judgements"])

CSV_COLUMNS = csv_columns(JudgementRow, after={"grade_label": ["score"]}, without={"score"})
"""A judgement's CSV row: its JSON item flattened, the score beside the grade."""


@router.get(
    "/judgements",
    response_model=Page[JudgementRow],
    summary="Judgements (grades), filtered and paginated",
    responses=documented(examples.JUDGEMENTS, csv=examples.JUDGEMENTS_CSV, paged=True),
)
def list_judgements(request: Request, query: Annotated[JudgementListQuery, Query()]) -> Response:
    """The judgements that stand for each inspection, in date order, each with its `score` on
    the one grade scale (1 outstanding to 4 inadequate). Where a report and its summary for
    children grade the same area, the report's judgement is the one listed. With
    `format=csv` or `Accept: text/csv`, a CSV of every matching judgement."""
    index = authority_index_of(request)

    def build(connection: Connection, _first_page: int | None) -> Listing:
        statement, keyset = judgements_statement(connection, index, query)
        return Listing(
            statement, keyset, judgements_json, coverage_note(request, connection, query)
        )

    table = CsvTable("judgements.csv", CSV_COLUMNS)
    return list_response(request, query, build, table)


__all__ = ["CSV_COLUMNS", "router"]
