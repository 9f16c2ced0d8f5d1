"""The embedding model, read when this module is imported: the extraction workers' fork
server imports it (`app.workers.worker_context`), so every child starts with the model in
memory. A missing model is not this module's to report: the child that needs it says so."""

from contextlib import suppress

from app.intelligence.embedding import EmbeddingModelError, embedding_model

with suppress(EmbeddingModelError):
    embedding_model()
