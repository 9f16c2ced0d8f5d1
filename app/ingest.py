"""Loading and removing one document on behalf of an HTTP request, in one transaction.

The same reading, extraction and loading as the seed job (`app.loading.load_document`): the
content is sniffed, never trusted from the file name or content type; a file already loaded
(same sha256) is found, not loaded twice. Two uploads racing on the same file or the same new
inspection cannot both insert it: the loser's transaction fails on a unique key, is rolled
back, and is run once more, when it finds what the winner committed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from app.caching import data_version
from app.extraction.authorities import AuthorityRegister
from app.extraction.reading import sniff
from app.loading import LoadResult, SourceFile, delete_document, load_document
from app.models import Document, Inspection

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


def ingest(engine: Engine, source: SourceFile, register: AuthorityRegister) -> Ingested:
    """Load `source` in one transaction. Raises ExtractionError (with its reason) when the
    file cannot be read or is not a report this parser understands; nothing is written."""
    try:
        return _ingest_once(engine, source, register)
    except IntegrityError:
        # A concurrent upload committed the same document or inspection first.
        return _ingest_once(engine, source, register)


def _ingest_once(engine: Engine, source: SourceFile, register: AuthorityRegister) -> Ingested:
    with Session(engine) as session:
        result: LoadResult = load_document(session, source, register)
        if result.status == "skipped":
            assert result.document_id is not None
            inspection_id = session.scalar(
                select(col(Document.inspection_id)).where(col(Document.id) == result.document_id)
            )
            assert inspection_id is not None
            return Ingested(False, result.document_id, inspection_id, False)
        session.commit()
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


__all__ = ["Ingested", "Removed", "ingest", "remove", "safe_filename"]
