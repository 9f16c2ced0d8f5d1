"""The query API on the five seed documents, with exact expected values, on every backend."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.extraction.text import join_lines
from tests.conftest import expected_ranking


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


COVERED_LISTS = {"/findings", "/inspections", "/judgements"}
"""The lists that carry a coverage note when they span authorities (no `authority=`)."""


def walk(client: TestClient, url: str) -> list[dict[str, Any]]:
    """Follow `next` to the end, checking the envelope on every page."""
    items: list[dict[str, Any]] = []
    pages = 0
    while url:
        page = get(client, url)
        noted = url.split("?")[0] in COVERED_LISTS and "authority=" not in url
        assert set(page) == {"items", "total", "limit", "next", *(["coverage"] if noted else [])}
        assert len(page["items"]) <= page["limit"]
        items.extend(page["items"])
        url = page["next"]
        pages += 1
        assert pages < 1000
    return items


def test_health(client: TestClient, seeded_engine: Engine) -> None:
    assert get(client, "/health") == {
        "status": "ok",
        "database": "ok",
        "schema_revision": "0010",
        "data_version": 5,
        "search_ranking": expected_ranking(seeded_engine).value,
    }


def test_the_health_docs_show_is_the_servers(client: TestClient, seeded_engine: Engine) -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "security.md").read_text()
    shown = json.loads(text.split("### Health and an unready database")[1].split("```json")[1]
                       .split("```")[0])  # fmt: skip
    served = get(client, "/health")
    assert served == {**shown, "search_ranking": expected_ranking(seeded_engine).value}
    assert "this service needs 0010: run" in text


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    assert spec["info"]["title"] == "Ofsted findings API"
    assert {
        "/findings",
        "/inspections",
        "/inspections/{inspection_id}",
        "/judgements",
        "/authorities",
        "/authorities/{key}",
        "/themes",
        "/grades",
        "/health",
        "/documents/{document_id}",
        "/findings/{finding_id}",
    } <= set(spec["paths"])
    theme_param = next(
        p for p in spec["paths"]["/findings"]["get"]["parameters"] if p["name"] == "theme"
    )
    assert "description" in theme_param
    assert client.get("/docs").status_code == 200


# --- inspections -------------------------------------------------------------------------


def test_2013_cheshire_east_inspection(client: TestClient) -> None:
    listing = get(client, "/inspections?authority=cheshire-east&year=2013")
    assert listing["total"] == 1
    inspection = listing["items"][0]
    assert inspection["type"] == "child-protection"
    assert (inspection["start_date"], inspection["end_date"]) == ("2013-03-11", "2013-03-20")
    assert [(j["area"], j["grade"], j["grade_label"]) for j in inspection["judgements"]] == [
        ("overall-effectiveness", "inadequate", "Inadequate"),
        ("help-and-protection", "requires-improvement", "Adequate"),
        ("quality-of-practice", "inadequate", "Inadequate"),
        ("leadership", "requires-improvement", "Adequate"),
    ]
    assert [(d["filename"], d["kind"]) for d in inspection["documents"]] == [
        ("003_428a553426a77882.txt", "summary-for-children"),
        ("004_00ec88477df05a0b.txt", "report"),
    ]

    detail = get(client, f"/inspections/{inspection['id']}")
    assert detail["finding_counts"] == {
        "narrative": 46,
        "recommendation": 16,
        "strength": 5,
        "weakness": 7,
    }
    assert detail["inspectors"] == ["Mary Varley"]
    assert detail["cited_judgements"] == []
    assert detail["authority"] == {"slug": "cheshire-east", "name": "Cheshire East"}


def test_recommendations_of_2013_by_timeframe(client: TestClient) -> None:
    items = walk(client, "/findings?authority=cheshire-east&year=2013&kind=recommendation")
    assert len(items) == 16
    timeframes = [item["timeframe"] for item in items]
    assert timeframes == ["immediately"] * 4 + ["within-3-months"] * 6 + ["within-6-months"] * 6
    assert items[0]["text"] == (
        "ensure that all contacts and referrals which indicate potential child protection "
        "concerns, including those arising in relation to child sexual exploitation, are "
        "appropriately progressed in a timely way"
    )
    assert {item["section"] for item in items} == {"Areas for improvement"}
    assert {item["polarity"] for item in items} == {"neutral"}


def test_inspections_of_an_authority_in_date_order(client: TestClient) -> None:
    items = walk(client, "/inspections?authority=cheshire-east")
    assert [(i["type"], i["start_date"]) for i in items] == [
        ("contact-referral-assessment", "2010-07-20"),
        ("child-protection", "2013-03-11"),
        ("focused-visit", "2021-11-03"),
    ]
    assert [len(i["judgements"]) for i in items] == [0, 4, 0]


def test_focused_visit_cites_the_2019_judgement(client: TestClient) -> None:
    (visit,) = walk(client, "/inspections?type=focused-visit")
    detail = get(client, f"/inspections/{visit['id']}")
    assert detail["judgements"] == []
    assert detail["inspectors"] == ["Kathryn Grindrod", "Russel Breyer"]
    assert [
        (c["area"], c["grade"], c["grade_label"], c["year"], c["month"])
        for c in detail["cited_judgements"]
    ] == [
        ("help-and-protection", "requires-improvement", "require improvement to be good", 2019, 11)
    ]
    assert detail["finding_counts"] == {"narrative": 20, "recommendation": 3}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("grade=inadequate", [("cheshire-east", "2013-03-11")]),
        ("grade=requires-improvement&area=help-and-protection", [("cheshire-east", "2013-03-11")]),
        ("grade=requires-improvement&area=overall-effectiveness", []),
        ("grade=good", []),
        ("area=quality-of-practice", [("cheshire-east", "2013-03-11")]),
        (
            "type=contact-referral-assessment",
            [
                ("cheshire-west-and-chester", "2010-03-17"),
                ("cheshire-east", "2010-07-20"),
            ],
        ),
        (
            "year=2010&year=2021",
            [
                ("cheshire-west-and-chester", "2010-03-17"),
                ("cheshire-east", "2010-07-20"),
                ("cheshire-east", "2021-11-03"),
            ],
        ),
        (
            "authority=cheshire-west-and-chester&year=2010",
            [
                ("cheshire-west-and-chester", "2010-03-17"),
            ],
        ),
        ("authority=cheshire-west-and-chester&year=2013", []),
    ],
)
def test_inspection_filters(
    client: TestClient, query: str, expected: list[tuple[str, str]]
) -> None:
    items = walk(client, f"/inspections?{query}&limit=2")
    assert [(i["authority"]["slug"], i["start_date"]) for i in items] == expected


# --- judgements --------------------------------------------------------------------------


def test_judgements_filters(client: TestClient) -> None:
    everything = walk(client, "/judgements")
    assert len(everything) == 4
    adequate = walk(client, "/judgements?grade=requires-improvement")
    assert [(j["area"], j["grade_label"]) for j in adequate] == [
        ("help-and-protection", "Adequate"),
        ("leadership", "Adequate"),
    ]
    leadership = walk(client, "/judgements?area=leadership&authority=cheshire-east&year=2013")
    assert [(j["grade"], j["inspection_type"]) for j in leadership] == [
        ("requires-improvement", "child-protection")
    ]
    assert walk(client, "/judgements?authority=cheshire-west-and-chester") == []


def test_grades_list_every_label(client: TestClient) -> None:
    grades = {g["id"]: g for g in get(client, "/grades")}
    assert [g["id"] for g in get(client, "/grades")] == [
        "outstanding",
        "good",
        "requires-improvement",
        "inadequate",
    ]
    assert grades["requires-improvement"]["labels"] == [{"label": "Adequate", "judgements": 2}]
    assert grades["inadequate"]["judgements"] == 2
    assert grades["good"] == {
        "id": "good",
        "label": "Good",
        "score": 2,
        "judgements": 0,
        "labels": [],
    }


# --- findings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("", 130),
        ("authority=cheshire-east", 116),
        ("authority=E06000049", 116),
        ("authority=cheshire-west-and-chester", 14),
        ("authority=cheshire-east&authority=cheshire-west-and-chester", 130),
        ("year=2010", 33),
        ("year=2013", 74),
        ("kind=strength", 24),
        ("kind=weakness", 21),
        ("kind=recommendation", 19),
        ("kind=narrative", 66),
        ("kind=priority-action", 0),
        ("kind=strength&kind=weakness", 45),
        ("type=focused-visit", 23),
        ("grade=inadequate", 74),
        ("grade=inadequate&area=leadership", 0),
        ("grade=requires-improvement&area=leadership", 74),
        ("grade=good", 0),
        ("authority=cheshire-east&year=2010&kind=weakness", 7),
        ("authority=cheshire-east&year=2013&kind=narrative&grade=inadequate", 46),
    ],
)
def test_finding_filters(client: TestClient, query: str, total: int) -> None:
    page = get(client, f"/findings?{query}&limit=500")
    assert page["total"] == total
    assert len(page["items"]) == total
    assert page["next"] is None


def test_theme_filter_is_or_within_and_across(client: TestClient) -> None:
    one = {f["id"] for f in walk(client, "/findings?theme=assessment&limit=500")}
    other = {f["id"] for f in walk(client, "/findings?theme=child-in-need&limit=500")}
    both = {f["id"] for f in walk(client, "/findings?theme=assessment&theme=child-in-need")}
    assert one and other
    assert both == one | other
    year_2013 = {f["id"] for f in walk(client, "/findings?year=2013&limit=500")}
    combined = {f["id"] for f in walk(client, "/findings?theme=child-in-need&year=2013")}
    assert combined == other & year_2013


def test_done_when_query(client: TestClient) -> None:
    """The README's first query: the 2013 Cheshire East findings on child in need planning."""
    items = walk(client, "/findings?authority=cheshire-east&year=2013&theme=child-in-need")
    assert items
    for item in items:
        assert item["year"] == 2013
        assert item["authority"]["slug"] == "cheshire-east"
        assert "child-in-need" in [theme["id"] for theme in item["themes"]]
        document = get(client, f"/documents/{item['source']['document_id']}")
        passage = document["text"][item["source"]["start"] : item["source"]["end"]]
        assert join_lines(passage.split("\n")) == item["text"]
        for theme in item["themes"]:
            for words in theme["matched"]:
                assert words in item["text"]


