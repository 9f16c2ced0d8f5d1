"""`python -m training.tries [NAME ...]`: ideas tried to lift the model's accuracy, each under
the same document-grouped cross-validation as `make compare` (five outer folds, whole
documents held out; C fixed at 16 / 4, calibration and threshold chosen inside each fold's
training part; never tuned on a test fold). Each try's figures go to the "tries" part of
`training/comparison.json`, beside the baseline measured the same way.

Only one try helped on held-out documents and was kept: the leaning figures of the polarity
cues (`app.classifier.features._leanings`). The rest are here so that anyone can run them
again. With no NAME, every try runs (about an hour on two cores).
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from app.classifier.cues import _sentence_spans
from app.classifier.features import (
    _WORD,
    FindingInput,
    context_tokens,
    lexicon_evidence,
    lexicon_features,
    terms,
    tfidf,
)
from app.classifier.model import Model
from training import reference
from training.compare import FIXED, REPORT, held_out
from training.data import Example, load_examples
from training.evaluate import OUTER_FOLDS, figures
from training.fit import (
    NEUTRAL_KINDS,
    POLARITIES,
    THEMES,
    Design,
    Settings,
    _polarity_model,
    best_threshold,
    decide,
    dumps,
    fit,
    groups_of,
    idf_of,
    micro_f1,
    polarity_values,
    theme_targets,
)

Features = Callable[[FindingInput, dict[str, float]], dict[str, float]]


@cache
def sentences(text: str) -> tuple[str, ...]:
    norm = " ".join(text.split())
    return tuple(norm[a:b] for a, b in _sentence_spans(norm))


def _prefixed(text: str, idf: dict[str, float], prefix: str, weight: float) -> dict[str, float]:
    return {prefix + gram: value * weight for gram, value in tfidf(terms(text), idf).items()}


def first_sentence(weight: float) -> Features:
    """The words of the first sentence again, as features of their own: what the finding is
    about is usually said first."""

    def features(finding: FindingInput, idf: dict[str, float]) -> dict[str, float]:
        said = sentences(finding.text)
        return _prefixed(said[0], idf, "first=", weight) if len(said) > 1 else {}

    return features


_CONTRAST = re.compile(
    r"^(however|but|although|though|while|whilst|despite|nevertheless|yet)\b", re.IGNORECASE
)


def contrast_sentences(weight: float) -> Features:
    """The words of a sentence opening with "However", "Although" ... as features of their
    own (for polarity: the second point of a mixed finding)."""

    def features(finding: FindingInput, idf: dict[str, float]) -> dict[str, float]:
        values: dict[str, float] = {}
        for sentence in sentences(finding.text):
            if _CONTRAST.match(sentence):
                for name, value in _prefixed(sentence, idf, "contrast=", weight).items():
                    values[name] = max(values.get(name, 0.0), value)
        return values

    return features


def first_and_last_sentences(weight: float) -> Features:
    def features(finding: FindingInput, idf: dict[str, float]) -> dict[str, float]:
        said = sentences(finding.text)
        if len(said) < 2:
            return {}
        return {
            **_prefixed(said[0], idf, "first=", weight),
            **_prefixed(said[-1], idf, "last=", weight),
        }

    return features


def character_grams(weight: float, shortest: int = 3, longest: int = 5) -> Features:
    """Character 3- to 5-grams of each word (with its edges), sublinear tf, L2-normalised."""

    @cache
    def grams(text: str) -> dict[str, float]:
        counts: Counter[str] = Counter()
        for match in _WORD.finditer(text.lower()):
            word = f" {match.group()} "
            for n in range(shortest, longest + 1):
                counts.update("c=" + word[i : i + n] for i in range(len(word) - n + 1))
        values = {gram: 1 + math.log(count) for gram, count in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        return {gram: weight * value / norm for gram, value in values.items()} if norm else {}

    return lambda finding, idf: grams(finding.text)


def context_weight(weight: float) -> Features:
    """The kind, area and section block at another length (shipped: 0.5)."""

    def features(finding: FindingInput, idf: dict[str, float]) -> dict[str, float]:
        tokens = context_tokens(finding)
        return {token: weight / math.sqrt(len(tokens)) for token in tokens}

    return features


def lexicon_scale(factor: float) -> Features:
    """The theme lexicon's figures times `factor`."""

    def features(finding: FindingInput, idf: dict[str, float]) -> dict[str, float]:
        values = lexicon_features(lexicon_evidence(finding))
        return {name: value * factor for name, value in values.items()}

    return features


def cues_by_kind(finding: FindingInput, idf: dict[str, float]) -> dict[str, float]:
    """The cue figures once more, conjoined with the finding's kind (a model per kind)."""
    from app.classifier.features import cue_features

    return {f"{finding.kind}:{name}": value for name, value in cue_features(finding.text).items()}


