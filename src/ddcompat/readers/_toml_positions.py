"""Where things are in a TOML file: tomllib gives values but no positions, so this module recovers them.

One regex-driven pass over the text maps every value's path to its offsets (the commonest lines,
`key = "text"` and a plain string in an array, take a one-regex fast path). Every position a reader uses is
checked against tomllib's value; a miss or a disagreement re-indexes once with the general tokenizer alone
(`fast=False`), and if that disagrees too the caller gets None and reports a coarser place that was
verified, never a wrong one. Paths are tuples of keys
(str) and array indices (int), exactly as in the parsed data: `("project", "dependencies", 1)`,
`("tool", "poetry", "dependencies", "django", "version")`; an array of tables counts as an array
(`("package", 3, "name")`). Use it for every TOML reader (pyproject, Pipfile, the lock files):

    load(text: str, path: str) -> tuple[Optional[dict[str, Any]], Optional[Finding]]
        Parse with tomllib (tomli before 3.11). Invalid TOML, or nesting deep enough to raise
        RecursionError, gives (None, a DDC902 finding at the parser's line and column).

    TomlDocument(text: str, data: dict[str, Any])
        .locate(path, expected=None) -> Optional[Located]: the offsets of the value at `path`, checked
            against the parsed value `expected` (a str, or None to skip the check); None when the value is
            absent, or neither scan finds it or agrees with the parser: callers then use a coarser,
            verified place (`locate_nearest`) and never a wrong one.
        .locate_nearest(path) -> Located: the deepest located ancestor (the table header, the array...).
        .span(start, end) -> Span; .entry_span(loc), .content_span(loc): spans of a whole `key = value`
            entry (or array element / table header) and of a string's text inside its quotes.
        .substring_span(loc, start, end) -> Span: the file span of value[start:end] for a located string,
            escapes and line-ending backslashes included.
        .lines: the shared LineIndex.

    index(text: str, *, fast: bool = True) -> dict[Path, Located]   (ScanError on text that is not TOML)
    decode_string(text: str, loc: Located) -> tuple[str, list[int]]: the value and, for each of its
        characters, its offset in the file (plus one final entry: the end of the content).

`Located` offsets are 0-based into the decoded text (BOM removed, line ends as in the file): `start`/`end`
cover the whole entry (`key = value`, an array element, or a `[table]` header), `value_start`/`value_end`
the value token (quotes and brackets included), `content_start`/`content_end` a string's text between its
quotes (the value token for anything else), `string` the decoded string value (None for other kinds).
"""

from __future__ import annotations

import re
import sys
from typing import Any, NamedTuple, Optional, Union

from ddcompat.model import Finding, Span
from ddcompat.readers._text import LineIndex, file_finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

__all__ = [
    "Located",
    "Path",
    "ScanError",
    "TomlDocument",
    "decode_string",
    "index",
    "load",
]

Path = tuple[Union[str, int], ...]


class Located(NamedTuple):
    start: int
    end: int
    value_start: int
    value_end: int
    content_start: int
    content_end: int
    kind: str  # "basic", "literal", "ml-basic", "ml-literal", "array", "inline-table", "scalar",
    # "table" ([header]), "array-table" ([[header]]), "implicit" (a table made by a dotted key/header)
    string: Optional[str] = None


class ScanError(ValueError):
    """The text is not TOML the scanner understands; `offset` is where it stopped."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


_BLANK = re.compile(r"[ \t]*")
_BLANK_LINES = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")
_LINE_END = re.compile(r"[ \t]*(?:#[^\r\n]*)?(?:\r?\n|\Z)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_BODY = re.compile(r'(?:[^"\\\r\n]+|\\.)*')
_LITERAL_BODY = re.compile(r"[^'\r\n]*")
_ML_BASIC_BODY = re.compile(r'(?:[^"\\]+|\\[\s\S]|"(?!""))*')
_ML_LITERAL_BODY = re.compile(r"(?:[^']+|'(?!''))*")
_SCALAR = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?"
    r"|[0-9A-Za-z_+\-.:]+"
)
# One whole `bare-key = value` line whose value is a one-line string without escapes, a boolean or a plain
# number; anything else (dotted keys, escapes, arrays, dates with a space...) takes the general path.
_SIMPLE_ENTRY = re.compile(
    r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
    r"""(?:"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"|'([^'\x00-\x08\x0a-\x1f\x7f]*)'"""
    r"|(true|false|[0-9][0-9_.:eE+-]*))(?=[ \t]*(?:#|\r?\n|\Z))"
)
# An array element that is a one-line string without escapes (not the start of a multi-line string).
_SIMPLE_ITEM = re.compile(
    r"""(?:"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"|'([^'\x00-\x08\x0a-\x1f\x7f]*)')(?=[ \t\r\n,\]#])"""
)
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


