"""Inspections: the statement of an inspections query, a page's judgements and documents in
one statement each, an inspection as the API's item, and one inspection in detail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, func, select

from app.listing.keyset import Keyset
from app.params import InspectionSort, Scope
from app.store.authorities import AuthorityIndex
from app.store.filters import inspection_conditions
from app.store.tables import (
    authorities,
    cited_judgements,
    documents,
    findings,
    inspections,
    judgements,
)

_COLUMNS = (
    inspections.c.id,
    authorities.c.slug,
    authorities.c.name,
    inspections.c.type,
    inspections.c.start_date,
    inspections.c.end_date,
    inspections.c.year,
)
_FROM = inspections.join(authorities, authorities.c.id == inspections.c.authority_id)
_ORDER = (inspections.c.start_date, inspections.c.id)


def judgement_json(row: Any) -> dict[str, Any]:
    return {
        "area": row.area,
        "area_label": row.area_label,
        "grade": row.grade,
        "grade_label": row.grade_label,
        "source": {
            "document_id": row.document_id,
            "start": row.source_start,
            "end": row.source_end,
        },
    }


def judgements_for(connection: Connection, inspection_ids: list[int]) -> dict[int, list[Any]]:
    """The judgements that stand for each inspection, in the order the documents give them."""
    found: dict[int, list[Any]] = defaultdict(list)
    if not inspection_ids:
        return found
    rows = connection.execute(
        select(judgements)
        .where(judgements.c.inspection_id.in_(inspection_ids), judgements.c.canonical)
        .order_by(judgements.c.inspection_id, judgements.c.document_id, judgements.c.source_start)
    )
    for row in rows:
        found[row.inspection_id].append(judgement_json(row))
    return found


REF_COLUMNS = (
    documents.c.filename,
    documents.c.title,
    documents.c.kind,
    documents.c.letter_date,
    documents.c.published_date,
    documents.c.published_source,
    documents.c.source_url,
)
"""A document's columns as `document_ref` names it (with its id)."""


def documents_for(connection: Connection, inspection_ids: list[int]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    if not inspection_ids:
        return found
    rows = connection.execute(
        select(documents.c.id, documents.c.inspection_id, *REF_COLUMNS, documents.c.inspectors)
        .where(documents.c.inspection_id.in_(inspection_ids))
        .order_by(documents.c.inspection_id, documents.c.id)
    )
    for row in rows:
        found[row.inspection_id].append(row)
    return found


def document_ref(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "filename": row.filename,
        "title": row.title,
        "kind": row.kind,
        "letter_date": row.letter_date,
        "published_date": row.published_date,
        "published_source": row.published_source,
        "source_url": row.source_url,
    }


def finding_counts_for(
    connection: Connection, inspection_ids: list[int]
) -> dict[int, dict[str, int]]:
    """Each inspection's findings counted by kind, in one statement."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    if not inspection_ids:
        return found
    rows = connection.execute(
        select(findings.c.inspection_id, findings.c.kind, func.count())
        .where(findings.c.inspection_id.in_(inspection_ids))
        .group_by(findings.c.inspection_id, findings.c.kind)
        .order_by(findings.c.inspection_id, findings.c.kind)
    )
    for inspection_id, kind, count in rows:
        found[inspection_id][kind] = count
    return found


def inspection_json(
    row: Any, judgement_rows: list[Any], document_rows: list[Any], counts: dict[str, int]
) -> dict[str, Any]:
    inspectors: list[str] = []
    for document in document_rows:
        inspectors.extend(name for name in document.inspectors if name not in inspectors)
    return {
        "id": row.id,
        "authority": {"slug": row.slug, "name": row.name},
        "type": row.type,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "year": row.year,
        "judgements": judgement_rows,
        "documents": [document_ref(document) for document in document_rows],
        "inspectors": inspectors,
        "finding_counts": counts,
    }


_KEYSETS = {
    InspectionSort.DATE: Keyset("date", _ORDER, (date, int)),
    InspectionSort.DATE_DESC: Keyset("-date", _ORDER, (date, int), descending=True),
    InspectionSort.AUTHORITY: Keyset("authority", (authorities.c.slug, *_ORDER), (str, date, int)),
    InspectionSort.AUTHORITY_DESC: Keyset(
        "-authority", (authorities.c.slug, *_ORDER), (str, date, int), descending=True
    ),
}


def inspections_json(connection: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    ids = [row.id for row in rows]
    grades = judgements_for(connection, ids)
    docs = documents_for(connection, ids)
    counts = finding_counts_for(connection, ids)
    return [
        inspection_json(row, grades.get(row.id, []), docs.get(row.id, []), counts.get(row.id, {}))
        for row in rows
    ]


def inspections_statement(
    connection: Connection, index: AuthorityIndex, query: Scope, sort: InspectionSort
) -> tuple[Select[Any], Keyset]:
    """The statement of an inspections query, and the order to page it in."""
    conditions = inspection_conditions(query, connection, index)
    return select(*_COLUMNS).select_from(_FROM).where(*conditions), _KEYSETS[sort]


def inspection_detail(connection: Connection, inspection_id: int) -> dict[str, Any] | None:
    """The body of `GET /inspections/{id}`, or None when there is no such inspection."""
    row = connection.execute(
        select(*_COLUMNS).select_from(_FROM).where(inspections.c.id == inspection_id)
    ).first()
    if row is None:
        return None
    grades = judgements_for(connection, [inspection_id]).get(inspection_id, [])
    docs = documents_for(connection, [inspection_id]).get(inspection_id, [])
    counts = finding_counts_for(connection, [inspection_id]).get(inspection_id, {})
    cited = connection.execute(
        select(cited_judgements)
        .where(cited_judgements.c.inspection_id == inspection_id)
        .order_by(cited_judgements.c.document_id, cited_judgements.c.source_start)
    ).all()
    body = inspection_json(row, grades, docs, counts)
    body["cited_judgements"] = [
        {
            "area": item.area,
            "grade": item.grade,
            "grade_label": item.grade_label,
            "year": item.cited_year,
            "month": item.cited_month,
            "source": {
                "document_id": item.document_id,
                "start": item.source_start,
                "end": item.source_end,
            },
        }
        for item in cited
    ]
    return body


__all__ = [
    "REF_COLUMNS",
    "document_ref",
    "documents_for",
    "finding_counts_for",
    "inspection_detail",
    "inspections_json",
    "inspections_statement",
    "judgements_for",
]
