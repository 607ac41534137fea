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


class _Names:
    """Unique group names within one compiled pattern."""

    def __init__(self) -> None:
        self.count = 0

    def atomic(self, body: str) -> str:
        """`body`, matched at its shortest and never backtracked into: an atomic group that Python 3.9's
        `re` lacks, built from a lookahead (which is atomic) and a backreference. Globs translated this way
        match in polynomial time; a naive translation of `*a*a*a*a*b` backtracks exponentially."""
        self.count += 1
        name = f"g{self.count}"
        return f"(?=(?P<{name}>{body}))(?P={name})"


def _segment(segment: str, names: _Names) -> str:
    chunks: list[list[str]] = [[]]  # the translated text between `*`s (a run of `*`s is one)
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            if chunks[-1] or len(chunks) == 1:
                chunks.append([])
        elif char == "?":
            chunks[-1].append("[^/]")
        elif char == "[":
            end = segment.find("]", i + 2 if segment.startswith("[!", i) else i + 1)
            if end == -1:
                chunks[-1].append(re.escape(char))
            else:
                body = segment[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                prefix = "(?!/)"  # like `*` and `?`, a class never matches the `/` between folders
                chunks[-1].append(prefix + "[" + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            chunks[-1].append(re.escape(char))
        i += 1
    texts = ["".join(chunk) for chunk in chunks]
    if len(texts) == 1:
        return texts[0]
    # Each chunk between two stars matches a fixed number of characters, so its leftmost match is always
    # the one to take: matching it atomically changes no result and removes the backtracking.
    middle = "".join(names.atomic(f"[^/]*?{text}") for text in texts[1:-1])
    return texts[0] + middle + "[^/]*" + texts[-1]


def compile_glob(pattern: str) -> tuple[re.Pattern[str], bool]:
    """(regex over a `/`-joined relative path, whether it is matched against the name only)."""
    text = pattern.strip()
    while text.startswith("./"):
        text = text[2:]
    text = text.rstrip("/")
    name_only = "/" not in text
    if text.startswith("/"):
        text = text.lstrip("/")
    names = _Names()
    segments: list[str] = []
    for segment in text.split("/"):
        if segment == "**" and segments and segments[-1] == "**":
            continue  # `**/**` is `**`
        segments.append(segment)
    # Runs of ordinary segments between `**`s; like the chunks of a segment, each is matched atomically.
    runs: list[list[str]] = [[]]
    for segment in segments:
        if segment == "**":
            runs.append([])
        else:
            runs[-1].append(_segment(segment, names))
    texts = ["/".join(run) for run in runs]
    regex = texts[0] + ("/" if len(runs) > 1 and runs[0] else "")
    for index, run_text in enumerate(texts[1:], start=1):
        last = index == len(texts) - 1
        if last and not run_text:
            regex += ".*"  # a trailing `**`
        elif last:
            regex += "(?:[^/]+/)*" + run_text
        else:
            regex += names.atomic("(?:[^/]+/)*?" + run_text + ("/" if run_text else ""))
    return re.compile(regex + r"\Z"), name_only


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
