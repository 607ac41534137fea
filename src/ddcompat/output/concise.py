"""The concise format: one `path:line:col: level: CODE message` line per finding, then a summary.

The line shape is the one VS Code's `$gcc` matcher, vim's default errorformat and Emacs' compilation mode
all parse; the summary line is worded so none of them mistakes it for a finding. Paths and messages are
escaped, so a file cannot inject terminal sequences or a second, forged line.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def summary(findings: Sequence[Finding], files_checked: int) -> str:
    """One sentence with no `file:line:` shape: "Found 3 errors, 1 warning in 2 files." and the like."""
    if not findings:
        if files_checked == 0:
            return "No dependency files were checked."
        return f"All checked: no problems in {_plural(files_checked, 'file')}."
    counts = {level: 0 for level in _LEVEL_ORDER}
    for finding in findings:
        counts[finding.level] += 1
    parts = [_plural(counts[level], level.value) for level in _LEVEL_ORDER if counts[level]]
    files = len({finding.path for finding in findings})
    return f"Found {', '.join(parts)} in {_plural(files, 'file')}."


def fix_summary(findings: Sequence[Finding]) -> str:
    """How many findings `--fix` (and `--fix --unsafe-fixes`) would rewrite; "" when none."""
    safe = sum(1 for finding in findings if finding.fix is not None and finding.fix.safe)
    unsafe = sum(1 for finding in findings if finding.fix is not None and not finding.fix.safe)
    if not safe and not unsafe:
        return ""
    if not unsafe:
        return f"{safe} fixable with `--fix`."
    if not safe:
        return f"{_plural(unsafe, 'fix')} available with `--fix --unsafe-fixes`."
    return f"{safe} fixable with `--fix` ({unsafe} more with `--fix --unsafe-fixes`)."


def render_concise(findings: Sequence[Finding], files_checked: int) -> str:
    lines = [header(finding) for finding in findings]
    lines.append(summary(findings, files_checked))
    fixes = fix_summary(findings)
    if fixes:
        lines.append(fixes)
    return "\n".join(lines) + "\n"
