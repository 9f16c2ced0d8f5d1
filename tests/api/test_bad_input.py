"""Bad input on any resource: a 422 (or 404) naming the valid values."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import get


def test_unknown_theme_names_the_valid_values(client: TestClient) -> None:
    body = get(client, "/findings?theme=bogus", 422)
    assert body["status"] == 422
    assert body["error"] == "invalid_parameter"
    assert body["message"].startswith("theme: Input should be 'front-door', 'assessment'")
    assert "'care-leavers'" in body["message"]
    assert body["details"][0]["parameter"] == "theme"
    assert body["details"][0]["input"] == "bogus"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/findings?grade=adequate", "grade"),
        ("/findings?kind=bullet", "kind"),
        ("/inspections?type=ofsted", "type"),
        ("/judgements?area=care", "area"),
        ("/findings?year=twenty", "year"),
        ("/findings?year=1850", "year"),
        ("/findings?limit=0", "limit"),
        ("/findings?limit=501", "limit"),
        ("/findings/0", "finding_id"),
    ],
)
def test_invalid_values_are_422(client: TestClient, url: str, parameter: str) -> None:
    body = get(client, url, 422)
    assert body["error"] == "invalid_parameter"
    assert body["details"][0]["parameter"] == parameter


def test_unknown_parameter_is_422(client: TestClient) -> None:
    body = get(client, "/findings?colour=red&authority=cheshire-east", 422)
    assert body == {
        "status": 422,
        "error": "unknown_parameter",
        "message": "unknown parameter: colour; this endpoint accepts: area, authority, count, "
        "cursor, format, grade, inspected_from, inspected_to, inspection, judgement_area, "
        "kind, limit, mode, polarity, published_from, published_to, q, region, sort, theme, "
        "theme_score_min, timeframe, type, year, year_from, year_to",
        "details": [{"parameter": "colour", "message": "unknown parameter", "input": None}],
    }


def test_bad_cursor_is_422(client: TestClient) -> None:
    body = get(client, "/findings?cursor=not-a-cursor", 422)
    assert body["message"] == "cursor: not a cursor this API issued; start again without one"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/inspections/999999", "No inspection with id 999999"),
        ("/findings/999999", "No finding with id 999999"),
        ("/documents/999999", "No document with id 999999"),
        (
            "/authorities/atlantis",
            "No authority with slug or ONS code 'atlantis'; see /authorities",
        ),
        ("/nowhere", "No such path; the API's routes are listed at /docs"),
    ],
)
def test_unknown_ids_are_404_json(client: TestClient, url: str, message: str) -> None:
    assert get(client, url, 404) == {
        "status": 404,
        "error": "not_found",
        "message": message,
        "details": [],
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/findings?year_from=2014&year_to=2013",
            "year_from: 2014 is after year_to 2013",
        ),
        (
            "/findings?region=Narnia",
            "region: 'Narnia' is not a region name or code; valid names: East Midlands, East "
            "of England, London, North East, North West, South East, South West, West "
            "Midlands, Yorkshire and the Humber",
        ),
        (
            "/findings?sort=colour",
            "sort: Input should be 'relevance', 'date', '-date', 'year', '-year', 'authority' "
            "or '-authority'",
        ),
        ("/findings?sort=relevance", "sort: relevance needs a search: add q"),
        ("/findings?format=xml", "format: Input should be 'json' or 'csv'"),
        ("/findings/facets?by=colour", "by: Input should be 'theme', 'year', 'kind', 'grade', "
         "'area', 'authority', 'region', 'type', 'polarity', 'timeframe' "
         "or 'judgement_area'"),
    ],
)  # fmt: skip
def test_invalid_query_values_are_422(client: TestClient, url: str, message: str) -> None:
    assert get(client, url, 422)["message"] == message


# --- pagination and sorting ------------------------------------------------------------------
