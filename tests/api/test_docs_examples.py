"""The examples of the inspection clock and of coverage in docs/query-api.md and the README,
and of similar findings in docs/intelligence.md,
show what the server answers on the whole shipped corpus (`make run`, port 8000): each
`curl` of `http://127.0.0.1:8000` there is asked of the app on that corpus and its output
compared. A JSON output must be the answer, except that a list may be cut to its first items
(the text says where); a CSV, the answer's rows (the README shows the first ones); a header
grepped for, the header."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.main import create_app

ROOT = Path(__file__).resolve().parents[2]
HOST = "http://127.0.0.1:8000"
_CONSOLE = re.compile(r"```console\n\$ (curl [^\n]*)\n(.*?)```", re.S)
_README_CLOCK = re.compile(
    r"```sh\n(curl '127\.0\.0\.1:8000/clock[^\n]*)\n```\n```\n(.*?)```", re.S
)


def _path(command: str) -> str:
    (url,) = re.findall(r"'([^']*)'", command)
    return url.removeprefix(HOST).removeprefix("127.0.0.1:8000")


def documented() -> list[tuple[str, str, str, bool]]:
    """(where, command, output, whole) of every example against port 8000."""
    found = []
    text = (ROOT / "docs" / "query-api.md").read_text()
    # The clock's and coverage's sections; tests/api/test_docs_regenerated.py asks every example
    # of the file (on SQLite, as `make run` has it), these ones on both backends too.
    text = text[text.index("## The inspection clock") :]
    for command, output in _CONSOLE.findall(text):
        if HOST in command:
            found.append(("docs/query-api.md", command, output, True))
    intelligence = (ROOT / "docs" / "intelligence.md").read_text()
    for command, output in _CONSOLE.findall(intelligence):
        if HOST in command:
            found.append(("docs/intelligence.md", command, output, True))
    readme = (ROOT / "README.md").read_text()
    for command, output in _README_CLOCK.findall(readme):
        found.append(("README.md", command, output, False))
    return found


EXAMPLES = documented()


def test_the_examples_are_found() -> None:
    assert [(where, _path(command)) for where, command, _output, _whole in EXAMPLES] == [
        ("docs/query-api.md", "/authorities/barnsley/clock?as_of=2026-09-01"),
        ("docs/query-api.md", "/clock?as_of=2026-09-01&region=North%20East&format=csv"),
        ("docs/query-api.md", "/coverage?type=single-inspection&year=2016"),
        ("docs/query-api.md", "/stats/grades?year=2021&type=ilacs&area=overall-effectiveness"),
        ("docs/query-api.md", "/findings?type=ilacs&year=2021&format=csv"),
        ("docs/intelligence.md", "/findings/2795/similar?limit=3&format=csv"),
        ("README.md", "/clock?as_of=2026-09-01&region=North%20East&format=csv"),
    ]


@pytest.fixture(scope="module")
def corpus(corpus_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_engine)) as client:
        yield client


def shown_in(documented: Any, served: Any, where: str = "") -> None:
    """`documented` is `served`, but that a list may be cut to its first items."""
    if isinstance(documented, dict):
        assert isinstance(served, dict) and list(documented) == list(served), where
        for key, value in documented.items():
            shown_in(value, served[key], f"{where}.{key}")
    elif isinstance(documented, list):
        assert isinstance(served, list) and len(documented) <= len(served), where
        for position, value in enumerate(documented):
            shown_in(value, served[position], f"{where}[{position}]")
    else:
        assert documented == served, where


@pytest.mark.parametrize(
    ("where", "command", "output", "whole"),
    EXAMPLES,
    ids=[f"{where}:{_path(command)}" for where, command, _o, _w in EXAMPLES],
)
def test_an_example_shows_what_the_server_answers(
    corpus: TestClient, where: str, command: str, output: str, whole: bool
) -> None:
    response = corpus.get(_path(command))
    assert response.status_code == 200, response.text
    grepped = re.search(r"\| grep -i (\S+)$", command)
    if grepped:
        name = grepped.group(1)
        assert output.strip() == f"{name}: {response.headers[name]}"
    elif output.lstrip().startswith("{"):
        shown_in(json.loads(output), response.json())
    else:
        served = response.text.replace("\r\n", "\n")
        if whole:
            assert output == served
        else:
            assert served.startswith(output)
