"""/findings/facets and /stats: counts under the filters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import THEME_COUNTS, get


def test_facets_of_2013(client: TestClient) -> None:
    body = get(client, "/findings/facets?year=2013&by=kind,year&by=authority,region")
    assert body == {
        "total": 74,
        "facets": {
            "kind": [
                {"value": "narrative", "label": "Narrative paragraph", "count": 46},
                {"value": "recommendation", "label": "Recommendation", "count": 16},
                {"value": "weakness", "label": "Weakness", "count": 7},
                {"value": "strength", "label": "Strength", "count": 5},
            ],
            "year": [{"value": 2013, "label": "2013", "count": 74}],
            "authority": [{"value": "cheshire-east", "label": "Cheshire East", "count": 74}],
            "region": [{"value": "North West", "label": "North West", "count": 74}],
        },
        # 2013 of the five seed documents: the Cheshire East child protection report and its
        # summary for children, one authority of the 153 current ones.
        "coverage": {"authorities_with_data": 1, "of": 153},
    }


def test_facet_counts_are_the_totals_of_their_filters(client: TestClient) -> None:
    body = get(client, "/findings/facets?q=child*")
    assert list(body["facets"]) == [
        "theme", "year", "kind", "grade", "area", "authority", "region",
    ]  # fmt: skip
    parameter = {"authority": "authority", "region": "region"}
    for facet in ("theme", "year", "kind", "grade", "area", "authority", "region"):
        for entry in body["facets"][facet]:
            value = entry["value"]
            total = get(client, f"/findings?q=child*&{parameter.get(facet, facet)}={value}")
            assert total["total"] == entry["count"], (facet, value)
    assert body["facets"]["grade"] == [
        {"value": "inadequate", "label": "Inadequate", "count": 69},
        {"value": "requires-improvement", "label": "Requires improvement to be good", "count": 69},
    ]


# --- statistics ------------------------------------------------------------------------------


def test_theme_statistics(client: TestClient) -> None:
    rows = get(client, "/stats/themes?theme=management-oversight")["items"]
    assert {row["year"]: row["findings"] for row in rows} == THEME_COUNTS[
        "management-oversight by year"
    ]
    (of_2013,) = [row for row in rows if row["year"] == 2013]
    assert of_2013["findings"] == THEME_COUNTS["management-oversight 2013"]
    assert (
        of_2013["findings"]
        == get(client, "/findings?theme=management-oversight&year=2013")["total"]
    )
    split = get(client, "/stats/themes?theme=management-oversight&year=2013&by=polarity,authority")
    assert {row["authority"] for row in split["items"]} == {"cheshire-east"}
    assert sum(row["findings"] for row in split["items"]) == of_2013["findings"]
    for row in split["items"]:
        assert (
            row["findings"]
            == get(
                client,
                f"/findings?theme=management-oversight&year=2013&polarity={row['polarity']}",
            )["total"]
        )


def test_grade_statistics(client: TestClient) -> None:
    latest = get(client, "/stats/grades?by=year")["items"]
    # Cheshire East's latest help and protection grade is the one its 2021 visit cites.
    assert latest == [
        {"area": "help-and-protection", "grade": "requires-improvement", "score": 3,
         "year": 2019, "judgements": 1},
        {"area": "leadership", "grade": "requires-improvement", "score": 3, "year": 2013,
         "judgements": 1},
        {"area": "overall-effectiveness", "grade": "inadequate", "score": 4, "year": 2013,
         "judgements": 1},
        {"area": "quality-of-practice", "grade": "inadequate", "score": 4, "year": 2013,
         "judgements": 1},
    ]  # fmt: skip
    as_of_2013 = get(client, "/stats/grades?by=year&year_to=2013&area=help-and-protection")
    assert as_of_2013["items"] == [
        {"area": "help-and-protection", "grade": "requires-improvement", "score": 3,
         "year": 2013, "judgements": 1},
    ]  # fmt: skip
    per_inspection = get(client, "/stats/grades?per=inspection&by=region,type&grade=inadequate")
    assert per_inspection["items"] == [
        {"area": "overall-effectiveness", "grade": "inadequate", "score": 4,
         "region": "North West", "type": "child-protection", "judgements": 1},
        {"area": "quality-of-practice", "grade": "inadequate", "score": 4,
         "region": "North West", "type": "child-protection", "judgements": 1},
    ]  # fmt: skip
    assert get(client, "/stats/grades?region=London")["items"] == []


# --- timelines and neighbours ----------------------------------------------------------------
