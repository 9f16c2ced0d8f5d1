"""Findings: strengths, weaknesses, recommendations, priority actions and narrative
paragraphs, each with its themes and the offsets of its words in its document."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator, Field
from sqlalchemy import Connection

from app.http.coverage import coverage_note
from app.http.errors import NotFound
from app.http.fastpath import FastQueryRoute, quick_on_sqlite
from app.http.limits import MAX_ID
from app.http.responses import coverage_fields, json_response, with_coverage
from app.http.state import authority_index_of, connection_of, vector_index_of
from app.listing import CsvTable, Listing, list_response
from app.listing.export import OutputFormat, representation, rows_csv
from app.listing.ranked import ranked_offset, ranked_response
from app.params import FindingListQuery, FindingQuery, Formatted, split_commas
from app.schemas import FacetsOut, FindingOut, Page, examples
from app.schemas.documented import documented
from app.schemas.resources import FINDING_CSV_COLUMNS
from app.store.facets import DEFAULT_FACETS, Facet, count_facets
from app.store.findings import finding_by_id, findings_json, findings_statement, with_theme_scores
from app.store.similar import findings_in_order, ranked_search

router = APIRouter(tags=["findings"], route_class=FastQueryRoute)

CSV_COLUMNS = FINDING_CSV_COLUMNS
SEARCH_CSV_COLUMNS = ["rank", "score", "similarity", *CSV_COLUMNS]
"""The CSV of a semantic or hybrid search: each finding's place in the ranking first."""


def _a_page_of_an_index(query: FindingListQuery) -> bool:
    """A page read along an index, uncounted and unsearched: quick on SQLite."""
    return not query.count and query.q is None and query.mode is None


@router.get(
    "/findings",
    response_model=Page[FindingOut],
    summary="Findings, filtered, searched and paginated",
    responses=documented(examples.FINDINGS, csv=examples.FINDINGS_CSV, paged=True),
)
@quick_on_sqlite(_a_page_of_an_index)
def list_findings(request: Request, query: Annotated[FindingListQuery, Query()]) -> Response:
    """Findings matching every filter given, in date order (the inspection's first day, then
    document order), or most relevant first when searching with `q`.

    Filters combine with AND; a repeated parameter is OR within its filter
    (`theme=assessment&theme=child-in-need`). `grade` and `area` select findings of
    inspections having a judgement of that grade in that area; a visit that gives no grade
    matches no `grade`. Each finding names the words that put each theme on it, and its
    `source` gives the offsets of its words in `GET /documents/{id}`'s text. With `q`, each
    finding also has a `snippet`: its text, HTML-escaped, with the matching words in
    `<mark>` (cut to about 32 words around the first match when long).

    Follow `next` (also in the `Link` header) until it is null. With `format=csv` or
    `Accept: text/csv` the response is a CSV of every matching finding, in the same order."""
    if query.mode is not None and query.mode.by_meaning:
        return _by_meaning(request, query)
    index = authority_index_of(request)

    def build(connection: Connection, first_page: int | None) -> Listing:
        found = findings_statement(connection, index, query, query.sort, first_page)
        search = query.search
        return Listing(
            found.statement,
            found.keyset,
            lambda connection, rows: findings_json(connection, index, rows, search),
            coverage_note(request, connection, query),
            params=found.params,
            shape=found.shape,
        )

    columns = [*CSV_COLUMNS, "snippet"] if query.search else CSV_COLUMNS
    table = CsvTable("findings.csv", columns, with_theme_scores)
    named = {"mode": query.mode.value} if query.mode is not None else {}  # mode=keyword said so
    return list_response(request, query, build, table, named)


def _by_meaning(request: Request, query: FindingListQuery) -> Response:
    """`mode=semantic|hybrid`: the findings ranked by meaning (`app.store.similar`), paged
    by their place in the ranking."""
    assert query.mode is not None
    name = query.mode.value
    offset = ranked_offset(name, query.cursor)
    index = authority_index_of(request)
    table = CsvTable("findings.csv", SEARCH_CSV_COLUMNS, with_theme_scores)
    with connection_of(request) as connection:
        vectors = vector_index_of(request, connection)
        ranking = ranked_search(connection, index, vectors, query, query.q or "", query.mode)
        return ranked_response(
            request,
            name,
            ranking,
            lambda ranked: findings_in_order(connection, index, ranked),
            limit=query.limit,
            offset=offset,
            csv=table,
            extra={"mode": name},
        )


# --- facets ---------------------------------------------------------------------------------


class FacetQuery(Formatted, FindingQuery):
    by: Annotated[list[Facet] | None, BeforeValidator(split_commas)] = Field(
        None,
        description="The facets to count, comma-separated or repeated; all of theme, "
        "year, kind, grade, area, authority and region when omitted",
        examples=[["theme", "year"]],
    )


@router.get(
    "/findings/facets",
    response_model=FacetsOut,
    summary="Counts of findings per theme, year, kind, grade, area, authority, region ...",
    responses=documented(examples.FACETS, csv=examples.FACETS_CSV),
)
def finding_facets(request: Request, filters: Annotated[FacetQuery, Query()]) -> Response:
    """For each facet asked for, how many of the findings matching the filters have each
    value, most first: enough to draw a filter sidebar in one request. Takes every filter
    of `GET /findings`, `q` included.

    `theme`, `grade` and `area` are many-valued (a finding has several themes; its
    inspection several judgements), so their counts can add up to more than `total`.
    `grade` and `area` count the inspection's judgements, as the filters of those names do."""
    facets = list(dict.fromkeys(filters.by or DEFAULT_FACETS))
    index = authority_index_of(request)
    with connection_of(request) as connection:
        total, counted = count_facets(connection, index, filters, facets)
        coverage = coverage_note(request, connection, filters)
    result = {
        facet.value: [
            {"value": value, "label": label, "count": count} for value, label, count in entries
        ]
        for facet, entries in counted.items()
    }
    if representation(request) is OutputFormat.CSV:
        rows = [{"facet": facet, **entry} for facet, entries in result.items() for entry in entries]
        return with_coverage(
            rows_csv("facets.csv", ["facet", "value", "label", "count"], rows), coverage
        )
    body = {"total": total, "facets": result, **coverage_fields(coverage)}
    return with_coverage(json_response(body), coverage)


@router.get(
    "/findings/{finding_id}",
    response_model=FindingOut,
    summary="One finding",
    responses=documented(examples.FINDING, not_found=True),
)
def get_finding(
    request: Request,
    finding_id: int = Path(ge=1, le=MAX_ID, description="The finding's id", examples=[59]),
) -> Response:
    """One finding with its themes and source offsets."""
    with connection_of(request) as connection:
        item = finding_by_id(connection, authority_index_of(request), finding_id)
    if item is None:
        raise NotFound(f"No finding with id {finding_id}")
    return json_response(item)


__all__ = ["CSV_COLUMNS", "SEARCH_CSV_COLUMNS", "router"]
