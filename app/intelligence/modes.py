"""The search modes of `GET /findings?q=`."""

from enum import StrEnum

from fastapi import Query

WINDOW = 100
"""Semantic and hybrid searches rank this many findings (each ranking, for hybrid); pages are
read from them. Reciprocal rank fusion needs only the top of each ranking, and a window this
size keeps a filtered search within the best candidates of the vector index (app/
intelligence/search.py), so it never has to rank every finding that passes."""


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
