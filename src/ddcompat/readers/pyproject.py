"""pyproject.toml: PEP 621, PEP 735, Poetry, PDM and uv dependencies, Python ranges, and `[tool.ddcompat]`.

Values come from tomllib; positions from one scan (`_toml_positions`), checked against the values.
Groups: `dependencies` (PEP 621 and Poetry main), `optional:<extra>`, `group:<name>` (PEP 735, Poetry
groups and `dev-dependencies`, PDM dev groups, uv `dev-dependencies` as `group:dev`), `uv:constraints`,
`uv:overrides`. A PEP 735 `include-group` naming a missing group, or closing a cycle, is a DDC903 at the
include entry (the include is skipped; the included group's own entries are read where they are written).
"""

from __future__ import annotations

from typing import Any, Optional

from packaging.markers import InvalidMarker, Marker
from packaging.ranges import VersionRange
from packaging.utils import canonicalize_name

from ddcompat.model import Declaration, PlatformDeclaration, ReadResult, SourceFile, Span
from ddcompat.readers import _toml_manifest as manifest
from ddcompat.readers._text import file_finding
from ddcompat.readers._toml_positions import Path, TomlDocument
from ddcompat.readers.poetry_constraints import translate, translate_parts

KIND = "pyproject"
_DIRECT_KEYS = ("git", "path", "url", "file")


def read(source: SourceFile) -> ReadResult:
    """Every dependency, Python range and platform a pyproject.toml declares, with exact positions."""
    result, doc = manifest.begin_document(source, KIND)
    if doc is not None:
        read_document(result, doc)
    return result


def read_document(result: ReadResult, doc: TomlDocument) -> None:
    """Fill `result` from a parsed pyproject document (also used for pyproject-shaped tests)."""
    data = doc.data
    project = manifest.table(data.get("project"))
    tool = manifest.table(data.get("tool"))
    _pep621(result, doc, project)
    _dependency_groups(result, doc, data.get("dependency-groups"))
    _poetry(result, doc, manifest.table(tool.get("poetry")))
    _pdm(result, doc, manifest.table(tool.get("pdm")))
    _uv(result, doc, manifest.table(tool.get("uv")))
    if "ddcompat" in tool and isinstance(tool["ddcompat"], dict):
        result.tool_config = dict(tool["ddcompat"])
    manifest.sort_result(result)


# -- PEP 621 ----------------------------------------------------------------------------------------
def _requirement_list(result: ReadResult, doc: TomlDocument, path: Path, value: object, group: str) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        manifest.invalid(result, doc, path, f"{'.'.join(map(str, path))} must be an array of requirements")
        return
    for number, item in enumerate(value):
        manifest.pep508(result, doc, (*path, number), item, group)


def _pep621(result: ReadResult, doc: TomlDocument, project: dict[str, Any]) -> None:
    if "requires-python" in project:
        manifest.python_declaration(result, doc, ("project", "requires-python"), project["requires-python"],
                                    "requires-python")
    _requirement_list(result, doc, ("project", "dependencies"), project.get("dependencies"), "dependencies")
    optional = project.get("optional-dependencies")
    if optional is None:
        return
    if not isinstance(optional, dict):
        manifest.invalid(result, doc, ("project", "optional-dependencies"),
                         "project.optional-dependencies must be a table of arrays")
        return
    for extra, items in optional.items():
        path: Path = ("project", "optional-dependencies", extra)
        _requirement_list(result, doc, path, items, f"optional:{extra}")


# -- PEP 735 ----------------------------------------------------------------------------------------
def _dependency_groups(result: ReadResult, doc: TomlDocument, groups: object) -> None:
    if groups is None:
        return
    if not isinstance(groups, dict):
        manifest.invalid(result, doc, ("dependency-groups",), "dependency-groups must be a table of arrays")
        return
    by_name: dict[str, str] = {canonicalize_name(name): name for name in groups}
    includes: dict[str, list[tuple[str, Path]]] = {}
    for name, items in groups.items():
        path: Path = ("dependency-groups", name)
        if not isinstance(items, list):
            manifest.invalid(result, doc, path, f"dependency group {name!r} must be an array")
            continue
        includes[canonicalize_name(name)] = []
        for number, item in enumerate(items):
            item_path = (*path, number)
            if isinstance(item, dict) and set(item) == {"include-group"} and isinstance(
                item["include-group"], str
            ):
                target = item["include-group"]
                if canonicalize_name(target) not in by_name:
                    _unresolved(result, doc, item_path, f"include-group {target!r}: no such dependency group")
                else:
                    includes[canonicalize_name(name)].append((canonicalize_name(target), item_path))
            elif isinstance(item, dict):
                manifest.invalid(result, doc, item_path,
                                 "a dependency group entry must be a requirement or {include-group = ...}")
            else:
                manifest.pep508(result, doc, item_path, item, f"group:{name}")
    _include_cycles(result, doc, includes, by_name)


