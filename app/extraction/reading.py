"""Reading documents from disk or bytes: PDF or plain text in, `SourceText` out.

This is the only part of extraction that touches files. It sniffs the content (never trusting
the file name); a PDF's text layer is read by `app.extraction.pdf_text`, within `PdfLimits`
(what its streams inflate to, its pages), and a text file is decoded and normalised.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from app.extraction.errors import UnreadableDocument
from app.extraction.pdf_text import read_pdf
from app.extraction.source import DEFAULT_LIMITS, PdfLimits, SourceText
from app.extraction.text import normalise

__all__ = ["PdfLimits", "SourceText", "decode_text", "read_bytes", "read_path", "sniff"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MEMBERS = [
    ("word/document.xml", "a Word document (.docx)"),
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt, .ods or .odp)"),
]


def sniff(data: bytes) -> str:
    """Say what the bytes are: 'pdf' or 'text'; anything else raises UnreadableDocument,
    naming the kind of file it is (an HTML page, a Word document, a ZIP archive, ...)."""
    head = data[:1024].lstrip()
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    kind = _other_kind(data)
    if kind is not None:
        raise UnreadableDocument(f"the file is {kind}, not a PDF or text document")
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        raise UnreadableDocument("the file is an HTML page, not a PDF or text document")
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("the file is binary data, not a PDF or text document")
    return "text"


def _other_kind(data: bytes) -> str | None:
    """Office documents and archives, known by their first bytes: a .docx is a ZIP archive
    of XML, a .doc an OLE2 compound file. They are never read as text."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "a ZIP archive (a damaged one)"
        return next((kind for member, kind in _ZIP_MEMBERS if member in names), "a ZIP archive")
    if data.startswith(_OLE2):
        return "an older Microsoft Office document (.doc, .xls or .ppt)"
    if data.lstrip().startswith(b"{\\rtf"):
        return "an RTF document"
    return None


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_bytes(data: bytes, limits: PdfLimits = DEFAULT_LIMITS) -> SourceText:
    kind = sniff(data)
    if kind == "pdf":
        return read_pdf(data, limits)
    return SourceText(text=normalise(decode_text(data)))


def read_path(path: Path, limits: PdfLimits = DEFAULT_LIMITS) -> SourceText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"cannot read the file: {exc.strerror or exc}") from exc
    return read_bytes(data, limits)
