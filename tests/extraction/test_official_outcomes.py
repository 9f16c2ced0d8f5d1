"""Every shipped report that Ofsted's official statistics grade loads with the official
grades and inspection start date, on each database.

`tests/data/official-outcomes.csv` holds, for 137 ILACS inspections among the shipped PDFs,
the start date and the grade of each area as published in Ofsted's "Local authority
inspection outcomes" (tests/data/README.md). The loader never reads it: it is the expected
data here. The corpus is loaded by the seed job's own code into each database; a grade is
the inspection's canonical judgement of its area, as the API serves it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from app.store.tables import documents, inspections, judgements
from scripts.corpus_check import OFFICIAL_AREAS, Official, official_outcomes

OFFICIAL = official_outcomes()


def test_the_official_figures_cover_137_shipped_reports() -> None:
    assert len(OFFICIAL) == 137
    assert sum(len(outcome.grades) for outcome in OFFICIAL.values()) == 599


@cache
def _loaded(engine: Engine) -> dict[str, dict[str, Any]]:
    """File -> the start date and the canonical grades of its inspection."""
    found: dict[str, dict[str, Any]] = {}
    statement = (
        select(
            documents.c.filename,
            inspections.c.start_date,
            judgements.c.area,
            judgements.c.grade,
        )
        .join(inspections, inspections.c.id == documents.c.inspection_id)
        .outerjoin(
            judgements,
            (judgements.c.inspection_id == inspections.c.id) & judgements.c.canonical,
        )
        .where(documents.c.filename.in_(list(OFFICIAL)))
    )
    with engine.connect() as connection:
        for filename, start_date, area, grade in connection.execute(statement):
            entry = found.setdefault(filename, {"start_date": str(start_date), "grades": {}})
            if area in OFFICIAL_AREAS:
                entry["grades"][area] = grade
    return found


@pytest.mark.parametrize("official", OFFICIAL.values(), ids=list(OFFICIAL))
def test_a_report_loads_with_its_official_grades_and_start_date(
    corpus_engine: Engine, official: Official
) -> None:
    loaded = _loaded(corpus_engine).get(official.file)
    assert loaded == {"start_date": official.start_date, "grades": official.grades}
