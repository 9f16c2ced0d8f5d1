"""/findings: filters, shape, pages and orders, CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from urllib.parse import parse_qs

import pytest
from fastapi.testclient import TestClient

from app.extraction.text import join_lines
from tests.api.helpers import csv_rows, finding_row, get, ids, walk


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
        "published_date",
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


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("year_from=2011", 97),
        ("year_to=2012", 33),
        ("year_from=2011&year_to=2014", 74),
        ("year_from=2013&year_to=2013&kind=recommendation", 16),
        ("timeframe=immediately", 4),
        ("timeframe=within-3-months&timeframe=within-6-months", 12),
        ("region=North%20West", 130),
        ("region=e12000002", 130),
        ("region=London", 0),
        ("inspection=3", 23),
        ("inspection=3&inspection=4", 97),
        ("inspection=1&kind=weakness", 7),
        ("authority=E06000049&type=focused-visit", 23),
        ("published_from=2000-01-01", 0),
    ],
)
def test_more_finding_filters(client: TestClient, query: str, total: int) -> None:
    page = get(client, f"/findings?{query}&limit=500")
    assert page["total"] == total
    assert len(page["items"]) == total


def test_polarity_filter_partitions_the_findings(client: TestClient) -> None:
    totals = {
        polarity: get(client, f"/findings?polarity={polarity}&limit=1")["total"]
        for polarity in ("positive", "negative", "mixed", "neutral")
    }
    assert sum(totals.values()) == 130
    # Every recommendation is neutral: it tells the authority what to do.
    assert get(client, "/findings?polarity=neutral&kind=recommendation")["total"] == 19


def test_sorts_walk_to_the_end(client: TestClient) -> None:
    by_date = ids(walk(client, "/findings?limit=500"))
    assert ids(walk(client, "/findings?sort=-date&limit=17")) == by_date[::-1]
    assert ids(walk(client, "/findings?sort=-year&limit=17")) == by_date[::-1]
    by_authority = walk(client, "/findings?sort=authority&limit=9")
    assert [item["authority"]["slug"] for item in by_authority] == ["cheshire-east"] * 116 + [
        "cheshire-west-and-chester"
    ] * 14
    assert ids(walk(client, "/findings?sort=-authority&limit=9")) == ids(by_authority)[::-1]


def test_relevance_pages_walk_every_match_once(client: TestClient) -> None:
    whole = ids(get(client, "/findings?q=child protection&limit=500")["items"])
    assert len(whole) == 44
    for limit in (1, 5, 13):
        assert ids(walk(client, f"/findings?q=child protection&limit={limit}")) == whole


def test_link_header_and_count_false(client: TestClient) -> None:
    response = client.get("/findings?kind=weakness&limit=5&count=false")
    page = response.json()
    assert page["total"] is None
    assert response.headers["link"] == f'<{page["next"]}>; rel="next"'
    last = client.get("/findings?kind=weakness&limit=50")
    assert "link" not in last.headers


def test_a_cursor_belongs_to_its_order(client: TestClient) -> None:
    cursor = get(client, "/findings?limit=1")["next"].split("cursor=")[1]
    body = get(client, f"/findings?sort=-date&cursor={cursor}", 422)
    assert body["message"] == "cursor: not a cursor this API issued; start again without one"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "year=2013&kind=recommendation",
        "q=management%20oversight",
        "q=supervis*&sort=-date",
        "authority=cheshire-west-and-chester&sort=authority",
    ],
)
def test_findings_csv_is_the_json(client: TestClient, query: str) -> None:
    expected = [finding_row(item) for item in walk(client, f"/findings?{query}&limit=7")]
    assert csv_rows(client, f"/findings?{query}&format=csv") == expected
    assert csv_rows(client, f"/findings?{query}", accept="text/csv") == expected


def test_csv_streams_in_batches(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = client.get("/findings?format=csv").text
    monkeypatch.setattr("app.listing.export.CSV_BATCH", 7)
    response = client.get("/findings?format=csv")
    assert response.text == whole
    assert len(list(csv.DictReader(io.StringIO(whole)))) == 130
    assert response.headers["content-disposition"] == 'attachment; filename="findings.csv"'


def test_findings_filter_by_their_own_judgement_area(client: TestClient) -> None:
    """Of the seed documents, the 2013 Cheshire East child protection report alone puts
    findings under judgement areas: 10 under leadership. Its inspection graded leadership,
    so `area=leadership` gives all 74 of its findings instead."""
    own = walk(client, "/findings?judgement_area=leadership&limit=100")
    assert {(f["inspection_id"], f["judgement_area"]) for f in own} == {(4, "leadership")}
    assert len(own) == 10
    assert len(walk(client, "/findings?area=leadership&limit=500")) == 74
    both = walk(client, "/findings?judgement_area=leadership&judgement_area=help-and-protection")
    assert len(both) == 24
    facets = get(client, "/findings/facets?by=judgement_area")["facets"]["judgement_area"]
    assert facets == [
        {"value": "help-and-protection", "label": "Help and protection", "count": 14},
        {"value": "quality-of-practice", "label": "Quality of practice", "count": 14},
        {"value": "leadership", "label": "Leadership", "count": 10},
        {"value": "overall-effectiveness", "label": "Overall effectiveness", "count": 8},
    ]
    narrowed = get(client, "/findings/facets?by=kind&judgement_area=leadership")["facets"]
    assert sum(entry["count"] for entry in narrowed["kind"]) == 10
    assert get(client, "/findings?judgement_area=care", 422)["message"].startswith(
        "judgement_area: Input should be 'overall-effectiveness', 'help-and-protection'"
    )


# --- the theme score threshold ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("theme=management-oversight", 21),
        ("theme=management-oversight&theme_score_min=0.9", 20),
        ("theme=management-oversight&theme=leadership&theme_score_min=0.9", 29),
        ("theme_score_min=0.99", 50),
        ("theme_score_min=0", 127),  # the 130 findings less the 3 with no theme
    ],
)
def test_theme_score_min_keeps_findings_with_a_theme_that_sure(
    client: TestClient, query: str, total: int
) -> None:
    """With `theme`, a finding matches when one of those themes has at least that score;
    without, when any theme has."""
    items = walk(client, f"/findings?{query}&limit=500")
    assert len(items) == total
    asked = parse_qs(query)
    wanted = set(asked.get("theme", []))
    least = float(asked.get("theme_score_min", ["0"])[0])
    for item in items:
        assert any(
            theme["score"] >= least and (not wanted or theme["id"] in wanted)
            for theme in item["themes"]
        ), item


def test_theme_score_min_counts_only_such_themes_in_facets_and_statistics(
    client: TestClient,
) -> None:
    """The theme facet and /stats/themes count a theme only at that score or more: the one
    management oversight finding scored under 0.9 drops out of both."""
    items = walk(client, "/findings?theme_score_min=0.9&limit=500")
    by_hand = Counter(
        theme["id"] for item in items for theme in item["themes"] if theme["score"] >= 0.9
    )
    facets = get(client, "/findings/facets?by=theme&theme_score_min=0.9")
    assert facets["total"] == len(items) == 123
    assert {entry["value"]: entry["count"] for entry in facets["facets"]["theme"]} == by_hand
    assert by_hand["management-oversight"] == 20
    stats = get(client, "/stats/themes?theme=management-oversight&theme_score_min=0.9")["items"]
    assert [(row["year"], row["findings"]) for row in stats] == [(2010, 9), (2013, 7), (2021, 4)]
    every = get(client, "/stats/themes?theme=management-oversight")["items"]
    assert [(row["year"], row["findings"]) for row in every] == [(2010, 9), (2013, 7), (2021, 5)]


@pytest.mark.parametrize("value", ["2", "-0.1", "high"])
def test_a_theme_score_outside_0_to_1_is_refused(client: TestClient, value: str) -> None:
    answer = client.get(f"/findings?theme=leadership&theme_score_min={value}")
    assert answer.status_code == 422
    (detail,) = answer.json()["details"]
    assert (detail["parameter"], detail["input"]) == ("theme_score_min", value)
