"""DDC101-104: the support level of the ddtrace release branches a declaration admits.

Each ddtrace declaration of a checked file (manifest or lock) is judged on its own, by the branches of the
Releases table its versions reach (see `_branches` for pre-releases and unknown branches):

* DDC101: every known version it admits is on an End-of-Life branch (a Maintenance branch past the end
  date the page gives counts as End of Life);
* DDC102: the best branch it reaches is in Maintenance;
* DDC103: it reaches a supported branch, and its bounds also admit End-of-Life versions;
* DDC104: it admits only versions of branches the rule set does not know (`ddtrace==5.0.0`).

A bare `ddtrace` stands for the newest release and is not judged; nor is a URL or path requirement.
DDC102 and DDC103 can both fire on one declaration (`ddtrace>=2,<4` while 3.x is in Maintenance): they are
two different problems with two different fixes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from packaging.ranges import VersionRange

from ddcompat.checks._branches import (
    LEVEL_NAMES,
    KnownBranch,
    best,
    known_branches,
    newest_ga,
    reached,
    supported_range,
    upgrade_version,
)
from ddcompat.checks._common import TRACER, admitted, describe, make_finding, tracer_declarations, versioned
from ddcompat.checks._ranges import format_range
from ddcompat.context import ProjectContext
from ddcompat.model import Declaration, Finding, Origin
from ddcompat.ruleset.model import RuleSet, SupportLevel


def watched(rules: RuleSet) -> frozenset[str]:
    """The names whose declarations this family reads: ddtrace's."""
    return frozenset({TRACER})


def check(context: ProjectContext, rules: RuleSet) -> Iterable[Finding]:
    """Findings for every ddtrace declaration of the project's checked files."""
    if not rules.branches:
        return
    for result, decl in tracer_declarations(context):
        yield from _check_declaration(result.path, decl, rules, context.today)


def _level_text(known: KnownBranch, today: datetime.date) -> str:
    """How a branch's level reads in a message, with the end date and whether it has passed."""
    branch = known.branch
    level = known.level(today)
    if branch.end_date is not None:
        end = branch.end_date.isoformat()
        if level is SupportLevel.END_OF_LIFE and branch.level is not SupportLevel.END_OF_LIFE:
            return f"End of Life since its Maintenance ended on {end}"
        return f"{LEVEL_NAMES[level]} until {end}"
    return LEVEL_NAMES[level]


def _join(branches: list[KnownBranch]) -> str:
    names = [known.describe() for known in branches]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _check_declaration(
    path: str, decl: Declaration, rules: RuleSet, today: datetime.date
) -> Iterator[Finding]:
    if not decl.has_specifier or not versioned(decl):
        return
    versions = admitted(decl)
    if versions.is_empty:
        return
    text = describe(decl)
    source = rules.branches[0].source.cite()
    branches = reached(versions, rules)
    target = supported_range(rules, today)
    ga = newest_ga(rules, today)
    upgrade = "" if ga is None else upgrade_version(rules, ga)
    upgrade_clause = "" if ga is None else f"upgrade to the {ga.name} branch ({ga.branch.specifier})"

    def emit(code: str, message: str, hint: str, target: VersionRange, pin_to: str = "") -> Finding:
        return make_finding(
            code, message, path, decl.span, hint=hint, package=TRACER, declared=decl.declared,
            subject=decl, target=target, pin_to=pin_to or None,
        )

    if not branches:
        known = ", ".join(known.name for known in known_branches(rules))
        yield emit(
            "DDC104",
            f"{text} {_only(decl, 'versions of ddtrace release branches the rule set does not know')} "
            f"(the {source} lists {known}); its support level cannot be checked",
            "Check the pin for a typo; if the branch is new, update ddcompat or its rule set.",
            target,
        )
        return

    eol = [known for known in branches if known.level(today) is SupportLevel.END_OF_LIFE]
    alive = [known for known in branches if known.level(today) is not SupportLevel.END_OF_LIFE]
    if not alive:
        levels = "; ".join(f"{known.name} is {_level_text(known, today)}" for known in eol)
        yield emit(
            "DDC101",
            f"{text} {_only(decl, 'End-of-Life ddtrace versions')} ({levels}; {source}); {upgrade_clause}",
            f"Upgrade ddtrace, e.g. `ddtrace>={upgrade}`; End-of-Life branches get no fixes."
            if upgrade
            else "Upgrade ddtrace to a supported branch; End-of-Life branches get no fixes.",
            target,
            upgrade,
        )
        return

    top = best(alive, today)
    if top.level(today) is SupportLevel.MAINTENANCE:
        yield emit(
            "DDC102",
            f"{text} {'is on' if _exact(decl) else 'admits at best'} the {top.describe()} branch, in "
            f"{_level_text(top, today)} "
            f"({source}); {upgrade_clause} before then",
            "Maintenance branches get only critical fixes; plan the upgrade before the end date.",
            ga.range if ga is not None else target,
            upgrade,
        )
    if eol:
        eol_part = format_range(versions & _union(eol))
        eol_part = f"{eol_part}: " if eol_part else ""
        yield emit(
            "DDC103",
            f"{text} also admits End-of-Life ddtrace versions ({eol_part}{_join(eol)} "
            f"{'is' if len(eol) == 1 else 'are'} End of Life on {today.isoformat()}; {source}); "
            f"raise its lower bound to {_floor_of(alive)}",
            f"Raise the lower bound, e.g. `ddtrace>={_floor_of(alive)}`, so no resolver can pick an "
            "End-of-Life tracer.",
            target,
        )


def _exact(decl: Declaration) -> bool:
    """Whether `decl` names one version (a lock entry, `==4.1.0`): messages then say "is", not "admits"."""
    return decl.origin is Origin.LOCK or (decl.specifier.startswith("==") and "," not in decl.specifier
                                          and "*" not in decl.specifier and "||" not in decl.specifier)


def _only(decl: Declaration, what: str) -> str:
    """`admits only <what>`, or for one exact version `is one of <what>`."""
    return f"is one of the {what}" if _exact(decl) else f"admits only {what}"


def _union(branches: list[KnownBranch]) -> VersionRange:
    result = branches[0].range
    for known in branches[1:]:
        result = result | known.range
    return result


def _floor_of(branches: list[KnownBranch]) -> str:
    """The first version of the oldest branch in `branches` (`3.0`), as the Releases table writes it."""
    oldest = branches[-1]
    return str(oldest.floor) if oldest.floor is not None else oldest.branch.specifier
