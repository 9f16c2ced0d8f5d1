"""The explorer's findings intelligence, in a browser on the whole shipped corpus: a
finding's similar findings in other authorities and the earlier findings that raised it, and
an authority's recurring issues with both passages."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.face.conftest import Visit


def test_a_finding_shows_similar_findings_elsewhere_and_what_raised_it_before(
    visit: Visit,
) -> None:
    page = visit.page
    # Cheshire East 2019: "The quality, consistency and analysis of assessments, and the
    # child focus of plans."
    visit.open("/#/finding/2795")
    similar = page.locator("section[aria-labelledby=similar-heading]")
    expect(similar.get_by_role("heading", name="Similar findings elsewhere")).to_be_visible()
    items = similar.locator("ol.similar > li")
    expect(items).to_have_count(5)
    expect(items.first).to_contain_text("Milton Keynes, 2021")
    expect(items.first).to_contain_text("similarity 0.83")
    expect(items.nth(1)).to_contain_text("The quality of children’s assessments and plans.")
    before = page.locator("section[aria-labelledby=before-heading]")
    passages = before.locator("blockquote.passage")
    expect(passages).to_have_count(3)
    expect(passages.first).to_contain_text("The quality of assessments is adequate overall.")
    expect(passages.first).to_contain_text("inspection of 11 March 2013 · similarity 0.62")
    visit.screenshot("finding-intelligence")


def test_the_authority_page_lists_its_recurring_issues(visit: Visit) -> None:
    page = visit.page
    visit.open("/#/authority/cheshire-east")
    section = page.locator("section[aria-labelledby=recurring-heading]")
    expect(section.get_by_role("heading", name="Recurring issues")).to_be_visible()
    summaries = section.locator("details.recurring > summary")
    expect(summaries).to_have_count(6)
    expect(summaries.nth(3)).to_have_text(
        "Inspection of 18 November 2019: Raised again: 24 · Not raised before: 5 · "
        "Raised before, not again: 84"
    )
    summaries.nth(3).click()
    pair = section.locator("details.recurring").nth(3).locator(".recurring__pair").first
    expect(pair.locator("blockquote.passage").first).to_be_visible()
    expect(pair).to_contain_text("Raised before:")
    visit.screenshot("authority-recurring")
