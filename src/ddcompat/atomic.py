"""Atomic file writes: a temporary file in the same folder, then one `os.replace`.

A reader of the file (an editor, a concurrent pre-commit hook) sees the old bytes or the new ones, never a
half-written file. The mode of an existing file is kept.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from typing import Optional


class UnsafeWriteError(OSError):
    """The target must not be written (a symlink, or not a regular file)."""


def atomic_write(path: str, data: bytes, *, follow_symlinks: bool = True,
                 expected: Optional[bytes] = None) -> None:
    """Write `data` to `path` atomically.

    With `follow_symlinks=False` a symlink at `path` is refused rather than replaced or written through.
    With `expected`, the file's current bytes must still equal it (it did not change since it was read).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            if not follow_symlinks:
                raise UnsafeWriteError(f"{path} is a symlink; not writing through it")
            path = os.path.realpath(path)
            info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeWriteError(f"{path} is not a regular file")
    if expected is not None:
        with open(path, "rb") as handle:
            if handle.read() != expected:
                raise UnsafeWriteError(f"{path} changed on disk since it was read; not overwriting it")
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=".ddcompat-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
