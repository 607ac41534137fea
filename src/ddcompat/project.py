"""Group files into projects and build the `ProjectContext` the checks receive.

A checked file's project is the files in its folder and in each ancestor folder up to the nearest one
holding a pyproject.toml, Pipfile or .git (DESIGN.md, "Semantics"). Checked files that share a folder
share one context; files of ancestor folders are read for context (a lock, `.python-version`) and are
reported only when they were checked themselves, in their own folder's group.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Sequence, Set
from typing import TYPE_CHECKING, NamedTuple, Optional

from ddcompat.config import Config
from ddcompat.context import Located, ProjectContext, PythonInUse, TracerInUse
from ddcompat.model import Declaration, Origin, PythonDeclaration, ReadResult

if TYPE_CHECKING:
    from packaging.ranges import VersionRange

    from ddcompat.discovery import Target
    from ddcompat.ruleset.model import Branch, RuleSet

TRACER = "ddtrace"


class Group(NamedTuple):
    """Checked files of one folder: they share the folder's project context."""

    folder: str  # absolute
    targets: list[Target]


def group_targets(targets: Iterable[Target]) -> list[Group]:
    """Targets grouped by folder, folders sorted (parents before children), files in the given order."""
    groups: dict[str, Group] = {}
    for target in targets:
        folder = os.path.dirname(target.path)
        group = groups.get(folder)
        if group is None:
            group = groups[folder] = Group(folder, [])
        group.targets.append(target)
    return [groups[folder] for folder in sorted(groups, key=lambda path: path.split(os.sep))]


class Settings(NamedTuple):
    """What the command line and the config say about the project (command line first)."""

    today: datetime.date
    python: Optional[str] = None  # --python
    products: Optional[tuple[str, ...]] = None  # --products


def _version_key(text: str) -> tuple[int, object]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(text))
    except InvalidVersion:
        return (0, text)


