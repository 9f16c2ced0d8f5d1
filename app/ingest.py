"""Loading and removing one document on behalf of an HTTP request, in one transaction.

The same reading, extraction and loading as the seed job (`app.pipeline`): the content is
sniffed, never trusted from the file name or content type, and extracted in a worker process
of its own with a time limit (`app.workers`), killed if the client goes away first; a file
already loaded (same sha256) is found, not read or loaded twice; the document is stored in one
transaction (`app.pipeline.store`). Two uploads racing on the same file
or the same new inspection cannot both insert it: the loser's transaction fails on a unique
key, is rolled back, and is run once more, when it finds what the winner committed.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from app.extraction import ExtractedDocument
from app.extraction.reading import sniff
from app.loading import SourceFile, already_loaded, delete_document
from app.models import Document, Inspection
from app.pipeline import store
from app.store.changes import data_version
from app.workers import Extraction, ExtractionJob, Work

MAX_FILENAME = 120
_UNSAFE = re.compile(r"[^\w.() -]+")


def safe_filename(given: str | None, data: bytes, digest: str) -> str:
    """A name to store for an uploaded file: the client's name without any folders, control
    characters or odd punctuation, at most 120 characters; or one made from the content's
    hash and kind when the client gave none."""
    name = given or ""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" ._")
    if not name:
        suffix = ".pdf" if sniff(data) == "pdf" else ".txt"
        name = f"upload-{digest[:16]}{suffix}"
    if len(name) > MAX_FILENAME:
        stem, dot, suffix = name.rpartition(".")
        if dot and len(suffix) <= 8:
            name = stem[: MAX_FILENAME - len(suffix) - 1] + "." + suffix
        else:
            name = name[:MAX_FILENAME]
    return name


@dataclass(frozen=True, slots=True)
class Ingested:
    created: bool
    """False when the same file (by sha256) was already loaded."""
    document_id: int
    inspection_id: int
    inspection_created: bool


def loaded_as(engine: Engine, source: SourceFile) -> Ingested | None:
    """The document already loaded from these exact bytes (same sha256), if there is one."""
    with Session(engine) as session:
        document_id = already_loaded(session, source.sha256)
        if document_id is None:
            return None
        inspection_id = session.scalar(
            select(col(Document.inspection_id)).where(col(Document.id) == document_id)
        )
    assert inspection_id is not None
    return Ingested(False, document_id, inspection_id, False)


async def extract_upload(
    data: bytes, seconds: float, work: Work, client_gone: Awaitable[None]
) -> Extraction | None:
    """Extract an upload in a worker process of its own, given at most `seconds`. None when
    `client_gone` finishes first: the client went away, and the worker is killed at once
    rather than left to finish work nobody will read."""
    job = await to_thread.run_sync(ExtractionJob, data, work)
    extracting = asyncio.ensure_future(job.wait_async(seconds))
    watching = asyncio.ensure_future(client_gone)
    try:
        done, _pending = await asyncio.wait(
            {extracting, watching}, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        for task in (extracting, watching):
            task.cancel()
        await asyncio.gather(extracting, watching, return_exceptions=True)
        job.stop()
    if extracting not in done:
        return None
    return extracting.result()


def ingest(engine: Engine, source: SourceFile, extracted: ExtractedDocument) -> Ingested:
    """Store an extracted upload in one transaction, joining the inspection it belongs to or
    making a new one."""
    try:
        return _ingest_once(engine, source, extracted)
    except IntegrityError:
        # A concurrent upload committed the same document or inspection first.
        return _ingest_once(engine, source, extracted)


def _ingest_once(engine: Engine, source: SourceFile, extracted: ExtractedDocument) -> Ingested:
    result = store(engine, source, extracted)
    if result.status == "skipped":  # loaded meanwhile, by another request
        found = loaded_as(engine, source)
        assert found is not None
        return found
    assert result.document_id is not None and result.inspection_id is not None
    return Ingested(True, result.document_id, result.inspection_id, result.inspection_created)


@dataclass(frozen=True, slots=True)
class Removed:
    document_id: int
    inspection_id: int
    inspection_removed: bool
    data_version: int


def remove(engine: Engine, document_id: int) -> Removed | None:
    """Delete a document and what came only from it, in one transaction; None if there is
    no such document."""
    with Session(engine) as session:
        inspection_id = delete_document(session, document_id)
        if inspection_id is None:
            return None
        removed = session.get(Inspection, inspection_id) is None
        version = data_version(session.connection()).version
        session.commit()
    return Removed(document_id, inspection_id, removed, version)


__all__ = [
    "Ingested",
    "Removed",
    "extract_upload",
    "ingest",
    "loaded_as",
    "remove",
    "safe_filename",
]
