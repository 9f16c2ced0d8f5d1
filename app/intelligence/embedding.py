"""The embedding model: wordllama's 256-dimension token vectors, read from its wheel.

wordllama (PyPI) ships its smallest model inside the wheel: a 32,000 x 256 table of token
vectors (`weights/l2_supercat_256.safetensors`, 16 MB) and its tokenizer
(`tokenizers/l2_supercat_tokenizer_config.json`). A text's embedding is the mean of its
tokens' vectors, at unit length, exactly as `WordLlama.embed(texts, norm=True)` computes it.

The files are read here directly, without importing the `wordllama` package: its own loader
(`WordLlama.load`) looks for the tokenizer in a folder the 0.4 wheel does not have and would
try to download it, and importing the package configures the root logger. Nothing here opens
a socket: the hub is switched off (`HF_HUB_OFFLINE`) for any library that would look, and a
test runs this module with sockets blocked.

Mean pooling is done without padding: each text's token ids, one after the other, gathered
from the table and summed per text with `np.add.reduceat` (about three times wordllama's own
padded batches, for the same vectors).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
DIMENSIONS = 256
BATCH = 256
"""Texts tokenized at once (the tokenizer's Rust code runs a batch on every core)."""
LONG_TEXT_TOKENS = 4096
"""Past this many tokens a text's vectors are not gathered one by one (see `embed`)."""

Vectors = npt.NDArray[np.float32]


class EmbeddingModelError(RuntimeError):
    """The model's files are missing or unreadable (wordllama not installed, or a wheel
    without its weights)."""


def _package_folder() -> Path:
    """wordllama's installed folder, found without running its `__init__`."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError(f"the {PACKAGE} package is not installed (pip install {PACKAGE})")
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True)
class EmbeddingModel:
    version: str
    """`wordllama-<package version>/l2_supercat_256/<first 12 hex digits of the weights'
    sha256>`: stored with every embedding, so `seed reparse` recomputes those of another."""
    table: Vectors
    tokenizer: object

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit-length float32 vectors, one row per text (a text with no token: zeros)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for first in range(0, len(texts), BATCH):
            chunk = list(texts[first : first + BATCH])
            encodings = self.tokenizer.encode_batch(chunk, add_special_tokens=False)  # type: ignore[attr-defined]
            ids = [encoding.ids for encoding in encodings]
            lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
            for i in np.flatnonzero(lengths > LONG_TEXT_TOKENS):
                # A very long text: its tokens counted, then one product with the table, so
                # memory does not grow with its length (a 5 MB finding is 1.5 million tokens).
                counts = np.bincount(
                    np.clip(np.asarray(ids[i]), 0, self.table.shape[0] - 1),
                    minlength=self.table.shape[0],
                )
                total = counts.astype(np.float32) @ self.table
                out[first + i] = total / (np.linalg.norm(total) or 1.0)
                ids[i], lengths[i] = [], 0
            nonempty = lengths > 0
            if not nonempty.any():
                continue
            flat = np.fromiter(
                (token for row in ids for token in row), dtype=np.int64, count=int(lengths.sum())
            )
            np.clip(flat, 0, self.table.shape[0] - 1, out=flat)
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
            sums = np.add.reduceat(self.table[flat], starts, axis=0)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            rows = np.flatnonzero(nonempty) + first
            out[rows] = sums / norms
        return out

    def embed_one(self, text: str) -> Vectors:
        vector: Vectors = self.embed([text])[0]
        return vector


_lock = threading.Lock()


@cache
def _load() -> EmbeddingModel:
    # No library this process loads may reach the network for the model: these switch off
    # the Hugging Face hub for any that would look (the tokenizer is read from a file).
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from safetensors import safe_open
    from tokenizers import Tokenizer

    folder = _package_folder()
    weights, tokenizer = folder / WEIGHTS, folder / TOKENIZER
    for path in (weights, tokenizer):
        if not path.is_file():
            raise EmbeddingModelError(f"{PACKAGE}'s model file {path.name} is missing at {path}")
    data = weights.read_bytes()
    with safe_open(str(weights), framework="np") as tensors:
        table = np.ascontiguousarray(tensors.get_tensor("embedding.weight"), dtype=np.float32)
    if table.shape[1] != DIMENSIONS:
        raise EmbeddingModelError(f"{weights.name}: {table.shape[1]} dimensions, not {DIMENSIONS}")
    tok = Tokenizer.from_file(str(tokenizer))
    tok.no_padding()
    tok.no_truncation()
    digest = hashlib.sha256(data).hexdigest()[:12]
    version = f"{PACKAGE}-{importlib.metadata.version(PACKAGE)}/l2_supercat_256/{digest}"
    return EmbeddingModel(version, table, tok)


def embedding_model() -> EmbeddingModel:
    """The model, read once per process (about a second)."""
    with _lock:
        return _load()


__all__ = ["DIMENSIONS", "EmbeddingModel", "EmbeddingModelError", "Vectors", "embedding_model"]
