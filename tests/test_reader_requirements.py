"""The requirements-file reader: exact positions for every kind of line, includes, bad files."""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Optional

import pytest
from packaging.specifiers import SpecifierSet

from ddcompat.model import Declaration, Finding, ReadResult, SourceFile, Span
from ddcompat.paths import display_path
from ddcompat.readers.requirements import read, read_tree


def source(tmp_path: Path, text: str | bytes, name: str = "requirements.txt",
           root: Optional[Path] = None) -> SourceFile:
    data = text.encode() if isinstance(text, str) else text
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return SourceFile(path=str(path), display=name, root=str(root or tmp_path), data=data)


def read_text(tmp_path: Path, text: str | bytes, name: str = "requirements.txt") -> ReadResult:
    return read(source(tmp_path, text, name))


def only(result: ReadResult) -> Declaration:
    assert not result.findings, result.findings
    assert len(result.declarations) == 1, result.declarations
    return result.declarations[0]


def text_at(result: ReadResult, span: Span) -> str:
    """The file text a span covers (lines joined with "\\n")."""
    lines = result.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1:span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1:]]
    parts += lines[span.line:span.end_line - 1]
    parts.append(lines[span.end_line - 1][:span.end_column - 1])
    return "\n".join(parts)


def codes(result: ReadResult) -> list[str]:
    return [finding.code for finding in result.findings]


# -- plain lines ---------------------------------------------------------------------------------------------

def test_plain_pin(tmp_path: Path) -> None:
    result = read_text(tmp_path, "flask==2.0.1\nddtrace==1.20.0\n")
    assert [d.name for d in result.declarations] == ["flask", "ddtrace"]
    ddtrace = result.declarations[1]
    assert ddtrace.raw_name == "ddtrace"
    assert ddtrace.specifier == "==1.20.0"
    assert ddtrace.declared == "==1.20.0"
    assert ddtrace.has_specifier
    assert ddtrace.span == Span(2, 1, 2, 16)
    assert ddtrace.specifier_span == Span(2, 8, 2, 16)
    assert ddtrace.admitted == SpecifierSet("==1.20.0").to_range()
    assert ddtrace.group == "requirements"
    assert not ddtrace.is_direct_reference
    assert ddtrace.via == ()
    assert result.kind == "requirements"
    assert result.real_path == str(tmp_path / "requirements.txt")


def test_bare_name_gets_zero_width_specifier_span_after_name(tmp_path: Path) -> None:
    declaration = only(read_text(tmp_path, "  Django   # latest\n"))
    assert declaration.name == "django"
    assert declaration.raw_name == "Django"
    assert not declaration.has_specifier
    assert declaration.specifier == "" and declaration.declared == ""
    assert declaration.span == Span(1, 3, 1, 9)
    assert declaration.specifier_span == Span(1, 9, 1, 9)
    assert declaration.admitted == SpecifierSet().to_range()


def test_name_is_normalised(tmp_path: Path) -> None:
    declaration = only(read_text(tmp_path, "Flask_Cache.Ext>=1\n"))
    assert declaration.name == "flask-cache-ext"
    assert declaration.raw_name == "Flask_Cache.Ext"


def test_extras_and_marker(tmp_path: Path) -> None:
    line = 'ddtrace[opentracing, profiling] >= 2.0, <3 ; python_version < "3.12"  # pinned\n'
    declaration = only(read_text(tmp_path, line))
    assert declaration.extras == ("opentracing", "profiling")
    assert declaration.specifier == "<3,>=2.0"
    assert declaration.declared == ">= 2.0, <3"
    assert declaration.specifier_span == Span(1, 33, 1, 43)
    assert declaration.span == Span(1, 1, 1, 69)
    assert str(declaration.marker) == 'python_version < "3.12"'


