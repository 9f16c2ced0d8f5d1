"""Reading files: bad files get one clear reason; text and dates and names as Ofsted writes
them are understood."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from app.extraction import NotAnOfstedReport, UnreadableDocument, extract
from app.extraction.authorities import AuthorityRegister
from app.extraction.dates import find_date_range
from app.extraction.reading import read_bytes
from app.extraction.text import join_lines, normalise
from seed import DOCUMENTS_DIR


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A minimal PDF with the given objects (object 1 is the catalogue)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


BLANK_PAGE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]
ENCRYPTED = pdf_bytes(
    [
        *BLANK_PAGE,
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"00" * 32
        + b"> /U <"
        + b"11" * 32
        + b"> /P -4 >>",
    ],
    b"/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>] ",
)
REAL_PDF = (DOCUMENTS_DIR / "cheshire-east_2024-05-16.pdf").read_bytes()


def office_file(member: str) -> bytes:
    """A ZIP archive holding `member`, as an Office Open XML file holds its parts (a report
    saved from Word, named .pdf or .docx by mistake, holds its text in word/document.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "Inspection of Leeds local authority children's services")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\n ", "the file is empty"),
        (
            (DOCUMENTS_DIR / "birmingham_2012-10-19.pdf").read_bytes(),
            "the file is an HTML page, not a PDF or text document",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "the file is binary data, not a PDF or text document",
        ),
        (ENCRYPTED, "the PDF is encrypted: it needs a password to open"),
        (
            REAL_PDF[: len(REAL_PDF) // 2],
            "the PDF is truncated: it stops before its end (an interrupted download?)",
        ),
        (
            b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
            "the PDF is corrupt: PDFium cannot read it (data format error)",
        ),
        (
            pdf_bytes(BLANK_PAGE),
            "the PDF has no text layer (a scanned document?); text recognition is not supported",
        ),
        (
            office_file("word/document.xml"),
            "the file is a Word document (.docx), not a PDF or text document",
        ),
        (
            office_file("xl/workbook.xml"),
            "the file is an Excel workbook (.xlsx), not a PDF or text document",
        ),
        (office_file("notes.txt"), "the file is a ZIP archive, not a PDF or text document"),
        (
            b"PK\x03\x04" + b"%PDF-1.7 not really" * 10,
            "the file is a ZIP archive (a damaged one), not a PDF or text document",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "the file is an older Microsoft Office document (.doc, .xls or .ppt), not a PDF or "
            "text document",
        ),
        (
            b"{\\rtf1\\ansi Inspection of Leeds local authority children's services}",
            "the file is an RTF document, not a PDF or text document",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "html",
        "png",
        "encrypted",
        "truncated",
        "corrupt",
        "scanned",
        "docx",
        "xlsx",
        "zip",
        "damaged-zip",
        "doc",
        "rtf",
    ],
)
def test_unreadable_files_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Minutes of the parish council meeting held on 3 May 2021.\n\nPresent: ...\n",
            "no Ofsted children's services inspection title was found in the first pages",
        ),
        (
            "Inspection of Atlantis local authority children’s services\n\n"
            "Inspection dates: 1 to 5 May 2023\n",
            "the authority 'Atlantis' is not in the register",
        ),
        (
            "Inspection of Leeds local authority children’s services\n\nLead inspector: A Person\n",
            "no inspection dates were found in the report",
        ),
        (
            "Atlantis Borough Council\n\nInspection of services for children in need of help and "
            "protection, children looked after and care leavers\n\nInspection date: 1 to 5 May "
            "2015\n\nThe previous inspection of Leeds was good.\n",
            "the authority 'Atlantis Borough Council' is not in the register",
        ),
    ],
)
def test_text_that_is_not_a_report_we_understand(text: str, reason: str) -> None:
    with pytest.raises(NotAnOfstedReport) as caught:
        extract(text)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("written", "slug"),
    [
        ("Cheshire East Council", "cheshire-east"),
        ("Cheshire East Unitary Authority", "cheshire-east"),
        ("London Borough of Enfield", "enfield"),
        ("Bristol, City of", "bristol"),
        ("Bristol City Council", "bristol"),
        ("Kingston upon Hull", "kingston-upon-hull"),
        ("Hull City Council", "kingston-upon-hull"),
        ("Bournemouth, Christchurch and Poole", "bournemouth-christchurch-and-poole"),
        ("BCP Council", "bournemouth-christchurch-and-poole"),
        ("Durham County Council", "county-durham"),
        ("Royal Borough of Kingston upon Thames", "kingston-upon-thames"),
        ("London Borough of Hammersmith and Fulham", "hammersmith-and-fulham"),
        ("Stoke-on-Trent City Council", "stoke-on-trent"),
        ("St Helens Council", "st-helens"),
        ("City of London", "city-of-london"),
        ("City of York Council", "york"),
        ("Southend", "southend-on-sea"),
        ("Stockton Borough Council", "stockton-on-tees"),
        ("Telford & Wrekin Council", "telford-and-wrekin"),
        ("City of London Corporation", "city-of-london"),
        ("Council of the Isles of Scilly", "isles-of-scilly"),
        ("Sandwell Children’s Trust", "sandwell"),
        ("Doncaster Children's Services Trust", "doncaster"),
        ("Slough Children First", "slough"),
        ("Tameside metropolitan borough", "tameside"),
        ("Rotherham Metropolitan Borough Council", "rotherham"),
        ("Bradford Children and Families Trust", "bradford"),
        ("Wiltshire Local Safeguarding Children Board", "wiltshire"),
        ("Manchester Safeguarding Children Board", "manchester"),
    ],
)
def test_authorities_as_written(written: str, slug: str) -> None:
    entry = AuthorityRegister.from_csv().resolve(written)
    assert entry is not None
    assert entry.slug == slug


