"""Pipfile.lock: pipenv's JSON lock. Every category's packages, with the position of each package's key.

`json.loads` gives the values; positions come from the text, in three tiers:
1. pipenv's exact layout (`json.dumps(indent=4, sort_keys=True)`: section keys indented 4 spaces, package
   keys 8, their fields 12): one regex pass builds the declarations while it scans, checking every key and
   version against the parsed JSON (`_read_pipenv_layout`). This is what keeps big locks fast.
2. The same layout with something unusual (escapes, invalid markers or versions to report): a layout
   scan, checked against the parsed keys (`_scan_fast`).
3. Any other JSON (hand-edited, minified): a tokenizer over strings and brackets that tracks the key path
   (`_scan_tokens`); slower, but layout-independent.
All three give the same declarations where they overlap (tested). Duplicate keys: like pipenv (and every
JSON reader in Python) the last one wins; each earlier duplicate gets a DDC901, since the tools silently
ignore it. `span` is the package's quoted key (`"ddtrace"`); `specifier_span` is the version after `==`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from packaging.markers import Marker
from packaging.ranges import VersionRange
from packaging.version import Version

from ddcompat.model import Declaration, Origin, ReadResult, SourceFile, Span
from ddcompat.names import NORMAL_NAME, PLAIN_RELEASE, normal_name
from ddcompat.readers._locks import (
    Positions,
    direct_reference,
    invalid_entry,
    lock_declaration,
    marker_of,
    pinned,
    plain_pin_range,
    python_declaration,
    unreadable_json,
)
from ddcompat.readers._text import CollectorPaused, begin

KIND = "pipfile.lock"

# Literal indents (not ` {8}`) so that `re` can search for the whole prefix at C speed: 5x faster.
_STRING = r'([^"\\\n]*(?:\\.[^"\\\n]*)*)'  # a JSON string's content, as an unrolled loop (fast in `re`)
_SECTION = re.compile(r'\n    "' + _STRING + r'": [{\[]')
# A package key (8 spaces) or a package's version (12 spaces), in one pass.
_ENTRY = re.compile(r'\n        (?:"' + _STRING + r'": \{|    "version": "' + _STRING + '")')
_KEY_AT = re.compile(r'"' + _STRING + '"')
_TOKEN = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:)?|[{}\[\]]')
_PYTHON = re.compile(r'"(python_full_version|python_version)"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"')
_MAX_DEPTH = 500  # where a "nested too deeply" finding points: far beyond any real lock


@dataclass
class _Layout:
    """Offsets found in the text: keys as (opening quote, one past the closing quote)."""

    sections: dict[str, int] = field(default_factory=dict)
    section_order: list[int] = field(default_factory=list)
    packages: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)
    versions: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


def _key(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        value = json.loads('"' + raw + '"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


def _scan_fast(text: str, data: dict[str, Any]) -> Optional[_Layout]:
    """Positions from pipenv's own layout; None when the file does not follow it exactly."""
    layout = _Layout()
    sections = [(start, _key(raw)) for start, raw in _section_keys(text)]
    if [name for _, name in sections] != list(data):
        return None
    for offset, name in sections:
        layout.sections[name] = offset
        layout.section_order.append(offset)
    boundaries = [offset for offset, _ in sections] + [len(text) + 1]
    section_index = -1
    next_boundary = boundaries[0]
    section = ""
    found: dict[str, list[str]] = {}
    names: list[str] = []
    owner: Optional[tuple[str, str]] = None
    packages = layout.packages
    versions = layout.versions
    for match in _ENTRY.finditer(text):
        start = match.start() + 9
        while start > next_boundary:
            section_index += 1
            next_boundary = boundaries[section_index + 1]
            section = sections[section_index][1]
            names = found.setdefault(section, [])
            owner = None
        if section_index < 0 or section == "_meta":
            continue
        raw = match.group(1)
        if raw is not None:
            name = raw if "\\" not in raw else _key(raw)
            names.append(name)
            packages[(section, name)] = [(start, match.end() - 3)]
            owner = (section, name)
            continue
        # A version line: it belongs to the last package key of the same section.
        if owner is None or owner in versions:
            return None
        entry = data[owner[0]][owner[1]]
        value = match.group(2)
        if "\\" in value:
            value = _key(value)
        if not isinstance(entry, dict) or value != entry.get("version"):
            return None
        versions[owner] = (match.start(2), match.end(2))
    for name, packages_value in data.items():
        if name == "_meta":
            continue
        expected = list(packages_value) if isinstance(packages_value, dict) else []
        if found.get(name, []) != expected:
            return None
        for package, entry in packages_value.items() if isinstance(packages_value, dict) else ():
            has_version = isinstance(entry, dict) and isinstance(entry.get("version"), str)
            if has_version != ((name, package) in versions):
                return None
    return layout


