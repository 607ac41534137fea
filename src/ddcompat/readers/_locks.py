"""What every lock-file reader shares: exact pins as ranges, markers, fast offset->position, parse errors.

Lock files are machine-written and can hold thousands of packages, so everything here is built for
speed: a pin's range is built only when something reads it (`_lazy_range`), pins and markers are
cached by their text (a lock repeats them, and both are immutable), and positions come from counting
newlines forward from the last position asked for instead of indexing every line of the file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple, Optional, Union

from packaging.markers import InvalidMarker, Marker
from packaging.ranges import VersionRange
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ddcompat._toml import TOMLDecodeError, loads
from ddcompat.model import (
    Declaration,
    Origin,
    PlatformDeclaration,
    PythonDeclaration,
    ReadResult,
    SourceFile,
    Span,
)
from ddcompat.names import is_plain_release, normal_name
from ddcompat.readers._artifact_lines import blank_artifact_lists
from ddcompat.readers._lazy_range import LAZY_RANGES, deferred_range
from ddcompat.readers._text import LineIndex, begin, file_finding

_FULL_RANGE = SpecifierSet("").to_range()


_LAZY = LAZY_RANGES  # pins are built lazily unless packaging's ranges changed shape (see _lazy_range)
_lazy = deferred_range


def pinned(version: str) -> Optional[tuple[str, VersionRange]]:
    """The specifier text and admitted range of a locked version; None when it is not a version at all.

    A PEP 440 version gives `==V` (which, like pip, admits `V+local`); anything else that is still a
    single token gives the literal `===V`, which admits exactly that string. The specifier is validated
    here; the range itself is built on first use (see `_lazy_range`).

    Most pins are plain releases (`1.2.3`), always valid: their pending range costs less to make than a
    cache lookup that misses, which is what most of a big lock's distinct versions do.
    """
    if _LAZY and is_plain_release(version):  # eager ranges are worth the cache below
        spec = "==" + version
        return spec, plain_pin_range(spec)
    return _pinned(version)


def plain_pin_range(specifier: str) -> VersionRange:
    """The range of `==V` where V is a plain release (`1.2.3`, always valid), built on first use."""
    return _lazy(specifier) if _LAZY else SpecifierSet(specifier).to_range()


@lru_cache(maxsize=16384)
def _pinned(version: str) -> Optional[tuple[str, VersionRange]]:
    text = version.strip()
    if not text:
        return None
    if is_plain_release(text):  # `==` + a release is always valid
        spec = "==" + text
        return spec, plain_pin_range(spec)
    try:
        Version(text)
        spec = "==" + text
    except InvalidVersion:
        spec = "===" + text
    except ValueError:  # more digits than int() converts: packaging can build no range from it
        return None
    try:
        specifier = SpecifierSet(spec)
    except InvalidSpecifier:
        return None
    return spec, (_lazy(spec) if _LAZY else specifier.to_range())


@lru_cache(maxsize=4096)
def _parse_marker(text: str) -> Union[Marker, str]:
    try:
        return Marker(text)
    except InvalidMarker as exc:
        return str(exc).splitlines()[0] if str(exc) else "invalid marker"
    except RecursionError:  # thousands of nested parentheses
        return "the marker nests too deeply to be read"


def marker_of(text: str) -> tuple[Optional[Marker], str]:
    """The parsed marker and "" or None and the parser's complaint (markers are cached by text)."""
    parsed = _parse_marker(text)
    if isinstance(parsed, str):
        return None, parsed
    return parsed, ""


def any_of(markers: list[str]) -> str:
    """One marker text that holds where any of `markers` holds ("" when one of them is unconditional)."""
    texts = [m.strip() for m in markers]
    if not texts or any(not m for m in texts):
        return ""
    if len(texts) == 1:
        return texts[0]
    return " or ".join(f"({m})" for m in texts)


