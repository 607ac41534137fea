"""Set relations between what a declaration admits and what the rule set supports.

Every check family asks the same question: is the set of versions a declaration admits inside, partly
outside, or wholly outside a supported set? `packaging`'s range algebra (`SpecifierSet.to_range()`,
`VersionRange`) answers it exactly, PEP 440 boundaries included (`==1.8` is inside `>=1.8`, `==0.16` inside
`<=0.16` but `==0.16.1` not, `==2.08` is `2.8`). This module adds the two policies the design fixes on top:

* a declaration with no specifier stands for "whatever is newest", so it is judged only against the
  supported set's upper bound: outside-but-overlapping when that set is bounded above, inside otherwise;
* rule texts may join alternatives with `||` (Poetry unions, runtime rows such as "2.7, 3.5-3.11").

Pre-releases are members of the ranges like any version (the interval algebra has no pre-release policy;
packaging applies that only at membership time): `>=0.12.0rc1` admits a version below `>=0.12.0`.
"""

from __future__ import annotations

import enum
import functools
from typing import NamedTuple, Optional

from packaging.ranges import VersionRange
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ddcompat._memo import by_identity
from ddcompat.names import is_plain_release

__all__ = [
    "Relation",
    "Supported",
    "admitted_of",
    "exact_pin",
    "format_range",
    "format_specifier",
    "judge",
    "lower_bound",
    "lower_bound_relation",
    "parse_range",
    "pin_relation",
    "prerelease_family",
    "relate",
    "supported",
    "with_previews",
]

# Operators that cap a set from above; a set none of whose alternatives carries one is unbounded above.
_BOUNDING_OPERATORS = frozenset({"<", "<=", "==", "~=", "==="})
# Lower bounds first, then exclusions, then upper bounds: how people write ranges (">=0.12.0,<=0.16").
_OPERATOR_ORDER = {"===": 0, "==": 0, "~=": 1, ">=": 2, ">": 2, "!=": 3, "<=": 4, "<": 4}


class Relation(enum.Enum):
    """How an admitted set sits against a supported set."""

    INSIDE = "inside"  # every admitted version is supported: nothing to report
    OVERLAPS = "overlaps"  # some admitted versions are supported, some not: the family's warning
    DISJOINT = "disjoint"  # no admitted version is supported: the family's error


class Supported(NamedTuple):
    """A supported set as a rule states it: the range, the text to quote, and two derived facts."""

    text: str  # PEP 440 text, as quoted in messages (">=0.12.0,<=0.16"); "" for every version
    range: VersionRange
    bounded_above: bool  # some version newer than every supported one exists
    minimum: Optional[str]  # the lowest version a `>=`/`==` clause names, as written ("0.12.0")


def _clauses(text: str) -> list[SpecifierSet]:
    """The alternatives of `text` (`||`-joined), each a SpecifierSet; "" or "*" is one empty set."""
    alternatives = [part.strip() for part in text.split("||")] if text.strip() else [""]
    result: list[SpecifierSet] = []
    for alternative in alternatives:
        if alternative in ("", "*"):
            result.append(SpecifierSet(""))
            continue
        try:
            result.append(SpecifierSet(alternative))
        except InvalidSpecifier:
            # Rule texts are validated when the rule set loads; a bad one here is a programming error.
            raise ValueError(f"not a PEP 440 specifier: {alternative!r}") from None
    return result


@functools.lru_cache(maxsize=1024)
def parse_range(text: str) -> VersionRange:
    """The versions `text` admits: a PEP 440 specifier, `||` joining alternatives; "" admits all."""
    result = VersionRange.empty()
    for clause in _clauses(text):
        result = result | clause.to_range()
    return result


@functools.lru_cache(maxsize=1024)
def supported(text: str) -> Supported:
    """The `Supported` set for a rule's specifier text (cached: rule texts repeat across files)."""
    clauses = _clauses(text)
    bounded = all(any(spec.operator in _BOUNDING_OPERATORS for spec in clause) for clause in clauses)
    minimum: Optional[Version] = None
    minimum_text: Optional[str] = None
    for clause in clauses:
        for spec in clause:
            if spec.operator not in (">=", "==", "~=", "==="):
                continue
            try:
                version = Version(spec.version.rstrip(".*"))
            except InvalidVersion:
                continue
            if minimum is None or version < minimum:
                minimum, minimum_text = version, spec.version.rstrip(".*")
    return Supported(text=text, range=parse_range(text), bounded_above=bounded, minimum=minimum_text)


