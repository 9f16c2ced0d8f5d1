"""`/judgements?latest=true`: each authority's latest judgement in each area, on the whole
shipped corpus, held against Ofsted's own published outcomes (tests/data/official-outcomes.csv,
one row per ILACS report, typed from Ofsted's outcomes table, not from the extraction)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.extraction.authorities import AuthorityRegister
from app.main import create_app
from seed import DOCUMENTS_DIR
from tests.api.helpers import get, walk

OUTCOMES = Path(__file__).parents[1] / "data" / "official-outcomes.csv"
MANIFEST = DOCUMENTS_DIR / "manifest.csv"


@pytest.fixture(scope="module")
def corpus(corpus_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_engine)) as client:
        yield client


GRADES = {
    "Outstanding": "outstanding",
    "Good": "good",
    "Requires improvement to be good": "requires-improvement",
    "Inadequate": "inadequate",
}


def official(area: str, register: AuthorityRegister) -> dict[tuple[str, str], str]:
    """Ofsted's ILACS grades in `area` (blank rows left out: ILACS graded care leavers apart
    only from 2023): (authority slug, the inspection's first day) to the grade. The table
    holds 137 of the corpus's reports, not all of them; each file's authority is the
    manifest's (seed/documents/manifest.csv) by its Ofsted URN in the register."""
    slugs = {entry.ofsted_urn: entry.slug for entry in register.entries}
    with MANIFEST.open(newline="") as file:
        urns = {row["file"]: row["ofsted_urn"] for row in csv.DictReader(file)}
    grades = {}
    with OUTCOMES.open(newline="") as file:
        for row in csv.DictReader(file):
            if row[area]:
                grades[(slugs[urns[row["file"]]], row["inspection_start"])] = GRADES[row[area]]
    return grades


@pytest.mark.parametrize(
    ("area", "checked"),
    [
        ("overall-effectiveness", 83),
        ("leadership", 79),
        ("help-and-protection", 79),
        ("children-in-care", 79),
        ("care-leavers", 47),
    ],
)
def test_the_latest_ilacs_grades_agree_with_ofsteds_table(
    corpus: TestClient, register: AuthorityRegister, area: str, checked: int
) -> None:
    """One judgement per authority; where Ofsted's table has the inspection, the same grade;
    and no inspection in the table graded the area later than the one listed."""
    listed = walk(corpus, f"/judgements?latest=true&type=ilacs&area={area}&limit=500")
    found = {j["authority"]["slug"]: (j["start_date"], j["grade"]) for j in listed}
    assert len(listed) == len(found)
    table = official(area, register)
    agreed = [slug for slug, (day, grade) in found.items() if table.get((slug, day)) == grade]
    differ = [
        slug for slug, (day, grade) in found.items() if table.get((slug, day), grade) != grade
    ]
    later = [(slug, day) for slug, day in table if slug in found and day > found[slug][0]]
    missing = sorted({slug for slug, _ in table} - set(found))
    assert (len(agreed), differ, later, missing) == (checked, [], [], [])


def test_the_authorities_whose_latest_care_leavers_grade_is_inadequate(
    corpus: TestClient,
) -> None:
    """Of every framework: four ILACS of 2024, and Worcestershire's single inspection of 2016
    (its ILACS of 2019 came before ILACS graded care leavers apart)."""
    query = "/judgements?latest=true&area=care-leavers&grade=inadequate"
    found = [(j["authority"]["slug"], j["start_date"], j["inspection_type"]) for j in walk(
        corpus, query
    )]  # fmt: skip
    assert found == [
        ("worcestershire", "2016-10-24", "single-inspection"),
        ("cheshire-east", "2024-02-26", "ilacs"),
        ("halton", "2024-05-13", "ilacs"),
        ("devon", "2024-09-30", "ilacs"),
        ("knowsley", "2024-11-18", "ilacs"),
    ]
    # The other filters choose the inspections first: the latest as at the end of 2019.
    at_2019 = walk(corpus, f"{query}&year_to=2019")
    assert [(j["authority"]["slug"], j["start_date"]) for j in at_2019] == [
        ("birmingham", "2014-03-18"),
        ("somerset", "2015-01-20"),
        ("devon", "2015-02-24"),
        ("slough", "2015-11-24"),
        ("worcestershire", "2016-10-24"),
    ]
    # The CSV has the same rows, with the inspection's first day.
    response = corpus.get(f"{query}&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["authority_name"], r["start_date"], r["grade_label"]) for r in rows] == [
        ("Worcestershire", "2016-10-24", "Inadequate"),
        ("Cheshire East", "2024-02-26", "Inadequate"),
        ("Halton", "2024-05-13", "Inadequate"),
        ("Devon", "2024-09-30", "Inadequate"),
        ("Knowsley", "2024-11-18", "Inadequate"),
    ]


def test_latest_on_the_seed_documents(client: TestClient) -> None:
    """Cheshire East's two graded seed inspections (2013 child protection, none later in
    the seeds): the 2013 grades are its latest; without `latest`, the same four."""
    latest = walk(client, "/judgements?latest=true")
    assert [(j["inspection_id"], j["area"], j["grade"]) for j in latest] == [
        (4, "overall-effectiveness", "inadequate"),
        (4, "help-and-protection", "requires-improvement"),
        (4, "quality-of-practice", "inadequate"),
        (4, "leadership", "requires-improvement"),
    ]
    assert get(client, "/judgements?latest=maybe", 422)["message"].startswith("latest:")


def test_latest_pages_with_its_cursor(corpus: TestClient) -> None:
    """The 132 authorities' latest overall effectiveness grades, 20 a page, are the same
    rows as in one page, each once."""
    query = "/judgements?latest=true&area=overall-effectiveness"
    paged = [j["id"] for j in walk(corpus, f"{query}&limit=20")]
    whole = [j["id"] for j in walk(corpus, f"{query}&limit=500")]
    assert paged == whole
    assert len(set(paged)) == len(paged) == 132


def test_grade_statistics_take_the_judgements_filters(corpus: TestClient) -> None:
    """`/stats/grades` takes `published_from`/`published_to` and `inspection` as
    `/judgements` does: the latest ILACS care leavers grades in reports published by the end
    of 2023 are the same 23 judgements by either route (ILACS alone: no citations)."""
    asked = "type=ilacs&area=care-leavers&published_to=2023-12-31"
    listed = walk(corpus, f"/judgements?latest=true&{asked}&limit=500")
    counted = get(corpus, f"/stats/grades?{asked}")["items"]
    assert {row["grade"]: row["judgements"] for row in counted} == dict(
        Counter(judgement["grade"] for judgement in listed)
    )
    assert [row["judgements"] for row in counted] == [3, 12, 7, 1]
    # Published by then: fewer authorities graded, the picture as it stood.
    every = get(corpus, "/stats/grades?area=care-leavers")["items"]
    by_then = get(corpus, "/stats/grades?area=care-leavers&published_to=2023-12-31")["items"]
    assert [row["judgements"] for row in every] == [26, 50, 23, 5]
    assert [row["judgements"] for row in by_then] == [5, 26, 20, 4]
    # Two inspections' own judgements.
    two = walk(corpus, "/judgements?inspection=40&inspection=41&limit=500")
    rows = get(corpus, "/stats/grades?per=inspection&inspection=40&inspection=41")["items"]
    assert sum(row["judgements"] for row in rows) == len(two) == 12


def test_a_finding_carries_its_reports_publication_date(corpus: TestClient) -> None:
    """Management oversight recommendations in reports published in 2023 (the explorer's
    second task): each finding says when its report was published, the document's date."""
    page = get(
        corpus,
        "/findings?kind=recommendation&theme=management-oversight"
        "&published_from=2023-01-01&published_to=2023-12-31&limit=500",
    )
    assert page["total"] == 28
    assert {item["published_date"][:4] for item in page["items"]} == {"2023"}
    first = page["items"][0]
    assert (first["id"], first["published_date"]) == (4606, "2023-01-13")
    document = get(corpus, f"/documents/{first['source']['document_id']}")
    assert document["published_date"] == first["published_date"]
    assert get(corpus, "/findings/4606")["published_date"] == "2023-01-13"
    answer = corpus.get(
        "/findings?kind=recommendation&theme=management-oversight"
        "&published_from=2023-01-01&published_to=2023-12-31&format=csv"
    )
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(row["id"], row["published_date"]) for row in rows[:2]] == [
        ("4606", "2023-01-13"),
        ("4608", "2023-01-13"),
    ]
    assert len(rows) == 28


