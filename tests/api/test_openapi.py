"""The OpenAPI document: valid OpenAPI 3, every route documented, every parameter described
with an example, vocabularies as enums, the error body and response examples given."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from app.main import ROUTERS
from tests.api.helpers import get

VOCABULARY_PARAMETERS = {
    "type", "grade", "area", "theme", "kind", "polarity", "timeframe", "sort", "format", "by",
    "per",
}  # fmt: skip


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


def schema_of(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with $refs, anyOf-null and arrays looked through, for enum checks."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return schema_of(spec, spec["components"]["schemas"][name])
    if "anyOf" in schema:
        (inner,) = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return schema_of(spec, inner)
    if schema.get("type") == "array":
        return schema_of(spec, schema["items"])
    return schema


def test_the_document_is_valid_openapi_3(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_route_is_documented(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    routes = [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]
    assert len(routes) == 24
    assert set(spec["paths"]) == {route.path_format for route in routes}
    for route in routes:
        for method in route.methods - {"HEAD"}:
            operation = spec["paths"][route.path_format][method.lower()]
            assert operation["summary"], route.path
            assert operation["description"], route.path


def test_every_parameter_is_described_with_an_example(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    for path, method, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            where = f"{method} {path} {parameter['name']}"
            assert parameter.get("description"), where
            assert parameter.get("example") is not None or parameter["schema"].get("examples"), (
                where
            )
            if parameter["name"] in VOCABULARY_PARAMETERS:
                assert schema_of(spec, parameter["schema"]).get("enum"), where


def test_errors_and_examples_are_documented(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    for path, method, operation in operations(spec):
        responses = operation["responses"]
        ok = responses["200"]["content"]["application/json"]
        if path != "/health":
            assert ok.get("example"), (method, path)
            assert responses["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"
            }
            if method == "get":
                assert "304" in responses
        if "{" in path:
            assert responses["404"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"
            }
    csv_paths = {
        path
        for path, _method, operation in operations(spec)
        if "text/csv" in operation["responses"]["200"]["content"]
    }
    assert csv_paths == {
        "/findings", "/findings/facets", "/inspections", "/judgements", "/authorities",
        "/stats/themes", "/stats/grades", "/authorities/{key}/timeline",
        "/authorities/{key}/neighbours", "/changes", "/clock", "/findings/{finding_id}/similar",
        "/authorities/{key}/recurring",
    }  # fmt: skip
    for path in csv_paths:
        assert spec["paths"][path]["get"]["responses"]["200"]["content"]["text/csv"]["example"]
