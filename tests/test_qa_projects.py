"""Example projects under tests/projects/qa-*: defects found by checking the real corpus, pinned down.

Each project holds an `expected.concise` file: optional lines `# args: ...` (extra options) and
`# targets: ...` (the paths to check, default "."), then the exact `--output-format concise` lines
ddcompat prints for it (messages included, summary excluded).
The project is copied to a temporary folder with a `.git` marker (nothing above it joins the project) and
checked with the embedded rule set on a fixed date, so the messages are stable.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from ddcompat.cli import main

PROJECTS = Path(__file__).resolve().parent / "projects"
EXPECTED = "expected.concise"
NAMES = sorted(path.name for path in PROJECTS.iterdir()
               if path.name.startswith("qa-") and (path / EXPECTED).is_file())
TODAY = "2026-11-21"
# What a lock finding adds about fixing locks (owned by the fix work, not what these projects pin down).
RELOCK = "; lock files are never edited: fix the manifest, then re-lock"


def _plain(line: str) -> str:
    return line.replace(RELOCK, "")


def _expected(folder: Path) -> tuple[list[str], list[str], tuple[str, ...]]:
    args: list[str] = []
    targets: tuple[str, ...] = (".",)
    lines: list[str] = []
    for line in (folder / EXPECTED).read_text(encoding="utf-8").splitlines():
        if line.startswith("# args:"):
            args = shlex.split(line[len("# args:"):])
        elif line.startswith("# targets:"):
            targets = tuple(shlex.split(line[len("# targets:"):]))
        elif line.strip() and not line.startswith("#"):
            lines.append(_plain(line))
    return args, lines, targets


def _check(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
           targets: tuple[str, ...] = ()) -> tuple[int, list[str], list[str]]:
    source = PROJECTS / name
    project = tmp_path / name
    shutil.copytree(source, project, ignore=shutil.ignore_patterns(EXPECTED))
    (project / ".git").mkdir()
    args, expected, default_targets = _expected(source)
    targets = targets or default_targets
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(["check", "--output-format", "concise", "--today", TODAY, *args, *targets])
    out = capsys.readouterr().out.splitlines()
    findings = [_plain(line) for line in out if ": DDC" in line]
    return code, findings, expected


def test_there_are_qa_projects() -> None:
    assert NAMES


@pytest.mark.parametrize("name", NAMES)
def test_qa_project(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, expected = _check(name, tmp_path, monkeypatch, capsys)
    assert findings == expected
    assert code == (1 if expected else 0)


def test_own_tracer_file_checked_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Naming only the file that pins its own ddtrace gives the same findings for it as the folder run."""
    _, findings, expected = _check("qa-own-tracer", tmp_path, monkeypatch, capsys, ("auth-requirements.txt",))
    assert findings == [line for line in expected if line.startswith("auth-requirements.txt:")]
