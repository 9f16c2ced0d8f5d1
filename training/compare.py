"""`make compare`: the candidates the model was chosen from, under the same document-grouped
cross-validation.

Each candidate is a feature set for the same two linear models (one logistic regression per
theme, a multinomial one for polarity). To keep the comparison to minutes, C is fixed (16 for
the themes, 4 for polarity: the middle of the shipped grids); each fold's calibration and
threshold are still chosen by inner folds of its training part. `make eval` gives the shipped
candidate's fully nested figures.

* `ngrams`: words and two-word phrases (tf-idf), with the kind, judgement area and section;
* `embedding`: wordllama's bundled 256-dimension model (the mean of its token vectors, unit
  length; read from the wheel, never downloaded), with the same context;
* `ngrams+embedding`;
* `ngrams+lexicon`: n-grams with the theme lexicon's and polarity cues' figures (shipped);
* `ngrams+lexicon+embedding`;
* `lexicon, no rule`: the shipped features without the rule that recommendations and priority
  actions are neutral.

Writes `training/comparison.json`; with `--learning-curve`, adds the shipped candidate's
figures when trained on part of each fold's training documents.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from app.classifier.features import FindingInput
from app.classifier.model import Model
from app.classifier.scoring import softmax
from training import reference
from training.data import Example, load_examples
from training.evaluate import OUTER_FOLDS, figures
from training.fit import (
    Settings,
    decide,
    dumps,
    fit,
    groups_of,
    polarity_values,
    theme_values,
)

REPORT = Path(__file__).with_name("comparison.json")
FIXED = Settings(theme_cs=(16.0,), polarity_cs=(4.0,), inner_folds=3)
WORDLLAMA_MODEL = (
    "weights/l2_supercat_256.safetensors",
    "tokenizers/l2_supercat_tokenizer_config.json",
)


@cache
def wordllama() -> Any:
    """wordllama's 256-dimension model from the files inside its wheel. Its own loader
    (`WordLlama.load(disable_download=True)`) looks for the tokenizer in a folder the 0.4.0
    wheel does not have and would otherwise download it, so the files are read directly,
    with the hub switched off."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    import wordllama as package
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama import WordLlamaInference

    base = Path(package.__file__).parent
    weights, tokenizer = (base / name for name in WORDLLAMA_MODEL)
    with safe_open(str(weights), framework="np") as tensors:
        embedding = tensors.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer)))


def embedding_features(
    examples: Sequence[Example], weight: float = 1.0
) -> Callable[[FindingInput], dict[str, float]]:
    texts = sorted({e.finding.text for e in examples})
    vectors = wordllama().embed(texts, norm=True)
    by_text = {text: vectors[i] for i, text in enumerate(texts)}

    def features(finding: FindingInput) -> dict[str, float]:
        return {
            f"embedding={i}": float(v) * weight for i, v in enumerate(by_text[finding.text]) if v
        }

    return features


def candidates(examples: Sequence[Example]) -> dict[str, Settings]:
    embedding = embedding_features(examples)
    return {
        "ngrams": replace(FIXED, lexicon=False, cues=False),
        "embedding": replace(FIXED, ngrams=False, lexicon=False, cues=False, extra=embedding),
        "ngrams+embedding": replace(FIXED, lexicon=False, cues=False, extra=embedding),
        "ngrams+lexicon": replace(FIXED),
        "ngrams+lexicon+embedding": replace(FIXED, extra=embedding),
        "ngrams+lexicon, no neutral rule": replace(FIXED, neutral_rule=False),
    }


def held_out(
    examples: Sequence[Example], settings: Settings, share: float = 1.0
) -> list[tuple[set[str], str, float]]:
    """Labels from 5 document-grouped folds; `share`: of each fold's training documents, the
    first `share` in a fixed shuffled order (a learning curve)."""
    labels: list[tuple[set[str], str, float]] = [(set(), "", 0.0) for _ in examples]
    for train, test in GroupKFold(OUTER_FOLDS).split(examples, groups=groups_of(examples)):
        documents = sorted({examples[i].group for i in train})
        np.random.RandomState(0).shuffle(documents)
        kept = set(documents[: max(1, round(share * len(documents)))])
        train = [i for i in train if examples[i].group in kept]
        fitted = fit([examples[i] for i in train], settings)
        model = Model(json.loads(dumps(fitted.artefact)))
        for i in test:
            labels[i] = _label(model, examples[i], fitted.artefact, settings)
    return labels


def _label(
    model: Model, example: Example, artefact: dict[str, Any], settings: Settings
) -> tuple[set[str], str, float]:
    """What the model gives `example`, from the candidate's own features."""
    idf = model.idf
    scores = np.array([reference.calibrated(model, theme_values(example, idf, settings))])
    given = decide(scores, model.threshold)[0]
    themes = {model.theme_classes[j].value for j in range(len(given)) if given[j]}
    if example.finding.kind in model.neutral_kinds:
        return themes, "neutral", 1.0
    logits = reference.logits(model.polarity, polarity_values(example, idf, settings))
    polarity, score = softmax(model.polarity_classes, logits)
    return themes, polarity.value, score


def learning_curve(examples: Sequence[Example]) -> dict[str, Any]:
    """The shipped candidate trained on a quarter, half, three quarters and all of each fold's
    training documents."""
    curve = {}
    for share in (0.25, 0.5, 0.75, 1.0):
        overall = figures(examples, held_out(examples, replace(FIXED), share))
        curve[str(share)] = {
            k: overall[k] for k in ("theme_micro_f1", "theme_macro_f1", "polarity_accuracy")
        }
        print(f"learning curve: {share:.0%} of the training documents: {curve[str(share)]}")
    return curve


def main() -> int:
    started = time.perf_counter()
    examples = load_examples()
    if sys.argv[1:] == ["--learning-curve"]:
        earlier = json.loads(REPORT.read_text())
        earlier["learning_curve"] = learning_curve(examples)
        REPORT.write_text(json.dumps(earlier, indent=1) + "\n", encoding="utf-8")
        return 0
    seed = [i for i, e in enumerate(examples) if e.seed]
    report: dict[str, Any] = {
        "method": f"{OUTER_FOLDS}-fold document-grouped CV, C fixed",
        "fixed": {
            "theme_c": FIXED.theme_cs[0],
            "polarity_c": FIXED.polarity_cs[0],
            "inner_folds": FIXED.inner_folds,
        },
        "candidates": {},
    }
    print(f"{'candidate':34} theme micro  macro  polarity | seed micro polarity", flush=True)
    for name, settings in candidates(examples).items():
        labels = held_out(examples, settings)
        overall = figures(examples, labels)
        on_seed = figures([examples[i] for i in seed], [labels[i] for i in seed])
        report["candidates"][name] = {"held_out": overall, "held_out_seed": on_seed}
        print(
            f"{name:34} {overall['theme_micro_f1']:11.3f} {overall['theme_macro_f1']:6.3f} "
            f"{overall['polarity_accuracy']:9.3f} | {on_seed['theme_micro_f1']:10.3f} "
            f"{on_seed['polarity_accuracy']:8.3f}",
            flush=True,
        )
    REPORT.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"(wrote {REPORT}; took {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
