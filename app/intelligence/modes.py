"""The search modes of `GET /findings?q=`."""

from enum import StrEnum

from fastapi import Query

WINDOW = 500
"""Semantic and hybrid searches rank this many findings; pages are read from them."""


class SearchMode(StrEnum):
    KEYWORD = "keyword"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


ModeQuery = Query(
    None,
    description="How `q` is matched: `keyword` (the default: full-text search of the words), "
    '`semantic` (findings nearest in meaning to `q`, by their embeddings: "section 47 '
    'enquiries" finds "child protection enquiries"), or `hybrid` (both rankings merged '
    "by reciprocal rank fusion). A semantic or hybrid answer says which ran (`mode`) and "
    f"ranks the best {WINDOW} findings (`total` counts those); every other filter applies",
    examples=["hybrid"],
)

__all__ = ["WINDOW", "ModeQuery", "SearchMode"]
