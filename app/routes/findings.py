"""Findings: strengths, weaknesses, recommendations, priority actions and narrative
paragraphs, each with its themes and the offsets of its words in its document."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator
from sqlalchemy import Connection, Select, func, select

from app.errors import ErrorDetail, InvalidParameter, NotFound
from app.export import (
    FormatQuery,
    OutputFormat,
    csv_response,
    representation,
    rows_csv,
    stream,
)
from app.fastpath import FastQueryRoute
from app.pagination import (
    CursorQuery,
    Keyset,
    LimitQuery,
    count_of,
    page_response,
    paginate,
)
from app.queries import (
    CountParam,
    FindingFilters,
    authorities,
    authority_index_of,
    engine_of,
    finding_themes,
    findings,
    inspections,
    judgements,
    split_commas,
)
from app.responses import json_response
from app.routes import examples
from app.routes.docs import documented
from app.schemas import FacetsOut, FindingOut, Page
from app.search import SearchQuery, scored_matches
from app.vocabulary import (
    FINDING_KIND_LABELS,
    GRADE_LABELS,
    INSPECTION_TYPE_LABELS,
    JUDGEMENT_AREA_LABELS,
    THEME_LABELS,
)

router = APIRouter(tags=["findings"], route_class=FastQueryRoute)

_COLUMNS = (
    findings.c.id,
    findings.c.inspection_id,
    authorities.c.slug,
    authorities.c.name,
    inspections.c.year,
    findings.c.kind,
    findings.c.section,
    findings.c.judgement_area,
    findings.c.timeframe,
    findings.c.paragraph,
    findings.c.polarity,
    findings.c.text,
    findings.c.document_id,
    findings.c.source_start,
    findings.c.source_end,
    findings.c.start_date,
)
_FROM = findings.join(inspections, inspections.c.id == findings.c.inspection_id).join(
    authorities, authorities.c.id == findings.c.authority_id
)
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
    "text",
    "themes",
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


def themes_for(connection: Connection, finding_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Themes of a page of findings, in one statement."""
    themes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not finding_ids:
        return themes
    rows = connection.execute(
        select(finding_themes.c.finding_id, finding_themes.c.theme, finding_themes.c.matched)
        .where(finding_themes.c.finding_id.in_(finding_ids))
        .order_by(finding_themes.c.finding_id, finding_themes.c.rank)
    )
    for finding_id, theme, matched in rows:
        themes[finding_id].append({"id": theme, "matched": matched})
    return themes


def finding_json(
    row: Any, themes: list[dict[str, Any]], search: SearchQuery | None = None
) -> dict[str, Any]:
    item = {
        "id": row.id,
        "inspection_id": row.inspection_id,
        "authority": {"slug": row.slug, "name": row.name},
        "year": row.year,
        "kind": row.kind,
        "section": row.section,
        "judgement_area": row.judgement_area,
        "timeframe": row.timeframe,
        "paragraph": row.paragraph,
        "polarity": row.polarity,
        "text": row.text,
        "themes": themes,
        "source": {
            "document_id": row.document_id,
            "start": row.source_start,
            "end": row.source_end,
        },
    }
    if search is not None:
        item["snippet"] = search.snippet(row.text)
    return item


def findings_json(
    connection: Connection, rows: list[Any], search: SearchQuery | None
) -> list[dict[str, Any]]:
    themes = themes_for(connection, [row.id for row in rows])
    return [finding_json(row, themes.get(row.id, []), search) for row in rows]


def findings_statement(
    connection: Connection, request: Request, filters: FindingFilters, sort: FindingSort | None
) -> tuple[Select[Any], Keyset]:
    """The one statement for a findings query, and the order to page it in."""
    search = filters.search
    sort = sort or (FindingSort.RELEVANCE if search is not None else FindingSort.DATE)
    if sort is FindingSort.RELEVANCE and search is None:
        raise InvalidParameter(
            "sort: relevance needs a search: add q",
            [ErrorDetail(parameter="sort", message="relevance needs q", input=sort.value)],
        )
    relevance = sort is FindingSort.RELEVANCE
    conditions = filters.conditions(connection, authority_index_of(request), search=not relevance)
    if not relevance:
        statement = select(*_COLUMNS).select_from(_FROM).where(*conditions)
        return statement, _KEYSETS[sort]
    assert search is not None
    matches, score = scored_matches(connection.dialect.name, search)
    if connection.dialect.name == "postgresql":
        source, conditions = _FROM, [*conditions, matches]
    else:
        source = _FROM.join(matches, matches.c.finding_id == findings.c.id)
    statement = select(*_COLUMNS, score).select_from(source).where(*conditions)
    return statement, Keyset("relevance", (score, findings.c.id), (float, int))


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
    engine = engine_of(request)
    if representation(request) is OutputFormat.CSV:
        with engine.connect() as connection:
            statement, keyset = findings_statement(connection, request, filters, sort)
        if cursor:
            statement = statement.where(keyset.after(keyset.decode(cursor)))
        statement = statement.order_by(*keyset.order_by())
        columns = [*CSV_COLUMNS, "snippet"] if filters.search else CSV_COLUMNS
        search = filters.search
        batches = stream(
            engine, statement, lambda connection, rows: findings_json(connection, rows, search)
        )
        return csv_response("findings.csv", columns, batches)
    with engine.connect() as connection:
        statement, keyset = findings_statement(connection, request, filters, sort)
        page = paginate(connection, request, statement, keyset, limit, cursor, count=count)
        items = findings_json(connection, page.rows, filters.search)
    return page_response(items, page)


