"""A PDF's size once inflated, its pages, and the memory of the worker that reads it, each
within a limit (MAX_PDF_INFLATED_BYTES, MAX_PDF_PAGES, EXTRACTION_MEMORY_BYTES), a PDF past
one refused with a reason before memory grows (issue 13): decompression bombs in a content
stream, a chain of filters, an inline image, an object stream; what the measure counts, for
every filter PDFium decodes for text; the shipped PDFs well within the limits; the limits
taken from the settings by uploads and the seed job."""

from __future__ import annotations

import base64
import json
import re
import zlib
from functools import partial
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.config import Settings
from app.extraction import UnreadableDocument
from app.extraction.pdf_streams import inflated_size
from app.extraction.reading import read_bytes
from app.extraction.source import PdfLimits
from app.main import create_app
from app.workers import CRASHED, Extraction, ExtractionJob, Refusal, extract_bytes
from scripts.bench.inputs import (
    DATES,
    TITLE,
    bomb_pdf,
    deflated,
    encrypted_bomb_pdf,
    pdf_file,
    stream,
    text_pdf,
)
from seed import DOCUMENTS_DIR, cli
from tests.api.test_ingest import SEEDED, table_counts, upload
from tests.api.test_ingest import settings as operator_settings
from tests.pipeline.test_seed_job import run

GiB, MiB = 2**30, 2**20
BOMB_REFUSED = (
    "the PDF's compressed streams inflate to more than 100 MiB, the limit "
    "(MAX_PDF_INFLATED_BYTES), so it was not read (a decompression bomb?)"
)


def with_peak_memory(data: bytes) -> Extraction:
    """`extract_bytes` in a worker process, its reason followed by the worker's peak
    resident memory in kB (VmHWM: the most it held at any time, the fork server's pages
    it started with included)."""
    extraction = extract_bytes(data)
    status = Path("/proc/self/status").read_text()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return Extraction(None, f"{extraction.reason}|{peak}", extraction.refusal)


def test_a_1_mb_pdf_inflating_to_1_gib_is_refused_with_little_memory() -> None:
    """Before, PDFium inflated it whole: the worker reached 2.1 GB. Now its streams are
    measured a piece at a time before PDFium sees it, and it is refused."""
    data = bomb_pdf(GiB)
    assert len(data) == 1_063_746
    extraction = ExtractionJob(data, with_peak_memory).wait(60)
    reason, peak_kb = (extraction.reason or "").split("|")
    assert (extraction.refusal, reason) == (Refusal.UNREADABLE, BOMB_REFUSED)
    assert int(peak_kb) < 300 * 1024


@pytest.mark.parametrize(
    ("where", "size"),
    [("chain", 3_299), ("inline", 1_063_714), ("object-stream", 1_063_766)],
)
def test_bombs_wherever_they_are_are_refused(where: str, size: int) -> None:
    """Deflated twice (3 kB for 1 GiB), an inline image drawn in a content stream (PDFium
    inflates it to find where it ends), an object stream."""
    data = bomb_pdf(GiB, where)
    assert len(data) == size
    with pytest.raises(UnreadableDocument) as refused:
        read_bytes(data)
    assert refused.value.reason == BOMB_REFUSED


def test_an_inline_image_is_measured_with_its_own_filters() -> None:
    """The filters of the `BI` that begins the image, not of one quoted in a string or a
    comment in its dictionary (which PDFium does not read as one)."""
    title = f"BT /F1 10 Tf 50 700 Td ({TITLE}) Tj ET".encode()
    dictionary = b"/W 4096 /H 4096 /CS /G /BPC 8 /X (BI /F /DCT) % BI /F /DCT\n /F [/AHx /Fl]"
    image = b"BI " + dictionary + b" ID " + deflated(8 * MiB).hex().encode() + b"> EI"
    data = pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream(title + b"\nq 1 0 0 1 0 0 cm " + image + b" Q"),
        ]
    )
    assert inflated_size(data, GiB) == 8 * MiB


