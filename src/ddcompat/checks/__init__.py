"""Checks: one module per family. They read no files: declarations and project context in, findings out.

Every family module exposes `check(context, rules)`; the runner calls each one in `ALL_CHECKS` for every
project, then applies suppressions, `--select`/`--ignore`, and sorts. Each also says which names it reads
declarations of (`watched(rules)`): the project layer hands the checks only those, so a big lock's other
packages are never built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Callable

from ddcompat._memo import by_identity
from ddcompat.checks import agent, code_security, integrations, runtime, tracer, tracer_aware
from ddcompat.context import ProjectContext
from ddcompat.model import Finding
from ddcompat.ruleset.model import RuleSet

CheckFunction = Callable[[ProjectContext, RuleSet], Iterable[Finding]]

_FAMILIES = (tracer, runtime, integrations, tracer_aware, code_security, agent)  # in the order they run

ALL_CHECKS: tuple[CheckFunction, ...] = tuple(family.check for family in _FAMILIES)


@by_identity  # once per rule set
def watched_names(rules: RuleSet) -> frozenset[str]:
    """Every name some check of `ALL_CHECKS` reads declarations of; the others need not be built."""
    return frozenset().union(*(family.watched(rules) for family in _FAMILIES))


__all__ = ["ALL_CHECKS", "CheckFunction", "watched_names"]