@pytest.mark.parametrize(
    "written", ["London", "Atlantis Council", "County Council", "", "Kingston", "North"]
)
def test_names_that_are_no_authority(written: str) -> None:
    assert AuthorityRegister.from_csv().resolve(written) is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("conducted on 20 and 21 July 2010.", date(2010, 7, 20), date(2010, 7, 21)),
        ("on 3 to 4 November 2021", date(2021, 11, 3), date(2021, 11, 4)),
        ("11 - 20 March 2013", date(2013, 3, 11), date(2013, 3, 20)),
        ("Inspection dates: 11 March to 20 March 2013", date(2013, 3, 11), date(2013, 3, 20)),
        ("26th February 2024 to 8th March 2024", date(2024, 2, 26), date(2024, 3, 8)),
        ("18 March 2014 – 09 April 2014", date(2014, 3, 18), date(2014, 4, 9)),
        ("14 April – 8 May 2015", date(2015, 4, 14), date(2015, 5, 8)),
        ("4 June 2018–28 June 2018", date(2018, 6, 4), date(2018, 6, 28)),
        ("28 December to 8 January 2016", date(2015, 12, 28), date(2016, 1, 8)),
        (
            "5 to 9 December 2022 and 14 to 15 February 2023",
            date(2022, 12, 5),
            date(2023, 2, 15),
        ),
        ("18 August 2010", date(2010, 8, 18), date(2010, 8, 18)),
        ("Inspection date: 12/09/2016 to 06/10/2016", date(2016, 9, 12), date(2016, 10, 6)),
        ("1/2/2015 - 20/2/2015", date(2015, 2, 1), date(2015, 2, 20)),
        ("Report published: 25/11/2016", date(2016, 11, 25), date(2016, 11, 25)),
    ],
)
def test_date_ranges_as_written(text: str, start: date, end: date) -> None:
    found = find_date_range(text)
    assert found is not None
    assert (found.start, found.end) == (start, end)


def test_normalisation_keeps_quotes_and_dashes() -> None:
    raw = "Children\u2019s \ufb01les \u2013 a\u00adb\r\nnext line  \r\n\uf0b7 bullet\ufffeitem"
    assert normalise(raw) == "Children’s files – ab\nnext line\n• bullet-item"


def test_a_page_break_is_a_line_of_its_own() -> None:
    """pdftotext puts the form feed before the next page's first line."""
    assert normalise("end of page one.\n\fStart of page two") == (
        "end of page one.\n\f\nStart of page two"
    )


def test_wrapped_lines_join_hyphenated_compounds() -> None:
    assert join_lines(["children-in-need or child-", "protection plans"]) == (
        "children-in-need or child-protection plans"
    )
    assert join_lines(["  one  ", "", " two"]) == "one two"


def test_pdf_artefacts_stay_out_of_findings() -> None:
    """A 2015 report: footnote digits glued to words, running page numbers, footnotes at
    page bottoms and paragraphs broken by a page do not reach a finding."""
    document = extract(read_bytes((DOCUMENTS_DIR / "cheshire-east_2015-09-15.pdf").read_bytes()))
    assert "board1" not in document.text
    texts = [finding.text for finding in document.findings]
    assert not any("Ofsted produces this report" in text for text in texts)
    assert not any(text[-3:].strip().isdigit() and text[-4] == " " for text in texts)
    # Its paragraphs are numbered from 1 to the end, recommendations included: none is lost
    # or split, whatever page breaks fell inside them.
    numbered = [finding.paragraph for finding in document.findings if finding.paragraph]
    assert numbered == list(range(1, len(numbered) + 1))


@pytest.mark.parametrize(
    ("authority", "slug"),
    [("Isle of Wight", "isle-of-wight"), ("City of York", "york"), ("Bristol, City of", "bristol")],
)
def test_a_letter_names_its_authority_in_the_subject_line(authority: str, slug: str) -> None:
    letter = (DOCUMENTS_DIR / "002_840fe968f2e3c99a.txt").read_text(encoding="utf-8")
    document = extract(letter.replace("Cheshire East", authority))
    assert document.authority_slug == slug
    assert document.authority_name == authority
