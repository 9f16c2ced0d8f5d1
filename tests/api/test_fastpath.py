"""The query routes' shortcut (app/http/fastpath.py): the same answers as FastAPI's own handling,
which still answers everything the shortcut does not take."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

import fastapi.routing
import pytest
from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import JSONResponse, Response
from fastapi.testclient import TestClient
from pydantic import Field

from app.http.errors import install_error_handlers
from app.http.fastpath import FastQueryRoute
from app.listing.keyset import encode_cursor
from app.params import QueryModel

HEADERS = ("content-type", "etag", "cache-control", "vary", "last-modified", "link")
# A validator that matches nothing: the request is answered in full, by FastAPI's handler.
SLOW = {"If-None-Match": '"not-this-one"'}


@pytest.fixture
def fastapi_handled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the requests that FastAPI's own request handler solved."""
    calls: list[int] = []
    original = fastapi.routing.solve_dependencies

    async def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return await original(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counted)
    yield calls


SAME_ANSWERS = [
    "/findings",
    "/findings?limit=3",
    "/findings?authority=cheshire-east&count=false&limit=5",
    "/findings?authority=E06000049&year=2013&theme=management-oversight&grade=inadequate",
    "/findings?q=%22management+oversight%22&limit=4",
    "/findings?q=supervis*&sort=-date&limit=2",
    "/findings?sort=authority&limit=7&count=false",
    "/findings?kind=recommendation&kind=strength&polarity=neutral",
    "/findings?year_from=2012&year_to=2014&published_from=2013-01-01&type=single-inspection",
    "/findings?region=North+West&area=leadership",
    f"/findings?cursor={encode_cursor(['date', '2013-01-01', 1])}&limit=2",
    "/findings?year_from=2014&year_to=2012",
    "/findings?q=%22unclosed",
    "/findings?authority=nowhere",
    "/findings?sort=relevance",
    "/findings?format=json&limit=1",
    "/findings/facets",
    "/findings/facets?by=theme,year&by=kind",
    "/findings/facets?authority=cheshire-east&grade=inadequate&by=area,grade,type",
    "/findings/facets?q=child*&by=polarity,timeframe,region,authority",
    # Values are read by the query model itself (app/params/), as FastAPI reads them:
    # its 422s, and the spellings pydantic accepts, are the same either way.
    "/findings?theme=colour",
    "/findings?limit=0",
    "/findings?limit=05",
    "/findings?count=yes",
    "/findings?year=2013.0",
    "/findings?published_from=2013-1-1",
    "/findings/facets?by=colour",
]


@pytest.mark.parametrize("url", SAME_ANSWERS)
def test_the_shortcut_answers_as_fastapi_does(
    client: TestClient, fastapi_handled: list[int], url: str
) -> None:
    fast = client.get(url)
    assert fastapi_handled == []
    slow = client.get(url, headers=SLOW)
    assert fastapi_handled == [1]
    assert (fast.status_code, fast.json()) == (slow.status_code, slow.json())
    assert {k: fast.headers.get(k) for k in HEADERS} == {k: slow.headers.get(k) for k in HEADERS}


@pytest.mark.parametrize(
    "url",
    [
        "/findings?colour=blue",  # unknown parameter
        "/findings/facets?colour=blue",
        "/findings?limit=5&limit=6",  # a single value given twice: FastAPI keeps the last
    ],
)
def test_fastapi_answers_what_the_shortcut_does_not_take(
    client: TestClient, fastapi_handled: list[int], url: str
) -> None:
    response = client.get(url)
    assert fastapi_handled == [1], response.text


def test_a_value_over_the_request_limits_is_refused_before_either_route(
    client: TestClient, fastapi_handled: list[int]
) -> None:
    response = client.get("/findings?q=" + "a" * 501)
    assert fastapi_handled == []
    assert response.status_code == 422
    assert response.json()["message"] == "q: the value is 501 characters long; at most 500"


@pytest.mark.parametrize(
    "url", ["/findings?format=csv&theme=workforce", "/findings/facets?format=csv&by=kind"]
)
def test_csv_is_the_same_either_way(
    client: TestClient, fastapi_handled: list[int], url: str
) -> None:
    fast = client.get(url)
    slow = client.get(url, headers=SLOW)
    assert fastapi_handled == [1]
    assert fast.headers["content-type"] == slow.headers["content-type"] == "text/csv; charset=utf-8"
    assert fast.text == slow.text
    assert fast.text.count("\r\n") > 2


def test_a_repeated_single_value_is_fastapis_last(client: TestClient) -> None:
    body = client.get("/findings?limit=5&limit=6").json()
    assert (body["limit"], len(body["items"])) == (6, 6)


def test_conditional_requests_get_304_as_before(
    client: TestClient, fastapi_handled: list[int]
) -> None:
    first = client.get("/findings?limit=1")
    assert fastapi_handled == []
    again = client.get("/findings?limit=1", headers={"If-None-Match": first.headers["etag"]})
    assert (again.status_code, fastapi_handled) == (304, [1])


def test_other_routes_keep_fastapis_handler(client: TestClient, fastapi_handled: list[int]) -> None:
    assert client.get("/findings/59").status_code == 200  # a path parameter
    assert client.get("/inspections?limit=1").status_code == 200  # a router without it
    assert fastapi_handled == [1, 1]


# --- the reader alone, on a route of its own --------------------------------------------------


class Toy(QueryModel):
    colour: list[Literal["red", "green"]] | None = None
    size: int = Field(1, ge=1, le=9)


def toy_app() -> FastAPI:
    app = FastAPI()
    router = APIRouter(route_class=FastQueryRoute)

    @router.get("/toys")
    def toys(query: Annotated[Toy, Query()]) -> Response:
        return JSONResponse({"colour": query.colour, "size": query.size})

    install_error_handlers(app)
    app.include_router(router)
    return app


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        ("/toys", 200, {"colour": None, "size": 1}),
        ("/toys?colour=red&colour=green&size=3", 200, {"colour": ["red", "green"], "size": 3}),
        ("/toys?size=10", 422, "size: Input should be less than or equal to 9"),
        ("/toys?colour=blue", 422, "colour: Input should be 'red' or 'green'"),
    ],
)
def test_the_reader_reads_any_query_model_as_fastapi_does(
    fastapi_handled: list[int], url: str, status: int, body: Any
) -> None:
    """Any route that takes a query model: its values read by the model, its 422s the ones
    FastAPI's own handler gives (asked again with a validator that sends it there)."""
    with TestClient(toy_app()) as client:
        fast = client.get(url)
        assert fastapi_handled == []
        slow = client.get(url, headers={"If-None-Match": '"x"'})
    assert fastapi_handled == [1]
    assert (fast.status_code, fast.json()) == (slow.status_code, slow.json())
    assert fast.status_code == status
    assert (fast.json() if status == 200 else fast.json()["message"]) == body


def test_the_reader_leaves_an_unknown_name_to_fastapi(fastapi_handled: list[int]) -> None:
    with TestClient(toy_app()) as client:
        response = client.get("/toys?shape=round")
    assert fastapi_handled == [1]
    assert response.status_code == 422
