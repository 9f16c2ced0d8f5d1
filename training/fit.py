"""Fitting the theme and polarity model: labelled findings in, an artefact (a dict) out.

The features are `app.classifier.features`, the same code the service scores with. The
hyper-parameters (each model's regularisation C), the themes' calibration and the threshold
are chosen by grouped cross-validation *inside* the findings given (whole documents held out
together), so when this runs on the training part of an outer fold it never sees the test part.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from app.classifier.features import (
    CONTEXT_WEIGHT,
    FindingInput,
    Terms,
    context_tokens,
    cue_features,
    lexicon_evidence,
    lexicon_features,
    terms,
    tfidf,
)
from app.classifier.model import FORMAT
from app.vocabulary import Polarity, Theme
from training.data import Example

THEMES = tuple(theme.value for theme in Theme)
POLARITIES = tuple(polarity.value for polarity in Polarity)
NEUTRAL_KINDS = ("recommendation", "priority-action")
MAX_THEMES = 4
THRESHOLDS = tuple(round(0.2 + 0.025 * i, 3) for i in range(21))  # 0.2 to 0.7
SIGNIFICANT_DIGITS = 4


Extra = Callable[[FindingInput, dict[str, float]], dict[str, float]]


@dataclass(frozen=True)
class Settings:
    """What varies between the candidates compared (`training.compare`); the defaults are
    the shipped model's."""

    theme_cs: tuple[float, ...] = (16.0, 64.0)
    polarity_cs: tuple[float, ...] = (2.0, 8.0)
    inner_folds: int = 4
    min_df: int = 2
    ngrams: bool = True
    lexicon: bool = True
    cues: bool = True
    neutral_rule: bool = True
    extra: Callable[[FindingInput], dict[str, float]] | None = field(default=None, compare=False)
    """More features for both models (the embedding candidates of `training.compare`)."""
    theme_extra: Extra | None = field(default=None, compare=False)
    polarity_extra: Extra | None = field(default=None, compare=False)
    """More features (or other values of the usual ones) for one model, from the finding and
    the idf (the tries of `training.tries`)."""
    class_weight: str | None = None
    """scikit-learn's class_weight for the theme models ("balanced": a theme's findings
    weigh as much as the rest)."""
    threshold_per_theme: bool = False


@cache
def _terms(text: str) -> Terms:
    return terms(text)


@cache
def _lexicon(finding: FindingInput) -> dict[str, float]:
    return lexicon_features(lexicon_evidence(finding))


@cache
def _cues(text: str) -> dict[str, float]:
    return cue_features(text)


def idf_of(examples: Sequence[Example], min_df: int) -> dict[str, float]:
    """scikit-learn's smoothed idf, for the words and phrases in at least `min_df` findings."""
    df: dict[str, int] = {}
    for example in examples:
        for gram in _terms(example.finding.text).counts:
            df[gram] = df.get(gram, 0) + 1
    n = len(examples)
    return {
        gram: math.log((1 + n) / (1 + count)) + 1.0
        for gram, count in sorted(df.items())
        if count >= min_df
    }


def theme_values(example: Example, idf: dict[str, float], settings: Settings) -> dict[str, float]:
    finding = example.finding
    values = tfidf(_terms(finding.text), idf) if settings.ngrams else {}
    tokens = context_tokens(finding)
    values.update({token: CONTEXT_WEIGHT / math.sqrt(len(tokens)) for token in tokens})
    if settings.lexicon:
        values.update(_lexicon(finding))
    if settings.extra is not None:
        values.update(settings.extra(finding))
    if settings.theme_extra is not None:
        values.update(settings.theme_extra(finding, idf))
    return values


def polarity_values(
    example: Example, idf: dict[str, float], settings: Settings
) -> dict[str, float]:
    finding = example.finding
    values = tfidf(_terms(finding.text), idf) if settings.ngrams else {}
    values[f"kind={finding.kind}"] = CONTEXT_WEIGHT
    if settings.cues:
        values.update(_cues(finding.text))
    if settings.extra is not None:
        values.update(settings.extra(finding))
    if settings.polarity_extra is not None:
        values.update(settings.polarity_extra(finding, idf))
    return values


@dataclass
class Design:
    """Feature matrices of some examples, columns named."""

    names: list[str]
    index: dict[str, int]

    @classmethod
    def of(cls, rows: list[dict[str, float]]) -> Design:
        names = sorted({name for row in rows for name in row})
        return cls(names, {name: i for i, name in enumerate(names)})

    def matrix(self, rows: list[dict[str, float]]) -> sparse.csr_matrix:
        data: list[float] = []
        cols: list[int] = []
        indptr = [0]
        for row in rows:
            for name, value in row.items():
                col = self.index.get(name)
                if col is not None:
                    cols.append(col)
                    data.append(value)
            indptr.append(len(cols))
        return sparse.csr_matrix(
            (np.array(data), np.array(cols, dtype=np.int64), np.array(indptr)),
            shape=(len(rows), len(self.names)),
        )


