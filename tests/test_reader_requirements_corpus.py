"""The requirements reader on the shared corpus: no exception ever, and the same answers as
pip-requirements-parser (a test-only dependency) wherever both accept a line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from conftest import CORPUS, require
from ddcompat.model import ReadResult, SourceFile
from ddcompat.readers.requirements import read, read_tree


def corpus_files() -> list[str]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    files = []
    for row in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        columns = row.split("\t")
        if len(columns) > 4 and columns[4] == "requirements":
            files.append(columns[0])
    return files


FILES = corpus_files()


def read_corpus(relative: str) -> ReadResult:
    path = require(CORPUS / relative)
    absolute = str(path.resolve())
    return read(SourceFile(path=absolute, display=relative, root=os.path.dirname(absolute),
                           data=path.read_bytes()))


def line_count(result: ReadResult) -> int:
    return result.text.count("\n") + result.text.count("\r") - result.text.count("\r\n") + 1


HUGE = "hostile/handmade/huge/requirements.txt"  # read by test_huge_file_is_fast


@pytest.mark.parametrize("relative", [f for f in FILES if f != HUGE] or ["(corpus absent)"])
def test_every_corpus_file_reads_without_exception_and_spans_fit(relative: str) -> None:
    if not FILES:
        pytest.skip("the shared corpus is not available")
    result = read_corpus(relative)
    lines = result.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for item in [*(d.span for d in result.declarations), *(f.span for f in result.findings)]:
        if result.text:
            assert 1 <= item.line <= item.end_line <= len(lines)
            assert 1 <= item.column <= len(lines[item.line - 1]) + 1
            assert 1 <= item.end_column <= len(lines[item.end_line - 1]) + 1
    if any(f.code == "DDC902" for f in result.findings):
        assert len(result.findings) == 1 and not result.declarations


def test_include_tree_of_the_cycle_fixture() -> None:
    folder = require(CORPUS / "hostile" / "handmade" / "include-cycle")
    entry = folder / "requirements.txt"
    results = read_tree(SourceFile(path=str(entry), display="requirements.txt", root=str(folder),
                                   data=entry.read_bytes()))
    names = [os.path.basename(r.real_path) for r in results]
    assert names == ["requirements.txt", "a.txt", "b.txt"]
    assert [d.name for r in results for d in r.declarations] == ["flask", "ddtrace", "aiopg"]
    # every include line on the a <-> b cycle: a.txt's `-r b.txt`, b.txt's `-r a.txt` and `-c ./a.txt`
    assert sum(f.code == "DDC903" for r in results for f in r.findings) == 3


@pytest.mark.parametrize("fixture", ["include-escape", "include-devices", "include-url", "include-missing"])
def test_hostile_includes_are_findings_and_nothing_is_read(fixture: str) -> None:
    folder = require(CORPUS / "hostile" / "handmade" / fixture)
    entry = folder / "requirements.txt"
    started = time.perf_counter()
    results = read_tree(SourceFile(path=str(entry), display="requirements.txt", root=str(folder),
                                   data=entry.read_bytes()))
    assert time.perf_counter() - started < 5
    assert len(results) == 1
    (result,) = results
    includes = [line for line in result.text.splitlines() if line.startswith(("-r", "-c", "--req"))]
    assert [f.code for f in result.findings] == ["DDC903"] * len(includes)
    assert [d.name for d in result.declarations] == ["ddtrace"]


def test_utf16_files_of_the_corpus() -> None:
    for relative in ("real/mnjpkulkarni__Datadog-Python-Flask/requirements.txt",
                     "real/sandeepcloudpor__Datadog-APM-Python-Project-WeatherApp/requirements.txt"):
        result = read_corpus(relative)
        assert result.encoding == "utf-16-le"
        assert result.declarations and not result.findings


def test_huge_file_is_fast() -> None:
    """The 5 MB file (116,312 requirements) in a few seconds; the bound only catches quadratic blowups.

    Also checks every span of it fits, like the test above does for the other files."""
    started = time.perf_counter()
    result = read_corpus(HUGE)
    elapsed = time.perf_counter() - started
    assert len(result.declarations) > 100_000
    assert [d.specifier for d in result.declarations if d.name == "ddtrace"] == ["==1.20.0"]
    assert result.declarations[-1].name == "aiopg"
    assert result.declarations[-1].span.line == line_count(result) - 1
    assert elapsed < 30, elapsed  # ~2 s on an idle machine; shared CI runners are much slower


# -- differential: pip-requirements-parser -------------------------------------------------------------------

# Lines where the two parsers disagree on purpose (file suffix, line) -> why.
KNOWN_DIFFERENCES = {
    ("packaging-docs-examples.txt", 34): "we take the name from an sdist file name "
                                         "(./downloads/SomeProject-1.0.4.tar.gz); pip-requirements-parser "
                                         "gives none",
    ("pip-docs-examples.txt", 40): "sdist file name gives the name",
    ("pip-docs-examples.txt", 41): "sdist file name in a URL gives the name",
    ("pip-docs-examples3.txt", 86): "sdist file name gives the name",
    ("requirement-parser-issues.txt", 46): "`--no-binary` after a requirement is a valid pip option; "
                                           "pip-requirements-parser refuses it",
    ("requirement-parser-issues.txt", 47): "same as above",
    ("requirement-parser-issues.txt", 88): "sdist file name gives the name",
    ("requirementslib-tests.txt", 19): "unclosed quote in the options: we report DDC901 and keep the valid "
                                       "requirement; pip-requirements-parser drops the line",
    ("requirementslib-tests.txt", 39): "`git+git@host:user/repo.git#egg=myname` is not a URL pip can "
                                       "install (no scheme it knows): pip refuses it, so DDC901",
    ("local_paths_and_files-requirements.txt", 2): "sdist file name in a URL gives the name",
    ("urls_wth_checksums-requirements.txt", 1): "sdist file name in a URL gives the name",
    ("per_req_options.txt", 3): "`--config-settings` is a pip option pip-requirements-parser lacks",
    ("per_req_options.txt", 5): "same as above",
    ("per_req_options.txt", 28): "`-C` (--config-settings) is a pip option pip-requirements-parser lacks",
    ("per_req_options.txt", 36): "same as above",
}


def test_same_names_and_specifiers_as_pip_requirements_parser() -> None:
    if not FILES:
        pytest.skip("the shared corpus is not available")
    prp = pytest.importorskip("pip_requirements_parser")
    compared = 0
    unexpected = []
    for relative in FILES:
        if (CORPUS / relative).stat().st_size > 512 * 1024:
            continue  # pip-requirements-parser takes minutes on the 1-5 MB hostile files
        result = read_corpus(relative)
        if any(f.code == "DDC902" for f in result.findings):
            continue
        try:
            theirs_file = prp.RequirementsFile.from_file(str(CORPUS / relative))
        except Exception:  # its own failures (e.g. undecodable files) are not ours to judge
            continue
        theirs = {q.line_number: (canonicalize_name(q.name), str(q.specifier or ""))
                  for q in theirs_file.requirements if q.name}
        ours = {d.span.line: (d.name, d.specifier) for d in result.declarations}
        for line in sorted(set(theirs) | set(ours)):
            if ours.get(line) == theirs.get(line):
                compared += 1
                continue
            if (Path(relative).name, line) not in KNOWN_DIFFERENCES:
                unexpected.append((relative, line, ours.get(line), theirs.get(line)))
    assert not unexpected, unexpected
    assert compared > 1000


# -- differential: pip's own line splitting ------------------------------------------------------------------

# Options pip dropped (23.1 and earlier) that ddcompat still accepts: a file written for an older pip is not
# an invalid requirements file to a linter. pip refuses these lines.
LEGACY_OPTION_LINES = {
    ("pip-docs-examples3.txt", 55): "--install-option (removed in pip 23.1)",
    ("pip-docs-examples3.txt", 60): "--install-option (removed in pip 23.1)",
    ("unsupported_options.txt", 4): "--no-use-wheel (removed in pip 10)",
}


def pip_lines(text: str) -> dict[int, tuple[object, ...]]:
    """pip's own view of each logical line: (requirement part, -r, -c, -e values), or ("error",)."""
    req_file = pytest.importorskip("pip._internal.req.req_file")
    parse = req_file.get_line_parser(None)
    lines: dict[int, tuple[object, ...]] = {}
    for number, line in req_file.preprocess(text):
        try:
            args, options = parse(line)
        except Exception:  # OptionParsingError, and optparse's own errors
            lines[number] = ("error",)
            continue
        lines[number] = (args.strip(), tuple(options.requirements or ()), tuple(options.constraints or ()),
                         tuple(options.editables or ()))
    return lines


