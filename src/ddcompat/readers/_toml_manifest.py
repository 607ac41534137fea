"""Declarations from TOML manifests (pyproject.toml, Pipfile): the pieces both readers share.

Each helper takes the parsed-and-located document, the path of one value, and the `ReadResult` to add a
declaration or a DDC901 finding to. Positions come from `_toml_positions` and are checked against the
parsed value; when the check fails the finding or declaration points at the nearest verified place.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from packaging.markers import InvalidMarker, Marker
from packaging.ranges import VersionRange
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ddcompat.model import Declaration, PythonDeclaration, ReadResult, SourceFile, Span
from ddcompat.names import normal_name
from ddcompat.readers._lazy_range import lazy_range
from ddcompat.readers._pep508 import requirement as parse_requirement
from ddcompat.readers._text import begin, file_finding
from ddcompat.readers._toml_positions import Located, Path, TomlDocument, load

if TYPE_CHECKING:
    from collections.abc import Iterable

# Name, then optional extras, as PEP 508 writes them (the parser itself is packaging's; this only finds
# where the specifier starts and ends inside the string).
_HEAD = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?")
_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")


def begin_document(source: SourceFile, kind: str) -> tuple[ReadResult, Optional[TomlDocument]]:
    """Decode and parse a TOML manifest: the result to fill and its document, or a finished DDC902 result."""
    result, decoded = begin(source, kind)
    if decoded is None:
        return result, None
    data, error = load(decoded.text, source.display)
    if data is None:
        if error is not None:
            result.findings.append(error)
        return result, None
    return result, TomlDocument(decoded.text, data)


def where(doc: TomlDocument, path: Path, expected: Optional[str] = None) -> tuple[Optional[Located], Span]:
    """The located value (None when unverified) and the span to report: its own or its nearest ancestor's."""
    located = doc.locate(path, expected)
    if located is not None:
        if located.string is not None:
            return located, doc.content_span(located)
        return located, doc.value_span(located)
    return None, doc.entry_span(doc.locate_nearest(path))


def invalid(result: ReadResult, doc: TomlDocument, path: Path, message: str, *,
            expected: Optional[str] = None, package: Optional[str] = None, declared: str = "") -> None:
    """A DDC901 at the value at `path` (inside the quotes for a string)."""
    _, span = where(doc, path, expected)
    result.findings.append(file_finding(result.path, "DDC901", message, span.line, span.column,
                                        span.end_line, span.end_column, package=package,
                                        declared=declared))


def key_span(doc: TomlDocument, path: Path) -> Span:
    """The span of the key naming the value at `path` (`"a[b]"` in `"a[b]" = "*"`)."""
    located = doc.locate(path)
    if located is None:
        return doc.entry_span(doc.locate_nearest(path))
    if located.kind in ("table", "array-table"):
        return doc.span(located.content_start, located.content_end)
    if located.start == located.value_start:  # an array element has no key
        return doc.value_span(located)
    head = doc.text[located.start : located.value_start].rstrip()
    head = head[:-1].rstrip() if head.endswith("=") else head
    return doc.span(located.start, located.start + len(head))


def invalid_key(result: ReadResult, doc: TomlDocument, path: Path, message: str) -> None:
    """A DDC901 at the key of the entry at `path` (an invalid package name)."""
    span = key_span(doc, path)
    result.findings.append(file_finding(result.path, "DDC901", message, span.line, span.column,
                                        span.end_line, span.end_column))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def pep508(result: ReadResult, doc: TomlDocument, path: Path, value: object, group: str) -> None:
    """One PEP 508 requirement string (PEP 621, PEP 735, PDM, uv): a declaration or a DDC901."""
    if not isinstance(value, str):
        invalid(result, doc, path, f"not a requirement string: {_describe(value)}")
        return
    try:
        requirement, admitted = _parse_requirement(value)
    except InvalidRequirement as exc:
        invalid(result, doc, path, f"invalid requirement {value.strip()!r}: {_first_line(exc)}",
                expected=value, declared=value.strip())
        return
    located, span = where(doc, path, value)
    specifier_text, specifier_span = _specifier_place(doc, located, value, requirement)
    is_direct = requirement.url is not None
    result.declarations.append(Declaration(
        name=normal_name(requirement.name),
        raw_name=requirement.name,
        specifier=specifier_text,
        declared=specifier_text,
        admitted=admitted,
        has_specifier=bool(requirement.specifier),
        span=span,
        marker=requirement.marker,
        extras=tuple(sorted(requirement.extras)),
        group=group,
        specifier_span=None if is_direct else specifier_span,
        is_direct_reference=is_direct,
    ))


