"""Authorities: the register of English local authorities with children's services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field
from sqlalchemy import Connection

from app.http.responses import json_response
from app.http.state import authority_index_of, connection_of
from app.listing import CsvTable, Listing, list_response
from app.listing.export import OutputFormat, csv_columns, representation, rows_csv
from app.params import AuthorityKey, Formatted, ListQuery, Regions
from app.schemas import AuthorityOut, Neighbours, Page, Timeline, examples
from app.schemas.documented import documented
from app.store.authorities import (
    authorities_statement,
    authority_by_id,
    authority_json,
    lookup_authority,
)
from app.store.timeline import neighbours, timeline
from app.vocabulary import JudgementArea, Theme

router = APIRouter(tags=["authorities"])

CSV_COLUMNS = csv_columns(AuthorityOut)


class AuthorityListQuery(ListQuery, Regions):
    name: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Authorities whose name or one of its other names contains this text, "
        "its letters and digits compared in any case and whatever the punctuation (`chester` "
        "finds Cheshire West and Chester and Manchester; `st helens` finds St. Helens)",
        examples=["chester"],
    )


@router.get(
    "/authorities",
    response_model=Page[AuthorityOut],
    summary="Local authorities, in order of slug",
    responses=documented(examples.AUTHORITIES, csv=examples.AUTHORITIES_CSV, paged=True),
)
def list_authorities(request: Request, query: Annotated[AuthorityListQuery, Query()]) -> Response:
    """Every authority in the register, with its codes, region, other names, statistical
    neighbours and how many inspections of it are loaded; `region` and `name` narrow it."""
    index = authority_index_of(request)

    def items(connection: Connection, rows: Any) -> list[dict[str, Any]]:
        return [authority_json(connection, index, row) for row in rows]

    def build(connection: Connection, _first_page: int | None) -> Listing:
        statement, keyset = authorities_statement(connection, index, query.region, query.name)
        return Listing(statement, keyset, items)

    table = CsvTable("authorities.csv", CSV_COLUMNS)
    return list_response(request, query, build, table)


@router.get(
    "/authorities/{key}",
    response_model=AuthorityOut,
    summary="One local authority, by slug or ONS code",
    responses=documented(examples.AUTHORITY, not_found=True),
)
def get_authority(request: Request, key: str = AuthorityKey) -> Response:
    """An authority's codes, region, other names, statistical neighbours (closest first)
    and how many of its inspections are loaded."""
    index = authority_index_of(request)
    with connection_of(request) as connection:
        found = lookup_authority(connection, index, key)
        return json_response(authority_by_id(connection, index, found.id))


# --- timeline -------------------------------------------------------------------------------

TIMELINE_CSV_COLUMNS = [
    "date",
    "event",
    "inspection_id",
    "type",
    "start_date",
    "end_date",
    "area",
    "area_label",
    "grade",
    "grade_label",
    "score",
    "findings",
    "cited_by_inspection_id",
]


def _timeline_csv(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per judgement (an ungraded visit: one row without one)."""
    rows: list[dict[str, Any]] = []
    for item in items:
        base = {
            "date": item["date"],
            "event": item["event"],
            "inspection_id": item.get("inspection_id"),
            "type": item.get("type"),
            "start_date": item.get("start_date"),
            "end_date": item.get("end_date"),
            "findings": item["findings"]["total"] if item.get("findings") else None,
            "cited_by_inspection_id": item["cited_by"]["inspection_id"]
            if item.get("cited_by")
            else None,
        }
        given = [item["judgement"]] if item.get("judgement") else item.get("judgements") or [{}]
        rows.extend({**base, **judgement} for judgement in given)
    return rows


@router.get(
    "/authorities/{key}/timeline",
    response_model=Timeline,
    summary="An authority's inspections, visits and judgements in date order",
    responses=documented(examples.TIMELINE, csv=examples.TIMELINE_CSV, not_found=True),
)
def authority_timeline(
    request: Request, query: Annotated[Formatted, Query()], key: str = AuthorityKey
) -> Response:
    """Every loaded inspection and visit of the authority, oldest first, with its judgements
    on the one grade scale (`score` 1 outstanding to 4 inadequate, whatever the framework
    called them: "Adequate" in 2013 is requires-improvement, score 3), its documents, and
    its findings counted by kind and theme. Earlier judgements that its reports cite
    ("found to require improvement to be good in November 2019") appear at their own date as
    `cited-judgement` events, so grades known only that way are on the line too."""
    with connection_of(request) as connection:
        authority = lookup_authority(connection, authority_index_of(request), key)
        items = timeline(connection, authority)
    if representation(request) is OutputFormat.CSV:
        return rows_csv(
            f"{authority.slug}-timeline.csv", TIMELINE_CSV_COLUMNS, _timeline_csv(items)
        )
    return json_response(
        {"authority": {"slug": authority.slug, "name": authority.name}, "items": items}
    )


# --- neighbours -----------------------------------------------------------------------------


@router.get(
    "/authorities/{key}/neighbours",
    response_model=Neighbours,
    summary="An authority beside its statistical neighbours: latest grades and themes",
    responses=documented(examples.NEIGHBOURS, csv=examples.NEIGHBOURS_CSV, not_found=True),
)
def authority_neighbours(
    request: Request, query: Annotated[Formatted, Query()], key: str = AuthorityKey
) -> Response:
    """The authority and its statistical neighbours from the register (the ten most similar
    authorities, closest first), side by side: each one's latest known grade in each area
    (from its own inspections, or cited by a later report), how many of its inspections and
    findings are loaded, and its findings counted per theme (every theme listed). In the CSV,
    a grade's column is named by its area and a theme's count by `theme_` and the theme
    (three themes share their ids with areas)."""
    index = authority_index_of(request)
    with connection_of(request) as connection:
        subject = lookup_authority(connection, index, key)
        items = neighbours(connection, index, subject)
    if representation(request) is OutputFormat.CSV:
        columns = [
            "rank", "slug", "name", "region", "inspections", "findings",
            *[area.value for area in JudgementArea], *[f"theme_{theme.value}" for theme in Theme],
        ]  # fmt: skip
        rows = [
            {
                **{k: v for k, v in item.items() if k not in ("latest_judgements", "themes")},
                **{j["area"]: j["grade"] for j in item["latest_judgements"]},
                **{f"theme_{theme}": count for theme, count in item["themes"].items()},
            }
            for item in items
        ]
        return rows_csv(f"{subject.slug}-neighbours.csv", columns, rows)
    return json_response({"authority": items[0], "neighbours": items[1:]})
