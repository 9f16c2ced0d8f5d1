"""The labelled findings: `labels/findings.jsonl` (1,500 findings of the 42 shipped PDFs) and
`labels/seed-findings.jsonl` (the 130 findings of the five seed documents, labelled in
`tests/data/seed-expected.json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.classifier.features import FindingInput

LABELS_DIR = Path(__file__).parent / "labels"
LABELLED = LABELS_DIR / "findings.jsonl"
SEED = LABELS_DIR / "seed-findings.jsonl"

# The seed summary for children (003) and the full report (004) are one inspection: held out
# together.
_SAME_INSPECTION = {"003_428a553426a77882.txt": "004_00ec88477df05a0b.txt"}


@dataclass(frozen=True)
class Example:
    finding: FindingInput
    themes: frozenset[str]
    polarity: str
    document: str
    group: str
    """Examples of one group are never in both the training and the test part of a fold."""
    seed: bool


def _read(path: Path, seed: bool) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        examples.append(
            Example(
                FindingInput(row["text"], row["kind"], row["section"], row["judgement_area"]),
                frozenset(row["themes"]),
                row["polarity"],
                row["document"],
                _SAME_INSPECTION.get(row["document"], row["document"]),
                seed,
            )
        )
    return examples


def load_examples() -> list[Example]:
    """Every labelled finding: the 1,500, then the 130 seed findings."""
    return _read(LABELLED, seed=False) + _read(SEED, seed=True)