class Positions:
    """Offsets of a decoded text to 1-based spans, fast when asked in increasing order.

    Asking in file order (which is how the readers walk a lock) costs one C-level newline count over the
    gap since the last offset. A text with lone `\\r` line ends, or a question out of order, switches to a
    full `LineIndex`.
    """

    __slots__ = ("_index", "_last_line", "_last_offset", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._index: Optional[LineIndex] = None
        if "\r" in text and text.count("\r") != text.count("\r\n"):
            self._index = LineIndex(text)
        self._last_offset = 0
        self._last_line = 1

    def position(self, offset: int) -> tuple[int, int]:
        if self._index is not None:
            return self._index.position(offset)
        text = self.text
        if offset < self._last_offset:  # out of order (duplicates, fallbacks): index every line once
            self._index = LineIndex(text)
            return self._index.position(offset)
        line = self._last_line + text.count("\n", self._last_offset, offset)
        self._last_offset = offset
        self._last_line = line
        return line, offset - text.rfind("\n", 0, offset)

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        if self._index is None and self.text.find("\n", start, end) == -1:
            return Span(line, column, line, column + (end - start))
        end_line, end_column = self._index.position(end) if self._index is not None else self._far(end)
        return Span(line, column, end_line, end_column)

    def _far(self, offset: int) -> tuple[int, int]:
        text = self.text
        line = self._last_line + text.count("\n", self._last_offset, offset)
        return line, offset - text.rfind("\n", 0, offset)


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


def load_toml(text: str, result: ReadResult) -> Optional[dict[str, Any]]:
    """The parsed document, or None after adding one DDC902 at the parser's position to `result`.

    Artifact lists (`files`, `wheels`) in their tool's exact shape parse as empty lists: see
    `_artifact_lines`. Every error position is the one the whole text gives.
    """
    try:
        return loads(blank_artifact_lists(text))
    except TOMLDecodeError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        at = _TOML_AT.search(message)
        at_end = _TOML_END.search(message)
        if at is not None:
            message = message[: at.start()]
            if line is None or column is None:
                line, column = int(at.group(1)), int(at.group(2))
        elif at_end is not None:
            message = message[: at_end.start()]
            if line is None or column is None:
                line, column = _end_position(text)
        if line is None or column is None:
            line, column = 1, 1
        _unreadable(result, f"invalid TOML: {message}", int(line), int(column))
    except RecursionError:
        _unreadable(result, "invalid TOML: nested too deeply to read", 1, 1)
    except ValueError as exc:  # tomllib lets some value errors through (dates out of range)
        _unreadable(result, f"invalid TOML: {exc}", 1, 1)
    return None


def _end_position(text: str) -> tuple[int, int]:
    index = LineIndex(text)
    return index.position(len(text))


def _unreadable(result: ReadResult, message: str, line: int, column: int) -> None:
    """One DDC902 at a parser's position: one character wide, or empty at the end of a line or file."""
    index = LineIndex(result.text)
    line = min(max(line, 1), index.line_count)
    width = len(index.line_text(line))
    column = min(max(column, 1), width + 1)
    end_column = column + 1 if column <= width else column
    result.findings.append(file_finding(result.path, "DDC902", message, line, column, line, end_column))


def unreadable_json(result: ReadResult, message: str, line: int, column: int) -> None:
    """Add the DDC902 of a JSON file that cannot be parsed."""
    _unreadable(result, message, line, column)


def lock_declaration(raw_name: str, version: str, span: Span, version_span: Optional[Span], group: str,
                     marker: Optional[Marker], extras: tuple[str, ...] = ()) -> Optional[Declaration]:
    """The declaration of one locked package; None when `version` is not a version token."""
    pin = pinned(version)
    if pin is None:
        return None
    specifier, admitted = pin
    return Declaration(name=normal_name(raw_name), raw_name=raw_name, specifier=specifier,
                       declared=version, admitted=admitted, has_specifier=True, span=span,
                       origin=Origin.LOCK, marker=marker, extras=extras, group=group,
                       specifier_span=version_span)


def direct_reference(raw_name: str, span: Span, group: str, marker: Optional[Marker],
                     extras: tuple[str, ...] = ()) -> Declaration:
    """A locked package with no version (git, path, URL, editable or virtual source)."""
    return Declaration(name=normal_name(raw_name), raw_name=raw_name, specifier="", declared="",
                       admitted=_FULL_RANGE, has_specifier=False, span=span, origin=Origin.LOCK,
                       marker=marker, extras=extras, group=group, is_direct_reference=True)


def invalid_entry(result: ReadResult, span: Span, message: str, package: Optional[str] = None,
                  declared: str = "") -> None:
    """Add a DDC901 about one lock entry (a version that is not a version, a marker that does not parse)."""
    result.findings.append(file_finding(result.path, "DDC901", message, span.line, span.column,
                                        span.end_line, span.end_column, package=package, declared=declared))


def python_declaration(specifier: str, declared: str, span: Span, value_span: Optional[Span],
                       result: ReadResult, admitted: Optional[VersionRange] = None
                       ) -> Optional[PythonDeclaration]:
    """A lock's statement of the Pythons it was resolved for; a DDC901 when it is not a specifier."""
    if admitted is None:
        try:
            admitted = SpecifierSet(specifier).to_range()
        except ValueError as exc:  # InvalidSpecifier, or more digits than int() converts
            invalid_entry(result, value_span or span, f"invalid Python requirement {declared!r}: {exc}")
            return None
    return PythonDeclaration(specifier=specifier, declared=declared, admitted=admitted, span=span,
                             kind="lock", origin=Origin.LOCK, specifier_span=value_span)


# ---------------------------------------------------------------------------------------------------------
# TOML locks: where each `[[package]]` (or pylock `[[packages]]`) entry's name and version are written.


class Entry(NamedTuple):
    """Offsets of one package table's `name = "x"` entry and of its version string's content."""

    name_start: int  # the key
    name_end: int  # one past the closing quote of the value
    version_start: int  # the version text inside its quotes (-1 when not found)
    version_end: int


def _string_at(text: str, start: int) -> Optional[tuple[int, str]]:
    """A one-line TOML string starting at `start`: the offset one past its closing quote, and its value."""
    quote = text[start:start + 1]
    if quote not in ("\"", "'") or text.startswith(quote * 3, start):
        return None
    if quote == "'":
        end = text.find("'", start + 1)
        if end == -1 or "\n" in text[start:end]:
            return None
        return end + 1, text[start + 1:end]
    end = text.find('"', start + 1)
    while end != -1 and text[end - 1] == "\\":
        backslashes = len(text[start + 1:end]) - len(text[start + 1:end].rstrip("\\"))
        if backslashes % 2 == 0:
            break
        end = text.find('"', end + 1)
    if end == -1:
        return None
    raw = text[start + 1:end]
    if "\n" in raw:
        return None
    if "\\" in raw:
        try:
            value = loads("v = " + text[start:end + 1])["v"]
        except (TOMLDecodeError, RecursionError):
            return None
        return end + 1, str(value)
    return end + 1, raw


def _entry_value(text: str, key: str, start: int, end: int) -> Optional[tuple[int, int, int, str]]:
    """In the machine layout, the `key = "v"` line between `start` and `end`.

    Returns (key offset, content start, content end, value): the content is the text inside the quotes.
    """
    needle = "\n" + key + " = "
    found = text.find(needle, start, end)
    if found == -1:
        return None
    quote = found + len(needle)
    string = _string_at(text, quote)
    if string is None:
        return None
    return found + 1, quote + 1, string[0] - 1, string[1]


def locate_packages(text: str, table: str, packages: list[Any]) -> list[Optional[Entry]]:
    """The name/version offsets of each package table, in the order tomllib gives them.

    Fast path: every lock tool writes `[[package]]` at the start of a line followed by `name = "x"` and
    `version = "1.0"` lines; one `str.find` per key finds them. The values found are compared with the
    parsed ones, and any difference (hand-edited spacing, inline tables, escapes) switches to a slower
    search that does not depend on the layout.
    """
    header = "[[" + table + "]]"
    starts: list[int] = []
    if text.startswith(header):
        starts.append(0)
    needle = "\n" + header
    found = text.find(needle)
    while found != -1:
        starts.append(found + 1)
        found = text.find(needle, found + 1)
    if len(starts) != len(packages):
        return _locate_slowly(text, packages, starts, len(header))
    located: list[Optional[Entry]] = []
    length = len(text)
    find = text.find
    for index, start in enumerate(starts):
        body = start + len(header) - 1
        end = find("\n[", body)
        if end == -1:
            end = length
        package = packages[index]
        if not isinstance(package, dict):
            return _locate_slowly(text, packages, starts, len(header))
        name = _entry_value(text, "name", body, end)
        if name is None or name[3] != package.get("name"):
            return _locate_slowly(text, packages, starts, len(header))
        expected = package.get("version")
        version = _entry_value(text, "version", body, end)
        if version is None:
            if expected is not None:
                return _locate_slowly(text, packages, starts, len(header))
            located.append(Entry(name[0], name[2] + 1, -1, -1))
        elif version[3] != expected:
            return _locate_slowly(text, packages, starts, len(header))
        else:
            located.append(Entry(name[0], name[2] + 1, version[1], version[2]))
    return located


def _key_pattern(key: str, anywhere: bool) -> re.Pattern[str]:
    quoted = f"(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
    prefix = r"(?<![\w.\"'-])" if anywhere else r"(?m)^[ \t]*"
    return re.compile(prefix + quoted + r"[ \t]*=[ \t]*(?=[\"'])")


_NAME_AT_LINE_START = _key_pattern("name", anywhere=False)
_NAME_ANYWHERE = _key_pattern("name", anywhere=True)
_VERSION_ANYWHERE = _key_pattern("version", anywhere=True)


def _find_value(pattern: re.Pattern[str], text: str, value: str, start: int, end: int
                ) -> Optional[tuple[int, int, int]]:
    """The first `key = <value>` after `start`: (key offset, content start, content end)."""
    for match in pattern.finditer(text, start, end):
        string = _string_at(text, match.end())
        if string is not None and string[1] == value:
            return match.start(), match.end() + 1, string[0] - 1
    return None


def _locate_slowly(text: str, packages: list[Any], headers: list[int], header_length: int = 0
                   ) -> list[Optional[Entry]]:
    """Layout-independent search: each package's `name = "x"` after the previous one's, then its version.

    A package whose name is not found is placed at its `[[package]]` header when the headers line up.
    """
    names: list[Optional[tuple[int, int, int]]] = []
    position = 0
    length = len(text)
    for package in packages:
        name = package.get("name") if isinstance(package, dict) else None
        if not isinstance(name, str):
            names.append(None)
            continue
        found = _find_value(_NAME_AT_LINE_START, text, name, position, length)
        if found is None:
            found = _find_value(_NAME_ANYWHERE, text, name, position, length)
        if found is not None:
            position = found[2]
        names.append(found)
    located: list[Optional[Entry]] = []
    for index, package in enumerate(packages):
        name_found = names[index]
        if name_found is None:
            if len(headers) == len(packages):
                located.append(Entry(headers[index], headers[index] + header_length, -1, -1))
            else:
                located.append(None)
            continue
        limit = next((n[0] for n in names[index + 1:] if n is not None), length)
        version = package.get("version")
        version_found = (_find_value(_VERSION_ANYWHERE, text, version, name_found[2], limit)
                         if isinstance(version, str) else None)
        located.append(Entry(name_found[0], name_found[2] + 1,
                             version_found[1] if version_found else -1,
                             version_found[2] if version_found else -1))
    return located


# ---------------------------------------------------------------------------------------------------------
# Top-level and table keys (`requires-python`, `[metadata] python-versions`, `environments`).

_HEADER_LINE = re.compile(r"(?m)^[ \t]*\[")


def _table_region(text: str, table: Optional[str], occurrence: int = 0) -> Optional[tuple[int, int]]:
    """Where the keys of `[table]`, of the `occurrence`-th `[[table]]` or of the root (None) are written."""
    if table is None:
        start = 0
    else:
        pattern = re.compile(r"(?m)^[ \t]*\[\[?[ \t]*" + re.escape(table) + r"[ \t]*\]\]?[ \t]*(?:#.*)?$")
        matches = pattern.finditer(text)
        match = next((m for i, m in enumerate(matches) if i == occurrence), None)
        if match is None:
            return None
        start = match.end()
    following = _HEADER_LINE.search(text, start)
    return start, following.start() if following is not None else len(text)


def find_string_key(text: str, table: Optional[str], key: str, value: str, occurrence: int = 0
                    ) -> Optional[tuple[int, int, int]]:
    """The `key = "value"` entry of `[table]`: (key offset, content start, content end)."""
    region = _table_region(text, table, occurrence)
    if region is None:
        return None
    pattern = re.compile(r"(?m)^[ \t]*" + f"(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
                         + r"[ \t]*=[ \t]*(?=[\"'])")
    return _find_value(pattern, text, value, region[0], region[1])


_ARRAY_ITEM = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|\]|#[^\n]*")


