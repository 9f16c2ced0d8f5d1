"""Authorities: the register of English local authorities with children's services."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, func, select

from app.errors import ErrorDetail, InvalidParameter, NotFound
from app.export import FormatQuery, OutputFormat, representation, rows_csv
from app.pagination import CursorQuery, Keyset, LimitQuery, page_response, paginate
from app.queries import (
    AuthorityRow,
    CountParam,
    RegionParam,
    authorities,
    authority_index_of,
    cited_judgements,
    engine_of,
    finding_themes,
    findings,
    inspections,
    latest_judgements,
)
from app.responses import json_response
from app.routes import examples
from app.routes.docs import documented
from app.routes.inspections import document_ref, documents_for, judgements_for
from app.schemas import AuthorityOut, Neighbours, Page, Timeline
from app.vocabulary import (
    GRADE_SCORES,
    INSPECTION_TYPE_LABELS,
    Grade,
    InspectionType,
    JudgementArea,
    Theme,
)

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


_KEYSET = Keyset("slug", (authorities.c.slug,), (str,))
CSV_COLUMNS = [
    "slug",
    "name",
    "ons_code",
    "dfe_code",
    "ofsted_urn",
    "region",
    "region_code",
    "type",
    "other_names",
    "statistical_neighbours",
    "inspections",
]


@router.get(
    "/authorities",
    response_model=Page[AuthorityOut],
    summary="Local authorities, in order of slug",
    responses=documented(examples.AUTHORITIES, csv=examples.AUTHORITIES_CSV, paged=True),
)
def list_authorities(
    request: Request,
    region: list[str] | None = RegionParam,
    name: str | None = Query(
        None,
        min_length=1,
        max_length=100,
        description="Authorities whose name or one of its other names contains this text, "
        "its letters and digits compared in any case and whatever the punctuation (`chester` "
        "finds Cheshire West and Chester and Manchester; `st helens` finds St. Helens)",
        examples=["chester"],
    ),
    count: bool = CountParam,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """Every authority in the register, with its codes, region, other names, statistical
    neighbours and how many inspections of it are loaded; `region` and `name` narrow it."""
    index = authority_index_of(request)
    with engine_of(request).connect() as connection:
        statement = select(authorities, _INSPECTION_COUNT)
        if region:
            statement = statement.where(
                authorities.c.id.in_(index.resolve_regions(connection, region))
            )
        if name:
            statement = statement.where(authorities.c.id.in_(_named(connection, name)))
        if representation(request) is OutputFormat.CSV:
            if cursor:
                statement = statement.where(_KEYSET.after(_KEYSET.decode(cursor)))
            rows = connection.execute(statement.order_by(*_KEYSET.order_by())).all()
            # The register is about 150 rows: read at once.
            items = [authority_json(connection, request, row) for row in rows]
            return rows_csv("authorities.csv", CSV_COLUMNS, items)
        page = paginate(connection, request, statement, _KEYSET, limit, cursor, count=count)
        items = [authority_json(connection, request, row) for row in page.rows]
    return page_response(items, page)


def _words(text: str) -> str:
    """`text` as its words: letters and digits, lower-cased, one space between."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _named(connection: Connection, name: str) -> list[int]:
    """The ids of the authorities whose name or another name holds `name`'s words."""
    wanted = _words(name)
    if not wanted:
        raise InvalidParameter(
            "name: give a letter or digit to look for",
            [ErrorDetail(parameter="name", message="no letter or digit", input=name)],
        )
    rows = connection.execute(
        select(authorities.c.id, authorities.c.name, authorities.c.other_names)
    )
    return [
        row.id
        for row in rows
        if any(wanted in _words(text) for text in [row.name, *(row.other_names or [])])
    ]


def lookup_authority(connection: Connection, request: Request, key: str) -> AuthorityRow:
    found = authority_index_of(request).lookup(connection, key)
    if found is None:
        raise NotFound(f"No authority with slug or ONS code '{key}'; see /authorities")
    return found


