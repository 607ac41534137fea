"""pyproject.toml reader: every kind of declaration, with exact spans, and the findings for broken files."""

from __future__ import annotations

import textwrap
from typing import Optional

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

from ddcompat.model import Declaration, ReadResult, SourceFile, Span
from ddcompat.readers import pyproject
from ddcompat.readers._text import LineIndex


def read_text(text: str, data: Optional[bytes] = None) -> ReadResult:
    raw = data if data is not None else text.encode("utf-8")
    return pyproject.read(SourceFile(path="/p/pyproject.toml", display="pyproject.toml", root="/p", data=raw))


def at(result: ReadResult, span: Span) -> str:
    """The text a span covers in the result's text."""
    lines = LineIndex(result.text)
    start = lines.line_start(span.line) + span.column - 1
    end = lines.line_start(span.end_line) + span.end_column - 1
    return result.text[start:end]


def one(result: ReadResult, name: str, group: Optional[str] = None) -> Declaration:
    found = [d for d in result.declarations if d.name == name and (group is None or d.group == group)]
    assert len(found) == 1, found
    return found[0]


PEP621 = textwrap.dedent("""\
    [project]
    name = "demo"
    requires-python = ">=3.9"
    dependencies = [
        "requests>=2.31",      # HTTP
        'ddtrace [opentracing] >= 2.0 , <3 ; python_version < "3.12"',
        # a comment between entries
        "rich",
        "foo @ https://example.com/foo-1.0.tar.gz",
        '''Flask_Cache (>=0.13)''',
    ]

    [project.optional-dependencies]
    web = ["django~=4.2", "aiopg==1.4.0"]
    """)


def test_pep621_dependencies_positions() -> None:
    result = read_text(PEP621)
    assert result.kind == "pyproject" and not result.findings
    requests = one(result, "requests")
    assert requests.span == Span(5, 6, 5, 20)
    assert at(result, requests.span) == "requests>=2.31"
    assert requests.specifier_span == Span(5, 14, 5, 20)
    assert requests.specifier == ">=2.31" and requests.group == "dependencies"
    assert requests.admitted == SpecifierSet(">=2.31").to_range()

    ddtrace = one(result, "ddtrace")
    assert ddtrace.span == Span(6, 6, 6, 65)
    assert ddtrace.specifier_span is not None
    assert at(result, ddtrace.specifier_span) == ">= 2.0 , <3"
    assert ddtrace.declared == ">= 2.0 , <3" and ddtrace.extras == ("opentracing",)
    assert ddtrace.marker == Marker('python_version < "3.12"')
    assert ddtrace.admitted == SpecifierSet(">=2.0,<3").to_range() and ddtrace.has_specifier


def test_bare_name_gets_an_insertion_point_and_direct_reference_none() -> None:
    result = read_text(PEP621)
    rich = one(result, "rich")
    assert rich.span == Span(8, 6, 8, 10)
    assert rich.specifier_span == Span(8, 10, 8, 10)  # zero-width, right after the name
    assert not rich.has_specifier and rich.specifier == ""
    foo = one(result, "foo")
    assert foo.is_direct_reference and foo.specifier_span is None and not foo.has_specifier


def test_literal_multiline_string_and_parenthesised_specifier() -> None:
    result = read_text(PEP621)
    cache = one(result, "flask-cache")
    assert cache.raw_name == "Flask_Cache"
    assert cache.span == Span(10, 8, 10, 28)
    assert cache.specifier_span is not None and at(result, cache.specifier_span) == ">=0.13"


def test_optional_dependencies_group_and_requires_python() -> None:
    result = read_text(PEP621)
    assert one(result, "django").group == "optional:web"
    aiopg = one(result, "aiopg")
    assert aiopg.span == Span(14, 24, 14, 36) and aiopg.specifier_span == Span(14, 29, 14, 36)
    (python,) = result.pythons
    assert python.kind == "requires-python" and python.specifier == ">=3.9"
    assert python.span == Span(3, 20, 3, 25) and python.specifier_span == Span(3, 20, 3, 25)
    assert python.admitted == SpecifierSet(">=3.9").to_range()