def find_string_array(text: str, table: Optional[str], key: str, values: list[Any]
                      ) -> list[Optional[tuple[int, int]]]:
    """The content offsets of each string of the `key = [...]` array of `[table]` (None where unknown)."""
    unknown: list[Optional[tuple[int, int]]] = [None] * len(values)
    region = _table_region(text, table)
    if region is None:
        return unknown
    pattern = re.compile(r"(?m)^[ \t]*" + f"(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
                         + r"[ \t]*=[ \t]*\[")
    match = pattern.search(text, region[0], region[1])
    if match is None:
        return unknown
    found: list[tuple[int, int, str]] = []
    for item in _ARRAY_ITEM.finditer(text, match.end()):
        token = item.group(0)
        if token == "]":
            break
        if token.startswith("#"):
            continue
        string = _string_at(text, item.start())
        if string is None:
            return unknown
        found.append((item.start() + 1, string[0] - 1, string[1]))
    if [value for _, _, value in found] != values:
        return unknown
    return [(start, end) for start, end, _ in found]


def key_span(positions: Positions, found: Optional[tuple[int, int, int]]) -> tuple[Span, Optional[Span]]:
    """The span of a `key = "value"` entry and of its value's content (line 1 when it was not found)."""
    if found is None:
        return Span(1, 1, 1, 1), None
    key_start, content_start, content_end = found
    return positions.span(key_start, content_end + 1), positions.span(content_start, content_end)


