"""Text layer: normalisation, lines with offsets, page furniture, and paragraphs (blocks).

Everything the family parsers see is a `Block`: one paragraph, bullet or numbered paragraph of
the document, with the character offsets it spans in the normalised text. A block's `text` is
its lines joined with single spaces, without its bullet or paragraph-number marker, with page
furniture inside it left out and words hyphenated across a line break joined again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
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

BULLET_CHARS = "•●◼■▪◾‣∙·○◦►▶➢✓-–—*\uf0b7"
_BULLET = re.compile(
    r"^[ \t]*([•●◼■▪◾‣∙·○◦►▶➢✓]|[*-](?=\s)|[–—](?=\s)|o(?=\s{2,})|"
    r"\((?:[ivx]{1,4}|[a-h])\)(?=\s))[ \t]*"
)
_NUMBERED = re.compile(r"^[ \t]*(\d{1,3})\.(?:[ \t]+(?=\S)|(?=[A-Z]))")
_SENTENCE_END = re.compile(r"[.!?:;]['’”\")]*$")
_FUNCTION_WORD_END = re.compile(
    r"\b(?:the|a|an|and|or|of|to|in|on|for|with|by|from|at|that|which|who|is|are|was|were|be|"
    r"been|their|its|this|these|those|as|not|but|than|into|between|about|across|such|some|"
    r"all|more|most|both|has|have|had|will|would|can|could|should|may|local|social|child|"
    r"children’s|children's|young)$",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_HYPHEN_END = re.compile(r"(?<=[A-Za-z])-$")


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
                and not _NUMBER_ALONE.match(line.text)
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


def _continues(previous: Block, line: Line) -> bool:
    """Does `line`, after a blank line or a page break, carry on the previous paragraph?"""
    last = previous.lines[-1].text.rstrip()
    if not last:
        return False
    first = line.text.strip()
    if first[:1].islower() and last.endswith((";", ",")):
        return True
    if _SENTENCE_END.search(last):
        return False
    first = line.text.strip()
    if not first:
        return False
    if first[0].islower():
        return True
    return bool(_FUNCTION_WORD_END.search(last)) or last.endswith((",", "-", "–", "("))


_ASIDE = re.compile(r"^\([^()]{1,40}\)\.?$")
"""A bracketed note on a line of its own: "(Recommendation)"."""
_NUMBER_ALONE = re.compile(r"^[ \t]*(\d{1,3})\.[ \t]*$")


def blocks(lines: Sequence[Line]) -> list[Block]:
    """Group lines into paragraphs, bullets and numbered paragraphs.

    A blank line or a page break ends a paragraph unless the next line plainly carries it
    on. Text with no blank lines between paragraphs (pdftotext's default output) is read
    from its line lengths: a short line ending a sentence ends its paragraph, and so do
    short lines standing alone before a full one (a heading). A paragraph number alone
    on its line ("12." with the text below it) numbers the next line's paragraph."""
    result: list[Block] = []
    current: Block | None = None
    gap = True
    page_break = False
    last_number = 0
    pending_number: int | None = None
    opens = _opens_paragraph(lines)
    full = typical_width(lines)
    for index, line in enumerate(lines):
        if line.is_page_break:
            gap = True
            page_break = True
            continue
        if line.furniture:
            continue
        if line.blank:
            gap = True
            continue
        alone = _NUMBER_ALONE.match(line.text)
        if (
            alone
            and (gap or _finished(current) or _short_last_line(current))
            and _next_in_order(int(alone.group(1)), last_number, gap)
        ):
            pending_number = int(alone.group(1))
            gap = True
            continue
        bullet = _BULLET.match(line.text)
        if (
            bullet
            and bullet.group(1) in "–—"
            and not gap
            and current is not None
            and not _SENTENCE_END.search(current.lines[-1].text.rstrip())
        ):
            bullet = None  # a dash opening a clause inside a sentence, not a list item
        numbered = _NUMBERED.match(line.text)
        number = int(numbered.group(1)) if numbered else None
        accept_number = number is not None and _next_in_order(
            number, last_number, gap or _finished(current)
        )
        starts_new = (
            current is None
            or pending_number is not None
            or bool(bullet)
            or accept_number
            or (gap and not _continues(current, line))
            or (not gap and _ends_paragraph(current, line, opens[index], full))
            or _page_artefact_break(current, line)
        )
        if starts_new:
            stripped = len(line.text) - len(line.text.lstrip())
            if pending_number is not None and not bullet:
                current = Block(
                    [line], line.start + stripped, "number", pending_number, after_gap=gap
                )
                last_number = pending_number
            elif bullet:
                current = Block([line], line.start + bullet.end(), marker="bullet", after_gap=gap)
            elif accept_number and numbered and number is not None:
                current = Block(
                    [line], line.start + numbered.end(), "number", number, after_gap=gap
                )
                last_number = number
            else:
                current = Block([line], line.start + stripped, indented=stripped > 0, after_gap=gap)
            current.after_page_break = page_break
            current.widest = line_width(line)
            result.append(current)
        elif current is not None:
            current.add(line)
        gap = False
        page_break = False
        pending_number = None
    return result


def _finished(current: Block | None) -> bool:
    """Does the paragraph so far end where another may begin: after a full stop, or as a
    heading of short lines ("... care leavers: requires improvement to be good")?"""
    if current is None:
        return True
    last = current.lines[-1].text.strip()
    return bool(_SENTENCE_END.search(last)) or (
        current.marker is None and len(current.lines) <= 3 and len(last) < 70
    )


def _short_last_line(current: Block | None) -> bool:
    """Does the paragraph so far end on a line well short of its widest (not a full line
    whose sentence a number on the next line finishes: "... at Key Stage" / "4.")?"""
    return current is None or line_width(current.lines[-1]) < 0.85 * current.widest


def _next_in_order(number: int, last_number: int, after_break: bool) -> bool:
    """A paragraph number is taken when it follows the last one (or starts again at 1),
    or, after a blank line or a finished paragraph, skips at most two (a report's numbers
    can skip one: Windsor and Maidenhead 2020 goes from 14 to 16)."""
    return (
        number == last_number + 1
        or number == 1
        or (after_break and last_number < number <= last_number + 3)
    )


def _opens_paragraph(lines: Sequence[Line]) -> list[bool]:
    """For each line, whether the next line of text after it opens a paragraph of its own:
    after a blank line, or with a bullet or a paragraph number (one pass from the end)."""
    found = [True] * len(lines)
    following = True
    gap = False
    for index in range(len(lines) - 1, -1, -1):
        found[index] = following or gap
        line = lines[index]
        if line.blank or line.is_page_break:
            gap = True
        elif not line.furniture:
            following = bool(
                _BULLET.match(line.text)
                or _NUMBERED.match(line.text)
                or _NUMBER_ALONE.match(line.text)
            )
            gap = False
    return found


def typical_width(lines: Sequence[Line]) -> float:
    """Where a full line of the body text ends: the length that four in five of the longer
    lines reach no further than (a paragraph's lines stop short of it by a word at most)."""
    lengths = sorted(width for line in lines if (width := line_width(line)) >= 30)
    return float(lengths[len(lengths) * 4 // 5]) if lengths else 80.0


def line_width(line: Line) -> int:
    """The length of a line's words with single spaces between them (`pdftotext -layout`
    pads the columns of a table with spaces)."""
    return len(" ".join(line.text.split()))


def _ends_paragraph(current: Block | None, line: Line, before_paragraph: bool, full: float) -> bool:
    """With no blank line between them, does `line` begin a new paragraph? It does after a
    line that ends a sentence well short of the paragraph's full lines, and, when `line` is
    a full one, after a run of lines well short of it (a heading, "Children's services in
    Brighton and Hove require improvement" / "to be good"). A sentence's end is measured
    against the lines around, never the page, so a paragraph wrapped to any width reads the
    same; `full` is the page's full line. A line that begins in lower case never does."""
    if current is None:
        return False
    first = line.text.strip()
    if not first or first[0].islower() or _ASIDE.match(first):
        return False
    width = line_width(line)
    previous = current.lines[-1]
    if line_width(previous) >= 0.75 * max(current.widest, width):
        return False
    if _SENTENCE_END.search(previous.text.rstrip()):
        # A numbered paragraph's text runs on after a line broken early; what follows it
        # without a blank line is its own only when it is a heading: a line that is not a
        # sentence, and is short or stands alone before the next paragraph.
        return current.marker != "number" or (
            not _SENTENCE_END.search(first) and (width < 0.75 * current.widest or before_paragraph)
        )
    # Headings: short lines before a full one, full against the lines around or the page.
    return current.widest < 0.8 * width or (current.widest < 0.75 * full <= width)


def rejoin_split_paragraphs(found: list[Block], is_heading: Callable[[Block], bool]) -> list[Block]:
    """Join a paragraph cut in two: an unnumbered paragraph (not a heading) is the rest of
    the one before it when that one stops in the middle of a sentence at a page break
    ("...Young People's Service" / "(DCS) and the lead member ..."), or when it comes after
    numbered paragraph n and before n + 1 (a page break, or a blank line that text from a
    PDF puts inside a paragraph)."""
    result: list[Block] = []
    for index, block in enumerate(found):
        previous = result[-1] if result else None
        if (
            previous is not None
            and block.marker is None
            and not is_heading(block)
            and (
                (
                    block.after_page_break
                    and _stops_mid_sentence(previous)
                    and not is_heading(previous)
                )
                or (
                    previous.marker == "number"
                    and _next_number(found, index) == (previous.number or 0) + 1
                )
            )
        ):
            previous.lines.extend(block.lines)
            previous._text = None
            continue
        result.append(block)
    return result


_PARENTHESIS_AFTER_SENTENCE = re.compile(r"[.!?]['’”\")]*\s*\([^()]*\)$")


def _stops_mid_sentence(block: Block) -> bool:
    """A paragraph of two or more lines whose last line is long and ends without a full stop
    (or a closing bracket after one: "... learning. (Recommendation)")."""
    if len(block.lines) < 2:
        return False
    last = block.lines[-1].text.strip()
    return (
        len(last) >= 40
        and not _SENTENCE_END.search(last)
        and not _PARENTHESIS_AFTER_SENTENCE.search(last)
    )


def _next_number(found: list[Block], index: int) -> int | None:
    for block in found[index + 1 : index + 4]:
        if block.marker == "number":
            return block.number
        if block.marker is None:
            continue
    return None


def _page_artefact_break(current: Block | None, line: Line) -> bool:
    """A line that starts with white space and a capital right after a finished sentence is
    a new paragraph run on by the text extraction (a page break shown only by the indent)."""
    if current is None or not line.text[:1].isspace() or _hangs(current, line):
        return False
    before = current.lines[-1].text
    if len(line.text) - len(line.text.lstrip()) <= len(before) - len(before.lstrip()):
        return False  # no deeper than the line above: the whole text is set in
    first = line.text.lstrip()[:1]
    return first.isupper() and bool(_SENTENCE_END.search(current.lines[-1].text.rstrip()))


def _hangs(current: Block, line: Line) -> bool:
    """Is `line` indented to the text of a numbered paragraph or bullet above it, as
    `pdftotext -layout` sets the lines after the first ("12. Leaders ..." / "    The ...")?"""
    first = current.lines[0]
    column = current.body_start - first.start
    indent = len(line.text) - len(line.text.lstrip())
    return current.marker is not None and indent > 0 and abs(indent - column) <= 1
