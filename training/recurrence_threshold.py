"""`python -m training.recurrence_threshold`: the similarity threshold of recurring issues,
chosen on the labelled pairs' `tune` split only, and its precision and recall on `test`.

The pairs (training/recurrence/pairs.jsonl, judged by a reader by the protocol in
training/recurrence/PROTOCOL.md) are (later issue, earlier finding) of one authority, with
`same_issue` true or false; whole authorities are in one split. The service links the two
when the earlier finding itself raises an issue (app/intelligence/recurrence.py: a
weakness, recommendation, priority action, or negative or mixed narrative) and the cosine
similarity of their embeddings is at least the threshold.

Rule: on `tune`, the lowest threshold (0.30 to 0.95, in steps of 0.01) at which precision is
at least 0.90 over at least 3 links; if there is none, the threshold with the highest F0.5
on `tune` (precision weighted over recall). Writes app/intelligence/threshold.json with the
threshold and both splits' figures, and prints them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from app.intelligence.embedding import embedding_model
from app.intelligence.recurrence import THRESHOLD_FILE, raises_issue

PAIRS = Path(__file__).parent / "recurrence" / "pairs.jsonl"
TARGET_PRECISION = 0.90
MIN_LINKS = 3
GRID = [round(0.30 + 0.01 * i, 2) for i in range(66)]


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def scores(pairs: list[dict[str, Any]]) -> np.ndarray:
    model = embedding_model()
    later = model.embed([pair["later"]["text"] for pair in pairs])
    earlier = model.embed([pair["earlier"]["text"] for pair in pairs])
    return np.asarray((later * earlier).sum(axis=1), dtype=np.float64)


def figures(pairs: list[dict[str, Any]], similarity: np.ndarray, at: float) -> dict[str, Any]:
    tp = fp = fn = 0
    for pair, score in zip(pairs, similarity, strict=True):
        earlier = pair["earlier"]
        linked = bool(score >= at) and raises_issue(earlier["kind"], earlier.get("polarity"))
        if linked and pair["same_issue"]:
            tp += 1
        elif linked:
            fp += 1
        elif pair["same_issue"]:
            fn += 1
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return {
        "pairs": len(pairs),
        "same_issue": tp + fn,
        "links": tp + fp,
        "true_links": tp,
        "precision": None if precision is None else round(precision, 4),
        "recall": None if recall is None else round(recall, 4),
    }


def choose(pairs: list[dict[str, Any]], similarity: np.ndarray) -> tuple[float, str]:
    for at in GRID:
        found = figures(pairs, similarity, at)
        if found["links"] >= MIN_LINKS and (found["precision"] or 0) >= TARGET_PRECISION:
            return at, f"lowest threshold with tune precision >= {TARGET_PRECISION}"

    def f_half(at: float) -> float:
        found = figures(pairs, similarity, at)
        p, r = found["precision"] or 0.0, found["recall"] or 0.0
        return 0.0 if p + r == 0 else 1.25 * p * r / (0.25 * p + r)

    best = max(GRID, key=lambda at: (f_half(at), -at))
    return best, (
        f"no threshold reaches tune precision {TARGET_PRECISION} over {MIN_LINKS} links: "
        "the highest tune F0.5"
    )


def evaluate(path: Path = PAIRS) -> dict[str, Any]:
    pairs = load_pairs(path)
    similarity = scores(pairs)
    split = {
        name: [i for i, p in enumerate(pairs) if p["split"] == name] for name in ("tune", "test")
    }
    tune = [pairs[i] for i in split["tune"]]
    at, why = choose(tune, similarity[split["tune"]])
    return {
        "threshold": at,
        "rule": why,
        "model": embedding_model().version,
        "pairs_file": "training/recurrence/pairs.jsonl",
        "tune": figures(tune, similarity[split["tune"]], at),
        "test": figures([pairs[i] for i in split["test"]], similarity[split["test"]], at),
    }


def main() -> int:
    result = evaluate()
    THRESHOLD_FILE.write_text(json.dumps(result, indent=2) + "\n")
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
