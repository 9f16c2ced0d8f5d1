"""What the API tests share: a checked GET, a walk over every page, CSV rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient


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


# Counts that follow from the theme model (app/classifier): update these when it is retrained.
# On the seed documents the shipped model gives back the analysts' labels of
# tests/data/seed-expected.json (it was trained on them), so these are that file's counts.
# Every other assertion holds whatever the model says.
THEME_COUNTS = {
    # Findings of 2013 with the theme management-oversight, by polarity and in all.
    "management-oversight 2013": 7,
    "management-oversight by year": {2010: 9, 2013: 7, 2021: 5},
}


def csv_rows(client: TestClient, url: str, **headers: str) -> list[dict[str, str]]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.text)))


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


# --- full-text search ------------------------------------------------------------------------


def finding_row(item: dict[str, Any]) -> dict[str, str]:
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    row = {
        "id": text(item["id"]),
        "inspection_id": text(item["inspection_id"]),
        "authority_slug": item["authority"]["slug"],
        "authority_name": item["authority"]["name"],
        "year": text(item["year"]),
        "published_date": text(item["published_date"]),
        "kind": item["kind"],
        "section": text(item["section"]),
        "judgement_area": text(item["judgement_area"]),
        "timeframe": text(item["timeframe"]),
        "paragraph": text(item["paragraph"]),
        "polarity": item["polarity"],
        "polarity_score": text(item["polarity_score"]),
        "text": item["text"],
        "themes": ";".join(theme["id"] for theme in item["themes"]),
        "theme_scores": ";".join(str(theme["score"]) for theme in item["themes"]),
        "source_document_id": text(item["source"]["document_id"]),
        "source_start": text(item["source"]["start"]),
        "source_end": text(item["source"]["end"]),
    }
    if "snippet" in item:
        row["snippet"] = item["snippet"]
    return row