_SECTION_LINE = '\n    "'  # a line opening with a key at pipenv's section depth (4 spaces)


def _section_keys(text: str) -> list[tuple[int, str]]:
    """(offset of the opening quote, raw key) of each section line, as `_SECTION.finditer` finds them.

    Only lines that open with a quote at 4 spaces can match, so a string search jumps between them, which
    costs a fraction of a regular-expression search over the whole lock (mostly hashes). The search runs
    backwards: `str.find` takes 10 times longer than `str.rfind` for this needle, whose opening (a line
    break and 4 spaces) starts every line of the lock. Occurrences cannot overlap (one line break each).
    """
    found: list[tuple[int, str]] = []
    at = text.rfind(_SECTION_LINE)
    while at != -1:
        match = _SECTION.match(text, at)
        if match is not None:
            found.append((at + 5, match.group(1)))
        at = text.rfind(_SECTION_LINE, 0, at)
    found.reverse()
    return found


def _section_end(layout: _Layout, start: int, length: int) -> int:
    for offset in layout.section_order:
        if offset > start:
            return offset
    return length


def _scan_tokens(text: str) -> _Layout:
    """Positions from any JSON layout: a tokenizer over strings and brackets that tracks the key path."""
    layout = _Layout()
    # One frame per open container: (is_object, key under which it sits).
    stack: list[tuple[bool, Optional[str]]] = []
    key: Optional[str] = None
    want_version: Optional[tuple[str, str]] = None
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        first = token[0]
        if first == '"':
            if match.group(2) is not None:  # a key
                key = _key(match.group(1))
                depth = len(stack)
                want_version = None
                if depth == 1 and stack[0][0]:
                    layout.sections[key] = match.start()
                    layout.section_order.append(match.start())
                elif depth == 2 and stack[0][0] and stack[1][0] and stack[1][1] not in (None, "_meta"):
                    section = stack[1][1]
                    assert section is not None
                    key_end = match.start() + len(match.group(1)) + 2
                    layout.packages.setdefault((section, key), []).append((match.start(), key_end))
                elif (depth == 3 and key == "version" and stack[1][0] and stack[2][0]
                      and stack[1][1] not in (None, "_meta") and stack[2][1] is not None):
                    section, package = stack[1][1], stack[2][1]
                    assert section is not None
                    want_version = (section, package)
            elif want_version is not None:
                layout.versions[want_version] = (match.start(1), match.end(1))
                want_version = None
            else:
                key = None
        elif first in "{[":
            stack.append((first == "{", key))
            key = None
            want_version = None
        else:
            if stack:
                stack.pop()
            key = None
            want_version = None
    return layout


def _too_deep_at(text: str) -> int:
    depth = 0
    for match in _TOKEN.finditer(text):
        first = match.group(0)[0]
        if first in "{[":
            depth += 1
            if depth > _MAX_DEPTH:
                return match.start()
        elif first in "}]":
            depth -= 1
    return 0


class _NotPipenvLayout(Exception):
    """The file is not exactly what pipenv writes: read it with the general path instead."""


_KEY_LINE = '\n        "'  # a line opening with a key at pipenv's package depth (8 spaces)
_VERSION_LINE = '\n            "version": "'  # a package's version field (12 spaces)
# The line that closes a package's object when another package follows (LF or CRLF line ends).
_CLOSING_LINES = ("\n        },", "\n        },\r")
_PLAIN_PIN = re.compile("==" + PLAIN_RELEASE.pattern)  # pipenv's pin of a plain release: `==1.2.3`
_LOCK = Origin.LOCK


