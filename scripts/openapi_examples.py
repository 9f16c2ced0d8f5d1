"""Write app/schemas/examples.json from a running server's real answers on the seed data,
abridged, for the OpenAPI document's response examples.

    make seed && .venv/bin/uvicorn app.main:app --port 8765 &
    .venv/bin/python scripts/openapi_examples.py [http://127.0.0.1:8765]
"""

import json
import sys
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765"


def fetch(path, csv=False):
    req = urllib.request.Request(BASE + path, headers={"Accept": "text/csv"} if csv else {})
    with urllib.request.urlopen(req) as r:
        body = r.read().decode()
    return body if csv else json.loads(body)


def abridge(value, depth=0):
    if isinstance(value, dict):
        return {k: abridge(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [abridge(v, depth + 1) for v in value[:2]]
    if isinstance(value, str) and len(value) > 200:
        return value[:200] + "…"
    return value


def csv_head(text, lines=3):
    return "\r\n".join(text.split("\r\n")[:lines]) + "\r\n"


examples = {
    "FINDINGS": abridge(fetch("/findings?q=%22management%20oversight%22&limit=2")),
    "FINDINGS_CSV": csv_head(fetch("/findings?year=2021&kind=recommendation", csv=True)),
    "FINDING": abridge(fetch("/findings/37")),
    "FACETS": abridge(fetch("/findings/facets?year=2013&by=kind,theme")),
    "FACETS_CSV": csv_head(fetch("/findings/facets?year=2013&by=kind", csv=True), 4),
    "INSPECTIONS": abridge(fetch("/inspections?year=2013")),
    "INSPECTIONS_CSV": csv_head(fetch("/inspections", csv=True)),
    "INSPECTION": abridge(fetch("/inspections/4")),
    "JUDGEMENTS": abridge(fetch("/judgements?limit=2")),
    "JUDGEMENTS_CSV": csv_head(fetch("/judgements", csv=True)),
    "STATS_THEMES": abridge(fetch("/stats/themes?theme=management-oversight&by=polarity")),
    "STATS_THEMES_CSV": csv_head(fetch("/stats/themes?theme=management-oversight", csv=True), 4),
    "STATS_GRADES": abridge(fetch("/stats/grades?by=year")),
    "STATS_GRADES_CSV": csv_head(fetch("/stats/grades?by=year", csv=True), 5),
    "AUTHORITIES": abridge(fetch("/authorities?region=North%20West&limit=2")),
    "AUTHORITIES_CSV": csv_head(fetch("/authorities?region=North%20West", csv=True)),
    "AUTHORITY": abridge(fetch("/authorities/cheshire-east")),
    "TIMELINE": abridge(fetch("/authorities/cheshire-east/timeline")),
    "TIMELINE_CSV": csv_head(fetch("/authorities/cheshire-east/timeline", csv=True), 4),
    "NEIGHBOURS": abridge(fetch("/authorities/cheshire-east/neighbours")),
    "NEIGHBOURS_CSV": csv_head(fetch("/authorities/cheshire-east/neighbours", csv=True)),
    "CHANGES": abridge(fetch("/changes?since=3")),
    "CHANGES_CSV": csv_head(fetch("/changes?since=3", csv=True)),
    "DOCUMENT": abridge(fetch("/documents/3")),
    "THEMES": abridge(fetch("/themes")),
    "GRADES": abridge(fetch("/grades")),
    "CLOCK": abridge(fetch("/clock?as_of=2026-09-01&region=North%20West")),
    "CLOCK_CSV": csv_head(fetch("/clock?as_of=2026-09-01&region=North%20West", csv=True)),
    "AUTHORITY_CLOCK": abridge(fetch("/authorities/cheshire-east/clock?as_of=2026-09-01")),
    "COVERAGE": abridge(fetch("/coverage?year=2013")),
}
with open("app/schemas/examples.json", "w") as handle:
    json.dump(examples, handle, indent=1, ensure_ascii=False)
    handle.write("\n")
