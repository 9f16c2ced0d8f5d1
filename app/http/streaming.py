"""Streaming a CSV export to a client that may be slow, stall, leave, or meet an error.

Every streamed CSV goes through `ExportResponse`:

- **A slot.** An export that reads the database as it streams holds a connection for as long
  as it streams, so at most MAX_CONCURRENT_EXPORTS of them run at once. Another waits up to
  EXPORT_WAIT_SECONDS for a slot, then is answered `503 busy` with Retry-After. CSVs made in
  memory (facets, statistics, authorities) hold no connection and need no slot.
- **Errors before the first byte.** The header row and the first batch of rows are read
  before the response starts, so an error opening the connection or running the statement
  (a statement time-out, a database that is down) is answered with its status and the one
  error body, not a 200.
- **An error after the first byte** cannot change the status any more: the stream ends with
  a last record `#error,<code>,<message>` (the trailer, documented in docs/query-api.md)
  and the response is completed, so a client can tell a cut-off export from a whole one.
- **A write time-out.** A client that stops reading (its receive window stays full) for
  EXPORT_WRITE_TIMEOUT_SECONDS is cut off: its slot and connection are freed.
- **The transaction ends however the stream ends**: at the last row, on an error, on a
  stalled or departed client, the rows' generator is closed, which closes its connection
  (a rollback of the read transaction; on PostgreSQL, no session is left idle in
  transaction).
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from anyio import to_thread
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.http.errors import ApiError, classify

log = logging.getLogger("app.listing.export")

TRAILER_MARK = "#error"
"""The first cell of the record that ends a CSV cut short by an error."""


class ExportsBusy(ApiError):
    status = 503
    error = "busy"
    headers = {"Retry-After": "5"}  # noqa: RUF012 (a ClassVar in ApiError)


class ExportSlots:
    """At most `slots` exports that hold a database connection stream at once (per event
    loop); more wait up to a bound, holding neither a thread nor a connection."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._semaphores: dict[int, asyncio.Semaphore] = {}

    def _semaphore(self) -> asyncio.Semaphore:
        loop = id(asyncio.get_running_loop())
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.slots)
        return semaphore

    @asynccontextmanager
    async def take(self, wait: float) -> AsyncIterator[None]:
        semaphore = self._semaphore()
        acquired = False
        with anyio.move_on_after(wait):
            await semaphore.acquire()
            acquired = True
        if not acquired:
            raise ExportsBusy(
                f"{self.slots} CSV exports are streaming (MAX_CONCURRENT_EXPORTS) and none "
                f"finished within {wait:g} s; retry shortly"
            )
        try:
            yield
        finally:
            semaphore.release()


def _next(chunks: Iterator[str]) -> str | None:
    return next(chunks, None)


def trailer(error: str, message: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([TRAILER_MARK, error, message])
    return buffer.getvalue()


class ExportResponse(Response):
    """A CSV streamed from `chunks` (the header row, then one chunk per batch of rows),
    guarded as the module says. `holds_connection`: the chunks are read from the database as
    they stream (a slot is needed); `close` ends whatever they hold."""

    media_type = "text/csv; charset=utf-8"

    def __init__(
        self,
        chunks: Iterator[str],
        *,
        filename: str,
        holds_connection: bool,
        close: Any = None,
    ) -> None:
        self.chunks = chunks
        self.holds_connection = holds_connection
        self._close = close
        self.status_code = 200
        self.background = None
        self.init_headers({"Content-Disposition": f'attachment; filename="{filename}"'})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if scope.get("head_request"):  # app/http/middleware.py's HeadAsGet
                await send(self._start())
                await send({"type": "http.response.body", "body": b""})
                return
            state = scope["app"].state
            settings = state.settings
            if not self.holds_connection:
                await self._stream(scope, receive, send, settings)
                return
            async with state.export_slots.take(settings.export_wait_seconds):
                await self._stream(scope, receive, send, settings)
        finally:
            with anyio.CancelScope(shield=True):
                await to_thread.run_sync(self._finish)

    def _start(self) -> dict[str, Any]:
        return {"type": "http.response.start", "status": 200, "headers": self.raw_headers}

    def _finish(self) -> None:
        """Close the chunks and what they read from: the connection goes back to the pool
        and its read transaction is rolled back."""
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()
        if self._close is not None:
            self._close()

    async def _stream(self, scope: Scope, receive: Receive, send: Send, settings: Any) -> None:
        # Before the first byte: the header row and the first batch (the statement runs
        # here), so their errors get their own status.
        header = await to_thread.run_sync(_next, self.chunks)
        first = await to_thread.run_sync(_next, self.chunks)
        write_timeout: float = settings.export_write_timeout_seconds

        async def write(text: str, more: bool = True) -> None:
            with anyio.fail_after(write_timeout):
                await send({"type": "http.response.body", "body": text.encode(), "more_body": more})

        async with anyio.create_task_group() as group:

            async def watch_for_disconnect() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass
                group.cancel_scope.cancel()

            group.start_soon(watch_for_disconnect)
            try:
                await send(self._start())
                chunk: str | None = (header or "") + (first or "")
                while chunk is not None:
                    if chunk:
                        await write(chunk)
                    try:
                        chunk = await to_thread.run_sync(_next, self.chunks)
                    except Exception as exc:
                        await write(self._error_trailer(exc, settings), more=False)
                        return
                await write("", more=False)
            except TimeoutError:
                log.warning(
                    "a client stopped reading a CSV export; it was cut off",
                    extra={"path": scope["path"], "seconds": write_timeout},
                )
            finally:
                group.cancel_scope.cancel()

    @staticmethod
    def _error_trailer(exc: Exception, settings: Any) -> str:
        problem = classify(exc, settings.statement_timeout_seconds)
        if problem is None:
            log.error("error while streaming a CSV export", exc_info=exc)
            message = "Something went wrong on our side; the rows above are not all the rows"
            return trailer("internal_error", message)
        log.warning("database error while streaming a CSV export", exc_info=exc)
        return trailer(problem.error, f"{problem.message}; the rows above are not all the rows")


__all__ = ["TRAILER_MARK", "ExportResponse", "ExportSlots", "ExportsBusy", "trailer"]
