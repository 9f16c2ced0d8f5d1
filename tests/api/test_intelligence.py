"""Findings intelligence on real documents, on both databases: similar findings, semantic
and hybrid search, recurring issues, the embeddings the seed job stores, and the model read
offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from app.intelligence.embedding import embedding_model
from app.intelligence.recurrence import THRESHOLD_FILE
from app.intelligence.store import embeddings, findings, refresh_embeddings
from seed import DOCUMENTS_DIR
from tests.api.helpers import get
from tests.pipeline.test_seed_job import run

MODEL = "wordllama-0.4.0.post1/l2_supercat_256/64b47a2dc493"


def ids_and_scores(items: list[dict]) -> list[tuple[int, float]]:
    return [(item["id"], item["similarity"]) for item in items]


def test_similar_findings_of_the_2013_child_in_need_weakness(client: TestClient) -> None:
    """Finding 64 (Cheshire East 2013: "Some children in need plans ... are not clear or
    checked well enough"): nearest is the report's own paragraph on child in need planning."""
    body = get(client, "/findings/64/similar?limit=3")
    assert body["finding_id"] == 64
    assert body["model"] == MODEL
    assert ids_and_scores(body["items"]) == [(87, 0.7745), (89, 0.6442), (117, 0.6439)]
    first = body["items"][0]
    assert first["text"].startswith("Child in need planning is inadequate.")
    assert first["source"]["document_id"] == 5
    assert first["authority"]["slug"] == "cheshire-east"


def test_similar_findings_take_every_filter(client: TestClient) -> None:
    recommendations = get(client, "/findings/64/similar?limit=3&kind=recommendation")["items"]
    assert ids_and_scores(recommendations) == [(71, 0.5518), (81, 0.5206), (76, 0.5009)]
    in_2010 = get(client, "/findings/64/similar?limit=2&year=2010")["items"]
    assert [(i["id"], i["kind"], i["year"]) for i in in_2010] == [
        (9, "strength", 2010),
        (1, "strength", 2010),
    ]
    assert ids_and_scores(get(client, "/findings/64/similar?q=visited")["items"]) == [(87, 0.7745)]
    assert get(client, "/findings/64/similar?authority=bexley")["items"] == []


def test_similar_findings_as_csv(client: TestClient) -> None:
    response = client.get("/findings/64/similar?limit=2&format=csv")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert lines[0] == (
        "similarity,id,inspection_id,authority_slug,authority_name,year,published_date,kind,section,"
        "judgement_area,timeframe,paragraph,polarity,polarity_score,text,themes,theme_scores,"
        "source_document_id,source_start,source_end"
    )
    assert lines[1].startswith("0.7745,87,4,cheshire-east,Cheshire East,2013,,narrative,")
    assert len(lines) == 3


def test_similar_findings_errors(client: TestClient) -> None:
    missing = get(client, "/findings/999999/similar", 404)
    assert missing["message"] == "No finding with id 999999"
    too_many = get(client, "/findings/64/similar?limit=101", 422)
    assert too_many["details"][0]["parameter"] == "limit"
    assert get(client, "/findings/64/similar?kind=nonsense", 422)["details"][0]["parameter"] == (
        "kind"
    )


def test_semantic_search_finds_meaning_not_words(client: TestClient) -> None:
    """ "section 47 enquiries": keyword search finds the one finding with those words;
    semantic search ranks it first, then findings about child protection enquiries that
    never say "section 47"."""
    keyword = get(client, "/findings?q=section%2047%20enquiries&limit=3")
    assert [item["id"] for item in keyword["items"]] == [21]
    assert "mode" not in keyword
    semantic = get(client, "/findings?q=section%2047%20enquiries&mode=semantic&limit=3")
    assert semantic["mode"] == "semantic"
    assert [(i["id"], i["rank"], i["similarity"]) for i in semantic["items"]] == [
        (21, 1, 0.5425),
        (111, 2, 0.3858),
        (17, 3, 0.3768),
    ]
    assert "section 47" not in semantic["items"][1]["text"]
    assert semantic["total"] == 100  # the best 100 of the five documents' 130 findings


def test_hybrid_search_merges_the_rankings(client: TestClient) -> None:
    hybrid = get(client, "/findings?q=section%2047%20enquiries&mode=hybrid&limit=3")
    assert hybrid["mode"] == "hybrid"
    # 21 is first in both rankings: 1/61 + 1/61; the others are only in the semantic one.
    assert [(i["id"], i["score"]) for i in hybrid["items"]] == [
        (21, 0.032787),
        (111, 0.016129),
        (17, 0.015873),
    ]
    following = get(client, hybrid["next"])
    assert following["items"][0]["rank"] == 4
    assert get(client, "/findings?q=section%2047%20enquiries&mode=keyword")["mode"] == "keyword"


def test_search_mode_errors_name_the_valid_values(client: TestClient) -> None:
    bad = get(client, "/findings?q=visits&mode=fuzzy", 422)
    assert bad["message"] == "mode: Input should be 'keyword', 'semantic' or 'hybrid'"
    no_query = get(client, "/findings?mode=semantic", 422)
    assert no_query["message"] == "mode: semantic needs a search: add q"


def counts(again: int, new: int, gone: int) -> dict[str, int]:
    return {"raised-again": again, "not-raised-before": new, "raised-before-not-again": gone}


def test_recurring_issues_of_cheshire_east(client: TestClient) -> None:
    body = get(client, "/authorities/cheshire-east/recurring")
    assert body["threshold"] == json.loads(THRESHOLD_FILE.read_text())["threshold"]
    # How sure the links are, with each answer: the held-out figures of the judged pairs.
    assert body["measured"] == {
        "precision": 0.6875,
        "recall": 0.2558,
        "judged_pairs": 175,
        "target_precision": 0.9,
        "method": "docs/intelligence.md: pairs judged by a reader, threshold chosen on other pairs",
    }
    assert [(b["inspection_id"], b["start_date"], b["counts"]) for b in body["inspections"]] == [
        (1, "2010-07-20", counts(0, 7, 0)),
        (4, "2013-03-11", counts(5, 51, 4)),
        (3, "2021-11-03", counts(5, 7, 48)),
    ]
    again = {
        entry["finding"]["id"]: [(e["id"], e["similarity"]) for e in entry["earlier"]]
        for entry in body["inspections"][1]["issues"]
        if entry["status"] == "raised-again"
    }
    # 2013: "The quality of practice is inadequate. Decision-making on first contact..." was
    # raised in 2010: "Although no children were found to be at risk, the quality of ...".
    assert again[107] == [(16, 0.7041)]
    link = next(
        e for e in body["inspections"][1]["issues"] if e["finding"] and e["finding"]["id"] == 107
    )
    assert link["earlier"][0]["start_date"] == "2010-07-20"
    assert link["earlier"][0]["text"].startswith("Although no children were found to be at risk")
    gone = [
        entry["earlier"][0]["id"]
        for entry in body["inspections"][1]["issues"]
        if entry["status"] == "raised-before-not-again"
    ]
    assert gone == [13, 14, 15, 18]


def test_recurring_issues_as_csv_and_errors(client: TestClient) -> None:
    response = client.get("/authorities/cheshire-east/recurring?format=csv")
    lines = response.text.splitlines()
    assert lines[0] == (
        "inspection_id,start_date,status,finding_id,finding_kind,finding_text,earlier_id,"
        "earlier_inspection_id,earlier_start_date,earlier_text,similarity"
    )
    assert lines[1].startswith("1,2010-07-20,not-raised-before,13,weakness,Timeliness")
    assert get(client, "/authorities/nowhere/recurring", 404)["message"] == "No authority 'nowhere'"


def test_every_finding_has_its_embedding(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(findings))
        stored = connection.execute(
            select(embeddings.c.model, func.count()).group_by(embeddings.c.model)
        ).all()
        text, blob = connection.execute(
            select(findings.c.text, embeddings.c.vector)
            .join(embeddings, embeddings.c.finding_id == findings.c.id)
            .where(findings.c.id == 64)
        ).one()
    assert count == 130
    assert [tuple(row) for row in stored] == [(MODEL, 130)]
    vector = np.frombuffer(bytes(blob), dtype="<f4")
    assert np.allclose(vector, embedding_model().embed_one(text), atol=1e-6)


def test_the_seed_job_embeds_in_its_workers_and_reparse_recomputes_stale_ones(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [str(DOCUMENTS_DIR / "cheshire-east_2015-09-15.pdf")]
    code, lines = run(empty_engine, monkeypatch, "load", *files)
    assert code == 0
    assert not any(line.startswith("embeddings:") for line in lines)  # all from the workers
    with empty_engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(findings))
        before = dict(
            connection.execute(select(embeddings.c.finding_id, embeddings.c.vector)).all()
        )
    assert total == len(before) == 223
    with empty_engine.begin() as connection:
        connection.execute(update(embeddings).values(model="an-older-model"))
    code, lines = run(empty_engine, monkeypatch, "reparse")
    assert code == 0
    assert f"embeddings: 223 computed ({MODEL})" in lines
    with empty_engine.connect() as connection:
        after = dict(connection.execute(select(embeddings.c.finding_id, embeddings.c.vector)).all())
    assert {k: bytes(v) for k, v in after.items()} == {k: bytes(v) for k, v in before.items()}
    assert refresh_embeddings(empty_engine) == 0


def test_the_model_loads_with_no_network() -> None:
    """In a fresh interpreter whose sockets all refuse to connect, with the hub's switches
    unset: the model loads from the wheel and embeds, and nothing tried to connect."""
    program = (
        "import socket\n"
        "tried = []\n"
        "def refuse(self, *a, **k):\n"
        "    tried.append(a)\n"
        "    raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.socket.connect_ex = refuse\n"
        "socket.create_connection = lambda *a, **k: refuse(None, *a)\n"
        "from app.intelligence.embedding import embedding_model\n"
        "m = embedding_model()\n"
        "v = m.embed_one('Child protection enquiries are timely.')\n"
        "print(m.version, round(float(v @ v), 4), len(tried))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == [MODEL, "1.0", "0"]


def test_the_committed_threshold_is_what_the_labelled_pairs_give() -> None:
    """app/intelligence/threshold.json (the threshold and its precision and recall) is what
    `python -m training.recurrence_threshold` computes from the committed pairs."""
    from training.recurrence_threshold import evaluate

    assert evaluate() == json.loads(THRESHOLD_FILE.read_text())


def test_the_similarity_figure_is_the_committed_judgements() -> None:
    """training/similarity/score.json is what the committed judgements give; with no
    judgements committed there is no figure."""
    from training.similarity_score import JUDGEMENTS, SCORE, score

    if JUDGEMENTS.exists():
        assert score() == json.loads(SCORE.read_text())
    else:
        assert not SCORE.exists()
    assert Path(__file__).parents[2].joinpath("training/similarity/queries.jsonl").exists()


def test_a_very_long_text_is_embedded_as_a_short_one_would_be(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past LONG_TEXT_TOKENS a text's tokens are counted instead of gathered (a 5 MB finding
    would otherwise need gigabytes): the same vector."""
    from app.intelligence import embedding

    text = "Management oversight of assessments is not consistent. " * 1000
    counted = embedding_model().embed([text, "Visits are timely."])
    monkeypatch.setattr(embedding, "LONG_TEXT_TOKENS", 10**9)
    gathered = embedding_model().embed([text, "Visits are timely."])
    assert np.allclose(counted, gathered, atol=1e-6)
    assert round(float(counted[0] @ counted[0]), 4) == 1.0
