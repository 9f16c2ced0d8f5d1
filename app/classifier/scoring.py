"""A document's findings scored at once: the weights of every finding's words gathered from
the artefact in a few array operations, then each finding's themes, explanations and polarity.

The features are those of ``app.classifier.features`` (what the model was trained on): for
the words and two-word phrases, the sublinear tf-idf, L2-normalised per finding; for the
rest (kind, judgement area, section words, the lexicon's and the cues' figures), the named
values. A finding's logit for a class is the sum of value times weight over its features.
``training.reference`` computes the same labels one finding at a time from the named
features (the way they were trained), and a test holds the two equal on every labelled
finding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_not
from typing import TYPE_CHECKING, Any

import numpy as np

from app.classifier.features import (
    CONTEXT_WEIGHT,
    FindingInput,
    Terms,
    context_features,
    cue_features,
    lexicon_evidence,
    lexicon_features,
    terms,
)
from app.classifier.lexicon import ThemeEvidence
from app.vocabulary import Polarity, Theme

if TYPE_CHECKING:
    from app.classifier.model import Model

EXPLAINED_PHRASES = 3
"""At most this many words or phrases are named for a theme..."""
EXPLAINED_SHARE = 0.25
"""... each weighing at least this share of the one that weighed most."""
LEXICON_PREFIX = "lexicon="


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


NOTHING = Labels((), Polarity.NEUTRAL, 1.0)
"""A finding of fewer than two words: no theme, neutral."""


class Linear:
    """Linear models over named features: one weight row a feature, one column a class, and a
    last row of zeros for a feature the model does not know."""

    def __init__(self, part: dict[str, Any]) -> None:
        self.classes: tuple[str, ...] = tuple(part["classes"])
        self.intercepts = np.array(part["intercepts"], dtype=np.float64)
        weights: dict[str, list[float]] = part["weights"]
        self.index = {name: i for i, name in enumerate(weights)}
        self.unknown = len(weights)
        rows = [*weights.values(), [0.0] * len(self.classes)]
        self.by_class = np.ascontiguousarray(np.array(rows, dtype=np.float64).T)
        """One row of weights a class (what scoring reads)..."""
        self.weights = self.by_class.T
        """... and the same numbers a row a feature."""

    def rows(self, names: Sequence[str]) -> list[int]:
        index, unknown = self.index, self.unknown
        return [index.get(name, unknown) for name in names]


@dataclass(slots=True)
class _Finding:
    """One finding being scored: its position in the batch, its words, and its other
    features (names known to the model, values)."""

    position: int
    finding: FindingInput
    found: Terms
    grams: list[str]
    """Its words and phrases the artefact knows (has an idf for), in order of first use..."""
    gram_ids: list[int]
    """... their numbers in the artefact's vocabulary ..."""
    counts: list[int]
    """... and how often each occurs."""
    evidence: dict[Theme, ThemeEvidence]
    theme_extra: list[tuple[str, float]]
    polarity_extra: list[tuple[str, float]] | None
    """None: a kind that is always neutral."""


def label_findings(model: Model, findings: Sequence[FindingInput]) -> list[Labels]:
    """Each finding's labels."""
    labels = [NOTHING] * len(findings)
    batch = [f for k, finding in enumerate(findings) if (f := _prepare(model, k, finding))]
    if not batch:
        return labels
    words = _word_values(model, batch)
    everything = list(range(len(batch)))
    extras = [f.theme_extra for f in batch]
    themes = _Features(model.themes, words, everything, model.theme_rows, extras)
    scores = _calibrated(themes.logits, model.calibration)
    polar = [k for k, f in enumerate(batch) if f.polarity_extra is not None]
    polarity_of: dict[int, np.ndarray] = {}
    if polar:
        extras = [batch[k].polarity_extra or [] for k in polar]
        leaning = _Features(model.polarity, words, polar, model.polarity_rows, extras)
        polarity_of = dict(zip(polar, leaning.logits, strict=True))
    for k, f in enumerate(batch):
        row = scores[k]
        ranked = sorted(
            (int(i) for i in np.flatnonzero(row >= model.threshold)),
            key=lambda i: (-row[i], i),
        )[: model.max_themes]
        names = [*f.grams, *(name for name, _ in f.theme_extra)] if ranked else []
        given = tuple(
            ThemeMatch(
                model.theme_classes[i],
                explain(
                    model.theme_classes[i],
                    names,
                    themes.contributions(k, i),
                    len(f.grams),
                    f.found,
                    f.evidence,
                    f.finding.text,
                ),
                round(float(row[i]), 4),
            )
            for i in ranked
        )
        polarity, score = (
            softmax(model.polarity_classes, polarity_of[k])
            if k in polarity_of
            else (Polarity.NEUTRAL, 1.0)
        )
        labels[f.position] = Labels(given, polarity, round(score, 4))
    return labels


def _prepare(model: Model, position: int, finding: FindingInput) -> _Finding | None:
    """A finding's features, or None for one of fewer than two words."""
    found = terms(finding.text)
    if found.words < 2:
        return None
    counts = found.counts
    ids = list(map(model.vocabulary.get, counts))
    known = list(map(is_not, ids, repeat(None)))
    evidence = lexicon_evidence(finding)
    themes_index = model.themes.index
    theme_extra = [
        item
        for values in (context_features(finding), lexicon_features(evidence))
        for item in values.items()
        if item[0] in themes_index
    ]
    polarity_extra = None
    if finding.kind not in model.neutral_kinds:
        values = {f"kind={finding.kind}": CONTEXT_WEIGHT, **cue_features(finding.text)}
        polarity_extra = [item for item in values.items() if item[0] in model.polarity.index]
    return _Finding(
        position,
        finding,
        found,
        list(compress(counts, known)),
        list(compress(ids, known)),  # type: ignore[arg-type]
        list(compress(counts.values(), known)),
        evidence,
        theme_extra,
        polarity_extra,
    )


