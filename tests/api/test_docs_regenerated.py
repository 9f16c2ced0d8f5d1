"""Every example in README.md and docs/ that shows the server's output is asked again of the
app on the database `make run` builds (the whole shipped corpus, loaded by the seed job's
own code, on SQLite as `make run` has it) and must be what the document shows, in its
summarised shape (scripts/docs_examples.py; `python -m scripts.docs_examples --write`
rewrites what differs)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.db import make_engine
from app.main import create_app
from scripts import openapi_examples
from scripts.docs_examples import Example, all_examples, parse, regenerate

EXAMPLES = all_examples()


@pytest.fixture(scope="module")
def make_run(corpus_database: Callable[[str], str]) -> Iterator[TestClient]:
    engine = make_engine(corpus_database("sqlite"))
    with TestClient(create_app(engine)) as client:
        yield client
    engine.dispose()


def test_the_examples_are_found() -> None:
    where = [(example.document.name, parse(example.command).path) for example in EXAMPLES]
    assert len(where) == 29
    assert where[:3] == [
        ("README.md", "/findings?authority=cheshire-east&year=2013&theme=child-in-need&limit=2"),
        ("README.md", "/inspections/4"),
        ("README.md", "/judgements?latest=true&area=care-leavers&grade=inadequate&format=csv"),
    ]
    assert ("query-api.md", "/findings?q=%22management%20oversight%22&limit=3") in where
    assert all(parse(example.command).path.startswith("/") for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.where for example in EXAMPLES])
def test_an_example_shows_what_the_make_run_database_answers(
    make_run: TestClient, example: Example
) -> None:
    assert regenerate(example, make_run) == example.output


def test_a_wrong_example_is_found(make_run: TestClient) -> None:
    """A control: the phrase search's total as the five seed documents gave it (11; the
    corpus has 895), and a header with another value, are told apart from the server's."""
    (search,) = [e for e in EXAMPLES if "q=%22management%20oversight%22&limit=3" in e.command]
    stale = replace(search, output=search.output.replace('"total": 895', '"total": 11'))
    assert '"total": 11' in stale.output
    assert '"total": 895' in regenerate(stale, make_run)
    (headers,) = [e for e in EXAMPLES if "-D -" in e.command and "count=false" in e.command]
    stale = replace(headers, output=headers.output.replace('"0.1.0.242.json"', '"0.1.0.5.json"'))
    assert '"0.1.0.242.json"' in regenerate(stale, make_run)


def _served(client: TestClient) -> dict[str, Any]:
    def fetch(path: str, csv: bool) -> Any:
        answer = client.get(path, headers={"Accept": "text/csv"} if csv else {})
        assert answer.status_code == 200, (path, answer.text)
        return answer.text if csv else answer.json()

    return openapi_examples.collect(fetch)


def _timeless(value: Any) -> Any:
    """The example with the moments documents were loaded (`at`) masked: the database was
    built at another time than the one the examples came from."""
    if isinstance(value, dict):
        return {k: "<at>" if k == "at" else _timeless(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"\d{4}-\d{2}-\d{2}T[\d:.]+(\+00:00|Z)?", "<at>", value)
    return value


def test_the_openapi_examples_are_what_the_make_run_database_answers(
    make_run: TestClient,
) -> None:
    """app/schemas/examples.json (the OpenAPI document's response examples) is the server's
    answer on the `make run` database (`python -m scripts.openapi_examples` rewrites it)."""
    shipped = json.loads(openapi_examples.EXAMPLES.read_text(encoding="utf-8"))
    served = _served(make_run)
    assert sorted(shipped) == sorted(openapi_examples.QUESTIONS)
    differing = [name for name in shipped if _timeless(shipped[name]) != _timeless(served[name])]
    assert differing == []
    # A control: an abridged list keeps its first two items and the total of all.
    assert [item["id"] for item in shipped["JUDGEMENTS"]["items"]] == [
        item["id"] for item in served["JUDGEMENTS"]["items"]
    ]
    assert len(shipped["JUDGEMENTS"]["items"]) == 2


def _closed(schema: Any) -> Any:
    """The schema with every object that lists its properties closed to others."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if "properties" in closed and "additionalProperties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(value) for value in schema]
    return schema


def test_every_json_answer_has_exactly_the_keys_its_response_model_declares(
    make_run: TestClient,
) -> None:
    """The response models (app/schemas) declare each answer's shape once: the JSON the
    store shapes by hand, for speed, has no key the model lacks and every key it requires,
    at every depth, for every JSON example of the OpenAPI document."""
    # Closed, and every reference absolute, so that any schema in it resolves on its own.
    text = json.dumps(_closed(make_run.get("/openapi.json").json()))
    document = json.loads(text.replace('"#/components/', '"urn:openapi#/components/'))
    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    checked = []
    for name, (path, lines) in openapi_examples.QUESTIONS.items():
        if lines is not None:
            continue
        route = re.sub(r"/(\d+|cheshire-east)(?=/|$)", "/{}", path.split("?")[0])
        (template,) = [p for p in document["paths"] if re.sub(r"\{[^}]+\}", "{}", p) == route]
        schema = document["paths"][template]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]
        validator = Draft202012Validator(schema, registry=registry)
        errors = [error.message for error in validator.iter_errors(make_run.get(path).json())]
        assert errors == [], (name, errors[:3])
        checked.append(name)
    assert len(checked) == 19
