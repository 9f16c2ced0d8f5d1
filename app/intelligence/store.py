"""Writing embeddings: with each document's findings, in the transaction that stores them,
and again for findings whose embedding is missing or of another model (`seed reparse`)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.extraction import ExtractedDocument
from app.intelligence.embedding import (
    DIMENSIONS,
    EmbeddingModelError,
    Vectors,
    embedding_model,
)
from app.models import Finding, FindingEmbedding, metadata

findings = metadata.tables[Finding.__tablename__]
embeddings = metadata.tables[FindingEmbedding.__tablename__]

REFRESH_BATCH = 2000


def to_blob(vector: Vectors) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def findings_embeddings(document: ExtractedDocument) -> tuple[str, bytes] | None:
    """In an extraction worker: the model's version and the vectors of the document's
    findings, in order, as bytes to send back with it; None without the model (the loader
    then computes them, and says why it cannot)."""
    try:
        model = embedding_model()
    except EmbeddingModelError:
        return None
    vectors = model.embed([finding.text for finding in document.findings])
    return model.version, to_blob(vectors)


def store_embeddings(session: Session, document_id: int, extracted: ExtractedDocument) -> int:
    """(Re)write the embeddings of a stored document's findings. The vectors the extraction
    worker computed (`extracted.embeddings`) are used for each finding whose text they were
    computed from, with the current model; any other is computed here. Returns how many
    were written."""
    rows = session.execute(
        select(findings.c.id, findings.c.sequence, findings.c.text)
        .where(findings.c.document_id == document_id)
        .order_by(findings.c.sequence)
    ).all()
    session.execute(
        delete(embeddings).where(
            embeddings.c.finding_id.in_(
                select(findings.c.id).where(findings.c.document_id == document_id)
            )
        )
    )
    if not rows:
        return 0
    model = embedding_model()
    given: dict[tuple[int, str], Vectors] = {}
    computed = extracted.embeddings
    if computed is not None and computed[0] == model.version:
        matrix = np.frombuffer(computed[1], dtype="<f4").reshape(-1, DIMENSIONS)
        if len(matrix) == len(extracted.findings):
            given = {
                (finding.sequence, finding.text): vector
                for finding, vector in zip(extracted.findings, matrix, strict=True)
            }
    missing = [row for row in rows if (row.sequence, row.text) not in given]
    if missing:
        fresh = model.embed([row.text for row in missing])
        given.update({(row.sequence, row.text): v for row, v in zip(missing, fresh, strict=True)})
    session.execute(
        insert(embeddings),
        [
            {
                "finding_id": row.id,
                "model": model.version,
                "vector": to_blob(given[(row.sequence, row.text)]),
            }
            for row in rows
        ],
    )
    return len(rows)


def stale_findings(session: Session, version: str) -> list[int]:
    """Findings with no embedding or one of another model, in id order."""
    current = select(embeddings.c.finding_id).where(embeddings.c.model == version)
    return list(
        session.scalars(
            select(findings.c.id).where(findings.c.id.not_in(current)).order_by(findings.c.id)
        )
    )


def refresh_embeddings(engine: Engine, progress: Callable[[int, int], None] | None = None) -> int:
    """Compute the embeddings that are missing or of another model, a batch per
    transaction. Returns how many were written."""
    model = embedding_model()
    with Session(engine) as session:
        ids = stale_findings(session, model.version)
    done = 0
    for first in range(0, len(ids), REFRESH_BATCH):
        batch = ids[first : first + REFRESH_BATCH]
        with Session(engine) as session:
            rows = session.execute(
                select(findings.c.id, findings.c.text).where(findings.c.id.in_(batch))
            ).all()
            vectors = model.embed([row.text for row in rows])
            session.execute(delete(embeddings).where(embeddings.c.finding_id.in_(batch)))
            session.execute(
                insert(embeddings),
                [
                    {"finding_id": row.id, "model": model.version, "vector": to_blob(vector)}
                    for row, vector in zip(rows, vectors, strict=True)
                ],
            )
            session.commit()
        done += len(rows)
        if progress is not None:
            progress(done, len(ids))
    return done


__all__ = [
    "findings_embeddings",
    "refresh_embeddings",
    "stale_findings",
    "store_embeddings",
    "to_blob",
]
