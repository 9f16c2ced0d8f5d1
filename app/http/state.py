"""What a route reads from the app's state: the engine and the authority register."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.engine import Engine

from app.store.authorities import AuthorityIndex


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def authority_index_of(request: Request) -> AuthorityIndex:
    index: AuthorityIndex = request.app.state.authority_index
    return index


__all__ = ["authority_index_of", "engine_of"]
