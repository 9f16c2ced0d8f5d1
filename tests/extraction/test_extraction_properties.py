"""Property-based tests: what a seed document yields does not depend on how its text was laid
out. Re-wrapping its lines, inserting page furniture (running headers, footers, page
numbers) at page breaks, and changing its bullet characters leave every finding, judgement
and date unchanged."""

from __future__ import annotations

import re
import textwrap
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extraction import ExtractedDocument, extract
from app.extraction.text import join_lines, normalise
from seed import DOCUMENTS_DIR

SEEDS = sorted(path.name for path in DOCUMENTS_DIR.glob("*.txt"))
PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
_MARKER = re.compile(r"^\s*(?:[-•◼▪*]\s|\d{1,3}\.\s)|^\s+\S")
_BULLET_LINE = re.compile(r"^(\s*)(?:-|◼|•)\s+")


@cache
def seed_text(name: str) -> str:
    return normalise((DOCUMENTS_DIR / name).read_text(encoding="utf-8"))


def essence(document: ExtractedDocument) -> dict[str, Any]:
    """Everything a document yields except offsets, which move when the layout does."""
    return {
        "meta": (
            document.title,
            document.kind,
            document.authority_slug,
            document.inspection_type,
            document.start_date,
            document.end_date,
            document.letter_date,
            tuple(document.inspectors),
        ),
        "judgements": [(j.area, j.grade, j.grade_label) for j in document.judgements],
        "cited": [(c.area, c.grade_label, c.year, c.month) for c in document.cited_judgements],
        "findings": [
            (
                f.kind,
                f.section,
                f.judgement_area,
                f.timeframe,
                f.paragraph,
                f.text,
                f.polarity,
                tuple(t.theme for t in f.themes),
            )
            for f in document.findings
        ],
    }


@cache
def expected(name: str) -> dict[str, Any]:
    return essence(extract(seed_text(name)))


def paragraphs(text: str) -> list[list[str]]:
    """Runs of lines between blank lines, each run cut again where a line starts with a
    marker (a bullet, a paragraph number, an indent) so that re-wrapping keeps markers at
    the start of lines, as a PDF does."""
    runs: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if current:
                runs.append(current)
            runs.append([])
            current = []
        elif current and _MARKER.match(line):
            runs.append(current)
            current = [line]
        else:
            current.append(line)
    if current:
        runs.append(current)
    return runs


def rewrap(text: str, widths: list[int]) -> str:
    out: list[str] = []
    for index, run in enumerate(paragraphs(text)):
        if not run:
            out.append("")
            continue
        lead = run[0][: len(run[0]) - len(run[0].lstrip())]
        if "\t" in "".join(run) or (len(run) == 1 and len(run[0]) < 60):
            out.extend(run)  # table rows and headings keep their lines
            continue
        words = join_lines(run)
        width = widths[index % len(widths)]
        out.extend(
            textwrap.wrap(
                words,
                width=width,
                initial_indent=lead,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def with_furniture(text: str, header: str, pages: int, offset: int) -> str:
    """`pages` page breaks, spread over the document's blank lines from `offset` on, each
    with a page number before it and a running header after it, as on every real page."""
    lines = text.split("\n")
    blanks = [i for i, line in enumerate(lines) if not line.strip()]
    step = max(1, len(blanks) // (pages + 1))
    chosen = sorted({blanks[(offset + step * (n + 1)) % len(blanks)] for n in range(pages)})
    for page, index in enumerate(reversed(chosen)):
        number = len(chosen) - page + 1
        lines[index:index] = ["", str(number), "\f", header, ""]
    return "\n".join(lines)


@pytest.mark.parametrize("name", SEEDS)
@PROPERTY_SETTINGS
@given(widths=st.lists(st.integers(min_value=45, max_value=140), min_size=1, max_size=5))
def test_rewrapping_lines_changes_nothing(name: str, widths: list[int]) -> None:
    assert essence(extract(rewrap(seed_text(name), widths))) == expected(name)


@pytest.mark.parametrize("name", SEEDS)
@PROPERTY_SETTINGS
@given(
    header=st.sampled_from(
        [
            "Inspection of Cheshire East local authority children’s services",
            "Cheshire East – Inspection report",
            "Ofsted inspection report 2013",
        ]
    ),
    pages=st.integers(min_value=3, max_value=9),
    offset=st.integers(min_value=0, max_value=40),
)
def test_page_furniture_changes_nothing(name: str, header: str, pages: int, offset: int) -> None:
    text = with_furniture(seed_text(name), header, pages, offset)
    assert essence(extract(text)) == expected(name)


@pytest.mark.parametrize("name", SEEDS)
@PROPERTY_SETTINGS
@given(bullet=st.sampled_from(["•", "▪", "◼", "-", "●", "\uf0b7"]))
def test_bullet_characters_change_nothing(name: str, bullet: str) -> None:
    changed = "\n".join(
        _BULLET_LINE.sub(lambda m: f"{m.group(1)}{bullet} ", line)
        for line in seed_text(name).split("\n")
    )
    assert essence(extract(normalise(changed))) == expected(name)
