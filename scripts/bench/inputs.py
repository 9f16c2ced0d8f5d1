"""Inputs made to measure the parser: texts and PDFs of any size, a page drawn in the worst
order for laying it out, and decompression bombs.

`python -m scripts.bench --parser` times extraction on them at 1x and 10x; the tests use them
to check that work grows in proportion (tests/extraction/test_parser_scaling.py) and that bombs are
refused (tests/extraction/test_pdf_limits.py). Everything is built from a fixed seed, so every run
reads the same bytes.
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib

_PROSE = (
    "the local authority children social workers plan care review leaders services families "
    "support quality practice staff young people help protection court with and of"
)
WORDS = _PROSE.split()
TITLE = "Inspection of Leeds local authority children's services"
DATES = "Inspection dates: 1 May to 12 May 2023"


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


# --- texts ----------------------------------------------------------------------------------


def short_lines(count: int) -> str:
    """`count` short lines of words (about 31 bytes each) with no title: the 185 KB text of
    6,000 lines that took 11.5 s to be refused."""
    rng = random.Random(13)
    return "\n".join(_words(rng, 5)[:30] for _ in range(count))


def report_text(count: int) -> str:
    """A report of about `count` lines: title and dates, then graded headings, paragraphs
    and bullets under "What needs to improve", a page break with a running footer every 40
    lines; every part of the report parser runs on it, and its findings grow with it."""
    rng = random.Random(13)
    grades = [
        "Overall effectiveness: good",
        "The experiences and progress of children who need help and protection: "
        "requires improvement to be good",
        "The impact of leaders on social work practice with children and families: inadequate",
    ]
    out = [TITLE, "", DATES, ""]
    page = 1
    while len(out) < count:
        out += [rng.choice(grades), ""]
        out += [_words(rng, 14).capitalize(), _words(rng, 14), _words(rng, 9) + ".", ""]
        out += ["What needs to improve", ""]
        out += ["• " + _words(rng, 10) for _ in range(4)] + [""]
        if len(out) // 40 >= page:
            out += [f"Leeds inspection report {page}", "\f"]
            page += 1
    return "\n".join(out)


def one_paragraph(count: int) -> str:
    """A report whose body is one paragraph of `count` lines (no blank line in it)."""
    rng = random.Random(13)
    return "\n".join([TITLE, "", DATES, "", *(_words(rng, 14) for _ in range(count))])


def long_finding(count: int) -> str:
    """A report whose one finding is a paragraph of `count` lines under a graded heading:
    every word of it goes through the theme and polarity classifiers."""
    rng = random.Random(13)
    body = [_words(rng, 14) for _ in range(count)]
    body[0] = "Leaders " + body[0]
    return "\n".join([TITLE, "", DATES, "", "Overall effectiveness: good", "", *body]) + "."


# --- PDFs ------------------------------------------------------------------------------------


def pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of the given objects (object 1 is the catalogue), with its cross-reference
    table."""
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


def stream(data: bytes, entries: bytes = b"") -> bytes:
    """A stream object's body: its dictionary (`entries` and its /Length) and data."""
    return b"<< %s /Length %d >>\nstream\n" % (entries, len(data)) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(contents: int, height: float = 842, font: int = 3) -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 %g] " % height
        + b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, contents)
    )


def _document(pages: list[bytes], others: list[bytes]) -> bytes:
    """Catalogue, page tree, font, then `others` (objects 4...), then the pages."""
    first_page = 4 + len(others)
    kids = b" ".join(b"%d 0 R" % (first_page + index) for index in range(len(pages)))
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
            _FONT,
            *others,
            *pages,
        ]
    )


def _text_line(x: float, y: float, text: str, size: float = 10) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"BT /F1 %g Tf 1 0 0 1 %g %g Tm (%s) Tj ET" % (size, x, y, escaped.encode("latin-1"))


def text_pdf(pages: int, lines_per_page: int = 60) -> bytes:
    """A PDF of `pages` pages of random words, each drawn top to bottom, compressed; the
    first page has a report's title and dates."""
    rng = random.Random(7)
    contents = []
    for number in range(pages):
        lines = [_words(rng, 12) for _ in range(lines_per_page)]
        if number == 0:
            lines[:2] = [TITLE, DATES]
        ops = [_text_line(50, 780 - 11 * index, line) for index, line in enumerate(lines)]
        contents.append(stream(zlib.compress(b"\n".join(ops)), b"/Filter /FlateDecode"))
    page_objects = [_page(4 + index) for index in range(pages)]
    return _document(page_objects, contents)