def test_bare_name_with_extras_inserts_after_bracket(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace[profiling] ; sys_platform == 'linux'\n")
    declaration = only(result)
    assert declaration.specifier_span == Span(1, 19, 1, 19)
    assert text_at(result, Span(1, 1, 1, 19)) == "ddtrace[profiling]"


def test_parenthesised_specifier_span_is_inside_parentheses(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace (>=1.0, <2)\n")
    declaration = only(result)
    assert declaration.declared == ">=1.0, <2"
    assert text_at(result, declaration.specifier_span or Span(0, 0, 0, 0)) == ">=1.0, <2"


def test_tabs_and_spaces_inside_specifier(tmp_path: Path) -> None:
    result = read_text(tmp_path, "\tddtrace\t==\t1.9.0\t# tab separated\n  Django  >=  3.2 , < 4.0  \n")
    first, second = result.declarations
    assert first.span == Span(1, 2, 1, 18)
    assert first.declared == "==\t1.9.0"
    assert second.specifier == "<4.0,>=3.2"
    assert second.declared == ">=  3.2 , < 4.0"
    assert second.specifier_span == Span(2, 11, 2, 26)


def test_suppression_comment_stays_in_text(tmp_path: Path) -> None:
    text = "ddtrace==0.46.0  # ddcompat: ignore[DDC101]\n"
    result = read_text(tmp_path, text)
    assert result.text == text
    assert only(result).span == Span(1, 1, 1, 16)


# -- comments ---------------------------------------------------------------------------------------------

def test_hash_without_whitespace_is_not_a_comment(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace==1.0#x\n")
    assert codes(result) == ["DDC901"]
    assert not result.declarations
    assert result.findings[0].span.column == 10  # the version `1.0#x`


def test_comment_lines_and_blank_lines(tmp_path: Path) -> None:
    result = read_text(tmp_path, "# header\n\n   # indented\nddtrace==2.0 #comment\n#ddtrace==1.0\n")
    assert [(d.name, d.span.line) for d in result.declarations] == [("ddtrace", 4)]
    assert not result.findings


def test_comment_line_ending_in_backslash_is_not_continued(tmp_path: Path) -> None:
    result = read_text(tmp_path, "# a comment \\\nddtrace==2.0\n")
    assert only(result).span == Span(2, 1, 2, 13)


# -- continuations ------------------------------------------------------------------------------------------

def test_continuation_with_hashes(tmp_path: Path) -> None:
    text = (
        'ddtrace==4.7.1 ; python_version == "3.13" \\\n'
        "    --hash=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\\n"
        "    --hash=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
        "flask==2.0\n"
    )
    result = read_text(tmp_path, text)
    assert not result.findings
    ddtrace, flask = result.declarations
    assert ddtrace.span == Span(1, 1, 1, 42)  # up to the marker's end, not the hashes
    assert ddtrace.specifier_span == Span(1, 8, 1, 15)
    assert str(ddtrace.marker) == 'python_version == "3.13"'
    assert flask.span == Span(4, 1, 4, 11)


def test_requirement_split_over_physical_lines(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace \\\n  >=1.0,\\\n<2\nflask\n")
    ddtrace, flask = result.declarations
    assert ddtrace.span.line == 1
    assert ddtrace.span.end_line == 3
    assert ddtrace.specifier == "<2,>=1.0"
    assert ddtrace.specifier_span == Span(2, 3, 3, 3)
    assert flask.span == Span(4, 1, 4, 6)


def test_continuation_ended_by_comment_line(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace==1.0 \\\n# trailing comment\nflask\n")
    assert [(d.name, d.span.line) for d in result.declarations] == [("ddtrace", 1), ("flask", 3)]


def test_trailing_backslash_at_end_of_file(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace==1.0 \\")
    assert only(result).span == Span(1, 1, 1, 13)


# -- line ends and encodings --------------------------------------------------------------------------------

def test_crlf(tmp_path: Path) -> None:
    text = "flask==2.0.1\r\nddtrace==0.57.3 \\\r\n    --hash=sha256:aa\r\nredis==4.5.1\r\n"
    result = read_text(tmp_path, text)
    assert result.newline == "\r\n"
    assert [(d.name, d.span) for d in result.declarations] == [
        ("flask", Span(1, 1, 1, 13)), ("ddtrace", Span(2, 1, 2, 16)), ("redis", Span(4, 1, 4, 13))]


def test_cr_only_and_no_final_newline(tmp_path: Path) -> None:
    result = read_text(tmp_path, "flask==2.0.1\rddtrace==0.57.3")
    assert result.newline == "\r"
    assert [(d.name, d.span) for d in result.declarations] == [
        ("flask", Span(1, 1, 1, 13)), ("ddtrace", Span(2, 1, 2, 16))]


def test_utf8_bom(tmp_path: Path) -> None:
    result = read_text(tmp_path, codecs.BOM_UTF8 + b"ddtrace==1.0\n")
    assert result.has_bom and result.encoding == "utf-8-sig"
    assert only(result).span == Span(1, 1, 1, 13)  # the BOM is not a column


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE),
                                        ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom(tmp_path: Path, codec: str, bom: bytes) -> None:
    result = read_text(tmp_path, bom + "flask==2.0\r\nddtrace>=2\r\n".encode(codec))
    assert result.encoding == codec
    assert [(d.name, d.span) for d in result.declarations] == [
        ("flask", Span(1, 1, 1, 11)), ("ddtrace", Span(2, 1, 2, 11))]


def test_non_ascii_columns_count_characters(tmp_path: Path) -> None:
    result = read_text(tmp_path, "# café ☕\nflask==2.0 # ☕☕ ddtrace\n")
    assert only(result).span == Span(2, 1, 2, 11)


# -- options ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "--index-url https://pypi.example.com/simple",
    "-i https://pypi.example.com/simple",
    "--extra-index-url=https://pypi.org/simple",
    "-f ./wheels",
    "--find-links https://example.com/wheels",
    "--pre",
    "--trusted-host example.com",
    "--no-binary :all:",
    "--only-binary=:none:",
    "--prefer-binary",
    "--require-hashes",
    "--use-feature=truststore",
    "--no-index",
    "-Z",
    "--always-unzip",
    "--config-settings key=value",
    "--hash=sha256:abcdef",
    "--index-url https://${PIP_USER}:${PIP_TOKEN}@pypi.example.com/simple",
    "--index-url 'https://example.com/simple' # quoted",
])
def test_option_lines_declare_nothing(tmp_path: Path, line: str) -> None:
    result = read_text(tmp_path, line + "\nddtrace==2.0\n")
    assert codes(result) == []
    assert [(d.name, d.span.line) for d in result.declarations] == [("ddtrace", 2)]


def test_unknown_option_is_invalid_at_its_column(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace==2.0 --frobnicate\n")
    assert codes(result) == ["DDC901"]
    assert result.findings[0].span == Span(1, 14, 1, 26)
    assert [d.name for d in result.declarations] == ["ddtrace"]  # the requirement itself is fine


def test_bad_hash_algorithm(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace==1.0.0 --hash=md5:abc\n")
    assert codes(result) == ["DDC901"]
    assert result.findings[0].span == Span(1, 23, 1, 30)


def test_unclosed_quote_in_options(tmp_path: Path) -> None:
    result = read_text(tmp_path, 'ddtrace==1.2 --hash=sha256:2cf24d",\n')
    assert codes(result) == ["DDC901"]
    assert "quotation" in result.findings[0].message


def test_options_with_tab_before_them_stay_in_the_requirement(tmp_path: Path) -> None:
    # pip splits the requirement from its options at spaces only.
    result = read_text(tmp_path, "ddtrace==1.0\t--hash=sha256:aa\n")
    assert codes(result) == ["DDC901"]


# -- invalid lines ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, column, end_column, words", [
    ("ddtrace==latest", 10, 16, "`latest` is not a valid version"),
    ("ddtrace==", 8, 10, "needs a version"),
    ("ddtrace==2.x", 10, 13, "`2.x`"),
    ("ddtrace~=1", 10, 11, "two parts"),
    ("ddtrace = 1.2.3", 9, 10, "single `=`"),
    ("ddtrace>=1.0,<=", 14, 16, "needs a version"),
    ("ddtrace==1.0.0;;", 16, 17, "marker"),
    ("ddtrace[==1.0.0", 9, 16, "RIGHT_BRACKET"),
    ("ddtrace @ ", 10, 11, "URL"),
    ("==1.0", 1, 6, "package name"),
    ("ddtrace==１.０.０", 10, 15, "not a valid version"),
])
def test_invalid_requirement_points_at_the_problem(tmp_path: Path, line: str, column: int, end_column: int,
                                                   words: str) -> None:
    result = read_text(tmp_path, "flask\n" + line + "\n")
    assert codes(result) == ["DDC901"]
    finding = result.findings[0]
    assert finding.span.line == 2
    assert (finding.span.column, finding.span.end_column) == (column, end_column)
    assert words in finding.message
    assert finding.declared == line.strip()
    assert [d.name for d in result.declarations] == ["flask"]


def test_invalid_line_knows_its_package(tmp_path: Path) -> None:
    finding = read_text(tmp_path, "DDTrace==latest\n").findings[0]
    assert finding.package == "ddtrace"
    assert finding.level.value == "error"


def test_env_var_line_is_skipped_not_invalid(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace==${DDTRACE_VERSION}\nflask==2.0\n")
    assert codes(result) == []
    assert [d.name for d in result.declarations] == ["flask"]


def test_env_var_in_url_is_kept_literal(tmp_path: Path) -> None:
    result = read_text(tmp_path, "private @ https://${TOKEN}@git.example.com/private-1.0.tar.gz\n")
    declaration = only(result)
    assert declaration.name == "private" and declaration.is_direct_reference


# -- direct references ------------------------------------------------------------------------------------

def test_pep508_url_requirement(tmp_path: Path) -> None:
    line = "ddtrace @ git+https://github.com/DataDog/dd-trace-py.git@main ; python_version >= '3.9'\n"
    result = read_text(tmp_path, line)
    declaration = only(result)
    assert declaration.name == "ddtrace"
    assert declaration.is_direct_reference
    assert not declaration.has_specifier and declaration.specifier == ""
    assert declaration.specifier_span is None
    assert declaration.marker is not None
    assert declaration.span == Span(1, 1, 1, len(line))


def test_vcs_url_with_egg(tmp_path: Path) -> None:
    result = read_text(tmp_path, "git+https://github.com/DataDog/dd-trace-py.git@v2.0.0#egg=ddtrace\n")
    declaration = only(result)
    assert (declaration.name, declaration.is_direct_reference, declaration.specifier) == ("ddtrace", True, "")


def test_vcs_url_without_egg_declares_nothing(tmp_path: Path) -> None:
    result = read_text(tmp_path, "git+https://github.com/DataDog/dd-trace-py.git@v2.0.0\n")
    assert result.declarations == [] and result.findings == []


def test_wheel_url_pins_like_pip(tmp_path: Path) -> None:
    url = "https://files.example.com/ddtrace-1.20.0-cp311-cp311-manylinux_2_17_x86_64.whl"
    declaration = only(read_text(tmp_path, url + '; python_version < "3.12"\n'))
    assert declaration.name == "ddtrace"
    assert declaration.specifier == "==1.20.0"
    assert declaration.has_specifier and declaration.is_direct_reference
    assert declaration.specifier_span is None
    assert str(declaration.marker) == 'python_version < "3.12"'


def test_local_paths(tmp_path: Path) -> None:
    text = "./vendor/ddtrace-1.5.0.tar.gz\n.\n./pkg[extra]\n../other\ndist/flask-2.0-py3-none-any.whl\n"
    result = read_text(tmp_path, text)
    assert result.findings == []
    assert [(d.name, d.specifier, d.span.line, d.is_direct_reference) for d in result.declarations] == [
        ("ddtrace", "", 1, True), ("flask", "==2.0", 5, True)]


@pytest.mark.parametrize("line, name", [
    ("-e git+https://github.com/DataDog/dd-trace-py.git#egg=ddtrace", "ddtrace"),
    ("--editable=git+https://github.com/DataDog/dd-trace-py.git#egg=ddtrace[opentracing]", "ddtrace"),
    ("-e .", None),
    ("-e ./path/to/project  # comment", None),
])
def test_editable(tmp_path: Path, line: str, name: Optional[str]) -> None:
    result = read_text(tmp_path, line + "\n")
    assert result.findings == []
    assert [d.name for d in result.declarations] == ([name] if name else [])
    if name:
        declaration = result.declarations[0]
        assert declaration.is_direct_reference
        assert text_at(result, declaration.span).startswith("git+https://")


# -- includes ----------------------------------------------------------------------------------------------

def include_findings(result: ReadResult) -> list[Finding]:
    return [finding for finding in result.findings if finding.code == "DDC903"]


@pytest.mark.parametrize("line, target_column", [
    ("-r base.txt", 4),
    ("-rbase.txt", 3),
    ("--requirement=base.txt", 15),
    ("--requirement base.txt  # shared pins", 15),
    ("--requirem base.txt", 12),  # optparse accepts unique prefixes
])
def test_include_forms(tmp_path: Path, line: str, target_column: int) -> None:
    (tmp_path / "base.txt").write_text("flask==2.0\n")
    result = read_text(tmp_path, line + "\nddtrace==2.0\n")
    assert result.findings == []
    assert result.included == [str(tmp_path / "base.txt")]
    assert [d.name for d in result.declarations] == ["ddtrace"]  # only this file's own


def test_missing_include_points_at_target(tmp_path: Path) -> None:
    result = read_text(tmp_path, "ddtrace==2.0\n-r  missing.txt\n")
    (finding,) = include_findings(result)
    assert finding.span == Span(2, 5, 2, 16)
    assert "does not exist" in finding.message
    assert finding.level.value == "warning"
    assert result.included == []


@pytest.mark.parametrize("target", [
    "http://example.com/requirements.txt", "https://169.254.169.254/latest/meta-data/",
    "file:///etc/passwd", "ftp://example.com/r.txt",
])
def test_remote_include_is_never_fetched(tmp_path: Path, target: str) -> None:
    result = read_text(tmp_path, f"-c {target}\n")
    (finding,) = include_findings(result)
    assert "remote" in finding.message
    assert finding.span == Span(1, 4, 1, 4 + len(target))


def test_include_outside_root(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (tmp_path / "secret.txt").write_text("flask\n")
    src = source(project, "-r ../secret.txt\n-r /etc/passwd\n", root=project)
    result = read(src)
    assert [f.span.line for f in include_findings(result)] == [1, 2]
    assert all("outside" in f.message for f in result.findings)
    assert result.included == []


def test_include_through_symlink_out_of_root(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.txt").write_text("flask\n")
    os.symlink(tmp_path / "secret.txt", project / "link.txt")
    result = read(source(project, "-r link.txt\n", root=project))
    assert "outside" in include_findings(result)[0].message


@pytest.mark.parametrize("target, words", [("/dev/zero", "outside"), (".", "folder")])
def test_include_of_non_regular_file(tmp_path: Path, target: str, words: str) -> None:
    result = read_text(tmp_path, f"-r {target}\n")
    assert words in include_findings(result)[0].message


def test_include_of_fifo_inside_root_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    result = read_text(tmp_path, "-r pipe.txt\n")
    assert "not a regular file" in include_findings(result)[0].message


def test_self_include(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    result = read_text(tmp_path, "--requirement ./sub/../requirements.txt\nddtrace==2.0\n")
    (finding,) = include_findings(result)
    assert "itself" in finding.message
    assert result.included == []


def test_requirement_line_with_include_option_does_not_include(tmp_path: Path) -> None:
    # pip only follows -r on a line without a requirement.
    (tmp_path / "base.txt").write_text("flask\n")
    result = read_text(tmp_path, "ddtrace==2.0 -r base.txt\n")
    assert result.included == []


def test_read_tree_reports_each_file_with_its_own_declarations(tmp_path: Path) -> None:
    (tmp_path / "reqs").mkdir()
    (tmp_path / "reqs" / "base.txt").write_text("flask==2.0\n-c ../constraints/pins.txt\n")
    (tmp_path / "constraints").mkdir()
    (tmp_path / "constraints" / "pins.txt").write_text("ddtrace<2\n")
    entry = source(tmp_path, "-r reqs/base.txt\nddtrace==1.5\n")
    results = read_tree(entry)
    assert [r.real_path for r in results] == [
        entry.path, str(tmp_path / "reqs" / "base.txt"), str(tmp_path / "constraints" / "pins.txt")]
    top, base, pins = results
    assert [(d.name, d.via, d.group) for d in top.declarations] == [("ddtrace", (), "requirements")]
    assert [(d.name, d.via, d.group) for d in base.declarations] == [
        ("flask", ("requirements.txt",), "requirements")]
    assert [(d.name, d.via, d.group) for d in pins.declarations] == [
        ("ddtrace", ("requirements.txt", base.path), "constraints")]
    assert base.path == display_path(str(tmp_path / "reqs" / "base.txt"))
    assert all(d.span.line == 1 for d in pins.declarations)


def test_read_tree_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("-r b.txt\nddtrace==1.5.0\n")
    (tmp_path / "b.txt").write_text("-r a.txt\n-c ./a.txt\naiopg==1.4.0\n")
    results = read_tree(source(tmp_path, "# entry\n-r a.txt\nflask==2.2.5\n"))
    assert [os.path.basename(r.real_path) for r in results] == ["requirements.txt", "a.txt", "b.txt"]
    entry, a, b = results
    assert entry.findings == []
    assert [(f.code, f.span) for f in a.findings] == [("DDC903", Span(1, 4, 1, 9))]
    assert [(f.code, f.span) for f in b.findings] == [
        ("DDC903", Span(1, 4, 1, 9)), ("DDC903", Span(2, 4, 2, 11))]
    assert "cycle" in b.findings[0].message
    assert b.included == []
    assert [d.name for d in b.declarations] == ["aiopg"]


def test_read_tree_cycle_lines_do_not_depend_on_the_entry(tmp_path: Path) -> None:
    """Regression: the cycle was reported only at the line where the walk from the entry closed it, so a
    file of the cycle checked in its own right (its own walk closes it elsewhere) lost the finding, and
    `requirements/base.txt` <-> `requirements/dev.txt` checked as a folder reported no cycle at all."""
    (tmp_path / "a.txt").write_text("ddtrace==1.5.0\n-r b.txt\n")
    (tmp_path / "b.txt").write_text("-r c.txt\n")
    (tmp_path / "c.txt").write_text("flask\n-r a.txt\n-r d.txt\n")
    (tmp_path / "d.txt").write_text("aiopg\n")

    def cycle_lines(entry: str) -> dict[str, list[int]]:
        data = (tmp_path / entry).read_bytes()
        results = read_tree(SourceFile(path=str(tmp_path / entry), display=entry, root=str(tmp_path),
                                       data=data))
        return {os.path.basename(r.real_path): [f.span.line for f in r.findings if "cycle" in f.message]
                for r in results}

    expected = {"a.txt": [2], "b.txt": [1], "c.txt": [2], "d.txt": []}
    assert cycle_lines("a.txt") == expected
    assert cycle_lines("b.txt") == expected
    assert cycle_lines("c.txt") == expected
    (tmp_path / "requirements.txt").write_text("-r c.txt\n")
    assert cycle_lines("requirements.txt") == {**expected, "requirements.txt": []}


def test_read_tree_reads_a_shared_include_once(tmp_path: Path) -> None:
    (tmp_path / "common.txt").write_text("flask\n")
    (tmp_path / "dev.txt").write_text("-r common.txt\npytest\n")
    results = read_tree(source(tmp_path, "-r common.txt\n-r dev.txt\n"))
    assert [os.path.basename(r.real_path) for r in results] == ["requirements.txt", "common.txt", "dev.txt"]
    assert all(not r.findings for r in results)


def test_read_tree_depth_is_bounded(tmp_path: Path) -> None:
    for index in range(40):
        (tmp_path / f"r{index}.txt").write_text(f"-r r{index + 1}.txt\npkg{index}\n")
    (tmp_path / "r40.txt").write_text("last\n")
    results = read_tree(source(tmp_path, "-r r0.txt\n"), max_depth=32)
    assert len(results) == 33
    assert "deeper" in results[-1].findings[0].message


def test_constraints_file_by_name(tmp_path: Path) -> None:
    declaration = only(read_text(tmp_path, "ddtrace<3\n", name="constraints-dev.txt"))
    assert declaration.group == "constraints"


# -- files that are not requirements -----------------------------------------------------------------------

@pytest.mark.parametrize("data, line, column", [
    (b"flask==2.0\nddtrace==\xe9\n", 2, 10),
    (b"ddtrace==1.\x000\n", 1, 12),
    (b"\xff\xfe\x00\xd8", 1, 1),  # UTF-16 with a lone surrogate
])
def test_undecodable_file_is_one_ddc902(tmp_path: Path, data: bytes, line: int, column: int) -> None:
    result = read_text(tmp_path, data)
    assert codes(result) == ["DDC902"]
    assert (result.findings[0].span.line, result.findings[0].span.column) == (line, column)
    assert result.declarations == []


def test_html_page_is_one_ddc902(tmp_path: Path) -> None:
    result = read_text(tmp_path, "\n<!DOCTYPE html>\n<html><body>404</body></html>\n")
    assert codes(result) == ["DDC902"]
    assert result.findings[0].span.line == 2


def test_merge_conflict_is_one_ddc902(tmp_path: Path) -> None:
    text = "flask\n<<<<<<< HEAD\nddtrace==2.0\n=======\nddtrace==3.0\n>>>>>>> feature\n"
    result = read_text(tmp_path, text)
    assert [(f.code, f.span) for f in result.findings] == [("DDC902", Span(2, 1, 2, 8))]
    assert "merge conflict" in result.findings[0].message
    assert result.declarations == []


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    assert read_text(tmp_path, b"").declarations == []
    result = read_text(tmp_path, " \n\t\\\n\\\r\n  \\")
    assert result.declarations == [] and result.findings == []


def test_deeply_nested_marker_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    line = "ddtrace==1.0 ; " + "(" * 3000 + 'os_name == "posix"' + ")" * 3000 + "\n"
    result = read_text(tmp_path, line + "flask\n")
    assert result.findings and result.findings[0].code in ("DDC901", "DDC902")


def test_included_file_is_reopened_without_blocking(tmp_path: Path) -> None:
    # A FIFO swapped in after the include was checked: opened without blocking, refused once open.
    from ddcompat.readers.requirements import _read_regular_file

    os.mkfifo(tmp_path / "pipe.txt")
    data, problem = _read_regular_file(str(tmp_path / "pipe.txt"))
    assert data is None and "regular" in problem
    (tmp_path / "ok.txt").write_text("flask\n")
    assert _read_regular_file(str(tmp_path / "ok.txt")) == (b"flask\n", "")


# -- display paths -------------------------------------------------------------------------------------------

def test_display_path_is_relative_under_cwd_and_absolute_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    cwd = str(tmp_path)
    assert display_path(str(tmp_path / "sub" / "requirements.txt"), cwd=cwd) == "sub/requirements.txt"
    assert display_path(str(tmp_path / "sub" / ".." / "a.txt"), cwd=str(tmp_path)) == "a.txt"
    assert display_path(str(tmp_path / "sub" / "." / "x.txt"), cwd=str(tmp_path)) == "sub/x.txt"
    outside = tmp_path.parent / "elsewhere.txt"
    assert display_path(str(outside), cwd=str(tmp_path)) == str(outside)
    assert display_path(str(tmp_path), cwd=str(tmp_path)) == "."


@pytest.mark.parametrize("named", [["."], ["requirements/base.txt", "requirements/dev.txt"],
                                   ["requirements/dev.txt"]])
def test_a_cycle_between_checked_files_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        named: list[str]) -> None:
    """Regression, end to end: two requirements files that include each other and are both checked (a
    folder walk finds both) gave no DDC903 at all: each file's own walk closed the cycle in the other."""
    import json

    from ddcompat.cli import main

    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text("-r dev.txt\nflask\n")
    (tmp_path / "requirements" / "dev.txt").write_text("-r base.txt\nattrs\n")
    monkeypatch.chdir(tmp_path)
    code = main(["check", *named, "--output-format", "json", "--today", "2026-03-01"])
    findings = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in findings] == [
        ("DDC903", "requirements/base.txt", 1, 4), ("DDC903", "requirements/dev.txt", 1, 4)]
    assert all("include cycle" in f["message"] for f in findings)
