"""The common-shape requirement parser gives exactly what `Requirement(text)` gives, or steps aside.

`readers/_pep508.common` parses `name[extras] clauses ; marker` with a regular expression. Whatever it
accepts must equal packaging's parse in every attribute the readers read, and whatever packaging refuses
it must refuse too (so errors always come from packaging). Held here on generated near-valid strings and
on every requirement line and PEP 508 string of the corpus.
"""

from __future__ import annotations

from typing import Optional

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement, Requirement

from conftest import CORPUS
from ddcompat._toml import loads as toml_loads
from ddcompat.readers._pep508 import common, requirement
from ddcompat.readers.requirements import _specifier_bounds


def _packaging(text: str) -> Optional[Requirement]:
    try:
        return Requirement(text)
    except (InvalidRequirement, RecursionError, ValueError):
        return None


def _assert_same(text: str) -> None:
    expected = _packaging(text)
    found = common(text)
    if expected is None:
        assert found is None, text
        with pytest.raises((InvalidRequirement, RecursionError, ValueError)):
            requirement(text)
        return
    if found is None:  # another shape: the caller uses Requirement() itself
        assert requirement(text) == expected
        return
    got = found.requirement
    assert got.name == expected.name, text
    assert got.url == expected.url, text
    assert got.extras == expected.extras, text
    assert str(got.specifier) == str(expected.specifier), text
    assert str(got.marker) == str(expected.marker), text
    assert got.marker == expected.marker, text
    assert str(got) == str(expected), text
    if len(text) < 4000:  # equality compares versions as integers, which Python caps at 4,300 digits
        assert got.specifier == expected.specifier, text
        assert got == expected and hash(got) == hash(expected), text
    if expected.url is None:  # the specifier's place, as the requirements reader finds it for packaging
        assert (found.specifier_start, found.specifier_end) == _specifier_bounds(text), text


_SPACE = st.sampled_from(["", " ", "  ", "\t"])
_NAMES = st.sampled_from(["ddtrace", "Django", "zope.interface", "python-dateutil", "a", "A_b", "x1", "-bad",
                          "bad-", "b.", "ünï", "9lives"])
_VERSIONS = st.sampled_from(["1", "1.0", "1.0.*", "2.0rc1", "1!2.0", "1.0+local", "1.0.post1.dev2", "latest",
                             "1.x", "0.16", "4.16.0", "", "1..0", "v1.0", "1.0-1", "1.*.0", "9" * 30])
_OPERATORS = st.sampled_from(["==", "===", "!=", "~=", "<=", ">=", "<", ">", "=", "=>", "~"])
_MARKERS = st.sampled_from([
    'python_version >= "3.9"', "python_version>='3.9'", 'sys_platform == "linux"', "extra == 'Test_X'",
    'platform_machine != "i686" and python_version < "3.12"', '(python_version < "3.8")', "os_name",
    'python_version >= "3.9" or', "", 'implementation_name == "cpython" # comment', '"3.9" <= python_version',
])


@st.composite
def _requirement_texts(draw: st.DrawFn) -> str:
    text = draw(_SPACE) + draw(_NAMES) + draw(_SPACE)
    if draw(st.booleans()):
        extras = draw(st.lists(st.sampled_from(["security", "Test", "a.b", "x-y", "", "1"]), max_size=3))
        text += "[" + draw(_SPACE) + ("," + draw(_SPACE)).join(extras) + draw(_SPACE) + "]" + draw(_SPACE)
    clauses = draw(st.lists(st.tuples(_OPERATORS, _SPACE, _VERSIONS), max_size=3))
    text += ("," + draw(_SPACE)).join(operator + space + version for operator, space, version in clauses)
    if draw(st.booleans()):
        text += draw(_SPACE) + ";" + draw(_SPACE) + draw(_MARKERS)
    return text + draw(_SPACE)


@given(_requirement_texts())
@example("ddtrace==4.1.0")
@example('aiopg>=0.12,<=0.16 ; python_version >= "3.9"')
@example("requests[security,socks] ~= 2.31")
@example("name[]")
@example("name;python_version<'3'")
@example("name ==1.0 ; extra == 'Test'")
def test_generated_texts_parse_as_packaging_parses_them(text: str) -> None:
    _assert_same(text)


@given(st.text(alphabet=st.sampled_from('az09.=<>!~*,;[] "\'\t-_+@/:()'), max_size=40))
def test_arbitrary_texts_never_disagree(text: str) -> None:
    _assert_same(text)


def _corpus_strings() -> list[str]:
    if not CORPUS.is_dir():
        return []
    strings: set[str] = set()
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if path.name.endswith(".txt") or path.name.endswith(".in"):
            for line in text.splitlines():
                line = line.split(" #")[0].split(" --hash")[0].strip()
                if line and not line.startswith(("#", "-")) and not line.endswith("\\"):
                    strings.add(line)
        elif path.name == "pyproject.toml":
            try:
                document = toml_loads(text)
            except (ValueError, RecursionError):  # the corpus's hostile files
                continue
            project = document.get("project", {})
            for value in [*project.get("dependencies", []),
                          *(item for group in project.get("optional-dependencies", {}).values()
                            for item in group)]:
                if isinstance(value, str):
                    strings.add(value)
    return sorted(strings)


def test_every_corpus_requirement_parses_as_packaging_parses_it() -> None:
    strings = _corpus_strings()
    if not strings:
        pytest.skip("the shared corpus is not beside the checkout")
    shaped = [text for text in strings if common(text) is not None]
    assert len(shaped) > len(strings) // 2  # the fast path is the usual path
    for text in strings:
        _assert_same(text)


def test_a_marker_is_parsed_once_per_text() -> None:
    first = common('a==1 ; python_version >= "3.9"')
    second = common('b==2 ; python_version >= "3.9"')
    assert first is not None and second is not None
    assert first.requirement.marker is second.requirement.marker


def test_long_texts_are_not_cached() -> None:
    marker = " or ".join(['python_version >= "3.9"'] * 20)
    found = common(f"a==1 ; {marker}")
    again = common(f"a==1 ; {marker}")
    assert found is not None and again is not None
    assert found.requirement.marker is not again.requirement.marker
    assert found.requirement.marker == again.requirement.marker

