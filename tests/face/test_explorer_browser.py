"""The explorer at `/` in headless Chromium, against the real server on the whole shipped
corpus: what a person sees and can do, with the network cut off (every request to another
host is refused and fails the test). Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.face.conftest import ARTIFACTS, Visit

IMMEDIATELY_2013 = {
    69: "ensure that all contacts and referrals which indicate potential child protection "
    "concerns, including those arising in relation to child sexual exploitation, are "
    "appropriately progressed in a timely way",
    70: "ensure that the reasons for all management decisions are clear and recorded",
    71: "ensure that appropriate and timely action is taken to investigate child protection "
    "concerns which emerge whilst children and young people are subject to child in need plans",
    72: "ensure that managers at all levels effectively challenge and monitor the quality of "
    "practice in order to reduce delay.",
}


def api(visit: Visit, path: str) -> Any:
    with urllib.request.urlopen(f"{visit.server.url}{path}") as response:
        return json.load(response)


def summary(page: Page) -> Locator:
    return page.locator("#result-summary")


def finding_ids(page: Page) -> list[int]:
    return [int(value) for value in page.locator("article.finding").evaluate_all(
        "cards => cards.map(card => card.dataset.findingId)"
    )]  # fmt: skip


def facet(page: Page, name: str) -> Locator:
    return page.locator(f'[data-facet="{name}"] li')


def passage_in_view(card: Locator) -> bool:
    """The highlighted passage lies within the visible part of the scrolled text."""
    return bool(
        card.evaluate(
            """card => {
                const mark = card.querySelector("mark.passage").getBoundingClientRect();
                const text = card.querySelector(".document-text").getBoundingClientRect();
                return mark.top >= text.top && mark.bottom <= text.bottom;
            }"""
        )
    )


def test_a_person_finds_the_2013_cheshire_east_recommendations_to_do_immediately(
    visit: Visit,
) -> None:
    page = visit.page
    started = time.monotonic()
    visit.open("/")
    expect(page).to_have_title("Findings: Ofsted findings explorer")
    expect(summary(page)).to_have_text("Showing 20 of 18,502 findings")
    # A national-looking answer says how much of the country it speaks for: the 133
    # authorities with a report in the shipped corpus, of the 153.
    coverage = page.locator("#coverage-note")
    expect(coverage).to_have_text(
        "Data from 133 of 153 authorities: the others have no report loaded for these years "
        "and types."
    )

    page.get_by_role("checkbox", name="Cheshire East").check()
    expect(summary(page)).to_have_text("Showing 20 of 455 findings")
    expect(coverage).to_be_hidden()
    page.get_by_label("From", exact=True).select_option("2013")
    expect(summary(page)).to_have_text("Showing 20 of 436 findings")
    page.get_by_label("To", exact=True).select_option("2013")
    expect(summary(page)).to_have_text("Showing 20 of 74 findings")
    page.get_by_role("checkbox", name="Recommendation").check()
    expect(summary(page)).to_have_text("Showing 16 of 16 findings")
    page.get_by_role("checkbox", name="Immediately").check()
    expect(summary(page)).to_have_text("Showing 4 of 4 findings")

    # Each filter's counts leave out its own choice: what choosing each value would give.
    expect(facet(page, "authority")).to_have_text(
        ["Cheshire East, 4 findings", "Kent, 3 findings", "Medway, 4 findings"]
    )
    expect(facet(page, "kind")).to_have_text(["Recommendation, 4 findings"])
    expect(facet(page, "timeframe")).to_have_text(
        ["Immediately, 4 findings", "Within 3 months, 6 findings", "Within 6 months, 6 findings"]
    )
    expect(facet(page, "grade")).to_have_text(
        ["Requires improvement to be good, 4 findings", "Inadequate, 4 findings"]
    )
    expect(page.locator("#filter-year_from option")).to_have_text(["Any", "2013 (4)"])
    expect(page.locator(".chip")).to_have_text(
        ["From 2013 ×", "To 2013 ×", "Cheshire East ×", "Recommendation ×", "Immediately ×"]
    )
    assert urllib.parse.unquote(page.evaluate("location.hash")) == (
        "#/?year_from=2013&year_to=2013&authority=cheshire-east&kind=recommendation"
        "&timeframe=immediately"
    )
    assert finding_ids(page) == list(IMMEDIATELY_2013)
    expect(page.locator("article.finding .finding__text")).to_have_text(
        list(IMMEDIATELY_2013.values())
    )
    expect(page.locator("article.finding h3")).to_have_text(
        ["Recommendation: Cheshire East, 2013"] * 4
    )

    for finding_id, text in IMMEDIATELY_2013.items():
        card = page.locator(f'article[data-finding-id="{finding_id}"]')
        card.get_by_role("button", name="Read in source").click()
        expect(card.get_by_role("button", name="Hide source")).to_have_attribute(
            "aria-expanded", "true"
        )
        expect(card.locator("mark.passage")).to_have_text(text)
        assert card.locator("mark.passage").text_content() == text
        expect(card.locator(".source__pdf")).to_have_text(
            "No link to the published PDF is recorded for this document."
        )
        assert passage_in_view(card), finding_id
    elapsed = time.monotonic() - started
    assert elapsed < 60
    visit.screenshot("person-test")
    (ARTIFACTS / "browser" / f"person-test-{visit.server.backend}.txt").write_text(
        f"filters applied and 4 passages read in {elapsed:.1f} s\n"
    )

    # Dropping a filter from the list of those in use widens the results again.
    remove = "Remove filter Timeframe of a recommendation: Immediately"
    page.get_by_role("button", name=remove).click()
    expect(summary(page)).to_have_text("Showing 16 of 16 findings")


def test_search_highlights_matches_and_pages_with_next(visit: Visit) -> None:
    page = visit.page
    visit.open("/")
    page.get_by_label("Search the text of findings").fill('"management oversight"')
    page.keyboard.press("Enter")
    expect(summary(page)).to_have_text("Showing 20 of 895 findings")
    expect(page.get_by_label("Order")).to_have_value("relevance")
    marks = page.locator("article.finding .finding__text mark")
    assert {text.lower() for text in marks.all_text_contents()} == {"management oversight"}

    first = api(visit, "/findings?q=%22management+oversight%22&sort=relevance&limit=20")
    second = api(visit, first["next"])
    assert finding_ids(page) == [item["id"] for item in first["items"]]
    page.get_by_role("button", name="Show more findings").click()
    expect(summary(page)).to_have_text("Showing 40 of 895 findings")
    assert finding_ids(page) == [item["id"] for item in first["items"] + second["items"]]
    expect(page.locator("article.finding").nth(20).locator("h3")).to_be_focused()
    visit.screenshot("search")

    page.get_by_label("Search the text of findings").fill('"management oversight')
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(
        'Cannot show findings: q: a quoted phrase is not closed: add the closing "'
    )
    # Chromium logs the two 422 answers (findings and facets): expected here, and only here.
    refused = "Failed to load resource: the server responded with a status of 422"
    for _ in range(50):  # the second answer may come just after the alert is shown
        if len(visit.errors) >= 2:
            break
        page.wait_for_timeout(100)
    assert [error.split(" (")[0] for error in visit.errors] == [refused, refused]
    visit.errors.clear()


def test_a_finding_from_a_pdf_links_to_the_published_pdf(visit: Visit) -> None:
    page = visit.page
    visit.open("/#/?authority=cheshire-east&year_from=2015&year_to=2015&kind=recommendation")
    expect(summary(page)).to_have_text("Showing 20 of 25 findings")
    card = page.locator("article.finding").first
    expect(card).to_have_attribute("data-finding-id", "2578")
    card.get_by_role("button", name="Read in source").click()
    # The finding's text is the passage with its layout (bullets, line breaks) normalised;
    # the highlight is the document's own text between the finding's offsets.
    document = api(visit, "/documents/39")
    expect(card.locator("mark.passage")).to_be_visible()
    assert card.locator("mark.passage").text_content() == document["text"][11927:12284]
    assert card.locator("mark.passage").text_content() == (
        "Strengthen senior managers’ oversight and monitoring of:\n\n• complex cases where "
        "there are historic drift and delay in taking decisive\naction (paragraph 36)\n\n• "
        "private fostering and connected persons’ arrangements to ensure that these\n"
        "arrangements are suitable and comply with regulations (paragraphs 40, 83)\n\n• care "
        "leavers who are homeless (paragraph 112)."
    )
    expect(card.get_by_role("link", name="Source PDF")).to_have_attribute(
        "href", "https://files.ofsted.gov.uk/v1/file/50004304"
    )
    expect(card.get_by_role("link", name="Document as JSON")).to_have_attribute(
        "href", "/documents/39"
    )
    expect(card.locator(".source__title cite")).to_have_text(
        "Inspection of services for children in need of help and protection, children looked "
        "after and care leavers and Review of the effectiveness of the local safeguarding "
        "children board"
    )
    assert passage_in_view(card)
    visit.screenshot("finding-from-pdf")

    # The finding's own address opens it with its passage.
    visit.open("/#/finding/2578")
    expect(page.locator("h1")).to_have_text("Finding 2578")
    expect(page.locator("mark.passage")).to_be_visible()
    assert page.locator("mark.passage").text_content() == document["text"][11927:12284]


def points(page: Page, selector: str, *attributes: str) -> list[tuple[str, ...]]:
    return [
        tuple(row)
        for row in page.locator(selector).evaluate_all(
            "(nodes, names) => nodes.map(n => names.map(name => n.getAttribute(name)))",
            list(attributes),
        )
    ]


def test_the_authority_page_charts_grades_and_themes_beside_neighbours(visit: Visit) -> None:
    page = visit.page
    visit.open("/#/?authority=cheshire-east")
    page.locator("article.finding").first.get_by_role("link", name="Cheshire East").click()
    expect(page.locator("h1")).to_have_text("Cheshire East")
    expect(page.locator("h1")).to_be_focused()
    expect(page).to_have_title("Cheshire East: Ofsted findings explorer")
    expect(page.locator(".lede")).to_have_text(
        "North West. ONS code E06000049. 6 inspections loaded. Read its 455 findings"
    )

    # The grid: judgement areas by inspection, each grade once. The August 2011 grade is
    # known only from the 2015 report's citation (no 2011 inspection is loaded); the 2015
    # and 2024 reports' citations of the 2013 and 2019 inspections' own grades are not
    # columns of their own.
    grid = page.locator("#grade-grid")
    expect(grid.locator("thead th")).to_have_text(
        [
            "Judgement area",
            "August 2011Cited by a later report (inspection 38)",
            "11 March 2013Inspection of local authority arrangements for the protection of "
            "children",
            "6 July 2015single inspection framework",
            "18 November 2019ILACS",
            "26 February 2024ILACS",
        ]
    )
    cells = grid.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.children].map(cell => cell.textContent))"
    )
    no, ri, bad = "Not graded", "3 Requires improvement", "4 Inadequate"
    assert cells == [
        ["Overall effectiveness", no, bad, ri, ri, bad],
        ["Help and protection", no, ri, ri, ri, ri],
        ["Children in care", f"{ri} (cited)", no, ri, ri, ri],
        ["Care leavers", no, no, ri, no, bad],
        ["Adoption performance", no, no, "2 Good", no, no],
        ["Leadership", no, ri, ri, ri, ri],
        ["Quality of practice", no, bad, no, no, no],
        ["Local safeguarding children board", no, no, ri, no, no],
    ]

    # The chart: one lane per area; each grade once, a citation of a loaded inspection's
    # grade recorded on that inspection's point; what only a citation gives is hollow.
    chart = page.locator("svg.chart--timeline")
    expect(chart).to_have_attribute("data-points", "21")
    expect(chart).to_have_attribute("role", "img")
    overall = '.chart-point[data-area="overall-effectiveness"]'
    assert points(page, overall, "data-date", "data-score", "data-cited", "data-cited-by") == [
        ("2013-03-11", "4", "false", "38"),
        ("2015-07-06", "3", "false", ""),
        ("2019-11-18", "3", "false", "40"),
        ("2024-02-26", "4", "false", ""),
    ]
    assert points(page, '.chart-point[data-cited="true"]', "data-area", "data-date") == [
        ("children-in-care", "2011-08")
    ]
    per_area = page.locator(".chart-series").evaluate_all(
        "groups => groups.map(g => [g.dataset.area, g.querySelectorAll('.chart-point').length])"
    )
    assert per_area == [
        ["overall-effectiveness", 4],
        ["help-and-protection", 4],
        ["children-in-care", 4],
        ["care-leavers", 2],
        ["adoption", 1],
        ["leadership", 4],
        ["quality-of-practice", 1],
        ["safeguarding-board", 1],
    ]
    # No marker hides another: every two are at least 10 units apart.
    centres = [(float(x), float(y)) for x, y in points(page, ".chart-point", "data-x", "data-y")]
    closest = min(
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
        for i, a in enumerate(centres)
        for b in centres[i + 1 :]
    )
    assert closest >= 10, closest
    assert points(page, ".chart-inspection", "data-date", "data-type", "data-graded") == [
        ("2010-07-20", "contact-referral-assessment", "false"),
        ("2013-03-11", "child-protection", "true"),
        ("2015-07-06", "single-inspection", "true"),
        ("2019-11-18", "ilacs", "true"),
        ("2021-11-03", "focused-visit", "false"),
        ("2024-02-26", "ilacs", "true"),
    ]
    expect(page.locator("#grade-chart-desc")).to_have_text(
        "Overall effectiveness: 2013-03-11 Inadequate; 2015-07-06 Requires improvement to be "
        "good; 2019-11-18 Requires improvement to be good; 2024-02-26 Inadequate. The grid "
        "above gives every grade."
    )
    expect(page.locator('[aria-label="Markers"] li')).to_have_text(
        [
            "Filled: the inspection's own grade",
            "Hollow: known only from a later report's citation",
            "Inspection or visit (outlined: no grades)",
        ]
    )
    page.get_by_text("The grades as a table").click()
    expect(page.locator("#grade-table tbody tr")).to_have_count(26)
    expect(page.locator("#grade-table tbody tr").nth(2)).to_have_text(
        "11 March 2013Inspection of local authority arrangements for the protection of "
        "childrenOverall effectivenessInadequate4"
    )
    # The citations say what they cite.
    expect(page.locator("#grade-table tbody tr").nth(6)).to_have_text(
        "April 2013Cited by a later report (inspection 38): the grade of the 11 March 2013 "
        "inspectionOverall effectivenessinadequate4"
    )

    # The theme profile beside the neighbours with findings (nine of them, 1,565 findings
    # pooled; Leicestershire has none loaded).
    themes = page.locator(".chart-theme")
    expect(themes).to_have_count(18)
    assert points(page, ".chart-theme", "data-theme", "data-share", "data-neighbours-share")[
        :5
    ] == [
        ("partnership", "0.2286", "0.2217"),
        ("children-in-care", "0.2242", "0.3163"),
        ("child-protection", "0.1275", "0.0831"),
        ("care-leavers", "0.1187", "0.1316"),
        ("leadership", "0.1165", "0.1450"),
    ]
    expect(themes.first.locator(".chart-value")).to_have_text(["23%", "22%"])
    expect(page.locator('[aria-label="Bars"] li')).to_have_text(
        [
            "Cheshire East (455 findings)",
            "Statistical neighbours with findings, pooled: Gloucestershire, Warwickshire, North "
            "Yorkshire, Warrington, Wiltshire, Hampshire, Cheshire West and Chester, "
            "Oxfordshire, Worcestershire (1565 findings)",
        ]
    )
    neighbours = page.locator("#neighbours-table tbody tr")
    assert [row.get_attribute("data-slug") for row in neighbours.all()] == [
        "cheshire-east", "gloucestershire", "warwickshire", "north-yorkshire", "warrington",
        "wiltshire", "hampshire", "cheshire-west-and-chester", "oxfordshire", "worcestershire",
        "leicestershire",
    ]  # fmt: skip
    expect(neighbours.locator("td:last-child")).to_have_text(
        [
            "Inadequate (4), February 2024",
            "Requires improvement to be good (3), February 2022",
            "Requires improvement to be good (3), June 2025",
            "Outstanding (1), July 2023",
            "Good (2), June 2024",
            "Outstanding (1), September 2023",
            "good (2), February 2014",  # as written: "... in Hampshire are good"
            "Requires improvement to be good (3), July 2024",
            "Good (2), February 2024",
            "Requires improvement to be good (3), June 2019",
            "None loaded",
        ]
    )
    visit.screenshot("authority")

    page.locator("#neighbours-table").get_by_role("link", name="Warrington", exact=True).click()
    expect(page.locator("h1")).to_have_text("Warrington")
    # Its 2019 and 2024 inspections: four judgements and five.
    expect(page.locator("svg.chart--timeline")).to_have_attribute("data-points", "9")


def test_no_two_areas_share_a_style_on_the_grade_chart(visit: Visit) -> None:
    """Kent's 2013 looked after children inspection graded outcomes for children in care
    and quality of provision alike: the chart drew both as one grey "other" series. Each
    area has a lane, a colour and a shape of its own."""
    page = visit.page
    visit.open("/#/authority/kent")
    expect(page.locator("h1")).to_have_text("Kent")
    series = points(page, ".chart-series", "data-area", "data-colour", "data-shape")
    assert [area for area, _, _ in series] == [
        "overall-effectiveness", "help-and-protection", "children-in-care", "adoption",
        "leadership", "capacity-to-improve", "outcomes-for-children-in-care",
        "quality-of-provision",
    ]  # fmt: skip
    assert len({(colour, shape) for _, colour, shape in series}) == len(series)
    expect(page.locator("#grade-grid tbody th")).to_have_text(
        [
            "Overall effectiveness", "Help and protection", "Children in care",
            "Adoption performance", "Leadership", "Capacity to improve",
            "Outcomes for children in care", "Quality of provision",
        ]
    )  # fmt: skip


def test_the_authorities_list_finds_an_authority_by_name(visit: Visit) -> None:
    page = visit.page
    visit.open("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Authorities").click()
    expect(page.locator("h1")).to_have_text("Authorities")
    expect(page.locator("#authority-count")).to_have_text(
        "133 of 133 authorities with inspections loaded (156 in the register)"
    )
    page.get_by_label("Find an authority by name").fill("chesh")
    expect(page.locator("#authority-count")).to_have_text(
        "2 of 133 authorities with inspections loaded (156 in the register)"
    )
    expect(page.locator("#authority-table tbody tr:not([hidden]) th")).to_have_text(
        ["Cheshire East", "Cheshire West and Chester"]
    )
    # The latest overall effectiveness grade of each (GET /judgements?latest=true).
    expect(page.locator("#authority-table tbody tr:not([hidden]) td:last-child")).to_have_text(
        ["Inadequate (4), February 2024", "Requires improvement to be good (3), July 2024"]
    )
    visit.screenshot("authorities")


def focus_ring(page: Page) -> dict[str, str]:
    return dict(
        page.evaluate(
            """() => {
                const style = getComputedStyle(document.activeElement);
                return {outline: style.outlineStyle, width: style.outlineWidth,
                        shadow: style.boxShadow};
            }"""
        )
    )


def tab_to(page: Page, selector: str, limit: int = 60) -> int:
    """Press Tab until the element matching `selector` has focus; every element on the
    way shows a focus ring. Returns how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        ring = focus_ring(page)
        assert ring["outline"] == "solid" and ring["width"] == "3px", (presses, ring)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def test_the_explorer_works_from_the_keyboard_alone(visit: Visit) -> None:
    page = visit.page
    visit.open("/")
    expect(summary(page)).to_have_text("Showing 20 of 18,502 findings")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    assert tab_to(page, "#filter-q") == 1
    page.keyboard.type("supervis*")
    page.keyboard.press("Enter")
    expect(summary(page)).to_have_text("Showing 20 of 692 findings")
    tab_to(page, "#filter-authority-cheshire-east")
    page.keyboard.press("Space")
    expect(summary(page)).to_have_text("Showing 18 of 18 findings")
    # The filters are drawn again with the new counts; focus stays on the same checkbox.
    expect(page.locator("#filter-authority-cheshire-east")).to_be_focused()
    expect(page.locator("#filter-authority-cheshire-east")).to_be_checked()

    # Past the rest of the filters: every authority with a finding on supervision is one,
    # then the regions, the years, the inspection and publication dates (two fields and a
    # button each), types, kinds, areas, polarities, grades, themes and the theme's
    # probability, then the results: the order and Download CSV.
    assert tab_to(page, "article.finding .source-toggle", limit=400) == 156
    page.keyboard.press("Enter")
    card = page.locator("article.finding").first
    expect(card.locator("mark.passage")).to_be_visible()
    expect(card.locator(".source-toggle")).to_have_attribute("aria-expanded", "true")
    visit.screenshot("keyboard")


