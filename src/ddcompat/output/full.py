"""The full format (the default): the concise line, the source line with the span underlined, a hint.

Layout, per finding:

    requirements.txt:3:1: error: DDC101 ddtrace 1.20.3 is on the End-of-Life 1.x branch
      |
    3 | ddtrace==1.20.3
      | ^^^^^^^^^^^^^^^
      = help: Upgrade ddtrace to the General Availability branch (for example `ddtrace>=4,<5`).
      = fix available: pin ddtrace to >=4.0,<5

then a summary. The first line is byte for byte the concise line (without colour), so editors parse it;
every continuation line starts with spaces or a line number and a bar, so none looks like a finding.
Colour is plain ANSI, used only when the runner says so (a terminal, no NO_COLOR).
"""

from __future__ import annotations

from collections.abc import Iterable

from ddcompat.catalog import BY_CODE
from ddcompat.model import Finding, Level
from ddcompat.output._escape import char_width, escape_char, escape_text, needs_escape
from ddcompat.output.concise import Tally, fix_summary, header, summary

TAB_WIDTH = 4
MAX_LINE = 160  # characters of a source line shown; longer lines are windowed around the span
_CONTEXT_BEFORE = 40

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_LEVEL_COLOR = {Level.ERROR: "\x1b[1;31m", Level.WARNING: "\x1b[1;33m", Level.NOTE: "\x1b[1;36m"}
_GUTTER = "\x1b[1;34m"
_HELP = "\x1b[1;36m"
_FIX = "\x1b[1;32m"


class _Style:
    """ANSI styling that degrades to plain text."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.color and text else text


def _display(text: str, start_col: int) -> tuple[list[str], list[int]]:
    """Each character's printable form and its width; tabs expand to the next stop, controls are escaped."""
    pieces: list[str] = []
    widths: list[int] = []
    col = start_col
    for char in text:
        if char == "\t":
            width = TAB_WIDTH - col % TAB_WIDTH
            piece = " " * width
        elif needs_escape(char):
            piece = escape_char(char)
            width = len(piece)
        else:
            piece = char
            width = char_width(char)
        pieces.append(piece)
        widths.append(width)
        col += width
    return pieces, widths


def snippet(source_line: str, finding: Finding) -> tuple[str, int, int]:
    """The printable source line and the (offset, width) of the underline, in terminal columns.

    The span is clipped to the line: a span running onto later lines is underlined to the end of this
    one, an empty span or one past the end gets a single caret.
    """
    line = source_line.rstrip("\r\n")
    span = finding.span
    start = min(max(span.column - 1, 0), len(line))
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    end = min(max(end, start), len(line))

    prefix = ""
    suffix = ""
    if len(line) > MAX_LINE:  # a minified lock file: show a window around the start of the span
        lo = max(0, start - _CONTEXT_BEFORE)
        hi = min(len(line), lo + MAX_LINE)
        prefix = "..." if lo > 0 else ""
        suffix = "..." if hi < len(line) else ""
        line = line[lo:hi]
        start -= lo
        end = min(end, hi) - lo

    pieces, widths = _display(line, 0)
    offset = len(prefix) + sum(widths[:start])
    width = max(sum(widths[start:end]), 1)
    return prefix + "".join(pieces) + suffix, offset, width


def hint(finding: Finding) -> str:
    """The finding's own hint, or the catalog's how-to-fix for its code."""
    if finding.hint:
        return finding.hint
    rule = BY_CODE.get(finding.code)
    return rule.how_to_fix if rule is not None else ""


def render_finding(finding: Finding, color: bool) -> list[str]:
    style = _Style(color)
    level_color = _LEVEL_COLOR[finding.level]
    span = finding.span
    if color:
        lines = [
            f"{style(_BOLD, escape_text(finding.path))}:{span.line}:{span.column}: "
            f"{style(level_color, finding.level.value + ':')} {style(_BOLD, finding.code)} "
            f"{escape_text(finding.message)}"
        ]
    else:
        lines = [header(finding)]
    number = str(span.line)
    pad = " " * len(number)
    bar = style(_GUTTER, "|")
    if finding.source_line is not None:
        text, offset, width = snippet(finding.source_line, finding)
        lines.append(f"{pad} {bar}")
        lines.append(f"{style(_GUTTER, number)} {bar} {text}".rstrip())
        lines.append(f"{pad} {bar} {' ' * offset}{style(level_color, '^' * width)}")
    help_text = hint(finding)
    if help_text:
        lines.append(f"{pad} {style(_HELP, '= help:')} {escape_text(help_text)}")
    if finding.fix is not None:
        label = "fix available:" if finding.fix.safe else "unsafe fix available:"
        where = "" if finding.fix.path == finding.path else f" (in {escape_text(finding.fix.path)})"
        lines.append(f"{pad} {style(_FIX, '= ' + label)} {escape_text(finding.fix.description)}{where}")
    return lines


def block(finding: Finding, color: bool) -> str:
    """A finding's lines: the concise line, the source line with a caret, the help, the fix."""
    return "\n".join(render_finding(finding, color))


def assemble(blocks: Iterable[str], counted: Tally, *, color: bool, files_checked: int) -> str:
    """The report: each finding's block and a blank line, then the summary."""
    style = _Style(color)
    lines = [line for each in blocks for line in (each, "")]
    lines.append(style(_BOLD, summary(counted, files_checked)))
    fixes = fix_summary(counted)
    if fixes:
        lines.append(fixes)
    return "\n".join(lines) + "\n"
