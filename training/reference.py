"""The model's labels computed one finding at a time from its named features, the way it was
trained (``training.fit``): the reference that ``app.classifier.scoring``, which scores a
document's findings at once, must equal (a test holds them equal on every labelled finding).
"""

from __future__ import annotations

import math

import numpy as np

from app.classifier.features import (
    FindingInput,
    lexicon_evidence,
    polarity_features,
    terms,
    tfidf,
    theme_features,
)
from app.classifier.model import Model
from app.classifier.scoring import NOTHING, Labels, Linear, ThemeMatch, explain, softmax
from app.vocabulary import Polarity


def contributions(linear: Linear, values: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """The features the model knows, in order, and each one's value times weight by class."""
    names = [name for name in values if name in linear.index]
    rows = [linear.index[name] for name in names]
    products = np.array([values[name] for name in names])[:, None] * linear.weights[rows]
    return names, products.reshape(len(names), len(linear.classes))


def logits(linear: Linear, values: dict[str, float]) -> list[float]:
    _, products = contributions(linear, values)
    return [float(z) for z in linear.intercepts + products.sum(axis=0)]


def calibrated(model: Model, values: dict[str, float]) -> list[float]:
    """Every theme's calibrated probability, in the artefact's class order."""
    return [
        _sigmoid(a * z + b)
        for z, (a, b) in zip(logits(model.themes, values), model.calibration.tolist(), strict=True)
    ]


def theme_scores(model: Model, finding: FindingInput) -> list[float]:
    found = terms(finding.text)
    if found.words < 2:
        return [0.0] * len(model.theme_classes)
    values = theme_features(finding, tfidf(found, model.idf), lexicon_evidence(finding))
    return calibrated(model, values)


def label(model: Model, finding: FindingInput) -> Labels:
    found = terms(finding.text)
    if found.words < 2:
        return NOTHING
    words = tfidf(found, model.idf)
    evidence = lexicon_evidence(finding)
    names, products = contributions(model.themes, theme_features(finding, words, evidence))
    scores = calibrated(model, theme_features(finding, words, evidence))
    ranked = sorted(
        (i for i, score in enumerate(scores) if score >= model.threshold),
        key=lambda i: (-scores[i], i),
    )[: model.max_themes]
    grams = sum(1 for name in names if name in found.counts)
    themes = tuple(
        ThemeMatch(
            model.theme_classes[i],
            explain(
                model.theme_classes[i], names, products[:, i], grams, found, evidence, finding.text
            ),
            round(scores[i], 4),
        )
        for i in ranked
    )
    if finding.kind in model.neutral_kinds:
        return Labels(themes, Polarity.NEUTRAL, 1.0)
    polarity, score = softmax(
        model.polarity_classes, logits(model.polarity, polarity_features(finding, words))
    )
    return Labels(themes, polarity, round(score, 4))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