@dataclass(frozen=True, slots=True)
class _Words:
    """The known words and phrases of a batch of findings, finding after finding: their
    numbers in the vocabulary, their tf-idf, and where each finding's run of them starts."""

    ids: np.ndarray
    values: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray


def _word_values(model: Model, batch: list[_Finding]) -> _Words:
    ids = np.array([i for f in batch for i in f.gram_ids], dtype=np.intp)
    count = np.array([n for f in batch for n in f.counts], dtype=np.float64)
    lengths = np.array([len(f.grams) for f in batch], dtype=np.intp)
    tf = np.where(count == 1.0, 1.0, 1.0 + np.log(count)) * model.idf_values[ids]
    owner = np.repeat(np.arange(len(batch)), lengths)
    norms = np.sqrt(np.bincount(owner, weights=tf * tf, minlength=len(batch)))
    values = tf / norms[owner] if len(tf) else tf
    return _Words(ids, values, np.cumsum(lengths) - lengths, lengths)


class _Features:
    """One linear model's features of some findings of a batch (``which``: their numbers in
    it), laid out finding after finding, each finding's words and phrases first and its
    named features (``extras``) after them, the order of ``training.reference``: the logits,
    and each feature's value times weight."""

    def __init__(
        self,
        linear: Linear,
        words: _Words,
        which: list[int],
        gram_rows: np.ndarray,
        extras: list[list[tuple[str, float]]],
    ) -> None:
        word_lengths = words.lengths[which]
        extra_lengths = np.array([len(items) for items in extras], dtype=np.intp)
        self.lengths = word_lengths + extra_lengths
        self.starts = np.cumsum(self.lengths) - self.lengths
        source = _runs(words.starts[which], word_lengths)
        target = _runs(self.starts, word_lengths)
        extra_target = _runs(self.starts + word_lengths, extra_lengths)
        size = int(self.lengths.sum())
        self.values = np.empty(size)
        self.rows = np.empty(size, dtype=np.intp)
        self.values[target] = words.values[source]
        self.rows[target] = gram_rows[words.ids[source]]
        self.values[extra_target] = [value for items in extras for _, value in items]
        self.rows[extra_target] = [linear.index[name] for items in extras for name, _ in items]
        self.by_class = linear.by_class
        # Class by class, so that no array is larger than one weight per feature (a document
        # of many findings would otherwise make megabytes of temporaries in a fresh worker).
        owner = np.repeat(np.arange(len(which)), self.lengths)
        sums = [
            np.bincount(owner, weights=self.values * weights[self.rows], minlength=len(which))
            for weights in self.by_class
        ]
        self.logits: np.ndarray = np.column_stack(sums) + linear.intercepts

    def contributions(self, k: int, i: int) -> np.ndarray:
        """Each feature's value times weight for class ``i``, of the k-th finding."""
        part = slice(self.starts[k], self.starts[k] + self.lengths[k])
        contribution: np.ndarray = self.values[part] * self.by_class[i][self.rows[part]]
        return contribution


def _runs(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ..., start + length - 1 of each run, one after another."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


def _calibrated(logits: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """Platt scaling of each theme's logit: sigmoid(a * logit + b)."""
    x = logits * calibration[:, 0] + calibration[:, 1]
    e = np.exp(-np.abs(x))
    probability: np.ndarray = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return probability


def softmax(classes: Sequence[Polarity], logits: Any) -> tuple[Polarity, float]:
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    best = max(range(len(exps)), key=lambda i: (exps[i], -i))
    return classes[best], exps[best] / sum(exps)


def explain(
    theme: Theme,
    names: list[str],
    contributions: np.ndarray,
    grams: int,
    found: Terms,
    evidence: dict[Theme, ThemeEvidence],
    text: str,
) -> tuple[str, ...]:
    """The words and phrases of the text that weighed most for ``theme``: phrases by their
    own weight, and the lexicon's matched words by the weight of its figures. ``names``: the
    features' names (the first ``grams`` of them the text's words and phrases, the lexicon's
    figures last), ``contributions``: each one's value times weight for the theme."""
    prefix = f"{LEXICON_PREFIX}{theme.value}:"
    values: list[float] = contributions.tolist()
    lexicon = 0.0
    for k in range(len(names) - 1, grams - 1, -1):  # the lexicon's figures come last
        name = names[k]
        if not name.startswith(LEXICON_PREFIX):
            break
        if name.startswith(prefix) and values[k] > 0:
            lexicon += values[k]
    # The weightiest first; phrases before the lexicon's words on a tie.
    order = np.argsort(-contributions, kind="stable")[: 4 * EXPLAINED_PHRASES].tolist()
    candidates: list[tuple[float, tuple[str, ...]]] = [
        (values[k], (_words(text, found, names[k]),)) for k in order if k < grams and values[k] > 0
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
    if not chosen and order:
        # Nothing weighed for it: the theme came from context; name its weightiest word.
        gram = next((k for k in order if k < grams), None)
        if gram is not None:
            chosen.append(_words(text, found, names[gram]))
    return tuple(chosen)


def _words(text: str, found: Terms, gram: str) -> str:
    start, end = found.span(gram)
    return text[start:end]
