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
from collections.abc import Set
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Optional

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
        section_value = data.get(owner[0])  # a nested key at 8 spaces is no package: not this layout
        entry = section_value.get(owner[1]) if isinstance(section_value, dict) else None
        value = match.group(2)
        if "\\" in value:
            value = _key(value)
        if not isinstance(entry, dict) or value != entry.get("version"):
            return None
        line_end = text.find("\n", match.end())
        if text.find('"version"', match.end(), line_end if line_end != -1 else len(text)) != -1:
            return None  # the field again on the same line: JSON keeps that one, which the tokenizer finds
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


_KEY_LINE = '\n        "'  # a line opening with a key at pipenv's package depth (8 spaces)
_VERSION_LINE = '\n            "version": "'  # a package's version field (12 spaces), at its line break
_VERSION_FIELD = re.compile(r'"version"\s*:\s*"' + _STRING + '"')
_PLAIN_PIN = re.compile("==" + PLAIN_RELEASE.pattern)  # pipenv's pin of a plain release: `==1.2.3`
# A section's pins at once, one per line (most are plain: one match instead of one per package).
_PLAIN_PINS = re.compile(f"(?:{_PLAIN_PIN.pattern})(?:\n(?:{_PLAIN_PIN.pattern}))*")
# A section's names at once, one per line (pipenv writes normal names).
_NORMAL_NAMES = re.compile(f"(?:{NORMAL_NAME.pattern})(?:\n(?:{NORMAL_NAME.pattern}))*")
_LOCK = Origin.LOCK


def _read_pipenv_layout(text: str, data: dict[str, Any]) -> Optional[tuple[_PipenvPackages, _Layout]]:
    """The packages of a lock in pipenv's exact layout, checked and located; None for anything else.

    This is the fast path that matters for big locks: pipenv writes `json.dumps(indent=4, sort_keys=True)`,
    so a section's text is, package after package, a key line at 8 spaces, the package's fields, and
    its closing line `        },`. The walk (`_walk_section`) checks exactly that: each package's key
    line holds the next name of the parsed JSON as written; its object holds no `{` or `}` (no nested
    object, so no key hides in it), so the first `}` is its closing line, straight followed by the next
    key line, or, for the last package, by the close of the section and the next section's key. So the
    text's keys are the parsed keys, one to one: no duplicate, no stray key. Every search runs in C, and
    the hashes, most of a lock, are only passed over. The values are checked in bulk on the parsed JSON:
    every pin valid, every marker readable. Anything else (an escape, a non-string version, an invalid
    marker, a duplicate, a hand edit) gives None, and the general path, which also reports those
    problems, reads the file.

    The file's findings are final here; only the declarations (spans, ranges) are built when a check
    asks for them (`_PipenvPackages`).
    """
    crlf = "\r" in text
    if crlf and text.count("\r") != text.count("\r\n"):
        return None
    newline = "\r\n" if crlf else "\n"
    names = list(data)
    known = _first_sections(text, names, newline) if names else None
    if not known:
        return None
    layout = _Layout()
    packages_of: list[tuple[int, str]] = []  # (index of its first package, section)
    raw_names: list[str] = []
    keys: list[int] = []  # offset of each package's key line (its line break)
    closes: list[int] = []  # offset of each package's closing `}`
    renamed: dict[int, str] = {}  # index -> normal name, where pipenv's key is not one
    offset = known[0][0]
    for index, section in enumerate(names):
        if (offset != known[index][0]) if index < len(known) else not text.startswith('"' + section, offset):
            return None  # the section before did not end where this one's key is
        layout.sections[section] = offset
        layout.section_order.append(offset)
        last = index + 1 == len(names)
        if section == "_meta":
            if not last and index + 1 >= len(known):
                return None
            offset = known[index + 1][0] if not last else len(text)
            continue
        packages = data[section]
        if type(packages) is not dict or (packages and not _values_are_pipenvs(packages)):
            return None
        first = len(raw_names)
        if packages:
            packages_of.append((first, section))
            raw_names.extend(packages)
            if _NORMAL_NAMES.fullmatch("\n".join(packages)) is None:
                for position, raw_name in enumerate(packages, first):
                    if NORMAL_NAME.fullmatch(raw_name) is None:
                        if not raw_name.strip():
                            return None
                        renamed[position] = normal_name(raw_name)
        offset = _walk_section(text, packages, offset + 1 + len(section), newline, last, keys, closes)
        if offset == -1:
            return None
    return _PipenvPackages(text, packages_of, raw_names, keys, closes, renamed), layout


