"""DDC311-312: what the ddtrace release in use says in its own code, beyond the doc pages.

The pages describe the current tracer, and parts of them are stale; ddtrace's own code says, per release,
which integrations exist and which library versions each accepts (`_supported_versions()`, enforced with
safe instrumentation, as under single-step instrumentation). `rules/tracer/` holds that data for the
releases ddcompat knows; a release between two of them is judged on the nearest one at or below it, and
messages say which.

* DDC311: the library had an integration in an earlier known release, and the release in use has none
  (cassandra-driver and mongoengine with ddtrace 4, Pylons from 2.4 on): its traces stop.
* DDC312: the declaration admits versions the release's own specifier for the library does not accept,
  whether or not the pages list the library (Django 2.0.13 with ddtrace 4, confluent-kafka 1.8.2).

This module also gives the integrations family (DDC301/302/304) what the tracer says where the page differs:
`tracer_note` and `tracer_default`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple, Optional

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from ddcompat._memo import by_identity
from ddcompat.checks._common import (
    TRACER,
    checked_declarations,
    describe,
    judged,
    make_finding,
    relation_to,
    versioned,
)
from ddcompat.checks._ranges import Relation, format_range, relate, supported
from ddcompat.context import ProjectContext, TracerInUse
from ddcompat.model import Declaration, Finding
from ddcompat.names import normal_name
from ddcompat.ruleset.model import Integration, RuleSet, TracerIntegration, TracerVersion
from ddcompat.ruleset.tracer_load import Presence, presence_of

if TYPE_CHECKING:
    from packaging.ranges import VersionRange

SAFE_INSTRUMENTATION = (
    "ddtrace skips patching it under safe instrumentation (as single-step instrumentation sets)"
)

# Page rows whose Automatic column is about a part PATCH_MODULES does not govern: the aiohttp server is
# traced through ddtrace's middleware (`trace_app`), which the user adds by hand whatever PATCH_MODULES
# says about the aiohttp client.
_NOT_GOVERNED_BY_PATCH_MODULES = frozenset({"aiohttp-server"})


class TracerBasis(NamedTuple):
    """The known release whose data stands for the ddtrace in use, and how to say so in a message."""

    release: TracerVersion  # the data used (a file of rules/tracer/, read on first use)
    name: str  # the ddtrace in use as messages name it: "ddtrace 4.2.0", "ddtrace>=4,<5", "ddtrace"
    judged: str  # how the data was chosen ("" when it is the very release in use)

    @property
    def version(self) -> str:
        return self.release.version

    def aside(self, *more: str) -> str:
        """` (judged on ...; more)` for a message, or `` when there is nothing to add."""
        parts = [part for part in (*more, self.judged) if part]
        return f" ({'; '.join(parts)})" if parts else ""


def _known(rules: RuleSet) -> list[tuple[Version, TracerVersion]]:
    return list(_known_releases(rules))


@by_identity  # asked for every declaration; the rule set never changes
def _known_releases(rules: RuleSet) -> tuple[tuple[Version, TracerVersion], ...]:
    known: list[tuple[Version, TracerVersion]] = []
    for release in rules.tracer_versions:
        try:
            known.append((Version(release.version), release))
        except InvalidVersion:
            continue
    known.sort(key=lambda item: item[0])
    return tuple(known)


def _newest_touching(known: list[tuple[Version, TracerVersion]], versions: VersionRange) -> Optional[int]:
    """The index of the newest known release at or below the newest of `versions` (None: all are older)."""
    for index in range(len(known) - 1, -1, -1):
        if not versions.is_disjoint(SpecifierSet(f">={known[index][0]}").to_range()):
            return index
    return None


def _single_version(versions: VersionRange) -> Optional[Version]:
    """The version of a range that admits one release (`ddtrace==4.2.0` in a manifest), else None."""
    specifier = versions.to_specifier_set()
    if specifier is None:
        return None
    clauses = list(specifier)
    if len(clauses) != 1 or clauses[0].operator not in ("==", "===") or "*" in clauses[0].version:
        return None
    try:
        return Version(clauses[0].version)
    except InvalidVersion:
        return None


_LAST_BASIS: list[tuple[RuleSet, TracerInUse, Optional[datetime.date], Optional[TracerBasis]]] = []


def tracer_basis(
    rules: RuleSet, tracer: TracerInUse, today: Optional[datetime.date] = None
) -> Optional[TracerBasis]:
    """`_tracer_basis`, computed once per project: DDC301-304 ask it for every declaration."""
    for seen_rules, seen_tracer, seen_today, basis in _LAST_BASIS:
        if seen_rules is rules and seen_tracer is tracer and seen_today == today:
            return basis
    basis = _tracer_basis(rules, tracer, today)
    _LAST_BASIS[:] = [(rules, tracer, today, basis)]  # projects are checked one at a time
    return basis


def _tracer_basis(
    rules: RuleSet, tracer: TracerInUse, today: Optional[datetime.date] = None
) -> Optional[TracerBasis]:
    """The data the ddtrace in use is judged on, or None when ddcompat knows no release at or below it.

    A locked or pinned version is judged on the nearest known release at or below it. A range is judged on
    the newest known release it admits (what an installer picks), else on the nearest known release below
    it. With nothing declared, on the newest known release of the newest General Availability branch.
    """
    known = _known(rules)
    if not known:
        return None
    exact: Optional[Version] = None
    if tracer.exact is not None:
        try:
            exact = Version(tracer.exact)
        except InvalidVersion:
            return None
    elif not tracer.assumed:
        exact = _single_version(tracer.versions)
    if exact is not None:
        at_or_below = [item for item in known if item[0] <= exact]
        if not at_or_below:
            return None
        version, release = at_or_below[-1]
        judged = (
            "" if version == exact else f"judged on {version}, the nearest release ddcompat knows below it"
        )
        return TracerBasis(release, f"ddtrace {exact}", judged)
    if tracer.assumed:
        from ddcompat.checks._branches import newest_ga

        branch = newest_ga(rules, today or datetime.date.today())
        in_branch = [
            item for item in known if branch is None or branch.range.contains(item[0], prereleases=True)
        ]
        version, release = (in_branch or known)[-1]
        assumed = f"the newest General Availability branch, {branch.name}, " if branch is not None else ""
        judged = f"no ddtrace version is declared; assuming {assumed}judged on {version}"
        return TracerBasis(release, "ddtrace", judged)
    index = _newest_touching(known, tracer.versions)
    if index is None:
        return None
    version, release = known[index]
    text = format_range(tracer.versions, fallback="")
    name = f"ddtrace{text}" if text and text[0] in "<>=!~" else "the declared ddtrace"
    if tracer.versions.contains(version, prereleases=True):
        judged = f"judged on {version}, the newest release it admits that ddcompat knows"
    else:
        judged = f"judged on {version}, the nearest release ddcompat knows below it"
    return TracerBasis(release, name, judged)


# --- per-release lookups ---------------------------------------------------------------------------------

def integrations_for(release: TracerVersion, distribution: str) -> tuple[TracerIntegration, ...]:
    """The release's integrations that trace `distribution` (normalised name)."""
    return _by_distribution(release).get(normal_name(distribution), ())


