"""Whether an environment marker can hold for a project's Python versions.

A marker is turned into the set of Python versions it allows (a `VersionRange` over
`python_full_version`): `python_version` and `python_full_version` clauses become ranges, every other clause
(`sys_platform`, `extra`, `implementation_name`, ...) is unknown and allows every Python; `and` intersects
and `or` unites. The marker cannot hold when that set and the project's Python range are disjoint
(`; python_version < "3.8"` in a project on 3.11). Markers have no negation, so treating unknown clauses
as "may hold" never skips a declaration that could apply.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

if TYPE_CHECKING:
    from packaging.markers import Marker
    from packaging.ranges import VersionRange

_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!=", "~=": "~=", "===": "==="}


def _full() -> VersionRange:
    from packaging.ranges import VersionRange

    return VersionRange.full()


def _spec_range(text: str) -> VersionRange:
    try:
        return SpecifierSet(text).to_range()
    except (InvalidSpecifier, ValueError):
        return _full()


def _minor_range(op: str, value: str) -> VersionRange:
    """The full Python versions whose `X.Y` compares with `value` (an `X.Y`) as `op` says."""
    parts = value.split(".")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return _spec_range(f"{op}{value}")
    major, minor = int(parts[0]), int(parts[1])
    following = f"{major}.{minor + 1}"
    if op == "==":
        return _spec_range(f"=={value}.*")
    if op == "!=":
        return _spec_range(f"!={value}.*")
    if op == "<":
        return _spec_range(f"<{value}")
    if op == "<=":
        return _spec_range(f"<{following}")
    if op == ">":
        return _spec_range(f">={following}")
    if op == ">=":
        return _spec_range(f">={value}")
    if op == "~=":
        return _spec_range(f"~={value}")
    return _full()


def _is_variable(node: object) -> bool:
    # packaging's marker nodes: Variable (an environment name) or Value (a literal string).
    return type(node).__name__ == "Variable"


def _atom_range(atom: tuple[Any, Any, Any]) -> VersionRange:
    left, op_node, right = atom
    op = str(op_node.value)
    if _is_variable(left):
        name, value = str(left.value), right.value
    elif _is_variable(right):
        name, value = str(right.value), left.value
        op = _FLIP.get(op, op)
    else:  # pragma: no cover - the grammar always has one variable
        return _full()
    if not isinstance(value, str):
        return _full()
    if name == "python_version":
        return _minor_range(op, value.strip())
    if name == "python_full_version":
        if op in ("in", "not in"):
            return _full()
        return _spec_range(f"{op}{value.strip()}")
    return _full()


def _list_range(markers: list[Any]) -> VersionRange:
    groups: list[VersionRange] = []
    current = _full()
    for item in markers:
        if item == "or":
            groups.append(current)
            current = _full()
        elif item == "and":
            continue
        elif isinstance(item, list):
            current = current.intersection(_list_range(item))
        elif isinstance(item, tuple):
            current = current.intersection(_atom_range(item))
    groups.append(current)
    result = groups[0]
    for group in groups[1:]:
        result = result.union(group)
    return result


_BY_TEXT: dict[str, VersionRange] = {}  # markers repeat across a tree's files: each text is worked out once


# Readers share one Marker object per marker text, so most lookups are by identity, without str(marker).
_BY_ID: dict[int, tuple[Marker, VersionRange]] = {}


def marker_pythons(marker: Marker) -> VersionRange:
    """The Python versions for which `marker` may hold (every version when it says nothing of Python)."""
    known = _BY_ID.get(id(marker))
    if known is not None and known[0] is marker:
        return known[1]
    result = _by_text(marker)
    if len(_BY_ID) >= 4096:
        _BY_ID.clear()
    _BY_ID[id(marker)] = (marker, result)  # keeps the marker alive, so its id is not reused meanwhile
    return result


def _by_text(marker: Marker) -> VersionRange:
    text = str(marker)
    cached = _BY_TEXT.get(text)
    if cached is not None:
        return cached
    markers = getattr(marker, "_markers", None)
    if not isinstance(markers, list):  # pragma: no cover - packaging internals changed
        return _full()
    result = _list_range(markers)
    if len(_BY_TEXT) < 4096:
        _BY_TEXT[text] = result
    return result


def can_hold(marker: Marker, pythons: VersionRange) -> bool:
    """Whether some Python in `pythons` may satisfy `marker`."""
    return _overlap(marker_pythons(marker), pythons)


@functools.lru_cache(maxsize=1024)  # a tree has a few markers and a few project Pythons
def _overlap(first: VersionRange, second: VersionRange) -> bool:
    return not first.intersection(second).is_empty
