"""Documents: the files findings were read from, with their full normalised text; and, for
operators with a token, uploading a new one and deleting one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import Connection
from starlette.datastructures import UploadFile

from app.http.auth import WRITES_DISABLED, require_operator, settings_of
from app.http.errors import (
    ClientClosedRequest,
    ContentTooLarge,
    ErrorBody,
    ErrorDetail,
    InvalidParameter,
    NotFound,
)
from app.http.limits import MAX_ID
from app.http.responses import json_response
from app.http.state import connection_of, engine_of
from app.ingest import extract_upload, ingest, loaded_as, remove, safe_filename
from app.loading import SourceFile
from app.schemas import DocumentDeleted, DocumentLoaded, DocumentOut, examples
from app.schemas.documented import documented
from app.store.documents import document_by_id, loaded_document
from app.store.inspections import inspection_detail
from app.workers import Extraction, Refusal

router = APIRouter(tags=["documents"])

DocumentId = Path(ge=1, le=MAX_ID, description="The document's id", examples=[5])


@router.get(
    "/documents/{document_id}",
    response_model=DocumentOut,
    summary="One document and its full text",
    responses=documented(examples.DOCUMENT, not_found=True),
)
def get_document(request: Request, document_id: int = DocumentId) -> Response:
    """A document's metadata and its full normalised text. Every `source` offset of a finding
    or judgement points into `text`: `text[start:end]` is the passage it came from."""
    with connection_of(request) as connection:
        body = document_by_id(connection, document_id)
    if body is None:
        raise NotFound(f"No document with id {document_id}")
    return json_response(body)


# --- writes (operators only) ----------------------------------------------------------------


_LOADED_EXAMPLE: dict[str, Any] = {
    "status": "loaded",
    "document": {
        "id": 5,
        "filename": "004_00ec88477df05a0b.txt",
        "title": "Inspection of local authority arrangements for the protection of children",
        "kind": "report",
        "letter_date": None,
        "published_date": None,
        "published_source": None,
        "source_url": None,
        "sha256": "b7e5b4054ca729e882fe2100192b5bcf07723d3d49e36e023b9de30f104c3d12",
        "pages": None,
        "parser_version": "1.1.0",
    },
    "inspection_created": False,
    "inspection": examples.INSPECTION,
}
"""Real output: the seed report 004 uploaded again after a delete (the inspection as
`GET /inspections/4` gives it)."""


def _error(description: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": ErrorBody,
        "description": description,
        "content": {"application/json": {"example": example}},
    }


_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _error(
        "No token, or not a valid one",
        {
            "status": 401,
            "error": "unauthorized",
            "message": "The token is not valid",
            "details": [],
        },
    ),
    403: _error(
        "Uploads and deletes are disabled: no token is configured on this server",
        {
            "status": 403,
            "error": "writes_disabled",
            "message": WRITES_DISABLED,
            "details": [],
        },
    ),
}
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "additionalProperties": False,
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "The report or letter: a PDF or a plain-text file. "
                        "What it is is read from its content, not from its name or type.",
                    }
                },
            }
        }
    },
}


async def _read_upload(request: Request, limit: int) -> tuple[str | None, bytes]:
    """The `file` field of a multipart body, at most `limit` bytes."""
    async with request.form(max_files=1, max_fields=4) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidParameter(
                "file: send the document as the `file` field of a multipart/form-data body",
                [ErrorDetail(parameter="file", message="missing", input=None)],
            )
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise ContentTooLarge(f"The file is larger than the limit of {limit:,} bytes")
        return upload.filename, data


def _loaded_body(
    connection: Connection, document_id: int, inspection_id: int, created: bool, new: bool
) -> dict[str, Any]:
    return {
        "status": "loaded" if new else "already_loaded",
        "document": loaded_document(connection, document_id),
        "inspection_created": created,
        "inspection": inspection_detail(connection, inspection_id),
    }


@router.post(
    "/documents",
    status_code=201,
    response_model=DocumentLoaded,
    summary="Upload a report or letter (operators)",
    dependencies=[Depends(require_operator)],
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses={
        200: {
            "model": DocumentLoaded,
            "description": "The same file was already loaded: nothing changed",
            "content": {
                "application/json": {"example": {**_LOADED_EXAMPLE, "status": "already_loaded"}}
            },
        },
        201: {
            "description": "Loaded: the new document and the inspection it made or joined",
            "content": {"application/json": {"example": _LOADED_EXAMPLE}},
            "headers": {
                "Location": {"description": "The new document", "schema": {"type": "string"}}
            },
        },
        400: _error(
            "The multipart body is malformed",
            {
                "status": 400,
                "error": "http_error",
                "message": "Missing boundary in multipart.",
                "details": [],
            },
        ),
        **_AUTH_RESPONSES,
        413: _error(
            "The file is larger than the limit (MAX_UPLOAD_BYTES)",
            {
                "status": 413,
                "error": "content_too_large",
                "message": "The file is larger than the limit of 52,428,800 bytes",
                "details": [],
            },
        ),
        422: _error(
            "Not loaded, and why: no `file` field, a file that cannot be read, not an "
            "Ofsted report this parser understands, or one that took longer to read than the "
            "limit (EXTRACTION_TIMEOUT_SECONDS)",
            {
                "status": 422,
                "error": "unreadable_document",
                "message": "the file is an HTML page, not a PDF or text document",
                "details": [],
            },
        ),
    },
)
async def upload_document(request: Request) -> Response:
    """Load one document, exactly as the seed job does: its content is sniffed (PDF or
    text; never trusted from its name or content type), read, extracted, and stored in one
    transaction, joining the inspection it belongs to or making a new one.

    Answers 201 with the document and its inspection as `GET /inspections/{id}` gives it;
    200 with `status: already_loaded` when a file with the same SHA-256 was loaded before;
    422 with the reason when the file cannot be read (`unreadable_document`), is not a
    children's services inspection document this parser understands
    (`not_an_ofsted_report`), or took longer to read than the server's limit
    (`extraction_timeout`). Needs an operator token (`Authorization: Bearer ...`)."""
    settings = settings_of(request)
    filename, data = await _read_upload(request, settings.max_upload_bytes)
    engine = engine_of(request)
    source = SourceFile(safe_filename(filename, data, _digest(data)), data)
    done = await run_in_threadpool(loaded_as, engine, source)
    if done is None:
        extraction = await extract_upload(
            data,
            settings.extraction_timeout_seconds,
            request.app.state.extraction_work,
            _until_disconnected(request),
        )
        if extraction is None:
            raise ClientClosedRequest("The client went away before the document was read")
        if extraction.document is None:
            _refuse(extraction)
        assert extraction.document is not None
        done = await run_in_threadpool(ingest, engine, source, extraction.document)

    def body() -> dict[str, Any]:
        with engine.connect() as connection:
            return _loaded_body(
                connection, done.document_id, done.inspection_id, done.inspection_created,
                done.created,
            )  # fmt: skip

    content = await run_in_threadpool(body)
    response = json_response(content, 201 if done.created else 200)
    response.headers["Location"] = f"/documents/{done.document_id}"
    return response


async def _until_disconnected(request: Request) -> None:
    """Returns when the client closes the connection (the body has been read by now, so
    the next message can only be the disconnect)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def _refuse(extraction: Extraction) -> None:
    """The 422 for a document that was not extracted; a parser bug is a 500."""
    reason = extraction.reason or "not extracted"
    if extraction.refusal in (None, Refusal.INTERNAL):
        raise RuntimeError(reason)
    raise InvalidParameter(
        reason,
        [ErrorDetail(parameter="file", message=reason, input=None)],
        error=extraction.refusal.value,
    )


