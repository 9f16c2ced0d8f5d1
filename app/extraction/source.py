"""What reading a document gives the parser (`SourceText`), and the limits a PDF is read
within (`PdfLimits`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SourceText:
    """A document's text, ready for the parser."""

    text: str
    pages: int | None = None
    furniture: tuple[tuple[int, int], ...] = field(default=())
    """Spans (start, end) of page furniture known from the layout."""
    layout: bool = False
    """True when furniture was found from the page layout (PDF), so the parser need not
    guess it from the text."""


@dataclass(frozen=True, slots=True)
class PdfLimits:
    """How much a PDF may hold for it to be read: a file past either limit is refused
    before PDFium reads it. The service and the seed job take them from the settings
    MAX_PDF_INFLATED_BYTES and MAX_PDF_PAGES, whose defaults these are."""

    inflated_bytes: int = 100 * 2**20
    """What its compressed streams may inflate to, in all (the most a shipped PDF
    inflates to is 2.2 MiB)."""
    pages: int = 500
    """Its pages (the longest shipped PDF has 58)."""


DEFAULT_LIMITS = PdfLimits()
