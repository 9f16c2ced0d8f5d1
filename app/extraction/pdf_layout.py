"""A PDF's printed lines laid out as plain text: pure Python, no PDFium.

`app.extraction.pdf_text` reads each page's lines and their places from PDFium; this module
puts them in the order they are seen, finds the page furniture (running headers and footers,
page numbers, footnotes) from position and size, and writes the text:

- lines in reading order, pages separated by a line holding a form feed (`\\f`);
- a blank line wherever the vertical gap between two lines is wider than the document's
  line spacing, so paragraphs are separated as they are in the seed text files;
- the spans of page furniture, handed to the parser so it can skip them.

Every step is in proportion to the lines it is given (`_visual_order` within a budget), so a
page of many lines, drawn in any order, costs no more than its share.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from app.extraction.source import SourceText
from app.extraction.text import normalise

PAGE_BREAK = "\f"
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
# Running headers and footers sit in these bands of the page (fractions of its height).
_TOP_MARGIN = 0.92
_BOTTOM_MARGIN = 0.085
_REORDER_WORK = 32
"""Comparisons per line of a page that putting its lines in visual order may take: each
line drawn out of order is compared with the lines placed above it to find its gap. A page
of n lines needs at most n * n / 2 of them; the shipped PDFs need 2.1 per line at most. A
page drawn so far out of order that it needs more keeps the rest of its lines in the order
they are drawn."""


@dataclass(slots=True)
class PrintedLine:
    """A line as printed on a page: its text, where it is and how it is set."""

    text: str
    page: int
    left: float
    bottom: float
    top: float
    bold: bool
    furniture: bool = False
    last_bottom: float | None = None
    """The bottom of the line's last character: lower than `bottom` when PDFium ran two
    printed lines into one (it joins a word hyphenated at a line end, "multi-" / "agency",
    into one line of text)."""

    height: float = 0.0

    def __post_init__(self) -> None:
        self.height = self.top - self.bottom
        if self.last_bottom is None:
            self.last_bottom = self.bottom

    @property
    def end(self) -> float:
        """Where the line ends on the page: the bottom of its last printed line."""
        return min(self.bottom, self.last_bottom if self.last_bottom is not None else self.bottom)


def page_layout(lines: list[PrintedLine], height: float) -> list[PrintedLine]:
    """A page's lines in the order they are read: its running header (the lines in the
    top band), its body in visual order, its footer (the bottom band)."""
    visible = _rejoin_superscripts([line for line in lines if line.text.strip()])
    top = [line for line in visible if line.bottom >= height * _TOP_MARGIN]
    bottom = [
        line
        for line in visible
        if line.top <= height * _BOTTOM_MARGIN and line.bottom < height * _TOP_MARGIN
    ]
    edges = {id(line) for line in top} | {id(line) for line in bottom}
    body = [line for line in visible if id(line) not in edges]
    return top + _visual_order(body) + bottom


_SUPERSCRIPT = re.compile(r"^\s*\d{1,2}\s*$")


def _rejoin_superscripts(lines: list[PrintedLine]) -> list[PrintedLine]:
    """A footnote reference set as a superscript that PDFium gives as a line of its own
    ("...the Police and Education." / "3" / "Partners contributed to this review and") is
    dropped, and the rest of its printed line, on the same baseline, joined on again."""
    result: list[PrintedLine] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        previous = result[-1] if result else None
        if (
            previous is not None
            and _SUPERSCRIPT.match(line.text)
            and line.height < 0.8 * previous.height
            and previous.bottom - 1 <= line.bottom <= previous.top
        ):
            after = lines[index + 1] if index + 1 < len(lines) else None
            if (
                after is not None
                and abs(after.bottom - previous.end) < 1.5
                and after.left > line.left
            ):
                previous.text = f"{previous.text.rstrip()} {after.text.lstrip()}"
                previous.last_bottom = after.last_bottom
                index += 2
            else:
                index += 1
            continue
        result.append(line)
        index += 1
    return result


def _visual_order(lines: list[PrintedLine]) -> list[PrintedLine]:
    """Put lines that the PDF draws out of order back where they are seen.

    PDFs usually draw text top to bottom, but not always: a heading can be drawn after the
    rest of its page. A line drawn above the one before it, that fits in a vertical gap
    between lines already placed, is moved into that gap with the lines drawn after it. A
    line that shares its height with others (a grade beside a table label) stays put.

    The lines placed so far are a linked list (`following`), so a move costs the gaps
    looked at, not a shift of every line after it; the gaps looked at on one page are at
    most `_REORDER_WORK` per line, after which lines stay in the order they are drawn.
    """
    following = [-1] * len(lines)
    head = tail = -1
    budget = _REORDER_WORK * len(lines)
    index = 0
    while index < len(lines):
        if head < 0 or lines[index].top < lines[tail].top + 1:
            if head < 0:
                head = index
            else:
                following[tail] = index
            tail = index
            index += 1
            continue
        first = index  # a run of lines drawn above the last one placed
        index += 1
        while index < len(lines) and lines[index].top < lines[index - 1].end + 1:
            following[index - 1] = index
            index += 1
        last = index - 1
        top, bottom = lines[first].top, lines[last].end
        slot: tuple[int, int] | None = None
        above, below = -1, head
        while budget > 0:
            budget -= 1
            if (above < 0 or lines[above].end >= top - 1) and (
                below < 0 or lines[below].top <= bottom + 1
            ):
                slot = (above, below)
                break
            if below < 0:
                break
            above, below = below, following[below]
        if slot is None:
            above, below = tail, -1  # no gap fits it: it stays where it is drawn
        else:
            above, below = slot
        if above < 0:
            head = first
        else:
            following[above] = first
        following[last] = below
        if below < 0:
            tail = last
    ordered: list[PrintedLine] = []
    node = head
    while node >= 0:
        ordered.append(lines[node])
        node = following[node]
    return ordered


def page_text(pages: list[list[PrintedLine]], heights: list[float]) -> SourceText:
    """The text of a PDF's pages, each given in reading order (`page_layout`), with its
    page furniture marked."""
    body = _body_height(pages)
    _mark_furniture(pages, heights, body)
    return _assemble(pages, len(pages), body)


def _body_height(pages: list[list[PrintedLine]]) -> float:
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if line.text.strip():
                weights[round(line.height * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _mark_furniture(pages: list[list[PrintedLine]], page_heights: list[float], body: float) -> None:
    """Mark running headers and footers, page numbers and footnotes."""
    edge_counts: Counter[str] = Counter()
    edges: list[list[PrintedLine]] = []
    for lines, height in zip(pages, page_heights, strict=True):
        margin_top, margin_bottom = height * _TOP_MARGIN, height * _BOTTOM_MARGIN
        page_edges = [
            line
            for line in lines
            if line.text.strip() and (line.bottom >= margin_top or line.top <= margin_bottom)
        ]
        edges.append(page_edges)
        edge_counts.update({_DIGITS.sub("#", line.text.strip()) for line in page_edges})
    repeated = max(3, len(pages) // 4) if len(pages) > 2 else 99
    for page_edges in edges:
        for line in page_edges:
            key = _DIGITS.sub("#", line.text.strip())
            if (
                _PAGE_NUMBER.match(line.text)
                or edge_counts[key] >= repeated
                or line.height < 0.8 * body
            ):
                line.furniture = True
    for lines in pages:
        # A page number just inside the margin: the highest or lowest line of its page
        # once its running header and footer are set aside.
        visible = [line for line in lines if line.text.strip() and not line.furniture]
        if visible:
            highest = max(visible, key=lambda line: line.top)
            lowest = min(visible, key=lambda line: line.bottom)
            for line in (highest, lowest):
                if _PAGE_NUMBER.match(line.text):
                    line.furniture = True
        _mark_footnotes(lines, body)


def _mark_footnotes(lines: list[PrintedLine], body: float) -> None:
    """Footnotes: the run of smaller-than-body lines below the page's last body line."""
    content = [line for line in lines if line.text.strip() and not line.furniture]
    if not content:
        return
    lowest_body = min((line.bottom for line in content if line.height >= 0.92 * body), default=None)
    if lowest_body is None:
        return
    footnote = [line for line in content if line.bottom < lowest_body - 1]
    if footnote and all(line.height < 0.92 * body for line in footnote):
        first = max(footnote, key=lambda line: line.top)
        if _PAGE_NUMBER.match(first.text) or first.height < 0.7 * body:
            for line in footnote:
                line.furniture = True


