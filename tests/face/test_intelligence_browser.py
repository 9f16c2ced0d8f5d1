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
    # Cheshire East 2019: "The quality of assessments and care plans is not yet consistently
    # good. ..."
    visit.open("/#/finding/2819")
    similar = page.locator("section[aria-labelledby=similar-heading]")
    before = page.locator("section[aria-labelledby=before-heading]")
    # The first request of a server reads every embedding into memory: wait for both.
    for section in (similar, before):
        expect(section).not_to_have_attribute("aria-busy", "true", timeout=60_000)
    expect(similar.get_by_role("heading", name="Similar findings elsewhere")).to_be_visible()
    items = similar.locator("ol.similar > li")
    expect(items).to_have_count(5)
    expect(items.first).to_contain_text("Liverpool, 2018")
    expect(items.first).to_contain_text("similarity 0.81")
    expect(items.first).to_contain_text("The quality of assessments and care plans is not good")
    expect(items.nth(1)).to_contain_text("Stoke-on-Trent, 2019")
    passages = before.locator("blockquote.passage")
    expect(passages).to_have_count(2)
    expect(passages.first).to_contain_text("Social workers are too slow to respond")
    expect(passages.first).to_contain_text("inspection of 6 July 2015 · similarity 0.70")
    visit.screenshot("finding-intelligence")


def test_the_authority_page_lists_its_recurring_issues(visit: Visit) -> None:
    page = visit.page
    visit.open("/#/authority/cheshire-east")
    section = page.locator("section[aria-labelledby=recurring-heading]")
    expect(section.get_by_role("heading", name="Recurring issues")).to_be_visible()
    expect(section).not_to_have_attribute("aria-busy", "true", timeout=60_000)
    expect(section.locator(".recurring__measured")).to_have_text(
        "Read each link as possibly the same issue and check both passages: on 175 pairs judged "
        "by a reader, 69% of the links made were the same issue, and 26% of the same issues "
        "were linked."
    )
    summaries = section.locator("details.recurring > summary")
    expect(summaries).to_have_count(6)
    expect(summaries.nth(3)).to_have_text(
        "Inspection of 18 November 2019: Raised again: 12 · Not raised before: 17 · "
        "Raised before, not again: 113"
    )
    summaries.nth(3).click()
    pair = section.locator("details.recurring").nth(3).locator(".recurring__pair").first
    expect(pair.locator("blockquote.passage").first).to_be_visible()
    expect(pair).to_contain_text("Raised before:")
