"""The concise format: one `path:line:col: level: CODE message` line per finding, then a summary.

The line shape is the one VS Code's `$gcc` matcher, vim's default errorformat and Emacs' compilation mode
all parse; the summary line is worded so none of them mistakes it for a finding. Paths and messages are
escaped, so a file cannot inject terminal sequences or a second, forged line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ddcompat.model import Finding, Level
from ddcompat.output._escape import escape_text

_LEVEL_ORDER = (Level.ERROR, Level.WARNING, Level.NOTE)


def header(finding: Finding) -> str:
    """`path:line:col: level: CODE message`, with every piece of file-derived text escaped."""
    span = finding.span
    return (
        f"{escape_text(finding.path)}:{span.line}:{span.column}: {finding.level.value}: "
        f"{finding.code} {escape_text(finding.message)}"
    )


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}es" if word.endswith(("s", "x")) else f"{count} {word}s"


class Tally(NamedTuple):
    """What the summary lines count. Parts of a run checked in other processes send theirs, not their
    findings (see `ddcompat.parallel`), and tallies add up with `combined`."""

    errors: int = 0
    warnings: int = 0
    notes: int = 0
    paths: frozenset[str] = frozenset()  # files with findings
    safe_fixes: int = 0
    unsafe_fixes: int = 0

    @property
    def failing(self) -> bool:
        """Whether the run fails: an error or a warning (notes never fail it)."""
        return bool(self.errors or self.warnings)


def tally(findings: Iterable[Finding]) -> Tally:
    counts = dict.fromkeys(_LEVEL_ORDER, 0)
    paths: set[str] = set()
    safe = unsafe = 0
    for finding in findings:
        counts[finding.level] += 1
        paths.add(finding.path)
        if finding.fix is not None:
            if finding.fix.safe:
                safe += 1
            else:
                unsafe += 1
    return Tally(counts[Level.ERROR], counts[Level.WARNING], counts[Level.NOTE], frozenset(paths), safe,
                 unsafe)


def combined(tallies: Iterable[Tally]) -> Tally:
    """The tally of several parts' findings together."""
    parts = list(tallies)
    return Tally(
        sum(part.errors for part in parts), sum(part.warnings for part in parts),
        sum(part.notes for part in parts), frozenset().union(*(part.paths for part in parts)),
        sum(part.safe_fixes for part in parts), sum(part.unsafe_fixes for part in parts),
    )


def summary(counted: Tally, files_checked: int) -> str:
    """One sentence with no `file:line:` shape: "Found 3 errors, 1 warning in 2 files." and the like."""
    counts = {Level.ERROR: counted.errors, Level.WARNING: counted.warnings, Level.NOTE: counted.notes}
    if not any(counts.values()):
        if files_checked == 0:
            return "No dependency files were checked."
        return f"All checked: no problems in {_plural(files_checked, 'file')}."
    parts = [_plural(counts[level], level.value) for level in _LEVEL_ORDER if counts[level]]
    return f"Found {', '.join(parts)} in {_plural(len(counted.paths), 'file')}."


def fix_summary(counted: Tally) -> str:
    """How many findings `--fix` (and `--fix --unsafe-fixes`) would rewrite; "" when none."""
    safe, unsafe = counted.safe_fixes, counted.unsafe_fixes
    if not safe and not unsafe:
        return ""
    if not unsafe:
        return f"{safe} fixable with `--fix`."
    if not safe:
        return f"{_plural(unsafe, 'fix')} available with `--fix --unsafe-fixes`."
    return f"{safe} fixable with `--fix` ({unsafe} more with `--fix --unsafe-fixes`)."


def assemble(blocks: Iterable[str], counted: Tally, files_checked: int) -> str:
    """The report: each finding's line (`header`), then the summary."""
    lines = list(blocks)
    lines.append(summary(counted, files_checked))
    fixes = fix_summary(counted)
    if fixes:
        lines.append(fixes)
    return "\n".join(lines) + "\n"
