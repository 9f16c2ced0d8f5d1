"""Against a real server (uvicorn, as `make run` starts it), with real connections, on every
backend: an upload whose client goes away; clients that send their headers slowly."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.http.auth import token_hash
from tests.conftest import BACKENDS
from tests.live import serve
from tests.pipeline.test_pipeline import SLOW
from tests.processes import multiprocessing_family, wait_until_gone

TOKEN = "ofs_live-server-token"


@dataclass(frozen=True, slots=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def address(self) -> tuple[str, int]:
        parts = urlsplit(self.url)
        assert parts.hostname is not None and parts.port is not None
        return parts.hostname, parts.port


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest,
    seeded_copies: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    """Its own copy of the seeded database, an operator token, and uploads read by a worker
    that takes a minute over a file starting with SLOW."""
    log = tmp_path_factory.mktemp("live") / "uvicorn.log"
    environment = {"API_TOKEN_HASHES": token_hash(TOKEN), "HEADER_TIMEOUT_SECONDS": "1"}
    with serve(
        seeded_copies(request.param),
        log,
        environment,
        app="tests.live:slow_extraction_app",
        options=("--factory",),
    ) as (url, process):
        yield Server(url, process, log)


def multipart_upload(content: bytes) -> bytes:
    boundary = "live-server-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST /documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def workers_of(server: Server) -> list[int]:
    return [p.pid for p in multiprocessing_family(server.process.pid) if p.role == "worker"]


def wait_for_workers(server: Server, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while len(found := workers_of(server)) != count:
        if time.monotonic() > deadline:
            pytest.fail(f"expected {count} worker(s), found {found}")
        time.sleep(0.05)
    return found


def test_an_upload_whose_client_goes_away_has_its_worker_killed(server: Server) -> None:
    """The worker reading an upload is killed when the client disconnects, not left to
    finish a minute of work nobody will read."""
    assert workers_of(server) == []
    with socket.create_connection(server.address) as client:
        client.sendall(multipart_upload(SLOW))
        (worker,) = wait_for_workers(server, 1)
    assert wait_until_gone([worker], seconds=10) == []
    assert workers_of(server) == []


def closed_within(client: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection within `seconds` (reading what it sends)."""
    client.settimeout(seconds)
    try:
        while client.recv(4096):
            pass
    except TimeoutError:
        return False
    return True


@pytest.mark.parametrize(
    "sent",
    [b"", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"GET /heal"],
    ids=["nothing", "headers-not-ended", "half-a-request-line"],
)
def test_a_connection_whose_headers_never_end_is_closed(server: Server, sent: bytes) -> None:
    """Slowloris: uvicorn alone keeps such a connection open for ever; with
    HEADER_TIMEOUT_SECONDS=1 the server closes it (the test waits up to 10 s)."""
    with socket.create_connection(server.address) as client:
        client.sendall(sent)
        assert closed_within(client, 10)


def read_response(client: socket.socket) -> bytes:
    """One whole response (headers and a Content-Length body) from a kept-alive connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += client.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head.lower()).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += client.recv(4096)
    return head + b"\r\n\r\n" + body


def test_a_request_sent_in_time_is_answered_and_kept_alive(server: Server) -> None:
    with socket.create_connection(server.address) as client:
        client.settimeout(10)
        for _ in range(2):
            client.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert read_response(client).startswith(b"HTTP/1.1 200 OK\r\n")


@pytest.mark.parametrize(
    "sent",
    [
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad\x01Header: x\r\n\r\n",
        b"GET / HTTP/9\r\n\r\n",
    ],
    ids=["control-character-in-a-header-name", "unknown-http-version"],
)
def test_a_request_that_cannot_be_parsed_gets_the_error_body(server: Server, sent: bytes) -> None:
    """The HTTP parser's refusal is a 400 with the service's error body, as documented on
    every operation (uvicorn alone answers in plain text), and the connection is closed."""
    with socket.create_connection(server.address) as client:
        client.settimeout(10)
        client.sendall(sent)
        head, _, body = read_response(client).partition(b"\r\n\r\n")
        assert head.split(b"\r\n")[0] == b"HTTP/1.1 400 Bad Request"
        assert b"content-type: application/json" in head.lower()
        answer = json.loads(body)
        assert (answer["status"], answer["error"], answer["details"]) == (400, "bad_request", [])
        assert answer["message"].startswith("The HTTP request could not be parsed: ")
        assert closed_within(client, 10)
