"""The HTTP details a hostile or merely careful client notices: HEAD, the Allow header,
401 against 403, the order of the auth and parameter checks, a token pasted into the wrong
setting, /health while every request thread is busy, and the documented CSPs."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from app.config import Settings
from app.http.auth import token_hash
from app.http.middleware import CONTENT_SECURITY_POLICY
from app.http.pages import DOCS_POLICY, EXPLORER_POLICY
from app.main import create_app

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ofs_http-details-token"


@pytest.mark.parametrize(
    "path", ["/findings?limit=2", "/inspections/4", "/health", "/findings?format=csv", "/"]
)
def test_head_answers_what_get_answers_without_a_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]
    if "format=csv" not in path:  # a streamed CSV has no length to tell in advance
        assert head.headers["content-length"] == str(len(got.content))


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/documents/3", "DELETE, GET, HEAD"),
        ("PUT", "/documents/3", "DELETE, GET, HEAD"),
        ("OPTIONS", "/documents", "POST"),
        ("PATCH", "/findings", "GET, HEAD"),
        ("DELETE", "/inspections/4", "GET, HEAD"),
    ],
)
def test_a_method_not_allowed_lists_every_method_of_the_path(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    """The Allow header named only the first route's methods: OPTIONS /documents/3 said
    `GET` though DELETE is served there too."""
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {
        "status": 405,
        "error": "method_not_allowed",
        "message": f"{method} is not allowed here; allowed: {allow}",
        "details": [],
    }


@pytest.fixture
def no_writes(seeded_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_engine, Settings())) as client:
        yield client


def test_without_a_token_a_write_is_a_401_even_when_writes_are_disabled(
    no_writes: TestClient,
) -> None:
    """The schema's security (a bearer token) says a request without credentials is a
    401; with writes disabled, a request that presents a token is a 403."""
    missing = no_writes.delete("/documents/1")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["message"] == (
        "This needs an operator token: send `Authorization: Bearer <token>` (and uploads "
        "and deletes are disabled on this server)"
    )
    presented = no_writes.delete("/documents/1", headers={"Authorization": "Bearer x"})
    assert (presented.status_code, presented.json()["error"]) == (403, "writes_disabled")


@pytest.mark.parametrize("query", ["token=abc", "access_token=abc", "api_key=abc&limit=1"])
def test_a_token_in_the_query_string_is_a_401_before_any_parameter_check(
    seeded_engine: Engine, query: str
) -> None:
    settings = Settings(api_token_hashes=[token_hash(TOKEN)])
    with TestClient(create_app(seeded_engine, settings)) as client:
        response = client.delete(f"/documents/1?{query}")
        authorised = client.delete(
            f"/documents/999?{query}", headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    # With a valid token, the unknown parameter is then named.
    assert (authorised.status_code, authorised.json()["error"]) == (422, "unknown_parameter")


def test_a_token_pasted_into_the_hash_setting_is_never_printed() -> None:
    """The start-up error names the setting and the mistake, not the value given."""
    with pytest.raises(ValidationError) as raised:
        Settings(api_token_hashes="ofs_s3cret-token-pasted-by-mistake")
    message = str(raised.value)
    assert "s3cret" not in message
    assert "each API token hash is the 64 hex digits of a SHA-256" in message
    assert "api_token_hashes" in message


def test_health_answers_while_every_request_thread_is_busy(seeded_engine: Engine) -> None:
    """Two request threads (WORKER_THREADS=2), both held by slow requests: /health runs on
    threads of its own, so it still answers."""
    app = create_app(seeded_engine, Settings(worker_threads=2))
    release = threading.Event()
    entered = threading.Semaphore(0)

    @app.get("/busy-for-tests")
    def busy(_request: Request) -> dict[str, bool]:
        entered.release()
        return {"released": release.wait(timeout=60)}

    with TestClient(app) as client:
        holders = [threading.Thread(target=client.get, args=("/busy-for-tests",)) for _ in "ab"]
        for holder in holders:
            holder.start()
        for _ in holders:
            assert entered.acquire(timeout=30)
        try:
            health = client.get("/health")
        finally:
            release.set()
            for holder in holders:
                holder.join()
    assert (health.status_code, health.json()["status"]) == (200, "ok")


def test_the_documented_policies_are_the_ones_sent(client: TestClient) -> None:
    """docs/security.md quotes each Content-Security-Policy exactly as the server sends it."""
    text = (ROOT / "docs" / "security.md").read_text()
    documented = re.findall(r"`(default-src [^`]+)`", text)
    sent = {
        client.get("/findings?limit=1").headers["content-security-policy"],
        client.get("/").headers["content-security-policy"],
        client.get("/docs").headers["content-security-policy"],
    }
    assert sent == {CONTENT_SECURITY_POLICY, EXPLORER_POLICY, DOCS_POLICY}
    assert set(documented) == sent
