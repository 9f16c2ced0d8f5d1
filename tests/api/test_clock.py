"""The inspection clock and coverage (docs/query-api.md, "The inspection clock" and "Honest
coverage"), on the whole shipped corpus, with figures worked out by hand from the documents'
printed inspection dates and seed/documents/manifest.csv's publication dates.

Every clock here is as of 2026-09-01. Days between two dates are counted by hand in the
comments: whole years first (365 days, 366 when a 29 February falls inside), then the days
left month by month."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.main import create_app
from app.schedule import RULE, WINDOW_MONTHS
from tests.api.helpers import get, walk

AS_OF = "2026-09-01"


@pytest.fixture(scope="module")
def corpus(corpus_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_engine)) as client:
        yield client


@pytest.fixture(scope="module")
def national(corpus: TestClient) -> dict[str, Any]:
    return get(corpus, f"/clock?as_of={AS_OF}")


def entry(national: dict[str, Any], slug: str) -> dict[str, Any]:
    (found,) = [item for item in national["items"] if item["slug"] == slug]
    return found


def window(item: dict[str, Any]) -> tuple[Any, ...]:
    estimate = item["next_inspection"]
    return (estimate["kind"], estimate["from"], estimate["to"], estimate["position"])


def test_hillingdon_longest_since_its_latest_inspection(national: dict[str, Any]) -> None:
    """hillingdon_2014-02-11.pdf, its only report: single inspection framework, "Inspection
    date: 25 November 2013 - 18 December 2013", overall "requires improvement"; published
    2014-02-11 (manifest).

    Days since: 2013-12-18 to 2025-12-18 is 12 years with the 29 Februaries of 2016, 2020 and
    2024: 12 x 365 + 3 = 4383; then 13 days to 31 December, 31+28+31+30+31+30+31+31 = 243 to
    31 August, 1 to 1 September: 257. 4383 + 257 = 4640.
    Rank 1: the oldest latest report of any authority in the manifest is Hillingdon's (the next,
    hampshire_2014-04-22.pdf, is a single inspection that ended on 12 March 2014).
    To publication: 13 days to 31 December, 31 in January, 11 in February: 55.
    Next: requires improvement -> a standard inspection; 18 December 2013 + 30 months =
    18 June 2016, + 42 months = 18 June 2017, long before 1 September 2026."""
    item = entry(national, "hillingdon")
    assert national["items"][0] == item
    assert (item["rank"], item["days_since"], item["grade"]) == (1, 4640, "requires-improvement")
    latest = item["latest"]
    assert (latest["type"], latest["start_date"], latest["end_date"]) == (
        "single-inspection", "2013-11-25", "2013-12-18",
    )  # fmt: skip
    assert (latest["published_date"], latest["published_source"]) == ("2014-02-11", "manifest")
    assert latest["days_to_publication"] == 55
    assert window(item) == ("standard", "2016-06-18", "2017-06-18", "after-window")
    assert entry(national, "hampshire")["rank"] == 2


def test_barnsley_in_its_window(national: dict[str, Any]) -> None:
    """barnsley_2023-10-27.pdf: ILACS, "Inspection dates: 11 to 15 September 2023", good;
    published 2023-10-27.

    Days since: 15 September 2023 to 15 September 2026 is 3 years with 29 February 2024:
    1096; 1 September is 14 days earlier: 1082.
    To publication: 15 days to 30 September, 27 in October: 42.
    Next: good -> short; 15 September 2023 + 30 months = 15 March 2026, + 42 months =
    15 March 2027: 1 September 2026 is inside."""
    item = entry(national, "barnsley")
    assert (item["days_since"], item["grade"]) == (1082, "good")
    assert item["latest"]["days_to_publication"] == 42
    assert window(item) == ("short", "2026-03-15", "2027-03-15", "in-window")


def test_york_before_its_window(national: dict[str, Any]) -> None:
    """york_2025-04-15.pdf: ILACS, "24 February 2025 to 7 March 2025", outstanding.

    Days since: 7 March 2025 to 7 March 2026: 365; 24 days to 31 March, 30+31+30+31+31 =
    153 to 31 August, 1: 178. 365 + 178 = 543.
    To publication (15 April 2025): 24 days to 31 March, 15 in April: 39.
    Next: outstanding -> short; 7 March 2025 + 30 months = 7 September 2027, + 42 months =
    7 September 2028."""
    item = entry(national, "york")
    assert (item["days_since"], item["grade"]) == (543, "outstanding")
    assert item["latest"]["days_to_publication"] == 39
    assert window(item) == ("short", "2027-09-07", "2028-09-07", "before-window")


def test_wolverhampton_a_slow_publication(national: dict[str, Any]) -> None:
    """wolverhampton_2026-06-18.pdf: ILACS, "26 to 30 January 2026", good.

    Days since: 1 day to 31 January, 28+31+30+31+30+31+31 = 212 to 31 August, 1: 214.
    To publication (18 June 2026): 1 + 28 + 31 + 30 + 31 = 121 to 31 May, 18 in June: 139.
    Next: good -> short; 30 January 2026 + 30 months = 30 July 2028, + 42 = 30 July 2029."""
    item = entry(national, "wolverhampton")
    assert (item["days_since"], item["grade"]) == (214, "good")
    assert item["latest"]["days_to_publication"] == 139
    assert window(item) == ("short", "2028-07-30", "2029-07-30", "before-window")


def test_cheshire_east_inadequate_has_no_window(corpus: TestClient) -> None:
    """cheshire-east_2024-05-16.pdf: ILACS, "26 February 2024 to 8 March 2024", inadequate.

    Days since: 8 March 2024 to 8 March 2026: 730 (no 29 February after March 2024);
    23 days to 31 March, 30+31+30+31+31 = 153, 1: 177. 730 + 177 = 907.
    To publication (16 May 2024): 23 + 30 + 16 = 69.
    The 2021 focused visit (003_...: "3 to 4 November 2021"), a letter with no printed
    publication date and no manifest line: 4 November 2021 to 4 November 2025 is 4 years with
    29 February 2024: 1461; 26 days to 30 November, 31+31+28+31+30+31+30+31+31 = 274 to
    31 August, 1: 301. 1461 + 301 = 1762."""
    body = get(corpus, f"/authorities/cheshire-east/clock?as_of={AS_OF}")
    assert body["as_of"] == AS_OF
    assert (body["days_since"], body["grade"]) == (907, "inadequate")
    assert body["latest"]["days_to_publication"] == 69
    assert window(body) == (None, None, None, None)
    assert body["next_inspection"]["basis_inspection_id"] == body["latest"]["inspection_id"]
    assert body["next_inspection"]["note"] == (
        "Judged inadequate: Ofsted monitors the authority with monitoring visits and "
        "re-inspects when it decides; the framework gives no anniversary to estimate from"
    )
    assert [(item["type"], item["start_date"]) for item in body["frameworks"]] == [
        ("ilacs", "2024-02-26"),
        ("focused-visit", "2021-11-03"),
        ("single-inspection", "2015-07-06"),
        ("child-protection", "2013-03-11"),
        ("contact-referral-assessment", "2010-07-20"),
    ]
    visit = body["frameworks"][1]
    assert (visit["days_since"], visit["grade"], visit["published_date"]) == (1762, None, None)
    assert visit["days_to_publication"] is None
    assert visit["publication_note"] == (
        "No publication date known: the document prints none and was loaded without one "
        "(no manifest or site date)"
    )


def test_brent_2026_gives_no_overall_grade(national: dict[str, Any]) -> None:
    """brent_2026-06-17.pdf: ILACS, "27 April to 1 May 2026", four judgements graded good and
    no overall effectiveness judgement printed.

    Days since: 30 days to 31 May, 30 + 31 + 31 = 92 to 31 August, 1: 123.
    To publication (17 June 2026): 30 + 17 = 47."""
    item = entry(national, "brent")
    assert (item["days_since"], item["grade"]) == (123, "not-graded")
    assert item["latest"]["days_to_publication"] == 47
    assert window(item) == (None, None, None, None)
    assert item["next_inspection"]["note"] == (
        "The latest inspection gave no overall effectiveness grade, which the rule needs"
    )


def test_equal_days_share_a_rank_and_the_next_rank_skips(national: dict[str, Any]) -> None:
    """The 133 authorities with an inspection in the manifest are ranked. The newest
    inspections: portsmouth_2026-08-18.pdf ended 10 July 2026 (53 days), blackpool_
    2026-07-28.pdf 19 June (74 days), and lancashire, liverpool and west-northamptonshire all
    ended 22 May 2026 (9 days to 31 May, 30 + 31 + 31, 1: 102 days). So Portsmouth is 133rd,
    Blackpool 132nd, the three share 129th (133 - 1 - 3), listed by slug. Likewise
    derbyshire_2024-01-12.pdf ("30 October to 10 November 2023") and staffordshire_
    2024-01-12.pdf ("6 to 10 November 2023") both end on 10 November 2023 and share a rank,
    one after isle-of-wight_2023-12-15.pdf (ended 3 November 2023, a week earlier), and the
    next rank skips one."""
    ranked = [item for item in national["items"] if item["rank"] is not None]
    assert len(ranked) == 133
    assert [(item["slug"], item["rank"], item["days_since"]) for item in ranked[-5:]] == [
        ("lancashire", 129, 102),
        ("liverpool", 129, 102),
        ("west-northamptonshire", 129, 102),
        ("blackpool", 132, 74),
        ("portsmouth", 133, 53),
    ]
    wight, derbyshire, staffordshire, after = (
        ranked[position] for position in range(63, 67)
    )  # fmt: skip
    assert (wight["slug"], derbyshire["slug"], staffordshire["slug"]) == (
        "isle-of-wight", "derbyshire", "staffordshire",
    )  # fmt: skip
    assert derbyshire["rank"] == staffordshire["rank"] == wight["rank"] + 1
    assert derbyshire["days_since"] == staffordshire["days_since"] == wight["days_since"] - 7
    assert after["rank"] == derbyshire["rank"] + 2


def test_every_current_authority_is_listed_those_without_data_with_nulls(
    national: dict[str, Any],
) -> None:
    """153 current authorities (the register's 156 less Poole, Northamptonshire and Cumbria,
    replaced in 2019-2023); the 20 with no report in the manifest last, by slug, with
    nulls."""
    items = national["items"]
    assert national["total"] == len(items) == 153
    slugs = {item["slug"] for item in items}
    assert not slugs & {"poole", "northamptonshire", "cumbria"}
    unranked = [item for item in items if item["rank"] is None]
    assert len(unranked) == 20
    assert [item["slug"] for item in unranked] == sorted(item["slug"] for item in unranked)
    calderdale = entry(national, "calderdale")
    assert calderdale == {
        "slug": "calderdale",
        "name": "Calderdale",
        "region": "Yorkshire and the Humber",
        "current": True,
        "rank": None,
        "days_since": None,
        "grade": "no-inspection",
        "latest": None,
        "next_inspection": {
            "kind": None,
            "from": None,
            "to": None,
            "position": None,
            "basis_inspection_id": None,
            "estimate": True,
            "note": "No ILACS or single inspection framework inspection loaded",
        },
        "frameworks": [],
    }


def test_facets_and_filters(corpus: TestClient, national: dict[str, Any]) -> None:
    grades = {entry["value"]: entry["count"] for entry in national["facets"]["grade"]}
    # The 7 not graded are the 2026 reports without an overall judgement (Blackpool, Brent,
    # Lancashire, Liverpool, Portsmouth, Somerset, West Northamptonshire).
    assert grades == {
        "good": 47, "outstanding": 36, "requires-improvement": 31, "no-inspection": 20,
        "inadequate": 12, "not-graded": 7,
    }  # fmt: skip
    assert {e["value"]: e["count"] for e in national["facets"]["region"]}["London"] == 33
    # Longest first; Brent and Somerset ("27 April to 1 May 2026" both) tie, in slug order.
    not_graded = get(corpus, f"/clock?as_of={AS_OF}&grade=not-graded")
    assert [item["slug"] for item in not_graded["items"]] == [
        "brent", "somerset", "lancashire", "liverpool", "west-northamptonshire", "blackpool",
        "portsmouth",
    ]  # fmt: skip
    london_inadequate = get(corpus, f"/clock?as_of={AS_OF}&region=london&grade=inadequate")
    assert london_inadequate["total"] == sum(
        1
        for item in national["items"]
        if item["region"] == "London" and item["grade"] == "inadequate"
    )
    assert london_inadequate["facets"]["region"] == [
        {"value": "London", "label": "London", "count": london_inadequate["total"]}
    ]


def test_as_of_turns_the_clock_back(corpus: TestClient) -> None:
    """As of 2024-03-01 Cheshire East's 2024 inspection (ended 8 March) is not over: its
    latest is the 2019 ILACS inspection (cheshire-east_2020-01-09.pdf, "18 to 29 November
    2019", requires improvement): 29 November 2019 to 29 November 2023 is 4 years with
    29 February 2020: 1461; then 1 day to 30 November, 31 + 31 + 29 to 29 February 2024, 1:
    93. 1461 + 93 = 1554. Window: 29 November 2019 + 30 months = 29 May 2022, + 42 = 29 May
    2023: 2024-03-01 is after it."""
    body = get(corpus, "/authorities/cheshire-east/clock?as_of=2024-03-01")
    assert (body["latest"]["start_date"], body["days_since"]) == ("2019-11-18", 1554)
    assert window(body) == ("standard", "2022-05-29", "2023-05-29", "after-window")


def test_coverage_per_framework_and_year(corpus: TestClient) -> None:
    """From the documents' inspection dates: single inspections begun in 2016 are
    Hammersmith and Fulham, Redbridge, Sutton and Worcestershire; looked after children
    inspections (2013), Kent and Medway; ILACS inspections begun in 2021, Bedford, Bury,
    Milton Keynes, North East Lincolnshire, Walsall and Warwickshire."""
    body = get(corpus, "/coverage?type=single-inspection&type=looked-after-children&year=2013"
               "&year=2016")  # fmt: skip
    assert body["of"] == 153
    counts = [(row["type"], row["year"], row["authorities_with_data"]) for row in body["items"]]
    assert counts == [
        ("looked-after-children", 2013, 2),
        ("single-inspection", 2013, 2),
        ("single-inspection", 2016, 4),
    ]
    sif_2016 = body["items"][2]
    assert len(sif_2016["without_data"]) == 149
    assert {"slug": "sutton", "name": "Sutton"} not in sif_2016["without_data"]
    assert sif_2016["without_data"][:2] == [
        {"slug": "barking-and-dagenham", "name": "Barking and Dagenham"},
        {"slug": "barnet", "name": "Barnet"},
    ]
    ilacs_2021 = get(corpus, "/coverage?type=ilacs&year=2021")["items"]
    assert [(row["authorities_with_data"], row["of"]) for row in ilacs_2021] == [(6, 153)]


def test_the_lists_coverage_note(corpus: TestClient) -> None:
    """133 authorities have a report in the manifest (its 133 local_authority names); of the
    33 London boroughs, the ones with a report: as many as London's ranked clocks."""
    assert get(corpus, "/findings?limit=1")["coverage"] == {"authorities_with_data": 133, "of": 153}
    assert get(corpus, "/inspections?type=ilacs&year=2021&limit=1")["coverage"] == {
        "authorities_with_data": 6, "of": 153,
    }  # fmt: skip
    assert get(corpus, "/judgements?year=2016&type=single-inspection&limit=1")["coverage"] == {
        "authorities_with_data": 4, "of": 153,
    }  # fmt: skip
    london = get(corpus, f"/clock?as_of={AS_OF}&region=London")
    with_data = sum(1 for item in london["items"] if item["rank"] is not None)
    assert get(corpus, "/stats/grades?region=London")["coverage"] == {
        "authorities_with_data": with_data, "of": 33,
    }  # fmt: skip
    # A theme narrows the rows, not the reports read: the same note as the year alone.
    themed = get(corpus, "/findings/facets?year=2021&type=ilacs&theme=care-leavers&by=year")
    assert themed["coverage"] == {"authorities_with_data": 6, "of": 153}
    assert "coverage" not in get(corpus, "/findings?authority=barnet&limit=1")
    response = corpus.get("/findings?format=csv&type=ilacs&year=2021")
    assert response.headers["x-coverage"] == "authorities_with_data=6; of=153"
    assert response.text.startswith("id,inspection_id,")


# --- on the five seed documents -------------------------------------------------------------


def test_bad_values_are_422s_naming_the_valid_ones(client: TestClient) -> None:
    body = get(client, "/clock?grade=excellent", 422)
    assert body["message"] == (
        "grade: Input should be 'outstanding', 'good', 'requires-improvement', 'inadequate', "
        "'not-graded' or 'no-inspection'"
    )
    body = get(client, "/clock?region=Wessex", 422)
    assert body["message"] == (
        "region: 'Wessex' is not a region name or code; valid names: East Midlands, East of "
        "England, London, North East, North West, South East, South West, West Midlands, "
        "Yorkshire and the Humber"
    )
    assert get(client, "/clock?as_of=2026-13-01", 422)["details"][0]["parameter"] == "as_of"
    assert get(client, "/clock?as_of=0", 422)["details"][0]["parameter"] == "as_of"
    assert get(client, "/coverage?type=sif", 422)["details"][0]["parameter"] == "type"
    assert get(client, "/authorities/atlantis/clock", 404) == {
        "status": 404,
        "error": "not_found",
        "message": "No authority with slug or ONS code 'atlantis'; see /authorities",
        "details": [],
    }


def test_clock_csv(client: TestClient) -> None:
    """On the five seed documents: Cheshire East's latest full inspection is the 2013 child
    protection inspection ("11 March 2013 - 20 March 2013"): 20 March 2013 to 20 March 2026
    is 13 years with 2016, 2020 and 2024's 29 February: 4748; 11 days to 31 March,
    30+31+30+31+31 = 153, 1: 165. 4748 + 165 = 4913."""
    response = client.get(f"/clock?as_of={AS_OF}&region=North%20West&format=csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    lines = response.text.split("\r\n")
    assert lines[0] == (
        "rank,slug,name,region,days_since,grade,latest_inspection_id,latest_type,"
        "latest_start_date,latest_end_date,latest_grade_label,latest_published_date,"
        "latest_days_to_publication,next_inspection_kind,next_inspection_from,"
        "next_inspection_to,next_inspection_position"
    )
    assert lines[1] == (
        "1,cheshire-east,Cheshire East,North West,4913,inadequate,4,child-protection,"
        "2013-03-11,2013-03-20,Inadequate,,,,,,"
    )
    # Then the unranked, by slug: Cheshire West and Chester's only document is a 2010 contact,
    # referral and assessment letter, which is no full inspection.
    assert lines[2] == "".join(
        ",blackburn-with-darwen,Blackburn with Darwen,North West,,no-inspection" + "," * 11
    )
    assert len(lines) == 24 + 2  # a header, the North West's 24 authorities, the last CRLF


def test_clock_etag_names_the_day_without_as_of(client: TestClient) -> None:
    """Without `as_of` the clock counts to today: its ETag ends in the day, so a copy from
    yesterday is never answered 304."""
    dated = client.get("/clock").headers["etag"]
    fixed = client.get(f"/clock?as_of={AS_OF}").headers["etag"]
    assert re.fullmatch(re.escape(fixed[:-1]) + r'\.\d{4}-\d{2}-\d{2}"', dated), (dated, fixed)
    assert client.get("/clock", headers={"If-None-Match": fixed}).status_code == 200
    assert client.get("/clock", headers={"If-None-Match": dated}).status_code == 304


def test_the_rule_states_the_window_the_clock_computes() -> None:
    """The rule's text gives the months the window is computed from: 30 to 42 (three years,
    six months either side), never another pair."""
    assert WINDOW_MONTHS == (30, 42)
    assert "runs from 30 to 42 months after the last day" in RULE


def test_judgements_of_reports_published_in_2023(corpus_engine: Engine) -> None:
    """`published_from`/`published_to` mean on /judgements what they mean on /inspections
    and /findings: the judgements of the 30 inspections whose reports came out in 2023. Of
    them, care leavers graded inadequate: Liverpool's ILACS of March 2023 alone, as Ofsted's
    official outcomes have it (tests/data/official-outcomes.csv: liverpool_2023-05-25.pdf)."""
    span = "published_from=2023-01-01&published_to=2023-12-31"
    with TestClient(create_app(corpus_engine)) as client:
        judged = walk(client, f"/judgements?{span}&limit=100")
        inspected = walk(client, f"/inspections?{span}&limit=100")
        leavers = get(client, f"/judgements?{span}&area=care-leavers&grade=inadequate")
    assert len(judged) == 143
    assert {j["inspection_id"] for j in judged} == {i["id"] for i in inspected}
    assert len(inspected) == 30
    found = [(j["authority"]["slug"], j["year"], j["inspection_type"]) for j in leavers["items"]]
    assert found == [("liverpool", 2023, "ilacs")]
