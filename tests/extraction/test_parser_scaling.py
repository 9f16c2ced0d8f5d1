"""Extraction in proportion to its input: ten times the lines, at most about ten times the
work, for texts and PDFs of every shape that made it quadratic (issue 13).

Work is counted, never timed: the Python calls made (a profile hook) for an input and for
ten times it, and, for the one step whose work was inside a C call (the search behind
`join_lines`), the characters that step looks at. Times are printed by
`python -m scripts.bench --parser`.
"""

from __future__ import annotations

import random
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from app.extraction import ExtractionError, extract, pdf_layout, pdf_text, text
from app.extraction.pdf_layout import PrintedLine
from app.extraction.reading import read_bytes
from scripts.bench.inputs import (
    interleaved_pdf,
    one_paragraph,
    report_text,
    short_lines,
    staircase_pdf,
    text_pdf,
)
from seed import DOCUMENTS_DIR


def calls(work: Callable[[], object]) -> int:
    """The Python calls (and calls of built-in functions) `work` makes."""
    count = 0

    def hook(frame: object, event: str, arg: object) -> None:
        nonlocal count
        count += 1

    sys.setprofile(hook)
    try:
        work()
    except ExtractionError:
        pass  # refused: the work of refusing is what is counted
    finally:
        sys.setprofile(None)
    return count


def extract_text(made: str) -> Callable[[], object]:
    return lambda: extract(made)


def extract_pdf(made: bytes) -> Callable[[], object]:
    return lambda: extract(read_bytes(made))


@pytest.mark.parametrize(
    ("work", "size"),
    [
        (lambda n: extract_text(short_lines(n)), 600),
        (lambda n: extract_text(report_text(n)), 600),
        (lambda n: extract_text(one_paragraph(n)), 600),
        (lambda n: extract_pdf(text_pdf(n)), 2),
        (lambda n: extract_pdf(interleaved_pdf(n)), 300),
    ],
    ids=["short-lines", "report", "one-paragraph", "pdf-pages", "pdf-page-drawn-interleaved"],
)
def test_ten_times_the_input_is_at_most_ten_times_the_work(
    work: Callable[[int], Callable[[], object]], size: int
) -> None:
    """Before: the page drawn interleaved took 46.8 times the calls for 10 times the lines
    (`_visual_order` looked through every placed line for each line moved)."""
    small, large = calls(work(size)), calls(work(10 * size))
    assert large <= 10.5 * small, (small, large, large / small)


class CountingSearch:
    """Stands in for a compiled pattern, counting the characters searched."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.characters = 0

    def search(self, string: str, *args: Any) -> re.Match[str] | None:
        self.characters += len(string)
        return self.pattern.search(string, *args)


@pytest.mark.parametrize("count", [1_000, 10_000])
def test_joining_lines_looks_at_each_line_once(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A paragraph's lines are joined looking at the end of the line before each one: it
    searched the whole text joined so far (4,000 lines took 4.9 s, 16,000 lines 69 s)."""
    counting = CountingSearch(text._HYPHEN_END)
    monkeypatch.setattr(text, "_HYPHEN_END", counting)
    lines = [f"line {index:05d} of a long para-" for index in range(count)]
    joined = text.join_lines(lines)
    assert counting.characters == (count - 1) * len(lines[0])
    assert joined.startswith("line 00000 of a long para-line 00001 of a long para-line 00002")


def placed_in_order(lines: list[PrintedLine]) -> list[PrintedLine]:
    """`_visual_order` as it was written first (each run looked for from the top of a plain
    list), the reference for the order it gives."""
    ordered: list[PrintedLine] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not ordered or line.top < ordered[-1].top + 1:
            ordered.append(line)
            index += 1
            continue
        run = [line]
        index += 1
        while index < len(lines) and lines[index].top < run[-1].end + 1:
            run.append(lines[index])
            index += 1
        top, bottom = run[0].top, run[-1].end
        slot = None
        for position in range(len(ordered) + 1):
            above = ordered[position - 1] if position else None
            below = ordered[position] if position < len(ordered) else None
            if (above is None or above.end >= top - 1) and (
                below is None or below.top <= bottom + 1
            ):
                slot = position
                break
        if slot is None:
            ordered.extend(run)
        else:
            ordered[slot:slot] = run
    return ordered


