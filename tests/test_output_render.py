"""The `render` entry point: every format, lazily imported, and a clear error for an unknown one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ddcompat.options import OUTPUT_FORMATS
from ddcompat.output import BLOCK_FORMATS, FORMATS, assemble, block_renderer, render


def test_formats_match_the_command_line() -> None:
    assert FORMATS == OUTPUT_FORMATS


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_renders_no_findings(output_format: str) -> None:
    text = render([], output_format, color=False, sarif_category=None, files_checked=2)
    assert text == "" or text.endswith("\n")
    if output_format in ("json", "sarif"):
        json.loads(text)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render([], "xml", color=False, sarif_category=None, files_checked=0)


def test_format_modules_are_imported_only_when_used() -> None:
    code = (
        "import sys\n"
        "from ddcompat.output import render\n"
        "render([], 'concise', color=False, sarif_category=None, files_checked=1)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('ddcompat.output.'))\n"
        "print(','.join(loaded), 'rich' in sys.modules, 'hashlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["ddcompat.output._escape,ddcompat.output.concise", "False", "False"]


@pytest.mark.parametrize("output_format", BLOCK_FORMATS)
@pytest.mark.parametrize("color", [False, True])
def test_block_formats_assemble_what_render_gives(output_format: str, color: bool) -> None:
    """Parts checked in other processes send blocks and a tally, not findings: assembled, they must give
    exactly the report `render` gives for the findings, split between parts anywhere."""
    from _output_samples import FINDINGS
    from ddcompat.output.concise import combined, tally

    expected = render(FINDINGS, output_format, color=color, sarif_category=None, files_checked=5)
    block = block_renderer(output_format, color=color)
    for cut in range(len(FINDINGS) + 1):
        counted = combined([tally(FINDINGS[:cut]), tally(FINDINGS[cut:])])
        text = assemble([block(finding) for finding in FINDINGS], counted, output_format, color=color,
                        files_checked=5)
        assert text == expected
    assert assemble([], tally([]), output_format, color=color, files_checked=0) == render(
        [], output_format, color=color, sarif_category=None, files_checked=0)


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_document_formats_have_no_blocks(output_format: str) -> None:
    from ddcompat.output.concise import tally

    with pytest.raises(ValueError):
        block_renderer(output_format, color=False)
    with pytest.raises(ValueError):
        assemble([], tally([]), output_format, color=False, files_checked=0)
