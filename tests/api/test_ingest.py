"""Ingest over HTTP: POST /documents and DELETE /documents/{id}, their bearer tokens, and the
token command, on every backend, each test on its own database seeded with the five seed
documents (data version 5)."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import string
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from app import loading, tokens
from app.config import Settings
from app.http import auth
from app.main import create_app
from app.models import Document, Finding, Inspection
from seed import DOCUMENTS_DIR
from tests.pipeline.test_pipeline import CRASH, SLOW, crash_on_marker
from tests.processes import Process, multiprocessing_family

TOKEN = "ofs_test-operator-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
REPORT_PDF = "milton-keynes_2021-12-17.pdf"
SEED_REPORT = "004_00ec88477df05a0b.txt"


def settings(**overrides: Any) -> Settings:
    return Settings(api_token_hashes=[auth.token_hash(TOKEN)], **overrides)


@pytest.fixture
def operator(seeded_writable_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_writable_engine, settings())) as client:
        yield client


def upload(
    client: TestClient, name: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> Any:
    content = data if data is not None else (DOCUMENTS_DIR / name).read_bytes()
    return client.post(
        "/documents", files={"file": (name, content)}, headers={**AUTH, **(headers or {})}
    )


def table_counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return (
            connection.scalar(select(func.count()).select_from(Document)) or 0,
            connection.scalar(select(func.count()).select_from(Inspection)) or 0,
            connection.scalar(select(func.count()).select_from(Finding)) or 0,
        )


SEEDED = (5, 4, 130)


def data_version(client: TestClient) -> int:
    version: int = client.get("/health").json()["data_version"]
    return version


# --- uploads -----------------------------------------------------------------------------------


def test_uploading_a_new_report_loads_it_and_returns_its_new_inspection(
    operator: TestClient, seeded_writable_engine: Engine
) -> None:
    response = upload(operator, REPORT_PDF)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/documents/6"
    body = response.json()
    assert body["status"] == "loaded"
    assert body["inspection_created"] is True
    assert body["document"] == {
        "id": 6,
        "filename": REPORT_PDF,
        "title": "Inspection of Milton Keynes local authority children’s services",
        "kind": "report",
        "letter_date": None,
        "published_date": None,
        "published_source": None,
        "source_url": None,
        "sha256": "e23bf639b5fc0252eb19dc17ab2cb542011620201885d7e18d33a12c5ecc2849",
        "pages": 11,
        "parser_version": "1.1.0",
    }
    inspection = body["inspection"]
    assert (inspection["id"], inspection["authority"], inspection["type"]) == (
        5,
        {"slug": "milton-keynes", "name": "Milton Keynes"},
        "ilacs",
    )
    assert (inspection["start_date"], inspection["end_date"]) == ("2021-10-25", "2021-11-05")
    assert [(j["area"], j["grade"]) for j in inspection["judgements"]] == [
        ("leadership", "requires-improvement"),
        ("help-and-protection", "requires-improvement"),
        ("children-in-care", "requires-improvement"),
        ("overall-effectiveness", "requires-improvement"),
    ]
    assert inspection["finding_counts"] == {"narrative": 52, "recommendation": 8}
    assert inspection["inspectors"] == ["Maire Atherton"]
    # The same as the read API says, and in the searches and the change feed at once.
    assert operator.get("/inspections/5").json() == inspection
    assert operator.get("/findings?inspection=5&limit=1").json()["total"] == 60
    assert table_counts(seeded_writable_engine) == (6, 5, 190)
    assert data_version(operator) == 6
    change = operator.get("/changes?since=5").json()["items"]
    assert [(c["action"], c["document_id"]) for c in change] == [("loaded", 6)]


def test_a_file_already_loaded_is_found_not_loaded_again(
    operator: TestClient, seeded_writable_engine: Engine
) -> None:
    response = upload(operator, "renamed.txt", (DOCUMENTS_DIR / SEED_REPORT).read_bytes())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "already_loaded"
    assert body["inspection_created"] is False
    assert body["document"]["id"] == 5
    assert body["document"]["filename"] == SEED_REPORT
    assert body["inspection"]["id"] == 4
    assert response.headers["location"] == "/documents/5"
    assert table_counts(seeded_writable_engine) == SEEDED
    assert data_version(operator) == 5


def test_content_is_sniffed_not_trusted_from_name_or_type(operator: TestClient) -> None:
    pdf = (DOCUMENTS_DIR / REPORT_PDF).read_bytes()
    as_text = operator.post(
        "/documents", files={"file": ("notes.txt", pdf, "text/plain")}, headers=AUTH
    )
    assert as_text.status_code == 201, as_text.text
    assert as_text.json()["document"]["pages"] == 11  # read as the PDF it is
    html = (DOCUMENTS_DIR / "birmingham_2012-10-19.pdf").read_bytes()
    as_pdf = operator.post(
        "/documents", files={"file": ("report.pdf", html, "application/pdf")}, headers=AUTH
    )
    assert as_pdf.status_code == 422
    assert as_pdf.json()["error"] == "unreadable_document"


@pytest.mark.parametrize(
    ("content", "error", "reason"),
    [
        (b"", "unreadable_document", "the file is empty"),
        (b"\x00\x01\x02binary", "unreadable_document",
         "the file is binary data, not a PDF or text document"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "unreadable_document",
         "the file is an HTML page, not a PDF or text document"),
        (b"%PDF-1.4\nnot really", "unreadable_document",
         "the PDF is truncated: it stops before its end (an interrupted download?)"),
        (b"Minutes of the parish council meeting\n\nApologies were received.",
         "not_an_ofsted_report",
         "no Ofsted children's services inspection title was found in the first pages"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_report_is_refused_with_the_reason(
    operator: TestClient,
    seeded_writable_engine: Engine,
    content: bytes,
    error: str,
    reason: str,
) -> None:
    response = upload(operator, "upload.pdf", content)
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "error": error,
        "message": reason,
        "details": [{"parameter": "file", "message": reason, "input": None}],
    }
    assert table_counts(seeded_writable_engine) == SEEDED
    assert data_version(operator) == 5


def test_an_upload_without_a_file_field_is_a_422(operator: TestClient) -> None:
    response = operator.post("/documents", data={"document": "x"}, headers=AUTH)
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "error": "invalid_parameter",
        "message": "file: send the document as the `file` field of a multipart/form-data body",
        "details": [{"parameter": "file", "message": "missing", "input": None}],
    }


def test_a_fault_in_the_middle_of_a_load_leaves_nothing_and_no_trace_for_the_client(
    seeded_writable_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object) -> None:
        raise RuntimeError("disk on fire at /srv/secret/path")

    # After the document, its findings and judgements are written, before the change log.
    monkeypatch.setattr(loading, "refresh_canonical_judgements", fail)
    app = create_app(seeded_writable_engine, settings())
    with TestClient(app, raise_server_exceptions=False) as client:
        response = upload(client, REPORT_PDF, headers={"X-Request-ID": "fault-1"})
    assert response.status_code == 500
    assert response.json() == {
        "status": 500,
        "error": "internal_error",
        "message": "Something went wrong on our side; quote the request id when reporting it",
        "details": [],
        "request_id": "fault-1",
    }
    assert table_counts(seeded_writable_engine) == SEEDED


def test_two_uploads_of_the_same_new_file_at_once_load_it_once(
    operator: TestClient, seeded_writable_engine: Engine
) -> None:
    data = (DOCUMENTS_DIR / REPORT_PDF).read_bytes()
    start = threading.Barrier(2)
    statuses: list[int] = []

    def send() -> None:
        start.wait()
        statuses.append(upload(operator, REPORT_PDF, data).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201]
    assert table_counts(seeded_writable_engine) == (6, 5, 190)


def oversized_report() -> bytes:
    """The 2013 Cheshire East report (004) with one paragraph grown by 300,000 words, each
    different (`practiceaaaa`, `practicebaaa`, ...): 3.9 MB of text in one finding."""
    lines = (DOCUMENTS_DIR / SEED_REPORT).read_text().splitlines()
    alphabet = string.ascii_lowercase
    words = (
        "practice" + "".join(alphabet[(n // 26**place) % 26] for place in range(4))
        for n in range(300_000)
    )
    lines[112] += " " + " ".join(words)
    return "\n".join(lines).encode()


def test_a_document_the_database_cannot_index_is_a_422_naming_the_problem(
    operator: TestClient, seeded_writable_engine: Engine
) -> None:
    """PostgreSQL's full-text index takes at most 1 MiB of words per finding: past it the
    upload is refused for good (not a 503 to retry); SQLite's index has no such limit."""
    response = upload(operator, "oversized.txt", oversized_report())
    if seeded_writable_engine.dialect.name == "sqlite":
        assert response.status_code == 201, response.text
        assert table_counts(seeded_writable_engine) == (6, 4, 192)
        return
    assert response.status_code == 422
    assert "retry-after" not in response.headers
    assert response.json() == {
        "status": 422,
        "error": "not_storable",
        "message": "The database cannot store or compare a value: string is too long for "
        "tsvector (4800904 bytes, max 1048575 bytes)",
        "details": [],
    }
    assert table_counts(seeded_writable_engine) == SEEDED