def test_declarations_are_in_file_order() -> None:
    result = read_text(PEP621)
    positions = [(d.span.line, d.span.column) for d in result.declarations]
    assert positions == sorted(positions)


def test_crlf_and_bom_keep_columns() -> None:
    text = PEP621.replace("\n", "\r\n")
    result = read_text(text, b"\xef\xbb\xbf" + text.encode())
    assert result.has_bom and result.newline == "\r\n" and result.encoding == "utf-8-sig"
    assert one(result, "requests").span == Span(5, 6, 5, 20)
    assert one(result, "aiopg").specifier_span == Span(14, 29, 14, 36)


def test_escapes_inside_a_requirement_string() -> None:
    result = read_text('[project]\ndependencies = ["ddtrace\\u003e=2.0"]\n')
    ddtrace = one(result, "ddtrace")
    assert ddtrace.specifier == ">=2.0"
    assert ddtrace.span == Span(2, 18, 2, 35)
    # `\u003e` is six characters in the file for one in the value.
    assert ddtrace.specifier_span == Span(2, 25, 2, 35)


def test_multiline_basic_string_entry() -> None:
    result = read_text('[project]\ndependencies = [\n"""\nddtrace>=2.1"""]\n')
    ddtrace = one(result, "ddtrace")
    assert ddtrace.span == Span(3, 4, 4, 13)
    assert ddtrace.specifier_span == Span(4, 8, 4, 13)


def test_invalid_requirement_is_ddc901_at_the_string() -> None:
    result = read_text('[project]\ndependencies = ["ok", "ddtrace==latest", 3]\n')
    assert [d.name for d in result.declarations] == ["ok"]
    codes = [(f.code, f.span) for f in result.findings]
    assert codes == [("DDC901", Span(2, 24, 2, 39)), ("DDC901", Span(2, 42, 2, 43))]
    assert "ddtrace==latest" in result.findings[0].message


def test_dependency_groups_and_include_group() -> None:
    text = textwrap.dedent("""\
        [dependency-groups]
        test = ["pytest>=8", {include-group = "lint"}]
        lint = ["ruff"]
        docs = [{include-group = "missing"}]
        """)
    result = read_text(text)
    assert one(result, "pytest").group == "group:test"
    assert one(result, "pytest").span == Span(2, 10, 2, 19)
    assert one(result, "ruff").group == "group:lint"
    (missing,) = result.findings
    assert missing.code == "DDC903" and "missing" in missing.message
    assert at(result, missing.span) == '{include-group = "missing"}'


def test_include_group_cycle_is_one_ddc903() -> None:
    text = textwrap.dedent("""\
        [dependency-groups]
        a = ["x", {include-group = "b"}]
        b = [{include-group = "c"}]
        c = [{include-group = "A"}]
        """)
    result = read_text(text)
    (cycle,) = result.findings
    assert cycle.code == "DDC903" and cycle.span.line == 4
    assert "a -> b -> c -> a" in cycle.message
    assert at(result, cycle.span) == '{include-group = "A"}'


POETRY = textwrap.dedent("""\
    [tool.poetry]
    name = "demo"

    [tool.poetry.dependencies]
    python = "^3.9"
    ddtrace = "^2.8.5"
    celery = { version = "^5.3", python = ">=3.8,<3.12", markers = "sys_platform == 'linux'", extras = ["redis"] }
    numpy = [
        {version = "<1.25", python = "<3.9"},
        {version = "^1.26", python = ">=3.9"},
    ]
    mylib = { git = "https://github.com/x/y.git", tag = "v1" }
    anything = "*"
    pinned = "1.2.3"
    either = "^1.2 || ^2.0"
    aiopg.version = "~0.15"

    [tool.poetry.dependencies.django]
    version = "~4.2.1"
    optional = true

    [tool.poetry.dev-dependencies]
    black = "^23"

    [tool.poetry.group.test.dependencies]
    pytest = ">=7 <9"
    """)  # noqa: E501


