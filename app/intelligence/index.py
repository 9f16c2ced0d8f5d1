"""Every finding's embedding in memory, searched by brute force.

The service reads the `finding_embeddings` table once (and again when the data version
changes: a load, reparse or delete) into a float32 matrix, one row per finding in id order,
the same on SQLite and PostgreSQL. A query vector's nearest findings are one matrix-vector
product and a partial sort.

Past `EXACT_LIMIT` findings the full product reads too much memory per query (a million
findings are a gigabyte of float32), so the index keeps two things instead: the vectors
projected on their first `COARSE_DIMENSIONS` principal components (float32, an eighth of the
size), which rank every finding, and the full vectors in float16, from which the best
`RERANK` of that ranking are scored exactly. `make bench` measures how often this finds the
same top results as the exact product (scripts/bench/intelligence.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, bindparam, select

from app.intelligence.embedding import DIMENSIONS, Vectors
from app.models import FindingEmbedding, metadata

embeddings = metadata.tables[FindingEmbedding.__tablename__]

EXACT_LIMIT = 150_000
COARSE_DIMENSIONS = 48
RERANK = 4096
PCA_SAMPLE = 50_000
LOAD_BATCH = 20_000

Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]


@dataclass
class VectorIndex:
    ids: Ids
    """Finding ids, ascending."""
    vectors: npt.NDArray[np.floating]
    """(n, 256) unit vectors: float32, or float16 past EXACT_LIMIT."""
    basis: Vectors | None = None
    coarse: Vectors | None = None
    data_version: int = -1
    models: tuple[str, ...] = ()

    @classmethod
    def build(cls, ids: Ids, vectors: Vectors, data_version: int = -1) -> VectorIndex:
        if len(ids) <= EXACT_LIMIT:
            return cls(
                ids, np.ascontiguousarray(vectors, dtype=np.float32), None, None, data_version
            )
        sample = vectors[np.linspace(0, len(vectors) - 1, PCA_SAMPLE).astype(np.int64)]
        centred = sample - sample.mean(axis=0)
        _, eigenvectors = np.linalg.eigh(centred.T @ centred)
        basis = np.ascontiguousarray(eigenvectors[:, ::-1][:, :COARSE_DIMENSIONS], dtype=np.float32)
        coarse = np.empty((len(vectors), COARSE_DIMENSIONS), dtype=np.float32)
        for first in range(0, len(vectors), LOAD_BATCH):
            coarse[first : first + LOAD_BATCH] = vectors[first : first + LOAD_BATCH] @ basis
        return cls(ids, vectors.astype(np.float16), basis, coarse, data_version)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        extra = 0 if self.coarse is None else self.coarse.nbytes
        return int(self.ids.nbytes + self.vectors.nbytes + extra)

    def positions(self, finding_ids: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Rows of the ids that are in the index (others dropped)."""
        wanted = np.asarray(finding_ids, dtype=np.int64)
        at = np.searchsorted(self.ids, wanted)
        at = np.minimum(at, max(len(self.ids) - 1, 0))
        if not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        found: npt.NDArray[np.int64] = at[self.ids[at] == wanted]
        return found

    def vector(self, finding_id: int) -> Vectors | None:
        rows = self.positions([finding_id])
        if not len(rows):
            return None
        return np.asarray(self.vectors[rows[0]], dtype=np.float32)

    def scores_at(self, rows: npt.NDArray[np.int64], query: Vectors) -> Scores:
        """Exact cosine similarity of the rows given."""
        return np.asarray(self.vectors[rows], dtype=np.float32) @ query

    def top(self, query: Vectors, k: int) -> tuple[npt.NDArray[np.int64], Scores]:
        """The `k` rows most similar to `query` (unit length), best first, with their
        scores; ties in id order."""
        n = len(self.ids)
        if n == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self.coarse is None:
            rows = np.arange(n)
            scores: Scores = np.asarray(self.vectors @ query, dtype=np.float32)
        else:
            assert self.basis is not None
            rough = self.coarse @ np.asarray(query @ self.basis, dtype=np.float32)
            wanted = min(n, max(RERANK, k))
            rows = np.argpartition(-rough, wanted - 1)[:wanted] if wanted < n else np.arange(n)
            scores = self.scores_at(rows, query)
        return _best(rows, scores, k)

    def rank_rows(
        self, rows: npt.NDArray[np.int64], query: Vectors, k: int
    ) -> tuple[npt.NDArray[np.int64], Scores]:
        """The `k` of `rows` most similar to `query`, exactly, best first."""
        if not len(rows):
            return rows, np.zeros(0, dtype=np.float32)
        return _best(rows, self.scores_at(rows, query), k)


def _best(
    rows: npt.NDArray[np.int64], scores: Scores, k: int
) -> tuple[npt.NDArray[np.int64], Scores]:
    """The `k` best-scored rows, best first, ties by row (finding id order)."""
    k = min(k, len(rows))
    best = np.argpartition(-scores, k - 1)[:k] if k < len(rows) else np.arange(len(rows))
    chosen = best[np.lexsort((rows[best], -scores[best]))]
    return rows[chosen], scores[chosen].astype(np.float32)


_PAGE = (
    select(embeddings.c.finding_id, embeddings.c.model, embeddings.c.vector)
    .where(embeddings.c.finding_id > bindparam("after"))
    .order_by(embeddings.c.finding_id)
    .limit(LOAD_BATCH)
)


def read_index(connection: Connection, data_version: int = -1) -> VectorIndex:
    """Every stored embedding, in finding id order, read a page of `LOAD_BATCH` at a time
    (each page its own short statement, well within the statement time limit however many
    findings there are)."""
    id_parts: list[Ids] = []
    vector_parts: list[Vectors] = []
    models: set[str] = set()
    after = 0
    while True:
        batch = connection.execute(_PAGE, {"after": after}).all()
        if not batch:
            break
        id_parts.append(np.fromiter((row[0] for row in batch), dtype=np.int64, count=len(batch)))
        models.update(row[1] for row in batch)
        blob = b"".join(bytes(row[2]) for row in batch)
        vector_parts.append(np.frombuffer(blob, dtype="<f4").reshape(len(batch), DIMENSIONS))
        after = int(batch[-1][0])
    ids = np.concatenate(id_parts) if id_parts else np.zeros(0, dtype=np.int64)
    vectors = (
        np.concatenate(vector_parts) if vector_parts else np.zeros((0, DIMENSIONS), np.float32)
    )
    index = VectorIndex.build(ids, vectors, data_version)
    index.models = tuple(sorted(models))
    return index


class IndexCache:
    """One index per service process, read again when the data version moves on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: VectorIndex | None = None

    def get(self, connection: Connection, data_version: int) -> VectorIndex:
        index = self._index
        if index is not None and index.data_version == data_version:
            return index
        with self._lock:
            index = self._index
            if index is None or index.data_version != data_version:
                index = read_index(connection, data_version)
                self._index = index
            return index


__all__ = ["IndexCache", "VectorIndex", "read_index"]
