"""An automated accessibility audit of every view of the explorer with axe-core (bundled by
the axe-playwright-python package): WCAG 2.1 A and AA rules, including labels, landmarks,
headings, contrast and names. The keyboard test is in test_explorer_browser.py."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.face.conftest import Visit

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


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
