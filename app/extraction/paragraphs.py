"""Paragraphs: a document's lines cut into blocks (paragraphs, bullets and numbered
paragraphs), where blank lines say so and where text with no blank lines (pdftotext's
default output) only its lines' widths, sentence ends and markers do; and paragraphs a page
break cut in two joined again."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from app.extraction.text import NUMBER_ALONE, Block, Line, line_width

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
        alone = NUMBER_ALONE.match(line.text)
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
                or NUMBER_ALONE.match(line.text)
            )
            gap = False
    return found


def typical_width(lines: Sequence[Line]) -> float:
    """Where a full line of the body text ends: the length that four in five of the longer
    lines reach no further than (a paragraph's lines stop short of it by a word at most)."""
    lengths = sorted(width for line in lines if (width := line_width(line)) >= 30)
    return float(lengths[len(lengths) * 4 // 5]) if lengths else 80.0


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