@lru_cache(maxsize=4096)
def _parse_requirement(value: str) -> tuple[Requirement, VersionRange]:
    """A requirement and the versions it admits; cached because requirements recur across a project's
    files and building a range costs more than reading the TOML around it. Callers never mutate it."""
    try:
        requirement = parse_requirement(value)
    except RecursionError:  # a marker with thousands of nested parentheses
        raise InvalidRequirement("the marker nests too deeply to be read") from None
    return requirement, _range(requirement.specifier)


def _specifier_place(doc: TomlDocument, located: Optional[Located], value: str,
                     requirement: Requirement) -> tuple[str, Optional[Span]]:
    """The specifier as written and where it is: its exact text, or a point after the name and extras."""
    place = _specifier_offsets(value)
    if place is None:
        return str(requirement.specifier), None
    written, start, end = place
    if located is None:
        return written, None
    return written, doc.substring_span(located, start, end)


@lru_cache(maxsize=4096)
def _specifier_offsets(value: str) -> Optional[tuple[str, int, int]]:
    """Where the specifier of a valid requirement string is: (text as written, start, end) in the value;
    a zero-width place after the name and extras for none; None for a URL or where the scan disagrees with
    packaging's parse (then no position is better than a wrong one)."""
    head = _HEAD.match(value)
    if head is None:
        return None
    position = head.end()
    rest = value[position:]
    stripped = rest.lstrip()
    start = position + len(rest) - len(stripped)
    if stripped.startswith("("):
        close = stripped.find(")")
        if close == -1:
            return None
        start += 1
        text = stripped[1:close]
    elif stripped.startswith("@"):
        return None
    else:
        semicolon = stripped.find(";")
        text = stripped if semicolon == -1 else stripped[:semicolon]
    written = text.strip()
    start += len(text) - len(text.lstrip())
    specifier = _parse_requirement(value)[0].specifier
    clauses = sorted("".join(clause.split()) for clause in written.split(",")) if written else []
    if clauses != sorted(str(clause) for clause in specifier):
        return None
    if not written:
        return "", head.end(), head.end()
    return written, start, start + len(written)


def _range(specifier: SpecifierSet) -> VersionRange:
    try:
        return lazy_range(str(specifier), specifier)  # built on first use: most are never read
    except ValueError:  # pragma: no cover - packaging builds a range for every valid specifier
        return VersionRange.full()


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def python_marker(parts: Iterable[str]) -> Optional[str]:
    """A marker text for a PEP 440 Python range, one `||` alternative per part (`>=3.9,<4` ->
    `python_version >= "3.9" and python_version < "4"`). None when any part admits every Python."""
    alternatives: list[str] = []
    for part in parts:
        clauses = [clause.strip() for clause in part.split(",") if clause.strip()]
        if not clauses:
            return None
        pieces: list[str] = []
        for clause in clauses:
            match = re.match(r"(===|==|!=|~=|>=|<=|>|<)\s*(.+)", clause)
            if match is None:
                raise ValueError(f"not a Python specifier: {clause!r}")
            operator, version = match.group(1), match.group(2)
            variable = "python_version"
            base = version[:-2] if version.endswith(".*") else version
            try:
                parsed = Version(base)
            except InvalidVersion:
                raise ValueError(f"not a Python version: {version!r}") from None
            if len(parsed.release) > 2 or parsed.is_prerelease or parsed.is_postrelease or parsed.local:
                variable = "python_full_version"
            pieces.append(f'{variable} {operator} "{version}"')
        alternatives.append(" and ".join(pieces))
    if len(alternatives) == 1:
        return alternatives[0]
    return " or ".join(f"({alternative})" for alternative in alternatives)


