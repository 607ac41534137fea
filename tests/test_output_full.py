"""The full (default) format: golden output, underlines, hints, colour only when asked."""

from __future__ import annotations

import re

from _output_samples import EMACS_GNU, FINDINGS, GCC, VIM_EFM
from ddcompat.model import Finding, Fix, Level, Span
from ddcompat.output import render
from ddcompat.output.full import snippet

GOLDEN = """\
pyproject.toml:12:4: note: DDC304 pymemcache is not patched automatically; enable it with \
DD_PATCH_MODULES=pymemcache:true
   |
12 |         "pymemcache>=4.0",
   |          ^^^^^^^^^^^^^^^
   = help: Enable it with `DD_PATCH_MODULES=<module>:true`, `patch(<module>=True)` or the integration's own \
setup described in ddtrace's documentation.

requirements.txt:3:1: error: DDC101 ddtrace==1.20.3 is on the 1.x branch, which is End of Life
  |
3 | ddtrace==1.20.3  # tracing
  | ^^^^^^^^^^^^^^^
  = help: Upgrade ddtrace to the General Availability branch: ddtrace>=4.0,<5
  = unsafe fix available: pin ddtrace to 4.0.0

requirements.txt:5:1: warning: DDC302 aiopg>=0.12 admits versions outside the documented range >=0.12.0,<=0.16
  |
5 | aiopg>=0.12
  | ^^^^^^^^^^^
  = help: Narrow the specifier to the documented range (`--fix` does this safely).
  = fix available: narrow aiopg to >=0.12,<=0.16

services/api/poetry.lock:40:1: error: DDC201 no Python the project allows (==3.14.*) is supported by \
ddtrace 4.x
   |
40 | python-versions = "3.14.*"
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: Move the project to a Python the branch supports, or pick a ddtrace branch built for its Python.

Found 2 errors, 1 warning, 1 note in 3 files.
1 fixable with `--fix` (1 more with `--fix --unsafe-fixes`).
"""

SGR = re.compile(r"\x1b\[[0-9;]*m")


def _full(
    findings: list[Finding] | tuple[Finding, ...], *, color: bool = False, files_checked: int = 4
) -> str:
    return render(findings, "full", color=color, sarif_category=None, files_checked=files_checked)


def test_golden() -> None:
    assert _full(FINDINGS) == GOLDEN


def test_first_line_of_each_finding_is_the_concise_line() -> None:
    concise = render(FINDINGS, "concise", color=False, sarif_category=None, files_checked=4).splitlines()
    full = _full(FINDINGS).splitlines()
    headers = [line for line in full if re.match(r"^\S+:\d+:\d+: ", line)]
    assert headers == concise[: len(FINDINGS)]


def test_no_other_line_looks_like_a_finding() -> None:
    concise = set(render(FINDINGS, "concise", color=False, sarif_category=None, files_checked=4).splitlines())
    patterns = [re.compile(p) for p in (GCC, EMACS_GNU, *VIM_EFM)]
    for line in _full(FINDINGS).splitlines():
        if line in concise:
            continue
        for pattern in patterns:
            assert pattern.match(line) is None, (pattern.pattern, line)


def test_empty() -> None:
    assert _full([], files_checked=3) == "All checked: no problems in 3 files.\n"
    assert _full([], files_checked=3, color=True) == "\x1b[1mAll checked: no problems in 3 files.\x1b[0m\n"


def test_colour_only_when_asked() -> None:
    plain = _full(FINDINGS)
    coloured = _full(FINDINGS, color=True)
    assert "\x1b" not in plain
    assert "\x1b[1;31merror:\x1b[0m" in coloured
    assert "\x1b[1;33mwarning:\x1b[0m" in coloured
    assert "\x1b[1;36mnote:\x1b[0m" in coloured
    # Colour changes nothing else: the header lines stay whole (no wrapping), the text is the same.
    assert SGR.sub("", coloured) == plain


def test_catalog_hint_when_the_finding_has_none() -> None:
    out = _full([FINDINGS[2]])
    assert "= help: Narrow the specifier to the documented range (`--fix` does this safely)." in out


def test_no_source_line_no_snippet() -> None:
    finding = Finding("DDC902", Level.ERROR, "invalid TOML: expected '='", "pyproject.toml", Span(1, 5, 1, 6))
    assert _full([finding]).splitlines()[:3] == [
        "pyproject.toml:1:5: error: DDC902 invalid TOML: expected '='",
        "  = help: Fix the syntax or encoding at the position given.",
        "",
    ]


def _finding(line: str, column: int, end_column: int, end_line: int = 1) -> Finding:
    span = Span(1, column, end_line, end_column)
    return Finding("DDC301", Level.ERROR, "m", "r.txt", span, source_line=line)


def test_tabs_are_expanded_and_the_caret_follows() -> None:
    text, offset, width = snippet("a\tb==1\n", _finding("a\tb==1\n", 3, 7))
    assert text == "a   b==1"
    assert (offset, width) == (4, 4)


def test_span_is_clipped_to_the_line() -> None:
    # Runs onto the next line: underline to the end of this one.
    assert snippet("ddtrace = [\n", _finding("", 1, 3, end_line=4))[1:] == (0, 11)
    # Ends past the end of the line.
    assert snippet("abc", _finding("", 2, 40))[1:] == (1, 2)
    # Starts past the end: one caret just after the text.
    assert snippet("abc", _finding("", 9, 12))[1:] == (3, 1)
    # Empty span: one caret.
    assert snippet("abc", _finding("", 2, 2))[1:] == (1, 1)


def test_wide_and_combining_characters_keep_the_caret_aligned() -> None:
    line = "名前==1.0  # e\u0301"
    text, offset, width = snippet(line, _finding(line, 3, 8))
    assert text == line
    assert (offset, width) == (4, 5)


def test_control_characters_in_the_source_line_are_escaped_and_counted() -> None:
    line = "\x1b[2Jx==1"
    text, offset, width = snippet(line, _finding(line, 5, 9))
    assert text == "\\x1b[2Jx==1"
    assert (offset, width) == (7, 4)


def test_a_very_long_line_is_windowed_around_the_span() -> None:
    line = '{"a": "' + "x" * 5000 + '", "ddtrace": "==1.20.3", "b": "' + "y" * 5000 + '"}'
    start = line.index('"ddtrace"') + 1
    finding = _finding(line, start, start + 24)
    text, offset, width = snippet(line, finding)
    assert len(text) <= 170
    assert text.startswith("...") and text.endswith("...")
    assert text[offset: offset + width] == '"ddtrace": "==1.20.3", "'[:width]
    assert width == 24


def test_unsafe_and_safe_fix_labels() -> None:
    fix = Fix("r.txt", Span(1, 2, 1, 3), "x", "do it", safe=True)
    finding = Finding("DDC302", Level.WARNING, "m", "r.txt", Span(1, 1, 1, 2), fix=fix)
    assert " = fix available: do it\n" in _full([finding])
    elsewhere = Finding("DDC201", Level.ERROR, "m", "requirements.txt", Span(1, 1, 1, 2),
                        fix=Fix("pyproject.toml", Span(3, 19, 3, 26), ">=3.9,<3.14", "narrow requires-python",
                                safe=False))
    assert " = unsafe fix available: narrow requires-python (in pyproject.toml)\n" in _full([elsewhere])
