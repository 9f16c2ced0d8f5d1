"""Findings: strengths, weaknesses, recommendations, priority actions and narrative
paragraphs, each with its themes and the offsets of its words in its document."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import ColumnElement, Connection, func, select

from app.errors import ERROR_RESPONSES, NotFound
from app.pagination import CursorQuery, LimitQuery, after, decode_cursor, encode_cursor, next_link
from app.queries import (
    AreaParam,
    AuthorityParam,
    GradeParam,
    KindParam,
    ThemeParam,
    TypeParam,
    Year,
    YearParam,
    authorities,
    authority_index_of,
    engine_of,
    finding_themes,
    findings,
    grade_condition,
    inspections,
    judgements,
    theme_condition,
    values_of,
)
from app.responses import json_response
from app.schemas import FindingOut, Page
from app.vocabulary import FindingKind, Grade, InspectionType, JudgementArea, Theme

router = APIRouter(tags=["findings"])

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
    inspections.c.start_date,
)
_FROM = findings.join(inspections, inspections.c.id == findings.c.inspection_id).join(
    authorities, authorities.c.id == inspections.c.authority_id
)
_ORDER = (inspections.c.start_date, findings.c.id)


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


def finding_json(row: Any, themes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
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


@router.get(
    "/findings",
    response_model=Page[FindingOut],
    summary="Findings, filtered and paginated",
    responses=ERROR_RESPONSES,
)
def list_findings(
    request: Request,
    authority: list[str] | None = AuthorityParam,
    year: list[Year] | None = YearParam,
    type: list[InspectionType] | None = TypeParam,
    theme: list[Theme] | None = ThemeParam,
    kind: list[FindingKind] | None = KindParam,
    grade: list[Grade] | None = GradeParam,
    area: list[JudgementArea] | None = AreaParam,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
) -> Response:
    """Findings in date order (the inspection's first day, then document order).

    Filters combine with AND; a repeated parameter is OR within its filter
    (`theme=assessment&theme=child-in-need`). `grade` and `area` select findings of
    inspections having a judgement of that grade in that area; a visit that gives no grade
    matches no `grade`. Each finding names the words that put each theme on it, and its
    `source` gives the offsets of its words in `GET /documents/{id}`'s text."""
    with engine_of(request).connect() as connection:
        conditions: list[ColumnElement[bool]] = []
        if authority:
            ids = authority_index_of(request).resolve(connection, authority)
            conditions.append(inspections.c.authority_id.in_(ids))
        if year:
            conditions.append(inspections.c.year.in_(year))
        if type:
            conditions.append(inspections.c.type.in_(values_of(type)))
        if kind:
            conditions.append(findings.c.kind.in_(values_of(kind)))
        if theme:
            conditions.append(theme_condition(findings.c.id, theme))
        if grade:
            conditions.append(grade_condition(findings.c.inspection_id, grade, area))
        elif area:
            conditions.append(
                select(judgements.c.id)
                .where(
                    (judgements.c.inspection_id == findings.c.inspection_id)
                    & judgements.c.canonical
                    & judgements.c.area.in_(values_of(area))
                )
                .exists()
            )
        statement = select(*_COLUMNS).select_from(_FROM).where(*conditions)
        total = connection.scalar(select(func.count()).select_from(statement.subquery()))
        if cursor:
            key = decode_cursor(cursor, (date, int))
            statement = statement.where(after(_ORDER, key))
        rows = connection.execute(statement.order_by(*_ORDER).limit(limit + 1)).all()
        page, more = rows[:limit], len(rows) > limit
        themes = themes_for(connection, [row.id for row in page])
    items = [finding_json(row, themes.get(row.id, [])) for row in page]
    next_page = (
        next_link(request, encode_cursor([page[-1].start_date, page[-1].id])) if more else None
    )
    return json_response({"items": items, "total": total, "limit": limit, "next": next_page})


@router.get(
    "/findings/{finding_id}",
    response_model=FindingOut,
    summary="One finding",
    responses=ERROR_RESPONSES,
)
def get_finding(request: Request, finding_id: int = Path(ge=1)) -> Response:
    """One finding with its themes and source offsets."""
    with engine_of(request).connect() as connection:
        row = connection.execute(
            select(*_COLUMNS).select_from(_FROM).where(findings.c.id == finding_id)
        ).first()
        if row is None:
            raise NotFound(f"No finding with id {finding_id}")
        themes = themes_for(connection, [finding_id])
    return json_response(finding_json(row, themes.get(finding_id, [])))