def combine_markers(texts: Iterable[Optional[str]]) -> Optional[Marker]:
    """The AND of several marker texts (InvalidMarker when one does not parse)."""
    present = tuple(text.strip() for text in texts if text and text.strip())
    if not present:
        return None
    return _marker(present[0] if len(present) == 1 else " and ".join(f"({text})" for text in present))


@lru_cache(maxsize=1024)
def _marker(text: str) -> Marker:
    """A parsed marker; cached since the same few (`python_version >= "3.9"`) recur. Never mutated."""
    try:
        return Marker(text)
    except RecursionError:  # thousands of nested parentheses
        raise InvalidMarker("the marker nests too deeply to be read") from None


def python_declaration(result: ReadResult, doc: TomlDocument, path: Path, value: object, kind: str,
                       *, poetry: bool = False) -> None:
    """A Python range (`requires-python`, Poetry's `python`, Pipfile's `python_version`), or a DDC901."""
    if not isinstance(value, str):
        invalid(result, doc, path, f"not a Python version specifier: {_describe(value)}")
        return
    try:
        if poetry:
            from ddcompat.readers.poetry_constraints import translate

            specifier, admitted = translate(value)
        else:
            specifier, admitted = value.strip(), _python_range(value)
    except (ValueError, InvalidSpecifier) as exc:
        invalid(result, doc, path, f"invalid Python specifier {value.strip()!r}: {_first_line(exc)}",
                expected=value, declared=value.strip())
        return
    located, span = where(doc, path, value)
    result.pythons.append(PythonDeclaration(
        specifier=specifier,
        declared=value.strip(),
        admitted=admitted,
        span=span,
        kind=kind,
        specifier_span=doc.content_span(located) if located is not None else None,
    ))


@lru_cache(maxsize=1024)  # a tree's projects declare a few Python ranges between them
def _python_range(value: str) -> VersionRange:
    """The Pythons `value` admits; raises what `SpecifierSet` and `to_range` raise (errors are not cached)."""
    return SpecifierSet(value).to_range()


NOT_A_STRING = "\x00not a string"  # stands for a marker value of the wrong type (no marker contains NUL)


def marker_or_invalid(result: ReadResult, doc: TomlDocument,
                      sources: list[tuple[Optional[str], Path]]) -> tuple[bool, Optional[Marker]]:
    """Marker texts combined; each comes with the path it was written at, where a DDC901 points when it
    does not parse (then (False, None))."""
    for text, path in sources:
        if text is None:
            continue
        if text == NOT_A_STRING:
            invalid(result, doc, path, f"{path[-1]} must be a marker string")
            return False, None
        try:
            _marker(text)
        except InvalidMarker as exc:
            invalid(result, doc, path, f"invalid marker {text!r}: {_first_line(exc)}")
            return False, None
    return True, combine_markers(text for text, _ in sources)


def is_name(text: str) -> bool:
    """A valid distribution name (PEP 508)."""
    return bool(_NAME.match(text))


def sort_result(result: ReadResult) -> None:
    """Declarations and findings in file order (sections are read in a fixed order, not file order)."""
    result.declarations.sort(key=lambda item: (item.span.line, item.span.column))
    result.pythons.sort(key=lambda item: (item.span.line, item.span.column))
    result.findings.sort(key=lambda item: (item.span.line, item.span.column, item.code))


def table(value: Any) -> dict[str, Any]:
    """`value` when it is a table, else an empty one (hostile files put anything anywhere)."""
    return value if isinstance(value, dict) else {}
