"""Specifier strings of the rule set as `packaging` VersionRanges, built once per distinct string.

Rule files keep specifiers as text (reviewable, fast to load); the checks need ranges. Building a range
costs tens of microseconds, so each distinct string is converted once per process, on first use.
"""

from __future__ import annotations

import functools

from packaging.ranges import VersionRange
from packaging.specifiers import SpecifierSet


@functools.cache
def specifier_range(specifier: str) -> VersionRange:
    """`>=0.12.0,<=0.16` as a VersionRange; `` (no bound, "Fully Supported") is every version.

    `||` joins alternatives (`==2.7.*||>=3.5,<3.12`), as the runtimes' Python column needs.
    """
    alternatives = specifier.split("||")
    result = SpecifierSet(alternatives[0].strip()).to_range()
    for alternative in alternatives[1:]:
        result = result | SpecifierSet(alternative.strip()).to_range()
    return result


@functools.cache
def check_specifier(specifier: str) -> None:
    """Raise ValueError (InvalidSpecifier) when any alternative of `specifier` is not PEP 440."""
    for alternative in specifier.split("||"):
        SpecifierSet(alternative.strip())
