"""Which files a run reads: names, walking order, skipped folders, excludes, symlinks, project roots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ddcompat.config import ConfigFinder
from ddcompat.discovery import Discovery, ProjectRoots, is_dependency_file
from ddcompat.errors import UsageError
from ddcompat.readers.dispatch import kind_of


@pytest.mark.parametrize(
    ("name", "parent", "expected"),
    [
        ("requirements.txt", "x", True),
        ("requirements-dev.txt", "x", True),
        ("dev-requirements.txt", "x", True),
        ("lambda_requirements.txt", "x", True),
        ("constraints.txt", "x", True),
        ("requirements.in", "x", True),
        ("constraints-prod.in", "x", True),
        ("base.txt", "requirements", True),
        ("base.in", "requirements", True),
        ("base.txt", "docs", False),
        ("MANIFEST.in", "x", False),
        ("Makefile.in", "x", False),
        ("pyproject.toml", "x", True),
        ("Pipfile", "x", True),
        ("Pipfile.lock", "x", True),
        ("poetry.lock", "x", True),
        ("uv.lock", "x", True),
        ("pylock.toml", "x", True),
        ("pylock.dev.toml", "x", True),
        ("pdm.lock", "x", True),
        (".python-version", "x", True),
        ("setup.py", "x", False),
        ("package.json", "x", False),
    ],
)
def test_names_read_when_walking(name: str, parent: str, expected: bool) -> None:
    assert is_dependency_file(name, parent) is expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("pyproject.toml", "pyproject"),
        ("Pipfile", "pipfile"),
        ("Pipfile.lock", "pipfile.lock"),
        ("poetry.lock", "poetry.lock"),
        ("uv.lock", "uv.lock"),
        ("pylock.toml", "pylock"),
        ("pylock.gpu.toml", "pylock"),
        ("pdm.lock", "pdm.lock"),
        (".python-version", "python-version"),
        ("requirements.txt", "requirements"),
        ("prod.pip", "requirements"),
        ("anything", "requirements"),
        # a fixed name at the end of a longer one, as a file named on the command line
        ("app__poetry.lock", "poetry.lock"),
        ("python__celery4.1__Pipfile", "pipfile"),
        ("python__celery4.1__Pipfile.lock", "pipfile.lock"),
        ("backend-pyproject.toml", "pyproject"),
        ("prod.uv.lock", "uv.lock"),
        ("x_pdm.lock", "pdm.lock"),
        ("mypyproject.toml", "requirements"),
        ("requirements-poetry.lock.txt", "requirements"),
    ],
)
def test_dispatch_by_name(name: str, kind: str) -> None:
    assert kind_of(name) == kind


def make(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


def relative(discovery: Discovery, root: Path, paths: list[str]) -> list[str]:
    return [os.path.relpath(target.path, root).replace(os.sep, "/") for target in discovery.targets(paths)]


def test_walk_is_sorted_and_skips_tool_folders(tmp_path: Path) -> None:
    make(
        tmp_path,
        [
            "pyproject.toml",
            "requirements.txt",
            "b/requirements.txt",
            "a/uv.lock",
            "a/z/requirements.in",
            ".git/requirements.txt",
            ".venv/requirements.txt",
            "node_modules/requirements.txt",
            "__pycache__/requirements.txt",
            "dist/requirements.txt",
            ".tox/requirements.txt",
            "README.md",
            "requirements/base.txt",
        ],
    )
    found = relative(Discovery(ConfigFinder()), tmp_path, [str(tmp_path)])
    assert found == [
        "pyproject.toml",
        "requirements.txt",
        "a/uv.lock",
        "a/z/requirements.in",
        "b/requirements.txt",
        "requirements/base.txt",
    ]


def test_each_file_once_and_explicit_files_kept(tmp_path: Path) -> None:
    make(tmp_path, ["requirements.txt", "other.cfg"])
    discovery = Discovery(ConfigFinder())
    targets = discovery.targets(
        [str(tmp_path / "other.cfg"), str(tmp_path), str(tmp_path / "requirements.txt")]
    )
    assert [(Path(t.path).name, t.explicit) for t in targets] == [
        ("other.cfg", True),
        ("requirements.txt", False),
    ]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="nope: no such file or folder"):
        Discovery(ConfigFinder()).targets([str(tmp_path / "nope")])


def test_a_path_with_a_nul_character_is_a_usage_error(tmp_path: Path) -> None:
    """Found by the command-line fuzzer: os.stat raised ValueError, an internal error."""
    with pytest.raises(UsageError, match="not a valid path"):
        Discovery(ConfigFinder()).targets([str(tmp_path / "a\x00b")])


def test_excludes_apply_to_walks_and_named_files(tmp_path: Path) -> None:
    make(tmp_path, ["legacy/requirements.txt", "svc/requirements.txt", "svc/requirements-old.txt"])
    (tmp_path / "ddcompat.toml").write_text('exclude = ["legacy", "*-old.txt"]\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    discovery = Discovery(ConfigFinder())
    assert relative(discovery, tmp_path, [str(tmp_path)]) == ["svc/requirements.txt"]
    assert relative(discovery, tmp_path, [str(tmp_path / "legacy" / "requirements.txt")]) == []


def test_nested_project_config_adds_its_excludes(tmp_path: Path) -> None:
    make(
        tmp_path,
        ["pyproject.toml", "inner/pyproject.toml", "inner/gen/requirements.txt", "gen/requirements.txt"],
    )
    (tmp_path / "inner" / "ddcompat.toml").write_text('exclude = ["gen"]\n', encoding="utf-8")
    found = relative(Discovery(ConfigFinder()), tmp_path, [str(tmp_path)])
    assert found == ["pyproject.toml", "gen/requirements.txt", "inner/pyproject.toml"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinked_folder_loops_end(tmp_path: Path) -> None:
    make(tmp_path, ["a/requirements.txt"])
    try:
        os.symlink(tmp_path, tmp_path / "a" / "up", target_is_directory=True)
        os.symlink(tmp_path / "a", tmp_path / "alias", target_is_directory=True)
    except OSError:
        pytest.skip("cannot create symlinks here")
    found = relative(Discovery(ConfigFinder()), tmp_path, [str(tmp_path)])
    assert found == ["a/requirements.txt"]


def test_project_roots(tmp_path: Path) -> None:
    make(tmp_path, ["repo/pyproject.toml", "repo/svc/api/requirements.txt", "loose/requirements.txt"])
    roots = ProjectRoots()
    api = str(tmp_path / "repo" / "svc" / "api")
    assert roots.root_of(api) == str(tmp_path / "repo")
    assert roots.chain(api) == [api, str(tmp_path / "repo" / "svc"), str(tmp_path / "repo")]
    # No marker above: the folder is a project on its own (ancestors are not read).
    loose = str(tmp_path / "loose")
    if not roots.has_marker_root(loose):
        assert roots.chain(loose) == [loose]


@pytest.mark.parametrize(
    "name", ["pylock.toml", "pylock..toml", "pylock.dev.toml", "pylock.a.b.toml", "Pylock.dev.toml",
             "pylock.dev.toml.bak", "xpylock.dev.toml", "pylock.dev.TOML", "pylock.", "pylock.toml.toml"],
)
def test_pylock_names_match_as_fnmatch_would(name: str) -> None:
    from fnmatch import fnmatchcase

    from ddcompat.readers.dispatch import is_pylock_name

    assert is_pylock_name(name) == fnmatchcase(name, "pylock.*.toml")


@given(st.from_regex(r"[pP]ylock[.a-z]{0,4}(\.toml)?[.a-z]{0,3}", fullmatch=True) | st.text(max_size=16))
def test_pylock_names_match_as_fnmatch_would_on_any_name(name: str) -> None:
    from fnmatch import fnmatchcase

    from ddcompat.readers.dispatch import is_pylock_name

    assert is_pylock_name(name) == fnmatchcase(name, "pylock.*.toml")
