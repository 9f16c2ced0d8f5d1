"""Extraction: a pure parser. Text in (a `SourceText` or a string), typed records out.

    >>> from app.extraction import extract
    >>> document = extract(open("seed/documents/004_00ec88477df05a0b.txt").read())
    >>> document.authority_slug, document.inspection_type.value
    ('cheshire-east', 'child-protection')

No database and no network. Themes and polarity come from the learned model
(`app.classifier`), once the parser has cut the findings. Reading files (PDF or text) lives
in `app.extraction.reading`.
"""

from __future__ import annotations

from app.classifier import Model, default_model
from app.extraction.authorities import AuthorityRegister, default_register
from app.extraction.document import ParsedText
from app.extraction.errors import ExtractionError, NotAnOfstedReport, UnreadableDocument
from app.extraction.labelling import label_findings
from app.extraction.letters import letter_type, parse_letter
from app.extraction.reading import SourceText, read_bytes
from app.extraction.records import ExtractedDocument
from app.extraction.reports import parse_report, report_type
from app.extraction.source import DEFAULT_LIMITS, PdfLimits
from app.extraction.text import normalise

PARSER_VERSION = "1.1.0"
"""Bumped whenever extraction changes what it yields; `python -m seed reparse` re-extracts
documents loaded by an older version."""

__all__ = [
    "PARSER_VERSION",
    "ExtractedDocument",
    "ExtractionError",
    "NotAnOfstedReport",
    "SourceText",
    "UnreadableDocument",
    "extract",
    "read_and_extract",
]


def extract(
    source: SourceText | str,
    register: AuthorityRegister | None = None,
    model: Model | None = None,
) -> ExtractedDocument:
    """Extract one document, its findings labelled by ``model`` (the shipped one by default).
    Raises NotAnOfstedReport with a one-line reason when the text is not a children's services
    inspection document this parser understands."""
    if isinstance(source, str):
        source = SourceText(text=normalise(source))
    register = register or default_register()
    doc = ParsedText(source)
    if not doc.blocks:
        raise NotAnOfstedReport("the document has no text")
    letter = letter_type(doc)
    if letter is not None:
        document = parse_letter(doc, letter, register)
    else:
        found = report_type(doc)
        if found is None:
            raise NotAnOfstedReport(
                "no Ofsted children's services inspection title was found in the first pages"
            )
        document = parse_report(doc, found, register)
    document.parser_version = PARSER_VERSION
    return label_findings(document, model or default_model())


def read_and_extract(
    data: bytes, register: AuthorityRegister | None = None, limits: PdfLimits = DEFAULT_LIMITS
) -> ExtractedDocument:
    """A file's bytes, PDF or text (sniffed, never trusted from a name), read within
    ``limits`` and extracted: a document's whole way from bytes to labelled records. Raises
    UnreadableDocument or NotAnOfstedReport with the reason."""
    return extract(read_bytes(data, limits), register)
