"""The seed job's extraction workers: results in the order the files were given, the same
as extracting in this process, and a worker that dies fails only the file it was reading."""

from __future__ import annotations

import os

from seed import DOCUMENTS_DIR
from seed.pipeline import Extraction, Extractor, extract_bytes

SEEDS = [path.read_bytes() for path in sorted(DOCUMENTS_DIR.glob("*.txt"))]
CRASH = b"CRASH: this file kills the process that reads it"


def crash_on_marker(data: bytes) -> Extraction:
    """Extraction, except that a file starting with CRASH kills the worker outright, as a
    PDFium crash on a hostile PDF would."""
    if data.startswith(CRASH):
        os._exit(3)
    return extract_bytes(data)


def summary(extraction: Extraction) -> tuple[str | None, int | None, str | None]:
    document = extraction.document
    if document is None:
        return None, None, extraction.reason
    return document.authority_slug, len(document.findings), None


def test_workers_give_what_this_process_gives_in_order() -> None:
    with Extractor(2) as extractor:
        pending = [extractor.submit(data) for data in SEEDS]
        results = [summary(wait()) for wait in pending]
    assert results == [summary(extract_bytes(data)) for data in SEEDS]
    assert results == [
        ("cheshire-east", 19, None),
        ("cheshire-west-and-chester", 14, None),
        ("cheshire-east", 23, None),
        ("cheshire-east", 12, None),
        ("cheshire-east", 62, None),
    ]


def test_a_worker_that_dies_fails_only_its_own_file() -> None:
    files = [SEEDS[0], CRASH, SEEDS[1], SEEDS[2]]
    with Extractor(2, work=crash_on_marker) as extractor:
        pending = [extractor.submit(data) for data in files]
        results = [summary(wait()) for wait in pending]
        after = summary(extractor.submit(SEEDS[4])())
    assert results == [
        ("cheshire-east", 19, None),
        (None, None, "the file crashed the PDF reader (a damaged or malicious PDF?)"),
        ("cheshire-west-and-chester", 14, None),
        ("cheshire-east", 23, None),
    ]
    assert after == ("cheshire-east", 62, None)
