"""Write app/schemas/examples.json, the OpenAPI document's response examples: the server's
real answers on the database `make run` builds, abridged (the first two items of a list, a
long text cut at 200 characters; a CSV's first lines).

    make seed && .venv/bin/python -m scripts.openapi_examples

`tests/api/test_docs_regenerated.py` asks the app the same questions and fails when the
file and the server disagree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parent.parent / "app" / "schemas" / "examples.json"

Fetch = Callable[[str, bool], Any]
"""`(path, csv)`: the server's answer to GET path, as JSON, or as CSV text when `csv`."""


def abridge(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: abridge(v) for k, v in value.items()}
    if isinstance(value, list):
        return [abridge(v) for v in value[:2]]
    if isinstance(value, str) and len(value) > 200:
        return value[:200] + "…"
    return value


def csv_head(text: str, lines: int = 3) -> str:
    return "\r\n".join(text.split("\r\n")[:lines]) + "\r\n"


QUESTIONS: dict[str, tuple[str, int | None]] = {
    # name: (path, None for JSON or the number of CSV lines kept)
    "FINDINGS": ("/findings?q=%22management%20oversight%22&limit=2", None),
    "FINDINGS_CSV": ("/findings?year=2021&kind=recommendation", 3),
    "FINDING": ("/findings/37", None),
    "FACETS": ("/findings/facets?year=2013&by=kind,theme", None),
    "FACETS_CSV": ("/findings/facets?year=2013&by=kind", 4),
    "INSPECTIONS": ("/inspections?year=2013", None),
    "INSPECTIONS_CSV": ("/inspections", 3),
    "INSPECTION": ("/inspections/4", None),
    "JUDGEMENTS": ("/judgements?limit=2", None),
    "JUDGEMENTS_CSV": ("/judgements", 3),
    "STATS_THEMES": ("/stats/themes?theme=management-oversight&by=polarity", None),
    "STATS_THEMES_CSV": ("/stats/themes?theme=management-oversight", 4),
    "STATS_GRADES": ("/stats/grades?by=year", None),
    "STATS_GRADES_CSV": ("/stats/grades?by=year", 5),
    "AUTHORITIES": ("/authorities?region=North%20West&limit=2", None),
    "AUTHORITIES_CSV": ("/authorities?region=North%20West", 3),
    "AUTHORITY": ("/authorities/cheshire-east", None),
    "TIMELINE": ("/authorities/cheshire-east/timeline", None),
    "TIMELINE_CSV": ("/authorities/cheshire-east/timeline", 4),
    "NEIGHBOURS": ("/authorities/cheshire-east/neighbours", None),
    "NEIGHBOURS_CSV": ("/authorities/cheshire-east/neighbours", 3),
    "CHANGES": ("/changes?since=3", None),
    "CHANGES_CSV": ("/changes?since=3", 3),
    "DOCUMENT": ("/documents/3", None),
    "THEMES": ("/themes", None),
    "GRADES": ("/grades", None),
    "CLOCK": ("/clock?as_of=2026-09-01&region=North%20West", None),
    "CLOCK_CSV": ("/clock?as_of=2026-09-01&region=North%20West", 3),
    "AUTHORITY_CLOCK": ("/authorities/cheshire-east/clock?as_of=2026-09-01", None),
    "COVERAGE": ("/coverage?year=2013", None),
}


def collect(fetch: Fetch) -> dict[str, Any]:
    """Every example, asked of the server behind `fetch`."""
    return {
        name: abridge(fetch(path, False)) if lines is None else csv_head(fetch(path, True), lines)
        for name, (path, lines) in QUESTIONS.items()
    }


def write(examples: dict[str, Any]) -> None:
    with EXAMPLES.open("w", encoding="utf-8") as handle:
        json.dump(examples, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def main() -> None:
    from fastapi.testclient import TestClient

    from app.config import get_settings
    from app.db import make_engine
    from app.main import create_app

    engine = make_engine(get_settings().database_url)
    with TestClient(create_app(engine)) as client:

        def fetch(path: str, csv: bool) -> Any:
            answer = client.get(path, headers={"Accept": "text/csv"} if csv else {})
            answer.raise_for_status()
            return answer.text if csv else answer.json()

        write(collect(fetch))
    engine.dispose()
    print(f"wrote {EXAMPLES.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
