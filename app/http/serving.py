"""uvicorn's HTTP protocol (httptools) with a time limit on receiving a request's headers.

uvicorn closes a connection that sits idle *between* requests (`--timeout-keep-alive`), but
it has no setting that limits how long a client may take to send a request's headers: a
client that opens connections and sends a byte of header now and then (slowloris) holds
each of them open for ever. uvicorn takes its protocol class from `--http`, so `make run`
and the Dockerfile start it with `--http app.http.serving:HeaderTimeoutProtocol`: a connection
whose request line and headers have not all arrived HEADER_TIMEOUT_SECONDS after it opened
(or after the first byte of its next request) is closed.

A request the parser refuses (a malformed request line or header) is answered 400 with the
service's error body (`app.http.errors.ErrorBody`), not uvicorn's plain text, so every
status a client can get has the one documented shape.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.config import get_settings


class HeaderTimeoutProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_seconds = get_settings().header_timeout_seconds
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_header_timer()

    def on_headers_complete(self) -> None:
        self._stop_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        body = json.dumps(
            {
                "status": 400,
                "error": "bad_request",
                "message": f"The HTTP request could not be parsed: {msg}",
                "details": [],
            }
        ).encode()
        self.transport.write(
            b"HTTP/1.1 400 Bad Request\r\n"
            b"content-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n"
            b"connection: close\r\n\r\n" + body
        )
        self.transport.close()

    def _start_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self._header_seconds, self._too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


__all__ = ["HeaderTimeoutProtocol"]
