"""The change log: the data version (the newest change's id) and the change feed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select, select

from app.listing.keyset import count_of
from app.store.inspections import REF_COLUMNS, document_ref
from app.store.prepared import prepared
from app.store.tables import authorities, changes, documents, inspections


@dataclass(frozen=True, slots=True)
class DataVersion:
    version: int
    changed_at: datetime | None


_LATEST_CHANGE = select(changes.c.id, changes.c.at).order_by(changes.c.id.desc()).limit(1)


def data_version(connection: Connection) -> DataVersion:
    """The newest change: its id is the data version (0 before anything is loaded). Every
    request reads it (app/http/caching.py), so it runs as a prepared statement."""
    rows = prepared("data version", connection, lambda: _LATEST_CHANGE).typed_rows(connection, {})
    if not rows:
        return DataVersion(0, None)
    version, at = rows[0]
    return DataVersion(version, at if at.tzinfo else at.replace(tzinfo=UTC))


_COLUMNS = (
    changes.c.id,
    changes.c.action,
    changes.c.at,
    changes.c.document_id,
    changes.c.inspection_id,
    documents.c.id.label("document_found"),
    *REF_COLUMNS,
    inspections.c.id.label("inspection_found"),
    inspections.c.type,
    inspections.c.start_date,
    inspections.c.year,
    authorities.c.slug,
    authorities.c.name,
)
# Outer joins: a change outlives the document or inspection it names.
_FROM = (
    changes.outerjoin(documents, documents.c.id == changes.c.document_id)
    .outerjoin(inspections, inspections.c.id == changes.c.inspection_id)
    .outerjoin(authorities, authorities.c.id == inspections.c.authority_id)
)


def change_json(row: Any) -> dict[str, Any]:
    return {
        "version": row.id,
        "action": row.action,
        "at": row.at,
        "document_id": row.document_id,
        "inspection_id": row.inspection_id,
        "document": None
        if row.document_found is None
        else {**document_ref(row), "id": row.document_id},
        "inspection": None
        if row.inspection_found is None
        else {
            "id": row.inspection_id,
            "authority": {"slug": row.slug, "name": row.name},
            "type": row.type,
            "start_date": row.start_date,
            "year": row.year,
        },
    }


def changes_since(since: int) -> Select[Any]:
    """The changes after version `since`, oldest first."""
    return select(*_COLUMNS).select_from(_FROM).where(changes.c.id > since).order_by(changes.c.id)


def changes_page(
    connection: Connection, since: int, limit: int, *, count: bool
) -> tuple[list[Any], int | None]:
    """The first `limit` + 1 changes after `since` (one more than a page: whether there is
    a next), and how many there are in all unless `count` is false."""
    statement = changes_since(since)
    total = count_of(connection, statement) if count else None
    rows = connection.execute(statement.limit(limit + 1)).all()
    return list(rows), total


def changes_json(_connection: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [change_json(row) for row in rows]


__all__ = [
    "DataVersion",
    "change_json",
    "changes_json",
    "changes_page",
    "changes_since",
    "data_version",
]