TRIES: dict[str, Settings] = {
    "baseline": FIXED,
    "themes: words of the first sentence again (x0.5)": replace(
        FIXED, theme_extra=first_sentence(0.5)
    ),
    "themes: words of the first sentence again (x1)": replace(
        FIXED, theme_extra=first_sentence(1.0)
    ),
    "themes: class weights balanced": replace(FIXED, class_weight="balanced"),
    "themes: character 3-5-grams (x0.5)": replace(FIXED, theme_extra=character_grams(0.5)),
    "words and phrases in 2 findings or more -> in 1": replace(FIXED, min_df=1),
    "themes: C 4": replace(FIXED, theme_cs=(4.0,)),
    "themes: C 64": replace(FIXED, theme_cs=(64.0,)),
    "themes: context block 1.0 (shipped 0.5)": replace(FIXED, theme_extra=context_weight(1.0)),
    "themes: context block 0.25": replace(FIXED, theme_extra=context_weight(0.25)),
    "themes: lexicon figures x2": replace(FIXED, theme_extra=lexicon_scale(2.0)),
    "themes: lexicon figures x0.5": replace(FIXED, theme_extra=lexicon_scale(0.5)),
    "themes: a threshold per theme": replace(FIXED, threshold_per_theme=True),
    "polarity: words of a sentence opening with However, Although ... (x0.5)": replace(
        FIXED, polarity_extra=contrast_sentences(0.5)
    ),
    "polarity: words of the first and last sentences (x0.5)": replace(
        FIXED, polarity_extra=first_and_last_sentences(0.5)
    ),
    "polarity: cue figures by kind": replace(FIXED, polarity_extra=cues_by_kind),
    "polarity: C 1": replace(FIXED, polarity_cs=(1.0,)),
    "polarity: C 16": replace(FIXED, polarity_cs=(16.0,)),
}


def run_try(examples: Sequence[Example], settings: Settings) -> dict[str, Any]:
    labels = held_out(examples, settings)
    seed = [i for i, e in enumerate(examples) if e.seed]
    return {
        "held_out": figures(examples, labels),
        "held_out_seed": figures([examples[i] for i in seed], [labels[i] for i in seed]),
    }


# --------------------------------------------------------------------------------------------
# Tries that are not a feature set: a second stage over the first's held-out output
# --------------------------------------------------------------------------------------------


def stacked_themes(examples: Sequence[Example], own_only: bool = False) -> dict[str, Any]:
    """Label co-occurrence: a second logistic regression per theme over every theme's
    first-stage score (held out by inner folds of the training part), its threshold chosen
    on the training part. `own_only`: over the theme's own score alone (a control)."""
    truth = theme_targets(examples)
    given = np.zeros(truth.shape, dtype=int)
    for train, test in GroupKFold(OUTER_FOLDS).split(examples, groups=groups_of(examples)):
        part = [examples[i] for i in train]
        inner = np.zeros((len(part), len(THEMES)))
        for fit_on, score_on in GroupKFold(3).split(part, groups=groups_of(part)):
            model = _model(fit([part[i] for i in fit_on], FIXED).artefact)
            inner[score_on] = _scores(model, [part[i] for i in score_on])
        model = _model(fit(part, FIXED).artefact)
        outer = _scores(model, [examples[i] for i in test])
        target = theme_targets(part)
        fitted_part = np.zeros_like(inner)
        tested = np.zeros_like(outer)
        for j in range(len(THEMES)):
            columns = [j] if own_only else list(range(len(THEMES)))
            second = LogisticRegression(C=1.0, max_iter=1000)
            second.fit(_logit(inner[:, columns]), target[:, j])
            fitted_part[:, j] = second.predict_proba(_logit(inner[:, columns]))[:, 1]
            tested[:, j] = second.predict_proba(_logit(outer[:, columns]))[:, 1]
        given[test] = decide(tested, best_threshold(fitted_part, target))
    seed = [i for i, e in enumerate(examples) if e.seed]
    return {
        "theme_micro_f1": round(micro_f1(truth, given), 3),
        "seed_theme_micro_f1": round(micro_f1(truth[seed], given[seed]), 3),
    }