def _read_pipenv_layout(text: str, data: dict[str, Any]) -> Optional[tuple[list[Declaration], _Layout]]:
    """The declarations of a lock in pipenv's exact layout; None for anything else.

    This is the fast path that matters for big locks. JSON strings hold no raw line break, so a line that
    opens with a quoted key at 8 spaces is a package key and one at 12 spaces a package field. Each
    package's key line must hold the next package of the parsed JSON as written, and must follow the
    closing line of the package before it (so no duplicate or stray key hides between); it is found by the
    `{` that opens its object (`_next_key_line`). The version line is the last one before the next key
    (the one JSON keeps), checked against the parsed value; lines are counted with `str.count`. All the
    searches run in C, and the hashes, most of a lock, are only passed over. Anything unusual (an escape,
    a non-string version, an invalid marker, a duplicate, a hand edit) gives None, and the general path,
    which also reports those problems, reads the file.
    """
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None
    sections = _section_keys(text)
    if [name for _, name in sections] != list(data):
        return None
    layout = _Layout()
    for offset, name in sections:
        layout.sections[name] = offset
        layout.section_order.append(offset)
    declarations: list[Declaration] = []
    append = declarations.append
    find = text.find
    rfind = text.rfind
    endswith = text.endswith
    count = text.count
    startswith = text.startswith
    is_normal = NORMAL_NAME.fullmatch
    plain_pin = _PLAIN_PIN.fullmatch
    new = tuple.__new__
    ranges: dict[str, VersionRange] = {}
    newlines = 0  # line breaks before `last` (a key line's or a version line's opening break)
    last = 0
    try:
        for index, (offset, section) in enumerate(sections):
            if section == "_meta":
                continue
            packages = data[section]
            end = sections[index + 1][0] if index + 1 < len(sections) else len(text)
            if type(packages) is not dict:
                return None
            key = find(_KEY_LINE, offset, end)
            if (key == -1) != (not packages):
                return None
            for raw_name, entry in packages.items():
                # `key` is this package's key line: its name must be there as written, unescaped.
                name_end = key + 10 + len(raw_name)
                if (type(entry) is not dict or not startswith(raw_name, key + 10)
                        or not startswith('": {', name_end)):
                    return None
                if is_normal(raw_name) is not None:  # what pipenv writes
                    name = raw_name
                elif raw_name.strip():
                    name = normal_name(raw_name)
                else:
                    return None
                # The next package's key line; in pipenv's layout the next `{` is on it.
                brace = find("{", name_end + 4, end)
                line = rfind("\n", name_end, brace) if brace != -1 else -1
                if line != -1 and startswith(_KEY_LINE, line) and endswith(_CLOSING_LINES, name_end, line):
                    position = line
                else:
                    position = _next_key_line(text, name_end + 4, end)
                newlines += count("\n", last, key)
                last = key
                key_line = newlines + 2
                span = new(Span, (key_line, 9, key_line, 11 + len(raw_name)))
                version = entry.get("version")
                # The last version line: the value JSON keeps when a package repeats its "version".
                at = rfind(_VERSION_LINE, name_end, position)
                if version is None:
                    if at != -1:
                        return None
                    marker, extras = _marker_and_extras(entry)
                    append(direct_reference(raw_name, span, section, marker, extras))
                    key = position
                    continue
                if (at == -1 or type(version) is not str or not startswith(version, at + 25)
                        or text[at + 25 + len(version)] != '"'):
                    return None
                if plain_pin(version) is not None:  # `==1.2.3`: valid, its range built on first use
                    specifier = version
                    admitted = ranges.get(version)
                    if admitted is None:
                        admitted = ranges[version] = plain_pin_range(version)
                else:
                    if not version.startswith("==") or version.startswith("==="):
                        return None
                    pin = pinned(version[2:])
                    if pin is None or version[2:] != version[2:].strip():
                        return None
                    specifier, admitted = pin
                if "markers" in entry or "extras" in entry:
                    marker, extras = _marker_and_extras(entry)
                else:
                    marker, extras = None, ()
                version_line = key_line + count("\n", key, at)
                newlines, last = version_line - 2, at  # the next count starts here, not at `key`
                append(new(Declaration, (
                    name, raw_name, specifier, version[2:], admitted, True, span, _LOCK, marker, extras,
                    section, new(Span, (version_line, 27, version_line, 25 + len(version))), False, ())))
                key = position
            if packages and key != end:  # a key line after the last package: a duplicate or a stray key
                return None
    except _NotPipenvLayout:
        return None
    return declarations, layout


