"""Atomic writes: the only way ddcompat writes a file (-o and --fix)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ddcompat.atomic import UnsafeWriteError, atomic_write


def test_creates_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    atomic_write(str(target), b"{}\n")
    assert target.read_bytes() == b"{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.sarif"]


def test_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "requirements.txt"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o640)
    atomic_write(str(target), b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_refuses_a_symlink_when_asked(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"keep\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(UnsafeWriteError, match="symlink"):
        atomic_write(str(link), b"x", follow_symlinks=False)
    assert real.read_bytes() == b"keep\n"
    assert link.is_symlink()


def test_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "requirements.txt"
    target.write_bytes(b"edited by someone else\n")
    with pytest.raises(UnsafeWriteError, match="changed on disk"):
        atomic_write(str(target), b"fixed\n", expected=b"what we read\n")
    assert target.read_bytes() == b"edited by someone else\n"


def test_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(UnsafeWriteError, match="not a regular file"):
        atomic_write(str(tmp_path), b"x")