def two_stage_polarity(
    examples: Sequence[Example], weight: float = 1.0, extra: Features | None = None
) -> dict[str, Any]:
    """Sentence-level aggregation: the polarity model of the training part applied to each
    sentence of a finding alone; the largest and mean probability of each class over the
    sentences, the share of sentences that lean to it, and the whole finding's probability
    become features of a second polarity model (held out by inner folds for its training)."""
    predicted = [""] * len(examples)
    for train, test in GroupKFold(OUTER_FOLDS).split(examples, groups=groups_of(examples)):
        part = [examples[i] for i in train]
        inner: list[dict[str, float]] = [{} for _ in part]
        for fit_on, score_on in GroupKFold(3).split(part, groups=groups_of(part)):
            first = _first_stage([part[i] for i in fit_on], extra)
            for i, values in zip(
                score_on, _aggregates(first, [part[i] for i in score_on], extra), strict=True
            ):
                inner[i] = values
        first = _first_stage(part, extra)
        outer = _aggregates(first, [examples[i] for i in test], extra)
        idf = first[0]
        polar = [i for i, e in enumerate(part) if e.finding.kind not in NEUTRAL_KINDS]
        training_rows = _second_rows(
            [part[i] for i in polar], [inner[i] for i in polar], idf, weight, extra
        )
        design = Design.of(training_rows)
        target = np.array([POLARITIES.index(part[i].polarity) for i in polar])
        second = _polarity_model(design.matrix(training_rows), target, 4.0)
        chosen = [examples[i] for i in test]
        tested = design.matrix(_second_rows(chosen, outer, idf, weight, extra))
        for i, cls in zip(test, second.predict(tested), strict=True):
            neutral = examples[i].finding.kind in NEUTRAL_KINDS
            predicted[i] = "neutral" if neutral else POLARITIES[cls]
    seed = [i for i, e in enumerate(examples) if e.seed]
    right = [p == e.polarity for p, e in zip(predicted, examples, strict=True)]
    return {
        "polarity_accuracy": round(float(np.mean(right)), 3),
        "seed_polarity_accuracy": round(float(np.mean([right[i] for i in seed])), 3),
    }


def _model(artefact: dict[str, Any]) -> Model:
    return Model(json.loads(dumps(artefact)))


def _scores(model: Model, examples: Sequence[Example]) -> np.ndarray:
    return np.array([reference.theme_scores(model, e.finding) for e in examples])


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    logits: np.ndarray = np.log(p / (1 - p))
    return logits


def _second_rows(
    chosen: Sequence[Example],
    aggregates: list[dict[str, float]],
    idf: dict[str, float],
    weight: float,
    extra: Features | None,
) -> list[dict[str, float]]:
    out = []
    for example, values in zip(chosen, aggregates, strict=True):
        row = _polarity_row(example, idf, extra)
        row.update({name: value * weight for name, value in values.items()})
        out.append(row)
    return out


def _polarity_row(
    example: Example, idf: dict[str, float], extra: Features | None
) -> dict[str, float]:
    row = polarity_values(example, idf, FIXED)
    if extra is not None:
        row.update(extra(example.finding, idf))
    return row


def _first_stage(part: Sequence[Example], extra: Features | None) -> tuple[Any, Design, Any]:
    idf = idf_of(part, 2)
    polar = [e for e in part if e.finding.kind not in NEUTRAL_KINDS]
    rows = [_polarity_row(e, idf, extra) for e in polar]
    design = Design.of(rows)
    target = np.array([POLARITIES.index(e.polarity) for e in polar])
    return idf, design, _polarity_model(design.matrix(rows), target, 4.0)


def _aggregates(
    first: tuple[Any, Design, Any], chosen: Sequence[Example], extra: Features | None
) -> list[dict[str, float]]:
    idf, design, model = first
    out = []
    for example in chosen:
        parts = [
            replace(example, finding=replace(example.finding, text=sentence))
            for sentence in sentences(example.finding.text)
        ]
        each = model.predict_proba(design.matrix([_polarity_row(e, idf, extra) for e in parts]))
        whole = model.predict_proba(design.matrix([_polarity_row(example, idf, extra)]))[0]
        values = {}
        for k, cls in enumerate(model.classes_):
            name = POLARITIES[cls]
            values[f"agg=max:{name}"] = float(each[:, k].max())
            values[f"agg=mean:{name}"] = float(each[:, k].mean())
            values[f"agg=whole:{name}"] = float(whole[k])
            values[f"agg=argmax:{name}"] = float((each.argmax(1) == k).mean())
        out.append(values)
    return out


SPECIAL: dict[str, Callable[[Sequence[Example]], dict[str, Any]]] = {
    "themes: second stage over the theme's own score (control)": lambda ex: stacked_themes(
        ex, own_only=True
    ),
    "themes: second stage over every theme's score (label co-occurrence)": stacked_themes,
    "polarity: sentence-level aggregation, two stages": two_stage_polarity,
}


def main(argv: list[str] | None = None) -> int:
    names = argv if argv is not None else sys.argv[1:]
    unknown = set(names) - set(TRIES) - set(SPECIAL)
    if unknown:
        print(f"unknown tries: {sorted(unknown)}; known: {[*TRIES, *SPECIAL]}", file=sys.stderr)
        return 2
    examples = load_examples()
    report = json.loads(REPORT.read_text())
    tries = report.setdefault("tries", {})
    for name in names or [*TRIES, *SPECIAL]:
        started = time.perf_counter()
        measured = SPECIAL[name](examples) if name in SPECIAL else run_try(examples, TRIES[name])
        tries[name] = {"features": "the shipped features", "measured": measured}
        print(f"{name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        REPORT.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
