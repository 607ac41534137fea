"""The concise format: golden output, and what editors' matchers make of every line."""

from __future__ import annotations

import re

import pytest

from _output_samples import DDCOMPAT_MATCHER, EMACS_GNU, FINDINGS, GCC, VIM_EFM
from ddcompat.model import Finding, Level, Span
from ddcompat.output import render
from ddcompat.output.concise import combined, fix_summary, summary, tally

GOLDEN = (
    "pyproject.toml:12:4: note: DDC304 pymemcache is not patched automatically; enable it with "
    "DD_PATCH_MODULES=pymemcache:true\n"
    "requirements.txt:3:1: error: DDC101 ddtrace==1.20.3 is on the 1.x branch, which is End of Life\n"
    "requirements.txt:5:1: warning: DDC302 aiopg>=0.12 admits versions outside the documented range "
    ">=0.12.0,<=0.16\n"
    "services/api/poetry.lock:40:1: error: DDC201 no Python the project allows (==3.14.*) is supported by "
    "ddtrace 4.x\n"
    "Found 2 errors, 1 warning, 1 note in 3 files.\n"
    "1 fixable with `--fix` (1 more with `--fix --unsafe-fixes`).\n"
)


def _concise(findings: tuple[Finding, ...] | list[Finding], files_checked: int = 4) -> str:
    return render(findings, "concise", color=False, sarif_category=None, files_checked=files_checked)


def test_golden() -> None:
    assert _concise(FINDINGS) == GOLDEN


def test_colour_is_ignored() -> None:
    # Editors and pipes read this format; it never carries escape sequences.
    assert render(FINDINGS, "concise", color=True, sarif_category=None, files_checked=4) == GOLDEN


def test_empty() -> None:
    assert _concise([], files_checked=7) == "All checked: no problems in 7 files.\n"
    assert _concise([], files_checked=1) == "All checked: no problems in 1 file.\n"
    assert _concise([], files_checked=0) == "No dependency files were checked.\n"


def test_every_finding_line_matches_gcc_except_notes() -> None:
    lines = _concise(FINDINGS).splitlines()
    gcc = re.compile(GCC)
    for finding, line in zip(FINDINGS, lines):
        match = gcc.match(line)
        if finding.level is Level.NOTE:
            # $gcc knows only `warning|error`; notes need the custom matcher from the README.
            assert match is None
            continue
        assert match is not None, line
        assert match.group(1) == finding.path
        assert int(match.group(2)) == finding.span.line
        assert int(match.group(3)) == finding.span.column
        assert match.group(4) == finding.level.value
        assert match.group(5) == f"{finding.code} {finding.message}"


def test_custom_matcher_reads_every_finding_line() -> None:
    matcher = re.compile(DDCOMPAT_MATCHER)
    for finding, line in zip(FINDINGS, _concise(FINDINGS).splitlines()):
        match = matcher.match(line)
        assert match is not None, line
        assert match.groups() == (
            finding.path, str(finding.span.line), str(finding.span.column), finding.level.value,
            finding.code, finding.message,
        )


def test_vim_and_emacs_read_file_line_column() -> None:
    vim = re.compile(VIM_EFM[0])
    emacs = re.compile(EMACS_GNU)
    for finding, line in zip(FINDINGS, _concise(FINDINGS).splitlines()):
        vim_match = vim.match(line)
        assert vim_match is not None
        assert vim_match.group(1, 2, 3) == (finding.path, str(finding.span.line), str(finding.span.column))
        emacs_match = emacs.match(line)
        assert emacs_match is not None
        assert emacs_match.group("file", "line", "col") == (
            finding.path, str(finding.span.line), str(finding.span.column)
        )
        # Emacs types the message from the word after the position: warning, info (note), else error.
        kind = "warning" if emacs_match["warning"] else "note" if emacs_match["info"] else "error"
        assert kind == finding.level.value


@pytest.mark.parametrize("files_checked", [0, 1, 4])
def test_summary_lines_do_not_look_like_findings(files_checked: int) -> None:
    variants = [list(FINDINGS), [FINDINGS[0]], [FINDINGS[2]], [FINDINGS[1]], []]
    patterns = [re.compile(p) for p in (GCC, DDCOMPAT_MATCHER, EMACS_GNU, *VIM_EFM)]
    for findings in variants:
        text = _concise(findings, files_checked)
        tail = text.splitlines()[len(findings):]
        assert tail, "a summary is always printed"
        for line in tail:
            for pattern in patterns:
                assert pattern.match(line) is None, (pattern.pattern, line)


def test_summary_wording() -> None:
    error = FINDINGS[1]
    assert summary(tally([error]), 3) == "Found 1 error in 1 file."
    assert summary(tally([error, FINDINGS[3]]), 3) == "Found 2 errors in 2 files."
    assert summary(tally([FINDINGS[0], FINDINGS[0]]), 3) == "Found 2 notes in 1 file."
    assert summary(tally([]), 3) == "All checked: no problems in 3 files."
    assert summary(tally([]), 0) == "No dependency files were checked."
    assert fix_summary(tally([error])) == "1 fix available with `--fix --unsafe-fixes`."
    assert fix_summary(tally([error, error])) == "2 fixes available with `--fix --unsafe-fixes`."
    assert fix_summary(tally([FINDINGS[2]])) == "1 fixable with `--fix`."
    assert fix_summary(tally([FINDINGS[0], FINDINGS[3]])) == ""


def test_tallies_of_parts_combine_to_the_tally_of_the_whole() -> None:
    """A run checked in parts sends each part's tally; together they must count what the whole counts."""
    for cut in range(len(FINDINGS) + 1):
        first, second = FINDINGS[:cut], FINDINGS[cut:]
        assert combined([tally(first), tally(second)]) == tally(FINDINGS)
    assert combined([]) == tally([]) and not tally([]).failing
    assert tally(FINDINGS).failing == any(f.level.value in ("error", "warning") for f in FINDINGS)


def test_a_path_with_colons_and_spaces_is_kept_whole() -> None:
    finding = Finding("DDC101", Level.ERROR, "m", "odd dir/req: 1.txt", Span(2, 3, 2, 4))
    line = _concise([finding]).splitlines()[0]
    assert line == "odd dir/req: 1.txt:2:3: error: DDC101 m"
    match = re.compile(GCC).match(line)
    assert match is not None and match.group(1, 2, 3) == ("odd dir/req: 1.txt", "2", "3")
