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
from dataclasses import dataclass
from functools import cache
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import numpy as np

from app.classifier.features import (
    FindingInput,
    Span,
    Terms,
    lexicon_evidence,
    polarity_features,
    terms,
    tfidf,
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


class _Linear:
    """Linear models over named features: one weight row a feature, one column a class."""

    def __init__(self, part: dict[str, Any]) -> None:
        self.classes: tuple[str, ...] = tuple(part["classes"])
        self.intercepts = np.array(part["intercepts"], dtype=np.float64)
        weights: dict[str, list[float]] = part["weights"]
        self.index = {name: i for i, name in enumerate(weights)}
        size = len(weights) * len(self.classes)
        flat = np.fromiter(chain.from_iterable(weights.values()), np.float64, count=size)
        self.weights = flat.reshape(len(weights), len(self.classes))

    def logits(self, values: dict[str, float]) -> list[float]:
        return [float(z) for z in self.score_all([values])[2][0]]

    def score_all(
        self, findings: list[dict[str, float]]
    ) -> tuple[list[list[str]], list[np.ndarray], list[list[float]]]:
        """For each finding's features: the known names, each one's contribution to each
        class (value times weight), and the class logits (their sums plus the intercepts)."""
        index = self.index
        names = [[name for name in values if name in index] for values in findings]
        if not findings:
            return [], [], []
        rows = [index[name] for found in names for name in found]
        values = [
            values[name] for values, found in zip(findings, names, strict=True) for name in found
        ]
        products = np.array(values, dtype=np.float64)[:, None] * self.weights[rows]
        bounds = np.cumsum([0, *(len(found) for found in names)])
        contributions = [products[a:b] for a, b in pairwise(bounds)]
        logits = [(self.intercepts + part.sum(axis=0)).tolist() for part in contributions]
        return names, contributions, logits


class Model:
    """A loaded artefact. Build it with :func:`load_model`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.idf: dict[str, float] = data["idf"]
        themes = data["themes"]
        self.themes = _Linear(themes)
        self.theme_classes = tuple(Theme(name) for name in themes["classes"])
        self.calibration: list[tuple[float, float]] = [tuple(ab) for ab in themes["calibration"]]
        self.threshold: float = themes["threshold"]
        self.max_themes: int = themes["max_themes"]
        polarity = data["polarity"]
        self.polarity = _Linear(polarity)
        self.polarity_classes = tuple(Polarity(name) for name in polarity["classes"])
        self.neutral_kinds = frozenset(polarity["neutral_kinds"])

    def classify(self, finding: FindingInput) -> Labels:
        return self.classify_all([finding])[0]

    def classify_all(self, findings: Sequence[FindingInput]) -> list[Labels]:
        """Each finding's labels. The weights of all of them are gathered and summed at once
        (a document's findings cost a few array operations, not a few per finding)."""
        prepared: list[tuple[FindingInput, Terms, dict[Theme, ThemeEvidence], dict[str, float]]]
        prepared = []
        for finding in findings:
            found = terms(finding.text)
            if found.words < 2:
                continue
            prepared.append((finding, found, lexicon_evidence(finding), tfidf(found, self.idf)))
        theme_rows = [theme_features(f, words, evidence) for f, _, evidence, words in prepared]
        names, contributions, theme_logits = self.themes.score_all(theme_rows)
        polar = [k for k, (f, *_) in enumerate(prepared) if f.kind not in self.neutral_kinds]
        polarity_rows = [polarity_features(prepared[k][0], prepared[k][3]) for k in polar]
        polarity_logits = dict(zip(polar, self.polarity.score_all(polarity_rows)[2], strict=True))
        labelled: dict[int, Labels] = {}
        for k, (finding, found, evidence, _) in enumerate(prepared):
            scores = self._calibrated(theme_logits[k])
            ranked = sorted(
                (i for i, score in enumerate(scores) if score >= self.threshold),
                key=lambda i: (-scores[i], i),
            )[: self.max_themes]
            themes = tuple(
                ThemeMatch(
                    self.theme_classes[i],
                    self._explain(
                        i, names[k], contributions[k][:, i], found, evidence, finding.text
                    ),
                    round(scores[i], 4),
                )
                for i in ranked
            )
            polarity, score = (
                self._softmax(polarity_logits[k])
                if k in polarity_logits
                else (Polarity.NEUTRAL, 1.0)
            )
            labelled[id(finding)] = Labels(themes, polarity, round(score, 4))
        nothing = Labels((), Polarity.NEUTRAL, 1.0)
        return [labelled.get(id(finding), nothing) for finding in findings]

    def theme_scores(self, finding: FindingInput) -> list[float]:
        """Every theme's calibrated probability, in the artefact's class order."""
        found = terms(finding.text)
        if found.words < 2:
            return [0.0] * len(self.theme_classes)
        return self.theme_scores_of(
            theme_features(finding, tfidf(found, self.idf), lexicon_evidence(finding))
        )

    def theme_scores_of(self, values: dict[str, float]) -> list[float]:
        return self._calibrated(self.themes.logits(values))

    def _calibrated(self, logits: Any) -> list[float]:
        return [
            _sigmoid(a * float(z) + b) for z, (a, b) in zip(logits, self.calibration, strict=True)
        ]

    def _softmax(self, logits: Any) -> tuple[Polarity, float]:
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        best = max(range(len(exps)), key=lambda i: (exps[i], -i))
        return self.polarity_classes[best], exps[best] / sum(exps)

    def _explain(
        self,
        index: int,
        names: list[str],
        contributions: np.ndarray,
        found: Terms,
        evidence: dict[Theme, ThemeEvidence],
        text: str,
    ) -> tuple[str, ...]:
        """The words and phrases of the text that weighed most for theme ``index``: phrases
        by their own weight, and the lexicon's matched words by the weight of its figures."""
        theme = self.theme_classes[index]
        prefix = f"lexicon={theme.value}:"
        spans = found.spans
        lexicon = 0.0
        for k in range(len(names) - 1, -1, -1):  # the lexicon's figures come last
            if not names[k].startswith("lexicon="):
                break
            if names[k].startswith(prefix) and contributions[k] > 0:
                lexicon += float(contributions[k])
        # The weightiest first; phrases before the lexicon's words on a tie.
        order = np.argsort(-contributions, kind="stable")[: 4 * EXPLAINED_PHRASES].tolist()
        candidates: list[tuple[float, tuple[str, ...]]] = [
            (float(contributions[k]), (_words(text, spans[names[k]]),))
            for k in order
            if names[k] in spans and contributions[k] > 0
        ]
        if theme in evidence and lexicon > 0:
            candidates.append((lexicon, evidence[theme].words))
            candidates.sort(key=lambda c: -c[0])
        chosen: list[str] = []
        floor = candidates[0][0] * EXPLAINED_SHARE if candidates else 0.0
        for contribution, phrases in candidates:
            if chosen and contribution < floor:
                break
            for phrase in phrases:
                low = phrase.lower()
                if any(low in other.lower() or other.lower() in low for other in chosen):
                    continue
                chosen.append(phrase)
                if len(chosen) == EXPLAINED_PHRASES:
                    return tuple(chosen)
        if not chosen and len(order):
            # Nothing weighed for it: the theme came from context; name its weightiest word.
            gram = next((names[k] for k in order if names[k] in spans), None)
            if gram is not None:
                chosen.append(_words(text, spans[gram]))
        return tuple(chosen)


def _words(text: str, span: Span) -> str:
    return text[span[0] : span[1]]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


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
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None if all(checks) else "its parts do not fit together"


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