def test_the_limit_is_what_the_streams_inflate_to_in_all() -> None:
    """8 MiB of spaces (the title's stream is not compressed: it inflates to nothing more):
    read under a limit of 8 MiB, refused under one a byte less (named as it is given)."""
    data = bomb_pdf(8 * MiB)
    assert inflated_size(data, GiB) == 8 * MiB
    assert read_bytes(data, PdfLimits(inflated_bytes=8 * MiB)).text.split("\n")[:2] == [
        "Inspection of Leeds local authority children’s services",
        "Inspection dates: 1 May to 12 May 2023",
    ]
    with pytest.raises(UnreadableDocument) as refused:
        read_bytes(data, PdfLimits(inflated_bytes=8 * MiB - 1))
    assert refused.value.reason == BOMB_REFUSED.replace("100 MiB", "8,388,607 bytes")


def run_length(data: bytes) -> bytes:
    out = bytearray()
    for start in range(0, len(data), 128):
        chunk = data[start : start + 128]
        out += bytes([len(chunk) - 1]) + chunk
    return bytes(out) + b"\x80"


def lzw(data: bytes) -> bytes:
    """LZW as PDF writes it (9 to 12 bits, EarlyChange 1), with a clear code to start."""
    table = {bytes([code]): code for code in range(256)}
    width, bits, count, out = 9, 0, 0, bytearray()

    def emit(code: int) -> None:
        nonlocal bits, count
        bits, count = (bits << width) | code, count + width
        while count >= 8:
            count -= 8
            out.append((bits >> count) & 0xFF)

    emit(256)
    word = b""
    for byte in data:
        longer = word + bytes([byte])
        if longer in table:
            word = longer
            continue
        emit(table[word])
        if len(table) + 2 < 4096:
            table[longer] = len(table) + 2
            if len(table) + 2 >= 1 << width and width < 12:
                width += 1
        word = bytes([byte])
    emit(table[word])
    emit(257)
    if count:
        out.append((bits << (8 - count)) & 0xFF)
    return bytes(out)


CONTENT = "\n".join(
    [f"BT /F1 10 Tf 1 0 0 1 50 700 Tm ({TITLE}) Tj ET"]
    + [f"BT /F1 10 Tf 1 0 0 1 50 {680 - 12 * line} Tm ({DATES}) Tj ET" for line in range(40)]
).encode()


