"""/inspections: the seed inspections, their filters and orders."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import get, walk


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


def test_inspection_filters_and_sorts(client: TestClient) -> None:
    newest = walk(client, "/inspections?sort=-date&limit=1")
    assert [item["start_date"] for item in newest] == [
        "2021-11-03", "2013-03-11", "2010-07-20", "2010-03-17",
    ]  # fmt: skip
    assert [i["id"] for i in walk(client, "/inspections?year_from=2011&region=North%20West")] == [
        4,
        3,
    ]
    judged = walk(client, "/judgements?year_from=2013&grade=inadequate")
    assert [(j["area"], j["score"]) for j in judged] == [
        ("overall-effectiveness", 4),
        ("quality-of-practice", 4),
    ]


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