def _first_sections(text: str, names: list[str], newline: str) -> Optional[list[tuple[int, str]]]:
    """(offset of the key's opening quote, name) of the sections to start from; None: not pipenv's.

    pipenv writes `_meta` first: then only it and the section after it are looked for here, and the
    walk finds each later one where the one before it ends, without a search over the whole lock.
    Anything else (a category sorted before `_meta`) is searched for line by line (`_section_keys`).
    """
    opening = "{" + newline + '    "_meta": {'
    if names[:1] == ["_meta"] and text.startswith(opening):
        meta = (len(opening) - 10, "_meta")
        if len(names) == 1:
            return [meta]
        # _meta's end: its closing line, then the next section's key line (JSON depth makes it the first)
        boundary = newline + "    }," + newline + '    "' + names[1] + '": '
        found = text.find(boundary, len(opening))
        return None if found == -1 else [meta, (found + len(boundary) - len(names[1]) - 4, names[1])]
    sections = _section_keys(text)
    return sections if [name for _, name in sections] == names else None


def _walk_section(text: str, packages: dict[str, Any], opening: int, newline: str, last: bool,
                  keys: list[int], closes: list[int]) -> int:
    """Walk one section's packages (`opening`: the closing quote of its key); -1 where the text is not
    pipenv's. Returns where the next section's key opens (for the last section: the end of the text).
    """
    startswith = text.startswith
    after = ("," + newline + "    ") if not last else (newline + "}")  # what follows the section's `}`
    if not packages:
        end = opening + 5 + len(after)
        if not startswith('": {}' + after, opening):
            return -1
        return end if not last or not text[end:].strip(" \t\r\n") else -1
    if not startswith('": {' + newline + "        ", opening):
        return -1
    before = newline + "        "  # what precedes a package's closing `}`
    around = before + "}," + _KEY_LINE.replace("\n", newline)  # a closing line, then the next key line
    step = 1 + len(newline)  # from a closing `}` to the next key line's line break
    key_at = keys.append
    close_at = closes.append
    find = text.find
    shift = len(before)
    key = opening + 3 + len(newline)
    close = -1
    walked = len(keys)
    for raw_name in packages:
        # `key` is this package's key line: its name must be there as written, unescaped.
        name_end = key + 10 + len(raw_name)
        if not (startswith(raw_name, key + 10) and startswith('": {', name_end)):
            return -1
        close = find("}", name_end + 4)
        key_at(key)
        close_at(close)
        if close == -1 or not startswith(around, close - shift):
            break  # the last package, or not pipenv's layout: told apart below
        key = close + step
    if close == -1 or len(keys) - walked != len(packages):
        return -1
    # The last package's closing line closes the section too; then the next section, or the end.
    tail = before + "}" + newline + "    }" + after
    if not startswith(tail, close - len(before)):
        return -1
    end = close - len(before) + len(tail)
    return end if not last or not text[end:].strip(" \t\r\n") else -1


def _values_are_pipenvs(packages: dict[str, Any]) -> bool:
    """Whether every package is an object with a valid pin (or none) and a readable marker (or none).

    In bulk, over the parsed values: what the general path would report on (a version that is not a
    version, an invalid marker) sends the file there.
    """
    entries = packages.values()
    try:
        versions: list[Any] = list(map(dict.get, entries, repeat("version")))
    except TypeError:  # a package that is not an object (`dict.get` takes dicts only)
        return False
    try:
        plain = _PLAIN_PINS.fullmatch("\n".join(versions)) is not None
    except TypeError:  # a package without a version (a VCS or path one), or a version of another type
        plain = False
    if not plain:
        for version in versions:
            if version is not None and (type(version) is not str or _pin_of(version) is None):
                return False
    try:
        markers = set(map(dict.get, entries, repeat("markers")))
    except TypeError:  # a list or an object: let the general path read it
        return False
    for markers_text in markers:
        if type(markers_text) is str and markers_text.strip() and marker_of(markers_text)[0] is None:
            return False
    return True


def _pin_of(version: str) -> Optional[tuple[str, VersionRange]]:
    """The specifier and range of pipenv's `==V`; None for anything else (the general path reads it)."""
    if _PLAIN_PIN.fullmatch(version) is not None:
        return version, plain_pin_range(version)
    if not version.startswith("==") or version.startswith("==="):
        return None
    bare = version[2:]
    if bare != bare.strip():
        return None
    return pinned(bare)


