"""Hostile input, generated: every malformed search and every forged cursor is a 4xx that
names the parameter, never a 500 or a cut-off stream, on every backend (hypothesis)."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any
from urllib.parse import urlencode

import orjson
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings

SEARCHES = ["/findings", "/findings/facets", "/stats/themes", "/findings?format=csv"]
LEXEMES = ["a", "b", "child*", "supervis*", "x*", "*", "NOT", "AND", "OR", "(", ")", '"',
           '"care leavers"', '"a', "-", "^", ":", "'", "NEAR", "\x00", "é", "_", "**"]  # fmt: skip

TERMS = st.sampled_from(["a", "b", "child*", "x*", '"care leavers"', '"a', "é", "-"])
JOINS = [" ", " AND ", " OR ", " NOT ", " AND NOT ", " OR NOT ", " NOT NOT ", " NOT AND "]


def _grown(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(JOINS), inner).map("".join),
        inner.map(lambda part: f"({part})"),
        inner.map(lambda part: f"NOT {part}"),
        inner.map(lambda part: f"({part}"),
    )


queries = st.one_of(
    st.recursive(TERMS, _grown, max_leaves=6),  # query-shaped, with the operators misused
    st.lists(st.sampled_from(LEXEMES), min_size=1, max_size=12).map(" ".join),
    st.lists(st.sampled_from(LEXEMES), min_size=1, max_size=12).map("".join),
    st.text(max_size=60),
)


def with_parameter(path: str, name: str, value: str) -> str:
    """`path` (which may have a query already) with one more parameter."""
    return f"{path}{'&' if '?' in path else '?'}{urlencode({name: value})}"


def check_refused_or_answered(response: Any, parameter: str) -> None:
    """200, or a 422 in the one error body naming `parameter`; for a CSV, a whole one."""
    assert response.status_code in (200, 422), (response.status_code, response.text[:300])
    if response.status_code == 422:
        body = response.json()
        assert body["error"] in ("invalid_parameter", "parameter_too_long")
        assert [detail["parameter"] for detail in body["details"]] == [parameter]
    elif response.headers["content-type"].startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows and all(row[0] != "#error" for row in rows)


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("a NOT NOT b", "q: NOT cannot apply to a NOT: write a NOT b, or a b to want both"),
        ("a NOT (NOT b)", "q: NOT cannot apply to a NOT: write a NOT b, or a b to want both"),
    ],
)
@pytest.mark.parametrize("path", SEARCHES)
def test_a_double_not_is_a_422_on_every_search(
    client: TestClient, path: str, q: str, message: str
) -> None:
    """It was a 500 on SQLite: FTS5's translation raised after the parse step."""
    response = client.get(with_parameter(path, "q", q))
    assert response.status_code == 422
    assert response.json()["message"] == message


@pytest.mark.parametrize("path", SEARCHES)
@given(q=queries)
@fuzz_settings(examples=60)
def test_any_search_is_answered_or_refused_with_a_422(
    client: TestClient, path: str, q: str
) -> None:
    check_refused_or_answered(client.get(with_parameter(path, "q", q)), "q")


def encode(values: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.text(alphabet=st.sampled_from("ab-\x00\ud7ff"), max_size=4),
    st.sampled_from(
        ["date", "-date", "authority", "relevance", "2013-03-11", "0001-01-01", "x\x00y"]
    ),
)
KEYSET_NAMES = ["date", "-date", "authority", "-authority", "relevance"]
cursors = st.one_of(
    # The shape of a real cursor (an order's name, then its key) with hostile values.
    st.tuples(st.sampled_from(KEYSET_NAMES), st.lists(scalars, min_size=1, max_size=4)).map(
        lambda parts: encode([parts[0], *parts[1]])
    ),
    # Well typed for its order (a text, a date, an id) but with values a database refuses.
    st.tuples(
        st.sampled_from(["authority", "-authority"]),
        st.text(alphabet=st.sampled_from("ab\x00"), max_size=3),
        st.sampled_from(["2013-03-11", "0001-01-01", "2013-02-30"]),
        st.integers(min_value=-(2**40), max_value=2**40),
    ).map(lambda parts: encode(list(parts))),
    st.lists(scalars, max_size=5).map(encode),
    st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6).map(encode),
    st.text(max_size=40),
)
PAGED = [
    "/findings",
    "/findings?sort=-date",
    "/findings?sort=authority",
    "/findings?q=child&sort=relevance",
    "/findings?format=csv",
    "/inspections",
    "/inspections?sort=-date",
    "/inspections?sort=authority",
    "/judgements",
    "/authorities",
]


@pytest.mark.parametrize(
    "cursor",
    [
        encode(["authority", "x\x00y", "2013-03-11", 59]),  # a NUL: a 500 on PostgreSQL
        encode(["date", "2013-03-11", 2**31]),  # beyond the INTEGER columns
        encode(["date", "2013-03-11\x00", 59]),
        encode(["relevance", 1e308, 59]),
    ],
)
@pytest.mark.parametrize("path", PAGED)
def test_known_forged_cursors_are_a_422(client: TestClient, path: str, cursor: str) -> None:
    response = client.get(with_parameter(path, "cursor", cursor))
    if response.status_code == 200:  # a cursor of another order can still be well formed
        return
    assert response.status_code == 422
    assert response.json()["details"] == [
        {"parameter": "cursor", "message": "invalid cursor", "input": cursor}
    ]


@pytest.mark.parametrize("path", PAGED)
@given(cursor=cursors)
@fuzz_settings(examples=40)
def test_any_cursor_is_followed_or_refused_with_a_422(
    client: TestClient, path: str, cursor: str
) -> None:
    check_refused_or_answered(client.get(with_parameter(path, "cursor", cursor)), "cursor")


@pytest.mark.parametrize("name", ["region", "authority", "q", "theme", "cursor"])
def test_a_nul_in_any_parameter_is_a_422(client: TestClient, name: str) -> None:
    response = client.get(f"/findings?{name}=x%00y")
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "error": "invalid_parameter",
        "message": f"{name}: contains a NUL character (%00), which no parameter may hold",
        "details": [
            {
                "parameter": name,
                "message": "contains a NUL character (%00), which no parameter may hold",
                "input": None,
            }
        ],
    }
