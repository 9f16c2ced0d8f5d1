"""What the OpenAPI document says about responses: examples (real output on the seed
documents, abridged), the CSV alternative, the Link and caching headers, and the one error
body for 404 and 422."""

from __future__ import annotations

from typing import Any

from app.http.errors import ErrorBody

_ERROR_EXAMPLES = {
    404: {
        "status": 404,
        "error": "not_found",
        "message": "No inspection with id 999",
        "details": [],
    },
    422: {
        "status": 422,
        "error": "invalid_parameter",
        "message": 'q: a quoted phrase is not closed: add the closing "',
        "details": [
            {
                "parameter": "q",
                "message": 'a quoted phrase is not closed: add the closing "',
                "input": '"management oversight',
            }
        ],
    },
}
_CACHE_HEADERS = {
    "ETag": {
        "description": "The API and data versions and the format: changes with every load",
        "schema": {"type": "string"},
        "example": '"0.1.0.5.json"',
    },
    "Last-Modified": {
        "description": "When the data last changed",
        "schema": {"type": "string"},
        "example": "Sun, 22 Nov 2026 09:45:00 GMT",
    },
    "Cache-Control": {"schema": {"type": "string"}, "example": "public, max-age=60"},
}
_LINK_HEADER = {
    "description": 'The next page, as `<path?query>; rel="next"`, when there is one',
    "schema": {"type": "string"},
    "example": '</findings?limit=50&cursor=WyJkYXRlIiwiMjAxMC0wNy0yMCIsNTBd>; rel="next"',
}


CSV_DESCRIPTION = (
    "Every matching row, streamed. A text cell a spreadsheet would run as a formula (one "
    "starting with =, +, -, @, a tab or a carriage return) starts with a ' instead. An "
    "error before the first byte is answered with its own status; an error after it ends "
    "the CSV with a last record `#error,<code>,<message>`: a CSV that ends so is not whole."
)


def documented(
    example: Any, *, csv: str | None = None, paged: bool = False, not_found: bool = False
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: its 200 example (and CSV example when it answers as CSV),
    its headers, 304, and the error body for 422 (and 404 when it looks an id up)."""
    content: dict[str, Any] = {"application/json": {"example": example}}
    if csv is not None:
        content["text/csv"] = {
            "schema": {"type": "string", "description": CSV_DESCRIPTION},
            "example": csv,
        }
    headers = dict(_CACHE_HEADERS)
    if paged:
        headers["Link"] = _LINK_HEADER
    responses: dict[int | str, dict[str, Any]] = {
        200: {"description": "Successful response", "content": content, "headers": headers},
        304: {"description": "Not modified: the `If-None-Match` ETag is current"},
        422: {
            "model": ErrorBody,
            "description": "A parameter is unknown or has an invalid value",
            "content": {"application/json": {"example": _ERROR_EXAMPLES[422]}},
        },
    }
    if not_found:
        responses[404] = {
            "model": ErrorBody,
            "description": "No such resource",
            "content": {"application/json": {"example": _ERROR_EXAMPLES[404]}},
        }
    return responses


__all__ = ["documented"]