class _PipenvPackages:
    """The packages `_read_pipenv_layout` checked and located; each declaration is built on first use.

    A 5,000-package lock names a few dozen libraries the rules know: building only those (`named`) is
    most of the reader's time saved. Only offsets are kept: a package's own JSON object is parsed again
    when it is built (the whole parsed lock is not kept alive for the few that are). Lines are counted
    forward from the last package built, so building in file order costs one pass over the text.
    """

    __slots__ = ("_built", "_closes", "_index", "_keys", "_last", "_newlines", "_packages_of", "_raw_names",
                 "_renamed", "_text")

    def __init__(self, text: str, packages_of: list[tuple[int, str]], raw_names: list[str], keys: list[int],
                 closes: list[int], renamed: dict[int, str]) -> None:
        self._text = text
        self._packages_of = packages_of
        self._raw_names = raw_names
        self._keys = keys
        self._closes = closes
        self._renamed = renamed
        self._built: dict[int, Declaration] = {}
        self._index: Optional[list[dict[str, int]]] = None
        self._last = 0  # the offset lines were last counted to
        self._newlines = 0  # line breaks before `_last`

    def all(self) -> list[Declaration]:
        return [self._declaration(index) for index in range(len(self._keys))]

    def named(self, names: Set[str]) -> list[Declaration]:
        if self._index is None:
            bounds = [first for first, _ in self._packages_of] + [len(self._raw_names)]
            self._index = [dict(zip(self._raw_names[start:stop], range(start, stop)))
                           for start, stop in zip(bounds, bounds[1:])]
        found: list[int] = []
        for by_name in self._index:
            found.extend(by_name[name] for name in by_name.keys() & names)
        found.extend(index for index, name in self._renamed.items() if name in names)
        return [self._declaration(index) for index in sorted(set(found))]

    def _declaration(self, index: int) -> Declaration:
        built = self._built.get(index)
        if built is None:
            built = self._built[index] = self._build(index)
        return built

    def _build(self, index: int) -> Declaration:
        text = self._text
        section = self._section_of(index)
        raw_name = self._raw_names[index]
        key = self._keys[index]
        close = self._closes[index]
        name_end = key + 10 + len(raw_name)
        entry: dict[str, Any] = json.loads(text[name_end + 3:close + 1])
        if key < self._last:
            self._last = self._newlines = 0
        key_line = self._newlines + text.count("\n", self._last, key) + 2  # the line after its line break
        self._last, self._newlines = key, key_line - 2
        span = Span(key_line, 9, key_line, 11 + len(raw_name))
        markers = entry.get("markers")
        marker = marker_of(markers)[0] if isinstance(markers, str) and markers.strip() else None
        extras = _extras_of(entry)
        version = entry.get("version")
        if version is None:
            return direct_reference(raw_name, span, section, marker, extras)
        pin = _pin_of(version)
        assert pin is not None  # checked by the walk
        specifier, admitted = pin
        value = _version_value(text, version, name_end + 4, close)
        version_span = None
        if value is not None:
            line = key_line - 1 + text.count("\n", key, value)  # `key` is the key line's own break
            column = value - text.rfind("\n", 0, value)
            version_span = Span(line, column + 2, line, column + len(version))
            self._last, self._newlines = value, line - 1  # the next count starts here
        return Declaration(self._renamed.get(index, raw_name), raw_name, specifier, version[2:], admitted,
                           True, span, _LOCK, marker, extras, section, version_span)

    def _section_of(self, index: int) -> str:
        section = self._packages_of[0][1]
        for first, name in self._packages_of:
            if first > index:
                break
            section = name
        return section


def _version_value(text: str, version: str, start: int, end: int) -> Optional[int]:
    """Where the value of the package's (last) `"version"` field starts, when written without escapes.

    `start`..`end` is the package's object, which holds no nested object: every key in it is one of its
    fields. pipenv writes the field on its own line; anything else is searched for.
    """
    at = text.rfind(_VERSION_LINE, start - 1, end)
    if at != -1 and text.find('"version"', at + 25, end) == -1:
        value: Optional[int] = at + 25
    else:
        value = None
        for match in _VERSION_FIELD.finditer(text, start, end):
            value = match.start(1)
    if value is None or not text.startswith(version, value) or text[value + len(version)] != '"':
        return None
    return value


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
        packages, layout = fast
        _read_python(text, data, layout, Positions(text), result)
        result.pending = packages
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
    extras = _extras_of(entry)
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


def _extras_of(entry: dict[str, Any]) -> tuple[str, ...]:
    """A package's extras: the strings of its `extras` list (anything else is no extras, silently)."""
    value = entry.get("extras")
    return tuple(e for e in value if isinstance(e, str)) if isinstance(value, list) else ()


def _strip_operator(version: str) -> tuple[str, int]:
    """The version text of a `==1.2.3` pin and how many characters precede it."""
    stripped = version.lstrip()
    lead = len(version) - len(stripped)
    for sign in ("===", "=="):
        if stripped.startswith(sign):
            rest = stripped[len(sign):]
            bare = rest.strip()
            return bare, lead + len(sign) + (len(rest) - len(rest.lstrip()))
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
