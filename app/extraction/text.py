"""Text layer: normalisation, lines with offsets, page furniture, and the paragraph (`Block`)
that `app.extraction.paragraphs` cuts the lines into.

Everything the family parsers see is a `Block`: one paragraph, bullet or numbered paragraph of
the document, with the character offsets it spans in the normalised text. A block's `text` is
its lines joined with single spaces, without its bullet or paragraph-number marker, with page
furniture inside it left out and words hyphenated across a line break joined again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_CHAR_MAP = {
    "\r\n": "\n",
    "\r": "\n",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\u00ad": "",  # soft hyphen
    "\u200b": "",  # zero-width space
    "\ufeff": "",  # byte order mark
    "\ufffe": "-",  # PDFium's stand-in for a hyphen it could not map
    "\u2011": "-",  # non-breaking hyphen
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\uf02d": "-",  # Symbol-font dash used as a sub-bullet
}
_CHAR_RE = re.compile("|".join(re.escape(key) for key in sorted(_CHAR_MAP, key=len, reverse=True)))
# Bullet glyphs from Symbol and Wingdings fonts land in the Private Use Area.
_PRIVATE_USE_BULLET = re.compile("[\uf000-\uf0ff]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_PAGE_BREAK_INLINE = re.compile(r"\n?\f\n?")

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_HYPHEN_END = re.compile(r"(?<=[A-Za-z])-$")
NUMBER_ALONE = re.compile(r"^[ \t]*(\d{1,3})\.[ \t]*$")
"""A paragraph number on a line of its own ("12.")."""


def normalise(raw: str) -> str:
    """Line ends to `\\n`, ligatures expanded, invisible characters removed, trailing spaces
    trimmed, private-use bullet glyphs shown as `•`, each page break (form feed) on a line of
    its own (pdftotext puts it before the next page's first line). Quotes and dashes are kept
    as written."""
    text = _CHAR_RE.sub(lambda match: _CHAR_MAP[match.group()], raw)
    text = _PRIVATE_USE_BULLET.sub("•", text)
    text = _PAGE_BREAK_INLINE.sub("\n\f\n", text)
    return _TRAILING_SPACE.sub("", text)


def collapse(text: str) -> str:
    """Whitespace runs to single spaces, as the findings' text is compared."""
    return " ".join(text.split())


@dataclass(slots=True)
class Line:
    start: int
    end: int
    text: str
    page: int
    furniture: bool = False

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def is_page_break(self) -> bool:
        return self.text == "\f"


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    position = 0
    page = 1
    for raw in text.split("\n"):
        if raw == "\f" or raw.startswith("\f"):
            page += 1
        lines.append(Line(position, position + len(raw), raw, page))
        position += len(raw) + 1
    return lines


def mark_furniture(
    lines: Sequence[Line], known: Iterable[tuple[int, int]] = (), layout: bool = False
) -> None:
    """Mark page headers, footers and page numbers.

    Spans known from a PDF's layout are taken as they are. Text without layout is read from
    its page breaks: the first and last three lines of a page are furniture when they are a
    page number, or repeat (digits aside) at the edges of at least three pages and a third of
    them; the first lines of the first page are the title, which running footers repeat.
    """
    spans = sorted(known)
    if spans:
        index = 0
        for line in lines:
            while index < len(spans) and spans[index][1] <= line.start:
                index += 1
            if index < len(spans) and spans[index][0] <= line.start < spans[index][1]:
                line.furniture = True
    if layout:
        return
    pages: dict[int, list[Line]] = {}
    for line in lines:
        if not line.blank and not line.is_page_break:
            pages.setdefault(line.page, []).append(line)
    if len(pages) < 2:
        return
    edges = {page: _edge_lines(content) for page, content in pages.items()}
    counts: Counter[str] = Counter()
    for edge in edges.values():
        counts.update({_edge_key(line) for line in edge})
    needed = max(3, len(pages) // 3)
    first_page = min(pages)
    title_lines = {id(line) for line in pages[first_page][:3]}
    for edge in edges.values():
        for line in edge:
            key = _edge_key(line)
            if _PAGE_NUMBER.match(line.text) or (
                counts[key] >= needed
                and len(key) < 150
                and id(line) not in title_lines
                and not NUMBER_ALONE.match(line.text)
            ):
                line.furniture = True
    _mark_page_numbers(pages)
    for content in pages.values():
        _mark_footnotes(content)


_FOOTNOTE_MARK = re.compile(r"^\s*\d{1,2}\s*$")
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,2})\s+[A-Z][a-z]")


