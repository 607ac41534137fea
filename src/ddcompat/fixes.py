"""Compute fixes for findings: the new constraint text for a declaration, in the user's own style.

A safe fix only narrows what a declaration admits to its supported part (raise a lower bound, cap an upper
bound), so a resolver can still choose only versions it could choose before. An unsafe fix may move a pin
outside what it admitted (`Flask==0.9` to the documented minimum). Lock files are never fixed: the message
says to re-lock instead. This module decides *what* to write; `fix.py` writes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Optional, Union

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet

from ddcompat._memo import by_identity, by_identity_and_key
from ddcompat.checks._ranges import (
    Relation,
    exact_pin,
    lower_bound,
    lower_bound_relation,
    parse_range,
    pin_relation,
)
from ddcompat.model import Declaration, Finding, Fix, Origin, PythonDeclaration, ReadResult

if TYPE_CHECKING:
    from packaging.ranges import VersionRange

FIXABLE_KINDS = frozenset({"requirements", "pyproject", "pipfile"})
LOCK_KINDS = frozenset({"pipfile.lock", "poetry.lock", "uv.lock", "pylock", "pdm.lock"})
RELOCK_HINT = "lock files are never edited: fix the manifest, then re-lock"

# The documented compatibility decides fixes; what the tracer's own code accepts (DDC31x) is reported, not
# fixed, so the page-based fix and a tracer-based fix never pull one declaration two ways.
FIXABLE_CODES = frozenset({"DDC101", "DDC102", "DDC103", "DDC202", "DDC301", "DDC302", "DDC401", "DDC402",
                           "DDC403"})
_LOWER_ONLY_CODES = frozenset({"DDC103"})  # End-of-Life versions lie below: raise the floor only
# An unsafe move must land inside an integration's documented range, which is bounded on both sides; a
# tracer's newer releases are not unsupported, so ddtrace moves (DDC101, DDC401, ...) are never capped.
_BOUNDED_PIN_CODES = frozenset({"DDC301"})
_LOWER = (">=", ">")
_UPPER = ("<=", "<")

Subject = Union[Declaration, PythonDeclaration]


def _clauses(text: str) -> Optional[list[tuple[str, Specifier]]]:
    """The comma-separated clauses of a PEP 440 specifier text, each raw piece with its parsed form."""
    if not text.strip():
        return []
    pieces = text.split(",")
    parsed: list[tuple[str, Specifier]] = []
    for piece in pieces:
        try:
            parsed.append((piece, Specifier(piece.strip())))
        except InvalidSpecifier:
            return None
    return parsed


def _restyle(raw: str, clause: Specifier) -> str:
    """`clause` written with the whitespace habits of `raw` (`>= 1.4` stays spaced, ` <5` keeps its lead)."""
    stripped = raw.strip()
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = raw[len(raw.rstrip()):]
    gap = stripped[len(clause.operator):] if stripped.startswith(clause.operator) else ""
    spacing = gap[: len(gap) - len(gap.lstrip())] if gap else ""
    return f"{lead}{clause.operator}{spacing}{clause.version}{trail}"


def _bound_clauses_of(target: VersionRange) -> Optional[tuple[list[Specifier], list[Specifier]]]:
    """The lower and upper clauses of a single-interval target (None for a union). Callers never mutate
    the lists.

    A prefix match (`==4.*`) is read as its two bounds (`>=4`, `<5`) so each side can be fixed on its own.
    """
    specifier_set = target.to_specifier_set()
    if specifier_set is None:
        return None
    lower: list[Specifier] = []
    upper: list[Specifier] = []
    for spec in specifier_set:
        if spec.operator in _LOWER:
            lower.append(spec)
        elif spec.operator in _UPPER:
            upper.append(spec)
        elif spec.operator == "==" and spec.version.endswith(".*"):
            release = spec.version[:-2].split(".")
            if not all(part.isdigit() for part in release):
                return None
            following = [*release[:-1], str(int(release[-1]) + 1)]
            floor = release if len(release) > 1 else [*release, "0"]  # `>=4.0`, as the page writes branches
            lower.append(Specifier(f">={'.'.join(floor)}"))
            upper.append(Specifier(f"<{'.'.join(following)}"))
        else:
            return None
    return lower, upper


# Targets are the rule set's few supported ranges, one object each. By identity, not equality: `>=4` and
# `>=4.0` are equal ranges, but a fix writes the target's own text.
_bound_clauses = by_identity(_bound_clauses_of, size=512)


def _separator(declared: str) -> str:
    return ", " if ", " in declared else ","


def narrow(specifier: str, admitted: VersionRange, target: VersionRange, *,
           lower_only: bool = False) -> Optional[str]:
    """A specifier admitting only the supported part of `specifier`, written in its style; None if none.

    A bare name gets the whole supported range (`aiopg` -> `aiopg>=0.12.0,<=0.16`): capping it alone would
    leave a lower bound the next run flags. `lower_only` fixes only the lower bound (an End-of-Life tracer
    range is too low, not too high).
    """
    wanted = admitted.intersection(target)
    if wanted.is_empty or admitted.is_subset(target):
        return None
    clauses = _clauses(specifier)
    bounds = _bound_clauses(target)
    if clauses is not None and bounds is not None:
        pieces = list(clauses)
        for side_clauses, operators in ((bounds[0], _LOWER), (bounds[1], _UPPER)):
            if not side_clauses or (lower_only and operators is _UPPER):
                continue
            side_range = parse_range(",".join(str(spec) for spec in side_clauses))
            if admitted.is_subset(side_range):
                continue
            same_side = [i for i, (_, spec) in enumerate(pieces) if spec.operator in operators]
            at = same_side[0] if same_side else len(pieces)
            first = _restyle(pieces[at][0], side_clauses[0]) if same_side else str(side_clauses[0])
            new = [(first, side_clauses[0])] + [(str(spec), spec) for spec in side_clauses[1:]]
            kept = [piece for i, piece in enumerate(pieces) if i not in same_side]
            at_kept = sum(1 for i in range(at) if i not in same_side)
            pieces = kept[:at_kept] + new + kept[at_kept:]
        separator = _separator(specifier)
        texts = [raw.strip() if separator == ", " else raw for raw, _ in pieces]
        candidate = separator.join(texts).strip()
        if _is_safe(candidate, admitted, target, partial=lower_only):
            return candidate
    if lower_only:
        return None
    fallback = wanted.to_specifier_set()
    if fallback is not None and _is_safe(str(fallback), admitted, target, partial=False):
        return str(fallback)
    return None


def _is_safe(candidate: str, admitted: VersionRange, target: VersionRange, *, partial: bool) -> bool:
    """Non-empty, inside what was admitted, and (unless only one side was fixed) inside the target."""
    try:
        new = SpecifierSet(candidate).to_range()
    except InvalidSpecifier:
        return False
    if new.is_empty or not new.is_subset(admitted):
        return False
    return partial or new.is_subset(target)


def pin(specifier: str, pin_to: str) -> str:
    """The unsafe rewrite: an exact pin stays an exact pin; a range starts at the new version."""
    clauses = _clauses(specifier) or []
    operators = {spec.operator for _, spec in clauses}
    if operators & {"==", "==="} or not clauses:
        return f"=={pin_to}"
    return f">={pin_to}"


def _settled(specifier: str, target: VersionRange) -> bool:
    """Whether a one-clause `>=V` specifier lies wholly inside or wholly outside `target`, where `narrow`
    has nothing to narrow; decided by the lower-bound shortcut instead of intersecting ranges."""
    lowest = lower_bound(specifier)
    if lowest is None:
        return False
    return lower_bound_relation(lowest, target) in (Relation.INSIDE, Relation.DISJOINT)


def _inside(target: VersionRange, replacement: str) -> Optional[str]:
    """`replacement` capped to `target`: `aiopg>=1.0` moved to `>=0.12.0` alone would admit 1.x again."""
    moved_pin = exact_pin(replacement)
    if moved_pin is not None:  # a pin is inside or disjoint: nothing to narrow
        return replacement if pin_relation(moved_pin, target) is Relation.INSIDE else None
    lowest = lower_bound(replacement)
    if lowest is not None and lower_bound_relation(lowest, target) is Relation.INSIDE:
        return replacement
    try:
        moved = SpecifierSet(replacement).to_range()
    except InvalidSpecifier:
        return None
    if moved.is_subset(target):
        return replacement
    return narrow(replacement, moved, target)


# Every unsafe fix for one rule row moves to the same replacement (`>=` its documented minimum): capped
# once per target, which (as for `_bound_clauses`) is by identity, since its text is what a fix writes.
_capped = by_identity_and_key(_inside, size=512)


def _fix_for(finding: Finding, result: ReadResult) -> Optional[Fix]:
    subject = finding.subject
    if finding.code not in FIXABLE_CODES or subject is None or finding.target is None:
        return None
    if subject.specifier_span is None:
        return None
    if isinstance(subject, Declaration) and (subject.is_direct_reference or "||" in subject.specifier):
        return None
    if isinstance(subject, PythonDeclaration) and subject.kind not in ("requires-python", "poetry-python"):
        return None
    narrowed: Optional[str] = None
    # A pin admits one version, and most `>=V` lie wholly inside or outside: neither is ever narrowed.
    if exact_pin(subject.specifier) is None and not _settled(subject.specifier, finding.target):
        written = subject.declared if _clauses(subject.declared) is not None else subject.specifier
        narrowed = narrow(written, subject.admitted, finding.target,
                          lower_only=finding.code in _LOWER_ONLY_CODES)
    name = subject.raw_name if isinstance(subject, Declaration) else "Python"
    if narrowed is not None:
        replacement = narrowed  # Poetry, PDM and Pipfile all read PEP 440 comma clauses as written
        return Fix(path=result.path, span=subject.specifier_span, replacement=replacement,
                   description=f"narrow {name} to {replacement}", safe=True)
    if finding.pin_to is not None and isinstance(subject, Declaration):
        replacement = pin(subject.specifier, finding.pin_to)
        if finding.code in _BOUNDED_PIN_CODES:
            moved = _capped(finding.target, replacement)
            if moved is None:
                return None
            replacement = moved
        if replacement == subject.declared:
            return None
        return Fix(path=result.path, span=subject.specifier_span, replacement=replacement,
                   description=f"move {name} to {replacement}", safe=False)
    return None


def attach_fixes(findings: Sequence[Finding], results: Mapping[str, ReadResult]) -> list[Finding]:
    """Findings with their `fix` set where one is right; lock findings say to re-lock instead.

    Unsafe fixes are attached either way (json/SARIF show them as available); `--fix` applies them only with
    `--unsafe-fixes`.
    """
    fixed: list[Finding] = []
    for finding in findings:
        result = results.get(finding.path)
        if result is None or finding.fix is not None:
            fixed.append(finding)
            continue
        if result.kind in LOCK_KINDS and finding.subject is not None and finding.target is not None:
            subject_origin = getattr(finding.subject, "origin", Origin.MANIFEST)
            if subject_origin is Origin.LOCK and RELOCK_HINT not in finding.message:
                # In the message, not only the hint: concise, json, github and SARIF show no hint.
                message = f"{finding.message.rstrip('.')}; {RELOCK_HINT}"
                fixed.append(finding._replace(message=message))
                continue
        if result.kind not in FIXABLE_KINDS:
            fixed.append(finding)
            continue
        fix = _fix_for(finding, result)
        fixed.append(finding._replace(fix=fix) if fix is not None else finding)
    return fixed
