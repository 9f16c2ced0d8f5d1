"""What a PDF inflates to, measured before PDFium reads it.

PDFium inflates a stream whole, in memory, when it reads a page's text: its content streams,
fonts, object streams, and any inline image drawn in them. A 1 MB stream of zeros inflates to
1 GiB (a decompression bomb), and PDFium then holds about twice that. So before PDFium sees a
file, its streams are inflated here a piece at a time (`app.extraction.pdf_filters`),
counted and thrown away, and the file is refused as soon as the count passes the limit: the
memory this takes is a few pieces, whatever the file holds.

Streams are found as PDFium finds them, and more widely: every `N G obj` in the file is read
(not only those a cross-reference table names), with its dictionary's `/Filter` (one filter
or a chain; abbreviated or `#`-escaped names) and its data's extent by PDFium's rule:
`/Length` (given, or the integer object it refers to) when `endstream` follows it, or else up
to the next `endstream` or `endobj`. Object streams and cross-reference streams are streams
like any other. A stream counts for the largest of its filters' outputs (PDFium holds each
in turn); an inline image (`BI ... ID <data> EI`) in a stream counts for its own.

The work is in proportion to the file: each object's dictionary and each stream's data is
read once; a file whose objects lie inside one another so that reading them would take
more than twice the file is refused.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from app.extraction.errors import UnreadableDocument
from app.extraction.pdf_filters import PIECE, Decoder, decoder
from app.extraction.pdf_syntax import (
    INLINE_DATA,
    Malformed,
    Name,
    Overlap,
    Ref,
    Syntax,
    as_list,
    direct,
    end_keywords,
    next_line,
    object_headers,
)

_MAX_FILTERS = 16
"""Filters one stream may chain (real PDFs use one or two)."""
_INLINE_DICTIONARY = 4096
"""How far before `ID` an inline image's `BI` is looked for."""


@dataclass(frozen=True, slots=True)
class _Stream:
    dictionary: dict[str, object]
    start: int


def inflated_size(data: bytes, limit: int) -> int:
    """The bytes the streams of the PDF `data` inflate to, counted until `limit`: past it,
    raises UnreadableDocument saying so."""
    return _Measure(data, limit).total()


class _Chain:
    """One stream's (or inline image's) filters, decoding it a piece at a time and counting
    what each filter gives."""

    def __init__(self, measure: _Measure, filters: list[object], parameters: list[object]):
        self._measure = measure
        self.stages: list[Decoder] = []
        if len(filters) > _MAX_FILTERS:
            raise UnreadableDocument(
                f"a stream of the PDF has {len(filters)} filters, more than PDFs use (a "
                "malicious PDF?)"
            )
        for index, name in enumerate(filters):
            made = decoder(name, _at(parameters, index)) if isinstance(name, Name) else None
            if made is None:
                break
            self.stages.append(made)
        self.complete = len(self.stages) == len(filters)
        """Every filter decoded: the output is the stream's content."""
        self._totals = [0] * len(self.stages)

    @property
    def size(self) -> int:
        return max(self._totals, default=0)

    @property
    def done(self) -> bool:
        return bool(self.stages) and self.stages[0].done

    @property
    def unused(self) -> bytes:
        """What came after the data, once `done`."""
        return self.stages[0].unused if self.stages else b""

    def feed(self, piece: bytes, index: int = 0) -> Iterator[bytes]:
        """The output of the filters from `index` on, for `piece`."""
        if index == len(self.stages):
            yield piece
            return
        stage = self.stages[index]
        if stage.done:
            return
        for out in stage.feed(piece):
            self._totals[index] += len(out)
            self._measure.check()
            yield from self.feed(out, index + 1)


def _at(items: list[object], index: int) -> object:
    return items[index] if index < len(items) else None


