"""Poetry constraint translation: Poetry's documented tables, checked as sets of versions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.ranges import VersionRange
from packaging.specifiers import SpecifierSet

from ddcompat.readers.poetry_constraints import translate, translate_parts


def spec(text: str) -> VersionRange:
    return SpecifierSet(text).to_range()


TABLE = [
    # caret
    ("^1.2.3", ">=1.2.3,<2"),
    ("^1.2", ">=1.2,<2"),
    ("^1", ">=1,<2"),
    ("^0.2.3", ">=0.2.3,<0.3"),
    ("^0.0.3", ">=0.0.3,<0.0.4"),
    ("^0.0", ">=0.0,<0.1"),
    ("^0", ">=0,<1"),
    ("^0.10.11.post1", ">=0.10.11.post1,<0.11"),
    ("^2.0.0b1", ">=2.0.0b1,<3"),
    ("^1!2.3", ">=1!2.3,<1!3"),
    # tilde
    ("~1.2.3", ">=1.2.3,<1.3"),
    ("~1.2", ">=1.2,<1.3"),
    ("~1", ">=1,<2"),
    ("~=1.2", "~=1.2"),
    ("~=1.2.3", "~=1.2.3"),
    ("~=1", ">=1,<2"),
    # wildcards, exact, any
    ("1.2.*", "==1.2.*"),
    ("1.*", "==1.*"),
    ("1.2.x", "==1.2.*"),
    ("!=1.2.*", "!=1.2.*"),
    ("1.2.3", "==1.2.3"),
    ("=1.2.3", "==1.2.3"),
    ("==1.2.3", "==1.2.3"),
    ("*", ""),
    ("", ""),
    ("  ", ""),
    # comparisons, AND by comma or whitespace
    (">=1.2", ">=1.2"),
    ("<2.0", "<2.0"),
    (">1.0", ">1.0"),
    ("<=1.5", "<=1.5"),
    ("!=1.5", "!=1.5"),
    (">=1.2 <2.0", ">=1.2,<2.0"),
    (">=1.2,<2.0", ">=1.2,<2.0"),
    (">= 1.2, < 2.0", ">=1.2,<2.0"),
    (">=1.2, !=1.5, <2", ">=1.2,!=1.5,<2"),
    ("^3.9", ">=3.9,<4"),
    ("~3.10", ">=3.10,<3.11"),
    (">=3.8,<3.12", ">=3.8,<3.12"),
]


@pytest.mark.parametrize(("poetry", "pep440"), TABLE)
def test_translation_table(poetry: str, pep440: str) -> None:
    text, admitted = translate(poetry)
    assert text == pep440
    assert admitted == spec(pep440)


@pytest.mark.parametrize(
    ("poetry", "parts"),
    [
        ("^1.2 || ^2.0", [">=1.2,<2", ">=2.0,<3"]),
        (">=1.2 | <0.5", [">=1.2", "<0.5"]),
        ("~2.7 || ^3.4", [">=2.7,<2.8", ">=3.4,<4"]),
    ],
)
def test_unions_are_version_range_unions(poetry: str, parts: list[str]) -> None:
    text, admitted = translate(poetry)
    assert translate_parts(poetry) == parts
    assert text == " || ".join(parts)
    expected = spec(parts[0])
    for part in parts[1:]:
        expected = expected | spec(part)
    assert admitted == expected
    assert admitted.to_specifier_set() is None or len(parts) == 1


def test_union_with_any_is_any() -> None:
    assert translate("* || ^1")[0] == ""


def test_membership_examples() -> None:
    _, caret = translate("^0.2.3")
    assert "0.2.9" in caret and "0.3.0" not in caret and "0.2.2" not in caret
    _, tilde = translate("~1.2.3")
    assert "1.2.9" in tilde and "1.3.0" not in tilde
    # PEP 440 semantics at the upper bound: `<2` excludes the 2.0 pre-releases.
    _, upper = translate("^1.2")
    assert not upper.contains("2.0rc1", prereleases=True)


@pytest.mark.parametrize(
    "bad",
    ["latest", "^", "1.2 ||", "|| 1.2", ">=1.2.*.3", "abc def", ">=", "<*", "^x.y", "1..2", ">=1.2 <<2"],
)
def test_invalid_constraints_raise_value_error_with_a_message(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid constraint"):
        translate(bad)


@given(st.text(max_size=30))
def test_arbitrary_text_translates_or_raises_value_error(text: str) -> None:
    try:
        pep440, admitted = translate(text)
    except ValueError:
        return
    for part in pep440.split(" || "):
        SpecifierSet(part)  # every translated part is valid PEP 440
    assert isinstance(admitted, VersionRange)


@given(
    st.sampled_from(["^", "~", "", ">=", "<=", "==", "!=", "~="]),
    st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=4),
)
def test_generated_versions_translate_to_their_own_lower_bound(operator: str, release: list[int]) -> None:
    version = ".".join(map(str, release))
    if operator == "~=" and len(release) == 1:
        pep440, admitted = translate(f"~={version}")
        assert pep440.startswith(">=")
        return
    pep440, admitted = translate(f"{operator}{version}")
    if operator in ("^", "~", "", "==", ">=", "<=", "~="):
        assert version in admitted
    if operator == "!=":
        assert version not in admitted
