"""The extraction workers: results in the order the files were given, the same as extracting
in this process; a worker that dies fails only the file it was reading; a document that takes
longer than the limit fails with a reason; and no worker outlives the process that started it
(not even one killed with SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.pipeline import Extractor
from app.workers import Extraction, extract_bytes
from seed import DOCUMENTS_DIR
from tests.processes import multiprocessing_family, wait_until_gone

SEEDS = [path.read_bytes() for path in sorted(DOCUMENTS_DIR.glob("*.txt"))]
CRASH = b"CRASH: this file kills the process that reads it"
SLOW = b"SLOW: this file takes a minute to read"
ROOT = Path(__file__).resolve().parents[2]


def crash_on_marker(data: bytes) -> Extraction:
    """Extraction, except that a file starting with CRASH kills the worker outright, as a
    PDFium crash on a hostile PDF would, and one starting with SLOW takes a minute, as a
    pathological PDF might."""
    if data.startswith(CRASH):
        os._exit(3)
    if data.startswith(SLOW):
        time.sleep(60)
    return extract_bytes(data)


def summary(extraction: Extraction) -> tuple[str | None, int | None, str | None]:
    document = extraction.document
    if document is None:
        return None, None, extraction.reason
    return document.authority_slug, len(document.findings), None


def test_workers_give_what_this_process_gives_in_order() -> None:
    with Extractor(2, 60) as extractor:
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
    with Extractor(2, 60, work=crash_on_marker) as extractor:
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


def test_a_document_over_the_time_limit_fails_saying_so_and_its_worker_is_killed() -> None:
    # 6 s: far below the slow file's minute, far above a seed document's 0.2 s even on a
    # machine loaded four times over (at 1.5 s a seed document was stopped there).
    with Extractor(2, 6, work=crash_on_marker) as extractor:
        pending = [extractor.submit(data) for data in (SEEDS[0], SLOW, SEEDS[3])]
        results = [summary(wait()) for wait in pending]
        left = multiprocessing_family(os.getpid())
    assert results == [
        ("cheshire-east", 19, None),
        (
            None,
            None,
            "reading and extracting the document took longer than the limit of 6 s "
            "(EXTRACTION_TIMEOUT_SECONDS) and was stopped",
        ),
        ("cheshire-east", 12, None),
    ]
    # No worker is left (the slow one was killed at the limit), only the fork server and
    # the resource tracker, which live as long as this process.
    assert sorted(process.role for process in left) == ["forkserver", "resource_tracker"]


def test_leaving_the_extractor_kills_what_is_still_being_extracted() -> None:
    started = time.monotonic()
    with Extractor(2, 60, work=crash_on_marker) as extractor:
        pending = [extractor.submit(SLOW), extractor.submit(SLOW)]
        time.sleep(0.5)
    waited = time.monotonic() - started
    assert [summary(wait()) for wait in pending] == [
        (None, None, "the file crashed the PDF reader (a damaged or malicious PDF?)")
    ] * 2
    assert waited < 30  # not the minute each would take: they were killed
    left = multiprocessing_family(os.getpid())
    assert sorted(process.role for process in left) == ["forkserver", "resource_tracker"]


OWNER = """
import sys, time
from app.workers import ExtractionJob
from tests.pipeline.test_pipeline import SLOW, crash_on_marker
job = ExtractionJob(SLOW, crash_on_marker)
print(job.pid, flush=True)
time.sleep(600)
"""


def test_a_worker_exits_when_the_process_that_started_it_is_killed() -> None:
    """The seed job or the server killed with SIGKILL in the middle of a document: its
    worker, and the fork server it came from, exit too instead of running on as orphans."""
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert owner.stdout is not None
    worker = int(owner.stdout.readline())
    family = multiprocessing_family(owner.pid)
    assert sorted((p.role, p.pid == worker) for p in family) == [
        ("forkserver", False),
        ("resource_tracker", False),
        ("worker", True),
    ]
    owner.send_signal(signal.SIGKILL)
    assert owner.wait(timeout=10) == -signal.SIGKILL
    assert wait_until_gone([p.pid for p in family], seconds=10) == []
