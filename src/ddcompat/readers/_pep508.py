"""PEP 508 requirement strings in their common shape, parsed without packaging's tokenizer.

`Requirement(text)` runs a hand-written recursive-descent parser: about 18 us a line, more than the rest of
reading it. Nearly every line people write has one shape, `name[extras] clauses ; marker`, which a regular
expression takes apart; the clauses then go to `SpecifierSet` and the marker to `Marker`, both cached by
text (pins and markers repeat across a project's files). The result is a real `Requirement`, equal to
what `Requirement(text)` gives (tests/test_pep508.py holds it to that). Every other text, and every text
whose parts packaging refuses, takes `Requirement(text)` itself, so errors read exactly as packaging's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

__all__ = ["Common", "common", "requirement"]

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_CLAUSE = r"(?:==|!=|~=|<=|>=|<|>)[ \t]*[A-Za-z0-9._*+!-]+"  # `===` takes packaging's own path
_COMMON = re.compile(
    rf"[ \t]*({_NAME})[ \t]*"
    rf"(?:(\[[ \t]*({_NAME}(?:[ \t]*,[ \t]*{_NAME})*)?[ \t]*\])[ \t]*)?"
    rf"({_CLAUSE}(?:[ \t]*,[ \t]*{_CLAUSE})*)?[ \t]*"
    r"(?:;[ \t]*([^\r\n]*?))?[ \t]*"
)
_MAX_CACHED = 200  # longer texts are parsed every time, so a hostile file cannot fill the caches


class Common:
    """A requirement in the common shape: the parsed object and where its specifier sits in the text."""

    __slots__ = ("requirement", "specifier_end", "specifier_start")

    def __init__(self, requirement: Requirement, specifier_start: int, specifier_end: int) -> None:
        self.requirement = requirement
        self.specifier_start = specifier_start  # a zero-width place after the name and extras when none
        self.specifier_end = specifier_end


def common(text: str) -> Optional[Common]:
    """`text` parsed when it has the common shape and packaging accepts its parts; None otherwise (the
    caller then uses `Requirement(text)`, which also gives packaging's own error)."""
    match = _COMMON.fullmatch(text)
    if match is None:
        return None
    name, brackets, extras, clauses, marker_text = match.groups()
    specifier = _specifier(clauses or "")
    if specifier is None:
        return None
    marker: Optional[Marker] = None
    if marker_text is not None:
        marker = _marker(marker_text)
        if marker is None:
            return None
    parsed = Requirement.__new__(Requirement)
    parsed.name = name
    parsed.url = None
    parsed.extras = {extra.strip() for extra in extras.split(",")} if extras else set()
    parsed.specifier = specifier
    parsed.marker = marker
    if clauses is not None:
        return Common(parsed, match.start(4), match.end(4))
    place = match.end(2) if brackets is not None else match.end(1)
    return Common(parsed, place, place)


def requirement(text: str) -> Requirement:
    """`Requirement(text)`, by the fast path where it applies. Raises what `Requirement` raises."""
    found = common(text)
    return found.requirement if found is not None else Requirement(text)


def _specifier(text: str) -> Optional[SpecifierSet]:
    return _cached_specifier(text) if len(text) <= _MAX_CACHED else _parse_specifier(text)


def _parse_specifier(text: str) -> Optional[SpecifierSet]:
    try:
        return SpecifierSet(text)
    except (InvalidSpecifier, ValueError):  # ValueError: more digits than int() converts
        return None


_cached_specifier = lru_cache(maxsize=4096)(_parse_specifier)


def _marker(text: str) -> Optional[Marker]:
    return _cached_marker(text) if len(text) <= _MAX_CACHED else _parse_marker(text)


def _parse_marker(text: str) -> Optional[Marker]:
    try:
        return Marker(text)
    except (InvalidMarker, RecursionError, ValueError):
        return None


_cached_marker = lru_cache(maxsize=1024)(_parse_marker)
