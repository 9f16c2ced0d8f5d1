"""The three tasks of issue 14 with the keyboard alone, from `/`: Tab, Shift+Tab, Enter,
Space, the arrow keys and typing; every element that takes focus on the way shows the focus
ring (`tab_to` checks it at each press)."""

from __future__ import annotations

import csv
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.face.conftest import Visit
from tests.face.test_explorer_browser import tab_to


def choose(page: Page, select: str, value: str, summary: str) -> None:
    """Arrow down a focused list box until it shows `value`; each choice applies at once and
    the view is drawn again with focus kept on the list box."""
    shown = """sel => {
        const box = document.querySelector(sel);
        return document.activeElement === box && !document.querySelector("main[aria-busy]")
            && new URLSearchParams(location.hash.split("?")[1]).get(box.name) === box.value;
    }"""
    for _ in range(20):
        if page.locator(select).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
        page.wait_for_function(shown, arg=select)
        expect(page.locator(summary)).not_to_have_text("")
    raise AssertionError(f"{value} not reached in {select}")


def test_task_1_latest_care_leavers_grades_by_keyboard(visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    visit.open("/")
    expect(page.locator("#result-summary")).to_have_text("Showing 20 of 18,502 findings")
    tab_to(page, 'a[data-nav="grades"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator("#grades-summary")).to_have_text(
        "132 latest grades in Overall effectiveness"
    )
    tab_to(page, "#grades-area")
    choose(page, "#grades-area", "care-leavers", "#grades-summary")
    expect(page.locator("#grades-summary")).to_have_text("104 latest grades in Care leavers")
    tab_to(page, "#grades-grade")
    choose(page, "#grades-grade", "inadequate", "#grades-summary")
    expect(page.locator("#grades-summary")).to_have_text(
        "5 latest grades in Care leavers, Inadequate"
    )
    expect(page.locator("#grades-table tbody th")).to_have_text(
        ["Cheshire East", "Devon", "Halton", "Knowsley", "Worcestershire"]
    )
    tab_to(page, "#grades-csv")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = tmp_path / "grades.csv"
    download.value.save_as(saved)
    with saved.open(newline="") as file:
        assert sorted(row["authority_name"] for row in csv.DictReader(file)) == [
            "Cheshire East", "Devon", "Halton", "Knowsley", "Worcestershire",
        ]  # fmt: skip


def test_task_2_management_oversight_in_2023_reports_by_keyboard(visit: Visit) -> None:
    page = visit.page
    visit.open("/")
    summary = page.locator("#result-summary")
    expect(summary).to_have_text("Showing 20 of 18,502 findings")
    tab_to(page, "#filter-published_from", limit=300)
    page.keyboard.type("2023-01-01")
    page.keyboard.press("Tab")
    page.keyboard.type("2023-12-31")
    page.keyboard.press("Enter")
    expect(summary).to_have_text("Showing 20 of 1,823 findings")
    tab_to(page, "#filter-kind-recommendation")
    page.keyboard.press("Space")
    expect(summary).to_have_text("Showing 20 of 142 findings")
    tab_to(page, "#filter-theme-management-oversight")
    page.keyboard.press("Space")
    expect(summary).to_have_text("Showing 20 of 28 findings")
    tab_to(page, "article.finding .source-toggle", limit=100)
    page.keyboard.press("Enter")
    card = page.locator("article.finding").first
    expect(card.locator("mark.passage")).to_be_visible()
    expect(card).to_have_attribute("data-finding-id", "4606")


def test_task_3_cheshire_easts_grades_by_keyboard(visit: Visit) -> None:
    page = visit.page
    visit.open("/")
    expect(page.locator("#result-summary")).to_have_text("Showing 20 of 18,502 findings")
    tab_to(page, 'a[data-nav="authorities"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Authorities")
    tab_to(page, "#authority-filter")
    page.keyboard.type("cheshire east")
    tab_to(page, 'a[href="#/authority/cheshire-east"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Cheshire East")
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator("#grade-grid tbody tr")).to_have_count(8)
    tab_to(page, "#timeline-csv")
    # The grades as a table, opened from the keyboard.
    tab_to(page, "#timeline-heading ~ details summary")
    page.keyboard.press("Enter")
    expect(page.locator("#grade-table")).to_be_visible()