@by_identity  # built once per release; a release's data never changes
def _by_distribution(release: TracerVersion) -> dict[str, tuple[TracerIntegration, ...]]:
    index: dict[str, list[TracerIntegration]] = {}
    for integration in release.integrations:
        for name in integration.distributions:
            index.setdefault(name, []).append(integration)
    return {name: tuple(items) for name, items in index.items()}


def specifier_for(integration: TracerIntegration, distribution: str) -> Optional[str]:
    """The specifier ddtrace enforces for `distribution`, looked up as ddtrace does.

    ddtrace asks `_supported_versions()` for the hooked module's key, else for the integration's name
    (`_get_integration_supported_versions` in ddtrace/_monkey.py). None: no specifier, or `*` (any version).
    """
    module = integration.distribution_modules.get(normal_name(distribution), "")
    if not module:
        return None
    spec = integration.specifiers.get(module)
    if spec is None:
        spec = integration.specifiers.get(integration.name)
    if spec is None or spec.strip() in ("", "*"):
        return None
    return spec


# --- the check ----------------------------------------------------------------------------------------------


def watched(rules: RuleSet) -> frozenset[str]:
    """The names whose declarations this family reads: those some known ddtrace release integrates."""
    if not rules.tracer_versions:
        return frozenset()
    return frozenset(_presence(rules.tracer_versions).marks)


