"""Recurring issues: which of an inspection's criticisms an earlier inspection of the same
authority had already raised.

An *issue* is a weakness, a recommendation, or a narrative finding whose polarity is
negative or mixed (the findings the feature asks about); an earlier inspection's priority
actions raise issues too (they are found only in 2013-18 reports, never later ones). For
each issue of each inspection, the issues of the authority's earlier inspections (any
framework; strictly earlier first day) whose embeddings' cosine similarity is at least the
threshold raise the same issue. Each issue then has a status:

- `raised-again`: an earlier inspection raised it too (the earlier passages are given);
- `not-raised-before`: no earlier inspection raised it (or there was none);
- `raised-before-not-again`: an issue of the inspection just before that this inspection
  does not raise again (listed with the later inspection, with the earlier passage).

The threshold was chosen on the `tune` split of the labelled pairs
(training/recurrence/pairs.jsonl) by `python -m training.recurrence`, which also reports
precision and recall on the `test` split; both are in training/recurrence/threshold.json,
which this module reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

ISSUE_KINDS = frozenset({"weakness", "recommendation"})
EARLIER_ISSUE_KINDS = ISSUE_KINDS | {"priority-action"}
ISSUE_POLARITIES = frozenset({"negative", "mixed"})
THRESHOLD_FILE = Path(__file__).with_name("threshold.json")


def is_issue(kind: str, polarity: str | None) -> bool:
    """A finding whose recurrence is asked about."""
    return kind in ISSUE_KINDS or (kind == "narrative" and polarity in ISSUE_POLARITIES)


def raises_issue(kind: str, polarity: str | None) -> bool:
    """A finding that, in an earlier inspection, can have raised an issue."""
    return kind in EARLIER_ISSUE_KINDS or is_issue(kind, polarity)


@cache
def threshold() -> float:
    """The similarity from which two issues are the same (threshold.json)."""
    return float(json.loads(THRESHOLD_FILE.read_text())["threshold"])


def measured() -> dict[str, Any]:
    """How often a link at the threshold is right: precision and recall on the judged pairs
    held out from the threshold's choice (threshold.json's `test` split)."""
    test = json.loads(THRESHOLD_FILE.read_text())["test"]
    return {
        "precision": test["precision"],
        "recall": test["recall"],
        "judged_pairs": test["pairs"],
        "target_precision": 0.9,
        "method": "docs/intelligence.md: pairs judged by a reader, threshold chosen on other pairs",
    }


@dataclass(frozen=True, slots=True)
class IssueFinding:
    id: int
    inspection_id: int
    start_date: Any
    kind: str
    polarity: str | None


def recurring(
    issues: list[IssueFinding], vectors: np.ndarray, at: float | None = None
) -> list[dict[str, Any]]:
    """Per inspection, in date order: each issue with its status and the earlier issues
    that raise it (id, similarity), then the previous inspection's issues it does not raise
    again. `issues` are the authority's findings that `raises_issue`; `vectors[i]` is
    `issues[i]`'s embedding."""
    limit = threshold() if at is None else at
    inspections: dict[int, list[int]] = {}
    for position, issue in enumerate(issues):
        inspections.setdefault(issue.inspection_id, []).append(position)
    order = sorted(inspections, key=lambda i: (issues[inspections[i][0]].start_date, i))
    similarity = vectors @ vectors.T if len(issues) else np.zeros((0, 0))
    result: list[dict[str, Any]] = []
    for number, inspection_id in enumerate(order):
        mine = inspections[inspection_id]
        start = issues[mine[0]].start_date
        earlier = [p for p, issue in enumerate(issues) if issue.start_date < start]
        entries: list[dict[str, Any]] = []
        raised_again_earlier: set[int] = set()
        for p in mine:
            if not is_issue(issues[p].kind, issues[p].polarity):
                continue
            links = sorted(
                ((float(similarity[p, q]), q) for q in earlier if similarity[p, q] >= limit),
                key=lambda pair: (-pair[0], issues[pair[1]].id),
            )
            raised_again_earlier.update(q for _, q in links)
            entries.append(
                {
                    "status": "raised-again" if links else "not-raised-before",
                    "finding_id": issues[p].id,
                    "earlier": [(issues[q].id, round(s, 4)) for s, q in links],
                }
            )
        if number > 0:
            previous = inspections[order[number - 1]]
            asking = [p for p in mine if is_issue(issues[p].kind, issues[p].polarity)]
            for q in previous:
                best = max((float(similarity[p, q]) for p in asking), default=0.0)
                if best < limit:
                    entries.append(
                        {
                            "status": "raised-before-not-again",
                            "finding_id": None,
                            "earlier": [(issues[q].id, None)],
                        }
                    )
        result.append({"inspection_id": inspection_id, "entries": entries})
    return result


__all__ = ["ISSUE_KINDS", "IssueFinding", "is_issue", "raises_issue", "recurring", "threshold"]
