"""Nearest findings under the findings filters: the vector index ranks, the database filters.

The index (app/intelligence/index.py) ranks every finding; the filters of `GET /findings`
(`FindingFilters`, every one of them) are applied by the database to the best candidates, a
batch at a time, in rank order, until enough pass. A filter that few findings pass (one
authority, one inspection) may leave too few among the best candidates: then the database
lists every finding that passes and those are ranked exactly. Either way the answer is the
exact top of the filtered findings, up to the index's own approximation past a size
(`EXACT_LIMIT`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from fastapi import Request
from sqlalchemy import Connection, select

from app.caching import data_version
from app.intelligence.embedding import Vectors
from app.intelligence.index import IndexCache, VectorIndex
from app.queries import FindingFilters, authority_index_of, findings, inspections

CANDIDATES = 2048
"""Best-ranked findings offered to the filters before every passing finding is ranked."""
FILTER_BATCH = 512

_cache_lock = threading.Lock()


def vector_index(request: Request, connection: Connection) -> VectorIndex:
    """This process's index of the embeddings, current with the data version."""
    state = request.app.state
    cache: IndexCache | None = getattr(state, "vector_index", None)
    if cache is None:
        with _cache_lock:
            cache = getattr(state, "vector_index", None)
            if cache is None:
                cache = IndexCache()
                state.vector_index = cache
    version: int | None = getattr(request.state, "data_version", None)
    if version is None:
        version = data_version(connection).version
    return cache.get(connection, version)


def _filtered_source(filters: FindingFilters) -> Any:
    source: Any = findings
    if filters.inspections.type:
        source = source.join(inspections, inspections.c.id == findings.c.inspection_id)
    return source


def nearest(
    connection: Connection,
    request: Request,
    index: VectorIndex,
    query: Vectors,
    filters: FindingFilters,
    k: int,
    *,
    exclude: Sequence[int] = (),
    keyword_filter: bool = True,
) -> list[tuple[int, float]]:
    """The `k` findings passing `filters` most similar to `query`, best first, as (id,
    similarity). `keyword_filter`: whether `q` filters too (for similar findings it does;
    for a semantic search `q` is the query itself)."""
    conditions = filters.conditions(connection, authority_index_of(request), search=keyword_filter)
    excluded = set(exclude)
    wanted = k + len(excluded)
    if not conditions:
        rows, scores = index.top(query, wanted)
        pairs = [(int(index.ids[r]), float(s)) for r, s in zip(rows, scores, strict=True)]
        return [pair for pair in pairs if pair[0] not in excluded][:k]
    source = _filtered_source(filters)
    rows, scores = index.top(query, max(CANDIDATES, wanted))
    found: list[tuple[int, float]] = []
    for first in range(0, len(rows), FILTER_BATCH):
        batch_ids = [int(i) for i in index.ids[rows[first : first + FILTER_BATCH]]]
        batch_scores = scores[first : first + FILTER_BATCH]
        passing = set(
            connection.scalars(
                select(findings.c.id)
                .select_from(source)
                .where(findings.c.id.in_(batch_ids), *conditions)
            )
        )
        found.extend(
            (i, float(s))
            for i, s in zip(batch_ids, batch_scores, strict=True)
            if i in passing and i not in excluded
        )
        if len(found) >= k:
            return found[:k]
    if len(rows) >= len(index):
        return found[:k]
    # Too few among the best: rank every finding that passes, exactly.
    passing_ids = np.fromiter(
        connection.scalars(select(findings.c.id).select_from(source).where(*conditions)),
        dtype=np.int64,
    )
    ranked_rows, ranked_scores = index.rank_rows(index.positions(passing_ids), query, wanted)
    pairs = [(int(index.ids[r]), float(s)) for r, s in zip(ranked_rows, ranked_scores, strict=True)]
    return [pair for pair in pairs if pair[0] not in excluded][:k]


__all__ = ["CANDIDATES", "nearest", "vector_index"]
