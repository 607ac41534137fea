"""Whole example projects under tests/projects/ddc*: the exact findings `ddcompat check` reports.

Each project folder holds real dependency files and an `expected.findings` file: an optional first line
`# args: ...` with the command-line options, then one `path:line:column: CODE` line per finding, in the
order ddcompat sorts them. A project is copied to a temporary folder with a `.git` marker (so nothing above
it joins the project) and checked with the real, embedded rule set through `ddcompat.cli.main`.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from ddcompat.cli import main

PROJECTS = Path(__file__).resolve().parent / "projects"
EXPECTED = "expected.findings"
NAMES = sorted(path.name for path in PROJECTS.iterdir() if (path / EXPECTED).is_file())


def _expected(folder: Path) -> tuple[list[str], list[str]]:
    args: list[str] = []
    lines: list[str] = []
    for line in (folder / EXPECTED).read_text(encoding="utf-8").splitlines():
        if line.startswith("# args:"):
            args = shlex.split(line[len("# args:"):])
        elif line.strip() and not line.startswith("#"):
            lines.append(line.strip())
    return args, lines


def _run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]], list[str]]:
    source = PROJECTS / name
    project = tmp_path / name
    shutil.copytree(source, project, ignore=shutil.ignore_patterns(EXPECTED))
    (project / ".git").mkdir()
    args, expected = _expected(source)
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(["check", "--output-format", "json", *args, "."])
    findings = json.loads(capsys.readouterr().out)
    return code, findings, expected


def test_every_code_has_a_project() -> None:
    codes = set()
    for name in NAMES:
        codes.update(line.rsplit(" ", 1)[1] for line in _expected(PROJECTS / name)[1])
    wanted = {f"DDC{n}" for n in (101, 102, 103, 104, 201, 202, 203, 301, 302, 303, 304, 401, 402, 403, 404,
                                  501, 502)}
    assert wanted <= codes


@pytest.mark.parametrize("name", NAMES)
def test_project(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, expected = _run(name, tmp_path, monkeypatch, capsys)
    got = [f"{f['path']}:{f['line']}:{f['column']}: {f['code']}" for f in findings]
    assert got == expected
    failing = any(f["level"] in ("error", "warning") for f in findings)
    assert code == (1 if failing else 0)
    for finding in findings:
        assert finding["message"], finding
        assert int(str(finding["end_column"])) > int(str(finding["column"])) or \
            int(str(finding["end_line"])) > int(str(finding["line"]))
