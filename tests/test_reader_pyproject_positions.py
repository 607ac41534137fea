"""The TOML position index: exact offsets for every TOML form, agreement with tomllib on the whole corpus
and on generated documents, and readers that never raise and never point outside the file."""

from __future__ import annotations

import random
import string
import sys
from pathlib import Path as FsPath
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, require
from ddcompat.model import ReadResult, SourceFile, Span
from ddcompat.readers import pipfile, pyproject
from ddcompat.readers._text import LineIndex, decode
from ddcompat.readers._toml_positions import Located, TomlDocument, decode_string, index, load

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in leaves(value, (*path, key))]
    if isinstance(data, list):
        return [leaf for number, value in enumerate(data) for leaf in leaves(value, (*path, number))]
    return [(path, data)]


def assert_index_agrees(text: str) -> None:
    """Every value tomllib parses is found, and every string decodes to tomllib's value."""
    data = tomllib.loads(text)
    found = index(text)
    assert index(text, fast=False) == found  # the fast path changes the speed, never an offset
    for path, value in leaves(data):
        assert path in found, path
        located = found[path]
        if isinstance(value, str):
            assert located.string == value, (path, located)
            assert decode_string(text, located)[0] == value


def snippet(text: str, start: int, end: int) -> str:
    return text[start:end]


# -- unit cases -------------------------------------------------------------------------------------
def test_paths_and_offsets_of_the_common_forms() -> None:
    text = (
        '[project]\n'
        'dependencies = [\n'
        '    "a>=1",  # c\n'
        "    'b',\n"
        ']\n'
        '[tool.poetry.dependencies]\n'
        'x = { version = "^1", extras = ["s"] }\n'
        'y.version = "2"\n'
        '[[package]]\n'
        'name = "p0"\n'
        '[[package]]\n'
        'name = "p1"\n'
        '[package.deps]\n'
        '"quoted key" = "v"\n'
    )
    found = index(text)
    first = found[("project", "dependencies", 0)]
    assert snippet(text, first.content_start, first.content_end) == "a>=1"
    assert snippet(text, first.start, first.end) == '"a>=1"'
    second = found[("project", "dependencies", 1)]
    assert second.kind == "literal" and second.string == "b"
    entry = found[("tool", "poetry", "dependencies", "x")]
    assert entry.kind == "inline-table"
    assert snippet(text, entry.start, entry.end) == 'x = { version = "^1", extras = ["s"] }'
    version = found[("tool", "poetry", "dependencies", "x", "version")]
    assert snippet(text, version.content_start, version.content_end) == "^1"
    assert found[("tool", "poetry", "dependencies", "x", "extras", 0)].string == "s"
    dotted = found[("tool", "poetry", "dependencies", "y")]
    assert dotted.kind == "implicit" and snippet(text, dotted.start, dotted.end) == 'y.version = "2"'
    assert found[("package", 0, "name")].string == "p0"
    assert found[("package", 1, "name")].string == "p1"
    assert found[("package", 1, "deps", "quoted key")].string == "v"
    header = found[("tool", "poetry", "dependencies")]
    assert header.kind == "table"
    assert snippet(text, header.start, header.end) == "[tool.poetry.dependencies]"
    assert_index_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        'a = """\nline1\nline2"""\n',
        'a = """ends with quotes"""""\n',
        "a = '''ends with quote''''\n",
        'a = """\\\n    trimmed \\\n  words"""\n',
        'a = "esc \\" \\\\ \\u00e9 \\U0001F600 \\t"\n',
        "a = 'C:\\path\\no\\escape'\n",
        'a = [ [1, 2], ["x", ["y"]], ]\n',
        'a = { b = { c = "deep" } }\n',
        'a = 1979-05-27 07:32:00Z\nb = "after"\n',
        'a = 1979-05-27\nb = "after date"\n',
        'a = -inf\nb = +1_000\nc = 0xff_ff\nd = 1e-3\ne = true\n',
        '"a.b" . c = "dotted quoted"\n',
        "[ a . 'b' ]\nc = 'spaced header'\n",
        'a = [\n  # comment\n  "x", # trailing\n  # another\n  "y"\n]\n',
        'a = "x"\r\nb = """\r\nmulti\r\nline"""\r\n',
        "[[a]]\n[[a.b]]\nc = 'x'\n[[a.b]]\nc = 'y'\n[[a]]\n[[a.b]]\nc = 'z'\n",
    ],
)
def test_index_agrees_with_tomllib(text: str) -> None:
    assert_index_agrees(text)


