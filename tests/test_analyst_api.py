"""What analysts ask of the API: `judgement_area` on /findings and /findings/facets (the
finding's own judgement area, the part of the report it comes from, unlike `area`, an area
its inspection graded); the neighbours CSV's columns."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.test_api import get, walk


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


def test_inspection_list_items_carry_inspectors_and_finding_counts(client: TestClient) -> None:
    """As the README says: each listed inspection with its inspectors and its findings
    counted by kind, the same as its own page gives (one statement for a page's counts)."""
    listed = walk(client, "/inspections")
    assert [(i["id"], i["inspectors"], i["finding_counts"]) for i in listed] == [
        (2, ["Robert Hackeson"], {"strength": 7, "weakness": 7}),
        (1, ["Judith Nelson"], {"strength": 12, "weakness": 7}),
        (4, ["Mary Varley"], {"narrative": 46, "recommendation": 16, "strength": 5, "weakness": 7}),
        (3, ["Kathryn Grindrod", "Russel Breyer"], {"narrative": 20, "recommendation": 3}),
    ]
    for item in listed:
        detail = get(client, f"/inspections/{item['id']}")
        assert (detail["inspectors"], detail["finding_counts"]) == (
            item["inspectors"],
            item["finding_counts"],
        )
    rows = list(csv.DictReader(io.StringIO(client.get("/inspections?format=csv").text)))
    assert [(r["id"], r["inspectors"], r["findings"]) for r in rows] == [
        ("2", "Robert Hackeson", "14"),
        ("1", "Judith Nelson", "19"),
        ("4", "Mary Varley", "74"),
        ("3", "Kathryn Grindrod;Russel Breyer", "23"),
    ]
