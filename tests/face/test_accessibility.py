"""An automated accessibility audit of every view of the explorer, and of each state a
person can put it in, with axe-core 4.12 (bundled by the axe-playwright-python package):
WCAG 2.0, 2.1 and 2.2 A and AA rules, including labels, landmarks, headings, contrast,
names and target size. The keyboard walk-throughs are in test_keyboard.py and
test_explorer_browser.py."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.face.conftest import Visit

WCAG_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    }
}


def violations(page: Page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA).response
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']][:5]}"
        for violation in results["violations"]
    ]


def test_every_view_passes_an_automated_wcag_aa_audit(visit: Visit) -> None:
    page = visit.page
    visit.open("/#/?authority=cheshire-east&timeframe=immediately&q=ensure")
    expect(page.locator("#result-summary")).to_have_text("Showing 4 of 4 findings")
    page.locator("article.finding").first.get_by_role("button", name="Read in source").click()
    expect(page.locator("mark.passage")).to_be_visible()
    assert violations(page) == [], "findings"

    visit.open("/#/authority/cheshire-east")
    expect(page.locator("h1")).to_have_text("Cheshire East")
    for summary in page.locator("summary").all():
        summary.click()
    assert violations(page) == [], "authority"

    visit.open("/#/authorities")
    expect(page.locator("#authority-count")).to_contain_text("133 of 133")
    assert violations(page) == [], "authorities"
    page.get_by_label("Find an authority by name").fill("zzz")
    expect(page.locator("#authority-count")).to_contain_text("0 of 133")
    assert violations(page) == [], "authorities, none found"

    visit.open("/#/grades")
    expect(page.locator("#grades-summary")).to_have_text(
        "132 latest grades in Overall effectiveness"
    )
    assert violations(page) == [], "grades"
    visit.open("/#/grades?area=care-leavers&grade=inadequate&sort=-inspection-began")
    expect(page.locator("#grades-summary")).to_have_text(
        "5 latest grades in Care leavers, Inadequate"
    )
    assert violations(page) == [], "grades, filtered and sorted"
    visit.open("/#/grades?area=any&neighbours_of=kent&region=North%20East")
    expect(page.locator("#grades-summary")).to_have_text("0 latest grades in every area")
    assert violations(page) == [], "grades, none"

    visit.open("/#/authority/kent")
    expect(page.locator("h1")).to_have_text("Kent")
    assert violations(page) == [], "authority with looked after children grades"

    visit.open(
        "/#/?theme=management-oversight&kind=recommendation&published_from=2023-01-01"
        "&published_to=2023-12-31&region=London&polarity=neutral"
    )
    expect(page.locator("#result-summary")).to_contain_text("findings")
    assert violations(page) == [], "findings with every kind of filter"
    visit.open("/#/?authority=cheshire-east&q=nothingmatchesthis")
    expect(page.locator("#result-summary")).to_have_text("No findings match these filters.")
    assert violations(page) == [], "findings, none"

    visit.open("/#/finding/69")
    expect(page.locator("mark.passage")).to_be_visible()
    assert violations(page) == [], "finding"

    visit.open("/#/finding/999999")
    expect(page.locator("h1")).to_have_text("Not found")
    expect(page.get_by_role("alert")).to_have_text("No finding with id 999999")
    assert violations(page) == [], "not found"
    # Chromium logs the 404 answer: expected here.
    assert [error.split(" (")[0] for error in visit.errors] == [
        "Failed to load resource: the server responded with a status of 404"
    ]
    visit.errors.clear()


def test_the_audit_finds_what_it_should(visit: Visit) -> None:
    """A control: the same audit on the explorer with an unlabelled field and low-contrast
    text put in reports exactly those."""
    page = visit.page
    visit.open("/#/authorities")
    expect(page.locator("#authority-count")).to_contain_text("133 of 133")
    page.evaluate(
        """() => {
            const field = Object.assign(document.createElement("input"), {id: "unlabelled"});
            const faint = Object.assign(document.createElement("p"), {id: "faint"});
            faint.textContent = "Hard to read";
            faint.style.color = "#cccccc";
            document.querySelector("main").append(field, faint);
        }"""
    )
    assert violations(page) == ["color-contrast: [['#faint']]", "label: [['#unlabelled']]"]
