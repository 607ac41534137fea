"""Apply fixes: exact span replacements that keep every other byte, checked, then written atomically.

Only the specifier text changes: comments, quoting, spacing, order, line ends (CRLF stays CRLF), a BOM,
`--hash` continuation lines, markers and extras are untouched because nothing outside the span is rewritten.
A TOML file must parse after the edit to the same document except for the fixed strings; otherwise the file
is left alone.
"""

from __future__ import annotations

import codecs
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ddcompat.atomic import UnsafeWriteError, atomic_write
from ddcompat.model import Finding, Fix, ReadResult
from ddcompat.readers._text import LineIndex

_TOML_KINDS = frozenset({"pyproject", "pipfile"})


@dataclass
class Rewrite:
    """The new content of one file, and what was applied to get it."""

    path: str  # display path
    real_path: str
    original: bytes
    new: bytes
    old_text: str
    new_text: str
    applied: list[Fix] = field(default_factory=list)


@dataclass
class FixOutcome:
    rewrites: list[Rewrite]
    errors: list[str]  # one line each: a file that could not be rewritten, and why


def encode(text: str, result: ReadResult) -> bytes:
    """The bytes of `text` in the file's own encoding, BOM included when the file had one."""
    if result.encoding in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if result.encoding == "utf-16-le" else codecs.BOM_UTF16_BE
        return bom + text.encode(result.encoding)
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if result.has_bom else data


def _apply_spans(text: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """Replace each fix's span, last first; a fix overlapping one already applied is skipped."""
    index = LineIndex(text)
    located: list[tuple[int, int, Fix]] = []
    for fix in fixes:
        start = index.line_start(fix.span.line) + fix.span.column - 1
        end = index.line_start(fix.span.end_line) + fix.span.end_column - 1
        located.append((start, end, fix))
    located.sort(key=lambda item: (item[0], item[1]), reverse=True)
    applied: list[Fix] = []
    limit = len(text)
    for start, end, fix in located:
        if end > limit:  # overlaps the fix applied just after it in the text
            continue
        text = text[:start] + fix.replacement + text[end:]
        applied.append(fix)
        limit = start
    applied.reverse()
    return text, applied


def _leaves(value: Any, prefix: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(value, dict):
        out: dict[tuple[Any, ...], Any] = {}
        for key, item in value.items():
            out.update(_leaves(item, (*prefix, key)))
        return out
    if isinstance(value, list):
        out = {}
        for position, item in enumerate(value):
            out.update(_leaves(item, (*prefix, position)))
        return out
    return {prefix: value}


def _toml_changes_only_fixed_strings(old: str, new: str, fixes: Sequence[Fix]) -> bool:
    """The edited document parses, has the same keys, and differs only in as many strings as were fixed."""
    from ddcompat._toml import loads

    try:
        before, after = _leaves(loads(old)), _leaves(loads(new))
    except (ValueError, RecursionError):
        return False
    if before.keys() != after.keys():
        return False
    changed = [key for key in before if before[key] != after[key]]
    return len(changed) <= len(fixes) and all(isinstance(after[key], str) for key in changed)


def plan(results: Mapping[str, ReadResult], findings: Sequence[Finding], *, unsafe: bool) -> FixOutcome:
    """The rewrites `--fix` would make (unsafe fixes only with `unsafe`); nothing is written here."""
    by_path: dict[str, list[Fix]] = {}
    for finding in findings:
        fix = finding.fix
        if fix is None or (not fix.safe and not unsafe):
            continue
        fixes = by_path.setdefault(fix.path, [])
        if fix not in fixes:
            fixes.append(fix)
    rewrites: list[Rewrite] = []
    errors: list[str] = []
    for path in sorted(by_path):
        result = results.get(path)
        if result is None:
            continue
        new_text, applied = _apply_spans(result.text, by_path[path])
        if new_text == result.text:
            continue
        toml = result.kind in _TOML_KINDS
        if toml and not _toml_changes_only_fixed_strings(result.text, new_text, applied):
            errors.append(f"{path}: the fixed file would not parse to the same TOML document; not fixed")
            continue
        rewrites.append(Rewrite(path=path, real_path=result.real_path or path,
                                original=encode(result.text, result), new=encode(new_text, result),
                                old_text=result.text, new_text=new_text, applied=applied))
    return FixOutcome(rewrites=rewrites, errors=errors)


def write(outcome: FixOutcome) -> list[str]:
    """Write every rewrite atomically; refuse symlinks and files changed since they were read."""
    errors: list[str] = []
    for rewrite in outcome.rewrites:
        try:
            atomic_write(rewrite.real_path, rewrite.new, follow_symlinks=False, expected=rewrite.original)
        except UnsafeWriteError as exc:
            errors.append(f"{rewrite.path}: {exc}")
        except OSError as exc:
            errors.append(f"{rewrite.path}: cannot write: {exc.strerror or exc}")
    return errors


def unified_diff(outcome: FixOutcome) -> str:
    """A unified diff (`a/` and `b/` paths) of every rewrite, line ends shown as they are."""
    chunks: list[str] = []
    for rewrite in outcome.rewrites:
        old_lines = rewrite.old_text.splitlines(keepends=True)
        new_lines = rewrite.new_text.splitlines(keepends=True)
        for line in difflib.unified_diff(old_lines, new_lines, f"a/{rewrite.path}", f"b/{rewrite.path}"):
            chunks.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(chunks)
