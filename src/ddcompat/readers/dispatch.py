"""From a file name to its reader, imported only when a file of that kind is seen (start-up cost)."""

from __future__ import annotations

import importlib
from typing import Callable, Optional

from ddcompat.model import ReadResult, SourceFile

Reader = Callable[[SourceFile], ReadResult]

# kind -> reader module under ddcompat.readers
MODULES = {
    "requirements": "requirements",
    "pyproject": "pyproject",
    "pipfile": "pipfile",
    "pipfile.lock": "pipfile_lock",
    "poetry.lock": "poetry_lock",
    "uv.lock": "uv_lock",
    "pylock": "pylock",
    "pdm.lock": "pdm_lock",
    "python-version": "python_version",
}
_BY_NAME = {
    "pyproject.toml": "pyproject",
    "Pipfile": "pipfile",
    "Pipfile.lock": "pipfile.lock",
    "poetry.lock": "poetry.lock",
    "uv.lock": "uv.lock",
    "pylock.toml": "pylock",
    "pdm.lock": "pdm.lock",
    ".python-version": "python-version",
}
# Kinds whose text can carry `# ddcompat: ignore` comments (requirements syntax or TOML).
COMMENT_KINDS = frozenset(
    {"requirements", "pyproject", "pipfile", "poetry.lock", "uv.lock", "pylock", "pdm.lock"}
)

_readers: dict[str, Optional[Reader]] = {}


# A fixed name at the end of a longer one (`app__poetry.lock`, `prod.Pipfile`, `backend-pyproject.toml`):
# a file named on the command line is read as what its name ends with, not as a requirements file.
_SUFFIXES = tuple((name, kind) for name, kind in _BY_NAME.items() if name != ".python-version")
_SEPARATORS = "._-"


def is_pylock_name(name: str) -> bool:
    """Whether `name` matches PEP 751's `pylock.*.toml` (what `fnmatch` would say, without importing it)."""
    return name.startswith("pylock.") and name.endswith(".toml") and len(name) >= len("pylock..toml")


def kind_of(name: str) -> str:
    """The kind of a file from its base name; anything unknown is a requirements file."""
    kind = _BY_NAME.get(name)
    if kind is not None:
        return kind
    if is_pylock_name(name):
        return "pylock"
    for suffix, kind in _SUFFIXES:
        if name.endswith(suffix) and name[-len(suffix) - 1] in _SEPARATORS:
            return kind
    return "requirements"


def reader_for(kind: str) -> Optional[Reader]:
    """The `read` function of a kind's module, imported the first time a file of that kind is seen.

    A reader module that cannot be imported is an error of the installation: the run fails (exit 2) rather
    than silently checking nothing.
    """
    if kind in _readers:
        return _readers[kind]
    module = importlib.import_module(f"ddcompat.readers.{MODULES[kind]}")
    reader: Optional[Reader] = module.read
    _readers[kind] = reader
    return reader


def read_with_includes(source: SourceFile, kind: Optional[str] = None) -> list[ReadResult]:
    """The file's result first, then (requirements files) each file reached through `-r`/`-c`, once each.

    Empty when no reader exists for the kind.
    """
    import os

    kind = kind or kind_of(os.path.basename(source.path))
    if kind == "requirements":
        module = importlib.import_module("ddcompat.readers.requirements")
        tree = getattr(module, "read_tree", None)
        if tree is not None:
            results: list[ReadResult] = list(tree(source))
            for result in results[:1]:
                if not result.real_path:
                    result.real_path = source.path
            return results
    single = read(source, kind)
    return [single] if single is not None else []


def read(source: SourceFile, kind: Optional[str] = None) -> Optional[ReadResult]:
    """Read one file with the reader for its name (or `kind`); None when no reader exists for it."""
    import os

    kind = kind or kind_of(os.path.basename(source.path))
    reader = reader_for(kind)
    if reader is None:
        return None
    result = reader(source)
    if not result.real_path:
        result.real_path = source.path
    return result