class _Measure:
    def __init__(self, data: bytes, limit: int) -> None:
        self.data = data
        self.limit = limit
        self.counted = 0
        """Bytes the streams measured so far inflate to."""
        self.active: list[_Chain] = []
        """The chains being measured (a stream's, an inline image's in it)."""
        # Objects and streams are read about once each (headers found inside streams' data
        # are tried too); reading more than twice the file means they lie inside one another.
        budget = 2 * len(data) + 65536
        self.syntax = Syntax(data, budget)
        self._feed_budget = budget
        self._ends = end_keywords(data)
        self._objects_at: dict[int, int] = {}
        self._resolved: dict[int, object] = {}

    def check(self) -> None:
        if self.counted + sum(chain.size for chain in self.active) > self.limit:
            raise UnreadableDocument(_too_large(self.limit))

    def total(self) -> int:
        try:
            streams, self._objects_at = self._objects()
            for stream in streams:
                self._stream(stream)
        except Overlap:
            raise UnreadableDocument(
                "the PDF's objects lie inside one another, so what they inflate to cannot "
                "be measured (a damaged or malicious PDF?)"
            ) from None
        return self.counted

    def _objects(self) -> tuple[list[_Stream], dict[int, int]]:
        """Every stream in the file, and where each object begins by its number (for a
        `/Length` or a `/Filter` given by reference)."""
        streams: list[_Stream] = []
        objects: dict[int, int] = {}
        syntax = self.syntax
        for number, begin in object_headers(self.data):
            objects[number] = begin
            try:
                kind, _, start = syntax.token(begin)
                if kind != "open_dict":
                    continue
                after = syntax.keyword_at(syntax.dictionary_end(start), b"stream")
                if after is not None:
                    dictionary, _ = syntax.entries(start, 1)
                    streams.append(_Stream(dictionary, next_line(self.data, after)))
            except Malformed:
                continue
        return streams, objects

    def resolve(self, value: object) -> object:
        """An object given by reference, read where the file's last `N G obj` of its
        number is (the one an incremental update's cross-reference names)."""
        if not isinstance(value, Ref):
            return value
        if value.number not in self._resolved:
            self._resolved[value.number] = None  # a reference to itself reads as null
            position = self._objects_at.get(value.number)
            if position is not None:
                with contextlib.suppress(Malformed):
                    self._resolved[value.number] = self.syntax.value(position)[0]
        return self._resolved[value.number]

    def _stream(self, stream: _Stream) -> None:
        end = self._data_end(stream)
        if end is None:
            return
        filters = as_list(stream.dictionary.get("Filter"), self.resolve)
        parameters = as_list(stream.dictionary.get("DecodeParms"), self.resolve)
        chain = self.measure(filters, parameters)
        if not chain.complete and not chain.stages:
            self.finish(chain)  # an image codec: reading text never decodes it
            return
        images = _InlineImages(self) if chain.complete else None
        for position in range(stream.start, end, PIECE):
            piece = self.data[position : min(position + PIECE, end)]
            self._spend(len(piece))
            for out in chain.feed(piece):
                if images is not None:
                    images.feed(out)
            if chain.done:
                break
        self.finish(chain)
        if images is not None:
            images.finish()

    def measure(self, filters: list[object], parameters: list[object]) -> _Chain:
        chain = _Chain(self, filters, parameters)
        self.active.append(chain)
        return chain

    def finish(self, chain: _Chain) -> None:
        self.active.remove(chain)
        self.counted += chain.size

    def _spend(self, count: int) -> None:
        self._feed_budget -= count
        if self._feed_budget < 0:
            raise Overlap

    def _data_end(self, stream: _Stream) -> int | None:
        """Where the stream's data ends, by PDFium's rule; None when PDFium makes no stream
        of it (no `endstream` or `endobj` after it)."""
        data = self.data
        length = self.resolve(stream.dictionary.get("Length"))
        if isinstance(length, int) and length >= 0:
            end = min(stream.start + length, len(data))
            if self.syntax.keyword_at(end, b"endstream") is not None:
                return end
        index = bisect.bisect_left(self._ends, stream.start)
        if index == len(self._ends):
            return None
        end = self._ends[index]
        if data[end - 2 : end] == b"\r\n":
            return max(stream.start, end - 2)
        return max(stream.start, end - 1) if data[end - 1 : end] in (b"\r", b"\n") else end


def _too_large(limit: int) -> str:
    return (
        f"the PDF's compressed streams inflate to more than {size_text(limit)}, the limit "
        "(MAX_PDF_INFLATED_BYTES), so it was not read (a decompression bomb?)"
    )


def size_text(count: int) -> str:
    """A size as people read it: in MiB when it is a whole number of them."""
    return f"{count // 2**20:,} MiB" if count % 2**20 == 0 else f"{count:,} bytes"


class _InlineImages:
    """Finds the inline images in a stream's content, given a piece at a time, and
    measures each one's data with its own filters (`BI /F /Fl ... ID <data> EI`)."""

    def __init__(self, measure: _Measure) -> None:
        self._measure = measure
        self._tail = b""
        self._image: _Chain | None = None

    def feed(self, piece: bytes) -> None:
        while piece:
            image = self._image
            if image is not None:
                for _ in image.feed(piece):
                    pass
                piece = b""
                if image.done:
                    piece = image.unused
                    self._measure.finish(image)
                    self._image = None
                continue
            buffer = self._tail + piece
            found = INLINE_DATA.search(buffer, max(0, len(self._tail) - 2))
            if found is None:
                self._tail = buffer[-(_INLINE_DICTIONARY + 2) :]
                return
            self._tail = b""
            piece = buffer[found.end() :]
            filters, parameters = _inline_filters(buffer, found.start())
            chain = self._measure.measure(filters, parameters)
            if chain.stages:
                self._image = chain
            else:
                self._measure.finish(chain)

    def finish(self) -> None:
        if self._image is not None:
            self._measure.finish(self._image)
            self._image = None


def _inline_filters(buffer: bytes, id_start: int) -> tuple[list[object], list[object]]:
    """The filters named in the inline image dictionary (`BI ...`) that ends at `id_start`:
    the last `BI` read as a word in the bytes before it (one inside a string or a comment
    is not one), and its entries up to `ID`."""
    window = buffer[max(0, id_start - _INLINE_DICTIONARY) : id_start]
    syntax = Syntax(window + b" >>", 8 * _INLINE_DICTIONARY)
    position, begin = 0, None
    try:
        while True:
            kind, text, end = syntax.token(position)
            if kind == "end":
                break
            if kind == "word" and text == b"BI":
                begin = end
            position = end
        if begin is None:
            return [], []
        dictionary, _ = syntax.entries(begin, 1)
    except (Malformed, Overlap):
        return [], []
    filters = dictionary.get("F", dictionary.get("Filter"))
    parameters = dictionary.get("DP", dictionary.get("DecodeParms"))
    return as_list(filters, direct), as_list(parameters, direct)
