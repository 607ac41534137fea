"""What every check family shares: building findings, quoting declarations, choosing where to report."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional, Union

from ddcompat.catalog import rule_for
from ddcompat.checks._ranges import (
    Relation,
    Supported,
    admitted_of,
    exact_pin,
    judge,
    lower_bound,
    lower_bound_relation,
    pin_relation,
    relate,
)
from ddcompat.context import Located, ProjectContext
from ddcompat.model import Declaration, Finding, Origin, PythonDeclaration, ReadResult, Span

if TYPE_CHECKING:
    from packaging.ranges import VersionRange

TRACER = "ddtrace"
_OPERATOR_START = frozenset("<>=!~")


def make_finding(
    code: str,
    message: str,
    path: str,
    span: Span,
    *,
    hint: str,
    package: Optional[str] = None,
    declared: str = "",
    subject: Optional[Union[Declaration, PythonDeclaration]] = None,
    target: Optional[VersionRange] = None,
    pin_to: Optional[str] = None,
) -> Finding:
    """A finding at the catalog's level for `code`."""
    return Finding(
        code=code,
        level=rule_for(code).level,
        message=message,
        path=path,
        span=span,
        package=package,
        declared=declared,
        hint=hint,
        subject=subject,
        target=target,
        pin_to=pin_to,
    )


def describe(decl: Declaration) -> str:
    """The declaration as a user recognises it: `aiopg>=0.12`, `ddtrace "^2.0"`, `ddtrace 2.3.0 (locked)`."""
    if decl.origin is Origin.LOCK:
        return f"{decl.raw_name} {decl.declared} (locked)"
    declared = decl.declared.strip()
    if not declared or not decl.has_specifier:
        return decl.raw_name
    if declared[0] in _OPERATOR_START:  # `ddtrace == 1.18.2` reads `ddtrace==1.18.2`, not `ddtrace== 1.18.2`
        return f"{decl.raw_name}{''.join(declared.split())}"
    return f'{decl.raw_name} "{declared}"'


def admitted(decl: Declaration) -> VersionRange:
    """The versions `decl` admits, safe to combine with rule ranges."""
    return admitted_of(decl.admitted, decl.specifier)


def relation_to(decl: Declaration, target: VersionRange) -> Relation:
    """`relate(admitted(decl), target)`; for an exact pin, and for a lower bound against a one-interval
    target, without building the declaration's range."""
    pin = exact_pin(decl.specifier)
    if pin is not None:
        return pin_relation(pin, target)
    lowest = lower_bound(decl.specifier)
    if lowest is not None:
        relation = lower_bound_relation(lowest, target)
        if relation is not None:
            return relation
    return relate(admitted(decl), target)


def judged(decl: Declaration, target: Supported) -> Relation:
    """`judge(admitted(decl), decl.has_specifier, target)`, with `relation_to`'s shortcut for exact pins."""
    if decl.has_specifier:
        return relation_to(decl, target.range)
    return judge(admitted(decl), False, target)


@functools.lru_cache(maxsize=16384)  # every lock entry asks; the same versions recur across a tree's locks
def _is_version(text: str) -> bool:
    from packaging.version import Version

    try:
        Version(text)
    except ValueError:  # InvalidVersion, or more digits than int() converts
        return False
    return True


def versioned(decl: Declaration) -> bool:
    """Whether version checks apply: there is a PEP 440 version set to judge.

    Not for a URL, VCS or path requirement, a lock entry whose version is not PEP 440 (`latest`), or an
    arbitrary-equality literal that is not a version (`===not-a-version`): their readers report what is
    wrong with them, and no range finding can be right about them.
    """
    if decl.is_direct_reference:
        return False
    if decl.origin is Origin.LOCK:
        return _is_version(decl.declared.strip().lstrip("="))
    for clause in decl.specifier.replace("||", ",").split(","):
        clause = clause.strip()
        if clause.startswith("===") and not _is_version(clause[3:].strip()):
            return False
    return True


def checked_declarations(context: ProjectContext) -> Iterator[tuple[ReadResult, Declaration]]:
    """Every active declaration of the files findings may be reported for."""
    for result in context.checked_results():
        for decl in context.active(result):
            yield result, decl


def tracer_declarations(context: ProjectContext) -> list[tuple[ReadResult, Declaration]]:
    """The ddtrace declarations of the checked files, in file order."""
    return [(result, decl) for result, decl in checked_declarations(context) if decl.name == TRACER]


def tracer_anchor(context: ProjectContext) -> Optional[tuple[str, Declaration]]:
    """The ddtrace declaration project-wide findings point at when no better place is checked.

    The context's own tracer declaration when its file is checked, else the first ddtrace declaration
    of a checked file; None when no checked file declares ddtrace.
    """
    tracer = context.tracer
    if tracer.declaration is not None and tracer.path is not None and tracer.path in context.checked:
        return tracer.path, tracer.declaration
    for result, decl in tracer_declarations(context):
        return result.path, decl
    return None


def config_anchor(context: ProjectContext, location: Optional[Located]) -> Optional[Located]:
    """A config line findings may point at: in a checked file, or in a config-only file (`ddcompat.toml`).

    A `pyproject.toml` that belongs to the project but was not named holds no findings; the caller then
    falls back to a declaration in a checked file.
    """
    if location is None:
        return None
    if location.path in context.checked:
        return location
    if all(result.path != location.path for result in context.results):
        return location
    return None
