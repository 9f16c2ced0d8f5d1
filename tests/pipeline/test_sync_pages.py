"""The reports site's pages read as the sync reads them: the recorded pages, oddities, and any
text at all (it must never crash)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from seed.sync.pages import (
    Provider,
    Publication,
    parse_listing,
    parse_provider_page,
    parse_search_page,
    robots_url,
    search_url,
)
from tests.fake_site import national_site
from tests.fuzzing import fuzz_settings

BASE = "https://reports.ofsted.gov.uk"


def test_the_search_page_url_pages_with_start_and_rows() -> None:
    assert search_url(BASE + "/", 100, 100) == (
        "https://reports.ofsted.gov.uk/search?q=&level_1_types=3&level_2_types%5B%5D=12"
        "&start=100&rows=100"
    )
    assert robots_url("https://files.ofsted.gov.uk/v1/file/50066870") == (
        "https://files.ofsted.gov.uk/robots.txt"
    )


def test_a_listing_gives_the_site_s_name_date_and_format() -> None:
    assert parse_listing("children's services inspection - 09 may 2025, pdf") == (
        "children's services inspection",
        date(2025, 5, 9),
        "pdf",
    )
    # Commas and dashes in the name; a capital letter; an abbreviated month; no format.
    assert parse_listing(
        "Inspection of services for children in need of help and protection, children "
        "looked after and care leavers - 3 Sept 2015, PDF"
    ) == (
        "Inspection of services for children in need of help and protection, children "
        "looked after and care leavers",
        date(2015, 9, 3),
        "pdf",
    )
    assert parse_listing("focused visit - 10  january\n2022") == (
        "focused visit",
        date(2022, 1, 10),
        None,
    )
    # Not in the shape, or not a date: all of it is the name, with no date.
    assert parse_listing("Annual report") == ("Annual report", None, None)
    assert parse_listing("monitoring visit - 31 february 2020, pdf") == (
        "monitoring visit - 31 february 2020, pdf",
        None,
        None,
    )


def test_the_recorded_search_page_lists_its_providers_in_order() -> None:
    site = national_site()
    page = site.search_page(100, 100)
    providers = parse_search_page(page, BASE + "/search?start=100&rows=100")
    assert len(providers) == 60
    assert providers[0] == Provider("80536", "Oxfordshire", BASE + "/provider/44/80536")
    assert providers[-1] == Provider("80453", "York", BASE + "/provider/44/80453")
    assert len(parse_search_page(site.search_page(0, 100), BASE + "/search")) == 100
    assert parse_search_page(site.search_page(200, 100), BASE + "/search") == []


def test_the_recorded_provider_page_lists_its_publications_in_order() -> None:
    site = national_site()
    site.base_url = "https://example.test"
    cheshire_east = next(p for p in site.providers if p.name == "Cheshire East")
    publications = parse_provider_page(
        site.provider_page(cheshire_east), BASE + "/provider/44/" + cheshire_east.urn
    )
    assert publications == [
        Publication(
            "https://example.test/v1/file/50247203",
            "children's services inspection - 16 may 2024, pdf",
            "children's services inspection",
            date(2024, 5, 16),
            "pdf",
        ),
        Publication(
            "https://example.test/v1/file/50141243",
            "children's services inspection - 09 january 2020, pdf",
            "children's services inspection",
            date(2020, 1, 9),
            "pdf",
        ),
        Publication(
            "https://example.test/v1/file/50004304",
            "inspection of services for children in need of help and protection, children "
            "looked after and care leavers - 15 september 2015, pdf",
            "inspection of services for children in need of help and protection, children "
            "looked after and care leavers",
            date(2015, 9, 15),
            "pdf",
        ),
    ]
    assert publications[0].file_id == "50247203"


def test_links_are_read_whatever_the_markup_around_them() -> None:
    page = """
    <a href="/provider/44/80486"><span>London Borough of</span>
       <b>Barking</b> and Dagenham</a>
    <a href="/provider/44/80486">Barking and Dagenham again</a>
    <a href="/provider/44/not-a-urn">Nothing</a>
    <a href="/search?start=100">2</a>
    <a href=" https://reports.ofsted.gov.uk/provider/16/80487 ">Barnet
    """
    assert parse_search_page(page, BASE + "/search") == [
        Provider("80486", "London Borough of Barking and Dagenham", BASE + "/provider/44/80486"),
        Provider("80487", "Barnet", BASE + "/provider/16/80487"),
    ]
    page = """
    <a class="publication-link external" href="/v1/file/1">Letter
      <span class="nonvisual">focused <span>visit</span> - 1 march 2022, pdf</span></a>
    <a class="publication-link" href="/v1/file/1">the same file twice</a>
    <a class="publication-link" href="/v1/file/2">Inspection data summary report</a>
    <a class="publication-link" href="">no target</a>
    <a class="other" href="/v1/file/3"><span class="nonvisual">not a publication</span></a>
    <a class="publication-link" href="/v1/file/4"><span class="nonvisual">monitoring visit
    """
    assert parse_provider_page(page, "https://files.test/provider/44/1") == [
        Publication(
            "https://files.test/v1/file/1",
            "focused visit - 1 march 2022, pdf",
            "focused visit",
            date(2022, 3, 1),
            "pdf",
        ),
        Publication(
            "https://files.test/v1/file/2",
            "Inspection data summary report",
            "Inspection data summary report",
            None,
            None,
        ),
        Publication(
            "https://files.test/v1/file/4", "monitoring visit", "monitoring visit", None, None
        ),
    ]


@fuzz_settings(60)
@given(st.text())
def test_any_text_reads_as_pages_without_failing(text: str) -> None:
    for page in (text, f'<a class="publication-link" href="{text}"><span class="nonvisual">{text}'):
        assert isinstance(parse_search_page(page, BASE + "/search"), list)
        for publication in parse_provider_page(page, BASE + "/provider/44/1"):
            assert publication.title
            assert isinstance(publication.file_id, str)
        assert parse_listing(text)[0] == " ".join(text.split())
