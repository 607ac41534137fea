"""The `render` entry point: every format, lazily imported, and a clear error for an unknown one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ddcompat.options import OUTPUT_FORMATS
from ddcompat.output import FORMATS, render


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
