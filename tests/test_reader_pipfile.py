"""Pipfile reader: categories, string and table values, marker keys, `[requires]`, exact spans."""

from __future__ import annotations

import textwrap
from typing import Optional

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

from ddcompat.model import Declaration, ReadResult, SourceFile, Span
from ddcompat.readers import pipfile
from ddcompat.readers._text import LineIndex


def read_text(text: str, data: Optional[bytes] = None) -> ReadResult:
    raw = data if data is not None else text.encode("utf-8")
    return pipfile.read(SourceFile(path="/p/Pipfile", display="Pipfile", root="/p", data=raw))


def at(result: ReadResult, span: Span) -> str:
    lines = LineIndex(result.text)
    start = lines.line_start(span.line) + span.column - 1
    end = lines.line_start(span.end_line) + span.end_column - 1
    return result.text[start:end]


def one(result: ReadResult, name: str) -> Declaration:
    found = [d for d in result.declarations if d.name == name]
    assert len(found) == 1, found
    return found[0]


PIPFILE = textwrap.dedent("""\
    [[source]]
    url = "https://pypi.org/simple"
    verify_ssl = true
    name = "pypi"

    [packages]
    requests = "*"
    Django = "==4.2"
    flask = '>=1.0,<2'
    ddtrace = {version = ">=2.0", markers = "python_version >= '3.8'", extras = ["opentracing"]}
    mylib = {git = "https://github.com/x/y.git", ref = "main", editable = true}
    pywin32 = {version = "*", sys_platform = "== 'win32'"}
    numpy = "1.26"
    "requests-oauthlib[signals]" = ">=1"

    [dev-packages]
    pytest = "*"  # tests

    [tests]
    hypothesis = ">=6"

    [requires]
    python_version = "3.11"

    [scripts]
    serve = "python -m app"
    """)


def test_string_values_and_positions() -> None:
    result = read_text(PIPFILE)
    assert result.kind == "pipfile" and not result.findings
    requests = one(result, "requests")
    assert requests.span == Span(7, 1, 7, 15) and at(result, requests.span) == 'requests = "*"'
    assert requests.specifier_span == Span(7, 13, 7, 14)  # the `*`: what a fix replaces
    assert not requests.has_specifier and requests.specifier == "" and requests.declared == "*"
    django = one(result, "django")
    assert django.raw_name == "Django" and django.specifier == "==4.2" and django.group == "packages"
    assert django.specifier_span is not None and at(result, django.specifier_span) == "==4.2"
    flask = one(result, "flask")
    assert flask.specifier_span == Span(9, 10, 9, 18)
    assert flask.admitted == SpecifierSet(">=1.0,<2").to_range()


def test_table_values_markers_and_extras() -> None:
    result = read_text(PIPFILE)
    ddtrace = one(result, "ddtrace")
    assert ddtrace.span.line == 10 and at(result, ddtrace.span).startswith("ddtrace = {version")
    assert ddtrace.specifier_span is not None and at(result, ddtrace.specifier_span) == ">=2.0"
    assert ddtrace.marker == Marker("python_version >= '3.8'") and ddtrace.extras == ("opentracing",)
    pywin32 = one(result, "pywin32")
    assert pywin32.marker == Marker("sys_platform == 'win32'") and not pywin32.has_specifier


def test_direct_reference_bare_version_and_extras_in_the_key() -> None:
    result = read_text(PIPFILE)
    mylib = one(result, "mylib")
    assert mylib.is_direct_reference and mylib.specifier_span is None and not mylib.has_specifier
    numpy = one(result, "numpy")
    assert numpy.specifier == "==1.26" and numpy.declared == "1.26"
    assert numpy.specifier_span is not None and at(result, numpy.specifier_span) == "1.26"
    oauth = one(result, "requests-oauthlib")
    assert oauth.extras == ("signals",) and oauth.specifier == ">=1"


def test_categories_and_non_categories() -> None:
    result = read_text(PIPFILE)
    assert one(result, "pytest").group == "dev-packages"
    assert one(result, "hypothesis").group == "tests"
    names = {d.name for d in result.declarations}
    assert "serve" not in names and "url" not in names and "python-version" not in names


def test_requires_python_version() -> None:
    result = read_text(PIPFILE)
    (python,) = result.pythons
    assert python.kind == "pipfile-python" and python.specifier == "==3.11.*" and python.declared == "3.11"
    assert python.span == Span(23, 19, 23, 23) and python.specifier_span == python.span
    assert python.admitted == SpecifierSet("==3.11.*").to_range()


def test_python_full_version_wins() -> None:
    result = read_text('[requires]\npython_version = "3.11"\npython_full_version = "3.11.4"\n')
    (python,) = result.pythons
    assert python.specifier == "==3.11.4" and python.span.line == 3


def test_invalid_values_are_ddc901_at_their_place() -> None:
    text = (
        '[packages]\nbad = "latest"\n"_x" = "*"\nworse = {version = 3}\n'
        'm = {version="*", markers="nope"}\n'
    )
    result = read_text(text)
    assert result.declarations == []
    assert [(f.code, f.span) for f in result.findings] == [
        ("DDC901", Span(2, 8, 2, 14)),
        ("DDC901", Span(3, 1, 3, 5)),
        ("DDC901", Span(4, 20, 4, 21)),
        ("DDC901", Span(5, 28, 5, 32)),
    ]


def test_crlf_bom() -> None:
    text = PIPFILE.replace("\n", "\r\n")
    result = read_text(text, b"\xef\xbb\xbf" + text.encode())
    assert result.has_bom and result.newline == "\r\n"
    assert one(result, "flask").specifier_span == Span(9, 10, 9, 18)


@pytest.mark.parametrize("text", ['[packages]\nddtrace = "==1.9.0"\nddtrace = "==2.1.0"\n', "[packages\n"])
def test_invalid_toml_is_ddc902(text: str) -> None:
    result = read_text(text)
    assert [f.code for f in result.findings] == ["DDC902"] and result.declarations == []
