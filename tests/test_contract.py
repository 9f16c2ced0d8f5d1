"""The API against its own OpenAPI document: schemathesis generates requests for every
operation from the document (valid ones, and invalid ones that must be rejected) and checks
that no response is a 5xx, every status code is documented, and every response matches its
documented schema, content type and headers. On the shared seeded database for the reads;
on a database of its own, with an operator token, for uploads and deletes.

A bounded number of examples per operation with a fixed seed here; `make fuzz` runs many
more. `positive_data_acceptance` is not among the checks: a well-formed authority slug or
cursor that names nothing is rightly a 422, and the document cannot list every valid one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

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

from app.auth import token_hash
from app.config import Settings
from app.db import make_engine, migrate
from app.extraction.authorities import AuthorityRegister
from app.main import create_app
from tests.conftest import BACKENDS, SEED_FILES, load_seed_documents
from tests.fuzzing import fuzz_settings

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
    assert len(operations) == 19
    assert {"POST /documents", "DELETE /documents/{document_id}"} <= operations


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