def check(context: ProjectContext, rules: RuleSet) -> Iterable[Finding]:
    """DDC311 and DDC312 for every library declaration of the checked files."""
    if not rules.tracer_versions:
        return
    presence = _presence(rules.tracer_versions)
    basis: Optional[TracerBasis] = None
    for result, decl in checked_declarations(context):
        if decl.name == TRACER or not presence.known(decl.name):
            continue  # no known release ever traced it: nothing to read
        if basis is None:
            basis = tracer_basis(rules, context.tracer, context.today)
            if basis is None:
                return
        yield from _check_declaration(result.path, decl, basis, presence, rules)


_presence = by_identity(presence_of)  # once per rule set, not once per project


def _check_declaration(
    path: str, decl: Declaration, basis: TracerBasis, presence: Presence, rules: RuleSet
) -> Iterator[Finding]:
    covering = integrations_for(basis.release, decl.name)
    if not covering:
        finding = _removed(path, decl, basis, presence, rules)
        if finding is not None:
            yield finding
        return
    if not versioned(decl):
        return
    for integration in covering:
        finding = _outside(path, decl, basis, integration)
        if finding is not None:
            yield finding
            return  # one finding a declaration: integrations sharing a library share its specifier


def _removed(
    path: str, decl: Declaration, basis: TracerBasis, presence: Presence, rules: RuleSet
) -> Optional[Finding]:
    """DDC311, when an earlier known release traced the library and the one in use does not."""
    in_use = Version(basis.version)
    having = presence.releases_with(decl.name)
    earlier = [release for release in having if Version(release) < in_use]
    if not earlier:
        return None  # not yet traced in this release (a newer one added it): not a removal
    last = earlier[-1]
    # a later known release that has the integration again (gunicorn: in 2.x, not in 3.0-3.10, in 3.19.8+)
    again = next((release for release in having if Version(release) > in_use), None)
    last_release = next(release for release in rules.tracer_versions if release.version == last)
    names = sorted({integration.name for integration in integrations_for(last_release, decl.name)})
    integration = " and ".join(names) or decl.name
    text = describe(decl)
    history = (f"ddtrace {last} had it and {again} has it again" if again is not None
               else f"ddtrace {last}, the last release ddcompat knows with one, had it")
    message = (
        f"{text}: {basis.name} has no {integration} integration, so {decl.raw_name} is not traced"
        f"{basis.aside(history)}"
    )
    hint = (f"Upgrade ddtrace to {again} or later (it has the {integration} integration again), "
            if again is not None
            else f"Stay on ddtrace {last} (the last known release with the {integration} integration), ")
    return make_finding(
        "DDC311",
        message,
        path,
        decl.span,
        hint=f"{hint}or trace {decl.raw_name} manually",
        package=decl.name,
        declared=decl.declared,
        subject=decl,
    )


def _outside(
    path: str, decl: Declaration, basis: TracerBasis, integration: TracerIntegration
) -> Optional[Finding]:
    """DDC312, when the declaration admits versions the integration's own specifier does not accept."""
    spec = specifier_for(integration, decl.name)
    if spec is None:
        return None
    target = supported(spec)
    relation = judged(decl, target)
    if relation is Relation.INSIDE:
        return None
    text = describe(decl)
    verb = "is outside" if relation is Relation.DISJOINT else "admits versions outside"
    message = (
        f"{text} {verb} {decl.raw_name}{spec}, what {basis.name}'s {integration.name} integration accepts"
        f"{basis.aside('its _supported_versions()')}; {SAFE_INSTRUMENTATION}"
    )
    return make_finding(
        "DDC312",
        message,
        path,
        decl.span,
        hint=f"Move {decl.raw_name} into {spec}, what ddtrace's own {integration.name} integration accepts",
        package=decl.name,
        declared=decl.declared,
        subject=decl,
        target=target.range,
        pin_to=target.minimum,
    )


# --- what the integrations family (DDC301/302/304) adds where the page and the tracer disagree -----------


_EXCLUDES_TOO = ", which excludes the versions declared here too"


