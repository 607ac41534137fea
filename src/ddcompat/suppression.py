"""`# ddcompat: ignore[DDC301,DDC302]` comments, and `ignore` / `per-file-ignores` in config.

A comment suppresses the findings whose span touches its line (any physical line of a requirement continued
with `\\`). A bare `# ddcompat: ignore` suppresses every code on the line; codes may be prefixes (`DDC3`).
Comments are honoured only in files whose syntax has comments (requirements and TOML); JSON lock files are
silenced through config instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Optional

from ddcompat.catalog import matches
from ddcompat.model import Finding

_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*ddcompat\s*:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
ALL = frozenset({"DDC"})  # a bare ignore: the prefix of every code


def parse_comments(text: str) -> dict[int, frozenset[str]]:
    """1-based line -> the codes (or prefixes) its `# ddcompat: ignore` comment names."""
    found: dict[int, frozenset[str]] = {}
    if "ddcompat" not in text and "DDCOMPAT" not in text.upper():
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if "ddcompat" not in line.lower():
            continue
        codes: set[str] = set()
        for match in _COMMENT.finditer(line):
            listed = match.group(1)
            if listed is None or not listed.strip():
                codes |= ALL
            else:
                codes.update(part.strip().upper() for part in listed.split(",") if part.strip())
        if codes:
            found[number] = frozenset(codes)
    return found


class Suppressions:
    """The suppression comments of one file."""

    __slots__ = ("_continued", "_lines")

    def __init__(self, text: str, *, continuations: bool = False) -> None:
        self._lines = parse_comments(text)
        # Requirements files continue a line with a trailing backslash: the comment usually sits on the
        # last physical line of the requirement (after its `--hash` options), outside the span.
        self._continued: frozenset[int] = frozenset()
        if continuations and self._lines:
            self._continued = frozenset(
                number for number, line in enumerate(text.splitlines(), start=1) if line.endswith("\\")
            )

    def __bool__(self) -> bool:
        return bool(self._lines)

    def suppresses(self, finding: Finding) -> bool:
        span = finding.span
        last = max(span.line, span.end_line)
        if last > span.line and span.end_column <= 1:
            last -= 1  # a span ending at column 1 of a line does not reach into that line
        while last in self._continued:
            last += 1
        for line in range(span.line, last + 1):
            codes = self._lines.get(line)
            if codes is not None and matches(finding.code, tuple(codes)):
                return True
        return False


def drop_suppressed(findings: Sequence[Finding], comments: Mapping[str, Suppressions]) -> list[Finding]:
    """Findings not silenced by a comment in their own file."""
    kept: list[Finding] = []
    for finding in findings:
        suppressions = comments.get(finding.path)
        if suppressions and suppressions.suppresses(finding):
            continue
        kept.append(finding)
    return kept


def is_selected(code: str, select: Optional[Iterable[str]], ignore: Iterable[str]) -> bool:
    """Whether `code` is reported under `select`/`ignore` (codes or prefixes).

    The most specific selector that names the code decides, as in ruff: `select = ["DDC3"]` with
    `ignore = ["DDC30"]` keeps DDC311 and drops DDC301; on a tie `ignore` wins. No `select` means every code.
    """
    selected = tuple(select) if select is not None else ("DDC",)
    best_select = max((len(s) for s in selected if code.startswith(s)), default=-1)
    best_ignore = max((len(s) for s in ignore if code.startswith(s)), default=-1)
    if best_select < 0:
        return False
    return best_select > best_ignore
