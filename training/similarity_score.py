"""`python -m training.similarity_score`: how many of each query's top 5 similar findings a
reader judged to be about the same issue (training/similarity/judgements.jsonl, judging
training/similarity/queries.jsonl), on average over the queries. Target: 4 of 5.

A judgement line names a `result_id` of queries.jsonl (`q07-r3`) and whether that result is
about the same issue as its query (`same_issue`: true or false). Prints the figures and writes
them to training/similarity/score.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "similarity"
QUERIES = HERE / "queries.jsonl"
JUDGEMENTS = HERE / "judgements.jsonl"
SCORE = HERE / "score.json"


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def score(queries: Path = QUERIES, judgements: Path = JUDGEMENTS) -> dict[str, Any]:
    lines = _lines(queries)
    asked = {r["result_id"]: q["query_id"] for q in lines for r in q["results"]}
    kinds = {q["query_id"]: q["query"]["kind"] for q in lines}
    judged: dict[str, bool] = {}
    for line in _lines(judgements):
        if line["result_id"] not in asked:
            raise ValueError(f"judgement of an unknown result {line['result_id']}")
        judged[line["result_id"]] = bool(line["same_issue"])
    missing = sorted(set(asked) - set(judged))
    if missing:
        raise ValueError(f"{len(missing)} results not judged, e.g. {missing[:3]}")
    per_query: dict[str, int] = {}
    for result_id, query_id in asked.items():
        per_query[query_id] = per_query.get(query_id, 0) + judged[result_id]
    counts = sorted(per_query.values())
    return {
        "queries": len(per_query),
        "results_judged": len(judged),
        "same_issue_in_top5_mean": round(sum(counts) / len(counts), 3),
        "queries_with_at_least_4": sum(1 for c in counts if c >= 4),
        "distribution": {str(k): counts.count(k) for k in range(6)},
        "mean_by_query_kind": {
            kind: round(
                sum(n for q, n in per_query.items() if kinds[q] == kind)
                / sum(1 for q in per_query if kinds[q] == kind),
                2,
            )
            for kind in sorted(set(kinds.values()))
        },
    }


def main() -> int:
    result = score()
    SCORE.write_text(json.dumps(result, indent=2) + "\n")
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
