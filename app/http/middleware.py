"""What every request goes through, whatever route serves it.

- A request id: taken from the client's `X-Request-ID` when it is a sane token, made up
  otherwise; returned in `X-Request-ID` and on every log line written while serving it.
- One JSON access log line per request (app/http/logs.py).
- Security headers on every response, errors included.
- A last-resort 500 in the one error body, with the request id and nothing else: no stack
  trace, SQL or file path reaches a client; the traceback goes to the log.
- Database faults as clear answers (app/http/errors.py): a statement stopped by the
  time limit is a 503 `query_timeout` with Retry-After; a value the database cannot store a 422
  `not_storable`; no free connection, a locked or unreachable database a 503 with
  Retry-After.
- CORS for the origins in settings, and the export slots (app/http/streaming.py): a bound on
  concurrent CSV exports that hold a database connection while they stream, so the pool
  always has a connection for every worker thread.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.http.errors import error_response
from app.http.limits import RequestLimits, document_limits
from app.http.logs import configure_logging, request_id_var
from app.http.pages import DOCS_POLICY
from app.http.readiness import log_readiness
from app.http.streaming import ExportSlots
from app.http.timeouts import install_statement_timeout

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.errors")

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
"""For the JSON API and the explorer page served from `/`: its scripts, styles and data all
come from this origin, and no inline script is needed."""
DOCS_CONTENT_SECURITY_POLICY = DOCS_POLICY
"""The interactive docs start Swagger UI and ReDoc with an inline script; their assets are
served from this app (app/http/pages.py), never a CDN."""
_CSP = CONTENT_SECURITY_POLICY.encode("latin-1")
_DOCS_CSP = DOCS_CONTENT_SECURITY_POLICY.encode("latin-1")
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)


def request_id_for(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            given: str = value.decode("latin-1").strip()
            if _SANE_REQUEST_ID.fullmatch(given):
                return given
            break
    # An id needs to be unique, not secret: 128 bits from the random module's generator,
    # seeded from the OS once (and again in a forked child), rather than a system call each.
    return f"{random.getrandbits(128):032x}"


class RequestContext:
    """Outermost middleware: request id, access log, security headers, last-resort 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status: int | None = None
        csp = _DOCS_CSP if scope["path"] in DOCS_PATHS else _CSP

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                given = [
                    (name, value)
                    for name, value in message.get("headers", ())
                    if name.lower() != b"x-request-id"
                ]
                present = {name.lower() for name, _value in given}
                given.append((b"x-request-id", request_id.encode("latin-1")))
                if b"content-security-policy" not in present:
                    given.append((b"content-security-policy", csp))
                given.extend(header for header in SECURITY_HEADERS if header[0] not in present)
                message["headers"] = given
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            error_log.exception(
                "unhandled error", extra={"method": scope["method"], "path": scope["path"]}
            )
            if status is not None:  # the response had begun: nothing more can be said
                raise
            response = error_response(
                500,
                "internal_error",
                "Something went wrong on our side; quote the request id when reporting it",
                [],
                request_id=request_id,
            )
            await response(scope, receive, send_with_headers)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                # The record made directly: Logger.info would also look for its caller in
                # the stack, on every request, for a line that has no use for it.
                access_log.handle(
                    access_log.makeRecord(
                        access_log.name,
                        logging.INFO,
                        __file__,
                        0,
                        f"{scope['method']} {scope['path']} {status}",
                        (),
                        None,
                        extra={
                            "method": scope["method"],
                            "path": scope["path"],
                            "query": scope.get("query_string", b"").decode("latin-1")[:512],
                            "status": status,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        },
                    )
                )
            request_id_var.reset(token)


class HeadAsGet:
    """HEAD on any path answers what GET answers, without the body (RFC 9110): the request
    is routed as a GET and the body is dropped. A CSV export sends its headers without
    running its query (app/http/streaming.py reads `head_request`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET", "head_request": True}, receive, send_without_body)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Logging, the worker thread count, and a word on the database's state at startup."""
    settings: Settings = app.state.settings
    configure_logging()
    to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
    await to_thread.run_sync(log_readiness, app.state.engine)
    yield


def install_guards(app: FastAPI, settings: Settings) -> None:
    """Everything above, on an app whose routes are in place. Call it last in create_app:
    the middleware it adds must wrap all the others."""
    install_statement_timeout(app.state.engine, settings.statement_timeout_seconds)
    document_limits(app, settings)
    app.state.export_slots = ExportSlots(settings.max_concurrent_exports)
    app.add_middleware(HeadAsGet)
    app.add_middleware(RequestLimits, settings=settings)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_headers=["Accept", "If-None-Match", "If-Modified-Since", "X-Request-ID"],
            expose_headers=["ETag", "Last-Modified", "Link", "X-Coverage", "X-Request-ID"],
            max_age=600,
        )
    app.add_middleware(RequestContext)


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "REQUEST_ID_HEADER",
    "RequestContext",
    "install_guards",
    "lifespan",
]
