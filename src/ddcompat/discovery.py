"""Which files a run reads: the paths named on the command line, and the dependency files under folders.

Walking is sorted (the same order on every machine), skips tool and build folders and `exclude` globs,
and never loops through symlinked folders. Files named explicitly are read whatever their name (pre-commit
passes single files); inside folders only the names in `is_dependency_file` are read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from typing import Callable, NamedTuple, Optional

from ddcompat.config import Config, ConfigFinder
from ddcompat.errors import UsageError
from ddcompat.globs import PathPatterns
from ddcompat.limits import MAX_FILES
from ddcompat.paths import display_path
from ddcompat.readers.dispatch import is_pylock_name

SKIPPED_FOLDERS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules", "__pycache__",
    "site-packages", "build", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache",
})
PROJECT_MARKERS = ("pyproject.toml", "Pipfile", ".git")
_EXACT_NAMES = frozenset({
    "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "pylock.toml", "pdm.lock",
    ".python-version",
})


def is_dependency_file(name: str, parent: str) -> bool:
    """Whether a file called `name` in a folder called `parent` is read when its folder is walked.

    Besides the fixed names: `*requirements*.txt` and `*constraints*.txt` (`requirements-dev.txt`,
    `dev-requirements.txt`, `lambda_requirements.txt`), every `.txt` in a `requirements/` folder, pip-tools
    inputs (`*requirements*.in`, `*constraints*.in`, `.in` files in `requirements/`) and `pylock.*.toml`.
    Other `*.in` files (`MANIFEST.in`, `Makefile.in`, `config.h.in`) are not requirements and are skipped.
    """
    if name in _EXACT_NAMES:
        return True
    lower = name.lower()
    if lower.endswith((".txt", ".in")):
        if "requirements" in lower or "constraints" in lower:
            return True
        return parent.lower() == "requirements" and not lower.startswith(".")
    return is_pylock_name(name)


class ProjectRoots:
    """For a folder, the nearest folder at or above it holding a pyproject.toml, Pipfile or .git (cached)."""

    def __init__(self) -> None:
        self._marker_root: dict[str, Optional[str]] = {}

    def _find(self, folder: str) -> Optional[str]:
        chain: list[str] = []
        current = folder
        found: Optional[str] = None
        while True:
            if current in self._marker_root:
                found = self._marker_root[current]
                break
            chain.append(current)
            if any(os.path.lexists(os.path.join(current, marker)) for marker in PROJECT_MARKERS):
                found = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for visited in chain:
            # Folders below the found root share it; the root itself is its own root.
            self._marker_root[visited] = found
        return found

    def root_of(self, folder: str) -> str:
        """The project folder of `folder`; with no marker up to the filesystem root, `folder` itself."""
        found = self._find(folder)
        return found if found is not None else folder

    def has_marker_root(self, folder: str) -> bool:
        return self._find(folder) is not None

    def chain(self, folder: str) -> list[str]:
        """`folder` and its ancestors up to (and including) its project folder, nearest first."""
        root = self.root_of(folder)
        out = [folder]
        current = folder
        while current != root:
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
            out.append(current)
        return out


class Target(NamedTuple):
    """A file whose findings are reported: absolute path, display path, and the checked root it is under."""

    path: str
    display: str
    root: str  # absolute: includes (-r/-c) outside it are not read
    explicit: bool  # named on the command line


class Discovery:
    """Finds the files to check; shares the project-root and config caches with the project builder."""

    def __init__(self, configs: ConfigFinder, roots: Optional[ProjectRoots] = None,
                 display: Callable[[str], str] = display_path) -> None:
        self.configs = configs
        self.roots = roots if roots is not None else ProjectRoots()
        self.display = display
        self._exclude_cache: dict[str, PathPatterns] = {}

    def config_of(self, folder: str) -> Config:
        """The config governing `folder` (see `ConfigFinder`)."""
        return self.configs.for_chain(self.roots.chain(folder), self.display)

    def excludes_of(self, folder: str) -> PathPatterns:
        config = self.config_of(folder)
        key = config.path or config.base
        cached = self._exclude_cache.get(key)
        if cached is None:
            cached = config.exclude_patterns()
            self._exclude_cache[key] = cached
        return cached

    def is_excluded(self, path: str) -> bool:
        """Whether the `exclude` globs of the config governing `path` name it or one of its folders."""
        patterns = self.excludes_of(os.path.dirname(path))
        return bool(patterns) and patterns.matches(path)

    def targets(self, paths: Sequence[str]) -> list[Target]:
        """Every file to check, in a stable order, each real file once (the first path that reaches it)."""
        seen_files: set[tuple[int, int]] = set()
        targets: list[Target] = []
        for given in paths:
            if "\x00" in given:  # no file system accepts it; os.stat would raise ValueError
                raise UsageError(f"{given!r}: not a valid path (it contains a NUL character)")
            absolute = os.path.abspath(given)
            try:
                info = os.stat(absolute)
            except FileNotFoundError:
                if not os.path.islink(absolute):
                    raise UsageError(f"{given}: no such file or folder") from None
                info = os.lstat(absolute)  # a dangling link: a DDC902 on the file, the others are checked
            except OSError as exc:
                try:  # a symlink loop or a file that cannot be reached: a DDC902 when read
                    info = os.lstat(absolute)
                except OSError:
                    raise UsageError(f"{given}: {exc.strerror or exc}") from None
            if stat.S_ISDIR(info.st_mode):
                for path, file_info in self._walk(absolute):
                    key = (file_info.st_dev, file_info.st_ino)
                    if key in seen_files:
                        continue
                    seen_files.add(key)
                    targets.append(Target(path, self.display(path), absolute, explicit=False))
                    if len(targets) > MAX_FILES:
                        raise UsageError(f"{given}: more than {MAX_FILES} dependency files; name fewer "
                                         f"paths or add `exclude` patterns to the config")
                continue
            key = (info.st_dev, info.st_ino)
            if key in seen_files or self.is_excluded(absolute):
                continue
            seen_files.add(key)
            folder = os.path.dirname(absolute)
            root = self.roots.root_of(folder)
            targets.append(Target(absolute, self.display(absolute), root, explicit=True))
        return targets

    def _walk(self, top: str) -> Iterator[tuple[str, os.stat_result]]:
        """Dependency files under `top`, depth first, sorted by name; symlinked folders visited once."""
        visited: set[tuple[int, int]] = set()
        stack: list[tuple[str, tuple[PathPatterns, ...]]] = [(top, ())]
        while stack:
            folder, outer = stack.pop()
            try:
                folder_info = os.stat(folder)
            except OSError:
                continue
            identity = (folder_info.st_dev, folder_info.st_ino)
            if identity in visited:
                continue
            visited.add(identity)
            try:
                with os.scandir(folder) as scan:
                    entries = sorted(scan, key=lambda entry: entry.name)
            except OSError:
                continue  # an unreadable folder: nothing under it can be found
            own = self.excludes_of(folder)
            patterns = outer if (not own or own in outer) else (*outer, own)
            name = os.path.basename(folder)
            subfolders: list[str] = []
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:  # a symlink loop: a file that cannot be read, reported (DDC902) if named so
                    is_dir = False
                if is_dir:
                    if entry.name in SKIPPED_FOLDERS:
                        continue
                    if any(pattern.matches(entry.path) for pattern in patterns):
                        continue
                    subfolders.append(entry.path)
                    continue
                if not is_dependency_file(entry.name, name):
                    continue
                if any(pattern.matches(entry.path) for pattern in patterns):
                    continue
                try:
                    file_info = entry.stat()
                except OSError:
                    try:  # a dangling symlink: report it when read, keyed by the link itself
                        file_info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                yield entry.path, file_info
            stack.extend((sub, patterns) for sub in reversed(subfolders))