# ---------------------------------------------------------------------------------------------------------
# The shared walk of a TOML lock.


class TomlLock(NamedTuple):
    """A parsed TOML lock with the offsets of its package entries."""

    text: str
    data: dict[str, Any]
    positions: Positions
    packages: list[Any]
    entries: list[Optional[Entry]]


def read_toml_lock(source: SourceFile, kind: str, table: str) -> tuple[ReadResult, Optional[TomlLock]]:
    """Decode and parse a TOML lock and locate its `[[table]]` entries; None after a DDC902."""
    result, decoded = begin(source, kind)
    if decoded is None:
        return result, None
    text = decoded.text
    data = load_toml(text, result)
    if data is None:
        return result, None
    positions = Positions(text)
    packages = data.get(table, [])
    if not isinstance(packages, list):
        invalid_entry(result, Span(1, 1, 1, 1), f"`{table}` is not an array of tables")
        packages = []
    entries = locate_packages(text, table, packages) if packages else []
    return result, TomlLock(text, data, positions, packages, entries)


def add_package(result: ReadResult, lock: TomlLock, index: int, group: str,
                marker_text: Optional[str]) -> None:
    """The declaration of `lock.packages[index]`, or a DDC901 for an entry that cannot be one."""
    package = lock.packages[index]
    entry = lock.entries[index]
    positions = lock.positions
    span = positions.span(entry.name_start, entry.name_end) if entry is not None else Span(1, 1, 1, 1)
    if not isinstance(package, dict):
        invalid_entry(result, span, "a package entry that is not a table")
        return
    raw_name = package.get("name")
    if not isinstance(raw_name, str) or not raw_name.strip():
        invalid_entry(result, span, "a package entry without a name")
        return
    marker: Optional[Marker] = None
    if marker_text:
        marker, problem = marker_of(marker_text)
        if marker is None:
            invalid_entry(result, span, f"invalid marker for {raw_name!r}: {problem}", package=raw_name,
                          declared=marker_text)
    version = package.get("version")
    if version is None:
        result.declarations.append(direct_reference(raw_name, span, group, marker))
        return
    version_span: Optional[Span] = None
    if entry is not None and entry.version_start >= 0 and (
            lock.text[entry.version_start:entry.version_end] == version):  # escaped: no exact span
        version_span = positions.span(entry.version_start, entry.version_end)
    if not isinstance(version, str):
        invalid_entry(result, span, f"the version of {raw_name!r} is not a string: {version!r}",
                      package=raw_name)
        return
    declaration = lock_declaration(raw_name, version, span, version_span, group, marker)
    if declaration is None:
        invalid_entry(result, version_span or span,
                      f"the locked version of {raw_name!r} is not a version: {version!r}",
                      package=raw_name, declared=version)
        return
    result.declarations.append(declaration)