def relate(admitted: VersionRange, target: VersionRange) -> Relation:
    """Where `admitted` sits against `target`. An empty admitted set is INSIDE (nothing to report)."""
    if admitted.is_empty or admitted.is_subset(target):
        return Relation.INSIDE
    if admitted.is_disjoint(target):
        return Relation.DISJOINT
    return Relation.OVERLAPS


@functools.lru_cache(maxsize=16384)
def exact_pin(specifier: str) -> Optional[Version]:
    """The version of a one-clause `==V` specifier (no wildcard, not `===`), else None.

    Most declarations are such pins (every lock entry, most requirements lines). A pin admits one version
    (and its local variants, which sort with it against every rule range), so against a rule range it is
    inside or disjoint, which one membership test decides: no range to build, no interval algebra.
    """
    text = specifier.strip()
    if not text.startswith("==") or text.startswith("===") or any(c in text for c in ",*|"):
        return None
    try:
        return Version(text[2:].strip())
    except ValueError:  # InvalidVersion, or more digits than int() converts
        return None


@functools.lru_cache(maxsize=16384)
def lower_bound(specifier: str) -> Optional[Version]:
    """The version of a one-clause `>=V` specifier whose V is a plain release (`>=2.4`), else None.

    Manifests say `>=V` more than anything else but `==V`. Against a rule range with at most one lower
    and one upper bound, such a declaration is judged by one membership test and one comparison
    (`lower_bound_relation`), not by building its range and intersecting.
    """
    text = specifier.strip()
    if not text.startswith(">="):
        return None
    release = text[2:].strip()
    return Version(release) if is_plain_release(release) else None


class _Interval(NamedTuple):
    """A rule range that is one interval: its upper bound (None: unbounded above) and its inclusivity."""

    upper: Optional[Version]
    upper_inclusive: bool


def _interval_of(target: VersionRange) -> Optional[_Interval]:
    """`target` as one interval of `>=`/`>`/`<=`/`<` clauses (at most one of each side), else None."""
    if target.is_empty:
        return None
    specifier_set = target.to_specifier_set()
    if specifier_set is None or specifier_set.to_range() != target:
        return None
    lowers = [spec for spec in specifier_set if spec.operator in (">=", ">")]
    uppers = [spec for spec in specifier_set if spec.operator in ("<=", "<")]
    if len(lowers) > 1 or len(uppers) > 1 or len(lowers) + len(uppers) != len(specifier_set):
        return None
    if not uppers:
        return _Interval(None, False)
    try:
        return _Interval(Version(uppers[0].version), uppers[0].operator == "<=")
    except InvalidVersion:
        return None


# Rule ranges are few objects, each asked about again and again: described once by identity.
_interval = by_identity(_interval_of, size=4096)


def lower_bound_relation(version: Version, target: VersionRange) -> Optional[Relation]:
    """`relate` for the set `>=version` admits (a plain release), or None where `target` is not one
    interval: the set reaches above every version, so it is inside a target unbounded above that holds
    `version`, and disjoint from a target whose upper bound lies below `version`."""
    interval = _interval(target)
    if interval is None:
        return None
    if interval.upper is None:
        return Relation.INSIDE if target.contains(version, prereleases=True) else Relation.OVERLAPS
    if version > interval.upper or (version == interval.upper and not interval.upper_inclusive):
        return Relation.DISJOINT
    return Relation.OVERLAPS


def pin_relation(version: Version, target: VersionRange) -> Relation:
    """`relate` for the set an exact pin of `version` admits: one membership test."""
    return Relation.INSIDE if target.contains(version, prereleases=True) else Relation.DISJOINT


def judge(admitted: VersionRange, has_specifier: bool, target: Supported) -> Relation:
    """`relate`, with the rule for bare names: judged only against the upper bound of `target`.

    A bare name admits every version, but it stands for the newest one: if the supported set is bounded
    above, the newest release may lie beyond it (a warning, never an error, since older supported
    releases remain installable); if it is not, the newest release is supported.
    """
    if not has_specifier:
        return Relation.OVERLAPS if target.bounded_above and not target.range.is_empty else Relation.INSIDE
    return relate(admitted, target.range)


