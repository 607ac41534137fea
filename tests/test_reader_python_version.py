"""`.python-version`: the first CPython version, its span, and what it admits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from ddcompat.model import ReadResult, SourceFile, Span
from ddcompat.readers import python_version


def read_bytes(data: bytes) -> ReadResult:
    return python_version.read(SourceFile("/p/.python-version", ".python-version", "/p", data))


@pytest.mark.parametrize(
    ("content", "specifier"),
    [
        ("3.11", "==3.11.*"),
        ("3.11.4", "==3.11.4"),
        ("3", "==3.*"),
        ("cpython-3.12", "==3.12.*"),
        ("cpython@3.12.1", "==3.12.1"),
        ("cpython-3.11.4-macos-aarch64-none", "==3.11.4"),
        ("python3.10", "==3.10.*"),
        ("3.13t", "==3.13.*"),
        ("3.12-dev", "==3.12.*"),
        ("3.13.0rc1", "==3.13.0rc1"),
        (">=3.11", ">=3.11"),
    ],
)
def test_versions(content: str, specifier: str) -> None:
    result = read_bytes(f"{content}\n".encode())
    (python,) = result.pythons
    assert python.specifier == specifier and python.declared == content
    assert python.kind == "python-version-file"
    assert python.admitted == SpecifierSet(specifier).to_range()
    assert python.span == Span(1, 1, 1, len(content) + 1)
    assert not result.findings and result.kind == "python-version"


def test_first_usable_cpython_line_with_comments_and_others() -> None:
    data = b"# pinned for CI\nsystem\npypy3.10-7.3.12\n  my-virtualenv\n   3.12.1  \n3.11\n"
    result = read_bytes(data)
    (python,) = result.pythons
    assert python.specifier == "==3.12.1" and python.span == Span(5, 4, 5, 10)


def test_crlf_and_bom() -> None:
    result = read_bytes(b"\xef\xbb\xbf# c\r\n3.9\r\n")
    (python,) = result.pythons
    assert python.span == Span(2, 1, 2, 4) and result.has_bom and result.newline == "\r\n"


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# only a comment\n", b"system\n", b"pypy3.9\n", b"myenv\n"])
def test_nothing_usable_is_not_a_finding(data: bytes) -> None:
    result = read_bytes(data)
    assert result.pythons == [] and result.findings == []


def test_a_broken_version_is_ddc902_at_its_text() -> None:
    result = read_bytes(b"3..11\n")
    (finding,) = result.findings
    assert finding.code == "DDC902" and finding.span == Span(1, 1, 1, 6)
    assert result.pythons == []


def test_undecodable_is_ddc902() -> None:
    result = read_bytes(b"3.1\xff\n")
    assert [f.code for f in result.findings] == ["DDC902"]


@given(st.binary(max_size=64))
def test_random_bytes_never_raise(data: bytes) -> None:
    result = read_bytes(data)
    assert len(result.pythons) <= 1
    for python in result.pythons:
        assert python.span.line >= 1 and python.span.column >= 1
