"""What every list does alike: CSV, and 304 from the ETag."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import csv_rows, get, walk


def test_every_list_answers_as_csv(client: TestClient) -> None:
    inspections = walk(client, "/inspections?limit=2")
    rows = csv_rows(client, "/inspections?format=csv")
    assert [row["id"] for row in rows] == [str(i["id"]) for i in inspections]
    assert rows[2]["judgements"] == (
        "overall-effectiveness:inadequate;help-and-protection:requires-improvement;"
        "quality-of-practice:inadequate;leadership:requires-improvement"
    )
    assert rows[2]["documents"] == "4;5"
    judgements = walk(client, "/judgements")
    assert [row["area"] for row in csv_rows(client, "/judgements?format=csv")] == [
        j["area"] for j in judgements
    ]
    assert len(csv_rows(client, "/authorities?region=London&format=csv")) == 33
    facets = get(client, "/findings/facets?year=2013&by=kind")["facets"]["kind"]
    assert csv_rows(client, "/findings/facets?year=2013&by=kind&format=csv") == [
        {"facet": "kind", "value": e["value"], "label": e["label"], "count": str(e["count"])}
        for e in facets
    ]
    themes = get(client, "/stats/themes?by=polarity")["items"]
    assert csv_rows(client, "/stats/themes?by=polarity&format=csv") == [
        {key: str(value) for key, value in row.items()} for row in themes
    ]
    grades = get(client, "/stats/grades?by=year")["items"]
    assert csv_rows(client, "/stats/grades?by=year&format=csv") == [
        {key: str(value) for key, value in row.items()} for row in grades
    ]
    timeline = csv_rows(client, "/authorities/cheshire-east/timeline?format=csv")
    assert [(r["date"], r["event"], r["area"], r["score"]) for r in timeline] == [
        ("2010-07-20", "inspection", "", ""),
        ("2013-03-11", "inspection", "overall-effectiveness", "4"),
        ("2013-03-11", "inspection", "help-and-protection", "3"),
        ("2013-03-11", "inspection", "quality-of-practice", "4"),
        ("2013-03-11", "inspection", "leadership", "3"),
        ("2019-11", "cited-judgement", "help-and-protection", "3"),
        ("2021-11-03", "inspection", "", ""),
    ]
    peers = csv_rows(client, "/authorities/cheshire-east/neighbours?format=csv")
    assert [(p["rank"], p["slug"], p["overall-effectiveness"]) for p in peers[:2]] == [
        ("0", "cheshire-east", "inadequate"),
        ("1", "gloucestershire", ""),
    ]
    changes = csv_rows(client, "/changes?format=csv")
    assert [(c["version"], c["action"], c["document_filename"]) for c in changes] == [
        (str(n), "loaded", f"00{n - 1}_{suffix}.txt")
        for n, suffix in enumerate(
            ["ea24617dd7a18d2f", "ea5071c6fb35de9d", "840fe968f2e3c99a", "428a553426a77882",
             "00ec88477df05a0b"],
            start=1,
        )
    ]  # fmt: skip


# --- HTTP caching ----------------------------------------------------------------------------


def test_etag_gives_304(client: TestClient) -> None:
    first = client.get("/findings?year=2013")
    etag = first.headers["etag"]
    assert etag == '"0.1.0.5.json"'
    assert first.headers["cache-control"] == "public, max-age=60"
    assert first.headers["vary"] == "Accept"
    again = client.get("/findings?year=2013", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert (
        client.get("/findings?year=2013", headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    )
    assert client.get("/findings", headers={"If-None-Match": '"0.1.0.4.json"'}).status_code == 200
    as_csv = client.get("/findings?year=2013&format=csv", headers={"If-None-Match": etag})
    assert as_csv.status_code == 200
    assert as_csv.headers["etag"] == '"0.1.0.5.csv"'
    modified = first.headers["last-modified"]
    since = client.get("/themes", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    assert "etag" not in client.get("/health").headers
    assert "etag" not in client.get("/findings?year=bad").headers
