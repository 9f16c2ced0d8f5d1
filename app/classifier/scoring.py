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
        self.weights = np.array(rows, dtype=np.float64)

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
    words = _WordValues(model, batch)
    theme_logits, word_contributions = words.logits(model.themes, model.theme_rows)
    theme_logits += _extra_logits(model.themes, [f.theme_extra for f in batch])
    scores = _calibrated(theme_logits, model.calibration)
    polar = [k for k, f in enumerate(batch) if f.polarity_extra is not None]
    polarity_of: dict[int, np.ndarray] = {}
    if polar:
        polarity_logits, _ = words.logits(model.polarity, model.polarity_rows, polar)
        polarity_logits += _extra_logits(
            model.polarity, [batch[k].polarity_extra or [] for k in polar]
        )
        polarity_of = dict(zip(polar, polarity_logits, strict=True))
    for k, f in enumerate(batch):
        row = scores[k]
        ranked = sorted(
            (int(i) for i in np.flatnonzero(row >= model.threshold)),
            key=lambda i: (-row[i], i),
        )[: model.max_themes]
        themes = tuple(
            ThemeMatch(
                model.theme_classes[i],
                _explained(model, f, i, word_contributions(k, i)),
                round(float(row[i]), 4),
            )
            for i in ranked
        )
        polarity, score = (
            softmax(model.polarity_classes, polarity_of[k])
            if k in polarity_of
            else (Polarity.NEUTRAL, 1.0)
        )
        labels[f.position] = Labels(themes, polarity, round(score, 4))
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


def _explained(model: Model, f: _Finding, i: int, words: np.ndarray) -> tuple[str, ...]:
    """What to name for theme ``i`` of a finding; ``words``: its words' contributions."""
    weights = model.themes.weights
    index = model.themes.index
    others = [value * weights[index[name], i] for name, value in f.theme_extra]
    return explain(
        model.theme_classes[i],
        [*f.grams, *(name for name, _ in f.theme_extra)],
        np.concatenate([words, others]),
        len(f.grams),
        f.found,
        f.evidence,
        f.finding.text,
    )


class _WordValues:
    """The tf-idf of every known word and phrase of a batch, finding after finding."""

    def __init__(self, model: Model, batch: list[_Finding]) -> None:
        self.gram_ids = np.array([i for f in batch for i in f.gram_ids], dtype=np.intp)
        count = np.array([n for f in batch for n in f.counts], dtype=np.float64)
        lengths = np.array([len(f.grams) for f in batch], dtype=np.intp)
        self.ends = np.cumsum(lengths)
        self.starts = self.ends - lengths
        tf = np.where(count == 1.0, 1.0, 1.0 + np.log(count)) * model.idf_values[self.gram_ids]
        owner = np.repeat(np.arange(len(batch)), lengths)
        norms = np.sqrt(np.bincount(owner, weights=tf * tf, minlength=len(batch)))
        self.values = tf / norms[owner] if len(tf) else tf
        self.lengths = lengths

    def logits(
        self, linear: Linear, gram_rows: np.ndarray, which: list[int] | None = None
    ) -> tuple[np.ndarray, Any]:
        """Intercepts plus the words' part of the logits of the findings ``which`` (all by
        default), and a function giving finding k's words' contributions to class i."""
        if which is None:
            selected = np.arange(len(self.lengths))
            positions = np.arange(len(self.gram_ids))
        else:
            selected = np.array(which, dtype=np.intp)
            positions = np.concatenate(
                [np.arange(self.starts[k], self.ends[k]) for k in which]
                or [np.zeros(0, dtype=np.intp)]
            )
        starts, ends = self.starts[selected], self.ends[selected]
        products = (
            self.values[positions, None] * linear.weights[gram_rows[self.gram_ids[positions]]]
        )
        logits = np.tile(linear.intercepts, (len(selected), 1))
        lengths = ends - starts
        filled = np.flatnonzero(lengths)
        if len(filled):
            offsets = (np.cumsum(lengths) - lengths)[filled]
            logits[filled] += np.add.reduceat(products, offsets, axis=0)
        local = np.cumsum(lengths) - lengths

        def contributions(k: int, i: int) -> np.ndarray:
            return products[local[k] : local[k] + lengths[k], i]

        return logits, contributions


def _extra_logits(linear: Linear, extras: list[list[tuple[str, float]]]) -> np.ndarray:
    """The named features' part of the logits: ``extras`` gives each finding's (name,
    value) pairs, all names known to ``linear``."""
    owners = [k for k, items in enumerate(extras) for _ in items]
    rows = [linear.index[name] for items in extras for name, _ in items]
    values = np.array([value for items in extras for _, value in items], dtype=np.float64)
    out = np.zeros((len(extras), len(linear.classes)))
    np.add.at(out, owners, values[:, None] * linear.weights[rows])
    return out


def _calibrated(logits: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """Platt scaling of each theme's logit: sigmoid(a * logit + b)."""
    x = logits * calibration[:, 0] + calibration[:, 1]
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


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