# --- facets ---------------------------------------------------------------------------------


class Facet(StrEnum):
    THEME = "theme"
    YEAR = "year"
    KIND = "kind"
    GRADE = "grade"
    AREA = "area"
    AUTHORITY = "authority"
    REGION = "region"
    TYPE = "type"
    POLARITY = "polarity"
    TIMEFRAME = "timeframe"


DEFAULT_FACETS = [
    Facet.THEME,
    Facet.YEAR,
    Facet.KIND,
    Facet.GRADE,
    Facet.AREA,
    Facet.AUTHORITY,
    Facet.REGION,
]


def _facet_rows(
    connection: Connection, facet: Facet, base: Select[Any], filters: FindingFilters
) -> list[tuple[Any, str, int]]:
    """(value, label, count) of findings per value of `facet` under the filters."""
    labels: dict[Any, str] = {}
    if facet in (Facet.GRADE, Facet.AREA):
        # From the inspection's judgements: a finding counts once under each value, and the
        # other of grade/area, when filtered, narrows which judgements count.
        condition = (
            (judgements.c.inspection_id == findings.c.inspection_id)
            & judgements.c.canonical
            & judgements.c.grade.is_not(None)
        )
        if facet is Facet.GRADE and filters.inspections.area:
            condition &= judgements.c.area.in_([a.value for a in filters.inspections.area])
        if facet is Facet.AREA and filters.inspections.grade:
            condition &= judgements.c.grade.in_([g.value for g in filters.inspections.grade])
        column = judgements.c.grade if facet is Facet.GRADE else judgements.c.area
        statement = (
            base.with_only_columns(column, func.count(findings.c.id.distinct()))
            .join_from(findings, judgements, condition)
            .group_by(column)
        )
        labels = dict(GRADE_LABELS) if facet is Facet.GRADE else dict(JUDGEMENT_AREA_LABELS)
    elif facet is Facet.THEME:
        statement = (
            base.with_only_columns(finding_themes.c.theme, func.count())
            .join_from(findings, finding_themes, finding_themes.c.finding_id == findings.c.id)
            .group_by(finding_themes.c.theme)
        )
        labels = dict(THEME_LABELS)
    elif facet is Facet.AUTHORITY:
        statement = base.with_only_columns(
            authorities.c.slug, authorities.c.name, func.count()
        ).group_by(authorities.c.slug, authorities.c.name)
        rows = connection.execute(statement).all()
        return [(slug, name, count) for slug, name, count in rows]
    else:
        column = {
            Facet.YEAR: inspections.c.year,
            Facet.KIND: findings.c.kind,
            Facet.REGION: authorities.c.region,
            Facet.TYPE: inspections.c.type,
            Facet.POLARITY: findings.c.polarity,
            Facet.TIMEFRAME: findings.c.timeframe,
        }[facet]
        statement = (
            base.with_only_columns(column, func.count()).where(column.is_not(None)).group_by(column)
        )
        if facet is Facet.KIND:
            labels = dict(FINDING_KIND_LABELS)
        elif facet is Facet.TYPE:
            labels = dict(INSPECTION_TYPE_LABELS)
    return [
        (value, labels.get(value, str(value)), count)
        for value, count in connection.execute(statement).all()
    ]


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
    with engine_of(request).connect() as connection:
        conditions = filters.conditions(connection, authority_index_of(request))
        base = select(findings.c.id).select_from(_FROM).where(*conditions)
        total = count_of(connection, base)
        result = {
            facet.value: [
                {"value": value, "label": label, "count": count}
                for value, label, count in sorted(
                    _facet_rows(connection, facet, base, filters),
                    key=lambda row: (-row[2], str(row[0])),
                )
            ]
            for facet in facets
        }
    if representation(request) is OutputFormat.CSV:
        rows = [{"facet": facet, **entry} for facet, entries in result.items() for entry in entries]
        return rows_csv("facets.csv", ["facet", "value", "label", "count"], rows)
    return json_response({"total": total, "facets": result})


@router.get(
    "/findings/{finding_id}",
    response_model=FindingOut,
    summary="One finding",
    responses=documented(examples.FINDING, not_found=True),
)
def get_finding(
    request: Request,
    finding_id: int = Path(ge=1, description="The finding's id", examples=[59]),
) -> Response:
    """One finding with its themes and source offsets."""
    with engine_of(request).connect() as connection:
        row = connection.execute(
            select(*_COLUMNS).select_from(_FROM).where(findings.c.id == finding_id)
        ).first()
        if row is None:
            raise NotFound(f"No finding with id {finding_id}")
        themes = themes_for(connection, [finding_id])
    return json_response(finding_json(row, themes.get(finding_id, [])))


__all__ = ["CSV_COLUMNS", "Facet", "FindingSort", "finding_json", "router", "themes_for"]
