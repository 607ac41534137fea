"""DDC201-203: the project's Pythons and platforms against the runtimes table of the branch in use.

* DDC201: none of the project's Python versions is supported by the ddtrace branch in use;
* DDC202: the project's Python range also admits versions that branch does not support;
* DDC203: a declared platform (an environment marker on a ddtrace declaration, uv or pylock
  `environments`) is one the branch's rows do not list, such as 32-bit Linux (`i686`) on 4.x.

A Python pre-release belongs with its release (`3.9.0rc1` is inside "3.9+"). The branch in use is the one
`_branches.branch_in_use` picks: a lock's version decides; a range that reaches several branches is
judged on the newest (what an installer picks); with no ddtrace declared the newest General
Availability branch is assumed and the message says so. A ddtrace declaration that carries
a platform marker is judged on its own newest branch, since projects split ddtrace pins by platform
(`ddtrace<4; platform_machine == "i686"`).

Python findings point at the project's Python declaration when its file is checked, otherwise at a
ddtrace declaration of a checked file (the tracer is what the Python is judged against); a project with
neither in a checked file gets none.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple, Optional, Union

from packaging.markers import Marker
from packaging.ranges import VersionRange

from ddcompat._memo import by_identity_and_key
from ddcompat.checks._branches import KnownBranch, branch_in_use, known_branches, reached
from ddcompat.checks._common import (
    TRACER,
    admitted,
    make_finding,
    tracer_anchor,
    tracer_declarations,
    versioned,
)
from ddcompat.checks._ranges import Relation, admitted_of, format_range, parse_range, relate, with_previews
from ddcompat.context import ProjectContext
from ddcompat.model import Declaration, Finding, PythonDeclaration, Span
from ddcompat.ruleset.model import RuleSet, Runtime


def watched(rules: RuleSet) -> frozenset[str]:
    """The names whose declarations this family reads: ddtrace's (its markers name the platforms)."""
    return frozenset({TRACER})


def check(context: ProjectContext, rules: RuleSet) -> Iterable[Finding]:
    """Python findings for the project, then platform findings for each checked file."""
    yield from _check_python(context, rules)
    yield from _check_platforms(context, rules)


# --- Python versions ---------------------------------------------------------------------------------


@by_identity_and_key  # asked for by every project; the rule set never changes
def _rows(rules: RuleSet, known: KnownBranch) -> list[Runtime]:
    """The runtime rows that apply to a branch: those whose ddtrace versions reach it."""
    return [row for row in rules.runtimes if not parse_range(row.tracer_specifier).is_disjoint(known.range)]


def _pythons(rows: list[Runtime], *, previews: bool) -> VersionRange:
    """The Pythons the rows support; with `previews`, also the pre-releases of each first version."""
    return _pythons_of(tuple(row.python_specifier for row in rows), previews)


@functools.lru_cache(maxsize=256)
def _pythons_of(specifiers: tuple[str, ...], previews: bool) -> VersionRange:
    result = VersionRange.empty()
    for specifier in specifiers:
        result = result | (with_previews if previews else parse_range)(specifier)
    return result


def _python_text(rows: list[Runtime]) -> str:
    """What the rows say in the page's own words ("CPython 3.9+"), each distinct text once."""
    texts: list[str] = []
    for row in rows:
        text = f"{row.runtime} {row.python_text}"
        if text not in texts:
            texts.append(text)
    return " / ".join(texts)