def test_substring_span_maps_through_escapes() -> None:
    text = 'a = "x\\u00e9>=1.0"\n'
    doc = TomlDocument(text, tomllib.loads(text))
    located = doc.locate(("a",), "xé>=1.0")
    assert located is not None
    assert doc.substring_span(located, 1, 2) == Span(1, 7, 1, 13)  # the escape is six characters
    assert doc.substring_span(located, 2, 7) == Span(1, 13, 1, 18)
    assert doc.substring_span(located, 7, 7) == Span(1, 18, 1, 18)


def test_locate_refuses_a_disagreeing_value_and_nearest_falls_back() -> None:
    text = '[tool.poetry.dependencies]\nddtrace = "^2"\n'
    doc = TomlDocument(text, tomllib.loads(text))
    assert doc.locate(("tool", "poetry", "dependencies", "ddtrace"), "^3") is None
    nearest = doc.locate_nearest(("tool", "poetry", "dependencies", "ddtrace", "version"))
    assert nearest.string == "^2"
    assert doc.locate_nearest(("nothing",)) == Located(0, 0, 0, 0, 0, 0, "document")


def test_a_disagreeing_fast_scan_falls_back_to_the_exact_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat.readers import _toml_positions

    real_index = _toml_positions.index
    calls: list[bool] = []

    def wrong_when_fast(text: str, *, fast: bool = True) -> dict[Any, Located]:
        calls.append(fast)
        found = real_index(text, fast=fast)
        if fast:  # a fast scan that got one offset wrong
            path = ("project", "dependencies", 0)
            found[path] = found[path]._replace(content_start=0, string="something else")
        return found

    monkeypatch.setattr(_toml_positions, "index", wrong_when_fast)
    text = '[project]\ndependencies = ["ddtrace>=2"]\n'
    doc = TomlDocument(text, tomllib.loads(text))
    assert doc.locate(("project", "missing")) is None and calls == [True]  # absent: no rescan
    located = doc.locate(("project", "dependencies", 0), "ddtrace>=2")
    assert located is not None and calls == [True, False]
    assert text[located.content_start : located.content_end] == "ddtrace>=2"
    result = pyproject.read(SourceFile("/x/pyproject.toml", "pyproject.toml", "/x", text.encode()))
    assert result.declarations[0].span == Span(2, 18, 2, 28)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a = [1,\nb", 2, 1),
        ("a = 1\n[", 2, 2),
        ('a = "unclosed\n', 1, 14),
        ("a = 1\na = 2\n", 2, 6),
    ],
)
def test_load_reports_the_parser_position(text: str, line: int, column: int) -> None:
    data, finding = load(text, "f.toml")
    assert data is None and finding is not None
    assert finding.code == "DDC902" and (finding.span.line, finding.span.column) == (line, column)
    assert "(at line" not in finding.message


# -- the shared corpus ------------------------------------------------------------------------------
def corpus_files(kinds: set[str]) -> list[FsPath]:
    manifest = require(CORPUS / "MANIFEST.tsv")
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    paths = [CORPUS / row[0] for row in rows if len(row) > 4 and row[4] in kinds]
    return [path for path in paths if path.exists()]


TOML_KINDS = {"pyproject", "pipfile", "poetry.lock", "uv.lock"}


def test_index_agrees_with_tomllib_on_every_corpus_toml_file() -> None:
    checked = 0
    for path in corpus_files(TOML_KINDS):
        try:
            text = decode(path.read_bytes()).text
            tomllib.loads(text)
        except Exception:  # undecodable or invalid TOML: the readers report DDC902 for those
            continue
        assert_index_agrees(text)
        checked += 1
    assert checked > 50


def assert_spans_inside(result: ReadResult) -> None:
    lines = LineIndex(result.text)
    spans: list[Span] = [d.span for d in result.declarations]
    spans += [d.specifier_span for d in result.declarations if d.specifier_span is not None]
    spans += [p.span for p in result.pythons] + [p.span for p in result.platforms]
    spans += [p.specifier_span for p in result.pythons if p.specifier_span is not None]
    spans += [f.span for f in result.findings]
    if not result.text:  # undecodable: no text, one DDC902 at the first bad byte
        assert not result.declarations and [f.code for f in result.findings] in ([], ["DDC902"])
        return
    for span in spans:
        assert 1 <= span.line <= span.end_line <= lines.line_count, span
        assert 1 <= span.column <= len(lines.line_text(span.line)) + 1, span
        assert span.end_column <= len(lines.line_text(span.end_line)) + 1, span
        if span.line == span.end_line:
            assert span.column <= span.end_column, span


