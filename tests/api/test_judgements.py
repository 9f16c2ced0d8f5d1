"""/judgements: the grades that stand, and their filters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import get, walk


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


def test_judgements_take_the_inspection_filter_findings_take(client: TestClient) -> None:
    judged = walk(client, "/judgements?inspection=4&inspection=3")
    # The 2013 child protection inspection's four grades; the 2021 focused visit gives none.
    assert [(j["inspection_id"], j["area"], j["grade"]) for j in judged] == [
        (4, "overall-effectiveness", "inadequate"),
        (4, "help-and-protection", "requires-improvement"),
        (4, "quality-of-practice", "inadequate"),
        (4, "leadership", "requires-improvement"),
    ]
    assert get(client, "/judgements?inspection=0", 422)["message"] == (
        "inspection: Input should be greater than or equal to 1"
    )
