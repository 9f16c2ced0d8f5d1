"""Health, the API's documents, and the vocabularies with counts."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.api.helpers import get
from tests.conftest import expected_ranking


def test_health(client: TestClient, seeded_engine: Engine) -> None:
    assert get(client, "/health") == {
        "status": "ok",
        "database": "ok",
        "schema_revision": "0010",
        "data_version": 5,
        "search_ranking": expected_ranking(seeded_engine).value,
    }


def test_the_health_docs_show_is_the_servers(client: TestClient, seeded_engine: Engine) -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
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


def test_themes_count_findings(client: TestClient) -> None:
    themes = get(client, "/themes")
    assert len(themes) == 18
    assert themes[0]["id"] == "front-door"
    counted = {theme["id"]: theme["findings"] for theme in themes}
    page = get(client, "/findings?theme=partnership&limit=1")
    assert counted["partnership"] == page["total"]


# --- errors ------------------------------------------------------------------------------


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
