"""The grades view (`#/grades`) in headless Chromium on the whole shipped corpus: each
authority's latest grade in an area, as a table and as the API's CSV (target 1 of issue 14:
from `/`, in under a minute of scripted interaction, with the exact answer)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from playwright.sync_api import expect

from tests.face.conftest import Visit

CARE_LEAVERS_INADEQUATE = [
    ("Cheshire East", "North West", "Inadequate (4)", "26 February 2024", "ilacs"),
    ("Devon", "South West", "Inadequate (4)", "30 September 2024", "ilacs"),
    ("Halton", "North West", "Inadequate (4)", "13 May 2024", "ilacs"),
    ("Knowsley", "North West", "Inadequate (4)", "18 November 2024", "ilacs"),
    ("Worcestershire", "West Midlands", "Inadequate (4)", "24 October 2016", "single-inspection"),
]


def table_rows(visit: Visit) -> list[tuple[str, ...]]:
    return [
        tuple(row)
        for row in visit.page.locator("#grades-table tbody tr").evaluate_all(
            """rows => rows.map(row => [
                row.querySelector("th").textContent,
                ...[...row.querySelectorAll("td")].slice(0, 4).map(cell => cell.textContent)
                    .filter((_, index) => index !== 1),
            ])"""
        )
    ]


def test_the_authorities_whose_latest_care_leavers_grade_is_inadequate(
    visit: Visit, tmp_path: Path
) -> None:
    page = visit.page
    started = time.monotonic()
    visit.open("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Grades").click()
    expect(page.locator("h1")).to_have_text("Grades")
    expect(page.locator("#grades-summary")).to_have_text(
        "132 latest grades in Overall effectiveness"
    )
    page.get_by_label("Judgement area", exact=True).focus()
    page.get_by_label("Judgement area", exact=True).select_option(label="Care leavers")
    # The table is drawn again; focus stays on the control.
    expect(page.locator("#grades-summary")).to_have_text("104 latest grades in Care leavers")
    expect(page.get_by_label("Judgement area", exact=True)).to_be_focused()
    page.get_by_label("Latest grade", exact=True).select_option(label="Inadequate")
    expect(page.locator("#grades-summary")).to_have_text(
        "5 latest grades in Care leavers, Inadequate"
    )
    assert table_rows(visit) == [
        (name, region, grade, began) for name, region, grade, began, _ in CARE_LEAVERS_INADEQUATE
    ]
    expect(page.locator("#grades-table tbody tr td:nth-child(6)")).to_have_text(
        ["Inspection of local authority children's services (ILACS)"] * 4
        + [
            "Inspection of services for children in need of help and protection, children "
            "looked after and care leavers (single inspection framework)"
        ]
    )
    with page.expect_download() as download:
        page.locator("#grades-csv").click()
    saved = tmp_path / "grades.csv"
    download.value.save_as(saved)
    with saved.open(newline="") as file:
        rows = [(r["authority_name"], r["inspection_type"]) for r in csv.DictReader(file)]
    assert sorted(rows) == [(name, kind) for name, *_, kind in CARE_LEAVERS_INADEQUATE]
    elapsed = time.monotonic() - started
    assert elapsed < 60

    # Sorted by the date of the inspection, newest first (two clicks on the heading).
    page.get_by_role("link", name="Inspection began, sort by this").click()
    expect(page.locator("#grades-table thead th[aria-sort]")).to_have_attribute(
        "aria-sort", "ascending"
    )
    page.get_by_role("link", name="Inspection began, sorted first to last").click()
    expect(page.locator("#grades-table tbody th")).to_have_text(
        ["Knowsley", "Devon", "Halton", "Cheshire East", "Worcestershire"]
    )
    # Narrowed to Cheshire East and its statistical neighbours: itself and Worcestershire.
    page.get_by_label("An authority and its statistical neighbours").select_option(
        label="Cheshire East"
    )
    expect(page.locator("#grades-summary")).to_have_text(
        "2 latest grades in Care leavers, Inadequate"
    )
    expect(page.locator("#grades-table tbody th")).to_have_text(["Cheshire East", "Worcestershire"])
    # Through to the inspection's findings.
    page.get_by_role(
        "link", name="Findings of the 26 February 2024 inspection of Cheshire East"
    ).click()
    expect(page.locator("#result-summary")).to_have_text("Showing 20 of 64 findings")
    expect(page.locator("div.chips")).to_have_text("Inspection 40 ×")
    visit.screenshot("grades")


def test_cheshire_easts_grades_over_time_from_the_start_page(visit: Visit) -> None:
    """Target 3: from `/` to Cheshire East's grid of areas by inspection and its chart, in
    under a minute; the chart's markers are checked in test_explorer_browser.py."""
    page = visit.page
    started = time.monotonic()
    visit.open("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Authorities").click()
    page.get_by_label("Find an authority by name").fill("cheshire east")
    page.get_by_role("link", name="Cheshire East", exact=True).click()
    expect(page.locator("h1")).to_have_text("Cheshire East")
    grid = page.locator("#grade-grid")
    expect(grid.locator("tbody th")).to_have_text(
        [
            "Overall effectiveness", "Help and protection", "Children in care", "Care leavers",
            "Adoption performance", "Leadership", "Quality of practice",
            "Local safeguarding children board",
        ]
    )  # fmt: skip
    expect(grid.locator('tbody tr[data-area="overall-effectiveness"] td')).to_have_text(
        ["Not graded", "4 Inadequate", "3 Requires improvement", "3 Requires improvement",
         "4 Inadequate"]
    )  # fmt: skip
    expect(page.locator(".chart-point")).to_have_count(21)
    expect(page.locator('.chart-point[data-cited="true"]')).to_have_count(1)
    assert time.monotonic() - started < 60
    visit.screenshot("grades-over-time")


