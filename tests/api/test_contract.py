"""The API against its own OpenAPI document: schemathesis generates requests for every
operation from the document (valid ones, and invalid ones that must be rejected) and checks
that no response is a 5xx, every status code is documented, and every response matches its
documented schema, content type and headers. On the shared seeded database for the reads;
on a database of its own, with an operator token, for uploads and deletes.

And the whole command line run, `schemathesis run --checks all` (every check schemathesis
has: Allow headers, unsupported methods, ignored auth, positive and negative data, ...)
against a real server with an operator token and a fixed seed, with the statuses
schemathesis.toml adds (and says why).

A bounded number of examples per operation with a fixed seed here; `make fuzz` runs many
more. `positive_data_acceptance` is not among the checks: a well-formed authority slug or
cursor that names nothing is rightly a 422, and the document cannot list every valid one.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.config import Settings
from app.db import make_engine, migrate
from app.extraction.authorities import AuthorityRegister
from app.http.auth import token_hash
from app.main import create_app
from tests.conftest import BACKENDS, SEED_FILES, load_seed_documents
from tests.fuzzing import fuzz_settings
from tests.live import serve

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
TOKEN = "contract-test-token"

# A request that breaks the document may also be refused for its size (413, 414).
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422]
            }
        }
    }
)
# The document does not depend on the data: read it from an app on an empty database.
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(make_engine("sqlite://")), config=CONFIG
)
reads = schema.include(method="GET")
writes = schema.include(method=["POST", "DELETE"])


def test_every_operation_is_fuzzed() -> None:
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()
    }
    assert len(operations) == 24
    assert {"POST /documents", "DELETE /documents/{document_id}"} <= operations
    assert {"GET /findings/{finding_id}/similar", "GET /authorities/{key}/recurring"} <= operations


@pytest.fixture(scope="module")
def read_app(client: TestClient) -> FastAPI:
    app = client.app
    assert isinstance(app, FastAPI)
    return app


@reads.parametrize()
@fuzz_settings(examples=25)
def test_reads_keep_their_contract(case: schemathesis.Case, read_app: FastAPI) -> None:
    case.call_and_validate(app=read_app, checks=CHECKS)


@pytest.fixture(scope="module", params=BACKENDS)
def write_app(
    request: pytest.FixtureRequest,
    database_factory: Callable[[str], str],
    register: AuthorityRegister,
) -> Iterator[FastAPI]:
    """Its own seeded database (deletes change it) and an operator token."""
    engine = make_engine(database_factory(request.param))
    migrate(engine)
    load_seed_documents(engine, register, SEED_FILES)
    settings = Settings(api_token_hashes=[token_hash(TOKEN)], max_upload_bytes=256 * 1024)
    with TestClient(create_app(engine, settings)) as client:
        app = client.app
        assert isinstance(app, FastAPI)
        yield app
    engine.dispose()


@writes.parametrize()
@fuzz_settings(examples=25)
def test_writes_keep_their_contract(case: schemathesis.Case, write_app: FastAPI) -> None:
    case.call_and_validate(
        app=write_app, headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS
    )


# --- regressions: what the contract fuzzing found ----------------------------------------------


def facet(client: TestClient, url: str) -> list[tuple[str, int]]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    (entries,) = response.json()["facets"].values()
    return [(entry["value"], entry["count"]) for entry in entries]


def test_facets_filtered_by_their_own_dimension(client: TestClient) -> None:
    """A facet over theme, grade or area under a filter on the same thing was a 500: the
    filter's EXISTS subquery lost its FROM to auto-correlation with the facet's join."""
    assert facet(client, "/findings/facets?theme=front-door&by=theme")[:4] == [
        ("front-door", 26),
        ("partnership", 9),
        ("early-help", 6),
        ("child-protection", 5),
    ]
    assert facet(client, "/findings/facets?grade=inadequate&by=grade") == [
        ("inadequate", 74),
        ("requires-improvement", 74),
    ]
    assert facet(client, "/findings/facets?area=leadership&by=area") == [
        ("help-and-protection", 74),
        ("leadership", 74),
        ("overall-effectiveness", 74),
        ("quality-of-practice", 74),
    ]


@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/findings?published_to=0", "published_to",
         "Value error, expected a date as YYYY-MM-DD"),
        ("/inspections/2147483648", "inspection_id",
         "Input should be less than or equal to 2147483647"),
        ("/findings/2147483648", "finding_id",
         "Input should be less than or equal to 2147483647"),
        ("/documents/9223372036854775808", "document_id",
         "Input should be less than or equal to 2147483647"),
        ("/findings?inspection=2147483648", "inspection",
         "Input should be less than or equal to 2147483647"),
        ("/changes?since=2147483648", "since",
         "Input should be less than or equal to 2147483647"),
        ("/findings?cursor=WyJkYXRlIiwiMjAxMy0wMy0xMSIsMjE0NzQ4MzY0OF0", "cursor",
         "invalid cursor"),
        ("/stats/grades?by=", "by", "Input should be 'year', 'region' or 'type'"),
        ("/findings/facets?by=theme,", "by",
         "Input should be 'theme', 'year', 'kind', 'grade', 'area', 'authority', 'region', "
         "'type', 'polarity', 'timeframe' or 'judgement_area'"),
    ],
)  # fmt: skip
def test_values_the_database_cannot_take_are_a_422(
    client: TestClient, url: str, parameter: str, message: str
) -> None:
    """A date given as a number was read as a Unix time; an id beyond a 32-bit INTEGER was a
    500 (OverflowError on SQLite, NumericValueOutOfRange on PostgreSQL); an empty `by` was
    taken for no `by` at all (found by `make fuzz`)."""
    response = client.get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert [(d["parameter"], d["message"]) for d in body["details"]] == [(parameter, message)]


# --- schemathesis run --checks all -------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.parametrize("backend", BACKENDS)
def test_schemathesis_run_with_every_check_finds_no_failure(
    backend: str, seeded_copies: Callable[[str], str], tmp_path: Path
) -> None:
    environment = {"API_TOKEN_HASHES": token_hash(TOKEN), "MAX_UPLOAD_BYTES": "262144"}
    with serve(seeded_copies(backend), tmp_path / "uvicorn.log", environment) as (url, _):
        run = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(ROOT / "schemathesis.toml"), "run",
             f"{url}/openapi.json", "--checks", "all", "--seed", "1", "--max-examples", "25",
             "--workers", "1", "--header", f"Authorization: Bearer {TOKEN}",
             "--request-timeout", "60", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=1200,
        )  # fmt: skip
    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary
    assert "Selected: 24/24" in run.stdout
    # Schemathesis leaves out ", N skipped" when it skipped none.
    assert re.search(r"\d+ generated, \d+ passed", run.stdout), summary