def theme_targets(examples: Sequence[Example]) -> np.ndarray:
    return np.array([[t in e.themes for t in THEMES] for e in examples], dtype=int)


def _theme_models(
    x: sparse.csr_matrix, y: np.ndarray, c: float, class_weight: str | None = None
) -> list[LogisticRegression]:
    models = []
    for j in range(y.shape[1]):
        model = LogisticRegression(
            C=c, solver="liblinear", random_state=0, class_weight=class_weight
        )
        if y[:, j].any():
            model.fit(x, y[:, j])
        else:  # a theme absent from the training part: never given
            model.coef_ = np.zeros((1, x.shape[1]))
            model.intercept_ = np.array([-30.0])
            model.classes_ = np.array([0, 1])
        models.append(model)
    return models


def _logits(models: list[LogisticRegression], x: sparse.csr_matrix) -> np.ndarray:
    return np.column_stack([x @ m.coef_[0] + m.intercept_[0] for m in models])


def _polarity_model(x: sparse.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=1000).fit(x, y)


def micro_f1(truth: np.ndarray, given: np.ndarray) -> float:
    tp = int((truth & given).sum())
    wrong = int((truth ^ given).sum())
    return 2 * tp / (2 * tp + wrong) if tp + wrong else 1.0


def decide(scores: np.ndarray, threshold: float | np.ndarray) -> np.ndarray:
    """Themes at or over the threshold, at most MAX_THEMES per finding, highest first."""
    given = (scores >= threshold).astype(int)
    for i in np.where(given.sum(axis=1) > MAX_THEMES)[0]:
        order = sorted(range(scores.shape[1]), key=lambda j: (-scores[i, j], j))
        given[i] = 0
        given[i, order[:MAX_THEMES]] = 1
    return given


def platt(logits: np.ndarray, truth: np.ndarray) -> list[tuple[float, float]]:
    """Per theme (a, b) so that sigmoid(a * logit + b) is a calibrated probability."""
    pairs = []
    for j in range(truth.shape[1]):
        if truth[:, j].min() == truth[:, j].max():
            pairs.append((1.0, 0.0))
            continue
        model = LogisticRegression(C=1e4).fit(logits[:, [j]], truth[:, j])
        pairs.append((float(model.coef_[0, 0]), float(model.intercept_[0])))
    return pairs


def calibrated(logits: np.ndarray, pairs: list[tuple[float, float]]) -> np.ndarray:
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    scores: np.ndarray = 1.0 / (1.0 + np.exp(-(logits * a + b)))
    return scores


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    return max(THRESHOLDS, key=lambda t: (micro_f1(truth, decide(scores, t)), -abs(t - 0.5)))


def best_thresholds(scores: np.ndarray, truth: np.ndarray) -> list[float]:
    """A threshold per theme, each the best for that theme's own F1 (a try, not shipped)."""

    def f1(j: int, t: float) -> float:
        given = (scores[:, j] >= t).astype(int)
        tp = int((given & truth[:, j]).sum())
        wrong = int((given ^ truth[:, j]).sum())
        return 2 * tp / (2 * tp + wrong) if tp + wrong else 0.0

    return [max(THRESHOLDS, key=lambda t: (f1(j, t), -abs(t - 0.5))) for j in range(truth.shape[1])]


def groups_of(examples: Sequence[Example]) -> np.ndarray:
    names = sorted({e.group for e in examples})
    return np.array([names.index(e.group) for e in examples])


@dataclass
class Fitted:
    """What fitting chose, and the artefact."""

    theme_c: float
    polarity_c: float
    threshold: float
    artefact: dict[str, Any]