# --- worker processes --------------------------------------------------------------------------


def roles(processes: list[Process]) -> list[str]:
    return sorted(process.role for process in processes)


def test_an_upload_is_read_in_a_worker_process_that_is_gone_when_it_is_answered(
    operator: TestClient,
) -> None:
    """A long-running server releases its extraction workers: after an upload (and after
    one that is refused) no worker is left, only the fork server and the resource tracker
    that live as long as the server's own process."""
    assert upload(operator, REPORT_PDF).status_code == 201
    assert upload(operator, "upload.pdf", b"%PDF-1.4\nnot really").status_code == 422
    assert roles(multiprocessing_family(os.getpid())) == ["forkserver", "resource_tracker"]


def test_a_document_over_the_time_limit_is_refused_saying_so(
    seeded_writable_engine: Engine,
) -> None:
    app = create_app(seeded_writable_engine, settings(extraction_timeout_seconds=1))
    app.state.extraction_work = crash_on_marker  # a file starting SLOW takes a minute
    with TestClient(app) as client:
        response = upload(client, "slow.pdf", SLOW)
    reason = (
        "reading and extracting the document took longer than the limit of 1 s "
        "(EXTRACTION_TIMEOUT_SECONDS) and was stopped"
    )
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "error": "extraction_timeout",
        "message": reason,
        "details": [{"parameter": "file", "message": reason, "input": None}],
    }
    assert roles(multiprocessing_family(os.getpid())) == ["forkserver", "resource_tracker"]
    assert table_counts(seeded_writable_engine) == SEEDED