AuthorityKey = Path(
    description="Slug (`cheshire-east`) or ONS code (`E06000049`)", examples=["cheshire-east"]
)


@router.get(
    "/authorities/{key}",
    response_model=AuthorityOut,
    summary="One local authority, by slug or ONS code",
    responses=documented(examples.AUTHORITY, not_found=True),
)
def get_authority(request: Request, key: str = AuthorityKey) -> Response:
    """An authority's codes, region, other names, statistical neighbours (closest first)
    and how many of its inspections are loaded."""
    with engine_of(request).connect() as connection:
        found = lookup_authority(connection, request, key)
        row = connection.execute(
            select(authorities, _INSPECTION_COUNT).where(authorities.c.id == found.id)
        ).one()
        return json_response(authority_json(connection, request, row))


# --- timeline -------------------------------------------------------------------------------


def graded(
    area: str, area_label: str | None, grade: str | None, label: str | None
) -> dict[str, Any]:
    return {
        "area": area,
        "area_label": area_label,
        "grade": grade,
        "grade_label": label,
        "score": GRADE_SCORES[Grade(grade)] if grade else None,
    }


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
    request: Request, key: str = AuthorityKey, format: OutputFormat | None = FormatQuery
) -> Response:
    """Every loaded inspection and visit of the authority, oldest first, with its judgements
    on the one grade scale (`score` 1 outstanding to 4 inadequate, whatever the framework
    called them: "Adequate" in 2013 is requires-improvement, score 3), its documents, and
    its findings counted by kind and theme. Earlier judgements that its reports cite
    ("found to require improvement to be good in November 2019") appear at their own date as
    `cited-judgement` events, so grades known only that way are on the line too."""
    with engine_of(request).connect() as connection:
        authority = lookup_authority(connection, request, key)
        rows = connection.execute(
            select(inspections)
            .where(inspections.c.authority_id == authority.id)
            .order_by(inspections.c.start_date, inspections.c.id)
        ).all()
        ids = [row.id for row in rows]
        grades = judgements_for(connection, ids)
        docs = documents_for(connection, ids)
        by_kind: dict[int, dict[str, int]] = defaultdict(dict)
        for inspection_id, kind, count in connection.execute(
            select(findings.c.inspection_id, findings.c.kind, func.count())
            .where(findings.c.inspection_id.in_(ids))
            .group_by(findings.c.inspection_id, findings.c.kind)
            .order_by(findings.c.inspection_id, findings.c.kind)
        ):
            by_kind[inspection_id][kind] = count
        by_theme: dict[int, dict[str, int]] = defaultdict(dict)
        for inspection_id, theme, count in connection.execute(
            select(findings.c.inspection_id, finding_themes.c.theme, func.count())
            .join_from(findings, finding_themes, finding_themes.c.finding_id == findings.c.id)
            .where(findings.c.inspection_id.in_(ids))
            .group_by(findings.c.inspection_id, finding_themes.c.theme)
            .order_by(findings.c.inspection_id, func.count().desc(), finding_themes.c.theme)
        ):
            by_theme[inspection_id][theme] = count
        cited = connection.execute(
            select(cited_judgements)
            .where(cited_judgements.c.inspection_id.in_(ids))
            .order_by(cited_judgements.c.document_id, cited_judgements.c.source_start)
        ).all()
    events: list[tuple[tuple[int, int, int, int], dict[str, Any]]] = []
    for row in rows:
        events.append(
            (
                (row.start_date.year, row.start_date.month, row.start_date.day, row.id),
                {
                    "date": row.start_date.isoformat(),
                    "event": "inspection",
                    "inspection_id": row.id,
                    "type": row.type,
                    "type_label": INSPECTION_TYPE_LABELS[InspectionType(row.type)],
                    "start_date": row.start_date,
                    "end_date": row.end_date,
                    "judgements": [
                        graded(j["area"], j["area_label"], j["grade"], j["grade_label"])
                        for j in grades.get(row.id, [])
                    ],
                    "documents": [document_ref(document) for document in docs.get(row.id, [])],
                    "findings": {
                        "total": sum(by_kind[row.id].values()),
                        "by_kind": by_kind[row.id],
                        "by_theme": by_theme[row.id],
                    },
                },
            )
        )
    for item in cited:
        when = (
            f"{item.cited_year}-{item.cited_month:02d}"
            if item.cited_month
            else str(item.cited_year)
        )
        events.append(
            (
                (item.cited_year, item.cited_month or 0, 0, 0),
                {
                    "date": when,
                    "event": "cited-judgement",
                    "judgement": graded(item.area, None, item.grade, item.grade_label),
                    "cited_by": {
                        "inspection_id": item.inspection_id,
                        "source": {
                            "document_id": item.document_id,
                            "start": item.source_start,
                            "end": item.source_end,
                        },
                    },
                },
            )
        )
    items = [event for _key, event in sorted(events, key=lambda pair: pair[0])]
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
    request: Request, key: str = AuthorityKey, format: OutputFormat | None = FormatQuery
) -> Response:
    """The authority and its statistical neighbours from the register (the ten most similar
    authorities, closest first), side by side: each one's latest known grade in each area
    (from its own inspections, or cited by a later report), how many of its inspections and
    findings are loaded, and its findings counted per theme (every theme listed). In the CSV,
    a grade's column is named by its area and a theme's count by `theme_` and the theme
    (three themes share their ids with areas)."""
    index = authority_index_of(request)
    with engine_of(request).connect() as connection:
        subject = lookup_authority(connection, request, key)
        codes = connection.scalar(
            select(authorities.c.statistical_neighbours).where(authorities.c.id == subject.id)
        )
        peers = [subject] + [
            row for row in (index.by_dfe(connection, code) for code in codes or []) if row
        ]
        ids = [peer.id for peer in peers]
        latest = latest_judgements(connection, ids)
        inspection_counts: dict[int, int] = dict(
            connection.execute(
                select(inspections.c.authority_id, func.count())
                .where(inspections.c.authority_id.in_(ids))
                .group_by(inspections.c.authority_id)
            ).all()
        )
        finding_counts: dict[int, int] = dict(
            connection.execute(
                select(inspections.c.authority_id, func.count())
                .join_from(findings, inspections, inspections.c.id == findings.c.inspection_id)
                .where(inspections.c.authority_id.in_(ids))
                .group_by(inspections.c.authority_id)
            ).all()
        )
        theme_counts: dict[int, Counter[str]] = defaultdict(Counter)
        for authority_id, theme, count in connection.execute(
            select(inspections.c.authority_id, finding_themes.c.theme, func.count())
            .select_from(
                finding_themes.join(findings, findings.c.id == finding_themes.c.finding_id).join(
                    inspections, inspections.c.id == findings.c.inspection_id
                )
            )
            .where(inspections.c.authority_id.in_(ids))
            .group_by(inspections.c.authority_id, finding_themes.c.theme)
        ):
            theme_counts[authority_id][theme] = count
    area_order = {area.value: position for position, area in enumerate(JudgementArea)}
    items: list[dict[str, Any]] = [
        {
            "rank": rank,
            "slug": peer.slug,
            "name": peer.name,
            "region": peer.region,
            "inspections": inspection_counts.get(peer.id, 0),
            "findings": finding_counts.get(peer.id, 0),
            "latest_judgements": [
                judgement.json()
                for (authority_id, _area), judgement in sorted(
                    latest.items(), key=lambda pair: area_order.get(pair[0][1], 99)
                )
                if authority_id == peer.id
            ],
            "themes": {theme.value: theme_counts[peer.id][theme.value] for theme in Theme},
        }
        for rank, peer in enumerate(peers)
    ]
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
