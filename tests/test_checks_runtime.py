"""DDC201-203 on hand-built projects: the Python range and platforms against the branch in use."""

from __future__ import annotations

import pytest
from packaging.markers import Marker

from checks_fixtures import RULES, context, decl, locked, platform, python_decl, result
from ddcompat.checks import runtime
from ddcompat.checks.runtime import declared_platforms
from ddcompat.model import Declaration, Level, PythonDeclaration


def python_findings(tracer_spec: str, python: str) -> list[str]:
    decls = [decl("ddtrace", tracer_spec)] if tracer_spec != "-" else []
    ctx = context(result("requirements.txt", *decls), python=python)
    return [f.code for f in runtime.check(ctx, RULES)]


@pytest.mark.parametrize(
    ("tracer_spec", "python", "expected"),
    [
        ("==4.3.0", ">=3.9", []),
        ("==4.3.0", "==3.12.*", []),
        ("==4.3.0", ">=3.8", ["DDC202"]),
        ("==4.3.0", "==3.8.*", ["DDC201"]),
        ("==4.3.0", "==3.7.4", ["DDC201"]),
        ("==3.12.1", "==3.8.*", []),
        ("==3.12.1", ">=3.7", ["DDC202"]),
        ("==2.21.0", ">=3.9", ["DDC202"]),  # 2.x stops at 3.13
        ("==2.21.0", ">=3.9,<3.14", []),
        ("==2.21.0", "==3.14.*", ["DDC201"]),
        ("==1.20.0", "==2.7.*", []),
        ("==1.20.0", "==3.4.*", ["DDC201"]),
        ("==1.20.0", ">=2.7", ["DDC202"]),
        ("==1.20.0", "==2.7.*||>=3.5,<3.12", []),
        # A range over several branches is judged on the newest one it reaches.
        (">=3.0", "==3.8.*", ["DDC201"]),
        (">=2.0,<4", "==3.8.*", []),
        # Nothing declared: the newest GA branch is assumed.
        ("-", "==3.8.*", []),  # ... but no checked file holds a place to report it (see below)
        ("-", ">=3.9", []),
        # Unknown branch: nothing to judge against.
        ("==5.0.0", "==2.7.*", []),
        # Boundaries: Python 3.9.0 and pre-releases of 3.9 against "3.9+".
        ("==4.3.0", "==3.9.0", []),
        ("==4.3.0", "==3.9.0rc1", []),  # a preview of 3.9 belongs with 3.9
        ("==4.3.0", "==3.8.20", ["DDC201"]),
    ],
)
def test_python_levels(tracer_spec: str, python: str, expected: list[str]) -> None:
    assert python_findings(tracer_spec, python) == expected


def test_no_python_no_check() -> None:
    ctx = context(result("requirements.txt", decl("ddtrace", "==4.0.0")))
    assert list(runtime.check(ctx, RULES)) == []


def test_python_finding_points_at_the_python_declaration_when_checked() -> None:
    requires = python_decl(">=3.8", line=3)
    pyproject = result("pyproject.toml", decl("ddtrace", "==4.1.0", line=5), kind="pyproject",
                       pythons=(requires,))
    (finding,) = runtime.check(context(pyproject, python_at=("pyproject.toml", requires)), RULES)
    assert (finding.code, finding.path, finding.span) == ("DDC202", "pyproject.toml", requires.span)
    assert finding.level is Level.WARNING
    assert isinstance(finding.subject, PythonDeclaration)
    assert finding.declared == ">=3.8"
    assert finding.target is not None and "3.9.1" in finding.target and "3.8.10" not in finding.target
    assert "(>=3.8, from requires-python in pyproject.toml)" in finding.message
    assert "(>=3.8,<3.9;" in finding.message
    assert "CPython 3.9+ for ddtrace >=4.0,<5" in finding.message
    assert "Narrow the Python range to >=3.9" in finding.hint


def test_python_finding_falls_back_to_the_tracer_declaration() -> None:
    version_file = python_decl("==3.8.*", line=1, kind="python-version-file")
    requirements = result("requirements.txt", decl("ddtrace", "==4.1.0", line=2))
    dot = result(".python-version", kind="python-version", pythons=(version_file,))
    ctx = context(requirements, dot, checked=("requirements.txt",),
                  python_at=(".python-version", version_file))
    (finding,) = runtime.check(ctx, RULES)
    assert (finding.code, finding.path, finding.span.line) == ("DDC201", "requirements.txt", 2)
    assert finding.level is Level.ERROR
    assert isinstance(finding.subject, Declaration)
    assert finding.package == "ddtrace"


