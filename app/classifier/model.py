"""The learned theme and polarity model: its artefact, and a finding's labels from it.

The artefact (``model.json``, written by ``make train``) is data, not code: the idf of every
word and phrase, and for each theme and polarity class a linear model's weights by feature
name, with each theme's calibration and the threshold. Scoring a finding is a sum of weights
over its features, so every theme can name the words of its text that weighed most for it.

* Themes: one logistic regression per theme; its logit is calibrated (Platt scaling, fitted on
  out-of-fold predictions) into a probability, the theme's ``score``. A theme is given when its
  score reaches the artefact's ``threshold``, at most ``max_themes`` of them, highest first.
* Polarity: a multinomial logistic regression; ``polarity_score`` is the probability of the
  class given. Recommendations and priority actions are directives and always neutral (the
  labelling protocol's rule), with a score of 1.
* A finding with fewer than two words gets no theme and a neutral polarity.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from app.classifier.features import FindingInput
from app.classifier.scoring import Labels, Linear, label_findings
from app.vocabulary import Polarity, Theme

MODEL_PATH = Path(__file__).with_name("model.json")
FORMAT = 1


class ModelError(Exception):
    """The artefact is missing or unreadable."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"the theme and polarity model {path} {reason}; rebuild it with `make train`"
        )
        self.path = path


class Model:
    """A loaded artefact. Build it with :func:`load_model`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.idf: dict[str, float] = data["idf"]
        themes = data["themes"]
        self.themes = Linear(themes)
        self.theme_classes = tuple(Theme(name) for name in themes["classes"])
        self.calibration = np.array(themes["calibration"], dtype=np.float64)
        self.threshold: float = themes["threshold"]
        self.max_themes: int = themes["max_themes"]
        polarity = data["polarity"]
        self.polarity = Linear(polarity)
        self.polarity_classes = tuple(Polarity(name) for name in polarity["classes"])
        self.neutral_kinds = frozenset(polarity["neutral_kinds"])
        # Every known word and phrase: its number, its idf, and its row in each model.
        self.vocabulary = {gram: i for i, gram in enumerate(self.idf)}
        self.idf_values = np.array(list(self.idf.values()), dtype=np.float64)
        self.theme_rows = np.array(self.themes.rows(list(self.idf)), dtype=np.intp)
        self.polarity_rows = np.array(self.polarity.rows(list(self.idf)), dtype=np.intp)

    def classify(self, finding: FindingInput) -> Labels:
        return label_findings(self, [finding])[0]

    def classify_all(self, findings: Sequence[FindingInput]) -> list[Labels]:
        """Each finding's labels: a document's findings cost a few array operations, not a
        few per finding (``app.classifier.scoring``)."""
        return label_findings(self, findings)


def load_model(path: Path | None = None) -> Model:
    """Read and check an artefact. Raises :class:`ModelError` naming the file and `make train`
    when it is missing, not JSON, or not a model of this format."""
    path = path or MODEL_PATH
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise ModelError(path, "is missing") from None
    except (OSError, ValueError) as exc:
        raise ModelError(path, f"cannot be read ({type(exc).__name__})") from None
    problem = _problem(data)
    if problem:
        raise ModelError(path, f"is not a usable model ({problem})")
    return Model(data)


@cache
def default_model() -> Model:
    """The shipped artefact, read once per process."""
    return load_model()


def _problem(data: Any) -> str | None:
    """What is wrong with a parsed artefact, or None."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return f"expected format {FORMAT}"
    try:
        themes, polarity = data["themes"], data["polarity"]
        classes = [Theme(name) for name in themes["classes"]]
        [Polarity(name) for name in polarity["classes"]]
        checks = [
            isinstance(data["version"], str),
            all(_finite(v) for v in data["idf"].values()),
            len(themes["intercepts"]) == len(classes) == len(themes["calibration"]),
            all(len(ab) == 2 and all(map(_finite, ab)) for ab in themes["calibration"]),
            _finite(themes["threshold"]) and isinstance(themes["max_themes"], int),
            len(polarity["intercepts"]) == len(polarity["classes"]),
            all(
                len(row) == len(model["classes"]) and all(map(_finite, row))
                for model in (themes, polarity)
                for row in model["weights"].values()
            ),
            isinstance(polarity["neutral_kinds"], list),
            # Every known word or phrase is one of the theme model's features (a word's
            # explanation is its weight there).
            all(gram in themes["weights"] for gram in data["idf"]),
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None if all(checks) else "its parts do not fit together"


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