def test_finding_shape(client: TestClient) -> None:
    first = get(client, "/findings?limit=1")["items"][0]
    assert set(first) == {
        "id",
        "inspection_id",
        "authority",
        "year",
        "kind",
        "section",
        "judgement_area",
        "timeframe",
        "paragraph",
        "polarity",
        "polarity_score",
        "text",
        "themes",
        "source",
    }
    assert set(first["themes"][0]) == {"id", "matched", "score"}
    assert get(client, f"/findings/{first['id']}") == first


def test_narrative_paragraphs_carry_number_and_area(client: TestClient) -> None:
    items = walk(client, "/findings?year=2013&kind=narrative&limit=20")
    assert [item["paragraph"] for item in items] == list(range(15, 61))
    areas = [item["judgement_area"] for item in items]
    assert areas == (
        ["overall-effectiveness"] * 8
        + ["help-and-protection"] * 14
        + ["quality-of-practice"] * 14
        + ["leadership"] * 10
    )


def test_pagination_walks_to_the_end_in_a_stable_order(client: TestClient) -> None:
    whole = get(client, "/findings?limit=500")["items"]
    for limit in (1, 7, 50):
        walked = walk(client, f"/findings?limit={limit}")
        assert [f["id"] for f in walked] == [f["id"] for f in whole]
    years = [f["year"] for f in whole]
    assert years == sorted(years)


