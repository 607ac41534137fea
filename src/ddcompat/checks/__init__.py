"""Checks: one module per family. They read no files: declarations and project context in, findings out.

Every family module exposes `check(context, rules)`; the runner calls each one in `ALL_CHECKS` for every
project, then applies suppressions, `--select`/`--ignore`, and sorts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Callable

from ddcompat.checks import agent, code_security, integrations, runtime, tracer, tracer_aware
from ddcompat.context import ProjectContext
from ddcompat.model import Finding
from ddcompat.ruleset.model import RuleSet

CheckFunction = Callable[[ProjectContext, RuleSet], Iterable[Finding]]

ALL_CHECKS: tuple[CheckFunction, ...] = (
    tracer.check,
    runtime.check,
    integrations.check,
    tracer_aware.check,
    code_security.check,
    agent.check,
)

__all__ = ["ALL_CHECKS", "CheckFunction"]