Reader = Callable[[SourceFile], ReadResult]
READERS: dict[str, Reader] = {"pyproject": pyproject.read, "pipfile": pipfile.read}


@pytest.mark.parametrize("kind", sorted(READERS))
def test_every_corpus_file_reads_without_an_exception(kind: str) -> None:
    files = corpus_files({kind})
    if not files:
        pytest.skip("no corpus files of this kind")
    for path in files:
        result = READERS[kind](SourceFile(str(path), path.name, str(CORPUS), path.read_bytes()))
        assert result.kind == kind
        assert_spans_inside(result)
        for declaration in result.declarations:
            assert declaration.name
            if declaration.specifier_span is not None and declaration.declared and kind == "pyproject":
                # The specifier span covers exactly what was declared (it is what --fix rewrites).
                lines = LineIndex(result.text)
                span = declaration.specifier_span
                start = lines.line_start(span.line) + span.column - 1
                end = lines.line_start(span.end_line) + span.end_column - 1
                raw = result.text[start:end]
                assert raw == declaration.declared or "\\" in raw, (path, raw, declaration)


def test_corpus_ddtrace_declarations_are_found() -> None:
    """The corpus manifest says where each real file declares ddtrace; the reader finds it there."""
    manifest = require(CORPUS / "MANIFEST.tsv")
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    checked = 0
    for row in rows:
        if len(row) < 6 or row[4] not in READERS or not row[0].startswith("real/"):
            continue
        spec = row[5]
        if not spec or spec == "-" or "outside" in spec:
            continue
        path = CORPUS / row[0]
        if not path.exists():
            continue
        result = READERS[row[4]](SourceFile(str(path), path.name, str(CORPUS), path.read_bytes()))
        assert any(d.name == "ddtrace" for d in result.declarations), (row[0], spec)
        checked += 1
    if checked == 0:
        pytest.skip("no real pyproject/Pipfile declaring ddtrace in the corpus")


# -- generated documents ----------------------------------------------------------------------------
KEYS = st.sampled_from(
    ["project", "dependencies", "tool", "poetry", "ddtrace", "version", "python", "markers", "group",
     "dev", "optional-dependencies", "dependency-groups", "packages", "a b", "é", "x.y", "1"]
)
STRINGS = st.one_of(
    st.sampled_from(["ddtrace>=2", "^1.2", "*", "ddtrace[x] (>=1) ; python_version<'3.9'", "", "'", '"',
                     "a\\b", "line\nbreak", "tab\there", "'''", '"""', "ddtrace==latest", "1.2.3"]),
    st.text(max_size=12),
)
SCALARS = st.one_of(STRINGS, st.integers(-10, 10**6), st.booleans())
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=5)


def toml_key(key: str) -> str:
    if key and all(char in string.ascii_letters + string.digits + "_-" for char in key):
        return key
    return basic(key)


def basic(value: str) -> str:
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_string(value: str, rng: random.Random) -> str:
    controls = any((ord(char) < 0x20 and char != "\t") or ord(char) == 0x7F for char in value)
    style = rng.choice(["basic", "literal", "ml-basic", "ml-literal"])
    if style == "literal" and "'" not in value and not controls:
        return f"'{value}'"
    if style == "ml-literal" and "'" not in value and not any(
        (ord(char) < 0x20 and char not in "\t\n") or ord(char) == 0x7F for char in value
    ):
        return f"'''\n{value}'''"
    if style == "ml-basic":
        body = basic(value)[1:-1].replace("\\u000a", "\n")
        return f'"""\n{body}"""'
    return basic(value)


def toml_value(value: Any, rng: random.Random) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value, rng)
    if isinstance(value, list):
        gap = rng.choice([" ", "\n  ", "\n  # note\n  "])
        items = [toml_value(item, rng) for item in value]
        trailing = "," if items and rng.random() < 0.5 else ""
        return "[" + gap + ("," + gap).join(items) + trailing + gap + "]"
    pairs = [f"{toml_key(key)} = {toml_value(item, rng)}" for key, item in value.items()]
    return "{ " + ", ".join(pairs) + " }" if pairs else "{}"


