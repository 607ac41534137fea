"""Output formats: one module per format. They render findings; they never re-parse anything.

`render` is the one entry point; each format's module is imported only when that format is asked for, so
a `concise` run in an editor never pays for the SARIF catalog or colour handling.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    from pathlib import Path

    from ddcompat.model import Finding
    from ddcompat.output.concise import Tally

FORMATS = ("full", "concise", "github", "json", "sarif")

# Formats whose report is one block of text per finding, in report order, then a summary of a `Tally`:
# a block depends on its finding alone, so worker processes render their own (see `ddcompat.parallel`).
BLOCK_FORMATS = ("full", "concise", "github")


def render(
    findings: Sequence[Finding],
    output_format: str,
    *,
    color: bool,
    sarif_category: Optional[str],
    files_checked: int,
) -> str:
    """The whole report for `findings` (deduplicated, sorted, `source_line` filled) as one string.

    `color` is honoured only by `full`; the runner decides it (a terminal, NO_COLOR, FORCE_COLOR).
    `sarif_category` becomes the SARIF run's `automationDetails.id`. Raises ValueError for an unknown format.
    """
    if output_format in BLOCK_FORMATS:  # the same blocks and summary a parted run assembles
        from ddcompat.output.concise import tally

        block = block_renderer(output_format, color=color)
        return assemble([block(finding) for finding in findings], tally(findings), output_format, color=color,
                        files_checked=files_checked)
    if output_format == "json":
        from ddcompat.output.json_format import render_json

        return render_json(findings)
    if output_format == "sarif":
        from pathlib import Path

        from ddcompat.output.sarif import render_sarif

        try:
            srcroot: Optional[Path] = Path.cwd()
        except OSError:  # the current folder was removed: describe %SRCROOT% without a URI
            srcroot = None
        return render_sarif(findings, category=sarif_category, srcroot=srcroot)
    raise ValueError(f"unknown output format {output_format!r} (choose from {', '.join(FORMATS)})")


def block_renderer(output_format: str, *, color: bool) -> Callable[[Finding], str]:
    """The function giving a finding's block in one of `BLOCK_FORMATS`."""
    if output_format == "full":
        from ddcompat.output.full import block

        return lambda finding: block(finding, color)
    if output_format == "concise":
        from ddcompat.output.concise import header

        return header
    if output_format == "github":
        from ddcompat.output.github import annotation

        return annotation
    raise ValueError(f"{output_format!r} is not rendered block by block")


def assemble(blocks: Iterable[str], counted: Tally, output_format: str, *, color: bool,
             files_checked: int) -> str:
    """The report of a `BLOCK_FORMATS` format from its findings' blocks (in report order) and tally:
    exactly what `render` gives for the findings themselves."""
    if output_format == "full":
        from ddcompat.output import full

        return full.assemble(blocks, counted, color=color, files_checked=files_checked)
    if output_format == "concise":
        from ddcompat.output import concise

        return concise.assemble(blocks, counted, files_checked)
    if output_format == "github":
        from ddcompat.output import github

        return github.assemble(blocks)
    raise ValueError(f"{output_format!r} is not rendered block by block")