def test_poetry_string_constraint_positions() -> None:
    result = read_text(POETRY)
    ddtrace = one(result, "ddtrace")
    assert ddtrace.span == Span(6, 1, 6, 19)
    assert at(result, ddtrace.span) == 'ddtrace = "^2.8.5"'
    assert ddtrace.specifier_span == Span(6, 12, 6, 18)
    assert ddtrace.declared == "^2.8.5" and ddtrace.specifier == ">=2.8.5,<3"
    assert ddtrace.admitted == SpecifierSet(">=2.8.5,<3").to_range()


def test_poetry_table_with_python_and_markers() -> None:
    result = read_text(POETRY)
    celery = one(result, "celery")
    line = POETRY.splitlines()[6]
    assert celery.span == Span(7, 1, 7, len(line) + 1) and at(result, celery.span) == line
    assert celery.specifier_span is not None and at(result, celery.specifier_span) == "^5.3"
    assert celery.extras == ("redis",)
    assert celery.marker == Marker(
        '(python_version >= "3.8" and python_version < "3.12") and (sys_platform == "linux")'
    )


def test_poetry_multiple_constraints_give_one_declaration_each() -> None:
    result = read_text(POETRY)
    first, second = sorted((d for d in result.declarations if d.name == "numpy"), key=lambda d: d.span.line)
    assert at(result, first.span) == '{version = "<1.25", python = "<3.9"}'
    assert first.span == Span(9, 5, 9, 41)
    assert first.marker == Marker('python_version < "3.9"')
    assert second.specifier == ">=1.26,<2" and second.marker == Marker('python_version >= "3.9"')
    assert second.specifier_span is not None and at(result, second.specifier_span) == "^1.26"


def test_poetry_direct_any_exact_union_dotted_and_subtable() -> None:
    result = read_text(POETRY)
    mylib = one(result, "mylib")
    assert mylib.is_direct_reference and mylib.specifier_span is None and not mylib.has_specifier
    anything = one(result, "anything")
    assert not anything.has_specifier and anything.specifier == ""
    assert anything.specifier_span is not None and at(result, anything.specifier_span) == "*"
    assert one(result, "pinned").specifier == "==1.2.3"
    either = one(result, "either")
    assert either.specifier == ">=1.2,<2 || >=2.0,<3"
    assert "1.5" in either.admitted and "2.5" in either.admitted and "3.0" not in either.admitted
    aiopg = one(result, "aiopg")
    assert at(result, aiopg.span) == 'aiopg.version = "~0.15"'
    assert aiopg.specifier_span is not None and at(result, aiopg.specifier_span) == "~0.15"
    django = one(result, "django")
    assert at(result, django.span) == "[tool.poetry.dependencies.django]"
    assert django.specifier == ">=4.2.1,<4.3"
    assert django.specifier_span is not None and at(result, django.specifier_span) == "~4.2.1"


def test_poetry_groups_and_python() -> None:
    result = read_text(POETRY)
    assert one(result, "black").group == "group:dev"
    pytest_ = one(result, "pytest")
    assert pytest_.group == "group:test" and pytest_.specifier == ">=7,<9"
    (python,) = result.pythons
    assert python.kind == "poetry-python" and python.declared == "^3.9" and python.specifier == ">=3.9,<4"
    assert python.span == Span(5, 11, 5, 15) and python.specifier_span == Span(5, 11, 5, 15)
    assert not any(d.name == "python" for d in result.declarations)
    assert not result.findings


def test_poetry_invalid_constraint_is_ddc901_at_the_constraint() -> None:
    result = read_text('[tool.poetry.dependencies]\nddtrace = "latest"\nflask = {version = "^x"}\n')
    assert [(f.code, f.span) for f in result.findings] == [
        ("DDC901", Span(2, 12, 2, 18)),
        ("DDC901", Span(3, 21, 3, 23)),
    ]
    assert result.findings[0].package == "ddtrace"


