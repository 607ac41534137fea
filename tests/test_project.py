"""Project grouping and the context checks receive: tracer, Python, skipped markers, config values."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Optional

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

from ddcompat.config import Config, parse_config
from ddcompat.context import ProjectContext
from ddcompat.discovery import Target
from ddcompat.model import Declaration, Finding, Origin, PythonDeclaration, ReadResult, Span
from ddcompat.options import CheckOptions
from ddcompat.project import (
    Settings,
    build_context,
    group_targets,
    python_in_use,
    skipped_declarations,
    tracer_in_use,
)
from ddcompat.ruleset.load import load_ruleset

TODAY = datetime.date(2026, 11, 21)
SPAN = Span(1, 1, 1, 10)


def decl(
    name: str,
    specifier: str,
    *,
    origin: Origin = Origin.MANIFEST,
    marker: Optional[str] = None,
    line: int = 1,
) -> Declaration:
    return Declaration(
        name=name,
        raw_name=name,
        specifier=specifier,
        declared=specifier.lstrip("="),
        admitted=SpecifierSet(specifier).to_range(),
        has_specifier=bool(specifier),
        span=Span(line, 1, line, 10),
        origin=origin,
        marker=Marker(marker) if marker else None,
    )


def python(specifier: str, kind: str, origin: Origin = Origin.MANIFEST) -> PythonDeclaration:
    return PythonDeclaration(
        specifier=specifier,
        declared=specifier,
        admitted=SpecifierSet(specifier).to_range(),
        span=SPAN,
        kind=kind,
        origin=origin,
    )


def result(
    path: str, kind: str, *declarations: Declaration, pythons: tuple[PythonDeclaration, ...] = ()
) -> ReadResult:
    return ReadResult(path=path, kind=kind, declarations=list(declarations), pythons=list(pythons))


def test_groups_by_folder_parents_first() -> None:
    targets = [
        Target(path, path, "/r", False)
        for path in (
            "/r/b/x/requirements.txt",
            "/r/requirements.txt",
            "/r/b/uv.lock",
            "/r/b/pyproject.toml",
            "/r/a-b/requirements.txt",
        )
    ]
    groups = group_targets(targets)
    assert [group.folder for group in groups] == ["/r", "/r/a-b", "/r/b", "/r/b/x"]
    assert [t.path for t in groups[2].targets] == ["/r/b/uv.lock", "/r/b/pyproject.toml"]


def test_tracer_lock_version_first_pointing_at_the_manifest() -> None:
    manifest = decl("ddtrace", ">=2.0")
    locked = decl("ddtrace", "==2.14.1", origin=Origin.LOCK)
    results = [
        result("requirements.txt", "requirements", manifest),
        result("poetry.lock", "poetry.lock", locked),
    ]
    tracer = tracer_in_use(results, set(), None, TODAY)
    assert tracer.exact == "2.14.1"
    assert tracer.versions.contains("2.14.1") and not tracer.versions.contains("2.15")
    assert tracer.declaration is manifest and tracer.path == "requirements.txt"
    assert not tracer.assumed


def test_tracer_intersection_of_declared_ranges() -> None:
    results = [
        result("requirements.txt", "requirements", decl("ddtrace", ">=2.0")),
        result("../pyproject.toml", "pyproject", decl("ddtrace", "<3")),
    ]
    tracer = tracer_in_use(results, set(), None, TODAY)
    assert tracer.exact is None and not tracer.assumed
    assert (
        tracer.versions.contains("2.5")
        and not tracer.versions.contains("3.0")
        and not tracer.versions.contains("1.9")
    )
    assert tracer.path == "requirements.txt"


def test_contradictory_ranges_fall_back_to_the_nearest() -> None:
    near = decl("ddtrace", ">=3")
    results = [result("a.txt", "requirements", near), result("b.txt", "requirements", decl("ddtrace", "<2"))]
    assert tracer_in_use(results, set(), None, TODAY).versions == near.admitted


def test_skipped_declarations_do_not_count_for_the_tracer() -> None:
    old = decl("ddtrace", "==1.20.3", marker='python_version < "3.8"')
    results = [result("requirements.txt", "requirements", old)]
    tracer = tracer_in_use(results, {id(old)}, load_ruleset(), TODAY)
    assert tracer.assumed


def test_assumed_newest_general_availability_branch() -> None:
    results = [result("requirements.txt", "requirements", decl("flask", ">=2"))]
    tracer = tracer_in_use(results, set(), load_ruleset(), TODAY)
    assert tracer.assumed and tracer.declaration is None and tracer.exact is None
    rules = load_ruleset()
    from ddcompat.project import newest_general_availability
    from ddcompat.ruleset.model import SupportLevel

    branch = newest_general_availability(rules, TODAY)
    assert branch is not None and branch.level_on(TODAY) is SupportLevel.GENERAL_AVAILABILITY
    assert tracer.versions == SpecifierSet(branch.specifier).to_range()


def test_python_precedence() -> None:
    version_file = result(
        ".python-version", "python-version", pythons=(python("==3.11.*", "python-version-file"),)
    )
    manifest = result("pyproject.toml", "pyproject", pythons=(python(">=3.8", "requires-python"),))
    lock = result("uv.lock", "uv.lock", pythons=(python(">=3.9", "lock", Origin.LOCK),))
    config = Config(base="/", python="3.10")
    plain = Config(base="/")

    chosen = python_in_use([lock, manifest, version_file], Settings(TODAY, python="3.12"), config)
    assert chosen is not None and (chosen.source, chosen.text, chosen.declaration) == (
        "--python",
        "3.12",
        None,
    )
    chosen = python_in_use([lock, manifest, version_file], Settings(TODAY), config)
    assert chosen is not None and (chosen.source, chosen.text) == ("config", "3.10")
    chosen = python_in_use([lock, manifest, version_file], Settings(TODAY), plain)
    assert chosen is not None and (chosen.source, chosen.path) == (".python-version", ".python-version")
    chosen = python_in_use([lock, manifest], Settings(TODAY), plain)
    assert chosen is not None and (chosen.source, chosen.path) == ("requires-python", "pyproject.toml")
    chosen = python_in_use([lock], Settings(TODAY), plain)
    assert chosen is not None and (chosen.source, chosen.path) == ("lock", "uv.lock")
    assert python_in_use([result("requirements.txt", "requirements")], Settings(TODAY), plain) is None


def test_several_python_version_lines_are_a_union() -> None:
    version_file = result(
        ".python-version",
        "python-version",
        pythons=(python("==3.9.*", "python-version-file"), python("==3.12.*", "python-version-file")),
    )
    chosen = python_in_use([version_file], Settings(TODAY), Config(base="/"))
    assert chosen is not None
    assert chosen.versions.contains("3.9.1") and chosen.versions.contains("3.12.0")
    assert not chosen.versions.contains("3.10.0")


@pytest.mark.parametrize(
    ("marker", "pythons", "skipped"),
    [
        ('python_version < "3.8"', "==3.11.*", True),
        ('python_version < "3.8"', ">=3.7", False),
        ('python_version <= "3.8"', "==3.8.10", False),
        ('python_version > "3.8"', "==3.8.*", True),
        ('python_version == "3.11"', "==3.11.4", False),
        ('python_version != "3.11"', "==3.11.*", True),
        ('python_full_version < "3.11.4"', "==3.11.4", True),
        ('"3.12" <= python_version', ">=3.9,<3.12", True),
        ('python_version < "3.8" and sys_platform == "win32"', "==3.11.*", True),
        ('python_version < "3.8" or sys_platform == "win32"', "==3.11.*", False),
        ('sys_platform == "win32"', "==3.11.*", False),
        ('extra == "test"', "==3.11.*", False),
        ('(python_version < "3.8" or python_version >= "3.13") and os_name == "nt"', "==3.11.*", True),
    ],
)
def test_markers_that_cannot_hold(marker: str, pythons: str, skipped: bool) -> None:
    declaration = decl("ddtrace", "==1.20.3", marker=marker)
    found = skipped_declarations(
        [result("r.txt", "requirements", declaration)], SpecifierSet(pythons).to_range()
    )
    assert (id(declaration) in found) is skipped


def test_nothing_is_skipped_without_a_known_python() -> None:
    declaration = decl("ddtrace", "==1.20.3", marker='python_version < "3.0"')
    assert skipped_declarations([result("r.txt", "requirements", declaration)], None) == set()


def test_context_carries_config_values_and_locations() -> None:
    text = 'products = ["sca"]\nagent-version = "7.40.0"\nsite = "ddog-gov.com"\ndeployment = "ecs"\n'
    config = parse_config(
        {"products": ["sca"], "agent-version": "7.40.0", "site": "ddog-gov.com", "deployment": "ecs"},
        base="/",
        path="/ddcompat.toml",
        display="ddcompat.toml",
        text=text,
    )
    results = [result("requirements.txt", "requirements", decl("ddtrace", "==2.0.0"))]
    context = build_context(
        results, ["requirements.txt"], root=".", config=config, settings=Settings(TODAY), rules=None
    )
    assert context.products == frozenset({"sca"})
    assert context.agent_version == "7.40.0"
    assert context.agent_location is not None and context.agent_location.span.line == 2
    assert context.site == "ddog-gov.com" and context.site_location is not None
    assert context.deployment == "ecs" and context.deployment_location is not None
    assert context.deployment_location.path == "ddcompat.toml"
    assert context.checked == frozenset({"requirements.txt"})
    overridden = build_context(
        results, [], root=".", config=config, settings=Settings(TODAY, products=("apm", "iast")), rules=None
    )
    assert overridden.products == frozenset({"apm", "iast"})
    default = build_context(
        results, [], root=".", config=Config(base="/"), settings=Settings(TODAY), rules=None
    )
    assert default.products == frozenset({"apm"}) and default.agent_location is None


def test_single_named_file_reads_its_siblings_for_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What pre-commit does: one file name; its sibling lock and .python-version still shape the context."""
    from ddcompat import runner

    root = tmp_path / "repo"
    service = root / "services" / "api"
    service.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "r"\nversion = "0"\nrequires-python = ">=3.8"\n', encoding="utf-8"
    )
    (service / "requirements.txt").write_text("ddtrace>=2.0\n", encoding="utf-8")
    (service / ".python-version").write_text("3.12\n", encoding="utf-8")
    (service / "uv.lock").write_text(
        'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "ddtrace"\nversion = "2.14.1"\n'
        'source = { registry = "https://pypi.org/simple" }\n',
        encoding="utf-8",
    )
    (tmp_path / "requirements.txt").write_text("ddtrace==1.0\n", encoding="utf-8")  # outside the project
    seen: list[ProjectContext] = []

    def spy(context: ProjectContext, rules: object) -> list[Finding]:
        seen.append(context)
        return []

    monkeypatch.setattr(runner, "load_checks", lambda: (spy,))
    monkeypatch.chdir(root)
    findings, _ = runner.collect(CheckOptions(paths=("services/api/requirements.txt",), today=TODAY))
    assert findings == []
    [context] = seen
    assert context.checked == frozenset({"services/api/requirements.txt"})
    assert sorted(r.path for r in context.results) == [
        "pyproject.toml",
        "services/api/.python-version",
        "services/api/requirements.txt",
        "services/api/uv.lock",
    ]
    assert context.python is not None and context.python.source == ".python-version"
    assert context.tracer.exact == "2.14.1"
    assert context.tracer.path == "services/api/requirements.txt"
    assert context.root == "."