def toml_document(data: dict[str, Any], rng: random.Random) -> str:
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict) and rng.random() < 0.6:
            tables.append((toml_key(key), value))
        else:
            comment = "  # why" if rng.random() < 0.3 else ""
            lines.append(f"{toml_key(key)} = {toml_value(value, rng)}{comment}")
    for header, table in tables:
        lines.append(f"[{header}]")
        lines.extend(f"{toml_key(key)} = {toml_value(value, rng)}" for key, value in table.items())
    return "\n".join(lines) + "\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.randoms(use_true_random=False), st.booleans())
def test_generated_documents_index_exactly_and_read_safely(
    data: dict[str, Any], rng: random.Random, crlf: bool
) -> None:
    text = toml_document(data, rng)
    if crlf:
        text = text.replace("\n", "\r\n")
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # the generator wrote something TOML does not allow (a key repeated by a header)
    assert parsed == data or crlf
    assert_index_agrees(text)
    for read in READERS.values():
        assert_spans_inside(read(SourceFile("/x/f", "f", "/x", text.encode())))


POETRY_SHAPED = st.fixed_dictionaries(
    {"tool": st.fixed_dictionaries({"poetry": st.fixed_dictionaries({"dependencies": st.dictionaries(
        st.sampled_from(["ddtrace", "django", "python", "bad name", "flask"]),
        st.one_of(STRINGS, st.dictionaries(st.sampled_from(["version", "python", "markers", "git", "extras"]),
                                           SCALARS, max_size=3),
                  st.lists(st.dictionaries(st.sampled_from(["version", "python"]), STRINGS, max_size=2),
                           max_size=2)),
        max_size=4)})})}
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(POETRY_SHAPED, st.randoms(use_true_random=False))
def test_generated_poetry_tables_give_declarations_or_findings(
    data: dict[str, Any], rng: random.Random
) -> None:
    text = toml_document(data, rng)
    result = pyproject.read(SourceFile("/x/pyproject.toml", "pyproject.toml", "/x", text.encode()))
    assert_spans_inside(result)
    table = data["tool"]["poetry"]["dependencies"]
    # Each entry gives exactly one declaration or one DDC901: one per alternative of a list, one for a
    # key that is no package name; `python` gives a Python declaration or a DDC901.
    expected = 0
    for key, value in table.items():
        if key == "python":
            continue
        expected += 1 if key == "bad name" or not isinstance(value, list) else len(value)
    python_findings = 1 if "python" in table and not result.pythons else 0
    produced = len(result.declarations) + sum(1 for f in result.findings if f.code == "DDC901")
    assert produced == expected + python_findings, (text, result.findings)


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(data: bytes) -> None:
    for read in READERS.values():
        assert_spans_inside(read(SourceFile("/x/f", "f", "/x", data)))


@st.composite
def statement_documents(draw: st.DrawFn) -> str:
    """Documents made of headers, arrays of tables and dotted keys, in any order, with odd spacing."""
    rng = draw(st.randoms(use_true_random=False))
    lines: list[str] = []
    for number in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["header", "array", "entry", "entry", "dotted"]))
        dot = draw(st.sampled_from([".", " . ", "\t.\t"]))
        if kind == "header":
            keys = [toml_key(draw(KEYS) + f"h{number}"), toml_key(draw(KEYS))]
            lines.append(f"[{dot.join(keys)}]")
        elif kind == "array":
            lines.append(f"[[ {draw(st.sampled_from(['pkg', 'pkg.sub', 'pkg . sub', 'other']))} ]]")
        else:
            key = toml_key(draw(KEYS) + f"k{number}")
            if kind == "dotted":
                key = dot.join([key, toml_key(draw(KEYS)), toml_key(draw(KEYS))])
            gap = draw(st.sampled_from(["=", " = ", "\t=  "]))
            lines.append(f"{key}{gap}{toml_value(draw(VALUES), rng)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(statement_documents())
def test_generated_statements_index_exactly(text: str) -> None:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # e.g. an array of tables named like an existing table
    assert_index_agrees(text)
    result = pyproject.read(SourceFile("/x/pyproject.toml", "pyproject.toml", "/x", text.encode()))
    assert_spans_inside(result)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n\r", max_size=30), st.data())
def test_line_index_span_agrees_with_two_positions(text: str, data: st.DataObject) -> None:
    """`span` takes a shortcut when both ends are on one line; it must give what two lookups give."""
    index = LineIndex(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert index.span(start, end) == (*index.position(start), *index.position(end))
