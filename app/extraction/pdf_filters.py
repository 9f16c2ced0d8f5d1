"""PDF stream filters, decoded a piece at a time so that what a stream inflates to can be
measured without ever holding it.

Each decoder takes its input in pieces (`feed`) and gives its output in pieces of at most
`PIECE` bytes; it stops at its filter's end-of-data marker (keeping what came after it in
`unused`) or at input it cannot decode, as PDFium does. The image codecs (DCTDecode,
JPXDecode, JBIG2Decode, CCITTFaxDecode) and Crypt have no decoder here: reading a PDF's text
does not decode them, so a chain of filters is measured up to the first of them.

The standard library decodes Flate (zlib, with `max_length`); the others are short enough to
write here: no library decodes LZW, RunLength, ASCIIHex or ASCII85 incrementally with a bound
on the output.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from typing import Protocol

PIECE = 256 * 1024
"""Most bytes a decoder gives at once: the measure's memory is a few of these."""


class Decoder(Protocol):
    done: bool
    """The filter's data has ended (its end marker, or input it cannot decode)."""
    unused: bytes
    """Input after the end of the filter's data (an inline image's data ends there)."""

    def feed(self, data: bytes) -> Iterator[bytes]: ...


class FlateDecoder:
    def __init__(self) -> None:
        self._zlib = zlib.decompressobj()
        self.done = False
        self.unused = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while pending and not self.done:
            try:
                out = self._zlib.decompress(pending, PIECE)
            except zlib.error:
                self.done = True
                return
            pending = self._zlib.unconsumed_tail
            if self._zlib.eof:
                self.done = True
                self.unused = self._zlib.unused_data
            if out:
                yield out


class ASCIIHexDecoder:
    """Hex digits in pairs, other bytes (white space) skipped, `>` at the end."""

    def __init__(self) -> None:
        self._odd = b""
        self.done = False
        self.unused = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        end = data.find(b">")
        if end >= 0:
            data, self.unused, self.done = data[:end], data[end + 1 :], True
        for start in range(0, len(data), 2 * PIECE):
            digits = self._odd + data[start : start + 2 * PIECE].translate(None, _NOT_HEX)
            even = len(digits) - len(digits) % 2
            self._odd = digits[even:]
            if even:
                yield bytes.fromhex(digits[:even].decode("ascii"))
        if self.done and self._odd:
            yield bytes.fromhex((self._odd + b"0").decode("ascii"))
            self._odd = b""


_NOT_HEX = bytes(byte for byte in range(256) if chr(byte) not in "0123456789abcdefABCDEF")


class ASCII85Decoder:
    """Groups of five characters `!`..`u` to four bytes, `z` for four zeros, `~>` at the
    end; white space and other bytes skipped."""

    def __init__(self) -> None:
        self._group: list[int] = []
        self.done = False
        self.unused = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        end = data.find(b"~")
        if end >= 0:
            close = data.find(b">", end)
            self.unused = data[close + 1 :] if close >= 0 else b""
            data, self.done = data[:end], True
        out = bytearray()
        group = self._group
        for byte in data:
            if 33 <= byte <= 117:
                group.append(byte - 33)
                if len(group) == 5:
                    value = 0
                    for digit in group:
                        value = value * 85 + digit
                    out += (value & 0xFFFFFFFF).to_bytes(4, "big")
                    group.clear()
            elif byte == 122 and not group:  # "z"
                out += b"\x00\x00\x00\x00"
            if len(out) >= PIECE:
                yield bytes(out)
                out.clear()
        if self.done and len(group) > 1:
            value = 0
            for digit in group + [84] * (5 - len(group)):
                value = value * 85 + digit
            out += (value & 0xFFFFFFFF).to_bytes(4, "big")[: len(group) - 1]
            group.clear()
        if out:
            yield bytes(out)


class RunLengthDecoder:
    """A length byte n: n + 1 bytes copied (n < 128), the next byte 257 - n times (n > 128),
    the end (n = 128)."""

    def __init__(self) -> None:
        self._pending = b""
        self.done = False
        self.unused = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        data = self._pending + data
        position = 0
        out = bytearray()
        while position < len(data) and not self.done:
            length = data[position]
            if length == 128:
                self.done = True
                self.unused = data[position + 1 :]
                break
            if length < 128:
                if position + 1 + length + 1 > len(data):
                    break
                out += data[position + 1 : position + 2 + length]
                position += 2 + length
            else:
                if position + 1 >= len(data):
                    break
                out += data[position + 1 : position + 2] * (257 - length)
                position += 2
            if len(out) >= PIECE:
                yield bytes(out)
                out.clear()
        self._pending = b"" if self.done else data[position:]
        if out:
            yield bytes(out)


class LZWDecoder:
    """Codes of 9 to 12 bits, most significant bit first; 256 clears the table, 257 ends;
    with `early` (the default, EarlyChange 1) the code width grows one code early."""

    def __init__(self, early: bool = True) -> None:
        self._early = 1 if early else 0
        self._bits = 0
        self._bit_count = 0
        self._reset()
        self.done = False
        self.unused = b""

    def _reset(self) -> None:
        self._table: list[bytes] = [bytes((code,)) for code in range(256)] + [b"", b""]
        self._width = 9
        self._previous: bytes | None = None

    def feed(self, data: bytes) -> Iterator[bytes]:
        out = bytearray()
        table = self._table
        for index, byte in enumerate(data):
            self._bits = (self._bits << 8) | byte
            self._bit_count += 8
            while self._bit_count >= self._width:
                self._bit_count -= self._width
                code = (self._bits >> self._bit_count) & ((1 << self._width) - 1)
                self._bits &= (1 << self._bit_count) - 1
                if code == 257:
                    self.done = True
                    self.unused = data[index + 1 :]
                    if out:
                        yield bytes(out)
                    return
                if code == 256:
                    self._reset()
                    table = self._table
                    continue
                previous = self._previous
                full = len(table) >= 4096  # no more entries until a clear code
                if code < len(table):
                    entry = table[code]
                    if previous is not None and not full:
                        table.append(previous + entry[:1])
                elif code == len(table) and previous is not None and not full:
                    entry = previous + previous[:1]
                    table.append(entry)
                else:
                    self.done = True  # a code the table does not hold: corrupt data
                    if out:
                        yield bytes(out)
                    return
                out += entry
                self._previous = entry
                if len(table) + self._early >= (1 << self._width) and self._width < 12:
                    self._width += 1
                if len(out) >= PIECE:
                    yield bytes(out)
                    out.clear()
        if out:
            yield bytes(out)


_DECODERS: dict[str, Callable[[], Decoder]] = {
    "FlateDecode": FlateDecoder,
    "Fl": FlateDecoder,
    "ASCIIHexDecode": ASCIIHexDecoder,
    "AHx": ASCIIHexDecoder,
    "ASCII85Decode": ASCII85Decoder,
    "A85": ASCII85Decoder,
    "RunLengthDecode": RunLengthDecoder,
    "RL": RunLengthDecoder,
}
_LZW = {"LZWDecode", "LZW"}


def decoder(name: str, parameters: object = None) -> Decoder | None:
    """A decoder for the filter `name`, or None for a filter that reading text never decodes
    (an image codec, Crypt) or that PDFium does not know."""
    if name in _LZW:
        early = parameters.get("EarlyChange", 1) if isinstance(parameters, dict) else 1
        return LZWDecoder(early != 0)
    made = _DECODERS.get(name)
    return made() if made is not None else None