def test_a_worker_that_crashes_refuses_only_that_upload(seeded_writable_engine: Engine) -> None:
    app = create_app(seeded_writable_engine, settings())
    app.state.extraction_work = crash_on_marker
    with TestClient(app) as client:
        crashed = upload(client, "crash.pdf", CRASH)
        loaded = upload(client, REPORT_PDF)
    assert (crashed.status_code, crashed.json()["error"], crashed.json()["message"]) == (
        422,
        "unreadable_document",
        "the file crashed the PDF reader (a damaged or malicious PDF?)",
    )
    assert loaded.status_code == 201
    assert table_counts(seeded_writable_engine) == (6, 5, 190)


# --- size limits -------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_a_413(seeded_writable_engine: Engine) -> None:
    app = create_app(seeded_writable_engine, settings(max_upload_bytes=10_000))
    with TestClient(app) as client:
        response = upload(client, REPORT_PDF)
        assert response.status_code == 413
        assert response.json() == {
            "status": 413,
            "error": "content_too_large",
            "message": "The request body is larger than the limit of 75,536 bytes",
            "details": [],
        }
        just_over = upload(client, "big.txt", b"x" * 10_001)
        assert just_over.status_code == 413
        assert just_over.json()["message"] == "The file is larger than the limit of 10,000 bytes"

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n'
            for _ in range(20):
                yield b"y" * 8192

        streamed = client.post(
            "/documents",
            content=chunks(),
            headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b"},
        )
        assert streamed.status_code == 413
        assert streamed.json()["message"] == (
            "The request body is larger than the limit of 75,536 bytes"
        )
    assert table_counts(seeded_writable_engine) == SEEDED


