"""`make eval`: how well the model labels findings of reports it has never seen.

Nested, document-grouped cross-validation over every labelled finding (the 1,500 of the 42
shipped PDFs and the 130 of the five seed documents): five outer folds, each holding out whole
documents (no report's findings on both sides); on each training part `training.fit` chooses
C, the calibration and the threshold by its own grouped inner folds, and the held-out part is
then labelled by the same code the service uses (`app.classifier.Model`). It prints per-theme
precision, recall and F1, micro- and macro-F1, polarity accuracy and its confusion matrix, on
all held-out findings and on the seed findings alone, and the shipped artefact's figures on
the seed findings (which it was trained on). The figures go to `training/evaluation.json`,
which the README quotes and a test holds the committed artefact to.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.model_selection import GroupKFold

from app.classifier.model import MODEL_PATH, Model, load_model
from training import reference
from training.data import Example, load_examples
from training.fit import POLARITIES, THEMES, Settings, fit, groups_of

OUTER_FOLDS = 5
REPORT = Path(__file__).with_name("evaluation.json")
CALIBRATION_BINS = 10


def held_out(
    examples: Sequence[Example], settings: Settings | None = None
) -> tuple[list[list[float]], list[tuple[set[str], str, float]], list[dict[str, Any]]]:
    """Every example labelled by a model fitted without its document: (all theme scores,
    (themes given, polarity, polarity score)) per example, and what each fold chose."""
    scores: list[list[float]] = [[] for _ in examples]
    labels: list[tuple[set[str], str, float]] = [(set(), "", 0.0) for _ in examples]
    chosen = []
    folds = GroupKFold(OUTER_FOLDS).split(examples, groups=groups_of(examples))
    for fold, (train, test) in enumerate(folds, start=1):
        fitted = fit([examples[i] for i in train], settings or Settings())
        model = Model(json.loads(_with_version(fitted.artefact)))
        for i in test:
            finding = examples[i].finding
            given = model.classify(finding)
            labels[i] = (
                {m.theme.value for m in given.themes},
                given.polarity.value,
                given.polarity_score,
            )
            scores[i] = reference.theme_scores(model, finding)
        chosen.append(
            {
                "fold": fold,
                "test_documents": len({examples[i].document for i in test}),
                "test_findings": len(test),
                "theme_c": fitted.theme_c,
                "polarity_c": fitted.polarity_c,
                "threshold": fitted.threshold,
            }
        )
        print(f"fold {fold}: {chosen[-1]}", file=sys.stderr, flush=True)
    return scores, labels, chosen


def _with_version(body: dict[str, Any]) -> str:
    from training.fit import dumps

    return dumps(body)


def figures(
    examples: Sequence[Example], labels: Sequence[tuple[set[str], str, float]]
) -> dict[str, Any]:
    """Per-theme precision, recall, F1 and support; micro and macro F1; polarity accuracy and
    confusion (expected -> given)."""
    per_theme = {}
    tp_all = fp_all = fn_all = 0
    f1s = []
    for theme in THEMES:
        tp = sum(
            1 for e, g in zip(examples, labels, strict=False) if theme in e.themes and theme in g[0]
        )
        fp = sum(
            1
            for e, g in zip(examples, labels, strict=False)
            if theme not in e.themes and theme in g[0]
        )
        fn = sum(
            1
            for e, g in zip(examples, labels, strict=False)
            if theme in e.themes and theme not in g[0]
        )
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        per_theme[theme] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }
        if tp + fn:
            f1s.append(f1)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    confusion = Counter(f"{e.polarity}->{g[1]}" for e, g in zip(examples, labels, strict=False))
    return {
        "findings": len(examples),
        "documents": len({e.document for e in examples}),
        "themes": per_theme,
        "theme_precision": round(tp_all / (tp_all + fp_all), 3),
        "theme_recall": round(tp_all / (tp_all + fn_all), 3),
        "theme_micro_f1": round(2 * tp_all / (2 * tp_all + fp_all + fn_all), 3),
        "theme_macro_f1": round(sum(f1s) / len(f1s), 3),
        "polarity_accuracy": round(
            sum(e.polarity == g[1] for e, g in zip(examples, labels, strict=False)) / len(examples),
            3,
        ),
        "polarity_confusion": {
            expected: {given: confusion[f"{expected}->{given}"] for given in POLARITIES}
            for expected in POLARITIES
        },
    }


def calibration(examples: Sequence[Example], scores: Sequence[list[float]]) -> dict[str, Any]:
    """Held-out theme scores in ten bins: mean score against the share that had the theme."""
    pairs = [
        (score, theme in e.themes)
        for e, row in zip(examples, scores, strict=False)
        for theme, score in zip(THEMES, row, strict=False)
    ]
    bins = []
    error = 0.0
    for b in range(CALIBRATION_BINS):
        low, high = b / CALIBRATION_BINS, (b + 1) / CALIBRATION_BINS
        inside = [
            (s, t) for s, t in pairs if low <= s < high or (b == CALIBRATION_BINS - 1 and s == 1.0)
        ]
        if not inside:
            continue
        mean = sum(s for s, _ in inside) / len(inside)
        share = sum(t for _, t in inside) / len(inside)
        error += len(inside) / len(pairs) * abs(mean - share)
        bins.append(
            {
                "from": low,
                "to": high,
                "count": len(inside),
                "mean_score": round(mean, 3),
                "had_theme": round(share, 3),
            }
        )
    return {"expected_calibration_error": round(error, 4), "bins": bins}


def in_sample(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    labels = []
    for e in examples:
        given = model.classify(e.finding)
        labels.append(
            ({m.theme.value for m in given.themes}, given.polarity.value, given.polarity_score)
        )
    return figures(examples, labels)


def evaluate() -> dict[str, Any]:
    examples = load_examples()
    scores, labels, chosen = held_out(examples)
    seed = [i for i, e in enumerate(examples) if e.seed]
    model = load_model(MODEL_PATH)
    return {
        "method": f"{OUTER_FOLDS}-fold document-grouped cross-validation, nested",
        "folds": chosen,
        "held_out": figures(examples, labels),
        "held_out_seed": figures([examples[i] for i in seed], [labels[i] for i in seed]),
        "held_out_calibration": calibration(examples, scores),
        "artefact": {
            "version": model.version,
            "threshold": model.threshold,
            "seed_in_sample": in_sample(model, [examples[i] for i in seed]),
        },
    }


def render(report: dict[str, Any]) -> str:
    lines = []
    for title, key in (
        ("Held out (document-grouped CV), all labelled findings", "held_out"),
        ("Held out, the 130 seed findings only", "held_out_seed"),
    ):
        lines += _render_figures(title, report[key])
    lines += _render_figures(
        f"Shipped artefact {report['artefact']['version']} on the seed findings (trained on them)",
        report["artefact"]["seed_in_sample"],
    )
    cal = report["held_out_calibration"]
    lines.append(
        "theme score calibration (held out): expected calibration error "
        f"{cal['expected_calibration_error']:.3f}"
    )
    for b in cal["bins"]:
        lines.append(
            f"  score {b['from']:.1f}-{b['to']:.1f}: {b['count']:6d} pairs, "
            f"mean score {b['mean_score']:.3f}, had the theme {b['had_theme']:.3f}"
        )
    lines.append(
        "chosen inside each fold: "
        + "; ".join(
            f"C {f['theme_c']:g}/{f['polarity_c']:g}, threshold {f['threshold']}"
            for f in report["folds"]
        )
    )
    return "\n".join(lines)


def _render_figures(title: str, figs: dict[str, Any]) -> list[str]:
    lines = [f"\n{title}: {figs['findings']} findings, {figs['documents']} documents"]
    lines.append(f"{'theme':22} precision recall    f1 support")
    for theme, f in figs["themes"].items():
        lines.append(
            f"{theme:22} {f['precision']:9.3f} {f['recall']:6.3f} {f['f1']:5.3f} {f['support']:7d}"
        )
    lines.append(
        f"themes: precision {figs['theme_precision']:.3f}, recall {figs['theme_recall']:.3f}, "
        f"micro-F1 {figs['theme_micro_f1']:.3f}, macro-F1 {figs['theme_macro_f1']:.3f}"
    )
    lines.append(
        f"polarity accuracy {figs['polarity_accuracy']:.3f}; expected (rows) -> given (columns)"
    )
    lines.append(f"{'':10}" + "".join(f"{p:>10}" for p in POLARITIES))
    for expected, row in figs["polarity_confusion"].items():
        lines.append(f"{expected:10}" + "".join(f"{row[p]:10d}" for p in POLARITIES))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__)
    parser.add_argument("--out", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = evaluate()
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(render(report))
    print(f"\n(wrote {args.out}; took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