@functools.lru_cache(maxsize=1024)
def prerelease_family(lower: str) -> VersionRange:
    """The pre- and dev-releases of `lower` (`4.0` -> `[4.0.dev0, 4.0)`), which `>=4.0` leaves out.

    A branch `>=4.0,<5` and the branch `>=3.0,<4` below it leave `4.0.0rc1` in neither; it belongs with
    the branch it previews.
    """
    version = Version(lower)
    if version.is_prerelease or version.is_devrelease or version.is_postrelease:
        return VersionRange.empty()
    # Built by complement, which carries no pre-release opt-in region, so that unions with this family
    # still convert back to a SpecifierSet for messages (`<3`, not None).
    start = ~SpecifierSet(f"<{version.base_version}.dev0").to_range()
    return start - SpecifierSet(f">={lower}").to_range()


def with_previews(text: str) -> VersionRange:
    """`parse_range(text)` plus the pre-releases of every version it starts at (`>=3.9` gains `3.9.0rc1`).

    For ranges where a preview belongs with its release: a runtime row "3.9+" does not exclude Python
    `3.9.0rc1`, so a project's `==3.9.*` (which admits it) is inside, not partly outside.
    """
    result = parse_range(text)
    for clause in _clauses(text):
        for spec in clause:
            if spec.operator in (">=", "==", "~=") and not spec.version.endswith(".*"):
                try:
                    result = result | prerelease_family(spec.version)
                except InvalidVersion:
                    continue
    return result


def format_specifier(specifier: SpecifierSet) -> str:
    """A SpecifierSet written lower bound first (`>=0.12.0,<=0.16`), as people and the pages write it."""
    specs = sorted(specifier, key=lambda spec: (_OPERATOR_ORDER.get(spec.operator, 5), spec.version))
    return ",".join(str(spec) for spec in specs)


def format_range(versions: VersionRange, fallback: str = "") -> str:
    """A PEP 440 rendering of `versions` for messages, or `fallback` where PEP 440 has none (unions)."""
    if versions.is_empty:
        return "no version"
    specifier = versions.to_specifier_set()
    if specifier is None:
        return fallback
    text = format_specifier(_readable(specifier))
    return text or "any version"


def _readable(specifier: SpecifierSet) -> SpecifierSet:
    """Spellings people read, for messages only: `>=3.11,!=3.11.*` as `>=3.12`, `>=0.16,!=0.16` as `>0.16`.

    packaging recovers the exact set (`>=3.12.dev0` and the post-releases of 0.16 included); the simpler
    spelling differs from it only in those pre- and post-releases, which a message need not spell out.
    """
    specs = list(specifier)
    lower = {spec.version: spec for spec in specs if spec.operator == ">="}
    result = []
    dropped = set()
    for spec in specs:
        if spec.operator != "!=":
            continue
        base = spec.version[:-2] if spec.version.endswith(".*") else spec.version
        if base not in lower:
            continue
        dropped.update({id(spec), id(lower[base])})
        if spec.version.endswith(".*"):
            parts = base.split(".")
            if not parts[-1].isdigit():
                return specifier
            parts[-1] = str(int(parts[-1]) + 1)
            result.append(f">={'.'.join(parts)}")
        else:
            result.append(f">{base}")
    result.extend(str(spec) for spec in specs if id(spec) not in dropped)
    try:
        return SpecifierSet(",".join(result))
    except InvalidSpecifier:
        return specifier


def admitted_of(admitted: VersionRange, specifier: str) -> VersionRange:
    """`admitted` under the default pre-release policy, the one every rule range has.

    packaging refuses set algebra between ranges of different configured pre-release policies; a reader
    that built a range with an explicit policy gets it rebuilt from its PEP 440 text instead.
    """
    try:
        admitted.is_disjoint(_NOTHING)  # raises ValueError for another policy; costs no range algebra
    except ValueError:
        return parse_range(specifier)
    return admitted


_NOTHING = VersionRange.empty()