def _unresolved(result: ReadResult, doc: TomlDocument, path: Path, message: str) -> None:
    located = doc.locate(path)
    span = doc.value_span(located) if located is not None else doc.entry_span(doc.locate_nearest(path))
    result.findings.append(file_finding(result.path, "DDC903", message, span.line, span.column,
                                        span.end_line, span.end_column))


def _include_cycles(result: ReadResult, doc: TomlDocument, includes: dict[str, list[tuple[str, Path]]],
                    by_name: dict[str, str]) -> None:
    """One DDC903 per include that closes a cycle (found by a depth-first walk in file order)."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    reported: set[Path] = set()

    def visit(group: str, trail: list[str]) -> None:
        state[group] = 1
        for target, path in includes.get(group, []):
            if state.get(target) == 1:
                if path not in reported:
                    reported.add(path)
                    cycle = [*trail[trail.index(target):], target] if target in trail else [group, target]
                    chain = " -> ".join(by_name.get(name, name) for name in cycle)
                    _unresolved(result, doc, path, f"include-group cycle: {chain}")
            elif state.get(target) is None:
                visit(target, [*trail, target])
        state[group] = 2

    for group in includes:
        if state.get(group) is None:
            visit(group, [group])


# -- Poetry -----------------------------------------------------------------------------------------
def _poetry(result: ReadResult, doc: TomlDocument, poetry: dict[str, Any]) -> None:
    base: Path = ("tool", "poetry")
    _poetry_table(result, doc, (*base, "dependencies"), poetry.get("dependencies"), "dependencies", main=True)
    _poetry_table(result, doc, (*base, "dev-dependencies"), poetry.get("dev-dependencies"), "group:dev")
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for name, group in groups.items():
            if isinstance(group, dict):
                _poetry_table(result, doc, (*base, "group", name, "dependencies"), group.get("dependencies"),
                              f"group:{name}")


def _poetry_table(result: ReadResult, doc: TomlDocument, path: Path, value: object, group: str,
                  *, main: bool = False) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        manifest.invalid(result, doc, path, f"{'.'.join(map(str, path))} must be a table")
        return
    for name, spec in value.items():
        dep_path = (*path, name)
        if name == "python":
            if main:
                manifest.python_declaration(result, doc, dep_path, spec, "poetry-python", poetry=True)
            continue
        if not manifest.is_name(name):
            manifest.invalid_key(result, doc, dep_path, f"invalid package name {name!r}")
            continue
        if isinstance(spec, list):
            for number, alternative in enumerate(spec):
                _poetry_dependency(result, doc, (*dep_path, number), name, alternative, group, element=True)
        else:
            _poetry_dependency(result, doc, dep_path, name, spec, group, element=False)


def _poetry_dependency(result: ReadResult, doc: TomlDocument, path: Path, name: str, spec: object,
                       group: str, *, element: bool) -> None:
    """One Poetry dependency: `"^1.2"`, `{version = ..., python = ..., markers = ...}` or a VCS/path table."""
    located = doc.locate(path, spec if isinstance(spec, str) else None)
    if located is None:
        span = doc.entry_span(doc.locate_nearest(path))
    else:
        span = doc.value_span(located) if element else doc.entry_span(located)
    if isinstance(spec, str):
        constraint, constraint_path = spec, path
        details: dict[str, Any] = {}
    elif isinstance(spec, dict):
        details = spec
        raw = spec.get("version", "")
        constraint, constraint_path = (raw if isinstance(raw, str) else ""), (*path, "version")
        if "version" in spec and not isinstance(raw, str):
            manifest.invalid(result, doc, constraint_path, f"{name}: version must be a string",
                             package=canonicalize_name(name))
            return
    else:
        manifest.invalid(result, doc, path, f"{name}: a Poetry dependency must be a string or a table",
                         package=canonicalize_name(name))
        return
    package = canonicalize_name(name)
    is_direct = any(key in details for key in _DIRECT_KEYS)
    specifier, admitted = "", VersionRange.full()
    specifier_span: Optional[Span] = None
    if not is_direct or constraint:
        try:
            specifier, admitted = translate(constraint)
        except ValueError as exc:
            manifest.invalid(result, doc, constraint_path, f"{name}: {exc}", expected=constraint,
                             package=package, declared=constraint)
            return
        constraint_at = doc.locate(constraint_path, constraint)
        if constraint_at is not None:
            specifier_span = doc.content_span(constraint_at)
    marker_texts: list[tuple[Optional[str], Path]] = []
    python = details.get("python")
    if python is not None:
        try:
            if not isinstance(python, str):
                raise ValueError("must be a string")
            marker_texts.append((manifest.python_marker(translate_parts(python)), (*path, "python")))
        except ValueError as exc:
            manifest.invalid(result, doc, (*path, "python"), f"{name}: python {exc}",
                             expected=python if isinstance(python, str) else None, package=package)
            return
    markers = details.get("markers")
    if markers is not None:
        text = markers if isinstance(markers, str) else manifest.NOT_A_STRING
        marker_texts.append((text, (*path, "markers")))
    platform = details.get("platform")
    if platform is not None:  # Poetry's `platform = "linux"` is a sys_platform condition
        marker_texts.append((_platform_marker(platform), (*path, "platform")))
    ok, marker = manifest.marker_or_invalid(result, doc, marker_texts)
    if not ok:
        return
    extras = details.get("extras", [])
    result.declarations.append(Declaration(
        name=package,
        raw_name=name,
        specifier=specifier,
        declared=constraint.strip(),
        admitted=admitted,
        has_specifier=bool(specifier),
        span=span,
        marker=marker,
        extras=tuple(sorted(str(extra) for extra in extras)) if isinstance(extras, list) else (),
        group=group,
        specifier_span=None if is_direct else specifier_span,
        is_direct_reference=is_direct,
    ))


# -- PDM and uv -------------------------------------------------------------------------------------
def _pdm(result: ReadResult, doc: TomlDocument, pdm: dict[str, Any]) -> None:
    groups = pdm.get("dev-dependencies")
    if groups is None:
        return
    path: Path = ("tool", "pdm", "dev-dependencies")
    if not isinstance(groups, dict):
        manifest.invalid(result, doc, path, "tool.pdm.dev-dependencies must be a table of arrays")
        return
    for name, items in groups.items():
        if not isinstance(items, list):
            manifest.invalid(result, doc, (*path, name), f"PDM dev group {name!r} must be an array")
            continue
        for number, item in enumerate(items):
            if isinstance(item, str) and item.lstrip().startswith("-e"):
                continue  # an editable local path (`-e file:///${PROJECT_ROOT}/pkg`): no version to check
            manifest.pep508(result, doc, (*path, name, number), item, f"group:{name}")


def _uv(result: ReadResult, doc: TomlDocument, uv: dict[str, Any]) -> None:
    base: Path = ("tool", "uv")
    for key, group in (("dev-dependencies", "group:dev"), ("constraint-dependencies", "uv:constraints"),
                       ("override-dependencies", "uv:overrides")):
        _requirement_list(result, doc, (*base, key), uv.get(key), group)
    environments = uv.get("environments")
    if environments is None:
        return
    items = [environments] if isinstance(environments, str) else environments
    if not isinstance(items, list):
        manifest.invalid(result, doc, (*base, "environments"),
                         "tool.uv.environments must be an array of markers")
        return
    for number, text in enumerate(items):
        path: Path = (*base, "environments")
        if not isinstance(environments, str):
            path = (*path, number)
        if not isinstance(text, str):
            manifest.invalid(result, doc, path, "an environment must be a marker string")
            continue
        try:
            marker = Marker(text)
        except InvalidMarker as exc:
            manifest.invalid(result, doc, path, f"invalid environment marker {text!r}: "
                             f"{str(exc).splitlines()[0] if str(exc) else 'InvalidMarker'}", expected=text)
            continue
        _, span = manifest.where(doc, path, text)
        result.platforms.append(PlatformDeclaration(marker=marker, text=text, span=span))


def _platform_marker(platform: object) -> str:
    """`linux || darwin` -> `sys_platform == "linux" or sys_platform == "darwin"` (a bad value stays bad)."""
    if not isinstance(platform, str) or not platform.strip():
        return manifest.NOT_A_STRING
    names = [name.strip() for name in platform.replace("||", "|").split("|")]
    if any(not name or '"' in name for name in names):
        return manifest.NOT_A_STRING
    return " or ".join(f'sys_platform == "{name}"' for name in names)