def test_pdm_and_uv_sections() -> None:
    text = textwrap.dedent("""\
        [tool.pdm.dev-dependencies]
        test = ["pytest>=7", "-e file:///${PROJECT_ROOT}/sub"]

        [tool.uv]
        dev-dependencies = ["ddtrace>=2"]
        constraint-dependencies = ["grpcio<1.60"]
        override-dependencies = ["protobuf==4.25.0"]
        environments = ["sys_platform == 'linux'", "sys_platform == 'darwin'"]
        """)
    result = read_text(text)
    assert one(result, "pytest").group == "group:test"
    assert one(result, "ddtrace").group == "group:dev"
    assert one(result, "ddtrace").span == Span(5, 22, 5, 32)
    assert one(result, "grpcio").group == "uv:constraints"
    assert one(result, "protobuf").group == "uv:overrides"
    assert [p.marker for p in result.platforms] == [Marker('sys_platform == "linux"'),
                                                     Marker('sys_platform == "darwin"')]
    assert result.platforms[1].span == Span(8, 45, 8, 69)
    assert not result.findings


def test_pdm_dev_dependencies_as_a_key_of_tool_pdm() -> None:
    result = read_text('[tool.pdm]\ndev-dependencies = { lint = ["ruff>=0.5"] }\n')
    ruff = one(result, "ruff")
    assert ruff.group == "group:lint" and ruff.span == Span(2, 31, 2, 40)


def test_a_ddtrace_key_outside_dependency_tables_is_not_a_dependency() -> None:
    text = '[tool.pytest.ini_options]\nddtrace = true\n[tool.other]\nddtrace = "^1"\n'
    result = read_text(text)
    assert result.declarations == [] and result.findings == []


def test_tool_ddcompat_is_the_raw_config() -> None:
    result = read_text('[tool.ddcompat]\npython = "3.11"\nignore = ["DDC304"]\n')
    assert result.tool_config == {"python": "3.11", "ignore": ["DDC304"]}
    assert read_text("[project]\n").tool_config is None


def test_invalid_toml_is_one_ddc902_at_the_parser_position() -> None:
    result = read_text('[project]\ndependencies = [\n  "ddtrace==1.20.0",\n  oops\n]\n')
    (finding,) = result.findings
    assert finding.code == "DDC902" and finding.span.line == 4 and finding.span.column == 3
    assert "invalid TOML" in finding.message
    assert result.declarations == []


def test_deep_nesting_is_ddc902_not_a_crash() -> None:
    result = read_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert [f.code for f in result.findings] == ["DDC902"]


def test_undecodable_bytes_are_ddc902() -> None:
    result = read_text("", b"[project]\nname = \"\xe9\"\n")
    (finding,) = result.findings
    assert finding.code == "DDC902" and finding.span.line == 2


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "[project]\n", "[tool.poetry]\n"])
def test_files_without_dependencies(text: str) -> None:
    result = read_text(text)
    assert result.declarations == [] and result.findings == [] and result.pythons == []


def test_self_include_is_a_cycle() -> None:
    result = read_text('[dependency-groups]\na = [{include-group = "a"}]\n')
    (finding,) = result.findings
    assert finding.code == "DDC903" and "a -> a" in finding.message and finding.span == Span(2, 6, 2, 27)


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ('[tool.poetry.dependencies]\nx = {version = "^1", markers = 3}\n', "markers", Span(2, 32, 2, 33)),
        ('[tool.poetry.dependencies]\nx = {version = "^1", python = "^"}\n', "python", Span(2, 32, 2, 33)),
        ('[tool.poetry]\ndependencies = []\n', "must be a table", Span(2, 16, 2, 18)),
        ('[tool.uv]\nenvironments = ["bogus =="]\n', "environment marker", Span(2, 18, 2, 26)),
        ('[project]\nrequires-python = ">=three"\n', "Python specifier", Span(2, 20, 2, 27)),
    ],
)
def test_wrong_values_are_ddc901_at_the_value(text: str, message: str, span: Span) -> None:
    result = read_text(text)
    (finding,) = result.findings
    assert finding.code == "DDC901" and message in finding.message and finding.span == span
    assert result.declarations == []