def test_next_keeps_the_filters(client: TestClient) -> None:
    page = get(client, "/findings?kind=weakness&limit=5")
    assert page["total"] == 21
    assert page["next"].startswith("/findings?kind=weakness&limit=5&cursor=")
    assert len(walk(client, page["next"])) == 16


def test_authorities(client: TestClient) -> None:
    authorities = walk(client, "/authorities?limit=100")
    assert len(authorities) == 156
    slugs = [a["slug"] for a in authorities]
    assert slugs == sorted(slugs)
    east = get(client, "/authorities/cheshire-east")
    assert east == get(client, "/authorities/E06000049")
    assert (east["ons_code"], east["dfe_code"], east["ofsted_urn"]) == ("E06000049", "895", "80447")
    assert east["region"] == "North West"
    assert east["inspections"] == 3
    assert east["statistical_neighbours"][:3] == [
        "gloucestershire",
        "warwickshire",
        "north-yorkshire",
    ]
    bristol = get(client, "/authorities/bristol")
    assert "Bristol, City of" in bristol["other_names"]
    north_west = walk(client, "/authorities?region=North%20West&limit=500")
    assert len(north_west) == 25


def test_themes_count_findings(client: TestClient) -> None:
    themes = get(client, "/themes")
    assert len(themes) == 18
    assert themes[0]["id"] == "front-door"
    counted = {theme["id"]: theme["findings"] for theme in themes}
    page = get(client, "/findings?theme=partnership&limit=1")
    assert counted["partnership"] == page["total"]


# --- errors ------------------------------------------------------------------------------


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


def test_unknown_authority_lists_valid_slugs(client: TestClient) -> None:
    body = get(client, "/findings?authority=cheshire-eest", 422)
    assert body["message"].startswith(
        "authority: 'cheshire-eest' is not a known authority slug or ONS code "
        "(did you mean cheshire-east"
    )
    assert "valid slugs: barking-and-dagenham, barnet," in body["message"]


def test_unknown_parameter_is_422(client: TestClient) -> None:
    body = get(client, "/findings?colour=red&authority=cheshire-east", 422)
    assert body == {
        "status": 422,
        "error": "unknown_parameter",
        "message": "unknown parameter: colour; this endpoint accepts: area, authority, count, "
        "cursor, format, grade, inspection, judgement_area, kind, limit, mode, polarity, "
        "published_from, published_to, q, region, sort, theme, timeframe, type, year, year_from, "
        "year_to",
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
