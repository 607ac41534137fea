"""How a file's path is shown to users: relative to the current directory where possible, "/" separators.

Every finding's `path` and every include chain (`Declaration.via`) uses this one spelling, so the same file
reached by different routes (named on the command line, found under a folder, reached by `-r`) is shown, and
deduplicated, the same way.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Optional


def display_path(path: str, cwd: Optional[str] = None) -> str:
    """`path` relative to `cwd` (default: the current directory) when it lies under it, else absolute.

    The path is made absolute and normalised (`a/./b/../c` is `a/c`) but symlinks are not resolved: users see
    the path they gave. Separators are always "/".
    """
    base = os.path.abspath(cwd if cwd is not None else os.getcwd())
    absolute = os.path.abspath(path)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if (len(absolute) > len(prefix) and absolute.startswith(prefix) and absolute[len(prefix)] != os.sep
            and not absolute.startswith("..", len(prefix)) and not base.startswith("//")):
        # both normalised and under the base: what relpath gives, without its work
        shown = absolute[len(prefix):]
        return shown.replace(os.sep, "/") if os.sep != "/" else shown
    shown = absolute
    if is_within(absolute, base):
        relative = os.path.relpath(absolute, base)
        if not relative.startswith(".."):
            shown = relative
    return shown.replace(os.sep, "/") if os.sep != "/" else shown


def is_within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` itself or lies under it (both taken as given: resolve symlinks first)."""
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)
    except ValueError:  # different drives on Windows
        return False


def real_path(path: str) -> str:
    """`os.path.realpath(path)`, resolving each folder once and each path once: a run asks for the real
    path of every file it meets, several times, and `realpath` checks every component of a path with a
    system call."""
    return _real_absolute(os.path.abspath(path))  # the run's paths are absolute: no getcwd() call


@lru_cache(maxsize=65536)
def _real_absolute(path: str) -> str:
    folder, name = os.path.split(path)
    if name in ("", ".", ".."):
        return os.path.realpath(path)
    candidate = os.path.join(_real_folder(folder), name)
    return os.path.realpath(candidate) if os.path.islink(candidate) else candidate


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def forget_real_folders() -> None:
    """Empty `real_path`'s caches: a new run may see other symlinks."""
    _real_folder.cache_clear()
    _real_absolute.cache_clear()