def _next_key_line(text: str, start: int, end: int) -> int:
    """Where the next package's key line opens (its line break), or `end` when none is left in the section.

    A package's key line opens an object, so the search hops from `{` to `{`, a one-character search that
    runs at memchr speed, instead of matching the line's 10-character opening across every hash. A `{` in
    a string or a deeper object is passed over. Raises `_NotPipenvLayout` where a key line could hide from
    the hops (pipenv writes neither, and the general path reads such a file): a `{` alone on its line,
    whose key may be above it, and a key line not straight after the closing line of the package before
    it, where a key with some other value (`"name": "x",`) may sit in between.
    """
    find = text.find
    brace = find("{", start, end)
    while brace != -1:
        line = text.rfind("\n", start, brace)
        if line != -1:
            if text.startswith(_KEY_LINE, line):
                if not text.endswith(_CLOSING_LINES, start, line):
                    raise _NotPipenvLayout
                return line
            if not text[line + 1:brace].strip(" "):
                raise _NotPipenvLayout
        brace = find("{", brace + 1, end)
    return end


def _marker_and_extras(entry: dict[str, Any]) -> tuple[Optional[Marker], tuple[str, ...]]:
    markers = entry.get("markers")
    marker = None
    if markers is not None:
        if type(markers) is not str:
            raise _NotPipenvLayout
        marker, _ = marker_of(markers)
        if marker is None:
            raise _NotPipenvLayout
    extras_value = entry.get("extras")
    if extras_value is None:
        return marker, ()
    if type(extras_value) is not list or any(type(e) is not str for e in extras_value):
        raise _NotPipenvLayout
    return marker, tuple(extras_value)


def read(source: SourceFile) -> ReadResult:
    """Read a Pipfile.lock: one declaration per locked package, and the lock's Python."""
    result, decoded = begin(source, KIND)
    if decoded is None:
        return result
    with CollectorPaused(decoded.text):
        return _read(decoded.text, result)


def _read(text: str, result: ReadResult) -> ReadResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # From the offset, not exc.lineno/colno: json counts only "\n" as a line end.
        line, column = Positions(text).position(min(exc.pos, len(text)))
        message = "the file is empty" if not text.strip() else exc.msg
        unreadable_json(result, f"invalid JSON: {message}", line, column)
        return result
    except ValueError as exc:  # json lets one through: an integer of more than 4,300 digits
        unreadable_json(result, f"invalid JSON: a value cannot be read ({exc})", 1, 1)
        return result
    except RecursionError:
        line, column = Positions(text).position(_too_deep_at(text))
        unreadable_json(result, f"invalid JSON: nested more than {_MAX_DEPTH} levels deep", line, column)
        return result
    if not isinstance(data, dict):
        start = len(text) - len(text.lstrip())
        line, column = Positions(text).position(start)
        unreadable_json(result, "not a Pipfile.lock: the document is not a JSON object", line, column)
        return result
    fast = _read_pipenv_layout(text, data)
    if fast is not None:
        declarations, layout = fast
        _read_python(text, data, layout, Positions(text), result)
        result.declarations.extend(declarations)
        return result
    scanned = _scan_fast(text, data)
    layout = scanned if scanned is not None else _scan_tokens(text)
    positions = Positions(text)
    _read_python(text, data, layout, positions, result)
    for section, packages in data.items():
        if section == "_meta":
            continue
        if not isinstance(packages, dict):
            offset = layout.sections.get(section, 0)
            key = _KEY_AT.match(text, offset)
            invalid_entry(result, positions.span(offset, key.end() if key is not None else offset),
                          f"Pipfile.lock section {section!r} is not an object of packages")
            continue
        for raw_name, entry in packages.items():
            _read_package(section, raw_name, entry, layout, positions, result)
    return result


