"""/authorities: the register, names, timeline and neighbours."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.api.helpers import get, walk


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


def test_authorities_are_found_by_name(client: TestClient) -> None:
    def slugs(url: str) -> list[str]:
        return [item["slug"] for item in walk(client, url)]

    assert slugs("/authorities?name=chester") == ["cheshire-west-and-chester", "manchester"]
    assert slugs("/authorities?name=CHESH") == ["cheshire-east", "cheshire-west-and-chester"]
    assert slugs("/authorities?name=st%20helens") == ["st-helens"]
    assert slugs("/authorities?name=St.%20Helens") == ["st-helens"]
    assert slugs("/authorities?name=upon&region=London") == [
        "kingston-upon-thames",
        "richmond-upon-thames",
    ]
    assert slugs("/authorities?name=zzz") == []
    csv = client.get("/authorities?name=windsor&format=csv").text.splitlines()
    assert [line.split(",")[0] for line in csv] == ["slug", "windsor-and-maidenhead"]
    assert get(client, "/authorities?name=%25", 422)["message"] == (
        "name: give a letter or digit to look for"
    )


# --- facets ----------------------------------------------------------------------------------


def test_timeline_of_cheshire_east(client: TestClient) -> None:
    body = get(client, "/authorities/E06000049/timeline")
    assert body["authority"] == {"slug": "cheshire-east", "name": "Cheshire East"}
    events = body["items"]
    assert [(e["date"], e["event"], e.get("type")) for e in events] == [
        ("2010-07-20", "inspection", "contact-referral-assessment"),
        ("2013-03-11", "inspection", "child-protection"),
        ("2019-11", "cited-judgement", None),
        ("2021-11-03", "inspection", "focused-visit"),
    ]
    letter, report, cited, visit = events
    assert letter["judgements"] == []
    assert letter["findings"]["by_kind"] == {"strength": 12, "weakness": 7}
    assert [
        (j["area"], j["grade"], j["grade_label"], j["score"]) for j in report["judgements"]
    ] == [
        ("overall-effectiveness", "inadequate", "Inadequate", 4),
        ("help-and-protection", "requires-improvement", "Adequate", 3),
        ("quality-of-practice", "inadequate", "Inadequate", 4),
        ("leadership", "requires-improvement", "Adequate", 3),
    ]
    assert report["findings"]["total"] == 74
    assert report["findings"]["by_kind"] == {
        "narrative": 46, "recommendation": 16, "strength": 5, "weakness": 7,
    }  # fmt: skip
    theme_facet = get(client, "/findings/facets?inspection=4&by=theme")["facets"]["theme"]
    assert report["findings"]["by_theme"] == {e["value"]: e["count"] for e in theme_facet}
    assert [d["kind"] for d in report["documents"]] == ["summary-for-children", "report"]
    assert cited["judgement"] == {
        "area": "help-and-protection",
        "area_label": None,
        "grade": "requires-improvement",
        "grade_label": "require improvement to be good",
        "score": 3,
    }
    assert cited["cited_by"]["inspection_id"] == visit["inspection_id"]
    assert visit["findings"]["by_kind"] == {"narrative": 20, "recommendation": 3}
    assert get(client, "/authorities/atlantis/timeline", 404)["message"] == (
        "No authority with slug or ONS code 'atlantis'; see /authorities"
    )


def test_neighbours_side_by_side(client: TestClient) -> None:
    body = get(client, "/authorities/cheshire-east/neighbours")
    subject = body["authority"]
    assert (subject["rank"], subject["slug"], subject["inspections"], subject["findings"]) == (
        0, "cheshire-east", 3, 116,
    )  # fmt: skip
    assert [
        (j["area"], j["grade"], j["year"], j["month"], j["cited"])
        for j in subject["latest_judgements"]
    ] == [
        ("overall-effectiveness", "inadequate", 2013, 3, False),
        ("help-and-protection", "requires-improvement", 2019, 11, True),
        ("leadership", "requires-improvement", 2013, 3, False),
        ("quality-of-practice", "inadequate", 2013, 3, False),
    ]
    assert len(subject["themes"]) == 18
    theme_facets = get(client, "/findings/facets?authority=cheshire-east&by=theme")["facets"]
    assert {k: v for k, v in subject["themes"].items() if v} == {
        entry["value"]: entry["count"] for entry in theme_facets["theme"]
    }
    neighbours = body["neighbours"]
    assert [(n["rank"], n["slug"]) for n in neighbours[:3]] == [
        (1, "gloucestershire"), (2, "warwickshire"), (3, "north-yorkshire"),
    ]  # fmt: skip
    assert len(neighbours) == 10
    loaded = [(n["rank"], n["slug"], n["inspections"], n["findings"]) for n in neighbours]
    # Of the ten, only Cheshire West and Chester has an inspection in the seeds (ungraded).
    assert [peer for peer in loaded if peer[2]] == [(7, "cheshire-west-and-chester", 1, 14)]
    assert {len(n["latest_judgements"]) for n in neighbours} == {0}


# --- CSV -------------------------------------------------------------------------------------


def test_unknown_authority_lists_valid_slugs(client: TestClient) -> None:
    body = get(client, "/findings?authority=cheshire-eest", 422)
    assert body["message"].startswith(
        "authority: 'cheshire-eest' is not a known authority slug or ONS code "
        "(did you mean cheshire-east"
    )
    assert "valid slugs: barking-and-dagenham, barnet," in body["message"]


def test_the_neighbours_csv_keeps_grades_and_theme_counts_apart(client: TestClient) -> None:
    """Three themes share their ids with judgement areas (leadership, children in care, care
    leavers): the CSV's theme counts once overwrote those grade columns, under one header
    named twice. Theme counts are `theme_` columns."""
    response = client.get("/authorities/cheshire-east/neighbours?format=csv")
    header, subject = list(csv.reader(io.StringIO(response.text)))[:2]
    assert len(header) == len(set(header)) == 36
    row = dict(zip(header, subject, strict=True))
    grades = {area: row[area] for area in ("leadership", "children-in-care", "care-leavers")}
    assert grades == {
        "leadership": "requires-improvement",
        "children-in-care": "",
        "care-leavers": "",
    }
    themes = get(client, "/authorities/cheshire-east/neighbours")["authority"]["themes"]
    assert {key: int(row[f"theme_{key}"]) for key in themes} == themes
    assert (themes["leadership"], themes["children-in-care"]) == (13, 0)