def test_python_finding_needs_an_anchor_in_a_checked_file() -> None:
    ctx = context(result("requirements.txt", decl("flask", ">=2")), python="==3.8.*")
    assert list(runtime.check(ctx, RULES)) == []


def test_assumed_tracer_is_said() -> None:
    requires = python_decl("==3.8.*", line=2)
    pyproject = result("pyproject.toml", decl("flask", ">=2"), kind="pyproject", pythons=(requires,))
    (finding,) = runtime.check(context(pyproject, python_at=("pyproject.toml", requires)), RULES)
    assert finding.code == "DDC201"
    assert "assuming the newest General Availability branch, 4.x" in finding.message


def test_python_from_a_lock_is_said() -> None:
    lock_python = PythonDeclaration(">=3.8", ">=3.8", python_decl(">=3.8").admitted, python_decl("").span,
                                    "lock")
    lock = result("poetry.lock", locked("ddtrace", "4.2.0", line=10), kind="poetry.lock",
                  pythons=(lock_python,))
    ctx = context(lock, python_at=("poetry.lock", lock_python))
    (finding,) = runtime.check(ctx, RULES)
    assert "(>=3.8, from the lock in poetry.lock)" in finding.message


# --- platforms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "labels"),
    [
        ('platform_machine == "i686"', ["32-bit Linux (i686)"]),
        ('sys_platform == "win32" and platform_machine == "x86"', ["32-bit Windows (x86)"]),
        ('python_version >= "3.9"', []),  # no platform named
        ('sys_platform == "linux" and platform_machine == "armv7l"', ["32-bit ARM Linux (armv7l)"]),
    ],
)
def test_declared_platforms(marker: str, labels: list[str]) -> None:
    found = [p.label for p in declared_platforms(Marker(marker)) if p.implementation == "CPython"]
    assert found == labels


def platform_codes(tracer: Declaration, *platforms: str, python: str = ">=3.9") -> list[tuple[str, int]]:
    res = result("uv.lock", tracer, kind="uv.lock",
                 platforms=tuple(platform(text, line=20 + n) for n, text in enumerate(platforms)))
    return sorted((f.code, f.span.line) for f in runtime.check(context(res, python=python), RULES))


@pytest.mark.parametrize(
    ("tracer_version", "marker", "expected"),
    [
        ("4.1.0", 'sys_platform == "linux" and platform_machine == "i686"', [("DDC203", 20)]),
        ("3.12.0", 'sys_platform == "linux" and platform_machine == "i686"', []),
        ("4.1.0", 'sys_platform == "linux"', []),  # some Linux CPU is supported
        ("4.1.0", 'sys_platform == "win32" and platform_machine == "x86"', []),  # the page lists 32bit
        ("4.1.0", 'platform_machine == "s390x"', [("DDC203", 20)]),
        ("4.1.0", 'platform_python_implementation == "PyPy"', [("DDC203", 20)]),
        ("4.1.0", 'sys_platform == "darwin" and platform_machine == "arm64"', []),
        ("4.1.0", 'sys_platform == "emscripten"', []),  # a platform no candidate describes: nothing known
    ],
)
def test_environments(tracer_version: str, marker: str, expected: list[tuple[str, int]]) -> None:
    assert platform_codes(locked("ddtrace", tracer_version, line=3), marker) == expected


def test_markers_on_the_tracer_declaration_use_its_own_branch() -> None:
    res = result(
        "requirements.txt",
        decl("ddtrace", "<4", line=1, marker='platform_machine == "i686"'),
        decl("ddtrace", ">=4", line=2, marker='platform_machine != "i686"'),
        decl("ddtrace", ">=4", line=3, marker='platform_machine == "i686"'),
        decl("ddtrace", "", line=4, marker='sys_platform == "linux" and platform_machine == "i686"'),
    )
    findings = [f for f in runtime.check(context(res), RULES) if f.code == "DDC203"]
    assert [(f.span.line, f.path) for f in findings] == [(3, "requirements.txt"), (4, "requirements.txt")]
    assert "32-bit Linux (i686)" in findings[0].message
    assert "is not supported by ddtrace 4.x" in findings[0].message
    assert "Linux x86-64, AArch64" in findings[0].message
    assert findings[0].level is Level.WARNING
