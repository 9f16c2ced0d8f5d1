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
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from app.classifier.features import (
    FindingInput,
    Span,
    Terms,
    lexicon_evidence,
    polarity_features,
    terms,
    theme_features,
)
from app.classifier.lexicon import ThemeEvidence
from app.vocabulary import Polarity, Theme

MODEL_PATH = Path(__file__).with_name("model.json")
FORMAT = 1
EXPLAINED_PHRASES = 3
"""At most this many words or phrases are named for a theme..."""
EXPLAINED_SHARE = 0.25
"""... each weighing at least this share of the one that weighed most."""


class ModelError(Exception):
    """The artefact is missing or unreadable."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"the theme and polarity model {path} {reason}; rebuild it with `make train`"
        )
        self.path = path


@dataclass(frozen=True, slots=True)
class ThemeMatch:
    """One theme given to a finding: the words of its text that weighed most for it, and the
    model's calibrated probability that the theme applies."""

    theme: Theme
    matched: tuple[str, ...]
    score: float


@dataclass(frozen=True, slots=True)
class Labels:
    themes: tuple[ThemeMatch, ...]
    polarity: Polarity
    polarity_score: float


@dataclass(frozen=True, slots=True)
class _Linear:
    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, list[float]]

    def logits(self, values: dict[str, float]) -> list[float]:
        totals = list(self.intercepts)
        weights = self.weights
        for name, value in values.items():
            row = weights.get(name)
            if row is not None:
                for i, w in enumerate(row):
                    totals[i] += w * value
        return totals


class Model:
    """A loaded artefact. Build it with :func:`load_model`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.idf: dict[str, float] = data["idf"]
        themes = data["themes"]
        self.themes = _Linear(
            tuple(themes["classes"]), tuple(themes["intercepts"]), themes["weights"]
        )
        self.theme_classes = tuple(Theme(name) for name in themes["classes"])
        self.calibration: list[tuple[float, float]] = [tuple(ab) for ab in themes["calibration"]]
        self.threshold: float = themes["threshold"]
        self.max_themes: int = themes["max_themes"]
        polarity = data["polarity"]
        self.polarity = _Linear(
            tuple(polarity["classes"]), tuple(polarity["intercepts"]), polarity["weights"]
        )
        self.polarity_classes = tuple(Polarity(name) for name in polarity["classes"])
        self.neutral_kinds = frozenset(polarity["neutral_kinds"])

    def classify(self, finding: FindingInput) -> Labels:
        found = terms(finding.text)
        if found.words < 2:
            return Labels((), Polarity.NEUTRAL, 1.0)
        evidence = lexicon_evidence(finding)
        values = theme_features(finding, found, self.idf, evidence)
        scores = self.theme_scores_of(values)
        ranked = sorted(
            (i for i, score in enumerate(scores) if score >= self.threshold),
            key=lambda i: (-scores[i], i),
        )[: self.max_themes]
        themes = tuple(
            ThemeMatch(
                self.theme_classes[i],
                self._explain(i, values, found, evidence, finding.text),
                round(scores[i], 4),
            )
            for i in ranked
        )
        polarity, score = self._polarity(finding, found)
        return Labels(themes, polarity, round(score, 4))

    def theme_scores(self, finding: FindingInput) -> list[float]:
        """Every theme's calibrated probability, in the artefact's class order."""
        found = terms(finding.text)
        if found.words < 2:
            return [0.0] * len(self.theme_classes)
        return self.theme_scores_of(
            theme_features(finding, found, self.idf, lexicon_evidence(finding))
        )

    def theme_scores_of(self, values: dict[str, float]) -> list[float]:
        return [
            _sigmoid(a * z + b)
            for z, (a, b) in zip(self.themes.logits(values), self.calibration, strict=True)
        ]

    def _polarity(self, finding: FindingInput, found: Terms) -> tuple[Polarity, float]:
        if finding.kind in self.neutral_kinds:
            return Polarity.NEUTRAL, 1.0
        logits = self.polarity.logits(polarity_features(finding, found, self.idf))
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        best = max(range(len(exps)), key=lambda i: (exps[i], -i))
        return self.polarity_classes[best], exps[best] / sum(exps)

    def _explain(
        self,
        index: int,
        values: dict[str, float],
        found: Terms,
        evidence: dict[Theme, ThemeEvidence],
        text: str,
    ) -> tuple[str, ...]:
        """The words and phrases of the text that weighed most for theme ``index``: phrases
        by their own weight, and the lexicon's matched words by the weight of its figures."""
        weights = self.themes.weights
        candidates: list[tuple[float, int, tuple[str, ...]]] = []
        for gram, span in found.spans.items():
            row = weights.get(gram)
            if row is not None and gram in values:
                candidates.append((values[gram] * row[index], span[0], (_words(text, span),)))
        theme = self.theme_classes[index]
        prefix = f"lexicon={theme.value}:"
        lexicon = sum(
            value * weights[name][index]
            for name, value in values.items()
            if name.startswith(prefix) and name in weights
        )
        if theme in evidence:
            candidates.append((lexicon, -1, evidence[theme].words))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        chosen: list[str] = []
        floor = candidates[0][0] * EXPLAINED_SHARE if candidates else 0.0
        for contribution, _, phrases in candidates:
            if chosen and (contribution <= 0 or contribution < floor):
                break
            for phrase in phrases:
                low = phrase.lower()
                if any(low in other.lower() or other.lower() in low for other in chosen):
                    continue
                chosen.append(phrase)
                if len(chosen) == EXPLAINED_PHRASES:
                    return tuple(chosen)
        return tuple(chosen)


def _words(text: str, span: Span) -> str:
    return text[span[0] : span[1]]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read and check an artefact. Raises :class:`ModelError` naming the file and `make train`
    when it is missing, not JSON, or not a model of this format."""
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
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None if all(checks) else "its parts do not fit together"


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
