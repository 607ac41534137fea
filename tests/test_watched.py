"""Checks read only the declarations of names they watch: the others (most of a big lock) are never built.

The project layer hands each check `result.named(watched)` instead of every declaration. These tests hold
that this changes nothing a user sees: every example project and the whole corpus report exactly the same
findings as a run that hands the checks every declaration.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any, Optional

import pytest

from conftest import CORPUS, require
from ddcompat import runner
from ddcompat.checks import ALL_CHECKS, watched_names
from ddcompat.checks._common import TRACER
from ddcompat.cli import main
from ddcompat.model import Declaration, ReadResult, SourceFile, Span
from ddcompat.readers import pipfile_lock
from ddcompat.ruleset.load import load_ruleset

PROJECTS = Path(__file__).resolve().parent / "projects"


def test_every_family_says_which_names_it_reads() -> None:
    rules = load_ruleset()
    watched = watched_names(rules)
    assert TRACER in watched
    for check in ALL_CHECKS:
        family = sys.modules[check.__module__]
        assert family.watched(rules) <= watched, family.__name__
    integrations = {name for row in rules.integrations for name in row.distributions}
    assert integrations <= watched and {"aiopg", "pylons", "django", "flask"} <= watched
    assert {framework.distribution for framework in rules.code_security.iast_frameworks} <= watched


def test_a_check_of_someone_else_sees_every_declaration() -> None:
    rules = load_ruleset()
    assert runner._watched(rules, ALL_CHECKS) == watched_names(rules)

    def other(context: Any, rules: Any) -> list[Any]:
        return []

    assert runner._watched(rules, (*ALL_CHECKS, other)) is None
    assert runner._watched(None, ALL_CHECKS) is None


def _report(target: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            every_declaration: bool, *args: str) -> tuple[int, list[dict[str, Any]]]:
    with monkeypatch.context() as patch:
        if every_declaration:
            patch.setattr(runner, "_watched", lambda rules, checks: None)
        code = main(["check", "--output-format", "json", "--today", "2026-11-21", *args, str(target)])
    return code, json.loads(capsys.readouterr().out)


def _args(folder: Path) -> list[str]:
    import shlex

    expected = folder / "expected.findings"
    first = expected.read_text(encoding="utf-8").splitlines()[:1] if expected.is_file() else []
    return shlex.split(first[0][len("# args:"):]) if first and first[0].startswith("# args:") else []


NAMES = sorted(path.name for path in PROJECTS.iterdir() if path.is_dir())


@pytest.mark.parametrize("name", NAMES)
def test_example_projects_report_what_every_declaration_reports(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / name
    shutil.copytree(PROJECTS / name, project)
    (project / ".git").mkdir()
    monkeypatch.chdir(project)
    args = _args(project)  # after the default --today: a project's own date wins
    watched = _report(project, monkeypatch, capsys, False, *args)
    every = _report(project, monkeypatch, capsys, True, *args)
    assert watched == every


@pytest.mark.parametrize("products", [None, "apm,sca,iast"])
def test_the_corpus_reports_what_every_declaration_reports(
        products: Optional[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = require(CORPUS)
    monkeypatch.chdir(corpus)
    args = ["--products", products] if products else []
    watched = _report(Path("."), monkeypatch, capsys, False, *args)
    every = _report(Path("."), monkeypatch, capsys, True, *args)
    assert watched[1], "the corpus has findings"
    assert watched == every


def _lock(tmp_path: Path, packages: dict[str, dict[str, Any]],
          develop: dict[str, dict[str, Any]]) -> ReadResult:
    document = {"_meta": {"requires": {"python_version": "3.11"}}, "default": packages, "develop": develop}
    data = (json.dumps(document, indent=4, sort_keys=True) + "\n").encode()
    path = tmp_path / "Pipfile.lock"
    path.write_bytes(data)
    source = SourceFile(path=str(path), display="Pipfile.lock", root=str(tmp_path), data=data)
    return pipfile_lock.read(source)


def test_a_big_lock_builds_only_the_named_packages(tmp_path: Path) -> None:
    default = {f"pkg-{index}": {"hashes": ["sha256:" + "0" * 64], "version": f"==1.{index}"}
               for index in range(200)}
    default["ddtrace"] = {"version": "==2.21.0", "markers": "python_version >= '3.8'"}
    default["Django"] = {"version": "==4.2.1"}  # not a normal name: found by its normal one
    develop = {"ddtrace": {"version": "==2.21.0"}, "flask": {"git": "https://example.com/flask.git"}}
    result = _lock(tmp_path, default, develop)
    pending = result.pending
    assert isinstance(pending, pipfile_lock._PipenvPackages)
    named = result.named({"ddtrace", "django", "flask", "absent"})
    assert [(decl.name, decl.group) for decl in named] == [
        ("django", "default"), ("ddtrace", "default"), ("ddtrace", "develop"), ("flask", "develop")]
    assert len(pending._built) == 4  # the other 200 packages are not built
    assert named[0].raw_name == "Django" and named[0].span == Span(8, 9, 8, 17)
    assert result.text.splitlines()[7] == '        "Django": {'
    assert named[3].is_direct_reference and named[3].specifier == ""
    every = result.declarations
    assert len(every) == 204 and result.pending is None
    assert [decl for decl in every if decl.name in {"ddtrace", "django", "flask"}] == named
    for decl in named:  # the same objects: checks tell declarations apart by identity
        assert any(decl is other for other in every)
    assert result.named({"ddtrace"}) == [decl for decl in every if decl.name == "ddtrace"]


def test_named_filters_a_plain_list_in_file_order() -> None:
    def declaration(name: str, line: int) -> Declaration:
        return Declaration(name, name, "", "", None, False, Span(line, 1, line, 2))  # type: ignore[arg-type]

    declarations = [declaration("flask", 1), declaration("six", 2), declaration("ddtrace", 3)]
    result = ReadResult(path="requirements.txt", kind="requirements", declarations=declarations)
    assert [decl.name for decl in result.named({"ddtrace", "flask"})] == ["flask", "ddtrace"]
    assert result.named(None) is result.declarations
