"""What every reader needs before parsing: bytes to text, and offsets to 1-based line/column spans."""

from __future__ import annotations

import bisect
import codecs
import gc
from typing import NamedTuple, Optional

from ddcompat.catalog import rule_for
from ddcompat.model import Finding, ReadResult, SourceFile, Span


class DecodeError(ValueError):
    """The bytes are not text in an encoding we accept; `line`/`column` point at the first bad byte."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class DecodedText(NamedTuple):
    """A file's text as decoded, with what a rewrite needs to write it back the same way."""

    text: str  # without the BOM; line ends as in the file
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"
    has_bom: bool
    newline: str  # the first line end seen ("\n", "\r\n" or "\r"); "\n" when there is none


def _newline_of(text: str) -> str:
    index = text.find("\n")
    carriage = text.find("\r")
    if carriage == -1 and index == -1:
        return "\n"
    if carriage == -1 or (index != -1 and index < carriage):
        return "\n"
    return "\r\n" if text.startswith("\n", carriage + 1) else "\r"


def decode(data: bytes) -> DecodedText:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM. A NUL byte in UTF-8 text is not text."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, has_bom, body = "utf-8-sig", True, data[3:]
        codec = "utf-8"
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        little = data.startswith(codecs.BOM_UTF16_LE)
        encoding = "utf-16-le" if little else "utf-16-be"
        has_bom, body, codec = True, data[2:], encoding
    else:
        encoding, has_bom, body, codec = "utf-8", False, data, "utf-8"
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DecodeError(
            f"cannot decode the file as {codec.upper()}: invalid byte 0x{body[exc.start]:02x}", line, column
        ) from None
    nul = text.find("\x00")
    if nul != -1:
        index = LineIndex(text)
        line, column = index.position(nul)
        raise DecodeError("the file contains a NUL byte: binary data, not text", line, column)
    return DecodedText(text=text, encoding=encoding, has_bom=has_bom, newline=_newline_of(text))


class LineIndex:
    """Maps a 0-based offset in a text to its 1-based (line, column). `\\r\\n`, `\\r` and `\\n` end lines."""

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        if "\r" not in text:
            find = text.find
            position = find("\n")
            while position != -1:
                starts.append(position + 1)
                position = find("\n", position + 1)
        else:
            length = len(text)
            i = 0
            while i < length:
                char = text[i]
                if char == "\n":
                    starts.append(i + 1)
                elif char == "\r":
                    if i + 1 < length and text[i + 1] == "\n":
                        i += 1
                    starts.append(i + 1)
                i += 1
        self._starts = starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        starts = self._starts
        line = bisect.bisect_right(starts, start)
        line_start = starts[line - 1]
        if line == len(starts) or end < starts[line]:  # most spans end on the line they start on
            return Span(line, start - line_start + 1, line, end - line_start + 1)
        end_line, end_column = self.position(end)
        return Span(line, start - line_start + 1, end_line, end_column)

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line end."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")


def file_finding(path: str, code: str, message: str, line: int = 1, column: int = 1,
                 end_line: int | None = None, end_column: int | None = None,
                 package: str | None = None, declared: str = "") -> Finding:
    """A finding about the file itself (DDC901/902/903), at the level the catalog gives."""
    span = Span(line, column, end_line if end_line is not None else line,
                end_column if end_column is not None else column + 1)
    return Finding(code=code, level=rule_for(code).level, message=message, path=path, span=span,
                   package=package, declared=declared)


def unreadable(path: str, kind: str, message: str, line: int = 1, column: int = 1) -> ReadResult:
    """The result for a file that cannot be decoded or parsed: one DDC902, nothing else."""
    return ReadResult(path=path, kind=kind, findings=[file_finding(path, "DDC902", message, line, column)])


def begin(source: SourceFile, kind: str) -> tuple[ReadResult, Optional[DecodedText]]:
    """Decode a file's bytes into the result a reader fills; without text, the result is a finished DDC902."""
    try:
        decoded = decode(source.data)
    except DecodeError as exc:
        result = unreadable(source.display, kind, str(exc), exc.line, exc.column)
        result.real_path = source.path
        return result, None
    result = ReadResult(path=source.display, kind=kind, text=decoded.text, real_path=source.path,
                        newline=decoded.newline, has_bom=decoded.has_bom, encoding=decoded.encoding)
    return result, decoded


_PAUSE_GC_ABOVE = 256 * 1024  # characters


class CollectorPaused:
    """Pauses the cyclic garbage collector while a large file becomes objects (`with CollectorPaused(text)`).

    Tens of thousands of declarations (and a parsed JSON lock's dicts) make the collector rescan them again
    and again as they are made; nothing a reader builds forms a cycle, so pausing it is safe, and halves
    the time of a 5 MB file. Small files, and runs that already turned the collector off, are left alone.
    """

    def __init__(self, text: str) -> None:
        self._pausing = len(text) > _PAUSE_GC_ABOVE and gc.isenabled()

    def __enter__(self) -> None:
        if self._pausing:
            gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self._pausing:
            gc.enable()
