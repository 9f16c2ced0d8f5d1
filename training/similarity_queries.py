"""`python -m training.similarity_queries`: the 50 query findings of the similarity check,
each with the top 5 findings `GET /findings/{id}/similar?limit=5` gives, for a reader to
judge (training/similarity/queries.jsonl).

Rule: from the database the seed job builds from the shipped corpus (DATABASE_URL), the
findings of each kind (narrative, recommendation, strength, weakness, priority-action) in id
order, 10 drawn from each by `random.Random(SEED).sample`; a kind with fewer than 10 gives all
it has and the rest are drawn from the narrative findings. Each query's 5 results are written
in an order shuffled by the same generator, without their scores, each with its document (the
source file name) and exact text, so the reader judges each on its own.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.db import get_engine
from app.main import create_app
from app.models import Document, Finding, metadata

SEED = 20261203
PER_KIND = 10
KINDS = ("narrative", "recommendation", "strength", "weakness", "priority-action")
OUT = Path(__file__).parent / "similarity" / "queries.jsonl"

findings = metadata.tables[Finding.__tablename__]
documents = metadata.tables[Document.__tablename__]


def main() -> int:
    engine = get_engine()
    rng = random.Random(SEED)
    with engine.connect() as connection:
        rows = connection.execute(
            select(findings.c.id, findings.c.kind, findings.c.text, documents.c.filename)
            .join(documents, documents.c.id == findings.c.document_id)
            .order_by(findings.c.id)
        ).all()
    by_id = {row.id: row for row in rows}
    chosen: list[int] = []
    short = 0
    for kind in KINDS:
        ids = [row.id for row in rows if row.kind == kind]
        take = min(PER_KIND, len(ids))
        short += PER_KIND - take
        chosen.extend(rng.sample(ids, take))
    if short:
        rest = [row.id for row in rows if row.kind == "narrative" and row.id not in chosen]
        chosen.extend(rng.sample(rest, short))
    lines = []
    with TestClient(create_app(engine)) as client:
        for number, finding_id in enumerate(chosen, start=1):
            answer = client.get(f"/findings/{finding_id}/similar", params={"limit": 5})
            answer.raise_for_status()
            results = [
                {"document": by_id[item["id"]].filename, "kind": item["kind"], "text": item["text"]}
                for item in answer.json()["items"]
            ]
            rng.shuffle(results)
            query = by_id[finding_id]
            lines.append(
                {
                    "query_id": f"q{number:02d}",
                    "query": {"document": query.filename, "kind": query.kind, "text": query.text},
                    "results": [
                        {"result_id": f"q{number:02d}-r{i}", **r} for i, r in enumerate(results, 1)
                    ],
                }
            )
    OUT.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    print(f"{len(lines)} queries written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