def _read_package(section: str, raw_name: str, entry: Any, layout: _Layout, positions: Positions,
                  result: ReadResult) -> None:
    keys = layout.packages.get((section, raw_name))
    if keys:
        for earlier in keys[:-1] if len(keys) > 1 else ():
            last_line = positions.position(keys[-1][0])[0]
            invalid_entry(result, positions.span(*earlier),
                          f"duplicate package {raw_name!r} in {section!r}: JSON readers keep the last one "
                          f"(line {last_line}), so this entry is ignored", package=raw_name)
        span = positions.span(*keys[-1])
    else:
        span = Span(1, 1, 1, 1)
    if not isinstance(entry, dict):
        invalid_entry(result, span, f"the entry for {raw_name!r} in {section!r} is not an object",
                      package=raw_name)
        return
    if not raw_name.strip():
        invalid_entry(result, span, f"a package with an empty name in {section!r}")
        return
    marker = None
    markers = entry.get("markers")
    if isinstance(markers, str) and markers.strip():
        marker, problem = marker_of(markers)
        if marker is None:
            invalid_entry(result, span, f"invalid markers for {raw_name!r}: {problem}", package=raw_name,
                          declared=markers)
    extras_value = entry.get("extras")
    extras = tuple(e for e in extras_value if isinstance(e, str)) if isinstance(extras_value, list) else ()
    version = entry.get("version")
    if version is None:
        result.declarations.append(direct_reference(raw_name, span, section, marker, extras))
        return
    value_offsets = layout.versions.get((section, raw_name))
    if not isinstance(version, str):
        where = positions.span(*value_offsets) if value_offsets else span
        invalid_entry(result, where, f"the version of {raw_name!r} is not a string: {version!r}",
                      package=raw_name)
        return
    if version.startswith("==") and not version.startswith("===") and version[2:3].isalnum() and (
            version[-1:].isalnum()):
        bare, skipped = version[2:], 2  # pipenv's own `==1.2.3`
    else:
        bare, skipped = _strip_operator(version)
    version_span: Optional[Span] = None
    if value_offsets is not None and value_offsets[1] - value_offsets[0] == len(version):
        # Without escapes the offsets map one to one; an escaped version has no exact span.
        start = value_offsets[0] + skipped
        version_span = positions.span(start, start + len(bare))
    declaration: Optional[Declaration] = lock_declaration(raw_name, bare, span, version_span, section,
                                                          marker, extras)
    if declaration is None:
        invalid_entry(result, version_span or span, f"the locked version of {raw_name!r} is not a version: "
                      f"{version!r}", package=raw_name, declared=version)
        return
    result.declarations.append(declaration)


def _strip_operator(version: str) -> tuple[str, int]:
    """The version text of a `==1.2.3` pin and how many characters precede it."""
    stripped = version.lstrip()
    lead = len(version) - len(stripped)
    for operator in ("===", "=="):
        if stripped.startswith(operator):
            rest = stripped[len(operator):]
            bare = rest.strip()
            return bare, lead + len(operator) + (len(rest) - len(rest.lstrip()))
    bare = stripped.rstrip()
    return bare, lead


def _read_python(text: str, data: dict[str, Any], layout: _Layout, positions: Positions,
                 result: ReadResult) -> None:
    meta = data.get("_meta")
    requires = meta.get("requires") if isinstance(meta, dict) else None
    if not isinstance(requires, dict):
        return
    start = layout.sections.get("_meta", 0)
    end = _section_end(layout, start, len(text))
    found: dict[str, tuple[int, int, int]] = {}
    for match in _PYTHON.finditer(text, start, end):
        found.setdefault(match.group(1), (match.start(), match.start(2), match.end(2)))
    for key in ("python_version", "python_full_version"):
        value = requires.get(key)
        if not isinstance(value, str):
            continue
        offsets = found.get(key)
        if offsets is not None and _key(text[offsets[1]:offsets[2]]) == value:
            span = positions.span(offsets[0], offsets[2] + 1)
            value_span: Optional[Span] = positions.span(offsets[1], offsets[2])
        else:
            span = positions.span(start, start + len('"_meta"'))
            value_span = None
        specifier = _python_specifier(key, value.strip())
        declaration = python_declaration(specifier, value, span, value_span, result)
        if declaration is not None:
            result.pythons.append(declaration)


def _python_specifier(key: str, value: str) -> str:
    """`python_version = "3.11"` means any 3.11.x; `python_full_version` is one exact release."""
    if key == "python_full_version":
        return "==" + value
    try:
        release = Version(value).release
    except ValueError:  # InvalidVersion, or more digits than int() converts (sys.get_int_max_str_digits)
        return "==" + value  # not a version: python_declaration reports it
    if len(release) <= 2:
        return "==" + value + ".*"
    return "==" + value