def _check_python(context: ProjectContext, rules: RuleSet) -> Iterator[Finding]:
    project = context.python
    if project is None:
        return
    in_use = branch_in_use(context, rules)
    if in_use is None:
        return
    rows = _rows(rules, in_use.known)
    if not rows:
        return
    pythons = _pythons(rows, previews=True)
    plain = _pythons(rows, previews=False)
    versions = admitted_of(project.versions, project.text)
    relation = _relate_pythons(versions, pythons)
    if relation is Relation.INSIDE:
        return

    anchor = _python_anchor(context)
    if anchor is None:
        return
    path, span, subject = anchor
    known = in_use.known
    source = rows[0].source.cite()
    said = _python_source(project.source, project.text, project.path)
    page = f"{source}: {_python_text(rows)} for ddtrace {known.branch.specifier}"
    declared = project.declaration.declared if project.declaration is not None else project.text
    if isinstance(subject, Declaration):
        declared = subject.declared
    if relation is Relation.DISJOINT:
        code = "DDC201"
        message = (
            f"the project's Python ({said}) is not supported by ddtrace {known.name}{in_use.qualifier()} "
            f"({page}); move to a supported Python or to a ddtrace branch built for it"
        )
        hint = "ddtrace ships native code per Python version; on an unsupported Python it does not load."
    else:
        code = "DDC202"
        outside = format_range(versions - pythons, fallback="some of them")
        message = (
            f"the project's Python ({said}) admits versions ddtrace {known.name}{in_use.qualifier()} "
            f"does not support ({outside}; {page}); narrow it to the supported ones"
        )
        hint = f"Narrow the Python range to {format_range(versions & plain, fallback='the supported one')}."
    yield make_finding(
        code,
        message,
        path,
        span,
        hint=hint,
        package=TRACER if isinstance(subject, Declaration) else None,
        declared=declared,
        subject=subject,
        target=plain,
    )


# The projects of a tree mostly declare the same few Python ranges against the same branch's Pythons.
_relate_pythons = functools.lru_cache(maxsize=256)(relate)


def _python_source(source: str, text: str, path: Optional[str]) -> str:
    """The project's Python for messages: `>=3.8, from requires-python in pyproject.toml`."""
    label = "the lock" if source == "lock" else source
    if path and path.rsplit("/", 1)[-1] != source:
        label = f"{label} in {path}"
    return f"{text}, from {label}"


def _python_anchor(
    context: ProjectContext,
) -> Optional[tuple[str, Span, Union[Declaration, PythonDeclaration]]]:
    project = context.python
    if project is not None and project.declaration is not None and project.path in context.checked:
        return project.path, project.declaration.span, project.declaration
    anchor = tracer_anchor(context)
    if anchor is None:
        return None
    path, decl = anchor
    return path, decl.span, decl


# --- Platforms ---------------------------------------------------------------------------------------

_PLATFORM_VARIABLES = re.compile(
    r"\b(sys_platform|sys\.platform|platform_system|platform_machine|platform\.machine|os_name|os\.name|"
    r"implementation_name|platform_python_implementation|platform\.python_implementation)\b"
)
_PYTHONS = ("2.7", *(f"3.{minor}" for minor in range(5, 16)))


class _Platform(NamedTuple):
    """A platform a marker may describe, named as the runtimes table names OS and CPU."""

    os: str  # "Linux"
    cpu: str  # "i686"
    label: str  # "32-bit Linux (i686)"
    machine: str  # platform_machine
    implementation: str  # "CPython", "PyPy"


_OS_VALUES = {
    "Linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "MacOS": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
    "Windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
}
_MACHINES = (
    ("Linux", "x86-64", "64-bit Linux (x86_64)", "x86_64"),
    ("Linux", "i686", "32-bit Linux (i686)", "i686"),
    ("Linux", "i686", "32-bit Linux (i386)", "i386"),
    ("Linux", "AArch64", "64-bit ARM Linux (aarch64)", "aarch64"),
    ("Linux", "armv7l", "32-bit ARM Linux (armv7l)", "armv7l"),
    ("Linux", "ppc64le", "Linux on POWER (ppc64le)", "ppc64le"),
    ("Linux", "s390x", "Linux on IBM Z (s390x)", "s390x"),
    ("MacOS", "Intel", "macOS on Intel (x86_64)", "x86_64"),
    ("MacOS", "Apple Silicon", "macOS on Apple Silicon (arm64)", "arm64"),
    ("Windows", "64bit", "64-bit Windows (AMD64)", "AMD64"),
    ("Windows", "32bit", "32-bit Windows (x86)", "x86"),
    ("Windows", "ARM64", "Windows on ARM (ARM64)", "ARM64"),
)
_PLATFORMS = tuple(
    _Platform(os_name, cpu, label if implementation == "CPython" else f"{label}, {implementation}", machine,
              implementation)
    for implementation in ("CPython", "PyPy")
    for os_name, cpu, label, machine in _MACHINES
)


def _environment(platform: _Platform, python: str) -> dict[str, str]:
    return {
        **_OS_VALUES[platform.os],
        "platform_machine": platform.machine,
        "implementation_name": platform.implementation.lower(),
        "platform_python_implementation": platform.implementation,
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_version": f"{python}.0",
        "platform_release": "",
        "platform_version": "",
        "extra": "",
    }


