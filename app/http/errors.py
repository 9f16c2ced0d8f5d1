"""One error vocabulary, one JSON body, and every error handler of the API.

{"status": 422, "error": "invalid_parameter",
 "message": "theme: 'foo' is not a valid value; valid values: front-door, assessment, ...",
 "details": [{"parameter": "theme", "message": "...", "input": "foo"}]}

The handlers (`install_error_handlers`): an `ApiError` as its status; a validation error as 422
`invalid_parameter`; Starlette's 404 and 405 (with `Allow`); a conditional GET that matches as
304; a database error as its classification says (below).

Database errors, one classification, for every route and every streamed export.
What a database error means for the client (never its SQL):

- a statement stopped by the time limit: `503 query_timeout` with `Retry-After` (the server's
  own limit, not the client's fault; a narrower query, or a retry when the server is less
  busy, may succeed);
- a value the database will not store or compare (too long for a full-text index, a NUL in
  a text, a number out of range: PostgreSQL's classes 22 and 54): `422 not_storable`,
  naming the problem;
- no free connection in the pool: `503 busy`, `Retry-After: 1`;
- the database unreachable, restarting, out of connections, locked, or a transaction that
  lost a conflict (PostgreSQL's classes 08, 40, 53, 57P01-57P05 and 55P03; SQLite busy,
  locked, cannot open, I/O error): `503 database_unavailable`, `Retry-After: 5`;
- anything else (a missing table, bad SQL: a bug): the last-resort `500`.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from typing import Any, ClassVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.http.timeouts import is_statement_timeout

error_log = logging.getLogger("app.errors")


class ErrorDetail(BaseModel):
    parameter: str | None = Field(None, description="The query parameter or path part at fault")
    message: str
    input: Any = Field(None, description="The value that was given, where there was one")


class ErrorBody(BaseModel):
    """The body of every 4xx and 5xx response."""

    status: int = Field(examples=[404])
    error: str = Field(
        description="A stable machine-readable code",
        examples=["not_found", "invalid_parameter", "unknown_parameter"],
    )
    message: str = Field(examples=["No inspection with id 999"])
    details: list[ErrorDetail] = Field(default_factory=list)
    request_id: str | None = Field(
        default=None,
        description="On a 500 or 503: the request's id (also in the X-Request-ID header), to "
        "quote when reporting it",
    )


class ApiError(Exception):
    status = 400
    error = "bad_request"
    headers: ClassVar[dict[str, str] | None] = None

    def __init__(
        self,
        message: str,
        details: list[ErrorDetail] | None = None,
        *,
        error: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        if error is not None:
            self.error = error


class NotFound(ApiError):
    status = 404
    error = "not_found"


class InvalidParameter(ApiError):
    status = 422
    error = "invalid_parameter"


class UnknownParameter(ApiError):
    status = 422
    error = "unknown_parameter"


class Unauthorized(ApiError):
    status = 401
    error = "unauthorized"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class Forbidden(ApiError):
    status = 403
    error = "forbidden"


class ContentTooLarge(ApiError):
    status = 413
    error = "content_too_large"


class ClientClosedRequest(ApiError):
    """The client went away before the answer was ready: nobody reads this response, but
    the access log shows it (499, as nginx logs it)."""

    status = 499
    error = "client_closed_request"


class ServiceUnavailable(ApiError):
    """The service cannot answer now: its database is unreachable, busy, or not migrated."""

    status = 503
    error = "unavailable"
    headers: ClassVar[dict[str, str] | None] = {"Retry-After": "5"}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such resource"},
    422: {"model": ErrorBody, "description": "A parameter is unknown or has an invalid value"},
}


def error_response(
    status: int,
    error: str,
    message: str,
    details: list[ErrorDetail],
    *,
    headers: dict[str, str] | None = None,
    request_id: str | None = None,
) -> Response:
    body = ErrorBody(status=status, error=error, message=message, details=details)
    content = body.model_dump(exclude={"request_id"})
    if request_id is not None:
        content["request_id"] = request_id
    return Response(
        orjson.dumps(content), status_code=status, media_type="application/json", headers=headers
    )


def _validation_message(error: dict[str, Any]) -> ErrorDetail:
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    parameter = location[0] if location else None
    return ErrorDetail(
        parameter=parameter, message=error.get("msg", "invalid"), input=error.get("input")
    )


def request_id_of(request: Request) -> str | None:
    """The id the request context middleware gave this request (app/http/middleware.py)."""
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(
        exc.status,
        exc.error,
        exc.message,
        exc.details,
        headers=exc.headers,
        request_id=request_id_of(request) if exc.status >= 500 else None,
    )


async def _validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [_validation_message(error) for error in exc.errors()]
    message = "; ".join(
        f"{detail.parameter}: {detail.message}" if detail.parameter else detail.message
        for detail in details
    )
    return error_response(422, "invalid_parameter", message, details)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at this path (a path can have a route per method),
    with HEAD wherever GET is answered."""
    methods: set[str] = set()
    for route in _all_routes(request.app.router.routes):
        match, _scope = route.matches(request.scope)
        if match is not Match.NONE:  # the path matches (the method may not)
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _all_routes(routes: Any) -> Any:
    """The routes, with those of included routers (FastAPI keeps them nested; this app's
    routers have no prefix of their own)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _all_routes(included.routes)
        else:
            yield route


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 413: "content_too_large"}
    message = exc.detail if isinstance(exc.detail, str) else "error"
    headers = getattr(exc, "headers", None)
    if exc.status_code == 404 and message == "Not Found":
        message = "No such path; the API's routes are listed at /docs"
    if exc.status_code == 405:
        allowed = allowed_methods(request)
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        message = f"{request.method} is not allowed here; allowed: {', '.join(allowed)}"
    return error_response(
        exc.status_code, codes.get(exc.status_code, "http_error"), message, [], headers=headers
    )


class NotModified(Exception):
    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("not modified")
        self.headers = headers


# --- database errors ----------------------------------------------------------------------


_SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "malformed", "readonly")
_UNAVAILABLE_CLASSES = ("08", "40", "53")
"""PostgreSQL SQLSTATE classes: connection exception, transaction rollback (serialization
failure, deadlock), insufficient resources (too many connections, disk full)."""
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "57P04", "57P05", "55P03"})
"""Administrator shutdown, crash shutdown, cannot connect now, database dropped, idle session
timeout; lock not available."""
_NOT_STORABLE_CLASSES = ("22", "54")
"""Data exception (a value out of range, a NUL in a text), program limit exceeded (a string
too long for tsvector, an index row too large)."""


@dataclass(frozen=True, slots=True)
class DatabaseProblem:
    """What to answer for a database error."""

    status: int
    error: str
    message: str
    retry_after: int | None = None

    @property
    def headers(self) -> dict[str, str] | None:
        return None if self.retry_after is None else {"Retry-After": str(self.retry_after)}


BUSY = DatabaseProblem(
    503,
    "busy",
    "The service is busy: no database connection came free in time; retry shortly",
    retry_after=1,
)
UNAVAILABLE = DatabaseProblem(
    503, "database_unavailable", "The database is unavailable; retry shortly", retry_after=5
)


QUERY_RETRY_AFTER = 5
"""Seconds a client is asked to wait before asking again a question that ran out of time."""


def timeout_message(seconds: float) -> str:
    return (
        f"The query took longer than the server's limit of {seconds:g} s and was stopped: "
        "retry later, or narrow it with more filters or a search with fewer OR and prefix terms"
    )


def _sqlstate(exc: DBAPIError) -> str | None:
    state = getattr(exc.orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def _first_line(exc: DBAPIError) -> str:
    """The database's own one-line message (PostgreSQL's primary message), without SQL."""
    diag = getattr(exc.orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    text = primary if isinstance(primary, str) and primary else str(exc.orig)
    return text.strip().splitlines()[0] if text.strip() else type(exc.orig).__name__


def classify(exc: BaseException, statement_timeout: float) -> DatabaseProblem | None:
    """The answer for a database error, or None for a bug (the last-resort 500)."""
    if isinstance(exc, PoolTimeout):
        return BUSY
    if not isinstance(exc, DBAPIError):
        return None
    if is_statement_timeout(exc):
        return DatabaseProblem(
            503, "query_timeout", timeout_message(statement_timeout), retry_after=QUERY_RETRY_AFTER
        )
    if exc.connection_invalidated:
        return UNAVAILABLE
    original = exc.orig
    if isinstance(original, sqlite3.Error):
        message = str(original).lower()
        if any(part in message for part in _SQLITE_UNAVAILABLE):
            return UNAVAILABLE
        if isinstance(original, sqlite3.DataError):
            return _not_storable(exc)
        return None
    state = _sqlstate(exc)
    if state is None:
        # psycopg refuses some values itself (a NUL in a text) and raises connection
        # failures (refused, reset, server gone) without a state.
        if isinstance(exc, DataError):
            return _not_storable(exc)
        return UNAVAILABLE if isinstance(exc, OperationalError) else None
    if state.startswith(_UNAVAILABLE_CLASSES) or state in _UNAVAILABLE_STATES:
        return UNAVAILABLE
    if state.startswith(_NOT_STORABLE_CLASSES):
        return _not_storable(exc)
    return None


def _not_storable(exc: DBAPIError) -> DatabaseProblem:
    return DatabaseProblem(
        422, "not_storable", f"The database cannot store or compare a value: {_first_line(exc)}"
    )


# --- handlers -----------------------------------------------------------------------------


async def _not_modified(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotModified)
    return Response(status_code=304, headers=exc.headers)


async def _database_error(request: Request, exc: Exception) -> Response:
    """A database error as `classify` says; a bug (unclassified) goes
    on to the last-resort 500. Never the SQL or its text."""
    problem = classify(exc, request.app.state.settings.statement_timeout_seconds)
    if problem is None:
        raise exc
    if problem.status >= 500:
        error_log.warning(
            problem.error, exc_info=exc, extra={"method": request.method, "path": request.url.path}
        )
    return error_response(
        problem.status,
        problem.error,
        problem.message,
        [],
        headers=problem.headers,
        request_id=request_id_of(request) if problem.status >= 500 else None,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Every error handler of the app."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(NotModified, _not_modified)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeout, _database_error)