def fit(examples: Sequence[Example], settings: Settings = Settings()) -> Fitted:
    """Choose C, calibration and threshold by grouped CV inside `examples`, then fit on all."""
    examples = list(examples)
    y_theme = theme_targets(examples)
    polar = [i for i, e in enumerate(examples) if not _neutral(e, settings)]
    polar_set = set(polar)
    ruled = [i for i in range(len(examples)) if i not in polar_set]
    y_polarity = np.array([POLARITIES.index(e.polarity) for e in examples])
    groups = groups_of(examples)
    folds = list(GroupKFold(settings.inner_folds).split(examples, groups=groups))
    theme_oof = {c: np.zeros(y_theme.shape) for c in settings.theme_cs}
    polarity_oof = {c: np.zeros(len(examples), dtype=int) for c in settings.polarity_cs}
    for train, test in folds:
        part = [examples[i] for i in train]
        idf = idf_of(part, settings.min_df)
        rows = [theme_values(e, idf, settings) for e in part]
        design = Design.of(rows)
        x_train = design.matrix(rows)
        x_test = design.matrix([theme_values(examples[i], idf, settings) for i in test])
        for c in settings.theme_cs:
            models = _theme_models(x_train, y_theme[train], c, settings.class_weight)
            theme_oof[c][test] = _logits(models, x_test)
        p_train = [i for i in train if i in polar_set]
        rows = [polarity_values(examples[i], idf, settings) for i in p_train]
        design = Design.of(rows)
        x_train = design.matrix(rows)
        x_test = design.matrix([polarity_values(examples[i], idf, settings) for i in test])
        for c in settings.polarity_cs:
            model = _polarity_model(x_train, y_polarity[p_train], c)
            polarity_oof[c][test] = model.classes_[model.decision_function(x_test).argmax(1)]
    best: tuple[float, float, float, list[tuple[float, float]]] | None = None
    for c in settings.theme_cs:
        pairs = platt(theme_oof[c], y_theme)
        scores = calibrated(theme_oof[c], pairs)
        threshold: Any = (
            best_thresholds(scores, y_theme)
            if settings.threshold_per_theme
            else best_threshold(scores, y_theme)
        )
        score = micro_f1(y_theme, decide(scores, np.array(threshold)))
        if best is None or score > best[0]:
            best = (score, c, threshold, pairs)
    assert best is not None
    _, theme_c, threshold, pairs = best
    neutral = POLARITIES.index("neutral")

    def accuracy(c: float) -> float:
        predicted = polarity_oof[c].copy()
        predicted[ruled] = neutral
        return float((predicted == y_polarity).mean())

    polarity_c = max(settings.polarity_cs, key=lambda c: (accuracy(c), -c))
    artefact = _final(examples, settings, theme_c, polarity_c, threshold, pairs, polar)
    return Fitted(theme_c, polarity_c, threshold, artefact)


def _neutral(example: Example, settings: Settings) -> bool:
    return settings.neutral_rule and example.finding.kind in NEUTRAL_KINDS


def _final(
    examples: list[Example],
    settings: Settings,
    theme_c: float,
    polarity_c: float,
    threshold: float,
    pairs: list[tuple[float, float]],
    polar: list[int],
) -> dict[str, Any]:
    idf = idf_of(examples, settings.min_df)
    rows = [theme_values(e, idf, settings) for e in examples]
    design = Design.of(rows)
    models = _theme_models(
        design.matrix(rows), theme_targets(examples), theme_c, settings.class_weight
    )
    theme_weights = np.column_stack([m.coef_[0] for m in models])
    p_rows = [polarity_values(examples[i], idf, settings) for i in polar]
    p_design = Design.of(p_rows)
    y = np.array([POLARITIES.index(examples[i].polarity) for i in polar])
    polarity = _polarity_model(p_design.matrix(p_rows), y, polarity_c)
    classes = [POLARITIES[k] for k in polarity.classes_]
    body: dict[str, Any] = {
        "format": FORMAT,
        "trained_on": {
            "findings": len(examples),
            "documents": len({e.document for e in examples}),
            "theme_c": theme_c,
            "polarity_c": polarity_c,
        },
        "idf": {gram: _round(value) for gram, value in idf.items()},
        "themes": {
            "classes": list(THEMES),
            "intercepts": [_round(m.intercept_[0]) for m in models],
            "calibration": [[_round(a), _round(b)] for a, b in pairs],
            "threshold": threshold,
            "max_themes": MAX_THEMES,
            "weights": {
                name: [_round(w) for w in theme_weights[i]] for i, name in enumerate(design.names)
            },
        },
        "polarity": {
            "classes": classes,
            "intercepts": [_round(b) for b in polarity.intercept_],
            "neutral_kinds": list(NEUTRAL_KINDS) if settings.neutral_rule else [],
            "weights": {
                name: [_round(w) for w in polarity.coef_[:, i]]
                for i, name in enumerate(p_design.names)
            },
        },
    }
    return body


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _round(value: float) -> float:
    return float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")


def dumps(body: dict[str, Any]) -> str:
    """The artefact as JSON, one weight row a line, so that a retrained model diffs by row. Its
    version is the format and the start of the sha256 of the rest."""
    digest = hashlib.sha256(_lines(body).encode()).hexdigest()[:12]
    return _lines({"format": FORMAT, "version": f"{FORMAT}.{digest}", **body})


def _lines(artefact: dict[str, Any]) -> str:
    lines = ["{"]
    items = list(artefact.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if isinstance(value, dict) and key in ("idf", "themes", "polarity"):
            lines.append(f"{json.dumps(key)}: {{")
            inner = list(value.items())
            for m, (k, v) in enumerate(inner):
                c = "," if m < len(inner) - 1 else ""
                if isinstance(v, dict):
                    rows = [
                        f"{json.dumps(a, ensure_ascii=False)}: {json.dumps(b)}"
                        for a, b in v.items()
                    ]
                    lines.append(f"{json.dumps(k)}: {{\n" + ",\n".join(rows) + f"\n}}{c}")
                else:
                    lines.append(f"{_json(k)}: {_json(v)}{c}")
            lines.append(f"}}{comma}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"
