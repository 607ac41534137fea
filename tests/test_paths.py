"""Paths: `real_path` resolves as `os.path.realpath`, `display_path` as relpath did; `read_bytes` reads
whole files, grown or not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ddcompat.limits import MAX_FILE_BYTES
from ddcompat.paths import display_path, forget_real_folders, real_path
from ddcompat.runner import read_bytes


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_real_path_agrees_with_realpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "requirements.txt").write_text("ddtrace\n")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (real / "sub" / "alias.txt").symlink_to(real / "sub" / "requirements.txt")
    (real / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (real / "loop").symlink_to(real / "loop")
    monkeypatch.chdir(tmp_path)
    forget_real_folders()
    paths = [
        "real/sub/requirements.txt", "linked/sub/requirements.txt", "linked/sub/alias.txt", "linked/./sub/..",
        "linked/sub/../sub/requirements.txt", "real/dangling.txt", "real/loop", "real/loop/x",
        "missing/file.txt", ".", "..", "/", str(tmp_path / "linked" / "sub"), "linked/sub/",
    ]
    for path in paths:
        assert real_path(path) == os.path.realpath(path), path


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_new_run_sees_a_moved_symlink(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "a", target_is_directory=True)
    forget_real_folders()
    assert real_path(str(link / "x.txt")) == str(tmp_path / "a" / "x.txt")
    link.unlink()
    link.symlink_to(tmp_path / "b", target_is_directory=True)
    forget_real_folders()
    assert real_path(str(link / "x.txt")) == str(tmp_path / "b" / "x.txt")
    # A file's own link is remembered per path too, and forgotten with the folders.
    (tmp_path / "a" / "r.txt").write_text("x\n")
    (tmp_path / "b" / "r.txt").write_text("x\n")
    alias = tmp_path / "alias.txt"
    alias.symlink_to(tmp_path / "a" / "r.txt")
    assert real_path(str(alias)) == str(tmp_path / "a" / "r.txt")
    alias.unlink()
    alias.symlink_to(tmp_path / "b" / "r.txt")
    forget_real_folders()
    assert real_path(str(alias)) == str(tmp_path / "b" / "r.txt")


def test_read_bytes_reads_whole_files(tmp_path: Path) -> None:
    for size in (0, 1, 4095, 4096, 70_000):
        path = tmp_path / f"f{size}"
        path.write_bytes(b"x" * size)
        assert read_bytes(str(path)) == b"x" * size
    big = tmp_path / "big"
    big.write_bytes(b"y" * (MAX_FILE_BYTES + 1))
    result = read_bytes(str(big))
    assert isinstance(result, str) and "too large" in result


def test_read_bytes_reads_a_file_that_reports_no_size() -> None:
    # /proc files say 0 bytes and hold more: what is there is read, not cut at the reported size.
    if not Path("/proc/self/status").is_file():
        pytest.skip("no /proc")
    data = read_bytes("/proc/self/status")
    assert isinstance(data, bytes) and b"Name:" in data


def _display_reference(path: str, cwd: str) -> str:
    """What `display_path` gave before its fast path: relpath under the base, else the absolute path."""
    from ddcompat.paths import is_within

    base = os.path.abspath(cwd)
    absolute = os.path.abspath(path)
    if is_within(absolute, base):
        relative = os.path.relpath(absolute, base)
        if not relative.startswith(".."):
            return relative
    return absolute


_PARTS = st.lists(st.sampled_from(["a", "b", "..", ".", "", "..b", "a.", "/", "ü"]), min_size=1, max_size=5)


@given(_PARTS, _PARTS, st.booleans())
def test_display_path_agrees_with_relpath(path: list[str], cwd: list[str], absolute: bool) -> None:
    text = ("/" if absolute else "") + "/".join(path)
    base = "/" + "/".join(cwd)
    assert display_path(text, base) == _display_reference(text, base).replace(os.sep, "/")
