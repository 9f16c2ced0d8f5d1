"""The shipped corpus against Ofsted's official figures, and every PDF against its text.

    .venv/bin/python -m scripts.corpus_check [--files LIST] [--jobs N]

Prints, for the shipped PDFs (or the files named, one a line, in LIST):

- how many load (extract to an inspection);
- official grades: for each report in `tests/data/official-outcomes.csv` (Ofsted's official
  statistics), how many graded areas and inspection start dates the extraction reads as
  published;
- text renderings: for each PDF, its text as `pdftotext` gives it (default and `-layout`,
  Debian's poppler-utils) and as this project reads it from the PDF, each loaded as plain
  text: the same inspection and judgements, and the share of the PDF's findings the text
  yields. A PDF finding is yielded when a finding of the same kind, paragraph and judgement
  area holds its words (letters compared, so line breaks, hyphens and quotes do not count);
  the stricter share, the same finding with the same first words, is printed beside it.

`tests/extraction/test_official_outcomes.py` and `tests/extraction/test_text_renderings.py`
hold the corpus to these figures; this command prints them.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from app.extraction import ExtractedDocument, ExtractionError, extract
from app.extraction.reading import read_path
from seed import DOCUMENTS_DIR

OFFICIAL_OUTCOMES = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "official-outcomes.csv"
)
OFFICIAL_AREAS = (
    "overall-effectiveness",
    "leadership",
    "help-and-protection",
    "children-in-care",
    "care-leavers",
)
OFFICIAL_GRADES = {
    "Outstanding": "outstanding",
    "Good": "good",
    "Requires improvement to be good": "requires-improvement",
    "Inadequate": "inadequate",
}
RENDERINGS = ("own", "pdftotext", "pdftotext -layout")
"""The project's own text of the PDF, and pdftotext's default and -layout output."""
THRESHOLD = 0.95


@dataclass(frozen=True, slots=True)
class Official:
    file: str
    start_date: str
    grades: dict[str, str]
    """Area id -> grade id, for the areas the statistics grade."""


def official_outcomes(path: Path = OFFICIAL_OUTCOMES) -> dict[str, Official]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["file"]: Official(
                row["file"],
                row["inspection_start"],
                {area: OFFICIAL_GRADES[row[area]] for area in OFFICIAL_AREAS if row[area]},
            )
            for row in csv.DictReader(handle)
        }


def extracted_grades(document: ExtractedDocument) -> dict[str, str | None]:
    """Area id -> grade id, each area's first judgement (as the API's canonical one)."""
    grades: dict[str, str | None] = {}
    for judgement in document.judgements:
        grades.setdefault(judgement.area.value, judgement.grade.value if judgement.grade else None)
    return grades


@dataclass(frozen=True, slots=True)
class Rendering:
    name: str
    reason: str | None
    """Why the text did not extract, or None."""
    same_inspection: bool
    same_judgements: bool
    share: float
    strict_share: float


@dataclass(slots=True)
class DocumentCheck:
    file: str
    reason: str | None = None
    """Why the PDF did not load, or None."""
    inspection: tuple[str, str, str] | None = None
    """Authority slug, inspection type, start date."""
    grades: dict[str, str | None] = field(default_factory=dict)
    findings: int = 0
    renderings: list[Rendering] = field(default_factory=list)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _key(finding: object) -> tuple[str, int | None, str | None]:
    area = finding.judgement_area  # type: ignore[attr-defined]
    return (finding.kind.value, finding.paragraph, area.value if area else None)  # type: ignore[attr-defined]


def _summary(document: ExtractedDocument) -> tuple[tuple[str, ...], list[tuple[str, str | None]]]:
    inspection = (
        document.authority_slug,
        document.inspection_type.value,
        str(document.start_date),
        str(document.end_date),
    )
    judgements = sorted(
        (j.area.value, j.grade.value if j.grade else None) for j in document.judgements
    )
    return inspection, judgements


def yielded(pdf: ExtractedDocument, text: ExtractedDocument) -> tuple[float, float]:
    """The share of the PDF's findings that the text yields (its words in a finding of the
    same kind, paragraph and judgement area), and the share it yields with the same first
    words (the same finding, cut the same way)."""
    held: dict[tuple[str, int | None, str | None], list[str]] = defaultdict(list)
    starts: Counter[tuple[object, ...]] = Counter()
    for finding in text.findings:
        letters = _letters(finding.text)
        held[_key(finding)].append(letters)
        starts[(*_key(finding), letters[:40])] += 1
    words = strict = 0
    for finding in pdf.findings:
        letters = _letters(finding.text)
        if any(letters in other for other in held[_key(finding)]):
            words += 1
        start = (*_key(finding), letters[:40])
        if starts[start]:
            starts[start] -= 1
            strict += 1
    total = max(1, len(pdf.findings))
    return words / total, strict / total


def rendered_texts(path: Path) -> dict[str, str]:
    """The PDF's text three ways: as this project reads it, and as pdftotext gives it."""
    texts = {"own": read_path(path).text}
    for name, options in (("pdftotext", []), ("pdftotext -layout", ["-layout"])):
        texts[name] = subprocess.run(
            ["pdftotext", "-q", *options, str(path), "-"],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
    return texts


def check_document(path: Path) -> DocumentCheck:
    """Extract one PDF, then each of its text renderings, and compare them."""
    check = DocumentCheck(path.name)
    try:
        pdf = extract(read_path(path))
    except ExtractionError as exc:
        check.reason = exc.reason
        return check
    check.inspection = (pdf.authority_slug, pdf.inspection_type.value, str(pdf.start_date))
    check.grades = extracted_grades(pdf)
    check.findings = len(pdf.findings)
    for name, text in rendered_texts(path).items():
        try:
            other = extract(text)
        except ExtractionError as exc:
            check.renderings.append(Rendering(name, exc.reason, False, False, 0.0, 0.0))
            continue
        mine, theirs = _summary(pdf), _summary(other)
        share, strict = yielded(pdf, other)
        check.renderings.append(
            Rendering(name, None, mine[0] == theirs[0], mine[1] == theirs[1], share, strict)
        )
    return check


def check_documents(paths: Sequence[Path], jobs: int | None = None) -> list[DocumentCheck]:
    """Every PDF checked, in worker processes (extraction and pdftotext are CPU work)."""
    workers = jobs or len(os.sched_getaffinity(0))
    with ProcessPoolExecutor(max(1, workers)) as pool:
        return list(pool.map(check_document, paths, chunksize=4))


def shipped_pdfs() -> list[Path]:
    """The shipped PDFs that are PDFs (the HTML error page saved as .pdf is left out)."""
    return sorted(path for path in DOCUMENTS_DIR.glob("*.pdf") if path.read_bytes()[:5] == b"%PDF-")


def report(checks: Sequence[DocumentCheck], official: dict[str, Official]) -> list[str]:
    lines = []
    loaded = [check for check in checks if check.reason is None]
    lines.append(f"load: {len(loaded)} of {len(checks)} PDFs load")
    lines.extend(f"  not loaded: {check.file}: {check.reason}" for check in checks if check.reason)
    graded = right = dated = dated_right = 0
    for check in checks:
        wanted = official.get(check.file)
        if wanted is None:
            continue
        dated += 1
        dated_right += check.inspection is not None and check.inspection[2] == wanted.start_date
        for area, grade in wanted.grades.items():
            graded += 1
            right += check.grades.get(area) == grade
    lines.append(
        f"official grades: {right} of {graded} graded areas right; start date right for "
        f"{dated_right} of {dated} inspections (tests/data/official-outcomes.csv)"
    )
    for name in RENDERINGS:
        rows = [(check.file, r) for check in loaded for r in check.renderings if r.name == name]
        if not rows:
            continue
        shares = [r.share for _, r in rows]
        stricts = [r.strict_share for _, r in rows]
        same = sum(1 for _, r in rows if r.same_inspection and r.same_judgements)
        lines.append(
            f"text ({name}): same inspection and judgements {same} of {len(rows)}; findings "
            f"yielded min {min(shares):.1%} mean {sum(shares) / len(shares):.1%}, below "
            f"{THRESHOLD:.0%}: {sum(share < THRESHOLD for share in shares)}; same cut min "
            f"{min(stricts):.1%} mean {sum(stricts) / len(stricts):.1%}"
        )
        lines.extend(
            f"  {file}: {r.reason or ''} inspection {r.same_inspection}, judgements "
            f"{r.same_judgements}, findings {r.share:.1%}"
            for file, r in rows
            if r.reason or not (r.same_inspection and r.same_judgements) or r.share < THRESHOLD
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.corpus_check", description=__doc__)
    parser.add_argument("--files", type=Path, help="a file naming the PDFs to check, one a line")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all)")
    args = parser.parse_args(argv)
    if shutil.which("pdftotext") is None:
        print("pdftotext is missing: apt-get install poppler-utils", file=sys.stderr)
        return 2
    paths = shipped_pdfs()
    if args.files:
        wanted = set(args.files.read_text(encoding="utf-8").split())
        paths = [path for path in paths if path.name in wanted]
    for line in report(check_documents(paths, args.jobs), official_outcomes()):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
