"""Write the recorded site's list of publications: every shipped PDF, as a provider page of
Ofsted's reports site would list it.

    .venv/bin/python -m scripts.make_site_fixture

Writes `tests/data/site/publications.csv` (file, provider URN, file id, the link's text for
screen readers) from `seed/documents/manifest.csv`, which gives each PDF's authority URN,
publication date and `files.ofsted.gov.uk` id. The name the site gives a publication is
taken from the inspection type its text reads as: "children's services inspection" for an
ILACS report (the wording the community scrapers match on); the other frameworks' names
are in the same shape, from the framework's own title. `tests/fake_site.py` serves the
recorded site from this list and the templates beside it.
"""

from __future__ import annotations

import csv
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from app.extraction import ExtractionError, extract
from app.extraction.reading import read_path
from seed import DOCUMENTS_DIR

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "site" / "publications.csv"

SITE_NAMES = {
    "ilacs": "children's services inspection",
    "single-inspection": "inspection of services for children in need of help and protection, "
    "children looked after and care leavers",
    "looked-after-children": "inspection of services for looked after children",
    "child-protection": "inspection of arrangements for the protection of children",
    "safeguarding-looked-after": "inspection of safeguarding and looked after children services",
    "focused-visit": "focused visit",
    "monitoring-visit": "monitoring visit",
    "jtai": "joint targeted area inspection",
    "contact-referral-assessment": "inspection of contact, referral and assessment arrangements",
}
UNREADABLE = "children's services inspection"
"""For a file that does not read as a report (the HTML error page saved as a PDF)."""


def inspection_type(path: Path) -> str | None:
    try:
        return extract(read_path(path)).inspection_type.value
    except ExtractionError:
        return None


def main() -> None:
    with (DOCUMENTS_DIR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with ProcessPoolExecutor() as pool:
        types = list(pool.map(inspection_type, [DOCUMENTS_DIR / row["file"] for row in rows]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "ofsted_urn", "file_id", "listed_as"])
        for row, kind in zip(rows, types, strict=True):
            published = date.fromisoformat(row["published"])
            name = SITE_NAMES[kind] if kind else UNREADABLE
            listed_as = f"{name} - {published:%d} {published:%B %Y}, pdf".lower()
            file_id = row["source_url"].rstrip("/").rsplit("/", 1)[-1]
            writer.writerow([row["file"], row["ofsted_urn"], file_id, listed_as])
    print(f"wrote {OUT} ({len(rows)} publications)")


if __name__ == "__main__":
    main()