def group_of(package: dict[str, Any]) -> str:
    """Poetry's `category` (lock 1.x) or its `groups` list (2.x, pdm): one name or names joined by ","."""
    category = package.get("category")
    if isinstance(category, str):
        return category
    groups = package.get("groups")
    if isinstance(groups, list):
        return ",".join(g for g in groups if isinstance(g, str))
    return ""


def add_requires_python(result: ReadResult, lock: TomlLock, table: Optional[str], key: str,
                        container: Any = None, occurrence: int = 0) -> None:
    """The PEP 440 `requires-python` of a lock (uv, pylock, pdm) as a Python declaration."""
    if container is None:
        container = lock.data if table is None else lock.data.get(table)
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, str):
        return
    span, value_span = key_span(lock.positions, find_string_key(lock.text, table, key, value, occurrence))
    declaration = python_declaration(value.strip(), value, span, value_span, result)
    if declaration is not None:
        result.pythons.append(declaration)


def add_platforms(result: ReadResult, lock: TomlLock, key: str) -> None:
    """uv's `supported-markers` / pylock's `environments`: one platform declaration per marker."""
    values = lock.data.get(key)
    if not isinstance(values, list):
        return
    offsets = find_string_array(lock.text, None, key, values)
    for value, where in zip(values, offsets):
        if not isinstance(value, str):
            continue
        span = lock.positions.span(*where) if where is not None else Span(1, 1, 1, 1)
        marker, problem = marker_of(value)
        if marker is None:
            invalid_entry(result, span, f"invalid marker in `{key}`: {problem}", declared=value)
            continue
        result.platforms.append(PlatformDeclaration(marker=marker, text=value, span=span))