# --- deletes -----------------------------------------------------------------------------------


def test_deleting_the_only_document_of_an_inspection_removes_both(
    operator: TestClient, seeded_writable_engine: Engine
) -> None:
    response = operator.delete("/documents/1", headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "document_id": 1,
        "inspection_id": 1,
        "inspection_removed": True,
        "data_version": 6,
    }
    assert operator.get("/documents/1").status_code == 404
    assert operator.get("/inspections/1").status_code == 404
    assert table_counts(seeded_writable_engine) == (4, 3, 111)
    change = operator.get("/changes?since=5").json()["items"]
    assert [(c["action"], c["document_id"], c["document"]) for c in change] == [
        ("deleted", 1, None)
    ]


def test_deleting_one_of_two_documents_keeps_the_inspection_and_a_reupload_joins_it(
    operator: TestClient, seeded_writable_engine: Engine
) -> None:
    deleted = operator.delete("/documents/5", headers=AUTH)
    assert deleted.json() == {
        "document_id": 5,
        "inspection_id": 4,
        "inspection_removed": False,
        "data_version": 6,
    }
    inspection = operator.get("/inspections/4").json()
    assert [d["id"] for d in inspection["documents"]] == [4]
    # The report's four judgements went with it; the summary's own stays, now canonical.
    assert [
        (j["area"], j["grade"], j["source"]["document_id"]) for j in inspection["judgements"]
    ] == [("overall-effectiveness", "inadequate", 4)]
    assert table_counts(seeded_writable_engine) == (4, 4, 68)
    again = upload(operator, SEED_REPORT)
    assert again.status_code == 201, again.text
    body = again.json()
    assert (body["status"], body["inspection_created"], body["inspection"]["id"]) == (
        "loaded",
        False,
        4,
    )
    assert len(body["inspection"]["judgements"]) == 4
    assert table_counts(seeded_writable_engine) == SEEDED


def test_deleting_a_document_that_is_not_there_is_a_404(operator: TestClient) -> None:
    response = operator.delete("/documents/99", headers=AUTH)
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "error": "not_found",
        "message": "No document with id 99",
        "details": [],
    }


def deletions(client: TestClient) -> list[tuple[str, int | None]]:
    return [
        (change["action"], change["document_id"])
        for change in client.get("/changes?since=5").json()["items"]
    ]


def test_deleting_twice_is_a_200_then_a_404_and_one_change(operator: TestClient) -> None:
    first = operator.delete("/documents/5", headers=AUTH)
    second = operator.delete("/documents/5", headers=AUTH)
    assert (first.status_code, second.status_code) == (200, 404)
    assert second.json()["message"] == "No document with id 5"
    assert deletions(operator) == [("deleted", 5)]


