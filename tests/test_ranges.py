"""The range relations every check family relies on: boundaries, bare names, pre/post releases, unions."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from ddcompat.checks._ranges import (
    Relation,
    admitted_of,
    format_range,
    format_specifier,
    judge,
    parse_range,
    prerelease_family,
    relate,
    supported,
)

AIOPG = supported(">=0.12.0,<=0.16")
DJANGO = supported(">=1.8")
REQUESTS = supported(">=2.08")


@pytest.mark.parametrize(
    ("declared", "target", "expected"),
    [
        # Boundaries are exact.
        ("==1.8", DJANGO, Relation.INSIDE),
        ("==1.8.0", DJANGO, Relation.INSIDE),
        ("==1.7.11", DJANGO, Relation.DISJOINT),
        ("==0.16", AIOPG, Relation.INSIDE),
        ("==0.16.0", AIOPG, Relation.INSIDE),
        ("==0.12.0", AIOPG, Relation.INSIDE),
        ("==0.17.0", AIOPG, Relation.DISJOINT),
        ("==0.16.1", AIOPG, Relation.DISJOINT),
        ("==1.4.0", AIOPG, Relation.DISJOINT),
        ("==0.11.9", AIOPG, Relation.DISJOINT),
        # Leading zeros are not significant: 2.08 is 2.8.
        ("==2.8", REQUESTS, Relation.INSIDE),
        ("==2.08", REQUESTS, Relation.INSIDE),
        ("==2.7.9", REQUESTS, Relation.DISJOINT),
        # Ranges.
        (">=0.12", AIOPG, Relation.OVERLAPS),
        (">=0.12,<0.16", AIOPG, Relation.INSIDE),
        (">=0.12,<=0.16", AIOPG, Relation.INSIDE),
        ("==0.16.*", AIOPG, Relation.OVERLAPS),  # 0.16.1 is past <=0.16
        ("~=0.14", AIOPG, Relation.OVERLAPS),
        (">=0.17", AIOPG, Relation.DISJOINT),
        ("<0.12", AIOPG, Relation.DISJOINT),
        ("<=0.16", AIOPG, Relation.OVERLAPS),
        ("!=0.13", AIOPG, Relation.OVERLAPS),
        ("~=1.8", DJANGO, Relation.INSIDE),
        (">=1.7", DJANGO, Relation.OVERLAPS),
        ("<1.8", DJANGO, Relation.DISJOINT),
        # Post-releases: ==0.16.post1 is past <=0.16 (which admits only 0.16 and its local versions).
        ("==0.16.post1", AIOPG, Relation.DISJOINT),
        ("==1.8.post1", DJANGO, Relation.INSIDE),
        ("==1.7.post1", DJANGO, Relation.DISJOINT),
        # Pre-releases are versions like any other in the algebra: 1.8rc1 sorts before 1.8.
        ("==1.8rc1", DJANGO, Relation.DISJOINT),
        (">=1.8rc1", DJANGO, Relation.OVERLAPS),
        ("==2.0b1", DJANGO, Relation.INSIDE),
        ("==0.16.dev0", AIOPG, Relation.INSIDE),
        # Epochs sort above every epoch-0 version.
        ("==1!0.1", AIOPG, Relation.DISJOINT),
        ("==1!0.1", DJANGO, Relation.INSIDE),
        # Poetry unions arrive as ||-joined alternatives.
        (">=0.12,<0.14||>=0.15,<0.16", AIOPG, Relation.INSIDE),
        (">=0.12,<0.14||>=1.0", AIOPG, Relation.OVERLAPS),
        ("<0.10||>=1.0", AIOPG, Relation.DISJOINT),
        # An unsatisfiable specifier admits nothing: nothing to report.
        (">=2,<1", DJANGO, Relation.INSIDE),
    ],
)
def test_judge_with_specifier(declared: str, target: object, expected: Relation) -> None:
    assert judge(parse_range(declared), True, target) is expected  # type: ignore[arg-type]


def test_bare_name_is_judged_against_the_upper_bound_only() -> None:
    everything = parse_range("")
    assert judge(everything, False, AIOPG) is Relation.OVERLAPS  # bare aiopg: newest is past 0.16
    assert judge(everything, False, DJANGO) is Relation.INSIDE  # bare django: newest is supported
    assert judge(everything, False, supported("")) is Relation.INSIDE  # "Fully Supported"
    assert judge(everything, False, supported("<2||>=3,<4")) is Relation.OVERLAPS
    assert judge(everything, False, supported("<2||>=3")) is Relation.INSIDE


@pytest.mark.parametrize(
    ("text", "bounded", "minimum"),
    [
        (">=0.12.0,<=0.16", True, "0.12.0"),
        (">=1.8", False, "1.8"),
        ("", False, None),
        ("<2", True, None),
        ("==1.2.*", True, "1.2"),
        ("~=2.1", True, "2.1"),
        ("==2.7.*||>=3.5,<3.12", True, "2.7"),
        ("==2.7.*||>=3.5", False, "2.7"),
        ("!=1.5", False, None),
        (">2.0", False, None),
    ],
)
def test_supported_facts(text: str, bounded: bool, minimum: object) -> None:
    facts = supported(text)
    assert facts.bounded_above is bounded
    assert facts.minimum == minimum
    assert facts.text == text


def test_parse_range_unions_and_everything() -> None:
    union = parse_range("==2.7.*||>=3.5,<3.12")
    assert "2.7.18" in union and "3.5.0" in union and "3.11.9" in union
    assert "3.0" not in union and "3.12.0" not in union
    assert "1.0" in parse_range("") and "1.0" in parse_range("*")
    with pytest.raises(ValueError, match="not a PEP 440 specifier"):
        parse_range("^1.2")


def test_relate() -> None:
    target = parse_range(">=4.0,<5")
    assert relate(parse_range("==4.3.1"), target) is Relation.INSIDE
    assert relate(parse_range(">=3.0"), target) is Relation.OVERLAPS
    assert relate(parse_range("==5.0.0"), target) is Relation.DISJOINT
    assert relate(parse_range("==5.0.0rc1"), target) is Relation.DISJOINT
    assert relate(parse_range(">=4.0,<5.0"), target) is Relation.INSIDE  # <5.0 and <5 exclude 5.0rc1 alike


def test_prerelease_family() -> None:
    family = prerelease_family("4.0")
    assert "4.0.0rc1" in family and "4.0.dev0" in family and "4.0a1" in family
    assert "4.0" not in family and "3.99" not in family and "4.0.1" not in family
    assert prerelease_family("4.0rc1").is_empty


def test_format() -> None:
    assert format_specifier(SpecifierSet("<=0.16,>=0.12.0")) == ">=0.12.0,<=0.16"
    assert format_range(parse_range(">=2.0") & parse_range("<3")) == ">=2.0,<3"
    assert format_range(parse_range("<1||>=2"), fallback="two ranges") == "two ranges"
    assert format_range(parse_range(">=2,<1")) == "no version"
    assert format_range(parse_range("")) == "any version"


def test_admitted_of_rebuilds_a_range_with_another_prerelease_policy() -> None:
    configured = SpecifierSet(">=1.0", prereleases=True).to_range()
    rebuilt = admitted_of(configured, ">=1.0")
    assert relate(rebuilt, parse_range(">=0.5")) is Relation.INSIDE
    plain = parse_range(">=1.0")
    assert admitted_of(plain, "ignored") is plain
    assert Version("1.0") in rebuilt


def test_format_readable_spellings() -> None:
    # packaging's exact recovery is `>=3.11,!=3.11.*` and `!=0.16,>=0.16`; messages read the usual forms.
    assert format_range(parse_range(">=3.9") - parse_range("==2.7.*||>=3.5,<3.12")) == ">=3.12"
    assert format_range(parse_range(">=0.12") - parse_range(">=0.12.0,<=0.16")) == ">0.16"
    assert format_range(parse_range(">=0.12,<0.17") - parse_range(">=0.12.0,<=0.16")) == ">0.16,<0.17"


# --- properties: the relation agrees with membership, whatever the versions -----------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_RELEASES = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=3)
_SUFFIXES = st.sampled_from(["", "rc1", "a2", ".post1", ".dev0", "+local"])


@st.composite
def _versions(draw: st.DrawFn) -> str:
    return ".".join(str(part) for part in draw(_RELEASES)) + draw(_SUFFIXES)


@given(_versions(), _versions(), _versions())
def test_an_exact_pin_is_inside_or_disjoint_as_membership_says(pin: str, low: str, high: str) -> None:
    # `==V` admits V and its local versions, which sit on the same side of bounds on public versions:
    # a pin is never partly supported, and it is inside exactly when V itself is a member.
    target = supported(f">={low.split('+')[0]},<={high.split('+')[0]}")
    admitted = SpecifierSet(f"=={pin}").to_range()
    expected = Relation.INSIDE if target.range.contains(pin, prereleases=True) else Relation.DISJOINT
    assert judge(admitted, True, target) is expected


@given(_versions(), _versions())
def test_relations_partition(first: str, second: str) -> None:
    a = parse_range(f">={first.split('+')[0]}")
    b = parse_range(f"<={second.split('+')[0]}")
    relation = relate(a, b)
    intersection = a & b
    if relation is Relation.INSIDE:
        assert (a - b).is_empty
    elif relation is Relation.DISJOINT:
        assert intersection.is_empty
    else:
        assert not intersection.is_empty and not (a - b).is_empty
