"""GitHub Actions workflow commands: one `::error file=…,line=…::message` annotation per finding.

The runner treats any log line starting with `::` as a command, so text from a file must never end the
current command or start another (`::add-mask::`, `::stop-commands::`). Every value is first made
printable (control characters, line breaks and bidi controls become visible escapes), then escaped the
way actions/toolkit does (`escapeData` / `escapeProperty` in packages/core/src/command.ts).
"""

from __future__ import annotations

from collections.abc import Iterable

from ddcompat.model import Finding, Level
from ddcompat.output._escape import escape_text

_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}


def escape_data(value: str) -> str:
    """The message part: `%`, CR and LF percent-encoded (after escape_text no CR/LF is left anyway)."""
    return escape_text(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A `key=value` property: as data, plus `:` and `,`, which delimit the properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    span = finding.span
    properties = [("file", finding.path), ("line", str(span.line))]
    # The toolkit documents that columns cannot be sent when the annotation spans several lines.
    if span.end_line == span.line:
        properties.append(("col", str(span.column)))
    properties.append(("endLine", str(span.end_line)))
    if span.end_line == span.line:
        properties.append(("endColumn", str(span.end_column)))
    properties.append(("title", finding.code))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{_COMMAND[finding.level]} {rendered}::{escape_data(finding.message)}"


def assemble(blocks: Iterable[str]) -> str:
    """The report: one annotation per line, no summary (the runner would read it as a command)."""
    return "".join(annotation_line + "\n" for annotation_line in blocks)
