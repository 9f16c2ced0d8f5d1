"""Findings: strengths, weaknesses, recommendations, priority actions and narrative
paragraphs, each with its themes and the offsets of its words in its document."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator
from sqlalchemy import (
    ARRAY,
    Connection,
    Integer,
    Select,
    Text,
    bindparam,
    cast,
    column,
    func,
    select,
)

from app.errors import ErrorDetail, InvalidParameter, NotFound
from app.export import (
    FormatQuery,
    OutputFormat,
    csv_response,
    representation,
    rows_csv,
    stream,
)
from app.facets import DEFAULT_FACETS, Facet, count_facets
from app.fastpath import FastQueryRoute
from app.intelligence.modes import ModeQuery, SearchMode
from app.limits import MAX_ID
from app.pagination import (
    CursorQuery,
    Keyset,
    LimitQuery,
    page_response,
    paginate,
)
from app.queries import (
    AuthorityIndex,
    AuthorityRow,
    CountParam,
    FindingFilters,
    authorities,
    authority_index_of,
    engine_of,
    finding_themes,
    findings,
    inspections,
    split_commas,
)
from app.responses import coverage_fields, json_response, with_coverage
from app.routes import examples
from app.routes.docs import documented
from app.routes.notes import coverage_note
from app.schemas import FacetsOut, FindingOut, Page
from app.search import Ranking, SearchQuery, scored_matches, search_ranking, top_matches

router = APIRouter(tags=["findings"], route_class=FastQueryRoute)

_COLUMNS = (
    findings.c.id,
    findings.c.inspection_id,
    findings.c.authority_id,
    findings.c.start_date,
    findings.c.kind,
    findings.c.section,
    findings.c.judgement_area,
    findings.c.timeframe,
    findings.c.paragraph,
    findings.c.polarity,
    findings.c.polarity_score,
    findings.c.text,
    findings.c.document_id,
    findings.c.source_start,
    findings.c.source_end,
)
"""A finding's own columns: its authority's slug and name come from the register in memory
and its year from its start date (the inspection's), so a page reads the findings alone."""
_SELECT_FINDINGS = select(*_COLUMNS)
"""Built once: each query adds its FROM and conditions to a copy."""
CSV_COLUMNS = [
    "id",
    "inspection_id",
    "authority_slug",
    "authority_name",
    "year",
    "kind",
    "section",
    "judgement_area",
    "timeframe",
    "paragraph",
    "polarity",
    "polarity_score",
    "text",
    "themes",
    "theme_scores",
    "source_document_id",
    "source_start",
    "source_end",
]


class FindingSort(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"
    DATE_DESC = "-date"
    YEAR = "year"
    YEAR_DESC = "-year"
    AUTHORITY = "authority"
    AUTHORITY_DESC = "-authority"


_DATE = Keyset("date", (findings.c.start_date, findings.c.id), (date, int))
_KEYSETS = {
    FindingSort.DATE: _DATE,
    FindingSort.YEAR: _DATE,
    FindingSort.DATE_DESC: Keyset(
        "-date", (findings.c.start_date, findings.c.id), (date, int), descending=True
    ),
    FindingSort.AUTHORITY: Keyset(
        "authority",
        (authorities.c.slug, findings.c.start_date, findings.c.id),
        (str, date, int),
    ),
    FindingSort.AUTHORITY_DESC: Keyset(
        "-authority",
        (authorities.c.slug, findings.c.start_date, findings.c.id),
        (str, date, int),
        descending=True,
    ),
}
_KEYSETS[FindingSort.YEAR_DESC] = _KEYSETS[FindingSort.DATE_DESC]

SortParam = Query(
    None,
    description="Order of the results: `relevance` (the default with `q`, most relevant "
    "first), `date` (the default without `q`: the inspection's first day, then document "
    "order), `-date` (newest first), `year`/`-year` (the same as `date`/`-date`), "
    "`authority`/`-authority` (by authority slug, then date)",
    examples=["-date"],
)


_THEME_COLUMNS = (
    finding_themes.c.finding_id,
    finding_themes.c.theme,
    cast(finding_themes.c.matched, Text),
    finding_themes.c.score,
)
_THEME_ORDER = (finding_themes.c.finding_id, finding_themes.c.rank)
_THEMES_OF = {
    # The page's ids as one parameter, so the statement is the same whatever the page size
    # (no IN list to expand): an array on PostgreSQL, a JSON array read by json_each on SQLite.
    "postgresql": select(*_THEME_COLUMNS)
    .where(finding_themes.c.finding_id == func.any(bindparam("ids", type_=ARRAY(Integer))))
    .order_by(*_THEME_ORDER),
    "sqlite": select(*_THEME_COLUMNS)
    .where(
        finding_themes.c.finding_id.in_(
            select(column("value", Integer)).select_from(func.json_each(bindparam("ids")))
        )
    )
    .order_by(*_THEME_ORDER),
}


def themes_for(connection: Connection, finding_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Themes of a page of findings, in one statement. The matched words come as JSON text
    and are read by orjson (several times faster than a JSON column's own decoding)."""
    themes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not finding_ids:
        return themes
    dialect = connection.dialect.name
    ids: Any = finding_ids if dialect == "postgresql" else orjson.dumps(finding_ids).decode()
    loads = orjson.loads
    rows = connection.execute(_THEMES_OF[dialect], {"ids": ids}).all()
    for finding_id, theme, matched, score in rows:
        themes[finding_id].append({"id": theme, "matched": loads(matched), "score": score})
    return themes


def finding_json(
    row: Any,
    themes: list[dict[str, Any]],
    authority: AuthorityRow,
    search: SearchQuery | None = None,
) -> dict[str, Any]:
    """A row of `_COLUMNS` as the API's finding (read by position: a Row's attributes cost
    more than the rest of this function)."""
    (
        finding_id, inspection_id, _authority_id, start_date, kind, section, judgement_area,
        timeframe, paragraph, polarity, polarity_score, text, document_id, source_start,
        source_end, *_rest,
    ) = row  # fmt: skip
    item = {
        "id": finding_id,
        "inspection_id": inspection_id,
        "authority": {"slug": authority.slug, "name": authority.name},
        "year": start_date.year,
        "kind": kind,
        "section": section,
        "judgement_area": judgement_area,
        "timeframe": timeframe,
        "paragraph": paragraph,
        "polarity": polarity,
        "polarity_score": polarity_score,
        "text": text,
        "themes": themes,
        "source": {"document_id": document_id, "start": source_start, "end": source_end},
    }
    if search is not None:
        item["snippet"] = search.snippet(text)
    return item


def findings_json(
    connection: Connection, index: AuthorityIndex, rows: list[Any], search: SearchQuery | None
) -> list[dict[str, Any]]:
    """Findings with their themes (one more statement for the whole page)."""
    themes = themes_for(connection, [row[0] for row in rows])
    return [
        finding_json(row, themes.get(row[0], []), index.by_id(connection, row[2]), search)
        for row in rows
    ]


def with_theme_scores(item: dict[str, Any]) -> dict[str, Any]:
    """A finding for CSV: its themes' scores in a column of their own, in the themes' order."""
    item["theme_scores"] = [theme["score"] for theme in item["themes"]]
    return item


def findings_statement(
    connection: Connection,
    request: Request,
    filters: FindingFilters,
    sort: FindingSort | None,
    first_page: int | None = None,
) -> tuple[Select[Any], Keyset]:
    """The one statement for a findings query, and the order to page it in. `first_page`:
    the statement is for the first `first_page` rows only (no cursor), which lets a search
    with no other filter rank its matches before reading any finding (SQLite)."""
    search = filters.search
    sort = sort or (FindingSort.RELEVANCE if search is not None else FindingSort.DATE)
    if sort is FindingSort.RELEVANCE and search is None:
        raise InvalidParameter(
            "sort: relevance needs a search: add q",
            [ErrorDetail(parameter="sort", message="relevance needs q", input=sort.value)],
        )
    relevance = sort is FindingSort.RELEVANCE
    conditions = filters.conditions(connection, authority_index_of(request), search=not relevance)
    source: Any = findings
    statement = _SELECT_FINDINGS
    if filters.inspections.type:
        source = source.join(inspections, inspections.c.id == findings.c.inspection_id)
    if sort in (FindingSort.AUTHORITY, FindingSort.AUTHORITY_DESC):
        source = source.join(authorities, authorities.c.id == findings.c.authority_id)
        statement = statement.add_columns(authorities.c.slug)  # the sort key, for the cursor
    if not relevance:
        return statement.select_from(source).where(*conditions), _KEYSETS[sort]
    assert search is not None
    ranking = search_ranking(connection)
    matches, score = scored_matches(ranking, search)
    if ranking is not Ranking.BM25:
        conditions = [*conditions, matches]
    else:
        if first_page is not None and not conditions and source is findings:
            matches = top_matches(search, first_page)
            score = matches.c.score
        source = source.join(matches, matches.c.finding_id == findings.c.id)
    statement = statement.add_columns(score).select_from(source).where(*conditions)
    keyset = Keyset("relevance", (score, findings.c.id), (float, int))
    in_index = ranking is Ranking.RUM and search.in_index_order()
    return statement, replace(keyset, ranked_in_index=in_index)


@router.get(
    "/findings",
    response_model=Page[FindingOut],
    summary="Findings, filtered, searched and paginated",
    responses=documented(examples.FINDINGS, csv=examples.FINDINGS_CSV, paged=True),
)
def list_findings(
    request: Request,
    filters: Annotated[FindingFilters, Depends()],
    sort: FindingSort | None = SortParam,
    count: bool = CountParam,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
    format: OutputFormat | None = FormatQuery,
    mode: SearchMode | None = ModeQuery,
) -> Response:
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
    if mode in (SearchMode.SEMANTIC, SearchMode.HYBRID):
        from app.routes.intelligence import ranked_search

        return ranked_search(request, filters, mode, limit, cursor)
    engine = engine_of(request)
    index = authority_index_of(request)
    if representation(request) is OutputFormat.CSV:
        with engine.connect() as connection:
            statement, keyset = findings_statement(connection, request, filters, sort)
            coverage = coverage_note(request, connection, filters.inspections)
        if cursor:
            statement = statement.where(keyset.after(keyset.decode(cursor)))
        statement = statement.order_by(*keyset.order_by())
        columns = [*CSV_COLUMNS, "snippet"] if filters.search else CSV_COLUMNS
        search = filters.search
        batches = stream(
            engine,
            statement,
            lambda connection, rows: [
                with_theme_scores(item) for item in findings_json(connection, index, rows, search)
            ],
        )
        return with_coverage(csv_response("findings.csv", columns, batches), coverage)
    with engine.connect() as connection:
        # Without a cursor or a total, the statement need only find the first page's rows.
        first_page = None if cursor or count else limit + 1
        statement, keyset = findings_statement(connection, request, filters, sort, first_page)
        page = paginate(connection, request, statement, keyset, limit, cursor, count=count)
        items = findings_json(connection, index, page.rows, filters.search)
        coverage = coverage_note(request, connection, filters.inspections)
    named = {"mode": mode.value} if mode is not None else {}  # mode=keyword said so
    return with_coverage(page_response(items, page, **coverage_fields(coverage), **named), coverage)


# --- facets ---------------------------------------------------------------------------------


@router.get(
    "/findings/facets",
    response_model=FacetsOut,
    summary="Counts of findings per theme, year, kind, grade, area, authority, region ...",
    responses=documented(examples.FACETS, csv=examples.FACETS_CSV),
)
def finding_facets(
    request: Request,
    filters: Annotated[FindingFilters, Depends()],
    by: Annotated[
        list[Facet] | None,
        BeforeValidator(split_commas),
        Query(
            description="The facets to count, comma-separated or repeated; all of theme, "
            "year, kind, grade, area, authority and region when omitted",
            examples=[["theme", "year"]],
        ),
    ] = None,
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """For each facet asked for, how many of the findings matching the filters have each
    value, most first: enough to draw a filter sidebar in one request. Takes every filter
    of `GET /findings`, `q` included.

    `theme`, `grade` and `area` are many-valued (a finding has several themes; its
    inspection several judgements), so their counts can add up to more than `total`.
    `grade` and `area` count the inspection's judgements, as the filters of those names do."""
    facets = list(dict.fromkeys(by or DEFAULT_FACETS))
    index = authority_index_of(request)
    with engine_of(request).connect() as connection:
        total, counted = count_facets(connection, index, filters, facets)
        coverage = coverage_note(request, connection, filters.inspections)
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
    with engine_of(request).connect() as connection:
        row = connection.execute(select(*_COLUMNS).where(findings.c.id == finding_id)).first()
        if row is None:
            raise NotFound(f"No finding with id {finding_id}")
        items = findings_json(connection, authority_index_of(request), [row], None)
    return json_response(items[0])


__all__ = ["CSV_COLUMNS", "Facet", "FindingSort", "finding_json", "router", "themes_for"]