def _never(text: str, position: int) -> None:
    """The fast path switched off."""
    return None


def _end(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where a pattern that may match nothing stops."""
    match = pattern.match(text, position)
    return position if match is None else match.end()


def index(text: str, *, fast: bool = True) -> dict[Path, Located]:
    """Every value's path mapped to its offsets (ScanError when the text is not TOML).

    `fast` lets one regex handle the commonest lines (`key = "text"`, a plain string in an array);
    `fast=False` is the general tokenizer alone, slower, used when a fast result disagrees with tomllib.
    """
    scanner = _Scanner(text, fast)
    scanner.document()
    return scanner.found


class _Scanner:
    __slots__ = ("array_tables", "fast", "found", "length", "text")

    def __init__(self, text: str, fast: bool = True) -> None:
        self.text = text
        self.fast = fast
        self.length = len(text)
        self.found: dict[Path, Located] = {}
        self.array_tables: dict[Path, int] = {}  # resolved path of a [[table]] -> how many so far

    # -- document level ---------------------------------------------------------------------------
    def document(self) -> None:
        text, length, found = self.text, self.length, self.found
        simple = _SIMPLE_ENTRY.match if self.fast else _never
        line_end = _LINE_END.match
        blank_lines = _BLANK_LINES.match
        table: Path = ()
        position = _end(_BLANK_LINES, text, 0)
        while position < length:
            quick = simple(text, position)
            if quick is not None:
                # Fast path, one regex for the most common line (`key = "text"`, `key = 1`, `key = true`):
                # the same offsets the general path would record, at a fraction of the calls.
                end = quick.end()
                key: Path = (*table, quick.group(1))
                basic, literal = quick.group(2), quick.group(3)
                if basic is not None:
                    content = quick.start(2)
                    found[key] = Located(position, end, content - 1, end, content, end - 1, "basic", basic)
                elif literal is not None:
                    content = quick.start(3)
                    found[key] = Located(position, end, content - 1, end, content, end - 1, "literal",
                                         literal)
                else:
                    value_start = quick.start(4)
                    found[key] = Located(position, end, value_start, end, value_start, end, "scalar")
                position = end
            elif text[position] == "[":
                table, position = self._header(position)
            else:
                position = self._entry(position, table)
            ended = line_end(text, position)
            if ended is None:
                raise ScanError("expected the end of the line", position)
            blank = blank_lines(text, ended.end())
            position = ended.end() if blank is None else blank.end()

    def _header(self, start: int) -> tuple[Path, int]:
        text = self.text
        array = text.startswith("[[", start)
        position = _end(_BLANK, text, start + (2 if array else 1))
        keys, position = self._key(position)
        closing = "]]" if array else "]"
        if not text.startswith(closing, position):
            raise ScanError(f"expected {closing!r}", position)
        end = position + len(closing)
        resolved: list[str | int] = []
        for number, (key, _, _) in enumerate(keys):
            resolved.append(key)
            last = number == len(keys) - 1
            current = tuple(resolved)
            if last and array:
                count = self.array_tables.get(current, 0)
                self.array_tables[current] = count + 1
                if current not in self.found:
                    self.found[current] = Located(start, end, start, end, start, end, "array")
                resolved.append(count)
            elif current in self.array_tables:
                resolved.append(self.array_tables[current] - 1)
            elif not last and current not in self.found:
                self.found[current] = Located(start, end, start, end, start, end, "implicit")
        path = tuple(resolved)
        kind = "array-table" if array else "table"
        first, last_key = keys[0][1], keys[-1][2]
        self.found[path] = Located(start, end, start, end, first, last_key, kind)
        return path, end

    def _entry(self, start: int, table: Path) -> int:
        text = self.text
        keys, position = self._key(start)
        if not text.startswith("=", position):
            raise ScanError("expected '=' after a key", position)
        position = _end(_BLANK, text, position + 1)
        path = table + tuple(key for key, _, _ in keys)
        end = self._value(position, path, start)
        for depth in range(len(table) + 1, len(path)):
            prefix = path[:depth]
            if prefix not in self.found:
                self.found[prefix] = Located(start, end, position, end, position, end, "implicit")
        return end

    def _key(self, position: int) -> tuple[list[tuple[str, int, int]], int]:
        text = self.text
        keys: list[tuple[str, int, int]] = []
        while True:
            if position >= self.length:
                raise ScanError("expected a key", position)
            char = text[position]
            if char == '"' or char == "'":
                located, end = self._string(position, allow_multiline=False)
                assert located.string is not None
                keys.append((located.string, position, end))
            else:
                match = _BARE_KEY.match(text, position)
                if match is None:
                    raise ScanError("invalid character in a key", position)
                end = match.end()
                keys.append((match.group(), position, end))
            position = _end(_BLANK, text, end)
            if text.startswith(".", position):
                position = _end(_BLANK, text, position + 1)
                continue
            return keys, position

    # -- values -----------------------------------------------------------------------------------
    def _value(self, position: int, path: Path, entry_start: int) -> int:
        text = self.text
        if position >= self.length:
            raise ScanError("expected a value", position)
        char = text[position]
        if char == '"' or char == "'":
            located, end = self._string(position, allow_multiline=True)
            self.found[path] = located._replace(start=entry_start, end=end)
            return end
        if char == "[":
            end = self._array(position, path)
            kind = "array"
        elif char == "{":
            end = self._inline_table(position, path)
            kind = "inline-table"
        else:
            match = _SCALAR.match(text, position)
            if match is None:
                raise ScanError("invalid value", position)
            end, kind = match.end(), "scalar"
        self.found[path] = Located(entry_start, end, position, end, position, end, kind)
        return end

    def _array(self, start: int, path: Path) -> int:
        text = self.text
        number = 0
        position = _end(_BLANK_LINES, text, start + 1)
        while True:
            if position >= self.length:
                raise ScanError("unclosed array", start)
            if text[position] == "]":
                return position + 1
            quick = _SIMPLE_ITEM.match(text, position) if self.fast else None
            if quick is not None:  # fast path: a one-line string without escapes
                end = quick.end()
                basic, literal = quick.group(1), quick.group(2)
                kind, value = ("basic", basic) if basic is not None else ("literal", literal)
                item: Path = (*path, number)
                self.found[item] = Located(position, end, position, end, position + 1, end - 1, kind, value)
                position = end
            else:
                position = self._value(position, (*path, number), position)
            number += 1
            position = _end(_BLANK_LINES, text, position)
            if text.startswith(",", position):
                position = _end(_BLANK_LINES, text, position + 1)
            elif not text.startswith("]", position):
                raise ScanError("expected ',' or ']' in an array", position)

    def _inline_table(self, start: int, path: Path) -> int:
        text = self.text
        position = _end(_BLANK_LINES, text, start + 1)
        while True:
            if position >= self.length:
                raise ScanError("unclosed inline table", start)
            if text[position] == "}":
                return position + 1
            position = self._entry(position, path)
            position = _end(_BLANK_LINES, text, position)
            if text.startswith(",", position):
                position = _end(_BLANK_LINES, text, position + 1)
            elif not text.startswith("}", position):
                raise ScanError("expected ',' or '}' in an inline table", position)

    def _string(self, start: int, *, allow_multiline: bool) -> tuple[Located, int]:
        text = self.text
        quote = text[start]
        if allow_multiline and text.startswith(quote * 3, start):
            body = _ML_BASIC_BODY if quote == '"' else _ML_LITERAL_BODY
            content_start = start + 3
            end_of_body = _end(body, text, content_start)
            if not text.startswith(quote * 3, end_of_body):
                raise ScanError("unclosed multi-line string", start)
            run = end_of_body
            while run < self.length and text[run] == quote and run - end_of_body < 5:
                run += 1
            content_end = run - 3
            kind = "ml-basic" if quote == '"' else "ml-literal"
            located = Located(start, run, start, run, content_start, content_end, kind)
            return located._replace(string=decode_string(text, located)[0]), run
        body = _BASIC_BODY if quote == '"' else _LITERAL_BODY
        content_start = start + 1
        content_end = _end(body, text, content_start)
        if not text.startswith(quote, content_end):
            raise ScanError("unclosed string", start)
        end = content_end + 1
        kind = "basic" if quote == '"' else "literal"
        raw = text[content_start:content_end]
        if kind == "literal" or "\\" not in raw:
            value = raw
        else:
            value = decode_string(text, Located(start, end, start, end, content_start, content_end, kind))[0]
        return Located(start, end, start, end, content_start, content_end, kind, value), end


def decode_string(text: str, loc: Located) -> tuple[str, list[int]]:
    """A located string's value and the file offset of each of its characters (then the content end).

    Follows TOML: escapes in basic strings, a newline right after an opening triple quote is dropped,
    a line-ending backslash in a multi-line basic string swallows the following whitespace, and CRLF
    reads as LF (as tomllib does).
    """
    start, end = loc.content_start, loc.content_end
    multiline = loc.kind.startswith("ml-")
    if multiline:
        if text.startswith("\r\n", start):
            start += 2
        elif text.startswith("\n", start):
            start += 1
    chars: list[str] = []
    offsets: list[int] = []
    basic = loc.kind in ("basic", "ml-basic")
    position = start
    while position < end:
        char = text[position]
        if char == "\r" and multiline and text.startswith("\r\n", position):
            chars.append("\n")
            offsets.append(position)
            position += 2
            continue
        if char != "\\" or not basic:
            chars.append(char)
            offsets.append(position)
            position += 1
            continue
        following = text[position + 1] if position + 1 < end else ""
        if following in _ESCAPES:
            chars.append(_ESCAPES[following])
            offsets.append(position)
            position += 2
        elif following in ("u", "U"):
            width = 4 if following == "u" else 8
            digits = text[position + 2 : position + 2 + width]
            try:
                chars.append(chr(int(digits, 16)))
            except ValueError:
                chars.append("\ufffd")
            offsets.append(position)
            position += 2 + width
        elif multiline and following in (" ", "\t", "\r", "\n"):
            position += 1
            while position < end and text[position] in " \t\r\n":
                position += 1
        else:
            chars.append(following)
            offsets.append(position)
            position += 2
    offsets.append(end)
    return "".join(chars), offsets


_ERROR_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_ERROR_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def load(text: str, path: str) -> tuple[Optional[dict[str, Any]], Optional[Finding]]:
    """Parse TOML; invalid TOML (or nesting deep enough for RecursionError) is one DDC902 at its position."""
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        at = _ERROR_POSITION.search(message)
        if at is not None:
            line, column = line or int(at.group(1)), column or int(at.group(2))
            message = message[: at.start()]
        elif _ERROR_AT_END.search(message):
            message = _ERROR_AT_END.sub("", message)
            lines = LineIndex(text)
            line, column = lines.position(len(text))
        message = message.strip() or "invalid TOML"
        lines = LineIndex(text)
        line = max(1, min(int(line or 1), lines.line_count))
        width = len(lines.line_text(line))
        column = max(1, min(int(column or 1), width + 1))
        return None, file_finding(path, "DDC902", f"invalid TOML: {message[:1].lower()}{message[1:]}",
                                  line, column, line, min(column + 1, width + 1))
    except RecursionError:
        return None, file_finding(path, "DDC902", "invalid TOML: nesting too deep to read", 1, 1)
    except ValueError as exc:  # tomllib lets some through: an integer over 4,300 digits, a day out of range
        lines = LineIndex(text)
        digits = _LONG_NUMBER.search(text)
        line, column = lines.position(digits.start()) if digits is not None else (1, 1)
        end = min(column + 1, len(lines.line_text(line)) + 1)
        return None, file_finding(path, "DDC902", f"invalid TOML: a value cannot be read ({exc})",
                                  line, column, line, end)


_LONG_NUMBER = re.compile(r"[0-9][0-9_]{4300,}")  # what int() refuses (sys.get_int_max_str_digits)


class TomlDocument:
    """Parsed values plus positions found by one scan, each position checked against the parsed value."""

    __slots__ = ("_exact", "_found", "data", "lines", "text")

    def __init__(self, text: str, data: dict[str, Any]) -> None:
        self.text = text
        self.data = data
        self.lines = LineIndex(text)
        self._exact = False
        self._found: Optional[dict[Path, Located]] = None  # scanned on the first question: a file with
        # nothing to locate (a pyproject.toml holding only tool settings) costs no scan at all

    def _index(self) -> dict[Path, Located]:
        if self._found is None:
            try:
                self._found = index(self.text)
            except (ScanError, RecursionError):
                self._rescan()
        assert self._found is not None
        return self._found

    def _rescan(self) -> None:
        """Index again with the general tokenizer only (once): the fast scan missed or disagreed."""
        self._exact = True
        try:
            self._found = index(self.text, fast=False)
        except (ScanError, RecursionError):
            self._found = {}

    def locate(self, path: Path, expected: Optional[str] = None) -> Optional[Located]:
        """The value at `path`; None when it was not found or its text disagrees with `expected`.

        A miss or disagreement first re-indexes with the exact tokenizer; only if that disagrees too is the
        answer None (callers then report a coarser, verified place, never a wrong one).
        """
        located = self._index().get(path)
        if located is None or (expected is not None and located.string != expected):
            if self._exact or not self._parsed(path):
                return None
            self._rescan()
            return self.locate(path, expected)
        return located

    def _parsed(self, path: Path) -> bool:
        """Whether the parsed document has a value at `path` (an absent key is no reason to rescan)."""
        value: Any = self.data
        for part in path:
            in_table = isinstance(value, dict) and isinstance(part, str) and part in value
            in_array = isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)
            if not (in_table or in_array):
                return False
            value = value[part]
        return True

    def locate_nearest(self, path: Path) -> Located:
        """The deepest ancestor of `path` that was found (the whole file as a last resort)."""
        found = self._index()
        for depth in range(len(path), 0, -1):
            located = found.get(path[:depth])
            if located is not None:
                return located
        return Located(0, 0, 0, 0, 0, 0, "document")

    def span(self, start: int, end: int) -> Span:
        return self.lines.span(start, end)

    def entry_span(self, loc: Located) -> Span:
        return self.lines.span(loc.start, loc.end)

    def value_span(self, loc: Located) -> Span:
        return self.lines.span(loc.value_start, loc.value_end)

    def content_span(self, loc: Located) -> Span:
        return self.lines.span(loc.content_start, loc.content_end)

    def substring_span(self, loc: Located, start: int, end: int) -> Span:
        """The file span of `loc.string[start:end]` (a zero-width point when start == end)."""
        raw = self.text[loc.content_start : loc.content_end]
        if loc.string is not None and raw == loc.string:
            return self.lines.span(loc.content_start + start, loc.content_start + end)
        _, offsets = decode_string(self.text, loc)
        start = max(0, min(start, len(offsets) - 1))
        end = max(start, min(end, len(offsets) - 1))
        if end == start:
            return self.lines.span(offsets[start], offsets[start])
        last = offsets[end - 1]
        return self.lines.span(offsets[start], last + _source_width(self.text, last, loc.kind))


def _source_width(text: str, offset: int, kind: str) -> int:
    """How many file characters one decoded character came from (an escape, a CRLF, or one)."""
    char = text[offset]
    if char == "\\" and kind in ("basic", "ml-basic") and offset + 1 < len(text):
        following = text[offset + 1]
        return 6 if following == "u" else 10 if following == "U" else 2
    return 2 if text.startswith("\r\n", offset) else 1
