"""An authority's history and peers: its timeline of inspections, visits and cited
judgements, and its statistical neighbours side by side."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Connection, func, select

from app.params import Scope
from app.store.authorities import AuthorityIndex, AuthorityRow
from app.store.inspections import document_ref, documents_for, judgements_for
from app.store.judgements import latest_judgements
from app.store.tables import authorities, cited_judgements, finding_themes, findings, inspections
from app.vocabulary import (
    GRADE_SCORES,
    INSPECTION_TYPE_LABELS,
    Grade,
    InspectionType,
    JudgementArea,
    Theme,
)


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


def timeline(connection: Connection, authority: AuthorityRow) -> list[dict[str, Any]]:
    """Every loaded inspection and visit of the authority and every judgement its reports
    cite, as events in date order."""
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
    return [event for _key, event in sorted(events, key=lambda pair: pair[0])]


def neighbours(
    connection: Connection, index: AuthorityIndex, subject: AuthorityRow
) -> list[dict[str, Any]]:
    """The authority, then its statistical neighbours closest first: latest grades, counts
    of inspections and findings, findings per theme."""
    codes = connection.scalar(
        select(authorities.c.statistical_neighbours).where(authorities.c.id == subject.id)
    )
    peers = [subject] + [
        row for row in (index.by_dfe(connection, code) for code in codes or []) if row
    ]
    ids = [peer.id for peer in peers]
    peers_only = Scope.model_validate({"authority": [peer.slug for peer in peers]})
    latest = latest_judgements(connection, index, peers_only)
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
    return items


__all__ = ["neighbours", "timeline"]
