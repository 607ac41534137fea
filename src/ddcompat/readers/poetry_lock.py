"""poetry.lock: every `[[package]]` with its category or groups, and `[metadata] python-versions`.

The lock's `python-versions` is in Poetry's constraint syntax (`^3.9`, `>=3.8,<4.0`) and is translated
with `poetry_constraints.translate`. A package's own `python-versions` is what the package supports, not
the project, and is not read. Markers: Poetry 2 writes them per package, either one string or one per
group (`markers = { main = "...", dev = "..." }`); a package in a group without a marker is installed
unconditionally there, so it gets no marker.
"""

from __future__ import annotations

from typing import Any

from ddcompat.model import ReadResult, SourceFile
from ddcompat.readers._locks import (
    TomlLock,
    add_package,
    any_of,
    find_string_key,
    group_of,
    invalid_entry,
    key_span,
    python_declaration,
    read_toml_lock,
)
from ddcompat.readers.poetry_constraints import translate

KIND = "poetry.lock"


def read(source: SourceFile) -> ReadResult:
    """Read a poetry.lock: one declaration per package and the lock's Python."""
    result, lock = read_toml_lock(source, KIND, "package")
    if lock is None:
        return result
    for index, package in enumerate(lock.packages):
        if isinstance(package, dict):
            add_package(result, lock, index, group_of(package), _marker_text(package))
        else:
            add_package(result, lock, index, "", "")
    _add_python(result, lock)
    return result


def _marker_text(package: dict[str, Any]) -> str:
    markers = package.get("markers")
    if isinstance(markers, str):
        return markers
    if isinstance(markers, dict):
        groups = package.get("groups")
        names = [g for g in groups if isinstance(g, str)] if isinstance(groups, list) else list(markers)
        if any(not isinstance(markers.get(name), str) for name in names):
            return ""  # installed without a condition in at least one group
        return any_of([str(markers[name]) for name in names])
    return ""


def _add_python(result: ReadResult, lock: TomlLock) -> None:
    metadata = lock.data.get("metadata")
    value = metadata.get("python-versions") if isinstance(metadata, dict) else None
    if not isinstance(value, str):
        return
    found = find_string_key(lock.text, "metadata", "python-versions", value)
    span, value_span = key_span(lock.positions, found)
    try:
        specifier, admitted = translate(value)
    except ValueError as exc:
        invalid_entry(result, value_span or span, f"invalid Python constraint {value!r}: {exc}")
        return
    declaration = python_declaration(specifier, value, span, value_span, result, admitted)
    if declaration is not None:
        result.pythons.append(declaration)