def test_concurrent_deletes_of_one_document_delete_it_once(
    operator: TestClient, seeded_writable_engine: Engine
) -> None:
    """Eight operators delete the same document at the same moment: one is told it is
    deleted, the seven others that there is no such document, and the change log says
    it once (it said so two or three times, every delete answering 200)."""
    start = threading.Barrier(8)
    statuses: list[int] = []

    def send() -> None:
        start.wait()
        statuses.append(operator.delete("/documents/5", headers=AUTH).status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [404] * 7
    assert deletions(operator) == [("deleted", 5)]
    assert table_counts(seeded_writable_engine) == (4, 4, 68)


# --- who may write -----------------------------------------------------------------------------


def test_with_no_token_configured_writes_are_disabled(
    seeded_writable_engine: Engine,
) -> None:
    disabled = {
        "status": 403,
        "error": "writes_disabled",
        "message": "Uploads and deletes are disabled on this server: no API token is "
        "configured (set API_TOKEN_HASHES; see docs/security.md)",
        "details": [],
    }
    with TestClient(create_app(seeded_writable_engine, Settings())) as client:
        posted = upload(client, REPORT_PDF)
        assert (posted.status_code, posted.json()) == (403, disabled)
        deleted = client.delete("/documents/1", headers=AUTH)
        assert (deleted.status_code, deleted.json()) == (403, disabled)
        assert client.get("/documents/1").status_code == 200
    assert table_counts(seeded_writable_engine) == SEEDED


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "This needs an operator token: send `Authorization: Bearer <token>`"),
        ({"Authorization": "Bearer not-the-token"}, "The token is not valid"),
        ({"Authorization": f"Bearer {TOKEN}x"}, "The token is not valid"),
        ({"Authorization": f"Basic {TOKEN}"},
         "This needs an operator token: send `Authorization: Bearer <token>`"),
        ({"Authorization": auth.token_hash(TOKEN)},
         "This needs an operator token: send `Authorization: Bearer <token>`"),
        ({"Authorization": f"Bearer {auth.token_hash(TOKEN)}"}, "The token is not valid"),
    ],
)  # fmt: skip
def test_without_a_valid_token_writes_are_a_401(
    operator: TestClient,
    seeded_writable_engine: Engine,
    headers: dict[str, str],
    message: str,
) -> None:
    content = (DOCUMENTS_DIR / REPORT_PDF).read_bytes()
    posted = operator.post("/documents", files={"file": ("a.pdf", content)}, headers=headers)
    deleted = operator.delete("/documents/1", headers=headers)
    for response in (posted, deleted):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == {
            "status": 401,
            "error": "unauthorized",
            "message": message,
            "details": [],
        }
    assert table_counts(seeded_writable_engine) == SEEDED


def test_reads_need_no_token(operator: TestClient) -> None:
    for path in ("/findings?limit=1", "/inspections/4", "/documents/5", "/health"):
        assert operator.get(path).status_code == 200, path


def test_tokens_are_compared_with_every_hash_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared: list[tuple[str, str]] = []
    compare_digest = hmac.compare_digest

    def compare(a: str, b: str) -> bool:
        compared.append((a, b))
        return compare_digest(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", compare)
    hashes = [auth.token_hash("first"), auth.token_hash(TOKEN), auth.token_hash("third")]
    assert auth.token_matches(TOKEN, hashes) is True
    presented = hashlib.sha256(TOKEN.encode()).hexdigest()
    assert compared == [(presented, expected) for expected in hashes]
    compared.clear()
    assert auth.token_matches("guess", hashes) is False
    assert len(compared) == 3


# --- tokens and their settings -----------------------------------------------------------------


def test_the_token_command_makes_a_token_and_prints_its_hash() -> None:
    out = io.StringIO()
    assert tokens.main(["new"], out=out) == 0
    token_line, hash_line, advice = out.getvalue().splitlines()
    token = token_line.removeprefix("token: ")
    assert token.startswith("ofs_") and len(token) == 47
    assert hash_line == f"hash:  sha256:{hashlib.sha256(token.encode()).hexdigest()}"
    assert "API_TOKEN_HASHES" in advice
    again = io.StringIO()
    tokens.main(["new"], out=again)
    assert again.getvalue().splitlines()[0] != token_line


def test_the_token_command_hashes_a_token_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("abc\n"))
    out = io.StringIO()
    assert tokens.main(["hash"], out=out) == 0
    assert out.getvalue() == (
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
    )


def test_token_hashes_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = auth.token_hash("a"), auth.token_hash("b")
    monkeypatch.setenv("API_TOKEN_HASHES", f"sha256:{first}, {second.upper()}")
    assert Settings().api_token_hashes == [first, second]
    monkeypatch.setenv("API_TOKEN_HASHES", "my-secret-token")
    with pytest.raises(ValidationError, match="not the token itself"):
        Settings()
    monkeypatch.delenv("API_TOKEN_HASHES")
    assert Settings(_env_file=None).api_token_hashes == []  # type: ignore[call-arg]
