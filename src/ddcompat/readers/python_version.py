"""`.python-version` (pyenv, uv, asdf-style): the first CPython version in it is the project's Python.

One version per line; `#` starts a comment line. `3.11` admits `==3.11.*`, `3.11.4` admits `==3.11.4`;
prefixes (`cpython-3.11`, `cpython@3.11`, `python3.11`, `py3.11`) and suffixes (`3.13t`, `3.12-dev`,
`cpython-3.11.4-macos-aarch64-none`) are understood, and uv's specifiers (`>=3.11`) are accepted as written.
Lines naming something that is not a CPython version (`system`, `pypy3.10-7.3.12`, `graalpy-24.0`, a
pyenv-virtualenv name) are skipped: they are legitimate, just not a CPython version to check. A line that
starts like a version but is not one (`3..11`, `3.x`) is a DDC902 when no usable version precedes it.
An empty file gives nothing.
"""

from __future__ import annotations

import re
from typing import Optional

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ddcompat.model import PythonDeclaration, ReadResult, SourceFile
from ddcompat.readers._text import LineIndex, begin, file_finding

KIND = "python-version"
_CPYTHON = re.compile(
    r"(?:cpython[-@]?|python|py)?"
    r"(?P<version>\d+(?:\.\d+){0,2}(?:(?:a|b|rc)\d+)?)"
    r"(?:t|\+freethreaded)?"  # free-threaded builds are still that CPython version
    r"(?:-(?:dev|debug|[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*))?",
    re.IGNORECASE,
)
_SPECIFIER_START = re.compile(r"[<>=!~]")


def read(source: SourceFile) -> ReadResult:
    """The first usable CPython version of a `.python-version` file, as a PythonDeclaration."""
    result, decoded = begin(source, KIND)
    if decoded is None:
        return result
    lines = LineIndex(decoded.text)
    first_bad: Optional[tuple[int, int, int, str]] = None
    for number in range(1, lines.line_count + 1):
        line = lines.line_text(number)
        token = line.strip()
        if not token or token.startswith("#"):
            continue
        column = line.index(token) + 1
        specifier = _specifier(token)
        try:
            admitted = SpecifierSet(specifier).to_range() if specifier is not None else None
        except ValueError:  # a version with more digits than int() converts
            specifier = admitted = None
        if specifier is None or admitted is None:
            if token[0].isdigit() and first_bad is None:
                first_bad = (number, column, column + len(token), token)
            continue
        start = lines.line_start(number) + column - 1
        span = lines.span(start, start + len(token))
        result.pythons.append(PythonDeclaration(
            specifier=specifier, declared=token, admitted=admitted, span=span,
            kind="python-version-file", specifier_span=span,
        ))
        return result
    if first_bad is not None:
        number, column, end, token = first_bad
        result.findings.append(file_finding(result.path, "DDC902", f"not a Python version: {token!r}",
                                            number, column, number, end))
    return result


def _specifier(token: str) -> Optional[str]:
    """The PEP 440 specifier a `.python-version` entry stands for; None when it is no CPython version."""
    if _SPECIFIER_START.match(token):
        try:
            parsed = SpecifierSet(token)
        except InvalidSpecifier:
            return None
        return token if str(parsed) else None
    match = _CPYTHON.fullmatch(token)
    if match is None:
        return None
    version = match.group("version")
    release = re.match(r"\d+(?:\.\d+)*", version)
    assert release is not None
    parts = release.group().split(".")
    # `py311`, `2023.03`: not a Python version as written (the length test first: int() refuses 4,301 digits)
    if len(parts[0].lstrip("0")) > 1 or not 2 <= int(parts[0]) <= 9:
        return None
    if len(parts) < 3 and release.group() == version:
        return f"=={version}.*"
    return f"=={version}"
