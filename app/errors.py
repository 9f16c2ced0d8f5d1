"""One error vocabulary and one JSON body for every error the API returns.

{"status": 422, "error": "invalid_parameter",
 "message": "theme: 'foo' is not a valid value; valid values: front-door, assessment, ...",
 "details": [{"parameter": "theme", "message": "...", "input": "foo"}]}
"""

from __future__ import annotations

from typing import Any, ClassVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match


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
    """The id the request context middleware gave this request (app/middleware.py)."""
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


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