def test_an_inspection_date_range_is_the_same_on_every_list(corpus: TestClient) -> None:
    """`inspected_from`/`inspected_to` (2018-19's financial year) mean the inspection's first
    day on every list: 27 inspections began then, with 1,515 findings, 163 of them
    recommendations, and 27 overall effectiveness grades."""
    window = "inspected_from=2018-04-01&inspected_to=2019-03-31"
    inspections = walk(corpus, f"/inspections?{window}&limit=500")
    assert len(inspections) == 27
    assert all("2018-04-01" <= item["start_date"] <= "2019-03-31" for item in inspections)
    page = get(corpus, f"/findings?{window}&limit=1")
    assert (page["total"], page["coverage"]["authorities_with_data"]) == (1515, 27)
    # The coverage note is kept per filters: a narrower range is another note.
    narrower = get(corpus, "/findings?inspected_from=2018-04-01&inspected_to=2018-12-31&limit=1")
    assert narrower["coverage"]["authorities_with_data"] == 19
    assert get(corpus, f"/findings?{window}&kind=recommendation&limit=1")["total"] == 163
    facets = get(corpus, f"/findings/facets?{window}&by=year")["facets"]["year"]
    assert sum(entry["count"] for entry in facets) == 1515
    graded = walk(corpus, f"/judgements?{window}&area=overall-effectiveness&limit=500")
    assert Counter(item["grade"] for item in graded) == {
        "good": 11, "requires-improvement": 11, "inadequate": 3, "outstanding": 2,
    }  # fmt: skip
    rows = get(corpus, f"/stats/grades?per=inspection&{window}&area=overall-effectiveness")
    assert [row["judgements"] for row in rows["items"]] == [2, 11, 11, 3]


def test_an_inspection_date_range_out_of_order_is_refused(corpus: TestClient) -> None:
    answer = corpus.get("/findings?inspected_from=2019-03-31&inspected_to=2018-04-01")
    assert answer.status_code == 422
    assert answer.json()["message"] == "inspected_from: 2019-03-31 is after inspected_to 2018-04-01"