@pytest.mark.parametrize(
    ("filters", "encoded"),
    [
        (b"/FlateDecode", zlib.compress(CONTENT)),
        (b"/Fl#61teDecode", zlib.compress(CONTENT)),
        (b"[/Fl /Fl]", zlib.compress(zlib.compress(CONTENT))),
        (b"/ASCIIHexDecode", CONTENT.hex().encode() + b">"),
        (b"[/A85 /FlateDecode]", base64.a85encode(zlib.compress(CONTENT)) + b"~>"),
        (b"/RunLengthDecode", run_length(CONTENT)),
        (b"/LZWDecode", lzw(CONTENT)),
        (b"[/AHx /LZW]", lzw(CONTENT).hex().encode() + b">"),
    ],
    ids=[
        "flate",
        "escaped-name",
        "flate-twice",
        "hex",
        "a85-flate",
        "run-length",
        "lzw",
        "hex-lzw",
    ],
)
def test_each_filter_is_measured_as_pdfium_decodes_it(filters: bytes, encoded: bytes) -> None:
    """PDFium reads the text through the filters; the measure counts the largest of their
    outputs: here the content's 3,214 bytes."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
    page += b"<< /F1 3 0 R >> >> /Contents 4 0 R >>"
    data = pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            stream(encoded, b"/Filter " + filters),
            page,
        ]
    )
    assert inflated_size(data, GiB) == len(CONTENT) == 3_214
    assert read_bytes(data).text.split("\n")[:3] == [
        "Inspection of Leeds local authority children’s services",
        "",
        "Inspection dates: 1 May to 12 May 2023",
    ]


def test_objects_inside_one_another_are_refused() -> None:
    """Ten thousand objects each opening a string that runs to the end of the file: read
    one by one, they would take the file ten thousand times over."""
    data = b"%PDF-1.4\n" + b"1 0 obj << /A (" * 10_000 + b")" * 10_000 + b" >>\n%%EOF\n"
    with pytest.raises(UnreadableDocument) as refused:
        inflated_size(data, GiB)
    assert refused.value.reason == (
        "the PDF's objects lie inside one another, so what they inflate to cannot be measured "
        "(a damaged or malicious PDF?)"
    )


def test_pages_past_the_limit_are_refused_before_any_is_read() -> None:
    with pytest.raises(UnreadableDocument) as refused:
        read_bytes(text_pdf(3), PdfLimits(pages=2))
    assert refused.value.reason == (
        "the PDF has 3 pages, more than the limit of 2 (MAX_PDF_PAGES), so it was not read"
    )
    assert read_bytes(text_pdf(3), PdfLimits(pages=3)).pages == 3


def test_an_encrypted_bomb_is_stopped_by_the_memory_limit() -> None:
    """Encrypted streams cannot be measured before reading (they must be decrypted first),
    and PDFium opens a PDF encrypted with an empty password without asking. The worker's
    memory limit stops it: PDFium fails to allocate and stops the process."""
    data = encrypted_bomb_pdf(GiB)
    assert inflated_size(data, GiB) == 0  # what the measure sees in it
    work = partial(extract_bytes, memory_bytes=256 * MiB)
    assert ExtractionJob(data, work).wait(60) == CRASHED


def test_a_document_that_needs_more_memory_than_the_limit_is_refused_saying_so() -> None:
    text = f"{TITLE}\n{'word ' * 12_000_000}".encode()
    work = partial(extract_bytes, memory_bytes=128 * MiB)
    assert ExtractionJob(text, work).wait(60) == Extraction(
        None,
        "reading the document needed more memory than the limit of 128 MiB "
        "(EXTRACTION_MEMORY_BYTES) and was stopped",
        Refusal.UNREADABLE,
    )


def test_the_shipped_pdfs_inflate_to_at_most_2_2_mib() -> None:
    """The default limits leave room: 100 MiB against the 2.2 MiB of the largest, 500 pages
    against the 58 of the longest."""
    sizes = {
        path.name: inflated_size(path.read_bytes(), GiB)
        for path in sorted(DOCUMENTS_DIR.glob("*.pdf"))
        if path.read_bytes().startswith(b"%PDF-")
    }
    assert len(sizes) == 237
    assert max(sizes.items(), key=lambda item: item[1]) == ("redbridge_2016-11-25.pdf", 2_346_981)
    assert PdfLimits() == PdfLimits(100 * MiB, 500)
    defaults = Settings()
    assert (defaults.max_pdf_inflated_bytes, defaults.max_pdf_pages) == (100 * MiB, 500)
    assert defaults.extraction_memory_bytes == GiB


def documented_body(words: str) -> object:
    """The JSON body docs/security.md shows that holds `words`."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", text, re.DOTALL)
    return json.loads(next(block for block in blocks if words in block))


def test_an_upload_past_a_limit_is_refused_and_stores_nothing(
    seeded_writable_engine: Engine,
) -> None:
    app = create_app(seeded_writable_engine, operator_settings(max_pdf_pages=2))
    with TestClient(app) as client:
        bomb = upload(client, "bomb.pdf", bomb_pdf(GiB))
        pages = upload(client, "three-pages.pdf", text_pdf(3))
    assert bomb.status_code == 422
    assert (
        bomb.json()
        == documented_body("decompression bomb")
        == {
            "status": 422,
            "error": "unreadable_document",
            "message": BOMB_REFUSED,
            "details": [{"parameter": "file", "message": BOMB_REFUSED, "input": None}],
        }
    )
    assert (pages.status_code, pages.json()["message"]) == (
        422,
        "the PDF has 3 pages, more than the limit of 2 (MAX_PDF_PAGES), so it was not read",
    )
    assert table_counts(seeded_writable_engine) == SEEDED


def test_the_seed_job_fails_a_file_past_a_limit_alone(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(max_pdf_inflated_bytes=8 * MiB))
    (tmp_path / "bomb.pdf").write_bytes(bomb_pdf(64 * MiB))
    code, lines = run(empty_engine, monkeypatch, "load", str(tmp_path))
    assert code == 1
    assert lines[1:] == [
        f"failed   bomb.pdf: {BOMB_REFUSED.replace('100 MiB', '8 MiB')}",
        "total: 1 documents: 0 loaded, 0 skipped, 1 failed; 0 judgements, 0 findings",
    ]
