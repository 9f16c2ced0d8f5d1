"""The inspection clock and the coverage of the loaded reports (app/store/clock.py and
app/store/coverage.py hold the queries; these routes read parameters and render)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from app.http.responses import json_response
from app.http.state import authority_index_of, connection_of
from app.listing.export import OutputFormat, representation, rows_csv
from app.params import AuthorityKey, Formatted, IsoDate, QueryModel, Regions, Types, Years
from app.schedule import CLOCK_GRADE_LABELS, RULE, RULE_SOURCES, ClockGrade
from app.schemas import AuthorityClockOut, ClockOut, CoverageOut, examples
from app.schemas.documented import documented
from app.store.authorities import lookup_authority
from app.store.clock import (
    CSV_COLUMNS,
    authority_clock,
    clock_csv,
    clock_json,
    national_clock,
)
from app.store.coverage import coverage_by_framework
from app.store.filters import values_of
from app.vocabulary import INSPECTION_TYPE_LABELS, InspectionType

router = APIRouter()


class AsOf(QueryModel):
    as_of: IsoDate | None = Field(
        None,
        description="The day to count to (ISO 8601); today (UTC) by default. Only inspections "
        "over by then count, so an earlier day shows the clock as it stood then",
        examples=["2026-09-01"],
    )


class ClockQuery(Formatted, Regions, AsOf):
    grade: list[ClockGrade] | None = Field(
        None,
        description="The overall effectiveness of the authority's latest inspection; "
        "`not-graded` (it gave none) or `no-inspection` (none loaded); repeat for OR",
        examples=["inadequate"],
    )


class CoverageQuery(QueryModel):
    type: Types = None
    year: Years = None


_RULE = {"text": RULE, "sources": list(RULE_SOURCES)}


def today() -> date:
    return datetime.now(UTC).date()


@router.get(
    "/clock",
    response_model=ClockOut,
    summary="Every authority's inspection clock: days since its latest inspection, rank, next "
    "window",
    responses=documented(examples.CLOCK, csv=examples.CLOCK_CSV),
    tags=["clock"],
)
def list_clock(request: Request, query: Annotated[ClockQuery, Query()]) -> Response:
    """Each of the register's 153 current authorities, longest since its latest inspection
    first: that inspection (ILACS, the single inspection framework, or a 2009-13 child
    protection or looked after children inspection) with its overall effectiveness grade,
    the days since its last day as of `as_of`, the national rank by those days (1 the
    longest; equal days share a rank, listed by slug), the days from its last day to its
    publication, the latest inspection of every framework loaded, and the window in which the
    next ILACS inspection may be expected. Authorities with no inspection loaded are listed
    last with nulls.

    The window is an estimate from the published framework, not Ofsted's schedule: after an
    inspection judged good or outstanding (a short inspection next) or requires improvement
    (a standard one), six months either side of the three-year anniversary of its last day.
    An authority judged inadequate is monitored and re-inspected when Ofsted decides: no
    window. Sources: Ofsted, "Inspecting local authority children's services"
    (www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018).

    `facets` counts the listed authorities by region and by grade. The rank is national
    whatever the filters. With `format=csv`, one row per authority (its latest inspection and
    the window)."""
    as_of, region, grade = query.as_of or today(), query.region, query.grade
    index = authority_index_of(request)
    with connection_of(request) as connection:
        allowed = set(index.resolve_regions(connection, region)) if region else None
        clocks = national_clock(connection, index, as_of)
    wanted = set(grade or [])
    chosen = [
        clock
        for clock in clocks
        if (allowed is None or clock.authority.id in allowed)
        and (not wanted or clock.grade in wanted)
    ]
    items = [clock_json(clock, as_of) for clock in chosen]
    if representation(request) is OutputFormat.CSV:
        return rows_csv(f"clock-{as_of.isoformat()}.csv", CSV_COLUMNS, map(clock_csv, items))
    regions = Counter(clock.authority.region for clock in chosen)
    grades = Counter(clock.grade for clock in chosen)
    facets = {
        "region": _facet((value, value, count) for value, count in regions.items()),
        "grade": _facet(
            (value.value, CLOCK_GRADE_LABELS[value], count) for value, count in grades.items()
        ),
    }
    return json_response(
        {"as_of": as_of, "rule": _RULE, "total": len(items), "items": items, "facets": facets}
    )


def _facet(entries: Any) -> list[dict[str, Any]]:
    return [
        {"value": value, "label": label, "count": count}
        for value, label, count in sorted(entries, key=lambda entry: (-entry[2], entry[0]))
    ]


@router.get(
    "/authorities/{key}/clock",
    response_model=AuthorityClockOut,
    summary="An authority's inspection clock",
    responses=documented(examples.AUTHORITY_CLOCK, not_found=True),
    tags=["clock"],
)
def get_authority_clock(
    request: Request, query: Annotated[AsOf, Query()], key: str = AuthorityKey
) -> Response:
    """One authority's entry of `GET /clock`: its latest inspection, days since it, national
    rank, days to publication, the latest inspection of each framework loaded, and the
    estimated window of its next ILACS inspection (the rule is in `rule`)."""
    as_of = query.as_of or today()
    index = authority_index_of(request)
    with connection_of(request) as connection:
        authority = lookup_authority(connection, index, key)
        clock = authority_clock(connection, index, authority, as_of)
    return json_response({"as_of": as_of, "rule": _RULE, **clock_json(clock, as_of)})


@router.get(
    "/coverage",
    response_model=CoverageOut,
    summary="Which authorities have a report loaded, per inspection type and year",
    responses=documented(examples.COVERAGE),
    tags=["coverage"],
)
def get_coverage(request: Request, query: Annotated[CoverageQuery, Query()]) -> Response:
    """For each inspection type and year in which at least one inspection is loaded, how
    many of the register's 153 current authorities have one loaded (each inspection comes
    with its report or letter), and which do not, by slug. A year in which nothing of a type
    is loaded is not listed: it says nothing about whether Ofsted inspected then."""
    index = authority_index_of(request)
    with connection_of(request) as connection:
        of = len(index.current(connection))
        rows = coverage_by_framework(connection, index, values_of(query.type), query.year or [])
    items = [
        {
            "type": row.type,
            "type_label": INSPECTION_TYPE_LABELS[InspectionType(row.type)],
            "year": row.year,
            "authorities_with_data": len(row.with_data),
            "of": of,
            "without_data": [{"slug": a.slug, "name": a.name} for a in row.without_data],
        }
        for row in rows
    ]
    return json_response({"of": of, "items": items})


__all__ = ["router"]
