"""ddtrace release branches as ranges: which branches a set of versions reaches, and which one is in use.

The Releases table gives each branch as a specifier (`>=4.0,<5`). A branch here also owns the pre- and
dev-releases of its first version (`4.0.0rc1` is a 4.x preview, though `>=4.0` leaves it out), so the only
versions no branch owns are those past the newest branch (`5.0.0`) or below the oldest, where the table
has a gap. Those belong to branches the rule set does not know (DDC104): they are neither supported nor
End of Life, so they never make a support-level finding fire nor keep one from firing.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, NamedTuple, Optional

from packaging.ranges import VersionRange
from packaging.version import InvalidVersion, Version

from ddcompat._memo import by_identity, by_identity_and_key
from ddcompat.checks._ranges import parse_range, prerelease_family, supported
from ddcompat.ruleset.model import Branch, RuleSet, SupportLevel

if TYPE_CHECKING:
    from ddcompat.context import ProjectContext

_RANK = {
    SupportLevel.GENERAL_AVAILABILITY: 2,
    SupportLevel.MAINTENANCE: 1,
    SupportLevel.END_OF_LIFE: 0,
}
LEVEL_NAMES = {
    SupportLevel.GENERAL_AVAILABILITY: "General Availability",
    SupportLevel.MAINTENANCE: "Maintenance",
    SupportLevel.END_OF_LIFE: "End of Life",
}


class KnownBranch(NamedTuple):
    """A branch of the rule set with the versions it owns."""

    branch: Branch
    range: VersionRange
    floor: Optional[Version]  # its first version (None for an open-ended `<2`)

    @property
    def name(self) -> str:
        return self.branch.name

    def level(self, today: datetime.date) -> SupportLevel:
        return self.branch.level_on(today)

    def describe(self) -> str:
        """`3.x (>=3.0,<4)`."""
        return f"{self.branch.name} ({self.branch.specifier})"


def known_branches(rules: RuleSet) -> list[KnownBranch]:
    """The rule set's branches, newest first."""
    return list(_known_branches(rules))


@by_identity  # every check asks, for every project; the rule set never changes
def _known_branches(rules: RuleSet) -> tuple[KnownBranch, ...]:
    result: list[KnownBranch] = []
    for branch in rules.branches:
        floor_text = supported(branch.specifier).minimum
        versions = parse_range(branch.specifier)
        floor: Optional[Version] = None
        if floor_text is not None:
            floor = Version(floor_text)
            versions = versions | prerelease_family(floor_text)
        result.append(KnownBranch(branch=branch, range=versions, floor=floor))
    result.sort(key=lambda known: (known.floor is not None, known.floor or Version("0")), reverse=True)
    return tuple(result)


def reached(versions: VersionRange, rules: RuleSet) -> list[KnownBranch]:
    """The branches that own at least one of `versions`, newest first."""
    return list(_reached(rules, versions))


@by_identity_and_key  # a tree's ddtrace declarations repeat: each distinct range is placed once
def _reached(rules: RuleSet, versions: VersionRange) -> tuple[KnownBranch, ...]:
    return tuple(known for known in known_branches(rules) if not versions.is_disjoint(known.range))


def unknown_part(versions: VersionRange, rules: RuleSet) -> VersionRange:
    """The part of `versions` no known branch owns."""
    rest = versions
    for known in known_branches(rules):
        rest = rest - known.range
    return rest


def best(branches: list[KnownBranch], today: datetime.date) -> KnownBranch:
    """The best-supported branch; among equals, the newest (`branches` is newest first)."""
    return max(branches, key=lambda known: _RANK[known.level(today)])


@by_identity_and_key  # asked for every ddtrace declaration; a run has one rule set and one date
def supported_range(rules: RuleSet, today: datetime.date) -> VersionRange:
    """Every version of a branch not End of Life on `today`."""
    result = VersionRange.empty()
    for known in known_branches(rules):
        if known.level(today) is not SupportLevel.END_OF_LIFE:
            result = result | known.range
    return result


def newest_ga(rules: RuleSet, today: datetime.date) -> Optional[KnownBranch]:
    """The newest branch in General Availability on `today` (else the best-supported one)."""
    branches = known_branches(rules)
    if not branches:
        return None
    for known in branches:
        if known.level(today) is SupportLevel.GENERAL_AVAILABILITY:
            return known
    return best(branches, today)


@by_identity_and_key  # asked for every ddtrace declaration; the rule set never changes
def upgrade_version(rules: RuleSet, known: KnownBranch) -> str:
    """The version to move to on `known`: the newest release the rule set knows, else its first version.

    The rule set's tracer data (`rules/tracer/`) lists the releases it was built from; without any on the
    branch the branch's first version is the answer (`4.0.0`), padded to three components.
    """
    releases: list[Version] = []
    for tracer in rules.tracer_versions:
        try:
            version = Version(tracer.version)
        except InvalidVersion:
            continue
        if version in known.range and not version.is_prerelease:
            releases.append(version)
    if releases:
        return str(max(releases))
    if known.floor is None:
        return ""
    release = tuple(known.floor.release) + (0,) * (3 - len(known.floor.release))
    return ".".join(str(part) for part in release)


class BranchInUse(NamedTuple):
    """The branch the project's tracer is judged on, and how that was decided."""

    known: KnownBranch
    assumed: bool  # no ddtrace declared: the newest General Availability branch
    spans: bool  # the versions in use reach several known branches; the newest was taken

    def qualifier(self) -> str:
        """A clause saying what the finding rests on, for messages ("" when nothing was assumed)."""
        if self.assumed:
            return f" (no ddtrace version is declared; assuming the newest General Availability branch, " \
                f"{self.known.name})"
        if self.spans:
            return f" (the newest branch the declared ddtrace versions reach, {self.known.name})"
        return ""


def branch_in_use(context: ProjectContext, rules: RuleSet) -> Optional[BranchInUse]:
    """The branch whose support rules apply to the project, or None when it is not a known one.

    A lock's exact version decides. A range spanning several branches is judged on the newest it reaches:
    that is what an installer picks (the newest release the range admits), and a project that also
    admits older branches gets the support-level findings of DDC10x for them.
    """
    tracer = context.tracer
    if tracer.assumed:
        ga = newest_ga(rules, context.today)
        return None if ga is None else BranchInUse(known=ga, assumed=True, spans=False)
    branches = reached(tracer.versions, rules)
    if not branches:
        return None
    return BranchInUse(known=branches[0], assumed=False, spans=len(branches) > 1)