def declared_platforms(marker: Marker, pythons: tuple[str, ...] = _PYTHONS) -> list[_Platform]:
    """The known platforms `marker` can hold on, for some Python of `pythons`; [] if it names none.

    A marker that does not mention the OS, CPU or implementation declares no platform and yields [].
    """
    if not _PLATFORM_VARIABLES.search(str(marker)):
        return []
    result = []
    for platform in _PLATFORMS:
        for python in pythons:
            try:
                holds = marker.evaluate(_environment(platform, python))
            except Exception:  # an invalid comparison for this environment: it cannot hold there
                holds = False
            if holds:
                result.append(platform)
                break
    return result


def _canonical(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _supports(rows: list[Runtime], platform: _Platform) -> bool:
    return any(
        _canonical(row.os) == _canonical(platform.os)
        and _canonical(row.runtime) == _canonical(platform.implementation)
        and any(_canonical(cpu) == _canonical(platform.cpu) for cpu in row.cpus)
        for row in rows
    )


def _project_pythons(context: ProjectContext) -> tuple[str, ...]:
    if context.python is None:
        return _PYTHONS
    return _pythons_within(admitted_of(context.python.versions, context.python.text))


@functools.lru_cache(maxsize=256)  # a tree's projects declare a few Python ranges between them
def _pythons_within(versions: VersionRange) -> tuple[str, ...]:
    inside = tuple(python for python in _PYTHONS if not versions.is_disjoint(parse_range(f"=={python}.*")))
    return inside or _PYTHONS


def _unsupported(marker: Marker, rows: list[Runtime], pythons: tuple[str, ...]) -> list[_Platform]:
    """The platforms `marker` declares when every one of them is unsupported by `rows`; else []."""
    platforms = declared_platforms(marker, pythons)
    if not platforms or any(_supports(rows, platform) for platform in platforms):
        return []
    return platforms


def _labels(platforms: list[_Platform]) -> str:
    """`32-bit Linux (i686)`; a platform declared only for PyPy says so."""
    implementations: dict[str, set[str]] = {}
    for platform in platforms:
        implementations.setdefault(platform.label.split(", PyPy")[0], set()).add(platform.implementation)
    return "; ".join(
        label if "CPython" in kinds else f"{label} on PyPy" for label, kinds in implementations.items()
    )


def _platform_message(marker_text: str, platforms: list[_Platform], known: KnownBranch, rows: list[Runtime],
                      qualifier: str) -> str:
    listed = "; ".join(sorted({f"{row.os} {', '.join(row.cpus)}" for row in rows}))
    return (
        f"the platform `{marker_text}` ({_labels(platforms)}) is not supported by ddtrace {known.name}"
        f"{qualifier} ({rows[0].source.cite()} lists {listed} for ddtrace {known.branch.specifier}); "
        "drop it or use a ddtrace branch built for it"
    )


def _check_platforms(context: ProjectContext, rules: RuleSet) -> Iterator[Finding]:
    pythons = _project_pythons(context)
    hint = "ddtrace publishes wheels only for the OS and CPU combinations of the runtimes table."
    for result, decl in tracer_declarations(context):
        if decl.marker is None or not versioned(decl):
            continue
        branches = reached(admitted(decl), rules) if decl.has_specifier else known_branches(rules)[:1]
        if not branches:
            continue
        rows = _rows(rules, branches[0])
        platforms = _unsupported(decl.marker, rows, pythons) if rows else []
        if platforms:
            yield make_finding(
                "DDC203",
                _platform_message(str(decl.marker), platforms, branches[0], rows, ""),
                result.path,
                decl.span,
                hint=hint,
                package=TRACER,
                declared=str(decl.marker),
                subject=decl,
            )

    in_use = branch_in_use(context, rules)
    if in_use is None:
        return
    rows = _rows(rules, in_use.known)
    if not rows:
        return
    for result in context.checked_results():
        for platform in result.platforms:
            platforms = _unsupported(platform.marker, rows, pythons)
            if platforms:
                yield make_finding(
                    "DDC203",
                    _platform_message(platform.text, platforms, in_use.known, rows, in_use.qualifier()),
                    result.path,
                    platform.span,
                    hint=hint,
                    declared=platform.text,
                )
