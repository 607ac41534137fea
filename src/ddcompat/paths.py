"""How a file's path is shown to users: relative to the current directory where possible, "/" separators.

Every finding's `path` and every include chain (`Declaration.via`) uses this one spelling, so the same file
reached by different routes (named on the command line, found under a folder, reached by `-r`) is shown, and
deduplicated, the same way.
"""

from __future__ import annotations

import os
from typing import Optional


def display_path(path: str, cwd: Optional[str] = None) -> str:
    """`path` relative to `cwd` (default: the current directory) when it lies under it, else absolute.

    The path is made absolute and normalised (`a/./b/../c` is `a/c`) but symlinks are not resolved: users see
    the path they gave. Separators are always "/".
    """
    base = os.path.abspath(cwd if cwd is not None else os.getcwd())
    absolute = os.path.abspath(path)
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
