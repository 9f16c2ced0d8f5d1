"""The search modes of `GET /findings?q=` (the parameter itself: `app.params`)."""

from enum import StrEnum

WINDOW = 100
"""Semantic and hybrid searches rank this many findings (each ranking, for hybrid); pages are
read from them. Reciprocal rank fusion needs only the top of each ranking, and a window this
size keeps a filtered search within the best candidates of the vector index
(app/store/similar.py), so it never has to rank every finding that passes."""


class SearchMode(StrEnum):
    KEYWORD = "keyword"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"

    @property
    def by_meaning(self) -> bool:
        """Whether the mode ranks by the embeddings (semantic or hybrid)."""
        return self is not SearchMode.KEYWORD


__all__ = ["WINDOW", "SearchMode"]
