"""What a route reads from the app's state: the engine and the request's connection
(app/http/connections.py), the authority register, and the index of the findings'
embeddings."""

from __future__ import annotations

import threading

from fastapi import Request
from sqlalchemy import Connection

from app.http.connections import connection_of, engine_of
from app.intelligence.index import IndexCache, VectorIndex
from app.store.authorities import AuthorityIndex
from app.store.changes import data_version

_vector_lock = threading.Lock()


def authority_index_of(request: Request) -> AuthorityIndex:
    index: AuthorityIndex = request.app.state.authority_index
    return index


def vector_index_of(request: Request, connection: Connection) -> VectorIndex:
    """This process's index of the findings' embeddings, current with the data version."""
    state = request.app.state
    cache: IndexCache | None = getattr(state, "vector_index", None)
    if cache is None:
        with _vector_lock:
            cache = getattr(state, "vector_index", None)
            if cache is None:
                cache = IndexCache()
                state.vector_index = cache
    version: int | None = getattr(request.state, "data_version", None)
    if version is None:
        version = data_version(connection).version
    return cache.get(connection, version)


__all__ = [
    "authority_index_of",
    "connection_of",
    "engine_of",
    "vector_index_of",
]
