"""Extraction of the 42 shipped PDF reports (2013-2026, three frameworks) against their
published outcomes.

`tests/data/corpus-expected.json` was written from the PDFs by a reader who did not see the
parser's output: authority, type, visit dates, printed publication date, lead inspector and
every judgement with its grade as written. Finding counts by kind are pinned for a set that
covers every framework and layout in the corpus.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from app.extraction import PARSER_VERSION, ExtractedDocument, extract
from app.extraction.reading import read_path
from app.extraction.text import join_lines
from seed import DOCUMENTS_DIR

EXPECTED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "corpus-expected.json").read_text(encoding="utf-8")
)


@cache
def extracted(filename: str) -> ExtractedDocument:
    return extract(read_path(DOCUMENTS_DIR / filename))


def test_the_corpus_is_shipped_whole() -> None:
    shipped = {path.name for path in DOCUMENTS_DIR.glob("*.pdf")}
    assert len(EXPECTED) == 42
    assert shipped == {entry["file"] for entry in EXPECTED} | {"birmingham_2012-10-19.pdf"}


@pytest.mark.parametrize("expected", EXPECTED, ids=[entry["file"] for entry in EXPECTED])
def test_report_metadata_and_judgements(expected: dict[str, Any]) -> None:
    document = extracted(expected["file"])
    got = {
        "authority": document.authority_slug,
        "inspection_type": document.inspection_type.value,
        "start_date": document.start_date.isoformat(),
        "end_date": document.end_date.isoformat() if document.end_date else None,
        "published_date": document.published_date.isoformat() if document.published_date else None,
        "lead_inspector": document.inspectors[0] if document.inspectors else None,
        "judgements": [
            {
                "area": j.area.value,
                "grade": j.grade.value if j.grade else None,
                "grade_label": j.grade_label,
                **({"area_label": j.area_label} if j.area.value == "other" else {}),
            }
            for j in document.judgements
        ],
    }
    wanted = {key: expected[key] for key in got}
    wanted["judgements"] = [
        {key: value for key, value in j.items() if key != "notes"} for j in expected["judgements"]
    ]
    assert got == wanted
    assert document.parser_version == PARSER_VERSION


FINDINGS_BY_KIND = {
    # looked after children 2013: grades in "Grade 3 (Adequate)" lines, timeframed actions
    "kent_2013-08-23.pdf": {"narrative": 61, "recommendation": 12},
    # SIF 2014: numbered summary of strengths and weaknesses, priority actions, LSCB review
    "birmingham_2014-05-23.pdf": {
        "narrative": 94,
        "priority-action": 16,
        "recommendation": 12,
        "strength": 6,
        "weakness": 17,
    },
    "blackpool_2014-09-08.pdf": {
        "narrative": 125,
        "priority-action": 3,
        "recommendation": 27,
        "strength": 17,
    },
    # SIF 2015: footnotes, numbered recommendations with sub-bullets
    "cheshire-east_2015-09-15.pdf": {"narrative": 196, "recommendation": 25},
    # SIF 2016: recommendations grouped under numbered headings
    "slough_2016-02-17.pdf": {"narrative": 169, "recommendation": 28},
    # ILACS 2019: combined children in care and care leavers, grades split over two lines
    "cheshire-east_2020-01-09.pdf": {"narrative": 47, "recommendation": 5},
    # ILACS 2024: care leavers graded apart
    "cheshire-east_2024-05-16.pdf": {"narrative": 57, "recommendation": 7},
    # ILACS 2026: no overall effectiveness
    "brent_2026-06-17.pdf": {"narrative": 60, "recommendation": 4},
}


@pytest.mark.parametrize(("filename", "counts"), FINDINGS_BY_KIND.items())
def test_finding_counts_by_kind(filename: str, counts: dict[str, int]) -> None:
    document = extracted(filename)
    assert dict(Counter(finding.kind.value for finding in document.findings)) == counts


@pytest.mark.parametrize("expected", EXPECTED, ids=[entry["file"] for entry in EXPECTED])
def test_findings_point_at_their_words_and_are_numbered_in_order(expected: dict[str, Any]) -> None:
    """Every finding's text is its source passage, page furniture left out; the numbered
    paragraphs come in order, none split or lost."""
    document = extracted(expected["file"])
    lines = document.text
    for finding in document.findings:
        assert finding.text
        assert finding.text[0] == finding.text.lstrip()[0]
        passage = lines[finding.start : finding.end]
        assert finding.text.split(" ")[0] in join_lines(passage.split("\n"))
    numbered = [finding.paragraph for finding in document.findings if finding.paragraph]
    assert numbered == sorted(numbered)
    assert len(numbered) == len(set(numbered))


def test_ilacs_sections_carry_their_judgement_area() -> None:
    document = extracted("cheshire-east_2024-05-16.pdf")
    areas = Counter(
        f.judgement_area.value if f.judgement_area else None
        for f in document.findings
        if f.kind.value == "narrative"
    )
    assert areas == {
        "overall-effectiveness": 3,
        "help-and-protection": 15,
        "children-in-care": 12,
        "care-leavers": 14,
        "leadership": 13,
    }
    first = next(f for f in document.findings if f.paragraph == 1)
    # The section is the heading's judgement area as written; its grade is the judgement's.
    assert first.section == "The experiences and progress of children who need help and protection"
    assert first.text.startswith("Children and families benefit from a well-developed early")


def test_earlier_judgements_cited_are_references_not_inspections() -> None:
    document = extracted("cheshire-east_2015-09-15.pdf")
    assert [(c.area.value, c.grade_label, c.year, c.month) for c in document.cited_judgements] == [
        ("overall-effectiveness", "inadequate", 2013, 4),
        ("children-in-care", "adequate", 2011, 8),
    ]
    latest = extracted("cheshire-east_2024-05-16.pdf")
    assert [
        (c.area.value, c.grade.value if c.grade else None, c.year) for c in latest.cited_judgements
    ] == [("overall-effectiveness", "requires-improvement", 2019)]
