"""Documents: one document with its full text, or as an upload's answer names it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from app.store.inspections import document_ref
from app.store.tables import documents


def document_by_id(connection: Connection, document_id: int) -> dict[str, Any] | None:
    """A document's metadata and its full normalised text, or None."""
    row = connection.execute(select(documents).where(documents.c.id == document_id)).first()
    if row is None:
        return None
    return {
        "id": row.id,
        "inspection_id": row.inspection_id,
        **document_ref(row),
        "sha256": row.sha256,
        "pages": row.pages,
        "inspectors": row.inspectors,
        "parser_version": row.parser_version,
        "text": row.text,
    }


def loaded_document(connection: Connection, document_id: int) -> dict[str, Any]:
    """A document just loaded, as the upload's answer gives it (without its text)."""
    row = connection.execute(select(documents).where(documents.c.id == document_id)).one()
    return {
        **document_ref(row),
        "sha256": row.sha256,
        "pages": row.pages,
        "parser_version": row.parser_version,
    }


__all__ = ["document_by_id", "loaded_document"]