def interleaved_pdf(lines: int, pages: int = 1) -> bytes:
    """`pages` pages sharing one content stream of `lines` lines drawn in the order that
    costs most to put back in visual order: the first half top to bottom with a gap after
    each, then the second half bottom to top, each into a gap (so each is looked for from
    the top). The page is tall enough for all of them to be in its body."""
    rng = random.Random(7)
    half = lines // 2
    height = 40 * lines + 2000
    top = height - 1000
    places = [top - 40 * index for index in range(half)]
    places += [top - 40 * half + 20 + 40 * index for index in range(lines - half)]
    ops = [_text_line(50, y, _words(rng, 4)) for y in places]
    content = stream(zlib.compress(b"\n".join(ops)), b"/Filter /FlateDecode")
    return _document([_page(4, height)] * pages, [content])


# --- decompression bombs ---------------------------------------------------------------------

_PIECE = 1 << 20


def deflated(size: int, fill: bytes = b" ") -> bytes:
    """A zlib stream of `size` bytes of `fill` (a multiple of 1 MiB), made without holding
    or compressing them: one compressed MiB, flushed so that it can be repeated, repeated."""
    block = fill * (_PIECE // len(fill))
    packer = zlib.compressobj(9)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush()[:-4]  # the final empty block, without the checksum of two MiB
    checksum = 1
    for _ in range(size // _PIECE):
        checksum = zlib.adler32(block, checksum)
    return first + again * (size // _PIECE - 1) + end + struct.pack(">I", checksum)


def bomb_pdf(size: int, where: str = "content") -> bytes:
    """A one-page PDF with a report's title whose one compressed stream inflates to `size`
    bytes of spaces. `where` it is: "content" (a content stream), "chain" (deflated twice,
    /Filter [/FlateDecode /FlateDecode]), "inline" (an inline image in a content stream),
    or "object-stream" (an object stream)."""
    title = _text_line(50, 700, TITLE) + b"\n" + _text_line(50, 680, DATES)
    if where == "content":
        contents = [stream(title), stream(deflated(size), b"/Filter /FlateDecode")]
        page = _page(4).replace(b"/Contents 4 0 R", b"/Contents [4 0 R 5 0 R]")
        return _document([page], contents)
    if where == "chain":
        twice = zlib.compress(deflated(size), 9)
        contents = [stream(title), stream(twice, b"/Filter [/FlateDecode /FlateDecode]")]
        page = _page(4).replace(b"/Contents 4 0 R", b"/Contents [4 0 R 5 0 R]")
        return _document([page], contents)
    if where == "inline":
        image = b"BI /W 32768 /H 32768 /BPC 8 /CS /G /F /Fl ID " + deflated(size) + b" EI"
        return _document([_page(4)], [stream(title + b"\nq 1 0 0 1 0 0 cm " + image + b" Q")])
    if where == "object-stream":
        packed = stream(deflated(size), b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode")
        return _document([_page(4)], [stream(title), packed])
    raise ValueError(where)


_PADDING = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray(len(data))
    i = j = 0
    for index, byte in enumerate(data):
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out[index] = byte ^ state[(state[i] + state[j]) % 256]
    return bytes(out)


def encrypted_bomb_pdf(size: int) -> bytes:
    """`bomb_pdf(size)` encrypted with RC4 (40 bits, revision 2) and an empty password:
    PDFium opens it without asking, but its streams cannot be inflated without decrypting
    them first, so the measure before reading sees nothing in them."""
    file_id = hashlib.md5(b"bomb").digest()
    permissions = -4
    owner = _rc4(hashlib.md5(_PADDING).digest()[:5], _PADDING)
    key = hashlib.md5(_PADDING + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = _rc4(key, _PADDING)

    def sealed(number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + struct.pack("<I", number)[:3] + b"\0\0").digest()[:10]
        return _rc4(object_key, data)

    title = _text_line(50, 700, TITLE) + b"\n" + _text_line(50, 680, DATES)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
        _FONT,
        stream(sealed(4, title)),
        stream(sealed(5, deflated(size)), b"/Filter /FlateDecode"),
        _page(4).replace(b"/Contents 4 0 R", b"/Contents [4 0 R 5 0 R]"),
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), user.hex().encode(), permissions),
    ]
    identifier = file_id.hex().encode()
    return pdf_file(objects, b"/Encrypt 7 0 R /ID [<%s> <%s>] " % (identifier, identifier))


def staircase_pdf(characters: int) -> bytes:
    """One line of text stepping down 0.4 points a character: PDFium gives it as one line,
    and it is printed as a line every 13 characters or so (a drop of half a line's height)."""
    ops = [b"BT /F1 10 Tf 20 %d Td" % (characters // 2 + 1000)]
    for index in range(characters):
        ops.append(b"(%s) Tj 1 -0.4 Td" % bytes([97 + index % 26]))
    ops.append(b"ET")
    height = characters // 2 + 2000
    content = stream(zlib.compress(b" ".join(ops)), b"/Filter /FlateDecode")
    return _document([_page(4, height)], [content])