def our_lines(text: str) -> dict[int, tuple[object, ...]]:
    from ddcompat.readers._requirement_line import logical_lines, parse_line
    from ddcompat.readers._text import LineIndex

    index = LineIndex(text)
    lines: dict[int, tuple[object, ...]] = {}
    for logical in logical_lines(text):
        parsed = parse_line(logical)
        if parsed.is_empty:
            continue
        number = index.position(logical.start_offset)[0]
        if parsed.error is not None:
            lines[number] = ("error",)
            continue
        lines[number] = (parsed.args, tuple(t.value for t in parsed.requirements),
                         tuple(t.value for t in parsed.constraints), tuple(t.value for t in parsed.editables))
    return lines


def test_lines_split_like_pip_itself(capsys: pytest.CaptureFixture[str]) -> None:
    if not FILES:
        pytest.skip("the shared corpus is not available")
    from ddcompat.readers._text import DecodeError, decode

    unexpected = []
    compared = 0
    for relative in FILES:
        data = (CORPUS / relative).read_bytes()
        if len(data) > 512 * 1024:
            continue
        try:
            text = decode(data).text
        except DecodeError:
            continue
        theirs, ours = pip_lines(text), our_lines(text)
        for number in sorted(set(theirs) | set(ours)):
            if theirs.get(number) == ours.get(number):
                compared += 1
            elif (Path(relative).name, number) not in LEGACY_OPTION_LINES:
                unexpected.append((relative, number, theirs.get(number), ours.get(number)))
    capsys.readouterr()  # optparse prints its usage on errors
    assert not unexpected, unexpected
    assert compared > 1000
