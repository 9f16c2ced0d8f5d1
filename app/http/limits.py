"""Request limits, checked before a request reaches a route, each answered by a clear 4xx in
the one error body:

- the query string: at most `max_query_bytes` bytes (else 414 `uri_too_long`);
- each query parameter: at most `max_parameter_length` characters per value and
  `max_parameter_values` repetitions (else 422 `parameter_too_long` / `too_many_values`),
  and no NUL character (`%00`), which no database text can hold (else 422
  `invalid_parameter`);
- the request body: `max_body_bytes`, or for an upload `max_upload_bytes` plus room for the
  multipart envelope (else 413 `content_too_large`), from Content-Length when it is given
  and counted as the body arrives when it is not.

Page size (`limit`, at most 500) and id ranges are declared on the parameters themselves.
The OpenAPI document states these limits too (maxLength, maxItems and the 413/414
responses), so clients and the contract tests know them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.http.errors import ContentTooLarge, ErrorDetail, error_response

MAX_ID = 2**31 - 1
"""The largest id the schema can hold (ids are INTEGER columns: 32 bits on PostgreSQL), so a
larger one in a path, a filter or a cursor is a 422 rather than a database error."""
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
"""Rows per page of a list: by default, and at most."""
UPLOADS = frozenset({("POST", "/documents")})
MULTIPART_ALLOWANCE = 64 * 1024
"""Bytes allowed on top of the file for the multipart envelope of an upload."""


def too_large_message(limit: int) -> str:
    return f"The request body is larger than the limit of {limit:,} bytes"


class RequestLimits:
    """ASGI middleware enforcing the query-string and body limits of `settings`."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def body_limit(self, scope: Scope) -> int:
        if (scope["method"], scope["path"]) in UPLOADS:
            return self.settings.max_upload_bytes + MULTIPART_ALLOWANCE
        return self.settings.max_body_bytes

    def query_error(self, query: bytes) -> tuple[int, str, str, list[ErrorDetail]] | None:
        settings = self.settings
        if len(query) > settings.max_query_bytes:
            return (
                414,
                "uri_too_long",
                f"The query string is {len(query):,} bytes long; the limit is "
                f"{settings.max_query_bytes:,}",
                [],
            )
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        repeats = Counter(name for name, _value in pairs)
        for name, count in repeats.items():
            if count > settings.max_parameter_values:
                message = f"{count} values given; at most {settings.max_parameter_values}"
                return (
                    422,
                    "too_many_values",
                    f"{name}: {message}",
                    [ErrorDetail(parameter=name, message=message, input=None)],
                )
        for name, value in pairs:
            if "\x00" in name or "\x00" in value:
                message = "contains a NUL character (%00), which no parameter may hold"
                return (
                    422,
                    "invalid_parameter",
                    f"{name.replace(chr(0), '%00')}: {message}",
                    [ErrorDetail(parameter=name.replace("\x00", "%00"), message=message,
                                 input=None)],
                )  # fmt: skip
            if len(value) > settings.max_parameter_length:
                message = (
                    f"the value is {len(value):,} characters long; at most "
                    f"{settings.max_parameter_length}"
                )
                return (
                    422,
                    "parameter_too_long",
                    f"{name}: {message}",
                    [ErrorDetail(parameter=name, message=message, input=None)],
                )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self.query_error(scope.get("query_string", b""))
        if problem is not None:
            status, error, message, details = problem
            await error_response(status, error, message, details)(scope, receive, send)
            return
        limit = self.body_limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            response = error_response(413, "content_too_large", too_large_message(limit), [])
            await response(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise ContentTooLarge(too_large_message(limit))
            return message

        await self.app(scope, receive_within_limit, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


_LIMIT_RESPONSES = {
    "400": "The HTTP request could not be parsed (a malformed request line or header)",
    "413": "The request body is larger than the limit",
    "414": "The query string is longer than the limit",
    "503": "The database is unreachable, busy, or not migrated to this service's schema (the "
    "message says what to run), a statement ran past the server's time limit "
    "(STATEMENT_TIMEOUT_SECONDS), or every CSV export slot stayed taken for the wait "
    "(EXPORT_WAIT_SECONDS); retry after Retry-After seconds",
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying (when the service expects to recover)",
        "schema": {"type": "string"},
    }
}


def document_limits(app: FastAPI, settings: Settings) -> None:
    """State the limits in the OpenAPI document: maxLength on free-text query parameters,
    maxItems on repeatable ones, and the 400 (a request the HTTP server cannot parse), 413,
    414 and 503 responses on every operation."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "query":
                        _limit_parameter(parameter["schema"], settings)
                responses = operation.setdefault("responses", {})
                for status, description in _LIMIT_RESPONSES.items():
                    response = responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorBody"}
                                }
                            },
                        },
                    )
                    if status == "503":
                        response.setdefault("headers", _RETRY_AFTER)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _limit_parameter(schema: dict[str, Any], settings: Settings) -> None:
    for option in schema.get("anyOf", []):
        _limit_parameter(option, settings)
    if schema.get("type") == "array":
        schema["maxItems"] = min(schema.get("maxItems", settings.max_parameter_values),
                                 settings.max_parameter_values)  # fmt: skip
        _limit_parameter(schema.get("items", {}), settings)
    elif schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        schema["maxLength"] = min(
            schema.get("maxLength", settings.max_parameter_length), settings.max_parameter_length
        )


__all__ = [
    "MAX_ID",
    "RequestLimits",
    "document_limits",
    "too_large_message",
]
