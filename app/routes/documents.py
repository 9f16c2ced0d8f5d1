"""Documents: the files findings were read from, with their full normalised text."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import select

from app.errors import NotFound
from app.queries import documents, engine_of
from app.responses import json_response
from app.routes import examples
from app.routes.docs import documented
from app.schemas import DocumentOut

router = APIRouter(tags=["documents"])


@router.get(
    "/documents/{document_id}",
    response_model=DocumentOut,
    summary="One document and its full text",
    responses=documented(examples.DOCUMENT, not_found=True),
)
def get_document(
    request: Request,
    document_id: int = Path(ge=1, description="The document's id", examples=[5]),
) -> Response:
    """A document's metadata and its full normalised text. Every `source` offset of a finding
    or judgement points into `text`: `text[start:end]` is the passage it came from."""
    with engine_of(request).connect() as connection:
        row = connection.execute(select(documents).where(documents.c.id == document_id)).first()
    if row is None:
        raise NotFound(f"No document with id {document_id}")
    return json_response(
        {
            "id": row.id,
            "inspection_id": row.inspection_id,
            "filename": row.filename,
            "title": row.title,
            "kind": row.kind,
            "letter_date": row.letter_date,
            "published_date": row.published_date,
            "source_url": row.source_url,
            "sha256": row.sha256,
            "pages": row.pages,
            "inspectors": row.inspectors,
            "parser_version": row.parser_version,
            "text": row.text,
        }
    )
