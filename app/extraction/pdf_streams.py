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
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.extraction.errors import UnreadableDocument
from app.extraction.pdf_filters import PIECE, Decoder, decoder

_SPACE = rb"\x00\t\n\x0c\r "
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_GAP = rb"(?>(?:[\x00\t\n\x0c\r ]|%[^\r\n]*+)+)"
_OBJ = re.compile(rb"obj(?!" + _REGULAR + rb")")
_END_KEYWORD = re.compile(rb"endstream|endobj")
_INLINE_DATA = re.compile(rb"ID(?<![^" + _SPACE + rb"()<>\[\]{}]ID)[" + _SPACE + rb"]")
_TOKEN = re.compile(
    rb"(?P<gap>" + _GAP + rb")"
    rb"|(?P<open_dict><<)|(?P<close_dict>>>)|(?P<open_array>\[)|(?P<close_array>\])"
    rb"|(?P<name>/" + _REGULAR + rb"*+)"
    rb"|(?P<hex><[^>]*+>)"
    rb"|(?P<string>\()"
    rb"|(?P<number>[+-]?(?:\d++\.?\d*+|\.\d++)(?!" + _REGULAR + rb"))"
    rb"|(?P<word>" + _REGULAR + rb"++)"
    rb"|(?P<other>.)",
    re.DOTALL,
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STRING_PART = re.compile(rb"[\\()]")
_STRUCTURE = re.compile(rb"[()<>%]")
_LINE_END = re.compile(rb"[\r\n]")
_MAX_DEPTH = 64
"""PDFium reads objects nested at most this deep."""
_MAX_FILTERS = 16
"""Filters one stream may chain (real PDFs use one or two)."""
_INLINE_DICTIONARY = 4096
"""How far before `ID` an inline image's `BI` is looked for."""


class Name(str):
    """A PDF name, `#xx` escapes decoded, without its slash."""


@dataclass(frozen=True, slots=True)
class Ref:
    number: int


class _Malformed(Exception):
    """Not an object PDFium would read."""


class _Overlap(Exception):
    """The file's objects lie inside one another so that reading them would go on far
    longer than the file."""


class _Syntax:
    """Reads PDF objects from `data`; every byte it reads is taken from `budget`."""

    def __init__(self, data: bytes, budget: int) -> None:
        self.data = data
        self.budget = budget

    def _spend(self, count: int) -> None:
        self.budget -= count
        if self.budget < 0:
            raise _Overlap

    def token(self, position: int) -> tuple[str, bytes, int]:
        """The next token after any white space and comments: (kind, text, end)."""
        data = self.data
        while True:
            match = _TOKEN.match(data, position)
            if match is None:
                return "end", b"", position
            kind, end = match.lastgroup or "other", match.end()
            self._spend(end - position)
            if kind != "gap":
                break
            position = end
        if kind == "string":
            end = self._string_end(end)
        return kind, data[match.start() : end], end

    def _string_end(self, position: int) -> int:
        """The end of a literal string: brackets nest, a backslash escapes."""
        depth, start = 1, position
        while depth:
            match = _STRING_PART.search(self.data, position)
            if match is None:
                position = len(self.data)
                break
            position = match.end()
            char = match.group()
            if char == b"\\":
                position += 1
            else:
                depth += 1 if char == b"(" else -1
        self._spend(position - start)
        return position

    def dictionary_end(self, position: int) -> int:
        """Where the dictionary whose `<<` ends at `position` ends, found by its brackets,
        strings and comments alone (much faster than reading its entries)."""
        data, depth, start = self.data, 1, position
        while depth:
            match = _STRUCTURE.search(data, position)
            if match is None:
                raise _Malformed
            char, position = match.group(), match.end()
            if char == b"(":
                position = self._string_end(position)
            elif char == b"%":
                line = _LINE_END.search(data, position)
                position = line.start() if line else len(data)
            elif char == b"<":
                if data[position : position + 1] == b"<":
                    depth, position = depth + 1, position + 1
                else:
                    close = data.find(b">", position)
                    position = close + 1 if close >= 0 else len(data)
            elif char == b">" and data[position : position + 1] == b">":
                depth, position = depth - 1, position + 1
            self._spend(position - start)
            start = position
        return position

    def keyword_at(self, position: int, keyword: bytes) -> int | None:
        """Where `keyword` ends, if it is the next token after `position`."""
        kind, text, end = self.token(position)
        return end if kind == "word" and text == keyword else None

    def value(self, position: int, depth: int = 0) -> tuple[object, int]:
        """The object at `position` and where it ends; raises _Malformed."""
        if depth > _MAX_DEPTH:
            raise _Malformed
        kind, text, end = self.token(position)
        if kind == "open_dict":
            return self.entries(end, depth + 1)
        if kind == "open_array":
            items: list[object] = []
            while True:
                kind, _, after = self.token(end)
                if kind == "close_array":
                    return items, after
                if kind == "end":
                    raise _Malformed
                item, end = self.value(end, depth + 1)
                items.append(item)
        if kind == "name":
            return _name(text), end
        if kind == "number":
            return self._number_or_ref(text, end)
        if kind == "end" or kind == "close_dict":
            raise _Malformed
        # Strings, and anything PDFium reads as nothing (a stray keyword or bracket).
        return _CONSTANTS.get(text, text if kind in ("hex", "string") else None), end

    def entries(self, position: int, depth: int) -> tuple[dict[str, object], int]:
        """A dictionary's entries, from after its `<<` to its `>>`."""
        entries: dict[str, object] = {}
        while True:
            kind, text, after = self.token(position)
            if kind == "close_dict":
                return entries, after
            if kind == "end":
                raise _Malformed
            if kind != "name":
                position = after  # not a key: PDFium passes over it
                continue
            entries[_name(text)], position = self.value(after, depth)

    def _number_or_ref(self, text: bytes, end: int) -> tuple[object, int]:
        if not text.lstrip(b"+-").isdigit():
            return float(text), end
        kind, generation, after = self.token(end)
        if kind == "number" and generation.isdigit() and self.keyword_at(after, b"R"):
            return Ref(int(text)), self.token(after)[2]
        return int(text), end


_CONSTANTS: dict[bytes, object] = {b"true": True, b"false": False, b"null": None}


def _name(text: bytes) -> Name:
    raw = _NAME_ESCAPE.sub(lambda match: bytes.fromhex(match.group(1).decode()), text[1:])
    return Name(raw.decode("latin-1"))


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
        self.syntax = _Syntax(data, budget)
        self._feed_budget = budget
        self._ends = [
            match.start()
            for match in _END_KEYWORD.finditer(data)
            if _spaced(data, match.start(), match.end())
        ]
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
        except _Overlap:
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
        for keyword in _OBJ.finditer(self.data):
            number = _object_number(self.data, keyword.start())
            if number is None:
                continue
            objects[number] = keyword.end()
            try:
                kind, _, start = syntax.token(keyword.end())
                if kind != "open_dict":
                    continue
                after = syntax.keyword_at(syntax.dictionary_end(start), b"stream")
                if after is not None:
                    dictionary, _ = syntax.entries(start, 1)
                    streams.append(_Stream(dictionary, _next_line(self.data, after)))
            except _Malformed:
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
                with contextlib.suppress(_Malformed):
                    self._resolved[value.number] = self.syntax.value(position)[0]
        return self._resolved[value.number]

    def _stream(self, stream: _Stream) -> None:
        end = self._data_end(stream)
        if end is None:
            return
        filters = _as_list(stream.dictionary.get("Filter"), self.resolve)
        parameters = _as_list(stream.dictionary.get("DecodeParms"), self.resolve)
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
            raise _Overlap

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


def _spaced(data: bytes, start: int, end: int) -> bool:
    """Is data[start:end] a word of its own, with white space (or the file's edge) on both
    sides, as PDFium looks for `endstream` and `endobj`?"""
    before = start == 0 or data[start - 1 : start] in _SPACES
    return before and (end == len(data) or data[end : end + 1] in _SPACES)


_SPACES = frozenset(bytes((byte,)) for byte in b"\x00\t\n\x0c\r ")


def _object_number(data: bytes, position: int) -> int | None:
    """The object number N of `N G obj`, when the `obj` at `position` ends one: two
    unsigned integers before it, apart and before it by white space or comments."""
    generation_end = _gap_before(data, position)
    generation_start = _digits_before(data, generation_end, 5)
    if generation_end == position or generation_start == generation_end:
        return None
    number_end = _gap_before(data, generation_start)
    number_start = _digits_before(data, number_end, 10)
    if number_end == generation_start or number_start == number_end:
        return None
    if number_start and data[number_start - 1 : number_start].isdigit():
        return None
    return int(data[number_start:number_end])


def _digits_before(data: bytes, position: int, most: int) -> int:
    start = position
    while start > 0 and position - start < most and 48 <= data[start - 1] <= 57:
        start -= 1
    return start


_GAP_BACK = 4096
"""How far back from `obj` the white space and comments between its numbers are read."""


def _gap_before(data: bytes, position: int) -> int:
    """Where the white space and comments that end at `position` begin."""
    floor = max(0, position - _GAP_BACK)
    while position > floor:
        if data[position - 1 : position] in _SPACES:
            position -= 1
            continue
        # The end of a comment? A `%` earlier on the same line.
        line = max(data.rfind(b"\n", floor, position), data.rfind(b"\r", floor, position))
        if line < 0 and floor > 0:
            return position
        percent = data.find(b"%", line + 1, position)
        if percent < 0:
            return position
        position = percent
    return position


def _too_large(limit: int) -> str:
    return (
        f"the PDF's compressed streams inflate to more than {size_text(limit)}, the limit "
        "(MAX_PDF_INFLATED_BYTES), so it was not read (a decompression bomb?)"
    )


def size_text(count: int) -> str:
    """A size as people read it: in MiB when it is a whole number of them."""
    return f"{count // 2**20:,} MiB" if count % 2**20 == 0 else f"{count:,} bytes"


def _next_line(data: bytes, position: int) -> int:
    """Where a stream's data starts: after the end of the line `stream` is on (PDFium
    skips anything before the line's end)."""
    newline = data.find(b"\n", position)
    carriage = data.find(b"\r", position, newline if newline >= 0 else len(data))
    if carriage >= 0:
        return carriage + 2 if data[carriage + 1 : carriage + 2] == b"\n" else carriage + 1
    return newline + 1 if newline >= 0 else len(data)


def _as_list(value: object, resolve: Callable[[object], object]) -> list[object]:
    """A filter or a chain of them (or their parameters) as a list."""
    value = resolve(value)
    if value is None:
        return []
    if isinstance(value, list):
        return [resolve(item) for item in value]
    return [value]


def _direct(value: object) -> object:
    return value


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
            found = _INLINE_DATA.search(buffer, max(0, len(self._tail) - 2))
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
    syntax = _Syntax(window + b" >>", 8 * _INLINE_DICTIONARY)
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
    except (_Malformed, _Overlap):
        return [], []
    filters = dictionary.get("F", dictionary.get("Filter"))
    parameters = dictionary.get("DP", dictionary.get("DecodeParms"))
    return _as_list(filters, _direct), _as_list(parameters, _direct)