def tracer_note(
    rules: RuleSet,
    tracer: TracerInUse,
    distribution: str,
    admitted_versions: Optional[VersionRange | Declaration] = None,
    today: Optional[datetime.date] = None,
) -> Optional[str]:
    """What the ddtrace in use's own code accepts for `distribution`, where that differs from the page.

    For DDC301/DDC302 messages: `aiopg==1.4.0` is outside the page's `>=0.12.0,<=0.16`, but ddtrace's own
    aiopg integration accepts `>=0.16.0`. None when the tracer data says nothing about the library (no known
    release at or below the one in use, no integration, no specifier) or agrees with every page row for it.
    With `admitted_versions` (a range, or the declaration whose range it is), the note also says whether
    the tracer accepts what the declaration admits.
    """
    basis = tracer_basis(rules, tracer, today)
    if basis is None:
        return None
    name = normal_name(distribution)
    for integration in integrations_for(basis.release, name):
        spec = specifier_for(integration, name)
        if spec is None:
            continue
        tracer_range = supported(spec).range
        rows = rules.integrations_for_distribution(name)
        if rows and all(supported(row.specifier).range == tracer_range for row in rows):
            return None
        note = (
            f"{basis.name}'s own {integration.name} integration accepts {distribution}{spec}{basis.aside()}"
        )
        if admitted_versions is not None:
            if isinstance(admitted_versions, Declaration):
                relation = relation_to(admitted_versions, tracer_range)
            else:
                relation = relate(admitted_versions, tracer_range)
            if relation is Relation.INSIDE:
                note += ", which includes every version declared here"
            elif relation is Relation.DISJOINT:
                note += _EXCLUDES_TOO
        return note
    return None


class TracerDefault(NamedTuple):
    """Whether the ddtrace in use enables an integration by default, from its `PATCH_MODULES`."""

    enabled: bool
    integration: str  # ddtrace's name ("bottle")
    value: str  # the PATCH_MODULES value as written ("True", "config._logs_injection"), "" when absent
    basis: TracerBasis

    def describe(self) -> str:
        """`ddtrace 4.0.0 enables its bottle integration by default (PATCH_MODULES: True)`."""
        who, what, aside = self.basis.name, f"its {self.integration} integration", self.basis.aside
        if self.enabled:
            return f"{who} enables {what} by default{aside('PATCH_MODULES: True')}"
        if not self.value:
            return f"{who} does not enable {what} by default{aside('not in PATCH_MODULES')}"
        if self.value == "False":
            return f"{who} does not enable {what} by default{aside('PATCH_MODULES: False')}"
        condition = aside(f"PATCH_MODULES: {self.value}")
        return f"{who} enables {what} only when its configuration says so{condition}"


def tracer_default(
    rules: RuleSet, tracer: TracerInUse, row: Integration, today: Optional[datetime.date] = None
) -> Optional[TracerDefault]:
    """What the ddtrace in use really enables by default for a page row (DDC304), or None if unknown.

    None when there is no tracer data for it (no known release at or below the one in use, the release
    has no such integration, or the row's Automatic column is about something PATCH_MODULES does not
    govern, such as the aiohttp server's middleware); the caller then keeps the page's Automatic column.
    """
    if row.key in _NOT_GOVERNED_BY_PATCH_MODULES or not row.module:
        return None
    basis = tracer_basis(rules, tracer, today)
    if basis is None:
        return None
    integration = _by_name(basis.release).get(row.module)
    if integration is not None:
        return TracerDefault(integration.enabled_by_default, integration.name, integration.default, basis)
    return None


@by_identity  # asked for every page row of every declaration; a release's data never changes
def _by_name(release: TracerVersion) -> dict[str, TracerIntegration]:
    """The release's integrations by ddtrace's name (the first, where a name repeats)."""
    index: dict[str, TracerIntegration] = {}
    for integration in release.integrations:
        index.setdefault(integration.name, integration)
    return index


def with_tracer_note(message: str, decl: Declaration, context: ProjectContext, rules: RuleSet) -> str:
    """A DDC301/DDC302 `message` (judged against the page) with what the tracer in use accepts, where they
    differ."""
    note = tracer_note(rules, context.tracer, decl.raw_name, decl, context.today)
    if note is None:
        return message
    # The advice follows the page; where the tracer would accept more, the note qualifies it ("pin
    # aiopg>=0.12.0,<=0.16, though ddtrace's own aiopg integration accepts aiopg>=0.16.0") rather than
    # reading as a second, contradicting instruction. Where the tracer rejects them too, it backs it up.
    joint = "; " if note.endswith(_EXCLUDES_TOO) else ", though "
    return f"{message}{joint}{note}"
