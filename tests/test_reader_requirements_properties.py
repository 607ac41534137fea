"""Properties of the requirements reader over generated text: never an exception, spans inside the file,
and the `name==1.0` fast path agrees with `packaging.requirements.Requirement`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from ddcompat.model import ReadResult, SourceFile
from ddcompat.readers._requirement_line import logical_lines
from ddcompat.readers.requirements import read

PIECES = [
    "ddtrace", "Flask_Cache", "a", "==", ">=", "<", "~=", "!=", "===", "1.0", "2.*", "latest", " ", "\t",
    "\\", "\n", "\r\n", "\r", "#", " #", ";", " ; ", 'python_version < "3.9"', "[", "]", "extra", ",", "(",
    ")", "@", " @ ", "https://example.com/ddtrace-1.0-py3-none-any.whl", "git+https://x/y.git#egg=ddtrace",
    "-r", "-c", "-e", " -r ", "--hash=sha256:ab", " --hash", "--index-url", "=", "'", '"', "./pkg", ".",
    "${VAR}", "é", "\u200b", "\x1b[31m", "\x0c", "-", "--", "--pre", "-Z", "-rfile",
]

texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
)


def check(result: ReadResult) -> None:
    if not result.text:
        return
    lines = result.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    spans = [d.span for d in result.declarations] + [f.span for f in result.findings]
    spans += [d.specifier_span for d in result.declarations if d.specifier_span is not None]
    for span in spans:
        assert 1 <= span.line <= span.end_line <= len(lines), span
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, span
        assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, span
        if span.line == span.end_line:
            assert span.column <= span.end_column, span
    for finding in result.findings:
        assert finding.code in ("DDC901", "DDC902", "DDC903")
    if any(f.code == "DDC902" for f in result.findings):
        assert len(result.findings) == 1 and not result.declarations


def source(tmp_path: Path, data: bytes) -> SourceFile:
    return SourceFile(path=str(tmp_path / "requirements.txt"), display="requirements.txt", root=str(tmp_path),
                      data=data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_any_text_gives_declarations_or_findings_with_spans_inside(tmp_path: Path, text: str) -> None:
    check(read(source(tmp_path, text.encode("utf-8", "surrogatepass"))))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_any_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    check(read(source(tmp_path, data)))


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_logical_lines_map_back_into_the_text(text: str) -> None:
    for line in logical_lines(text):
        for index in range(len(line.text)):
            assert text[line.offset(index)] == line.text[index]


names = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?", fullmatch=True)
operators = st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~=", "==="])
versions = st.one_of(
    st.from_regex(r"v?[0-9]{1,3}(\.[0-9]{1,3}){0,3}(\.\*|(a|b|rc|\.post|\.dev)[0-9]|\+[a-z0-9]{1,3})?",
                  fullmatch=True),
    st.text(alphabet="0123456789.*+!-_abcv", min_size=1, max_size=10),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, operator=operators, space=st.sampled_from(["", " ", "\t "]), version=versions)
def test_fast_path_agrees_with_packaging(tmp_path: Path, name: str, operator: str, space: str,
                                         version: str) -> None:
    line = f"{name}{space}{operator}{space}{version}"
    assume(" -" not in line)  # pip would split options off there
    result = read(source(tmp_path, line.encode()))
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        assert not result.declarations
        assert [f.code for f in result.findings] == ["DDC901"]
        return
    (declaration,) = result.declarations
    assert declaration.name == canonicalize_name(requirement.name)
    assert declaration.specifier == str(requirement.specifier)
    assert declaration.admitted == requirement.specifier.to_range()
    assert declaration.declared == f"{operator}{space}{version}"


# Pieces pip and ddcompat read alike: full option names only (ddcompat knows legacy options pip dropped,
# which changes what an abbreviation like `--use` matches), and no character `str.splitlines` breaks at
# beyond `\n`/`\r` (pip splits there, ddcompat does not, on purpose).
PIP_PIECES = [piece for piece in PIECES if piece not in ("-Z", "\x0c")] + [
    "-e ", "--editable=", "--constraint ", "-c./x.txt", "  # via x", "--no-binary :all:", "sha256:",
]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(PIP_PIECES), max_size=30).map("".join))
def test_lines_split_like_pip(text: str) -> None:
    import contextlib
    import io

    from test_reader_requirements_corpus import our_lines, pip_lines

    with contextlib.redirect_stderr(io.StringIO()):
        theirs = pip_lines(text)
    assert our_lines(text) == theirs