MANAGEMENT_OVERSIGHT_2023 = [
    4606, 4608, 16682, 16683, 7607, 7608, 16515, 14447, 6933, 12766, 4927, 6202, 1804, 1807,
    15031, 9004, 9011, 12124, 11406, 180, 184, 7327, 7328, 10026, 15809, 364, 17710, 7263,
]  # fmt: skip


def test_management_oversight_recommendations_in_reports_published_in_2023(
    visit: Visit,
) -> None:
    """Target 2: the theme, the kind and the publication dates (not the inspection's year:
    eight of the 28 come from inspections of 2022), then every passage read in its report."""
    page = visit.page
    started = time.monotonic()
    visit.open("/")
    summary = page.locator("#result-summary")
    expect(summary).to_have_text("Showing 20 of 18,502 findings")
    page.get_by_role("checkbox", name="Management oversight and supervision").check()
    page.get_by_role("checkbox", name="Recommendation").check()
    expect(summary).to_have_text("Showing 20 of 188 findings")
    page.get_by_label("Published on or after").fill("2023-01-01")
    page.get_by_label("Published on or before").fill("2023-12-31")
    page.get_by_role("button", name="Apply dates").click()
    expect(summary).to_have_text("Showing 20 of 28 findings")
    expect(page.locator(".chip")).to_have_text(
        [
            "Published on or after 1 January 2023 ×",
            "Published on or before 31 December 2023 ×",
            "Recommendation ×",
            "Management oversight and supervision ×",
        ]
    )
    page.get_by_role("button", name="Show more findings").click()
    expect(summary).to_have_text("Showing 28 of 28 findings")
    cards = page.locator("article.finding")
    ids = cards.evaluate_all("cards => cards.map(card => Number(card.dataset.findingId))")
    assert ids == MANAGEMENT_OVERSIGHT_2023
    years = page.locator("article.finding h3").all_text_contents()
    assert sum(title.endswith(", 2022") for title in years) == 8
    # Each card says when its report was published: in 2023, whatever the inspection's year.
    facts = page.locator("article.finding .finding__facts").all_text_contents()
    published = [fact.split("report published ")[1].split(" · ")[0] for fact in facts]
    assert published[:2] == ["13 January 2023", "13 January 2023"]
    assert [day.endswith(" 2023") for day in published] == [True] * 28
    for index in range(28):
        card = cards.nth(index)
        card.get_by_role("button", name="Read in source").click()
        expect(card.locator("mark.passage")).to_be_visible()
    assert time.monotonic() - started < 60


def download(visit: Visit, link_id: str, tmp_path: Path) -> list[dict[str, str]]:
    with visit.page.expect_download() as started:
        visit.page.locator(f"#{link_id}").click()
    saved = tmp_path / started.value.suggested_filename
    started.value.save_as(saved)
    with saved.open(newline="") as file:
        return list(csv.DictReader(file))


def test_every_view_downloads_what_it_shows_as_csv(visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    visit.open(
        "/#/?year_from=2013&year_to=2013&authority=cheshire-east&kind=recommendation"
        "&timeframe=immediately"
    )
    expect(page.locator("#result-summary")).to_have_text("Showing 4 of 4 findings")
    rows = download(visit, "findings-csv", tmp_path)
    assert [int(row["id"]) for row in rows] == [69, 70, 71, 72]
    assert {row["timeframe"] for row in rows} == {"immediately"}

    visit.open("/#/authority/cheshire-east")
    expect(page.locator("h1")).to_have_text("Cheshire East")
    rows = download(visit, "timeline-csv", tmp_path)
    assert len(rows) == 26  # as the grades table: 22 rows of inspections, 4 citations
    assert sum(row["event"] == "cited-judgement" for row in rows) == 4
    rows = download(visit, "neighbours-csv", tmp_path)
    assert [row["slug"] for row in rows][:3] == ["cheshire-east", "gloucestershire", "warwickshire"]
    assert rows[0]["care-leavers"] == "inadequate"

    visit.open("/#/authorities")
    page.get_by_label("Find an authority by name").fill("chesh")
    expect(page.locator("#authority-count")).to_contain_text("2 of 133")
    rows = download(visit, "authorities-csv", tmp_path)
    assert [(row["slug"], row["inspections"]) for row in rows] == [
        ("cheshire-east", "6"),
        ("cheshire-west-and-chester", "4"),
    ]


def test_grades_over_time_in_a_region(visit: Visit) -> None:
    """The care leavers judgements of the North West's inspections per year, by grade: a
    stacked column a year and the same counts as a table."""
    page = visit.page
    visit.open("/#/grades?area=care-leavers&region=North%20West")
    expect(page.locator("#grades-time-heading")).to_have_text("Care leavers over time: North West")
    chart = page.locator("svg.chart--grades-time")
    expect(chart).to_have_attribute("data-years", "8")
    totals = page.locator(".chart-year").evaluate_all(
        "years => years.map(y => [Number(y.dataset.year), Number(y.dataset.total)])"
    )
    assert totals == [[2014, 2], [2015, 3], [2017, 1], [2018, 1], [2023, 5], [2024, 8],
                      [2025, 5], [2026, 3]]  # fmt: skip
    inadequate = page.locator('.chart-year[data-year="2024"] rect[data-grade="inadequate"]')
    expect(inadequate).to_have_attribute("data-count", "3")
    page.get_by_text("The counts as a table").click()
    expect(page.locator('#grades-time-table tr[data-year="2024"] td')).to_have_text(
        ["0", "3", "2", "3", "8"]
    )
    visit.open("/#/grades?area=care-leavers")
    expect(page.locator("#grades-time-heading")).to_have_text("Care leavers over time, England")