def test_the_filters_in_use_show_nothing_when_there_are_none(visit: Visit) -> None:
    """The list of filters in use is empty with no filter (it once read "null"), shows a
    search as a chip, and is empty again once the chip is removed."""
    page = visit.page
    visit.open("/")
    expect(summary(page)).to_have_text("Showing 20 of 18,502 findings")
    chips = page.locator("div.chips")
    expect(chips).to_have_text("")
    page.get_by_label("Search the text of findings").fill("drift")
    page.keyboard.press("Enter")
    expect(summary(page)).to_have_text("Showing 20 of 345 findings")
    expect(chips).to_have_text("Search: “drift” ×")
    page.get_by_role("button", name="Remove filter Search: Search: “drift”").click()
    expect(summary(page)).to_have_text("Showing 20 of 18,502 findings")
    expect(chips).to_have_text("")


def test_a_new_address_shows_only_its_own_filters(visit: Visit) -> None:
    """Opening another address (typed, or a link) shows that address's filters alone: none
    of the previous address's boxes stay ticked or shown as chips."""
    page = visit.page
    visit.open("/#/?theme=workforce")
    expect(summary(page)).to_contain_text("Showing 20 of")
    expect(page.locator("div.chips")).to_have_text("Workforce, caseloads and training ×")
    visit.open("/#/?kind=recommendation")
    expected = api(visit, "/findings?kind=recommendation&limit=1")["total"]
    expect(summary(page)).to_have_text(f"Showing 20 of {expected:,} findings")
    expect(page.locator("div.chips")).to_have_text("Recommendation ×")
    assert page.locator('input[name="theme"]:checked').count() == 0
    assert page.locator('input[name="kind"]:checked').count() == 1