def _branch_floor(branch: Branch) -> object:
    """The lowest version a branch names (`>=4.0,<5` -> 4.0); branches with no floor sort first."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import Version

    try:
        specifiers = SpecifierSet(branch.specifier)
    except InvalidSpecifier:
        return Version("0")
    floors = [Version(spec.version.rstrip(".*")) for spec in specifiers
              if spec.operator in (">=", ">", "==", "~=", "===")
              and _version_key(spec.version.rstrip(".*"))[0]]
    return max(floors) if floors else Version("0")


def newest_general_availability(rules: RuleSet, today: datetime.date) -> Optional[Branch]:
    """The newest branch in General Availability on `today` (the newest branch of all when none is)."""
    from ddcompat.ruleset.model import SupportLevel

    if not rules.branches:
        return None
    general = [branch for branch in rules.branches
               if branch.level_on(today) is SupportLevel.GENERAL_AVAILABILITY]
    candidates = general or list(rules.branches)
    return max(candidates, key=_branch_floor)  # type: ignore[arg-type]


def _full_range() -> VersionRange:
    from packaging.ranges import VersionRange

    return VersionRange.full()


def tracer_in_use(results: Sequence[ReadResult], skipped: set[int], rules: Optional[RuleSet],
                  today: datetime.date, watched: Optional[Set[str]] = None) -> TracerInUse:
    """A lock's exact ddtrace version first; else the intersection of the declared ranges; else assumed.

    `results` are nearest first (the checked folder, then its ancestors): the nearest lock and the
    nearest manifest declaration win where several exist.
    """
    manifest: list[tuple[ReadResult, Declaration]] = []
    locked: list[tuple[ReadResult, Declaration]] = []
    for result in results:
        for decl in result.named(watched):
            if decl.name != TRACER or id(decl) in skipped:
                continue
            (locked if decl.origin is Origin.LOCK else manifest).append((result, decl))
    pointer = manifest[0] if manifest else (locked[0] if locked else None)
    declaration = pointer[1] if pointer else None
    path = pointer[0].path if pointer else None
    if locked:
        lock_decl = _consistent_lock(locked, manifest)
        # point at a declaration that admits the locked version (a stale pin elsewhere is not "the" ddtrace)
        agreeing = [pair for pair in manifest
                    if not pair[1].admitted.intersection(lock_decl.admitted).is_empty]
        pointer = agreeing[0] if agreeing else next(pair for pair in locked if pair[1] is lock_decl)
        return TracerInUse(versions=lock_decl.admitted, exact=lock_decl.declared or None, assumed=False,
                           declaration=pointer[1], path=pointer[0].path)
    if manifest:
        versions = _full_range()
        for _, decl in manifest:
            versions = versions.intersection(decl.admitted)
        if versions.is_empty:  # contradictory declarations: judge by the nearest one
            versions = manifest[0][1].admitted
        return TracerInUse(versions=versions, exact=None, assumed=False, declaration=declaration, path=path)
    branch = newest_general_availability(rules, today) if rules is not None else None
    if branch is not None:
        from packaging.specifiers import SpecifierSet

        versions = SpecifierSet(branch.specifier).to_range()
    else:
        versions = _full_range()
    return TracerInUse(versions=versions, exact=None, assumed=True, declaration=None, path=None)


def _consistent_lock(locked: Sequence[tuple[ReadResult, Declaration]],
                     manifest: Sequence[tuple[ReadResult, Declaration]]) -> Declaration:
    """The nearest lock whose version every manifest declaration admits (a stale second lock loses)."""
    for _, decl in locked:
        if all(not decl.admitted.intersection(declared.admitted).is_empty for _, declared in manifest):
            return decl
    return locked[0][1]


def own_tracer(context: ProjectContext, result: ReadResult) -> Optional[TracerInUse]:
    """A checked file's own ddtrace where it contradicts the project's (None: the project's holds).

    A requirements file pinning `ddtrace==1.7.2` beside one pinning `ddtrace==3.14.3`, or a second lock
    locking another version, describes its own environment: its integrations are judged on its ddtrace.
    """
    own = [decl for decl in context.active(result) if decl.name == TRACER]
    if not own or any(not decl.admitted.intersection(context.tracer.versions).is_empty for decl in own):
        return None
    locks = [decl for decl in own if decl.origin is Origin.LOCK]
    if locks:
        return TracerInUse(versions=locks[0].admitted, exact=locks[0].declared or None, assumed=False,
                           declaration=locks[0], path=result.path)
    versions = _full_range()
    for decl in own:
        versions = versions.intersection(decl.admitted)
    if versions.is_empty:
        versions = own[0].admitted
    return TracerInUse(versions=versions, exact=None, assumed=False, declaration=own[0], path=result.path)


def split_contexts(context: ProjectContext) -> list[ProjectContext]:
    """The project's context, plus one per checked file whose own ddtrace contradicts the project's."""
    separate: list[ProjectContext] = []
    for result in context.checked_results():
        tracer = own_tracer(context, result)
        if tracer is not None:
            separate.append(context._replace(tracer=tracer, checked=frozenset({result.path})))
    if not separate:
        return [context]
    apart = frozenset(path for split in separate for path in split.checked)
    return [context._replace(checked=context.checked - apart), *separate]


def _union(declarations: Sequence[PythonDeclaration]) -> VersionRange:
    versions = declarations[0].admitted
    for decl in declarations[1:]:
        versions = versions.union(decl.admitted)
    return versions


def python_in_use(results: Sequence[ReadResult], settings: Settings, config: Config) -> Optional[PythonInUse]:
    """`--python`, then config `python`, then `.python-version`, then a manifest's, then a lock's."""
    from ddcompat.pythons import parse_python_option

    if settings.python is not None:
        return PythonInUse(parse_python_option(settings.python).to_range(), settings.python, "--python",
                           None, None)
    if config.python is not None:
        return PythonInUse(parse_python_option(config.python).to_range(), config.python, "config", None, None)
    for result in results:
        if result.kind == "python-version" and result.pythons:
            first = result.pythons[0]
            # pyenv accepts several versions, one per line: the project runs on any of them.
            text = ", ".join(decl.declared for decl in result.pythons)
            return PythonInUse(_union(result.pythons), text, ".python-version", first, result.path)
    for origin in (Origin.MANIFEST, Origin.LOCK):
        for result in results:
            if result.kind == "python-version":
                continue
            for decl in result.pythons:
                if decl.origin is origin:
                    return PythonInUse(decl.admitted, decl.declared, decl.kind, decl, result.path)
    return None


def skipped_declarations(results: Iterable[ReadResult], pythons: Optional[VersionRange],
                         watched: Optional[Set[str]] = None) -> set[int]:
    """`id()`s of the declarations (of `watched` names) whose marker cannot hold for the project's Pythons."""
    skipped: set[int] = set()
    if pythons is None:
        return skipped
    from ddcompat.python_markers import can_hold

    for result in results:
        for decl in result.named(watched):
            if decl.marker is not None and not can_hold(decl.marker, pythons):
                skipped.add(id(decl))
    return skipped


def build_context(results: Sequence[ReadResult], checked: Iterable[str], *, root: str, config: Config,
                  settings: Settings, rules: Optional[RuleSet],
                  watched: Optional[Set[str]] = None) -> ProjectContext:
    """The context of one group: `results` nearest first, `checked` the display paths reported on.

    `watched`: the names the checks read declarations of (ddtrace's among them); None for every name.
    """
    python = python_in_use(results, settings, config)
    skipped = skipped_declarations(results, python.versions if python is not None else None, watched)
    tracer = tracer_in_use(results, skipped, rules, settings.today, watched)
    products = settings.products if settings.products is not None else config.products
    return ProjectContext(
        root=root,
        results=list(results),
        checked=frozenset(checked),
        tracer=tracer,
        python=python,
        today=settings.today,
        products=frozenset(products) if products is not None else frozenset({"apm"}),
        agent_version=config.agent_version,
        agent_location=_location(config, "agent-version", config.agent_version),
        site=config.site,
        site_location=_location(config, "site", config.site),
        deployment=config.deployment,
        deployment_location=_location(config, "deployment", config.deployment),
        skipped=skipped,
        watched=watched,
    )


def _location(config: Config, key: str, value: Optional[str]) -> Optional[Located]:
    return config.location(key) if value is not None else None