def _line_pitch(pages: list[list[PrintedLine]], body: float) -> float:
    drops: list[float] = []
    for lines in pages:
        previous: PrintedLine | None = None
        for line in lines:
            if not line.text.strip() or line.furniture:
                continue
            if (
                previous is not None
                and abs(line.height - body) < 1
                and abs(previous.height - body) < 1
            ):
                drop = previous.end - line.bottom
                if 0.8 * body < drop < 2.5 * body:
                    drops.append(drop)
            previous = line
    return statistics.median(drops) if drops else body * 1.2


def _assemble(pages: list[list[PrintedLine]], page_count: int, body: float) -> SourceText:
    pitch = _line_pitch(pages, body)
    out: list[str] = []
    furniture: list[tuple[int, int]] = []
    length = 0

    def emit(text: str, is_furniture: bool = False) -> None:
        nonlocal length
        text = text.rstrip(" \t") if text.isascii() else normalise(text)
        if out:
            out.append("\n")
            length += 1
        if is_furniture and text:
            furniture.append((length, length + len(text)))
        out.append(text)
        length += len(text)

    for index, lines in enumerate(pages):
        if index:
            emit(PAGE_BREAK)
        previous: PrintedLine | None = None
        for line in lines:
            if not line.text.strip():
                continue
            if line.furniture:
                emit(line.text, is_furniture=True)
                continue
            if previous is not None:
                drop = previous.end - line.bottom
                if drop > 1.3 * max(pitch, line.height * 1.1) or (
                    line.bold != previous.bold and drop > 0.5 * pitch
                ):
                    emit("")
            emit(line.text)
            previous = line
    return SourceText(text="".join(out), pages=page_count, furniture=tuple(furniture), layout=True)
