"""Pipfile (TOML): `[packages]`, `[dev-packages]` and custom categories; `[requires]` Python.

A value is a PEP 440 specifier string (`"*"`, `"==1.2"`, `">=1.0,<2"`; pipenv reads a bare `"1.2"` as
`==1.2`) or a table (`version`, `markers`, `extras`, marker variables as keys such as
`sys_platform = "== 'win32'"`, and `git`/`path`/`file`/`hg`/`svn`/`bzr` for direct references).
`[requires] python_full_version` (or, without it, `python_version`) is the project's Python.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from packaging.ranges import VersionRange
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from ddcompat.model import Declaration, PythonDeclaration, ReadResult, SourceFile, Span
from ddcompat.readers import _toml_manifest as manifest
from ddcompat.readers._lazy_range import lazy_range
from ddcompat.readers._toml_positions import Path, TomlDocument

KIND = "pipfile"
_NOT_CATEGORIES = frozenset({"source", "requires", "pipenv", "scripts"})
_DIRECT_KEYS = ("git", "path", "file", "hg", "svn", "bzr", "url")
# A key is a name, optionally with extras (`"requests[socks]" = "*"`, which pipenv accepts).
_KEY = re.compile(r"\s*([^\[\]\s]+)\s*(?:\[([^\[\]]*)\])?\s*")
_MARKER_KEYS = (
    "os_name", "sys_platform", "platform_machine", "platform_python_implementation", "platform_release",
    "platform_system", "platform_version", "python_version", "python_full_version", "implementation_name",
    "implementation_version",
)


def read(source: SourceFile) -> ReadResult:
    """Every package a Pipfile declares, and its `[requires]` Python, with exact positions."""
    result, doc = manifest.begin_document(source, KIND)
    if doc is None:
        return result
    data = doc.data
    for category, packages in data.items():
        if category in _NOT_CATEGORIES or not isinstance(packages, dict):
            continue
        for name, spec in packages.items():
            _package(result, doc, (category, name), name, spec, category)
    _requires(result, doc, manifest.table(data.get("requires")))
    manifest.sort_result(result)
    return result


def _requires(result: ReadResult, doc: TomlDocument, requires: dict[str, Any]) -> None:
    key = "python_full_version" if "python_full_version" in requires else "python_version"
    value = requires.get(key)
    if value is None:
        return
    path: Path = ("requires", key)
    if not isinstance(value, str):
        manifest.invalid(result, doc, path, f"requires.{key} must be a version string")
        return
    text = value.strip()
    try:
        version = text if key == "python_full_version" else text.rstrip(".*")
        specifier = f"=={version}" if key == "python_full_version" else f"=={version}.*"
        if text.startswith(("<", ">", "=", "!", "~")):
            specifier = text  # not what pipenv writes, but a specifier says what it means
        admitted = SpecifierSet(specifier).to_range()
    except ValueError:  # InvalidSpecifier, or a version with more digits than int() converts
        manifest.invalid(result, doc, path, f"invalid Python version {text!r} in requires.{key}",
                         expected=value, declared=text)
        return
    located, span = manifest.where(doc, path, value)
    result.pythons.append(PythonDeclaration(
        specifier=specifier, declared=text, admitted=admitted, span=span, kind="pipfile-python",
        specifier_span=doc.content_span(located) if located is not None else None,
    ))


def _pep440(text: str) -> str:
    """A Pipfile version string as PEP 440 (`*` is no specifier; a bare version is `==`)."""
    stripped = text.strip()
    if stripped in ("", "*"):
        return ""
    if stripped[0].isdigit():
        return f"=={stripped}"
    return stripped


def _package(result: ReadResult, doc: TomlDocument, path: Path, key: str, spec: object, group: str) -> None:
    keyed = _KEY.fullmatch(key)
    if keyed is None or not manifest.is_name(keyed.group(1)):
        manifest.invalid_key(result, doc, path, f"invalid package name {key!r}")
        return
    name = keyed.group(1)
    key_extras = [extra.strip() for extra in (keyed.group(2) or "").split(",") if extra.strip()]
    package = canonicalize_name(name)
    details: dict[str, Any]
    if isinstance(spec, str):
        version, version_path, details = spec, path, {}
    elif isinstance(spec, dict):
        details = spec
        raw = spec.get("version", "*")
        if not isinstance(raw, str):
            manifest.invalid(result, doc, (*path, "version"), f"{name}: version must be a string",
                             package=package)
            return
        version, version_path = raw, (*path, "version")
    else:
        manifest.invalid(result, doc, path, f"{name}: a Pipfile package must be a string or a table",
                         package=package)
        return
    is_direct = any(key in details for key in _DIRECT_KEYS)
    specifier = _pep440(version)
    try:
        admitted = lazy_range(specifier)  # built on first use: most are never read
    except ValueError:  # InvalidSpecifier, or a version with more digits than int() converts
        manifest.invalid(result, doc, version_path, f"{name}: invalid version specifier {version.strip()!r}",
                         expected=version, package=package, declared=version.strip())
        return
    if is_direct and "version" not in details:
        specifier, admitted = "", VersionRange.full()
    marker_texts: list[tuple[Optional[str], Path]] = []
    markers = details.get("markers")
    if markers is not None:
        text = markers if isinstance(markers, str) else manifest.NOT_A_STRING
        marker_texts.append((text, (*path, "markers")))
    for key in _MARKER_KEYS:
        condition = details.get(key)
        if condition is not None:
            text = f"{key} {condition}" if isinstance(condition, str) else manifest.NOT_A_STRING
            marker_texts.append((text, (*path, key)))
    ok, marker = manifest.marker_or_invalid(result, doc, marker_texts)
    if not ok:
        return
    located = doc.locate(path, spec if isinstance(spec, str) else None)
    span = doc.entry_span(located) if located is not None else doc.entry_span(doc.locate_nearest(path))
    version_at = doc.locate(version_path, version)
    specifier_span: Optional[Span] = None
    if version_at is not None and not is_direct:
        specifier_span = doc.content_span(version_at)
    extras = details.get("extras", [])
    if isinstance(extras, list):
        extras = [*extras, *key_extras]
    result.declarations.append(Declaration(
        name=package,
        raw_name=name,
        specifier=specifier,
        declared=version.strip() if isinstance(spec, str) or "version" in details else "",
        admitted=admitted,
        has_specifier=bool(specifier),
        span=span,
        marker=marker,
        extras=tuple(sorted(str(extra) for extra in extras)) if isinstance(extras, list) else (),
        group=group,
        specifier_span=specifier_span,
        is_direct_reference=is_direct,
    ))
