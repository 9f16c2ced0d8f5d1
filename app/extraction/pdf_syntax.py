"""PDF syntax, read as PDFium reads it, for measuring a file before PDFium sees it
(`app.extraction.pdf_streams`): tokens, objects, and where objects and their streams
begin and end. Every byte read is taken from a budget, so a file whose objects lie inside
one another cannot make the reading go on and on (`Overlap`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_SPACE = rb"\x00\t\n\x0c\r "
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_GAP = rb"(?>(?:[\x00\t\n\x0c\r ]|%[^\r\n]*+)+)"
INLINE_DATA = re.compile(rb"ID(?<![^" + _SPACE + rb"()<>\[\]{}]ID)[" + _SPACE + rb"]")
"""`ID` and the one white space character after it: where an inline image's data begins."""
_OBJ = re.compile(rb"obj(?!" + _REGULAR + rb")")
_END_KEYWORD = re.compile(rb"endstream|endobj")
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


class Name(str):
    """A PDF name, `#xx` escapes decoded, without its slash."""


@dataclass(frozen=True, slots=True)
class Ref:
    number: int


class Malformed(Exception):
    """Not an object PDFium would read."""


class Overlap(Exception):
    """The file's objects lie inside one another so that reading them would go on far
    longer than the file."""


class Syntax:
    """Reads PDF objects from `data`; every byte it reads is taken from `budget`."""

    def __init__(self, data: bytes, budget: int) -> None:
        self.data = data
        self.budget = budget

    def _spend(self, count: int) -> None:
        self.budget -= count
        if self.budget < 0:
            raise Overlap

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
                raise Malformed
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
        """The object at `position` and where it ends; raises Malformed."""
        if depth > _MAX_DEPTH:
            raise Malformed
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
                    raise Malformed
                item, end = self.value(end, depth + 1)
                items.append(item)
        if kind == "name":
            return _name(text), end
        if kind == "number":
            return self._number_or_ref(text, end)
        if kind == "end" or kind == "close_dict":
            raise Malformed
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
                raise Malformed
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


def next_line(data: bytes, position: int) -> int:
    """Where a stream's data starts: after the end of the line `stream` is on (PDFium
    skips anything before the line's end)."""
    newline = data.find(b"\n", position)
    carriage = data.find(b"\r", position, newline if newline >= 0 else len(data))
    if carriage >= 0:
        return carriage + 2 if data[carriage + 1 : carriage + 2] == b"\n" else carriage + 1
    return newline + 1 if newline >= 0 else len(data)


def as_list(value: object, resolve: Callable[[object], object]) -> list[object]:
    """A filter or a chain of them (or their parameters) as a list."""
    value = resolve(value)
    if value is None:
        return []
    if isinstance(value, list):
        return [resolve(item) for item in value]
    return [value]


def direct(value: object) -> object:
    return value


def object_headers(data: bytes) -> Iterator[tuple[int, int]]:
    """Each `N G obj` in `data`: its object number, and where its value begins."""
    for keyword in _OBJ.finditer(data):
        number = _object_number(data, keyword.start())
        if number is not None:
            yield number, keyword.end()


def end_keywords(data: bytes) -> list[int]:
    """Where each `endstream` or `endobj` in `data` begins (a word of its own), in order."""
    return [match.start() for match in _END_KEYWORD.finditer(data) if _spaced(data, *match.span())]
