"""Path patterns of `exclude` and `per-file-ignores`: gitignore-like globs relative to a config's folder.

A pattern with no `/` (other than a trailing one) matches a file or folder name anywhere below the base
(`build`, `*.lock`); a pattern with a `/` is anchored at the base (`legacy/requirements*.txt`). `*` and `?`
never cross a `/`; a `**` segment matches any number of folders. A pattern that matches a folder also
covers everything inside it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Optional


def _segment(segment: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = segment.find("]", i + 2 if segment.startswith("[!", i) else i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = segment[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def compile_glob(pattern: str) -> tuple[re.Pattern[str], bool]:
    """(regex over a `/`-joined relative path, whether it is matched against the name only)."""
    text = pattern.strip()
    while text.startswith("./"):
        text = text[2:]
    text = text.rstrip("/")
    name_only = "/" not in text
    if text.startswith("/"):
        text = text.lstrip("/")
    parts: list[str] = []
    segments = text.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            parts.append(".*" if last else "(?:[^/]+/)*")
        else:
            parts.append(_segment(segment) + ("" if last else "/"))
    return re.compile("".join(parts) + r"\Z"), name_only


class PathPatterns:
    """A list of globs relative to `base` (an absolute folder)."""

    __slots__ = ("_compiled", "base", "patterns")

    def __init__(self, base: str, patterns: Iterable[str]) -> None:
        self.base = base
        self.patterns = tuple(patterns)
        self._compiled = [compile_glob(pattern) for pattern in self.patterns]

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def relative(self, path: str) -> Optional[str]:
        """`path` (absolute) relative to the base with `/` separators; None when outside it."""
        try:
            rel = os.path.relpath(path, self.base)
        except ValueError:  # another drive on Windows
            return None
        rel = rel.replace(os.sep, "/")
        if rel == ".." or rel.startswith("../"):
            return None
        return rel

    def first_match(self, path: str) -> Optional[int]:
        """The index of the first pattern matching `path` or one of its folders below the base."""
        rel = self.relative(path)
        if rel is None or rel == ".":
            return None
        return self.first_match_relative(rel)

    def first_match_relative(self, rel: str) -> Optional[int]:
        segments = rel.split("/")
        prefixes = ["/".join(segments[: end + 1]) for end in range(len(segments))]
        for index, (regex, name_only) in enumerate(self._compiled):
            for depth, prefix in enumerate(prefixes):
                subject = segments[depth] if name_only else prefix
                if regex.match(subject):
                    return index
        return None

    def matches(self, path: str) -> bool:
        return self.first_match(path) is not None

    def all_matches(self, path: str) -> list[int]:
        """Indexes of every pattern matching `path` or one of its folders below the base."""
        rel = self.relative(path)
        if rel is None or rel == ".":
            return []
        segments = rel.split("/")
        prefixes = ["/".join(segments[: end + 1]) for end in range(len(segments))]
        found: list[int] = []
        for index, (regex, name_only) in enumerate(self._compiled):
            if any(regex.match(segments[depth] if name_only else prefix)
                   for depth, prefix in enumerate(prefixes)):
                found.append(index)
        return found