def _digest(data: bytes) -> str:
    return SourceFile("", data).sha256


@router.delete(
    "/documents/{document_id}",
    response_model=DocumentDeleted,
    summary="Delete a document and what came only from it (operators)",
    dependencies=[Depends(require_operator)],
    responses={
        200: {
            "description": "Deleted",
            "content": {
                "application/json": {
                    "example": {
                        "document_id": 5,
                        "inspection_id": 4,
                        "inspection_removed": False,
                        "data_version": 6,
                    }
                }
            },
        },
        **_AUTH_RESPONSES,
        404: _error(
            "No such document",
            {
                "status": 404,
                "error": "not_found",
                "message": "No document with id 999",
                "details": [],
            },
        ),
        422: _error(
            "The id is not a valid id",
            {
                "status": 422,
                "error": "invalid_parameter",
                "message": "document_id: Input should be greater than or equal to 1",
                "details": [],
            },
        ),
    },
)
def delete_document(request: Request, document_id: int = DocumentId) -> Response:
    """Remove a document with its judgements, cited judgements and findings, and its
    inspection when no other document belongs to it, in one transaction. The data version
    moves on, so caches and `/changes` see it. Needs an operator token."""
    removed = remove(engine_of(request), document_id)
    if removed is None:
        raise NotFound(f"No document with id {document_id}")
    return json_response(
        {
            "document_id": removed.document_id,
            "inspection_id": removed.inspection_id,
            "inspection_removed": removed.inspection_removed,
            "data_version": removed.data_version,
        }
    )
