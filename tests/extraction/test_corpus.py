"""Extraction of the shipped PDF reports (2013-2026) against their published outcomes.

`tests/data/corpus-expected.json` was written from the first 42 PDFs by a reader who did not
see the parser's output: authority, type, visit dates, printed publication date, lead
inspector and every judgement with its grade as written. Finding counts by kind are pinned
for a set that covers every framework and layout in the corpus. The 195 national reports
are held to Ofsted's official grades (tests/extraction/test_official_outcomes.py) and to their text
renderings (tests/extraction/test_text_renderings.py); the ways they are written that the first 42
were not are pinned here, each on a real report.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from app.extraction import PARSER_VERSION, ExtractedDocument, extract
from app.extraction.reading import read_path
from app.extraction.text import join_lines
from app.vocabulary import JudgementArea
from seed import DOCUMENTS_DIR

EXPECTED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "data" / "corpus-expected.json").read_text(encoding="utf-8")
)


@cache
def extracted(filename: str) -> ExtractedDocument:
    return extract(read_path(DOCUMENTS_DIR / filename))


def test_the_corpus_is_shipped_whole() -> None:
    shipped = {path.name for path in DOCUMENTS_DIR.glob("*.pdf")}
    with (DOCUMENTS_DIR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        manifest = {row["file"]: row for row in csv.DictReader(handle)}
    assert len(EXPECTED) == 42
    assert {entry["file"] for entry in EXPECTED} | {"birmingham_2012-10-19.pdf"} < shipped
    assert len(shipped) == 238
    assert set(manifest) == shipped
    assert all(row["source_url"] and row["published"] for row in manifest.values())
    assert list(manifest["kent_2022-07-05.pdf"].values()) == [
        "kent_2022-07-05.pdf",
        "kent",
        "80476",
        "2022-07-05",
        "https://files.ofsted.gov.uk/v1/file/50187561",
    ]


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
    "cheshire-east_2015-09-15.pdf": {"narrative": 198, "recommendation": 25},
    # SIF 2016: recommendations grouped under numbered headings, a twelve-paragraph
    # executive summary
    "slough_2016-02-17.pdf": {"narrative": 181, "recommendation": 28},
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


PDFS = sorted(
    path.name for path in DOCUMENTS_DIR.glob("*.pdf") if path.name != "birmingham_2012-10-19.pdf"
)


@pytest.mark.parametrize("filename", PDFS)
def test_findings_point_at_their_words_and_are_numbered_in_order(filename: str) -> None:
    """Every finding's text is its source passage, page furniture left out; the numbered
    paragraphs come in order, none split or lost."""
    document = extracted(filename)
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


@pytest.mark.parametrize(
    ("filename", "title", "authority", "written"),
    [
        # A title over two lines, naming the authority without "local authority".
        (
            "barking-and-dagenham_2023-09-04.pdf",
            "Inspection of Barking and Dagenham children’s services",
            "barking-and-dagenham",
            "Barking and Dagenham",
        ),
        # A title naming the council, in two styles.
        (
            "kent_2022-07-05.pdf",
            "Inspection of Kent County Council children’s services",
            "kent",
            "Kent County Council",
        ),
        (
            "doncaster_2022-04-08.pdf",
            "Inspection of Doncaster Metropolitan Borough Council children’s services",
            "doncaster",
            "Doncaster Metropolitan Borough Council",
        ),
        # A title naming the trust that runs the council's services.
        (
            "bradford_2026-05-21.pdf",
            "Inspection of Bradford Children and Families Trust",
            "bradford",
            "Bradford Children and Families Trust",
        ),
        # The authority on a line of its own above the title.
        (
            "rochdale_2018-03-12.pdf",
            "Inspection of local authority children’s services",
            "rochdale",
            "Rochdale Borough Council",
        ),
        # A re-inspection under the single inspection framework.
        (
            "doncaster_2018-01-19.pdf",
            "Re-inspection of services for children in need of help and protection, children "
            "looked after and care leavers",
            "doncaster",
            "Doncaster Metropolitan Borough Council",
        ),
    ],
)
def test_titles_as_reports_write_them(
    filename: str, title: str, authority: str, written: str
) -> None:
    document = extracted(filename)
    assert (document.title, document.authority_slug, document.authority_name) == (
        title,
        authority,
        written,
    )


def test_dates_written_day_month_year_in_figures() -> None:
    """ "Inspection date: 12/09/2016 to 06/10/2016", "Report published: 25/11/2016"."""
    document = extracted("redbridge_2016-11-25.pdf")
    assert (document.start_date, document.end_date, document.published_date) == (
        date(2016, 9, 12),
        date(2016, 10, 6),
        date(2016, 11, 25),
    )


def test_a_grade_split_after_to_is_read_whole() -> None:
    """ "Requires improvement to" / "be good" beside each row of the table."""
    document = extracted("rochdale_2018-03-12.pdf")
    assert [(j.area.value, j.grade_label) for j in document.judgements] == [
        ("leadership", "Requires improvement to be good"),
        ("help-and-protection", "Requires improvement to be good"),
        ("children-in-care", "Good"),
        ("overall-effectiveness", "Requires improvement to be good"),
    ]


def test_paragraphs_cut_by_a_page_break_are_whole() -> None:
    hillingdon = extracted("hillingdon_2014-02-11.pdf")
    bullet = next(f for f in hillingdon.findings if f.text.startswith("Strategic managers and"))
    assert "Director of Children and Young People’s Service (DCS) and the lead member are " in (
        bullet.text
    )
    assert not any(f.text.startswith("(DCS)") for f in hillingdon.findings)
    salford = extracted("salford_2015-06-22.pdf")
    paragraph = next(f for f in salford.findings if f.paragraph == 150)
    assert paragraph.text.endswith("Three abduction warning notices have been served.")
    # PDFium runs a line hyphenated at its end ("multi-" / "agency") into the next one;
    # the paragraph is not cut where that makes the text look like it skips a line.
    blackpool = extracted("blackpool_2026-07-28.pdf")
    paragraph = next(f for f in blackpool.findings if f.paragraph == 29)
    assert "joint working with multi-agency partners. These children’s needs" in paragraph.text
    assert paragraph.text.endswith("regular commissioning quality assurance checks.")


def test_a_sif_executive_summary_is_read() -> None:
    document = extracted("slough_2016-02-17.pdf")
    summary = [f for f in document.findings if f.section == "Executive summary"]
    assert len(summary) == 12
    assert {(f.kind.value, f.judgement_area) for f in summary} == {
        ("narrative", JudgementArea.OVERALL_EFFECTIVENESS)
    }
    assert summary[0].text.startswith("Children’s services in Slough are inadequate. Leaders in")


def test_an_earlier_grade_cited_in_passing() -> None:
    """ "Local authority children's services were judged requires improvement in 2019"."""
    document = extracted("slough_2023-03-17.pdf")
    assert [(c.area.value, c.grade_label, c.year, c.month) for c in document.cited_judgements] == [
        ("overall-effectiveness", "requires improvement", 2019, None)
    ]


def test_the_board_named_without_board_is_still_graded() -> None:
    """Somerset 2015 prints "The Local Safeguarding Children is inadequate"."""
    document = extracted("somerset_2015-03-27.pdf")
    assert [(j.area.value, j.grade_label) for j in document.judgements][-1] == (
        "safeguarding-board",
        "inadequate",
    )


def test_the_looked_after_children_inspection_keeps_its_areas_apart() -> None:
    document = extracted("medway_2013-08-23.pdf")
    assert [(j.area.value, j.area_label, j.grade_label) for j in document.judgements] == [
        (
            "children-in-care",
            "Overall effectiveness of services for looked after children and young people",
            "Inadequate",
        ),
        ("capacity-to-improve", "Capacity to improve", "Adequate"),
        (
            "outcomes-for-children-in-care",
            "Outcomes for looked after children and young people",
            "Inadequate",
        ),
        ("quality-of-provision", "Quality of provision", "Inadequate"),
        ("leadership", "Leadership and management", "Inadequate"),
    ]
