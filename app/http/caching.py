"""HTTP caching from the data version.

The data version is the id of the newest row of the change log (`changes`), which every
load, reparse and delete appends to. Every data response carries

    ETag: "<api version>.<data version>.<json|csv>"
    Last-Modified: <time of that change>
    Cache-Control: public, max-age=60
    Vary: Accept

and a request whose `If-None-Match` names the current ETag (or whose `If-Modified-Since`
is not older than the last change) gets a 304 before any query runs. The API version is in
the ETag so a deployment that changes responses never serves stale ones.

The inspection clock without `as_of` counts to today, so its answer also changes at
midnight (UTC): its ETag ends in the day (`"<api>.<data>.<format>.<YYYY-MM-DD>"`) and its
Last-Modified is never before that midnight.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.errors import NotModified
from app.http.state import connection_of
from app.listing.export import representation
from app.store.changes import DataVersion, data_version

CACHE_CONTROL = "public, max-age=60"
UNCACHED_PATHS = frozenset({"/health"})
DATED_PATHS = frozenset({"/clock", "/authorities/{key}/clock"})
"""Routes whose answer, without `as_of`, depends on today's date."""
_STATE_KEY = "cache_validators"


def _headers(request: Request, current: DataVersion) -> dict[str, str]:
    api_version = request.app.version
    tag = f"{api_version}.{current.version}.{representation(request).value}"
    changed_at = current.changed_at
    route = request.scope.get("route")
    if getattr(route, "path", None) in DATED_PATHS and "as_of" not in request.query_params:
        midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        tag = f"{tag}.{midnight.date().isoformat()}"
        changed_at = midnight if changed_at is None else max(changed_at, midnight)
    headers = {"ETag": f'"{tag}"', "Cache-Control": CACHE_CONTROL, "Vary": "Accept"}
    if changed_at is not None:
        headers["Last-Modified"] = format_datetime(changed_at, usegmt=True)
    return headers


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored.
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags


def _not_modified_since(if_modified_since: str, changed_at: datetime | None) -> bool:
    if changed_at is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return changed_at.replace(microsecond=0) <= since


def _validated(request: Request) -> bool:
    route = request.scope.get("route")
    return (
        isinstance(route, APIRoute)
        and route.path not in UNCACHED_PATHS
        and request.method in ("GET", "HEAD")
    )


async def conditional_get(request: Request) -> None:
    """App-wide dependency: look up the data version once, answer 304 when the client's
    copy is current, and leave the validators for CacheHeaders to put on the response.
    On /health it needs no thread at all, so /health never waits for a request thread."""
    if _validated(request):
        await run_in_threadpool(validate, request)


def validate(request: Request) -> None:
    """`conditional_get`'s work, on a thread (app/http/fastpath.py calls it in its one hop)."""
    if not _validated(request):
        return
    with connection_of(request) as connection:
        current = data_version(connection)
    headers = _headers(request, current)
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if _matches(if_none_match, headers["ETag"]):
            raise NotModified(headers)
    elif (since := request.headers.get("if-modified-since")) and _not_modified_since(
        since, _last_modified(headers)
    ):
        raise NotModified(headers)
    request.state.cache_validators = headers
    request.state.data_version = current.version


conditional_get.in_thread = validate  # type: ignore[attr-defined]


def _last_modified(headers: dict[str, str]) -> datetime | None:
    given = headers.get("Last-Modified")
    return parsedate_to_datetime(given) if given else None


class CacheHeaders:
    """Puts the validators that `conditional_get` found on successful responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                validators = scope.get("state", {}).get(_STATE_KEY)
                if validators:
                    headers = list(message.get("headers", []))
                    headers.extend(
                        (name.lower().encode("latin-1"), value.encode("latin-1"))
                        for name, value in validators.items()
                    )
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_caching(app: FastAPI) -> None:
    app.add_middleware(CacheHeaders)


__all__ = [
    "CACHE_CONTROL",
    "CacheHeaders",
    "NotModified",
    "conditional_get",
    "install_caching",
]
