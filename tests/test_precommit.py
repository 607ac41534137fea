"""The pre-commit hook: its manifest, its `files` pattern, and a real `pre-commit try-repo` run.

`try-repo` installs this checkout into a pre-commit virtualenv with pip (which needs PyPI for the build
backend), so that test runs only where pre-commit is installed; PRE_COMMIT_HOME points into tmp_path.
pre-commit clones the repository: it sees the committed HEAD plus uncommitted changes to tracked files,
never untracked files.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, require
from ddcompat.discovery import is_dependency_file

MANIFEST = REPO / ".pre-commit-hooks.yaml"


def _hook() -> dict[str, object]:
    yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = [hook for hook in hooks if hook["id"] == "ddcompat"]
    assert isinstance(hook, dict)
    return hook


def _files_pattern() -> re.Pattern[str]:
    pattern = _hook()["files"]
    assert isinstance(pattern, str)
    return re.compile(pattern)


def test_manifest() -> None:
    hook = _hook()
    assert hook["name"] == "ddcompat"
    assert hook["entry"] == "ddcompat check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["require_serial"] is True


def _pre_commit() -> str:
    found = shutil.which("pre-commit", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                               os.environ.get("PATH", "")]))
    if found is None:
        pytest.skip("pre-commit is not installed")
    return found


def test_manifest_is_valid_for_pre_commit() -> None:
    result = subprocess.run([_pre_commit(), "validate-manifest", str(MANIFEST)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


MATCHED = [
    "requirements.txt", "requirements-dev.txt", "dev-requirements.txt", "lambda_requirements.txt",
    "Requirements.TXT", "requirements.in", "requirements/base.txt", "requirements/prod.in",
    "constraints.txt", "services/api/constraints-py39.txt", "requirements-test.in",
    "pyproject.toml", "svc/pyproject.toml", "Pipfile", "Pipfile.lock", "a/b/Pipfile.lock",
    "poetry.lock", "uv.lock", "pdm.lock", "pylock.toml", "pylock.dev.toml", "x/pylock.prod.toml",
    ".python-version", "apps/web/.python-version",
]
NOT_MATCHED = [
    "MANIFEST.in", "Makefile.in", "config.h.in", "setup.cfg", "setup.py", "README.txt", "notes.txt",
    "pyproject.toml.bak", "mypyproject.toml", "Pipfile.old", "xpoetry.lock", "package-lock.json",
    "pylock.json", "python-version", "requirements/.hidden.txt", "requirements.txt/readme.md",
]


@pytest.mark.parametrize("path", MATCHED)
def test_files_pattern_matches_dependency_files(path: str) -> None:
    assert _files_pattern().search(path), path


@pytest.mark.parametrize("path", NOT_MATCHED)
def test_files_pattern_skips_other_files(path: str) -> None:
    assert _files_pattern().search(path) is None, path


def _agrees_with_discovery(path: str) -> bool:
    parts = path.split("/")
    parent = parts[-2] if len(parts) > 1 else ""
    return bool(_files_pattern().search(path)) == is_dependency_file(parts[-1], parent)


def test_files_pattern_agrees_with_folder_discovery() -> None:
    # pre-commit names files one by one; they must be the files `ddcompat check .` would read.
    assert [path for path in MATCHED + NOT_MATCHED if not _agrees_with_discovery(path)] == []


def test_files_pattern_agrees_with_discovery_on_the_corpus() -> None:
    manifest = require(CORPUS / "MANIFEST.tsv")
    with manifest.open(encoding="utf-8", newline="") as handle:
        paths = [row["source_path"] for row in csv.DictReader(handle, delimiter="\t") if row["source_path"]]
    assert paths
    assert [path for path in paths if not _agrees_with_discovery(path)] == []


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _try_repo(pre_commit: str, work: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1")
    for key in ("PRE_COMMIT", "FORCE_COLOR", "VIRTUAL_ENV"):
        env.pop(key, None)
    return subprocess.run(
        [pre_commit, "try-repo", str(REPO), "ddcompat", "--all-files"],
        cwd=work, env=env, capture_output=True, text=True, check=False, timeout=900,
    )


def _project(root: Path, requirements: str) -> Path:
    root.mkdir()
    _git(root, "init", "-q")
    (root / "requirements.txt").write_text(requirements, encoding="utf-8")
    (root / "MANIFEST.in").write_text("include README.md\n", encoding="utf-8")  # not for ddcompat
    _git(root, "add", "requirements.txt", "MANIFEST.in")
    return root


def test_try_repo_fails_on_an_end_of_life_pin_and_passes_a_clean_project(tmp_path: Path) -> None:
    pre_commit = _pre_commit()
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    home = tmp_path / "pre-commit-home"

    dirty = _project(tmp_path / "dirty", "requests==2.32.3\nddtrace==1.20.3\n")
    result = _try_repo(pre_commit, dirty, home)
    output = result.stdout + result.stderr
    if result.returncode == 3 and re.search(r"(?i)connection|could not find a version|network", output):
        pytest.skip(f"pre-commit could not install the hook (no package index?):\n{output[-2000:]}")
    assert result.returncode == 1, output
    assert "requirements.txt:2:1: error: DDC101 ddtrace==1.20.3" in output
    assert "MANIFEST.in" not in output.split("- hook id: ddcompat", 1)[-1]

    clean = _project(tmp_path / "clean", "requests==2.32.3\nddtrace==4.16.0\n")
    result = _try_repo(pre_commit, clean, home)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"ddcompat\.+Passed", output), output
