"""Authorities: the register of English local authorities with children's services."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, func, select

from app.errors import ERROR_RESPONSES, NotFound
from app.pagination import CursorQuery, LimitQuery, decode_cursor, encode_cursor, next_link
from app.queries import authorities, authority_index_of, engine_of, inspections
from app.responses import json_response
from app.schemas import AuthorityOut, Page

router = APIRouter(tags=["authorities"])

_INSPECTION_COUNT = (
    select(func.count())
    .where(inspections.c.authority_id == authorities.c.id)
    .correlate(authorities)
    .scalar_subquery()
    .label("inspections")
)


def authority_json(connection: Connection, request: Request, row: Any) -> dict[str, Any]:
    index = authority_index_of(request)
    neighbours = [index.by_dfe(connection, code) for code in row.statistical_neighbours]
    return {
        "slug": row.slug,
        "name": row.name,
        "ons_code": row.ons_code,
        "dfe_code": row.dfe_code,
        "ofsted_urn": row.ofsted_urn,
        "region": row.region,
        "region_code": row.region_code,
        "type": row.type,
        "other_names": row.other_names,
        "statistical_neighbours": [n.slug for n in neighbours if n is not None],
        "inspections": row.inspections,
    }


@router.get(
    "/authorities",
    response_model=Page[AuthorityOut],
    summary="Local authorities, in order of slug",
    responses=ERROR_RESPONSES,
)
def list_authorities(
    request: Request,
    region: list[str] | None = Query(
        None, description="Region name (`North West`) or ONS region code; repeat for OR"
    ),
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
) -> Response:
    """Every authority in the register, with its codes, region, other names, statistical
    neighbours and how many inspections of it are loaded."""
    with engine_of(request).connect() as connection:
        statement = select(authorities, _INSPECTION_COUNT)
        if region:
            wanted = [value.lower() for value in region]
            statement = statement.where(
                func.lower(authorities.c.region).in_(wanted)
                | func.lower(authorities.c.region_code).in_(wanted)
            )
        total = connection.scalar(select(func.count()).select_from(statement.subquery()))
        if cursor:
            statement = statement.where(authorities.c.slug > decode_cursor(cursor, (str,))[0])
        rows = connection.execute(statement.order_by(authorities.c.slug).limit(limit + 1)).all()
        page, more = rows[:limit], len(rows) > limit
        items = [authority_json(connection, request, row) for row in page]
    next_page = next_link(request, encode_cursor([page[-1].slug])) if more else None
    return json_response({"items": items, "total": total, "limit": limit, "next": next_page})


@router.get(
    "/authorities/{key}",
    response_model=AuthorityOut,
    summary="One local authority, by slug or ONS code",
    responses=ERROR_RESPONSES,
)
def get_authority(
    request: Request,
    key: str = Path(description="Slug (`cheshire-east`) or ONS code (`E06000049`)"),
) -> Response:
    with engine_of(request).connect() as connection:
        found = authority_index_of(request).lookup(connection, key)
        if found is None:
            raise NotFound(f"No authority with slug or ONS code '{key}'; see /authorities")
        row = connection.execute(
            select(authorities, _INSPECTION_COUNT).where(authorities.c.id == found.id)
        ).one()
        return json_response(authority_json(connection, request, row))