def random_page(rng: random.Random, count: int) -> list[PrintedLine]:
    lines = []
    for index in range(count):
        bottom = rng.choice([rng.uniform(60, 780), 700 - 12 * index, 700 - 12 * (index // 2)])
        height = rng.choice([6.0, 9.5, 10.0, 14.0])
        last = bottom - rng.choice([0.0, 0.0, 12.0])
        lines.append(
            PrintedLine(f"{index}", 1, 50.0, bottom, bottom + height, False, last_bottom=last)
        )
    return lines


def test_lines_are_put_in_visual_order_as_before() -> None:
    """Pages of up to 64 lines (the shipped PDFs have at most 46 on a page), drawn in
    random orders: the order is the first version's, line for line."""
    rng = random.Random(13)
    for _ in range(400):
        page = random_page(rng, rng.randint(1, 64))
        assert pdf_layout._visual_order(page) == placed_in_order(page)


def test_a_page_drawn_far_out_of_order_keeps_the_rest_in_drawing_order() -> None:
    """Past 32 gaps looked at per line of a page, the lines left stay in the order drawn.
    400 lines: a0..a199 top to bottom with a gap under each, then b0..b199 bottom to top,
    b0 under a199 and each other b_i into the gap above a(200 - i). Each b_i is looked for
    from the top and found after 201 - i gaps: b1..b79 take 12,719 of the 12,800, b80
    would take 121 more than the 81 left, so b80..b199 stay where they are drawn (before,
    every one was moved, after looking at 19,900 gaps in all)."""
    half = 200
    drawn = [line(f"a{i}", 9000 - 40 * i) for i in range(half)]
    drawn += [line(f"b{i}", 9020 - 40 * half + 40 * i) for i in range(half)]
    moved = [name for i in range(121, half) for name in (f"b{200 - i}", f"a{i}")]
    expected = [f"a{i}" for i in range(121)] + moved + ["b0"] + [f"b{i}" for i in range(80, half)]
    assert [line.text for line in pdf_layout._visual_order(drawn)] == expected
    everyone_moved = [name for i in range(half) for name in (f"a{i}", f"b{199 - i}")]
    assert [line.text for line in placed_in_order(drawn)] == everyone_moved


def line(name: str, bottom: float) -> PrintedLine:
    return PrintedLine(name, 1, 50.0, bottom, bottom + 10, False)


@pytest.mark.parametrize(
    ("characters", "printed", "boxes"), [(2_000, 134, 2_397), (20_000, 1_334, 23_997)]
)
def test_a_line_pdfium_runs_over_many_printed_lines_is_cut_in_one_pass(
    characters: int, printed: int, boxes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line stepping down a little at each character, which PDFium gives as one line, is
    given back as the lines printed (15 characters each), asking PDFium for about one
    character box per character. Before, each cut recursed on a copy of the rest of the
    line: 20,000 characters failed with RecursionError."""
    asked = 0
    box = pdf_text._Characters.box

    def counted(characters: pdf_text._Characters, index: int) -> tuple[float, float, float]:
        nonlocal asked
        asked += 1
        return box(characters, index)

    monkeypatch.setattr(pdf_text._Characters, "box", counted)
    lines = read_bytes(staircase_pdf(characters)).text.split("\n")
    assert (len(lines), lines[:2], asked) == (
        printed,
        ["abcdefghijklmno", "pqrstuvwxyzabcd"],
        boxes,
    )


def test_pdfium_is_locked_for_its_own_calls_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """One document's layout work (here held up for as long as the test likes) never holds
    up another document's reading: PDFium's lock is taken for each PDFium call alone.
    Before, one PDF of ten pages sharing one content stream held the lock for minutes."""
    laying_out = threading.Event()
    release = threading.Event()
    real_layout = pdf_text.page_layout

    def held_up(lines: list[PrintedLine], height: float) -> list[PrintedLine]:
        if threading.current_thread().name == "slow":
            laying_out.set()
            release.wait(20)
        return real_layout(lines, height)

    monkeypatch.setattr(pdf_text, "page_layout", held_up)
    slow_result: list[str] = []
    slow = threading.Thread(
        target=lambda: slow_result.append(read_bytes(text_pdf(3)).text.split("\n")[0]),
        name="slow",
        daemon=True,
    )
    slow.start()
    try:
        assert laying_out.wait(60)
        other = read_bytes((DOCUMENTS_DIR / "milton-keynes_2021-12-17.pdf").read_bytes())
        assert (other.pages, other.text.split("\n")[:2]) == (
            11,
            ["Inspection of Milton Keynes local", "authority children’s services"],
        )
        assert slow.is_alive() and not slow_result
    finally:
        release.set()
        slow.join(60)
    assert slow_result == ["Inspection of Leeds local authority children’s services"]