def test_the_theme_filter_takes_how_sure_the_model_must_be(visit: Visit) -> None:
    """The theme filter's "probability" choice is the API's `theme_score_min`: it narrows the
    findings and the theme counts alike, shows as a chip, stays in the address, and goes
    with its chip."""
    page = visit.page
    visit.open("/")
    page.get_by_role("checkbox", name="Management oversight and supervision").check()
    expect(summary(page)).to_have_text("Showing 20 of 1,441 findings")
    page.get_by_label("The model's probability of the theme").select_option("0.9")
    expect(summary(page)).to_have_text("Showing 20 of 527 findings")
    assert (
        api(visit, "/findings?theme=management-oversight&theme_score_min=0.9&limit=1")["total"]
        == 527
    )
    assert "theme_score_min=0.9" in page.evaluate("location.hash")
    expect(page.locator("div.chips li")).to_have_text(
        ["Themes at 90% or more ×", "Management oversight and supervision ×"]
    )
    counted = page.locator('label[for="filter-theme-management-oversight"] .count')
    expect(counted).to_have_text(", 527 findings")
    page.get_by_role(
        "button", name="Remove filter Theme probability: Themes at 90% or more"
    ).click()
    expect(summary(page)).to_have_text("Showing 20 of 1,441 findings")
    expect(page.get_by_label("The model's probability of the theme")).to_have_value("")


def test_findings_of_inspections_that_began_between_two_days(visit: Visit) -> None:
    """The inspection's dates are the API's `inspected_from`/`inspected_to`: 2018-19's
    financial year, to the day, beside the year filter's whole years."""
    page = visit.page
    visit.open("/")
    expect(summary(page)).to_have_text("Showing 20 of 18,502 findings")
    page.get_by_label("Began on or after").fill("2018-04-01")
    page.get_by_label("Began on or before").fill("2019-03-31")
    page.get_by_role("button", name="Apply inspection dates").click()
    expect(summary(page)).to_have_text("Showing 20 of 1,515 findings")
    expect(page.locator("div.chips li")).to_have_text(
        [
            "Inspection began on or after 1 April 2018 ×",
            "Inspection began on or before 31 March 2019 ×",
        ]
    )
    assert "inspected_from=2018-04-01&inspected_to=2019-03-31" in page.evaluate("location.hash")
    # The year choices count only what the dates allow.
    options = page.locator("#filter-year_from option").all_text_contents()
    assert options == ["Any", "2018 (1,089)", "2019 (426)"]