def _mark_footnotes(content: list[Line]) -> None:
    """A footnote at the foot of a page, as text from a PDF gives it: its number alone on a
    line ("1") or before them ("1 Ofsted produces this report under its power to combine
    reports ..."), among the page's last ten lines."""
    for index in range(max(0, len(content) - 10), len(content) - 1):
        mark = content[index]
        after = content[index + 1]
        alone = (
            _FOOTNOTE_MARK.match(mark.text)
            and int(mark.text) <= 30
            and not after.furniture
            and after.text.strip()[:1].isupper()
            # the page's own number, or its footer, comes after its footnotes
            and any(
                _FOOTNOTE_MARK.match(line.text) or (line.furniture and not mark.furniture)
                for line in content[index + 2 :]
            )
        )
        inline = _FOOTNOTE_LINE.match(mark.text)
        if alone or (inline and int(inline.group(1)) <= 30 and len(mark.text.strip()) >= 60):
            for line in content[index:]:
                line.furniture = True
            return


def _mark_page_numbers(pages: dict[int, list[Line]]) -> None:
    """A page's number where the text puts it inside the page ("Leadership, management and"
    / "governance" / "42" / "Outstanding"): a line holding only the number that the page
    numbers found at the pages' edges give this page."""
    offsets: Counter[int] = Counter()
    for page, content in pages.items():
        for line in content:
            if line.furniture and line.text.strip().isdigit():
                offsets[int(line.text.strip()) - page] += 1
    if not offsets:
        return
    offset, seen = offsets.most_common(1)[0]
    if seen < 3:
        return
    for page, content in pages.items():
        for line in content:
            if line.text.strip() == str(page + offset):
                line.furniture = True


def _edge_key(line: Line) -> str:
    """A header or footer line as it repeats from page to page: digits (page numbers,
    dates) and the spaces that pad them (`pdftotext -layout`) aside."""
    return " ".join(_DIGITS.sub("#", line.text).split())


def _edge_lines(content: list[Line]) -> list[Line]:
    if len(content) <= 6:
        return content
    return content[:3] + content[-3:]


@dataclass(slots=True)
class Block:
    """A paragraph, bullet or numbered paragraph: the unit findings are made of."""

    lines: list[Line]
    body_start: int
    """Offset of the first character after the bullet or number marker."""
    marker: str | None = None
    """'bullet' or 'number', or None for a plain paragraph."""
    number: int | None = None
    indented: bool = False
    """The first line began with white space (where a lost bullet glyph used to be)."""
    after_gap: bool = True
    """A blank line or a page break came before it."""
    after_page_break: bool = False
    """It is the first paragraph of a page."""
    widest: int = 0
    """The width of its widest line (`line_width`), kept as lines are added."""
    _text: str | None = field(default=None, repr=False)

    def add(self, line: Line) -> None:
        self.lines.append(line)
        self.widest = max(self.widest, line_width(line))
        self._text = None

    @property
    def start(self) -> int:
        return self.body_start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = join_lines(self._segments())
        return self._text

    @property
    def first_line(self) -> str:
        return self.lines[0].text.strip()

    def _segments(self) -> list[str]:
        first = self.lines[0]
        segments = [first.text[self.body_start - first.start :]]
        segments.extend(line.text for line in self.lines[1:])
        return segments


def join_lines(segments: Sequence[str]) -> str:
    """Join wrapped lines with spaces; a line ending in a hyphen joins the next word directly
    ("child-" + "protection" -> "child-protection")."""
    pieces: list[str] = []
    for segment in segments:
        piece = segment.strip()
        if not piece:
            continue
        if pieces and not (_HYPHEN_END.search(pieces[-1]) and piece[:1].isalpha()):
            pieces.append(" ")
        pieces.append(piece)
    return collapse("".join(pieces))


def line_width(line: Line) -> int:
    """The length of a line's words with single spaces between them (`pdftotext -layout`
    pads the columns of a table with spaces)."""
    return len(" ".join(line.text.split()))
