"""Every shipped PDF, read as text three ways and loaded as a .txt file, gives the record the
PDF gives: the text this project reads from the PDF (the document text the API serves), and
`pdftotext`'s default and `-layout` output (Debian's poppler-utils; `.ci/run` installs it).

For each rendering: the same inspection (authority, type, dates) and the same judgements
(area and grade), and at least 95% of the PDF's findings yielded. A PDF finding is yielded
when a finding of the same kind, paragraph number and judgement area holds its words:
letters compared, so line breaks, hyphens and quotes do not count, and a text that runs two
unnumbered paragraphs together (pdftotext leaves no blank line between them) still yields
both. `python -m scripts.corpus_check` prints the figures, with the stricter share of
findings cut exactly as in the PDF.

The PDFs are read in worker processes, one per core, once for the module.
"""

from __future__ import annotations

import shutil
from functools import cache

import pytest

from scripts.corpus_check import (
    RENDERINGS,
    THRESHOLD,
    DocumentCheck,
    check_documents,
    shipped_pdfs,
)

PDFS = shipped_pdfs()


@cache
def checks() -> dict[str, DocumentCheck]:
    if shutil.which("pdftotext") is None:
        pytest.fail(
            "pdftotext is not installed: these tests need Debian's poppler-utils "
            "(`apt-get install -y poppler-utils`; .ci/run installs it when it is missing)"
        )
    return {check.file: check for check in check_documents(PDFS)}


def test_every_shipped_pdf_is_checked_three_ways() -> None:
    assert len(PDFS) == 237
    renderings = [r for check in checks().values() for r in check.renderings]
    assert len(renderings) == 3 * 237
    assert sum(r.share < THRESHOLD for r in renderings) == 0


@pytest.mark.parametrize("pdf", PDFS, ids=[path.name for path in PDFS])
def test_each_text_rendering_gives_the_pdf_s_record(pdf: object) -> None:
    check = checks()[pdf.name]  # type: ignore[attr-defined]
    assert check.reason is None
    assert [r.name for r in check.renderings] == list(RENDERINGS)
    for rendering in check.renderings:
        assert (rendering.name, rendering.reason) == (rendering.name, None)
        assert (rendering.name, rendering.same_inspection, rendering.same_judgements) == (
            rendering.name,
            True,
            True,
        )
        assert rendering.share >= THRESHOLD, (rendering.name, rendering.share)
