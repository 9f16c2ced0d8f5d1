"""The parser's part of the benchmark (`python -m scripts.bench --parser`, `make bench-parser`):
what extraction costs at 1x and 10x its input, and the peak memory of a decompression bomb.

Each input (scripts/bench/inputs.py) is extracted as an upload is: by `extract_bytes` in a
worker process of its own (`app.workers`), timed inside the worker, the best of `runs`; a
run past `timeout` seconds is stopped and shown as such. The bomb's peak memory is the
worker's VmHWM (the most it held resident at any time, the fork server's pages included).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.workers import Extraction, ExtractionJob, Refusal, extract_bytes
from scripts.bench import inputs


def measured(data: bytes) -> Extraction:
    """`extract_bytes`, in a worker process, its reason replaced by what was measured."""
    started = time.perf_counter()
    extraction = extract_bytes(data)
    seconds = time.perf_counter() - started
    document = extraction.document
    outcome = f"{len(document.findings)} findings" if document else extraction.reason
    figures = {"seconds": seconds, "outcome": outcome, "peak_mb": peak_memory_mb()}
    return Extraction(None, json.dumps(figures))


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True, slots=True)
class Figures:
    seconds: float | None
    """None: stopped at the time-out."""
    outcome: str
    peak_mb: float


def extract_in_worker(data: bytes, timeout: float, runs: int) -> Figures:
    best: Figures | None = None
    for _ in range(runs):
        extraction = ExtractionJob(data, measured).wait(timeout)
        if extraction.refusal is Refusal.TIMEOUT:
            return Figures(None, f"stopped after {timeout:g} s", 0.0)
        figures = Figures(**json.loads(extraction.reason or "{}"))
        if best is None or (figures.seconds or 0) < (best.seconds or 0):
            best = figures
    assert best is not None
    return best


@dataclass(frozen=True, slots=True)
class Shape:
    title: str
    make: Callable[[int], str | bytes]
    size: int
    unit: str


SHAPES = [
    Shape("text: short lines, no title (refused)", inputs.short_lines, 6_000, "lines"),
    Shape("text: a report (graded headings, bullets, pages)", inputs.report_text, 2_000, "lines"),
    Shape("text: one paragraph", inputs.one_paragraph, 2_000, "lines"),
    Shape("text: one finding of one paragraph (classifiers)", inputs.long_finding, 10_000, "lines"),
    Shape("pdf: pages of text, top to bottom", inputs.text_pdf, 10, "pages"),
    Shape("pdf: one page drawn interleaved", inputs.interleaved_pdf, 1_000, "lines"),
    Shape(
        "pdf: 10 pages sharing one content stream, interleaved",
        lambda lines: inputs.interleaved_pdf(lines, pages=10),
        400,
        "lines",
    ),
]


def _as_bytes(made: str | bytes) -> bytes:
    return made.encode() if isinstance(made, str) else made


def _seconds(figures: Figures) -> str:
    return f"{figures.seconds:7.2f}s" if figures.seconds is not None else "  >time"


def run(
    say: Callable[[str], None], scale: float = 1.0, timeout: float = 300, runs: int = 2
) -> None:
    say(
        f"parser: extraction at 1x and 10x the input, in a worker process as an upload is "
        f"(best of {runs}; stopped after {timeout:g} s)"
    )
    say(f"{'input':<55} {'1x':>16} {'10x':>18} {'ratio':>6}")
    for shape in SHAPES:
        size = max(1, round(shape.size * scale))
        small = extract_in_worker(_as_bytes(shape.make(size)), timeout, runs)
        large = extract_in_worker(_as_bytes(shape.make(10 * size)), timeout, runs)
        ratio = (
            f"x{large.seconds / small.seconds:5.1f}"
            if small.seconds and large.seconds is not None
            else "     -"
        )
        say(
            f"{shape.title:<55} {size:>7,} {_seconds(small)} {10 * size:>9,} {_seconds(large)} "
            f"{ratio}"
        )
    text = inputs.short_lines(6_000).encode()
    refused = extract_in_worker(text, timeout, runs)
    say(
        f"parser: a {len(text) / 1000:.0f} KB text of 6,000 short lines: "
        f"{_seconds(refused).strip()} ({refused.outcome})"
    )
    pdf = extract_in_worker(inputs.text_pdf(100), timeout, runs)
    say(f"parser: a 100-page PDF of random words: {_seconds(pdf).strip()} ({pdf.outcome})")
    bomb = inputs.bomb_pdf(2**30)
    figures = extract_in_worker(bomb, timeout, 1)
    say(
        f"parser: a {len(bomb) / 1e6:.1f} MB PDF whose stream inflates to 1 GiB: "
        f"{_seconds(figures).strip()}, peak memory of its worker {figures.peak_mb:.0f} MB "
        f"({figures.outcome})"
    )
