"""DDC301-304: declared libraries against the integration rows of the APM page.

A declaration stands for the rows its distribution maps to (`rules/names.toml`: `aiohttp` is both the
client and the server row). For each:

* DDC303: the row is restricted to other ddtrace versions than the project's (Pylons: "dd-trace-py 1.x
  only"), judged against every ddtrace version in use; when it fires, the version and enabling checks of
  that row are moot and do not;
* DDC301 / DDC302: the versions the declaration admits are wholly / partly outside the row's supported
  range (a bare name: judged only against the range's upper bound). Rows for standard-library modules and
  "Fully Supported" rows have no range to check. Rows of one distribution that give the same range yield
  one finding;
* DDC304 (note): the row is not automatic; the message says how to enable it: `DD_PATCH_MODULES` /
  `patch()` where ddtrace's patch table (from `rules/tracer/`) knows the integration and no automatic row
  of the same distribution already claims it, otherwise a pointer to the integration's documentation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Optional

from packaging.ranges import VersionRange

from ddcompat.checks._branches import branch_in_use
from ddcompat.checks._common import (
    checked_declarations,
    describe,
    judged,
    make_finding,
    relation_to,
    versioned,
)
from ddcompat.checks._ranges import Relation, format_range, parse_range, supported
from ddcompat.checks.tracer_aware import TracerDefault, tracer_basis, tracer_default, with_tracer_note
from ddcompat.context import ProjectContext
from ddcompat.model import Declaration, Finding
from ddcompat.ruleset.model import Integration, RuleSet, TracerIntegration, TracerVersion


def watched(rules: RuleSet) -> frozenset[str]:
    """The names whose declarations this family reads: every distribution an integration row names."""
    return frozenset(name for row in rules.integrations for name in row.distributions)


def check(context: ProjectContext, rules: RuleSet) -> Iterable[Finding]:
    """Findings for every declared library that an integration row names."""
    tracer_data = _tracer_data(context, rules)
    for result, decl in checked_declarations(context):
        rows = list(rules.integrations_for_distribution(decl.name))  # page order, as the rows are
        if rows:
            yield from _check_declaration(result.path, decl, rows, context, rules, tracer_data)


def _tracer_data(context: ProjectContext, rules: RuleSet) -> Optional[TracerVersion]:
    """ddtrace's own data for the tracer in use: the same known release DDC31x and DDC304 are judged on."""
    basis = tracer_basis(rules, context.tracer, context.today)
    return basis.release if basis is not None else None


def _restricted_out(row: Integration, versions: VersionRange) -> bool:
    if not row.tracer_restriction:
        return False
    return not versions.is_empty and versions.is_disjoint(parse_range(row.tracer_restriction))


def _check_declaration(
    path: str,
    decl: Declaration,
    rows: list[Integration],
    context: ProjectContext,
    rules: RuleSet,
    tracer_data: Optional[TracerVersion],
) -> Iterator[Finding]:
    tracer = context.tracer
    live: list[Integration] = []
    for row in rows:
        if _restricted_out(row, tracer.versions):
            yield _incompatible(path, decl, row, context, rules)
        else:
            live.append(row)

    if versioned(decl):
        seen: set[str] = set()
        for row in live:
            if row.stdlib or not row.specifier or row.specifier in seen:
                continue
            seen.add(row.specifier)
            same = [other for other in live if other.specifier == row.specifier and not other.stdlib]
            finding = _version_finding(path, decl, row, same, context, rules)
            if finding is not None:
                yield finding

    for row in live:
        if row.stdlib:
            continue
        # What the ddtrace in use really enables by default decides; the page's column where unknown.
        default = tracer_default(rules, tracer, row, context.today)
        if not (default.enabled if default is not None else row.automatic):
            yield _manual(path, decl, row, rows, tracer_data, default)


def _names(rows: list[Integration]) -> str:
    return " and ".join(row.page_name for row in rows)


def _version_finding(
    path: str, decl: Declaration, row: Integration, same: list[Integration], context: ProjectContext,
    rules: RuleSet,
) -> Optional[Finding]:
    target = supported(row.specifier)
    relation = judged(decl, target)
    if relation is Relation.INSIDE:
        return None
    text = describe(decl)
    integration = f"ddtrace's {_names(same)} integration{'s' if len(same) > 1 else ''}"
    cite = f'{row.source.cite()}: "{row.supported_text}"'
    pin = f"{decl.raw_name}{target.text}"
    if relation is Relation.DISJOINT:
        above_minimum = target.minimum is not None and relation_to(
            decl, parse_range(f">={target.minimum}")
        ) is not Relation.DISJOINT
        advice = f"pin {pin}" if above_minimum or target.minimum is None else f"upgrade to {pin}"
        return make_finding(
            "DDC301",
            with_tracer_note(
                f"{text} is outside the range {integration} supports ({target.text}; {cite}); {advice}",
                decl, context, rules),
            path,
            decl.span,
            hint=f"Move {decl.raw_name} into {target.text}; outside it the integration's traces are missing "
            "or broken.",
            package=decl.name,
            declared=decl.declared,
            subject=decl,
            target=target.range,
            pin_to=target.minimum,
        )
    if decl.has_specifier:
        what = f"{text} admits versions outside the range {integration} supports"
    else:
        what = (
            f"{text} has no version specifier, so the newest release is installed; {integration} "
            "supports only"
        )
    return make_finding(
        "DDC302",
        with_tracer_note(f"{what} {target.text} ({cite}); narrow it to that range", decl, context, rules),
        path,
        decl.span,
        hint=f"Narrow the specifier to {target.text} (`--fix` does this safely).",
        package=decl.name,
        declared=decl.declared,
        subject=decl,
        target=target.range,
    )


def _incompatible(
    path: str, decl: Declaration, row: Integration, context: ProjectContext, rules: RuleSet
) -> Finding:
    tracer = context.tracer
    if tracer.assumed:
        in_use = branch_in_use(context, rules)
        branch = in_use.known.name if in_use is not None else "the newest"
        project = (
            f"no ddtrace version is declared, so the newest General Availability branch ({branch}) "
            "is assumed"
        )
    else:
        versions = tracer.exact or format_range(tracer.versions, fallback="")
        project = f"the project's ddtrace ({versions})" if versions else "the project's ddtrace"
        project += " is outside it"
    restriction = row.restriction_text or f"ddtrace {row.tracer_restriction}"
    if restriction.endswith(" only"):
        restriction = restriction[: -len(" only")]
    return make_finding(
        "DDC303",
        f"{describe(decl)}: ddtrace's {row.page_name} integration exists only in {restriction} "
        f'({row.source.cite()}: "{row.supported_text}"), and {project}; replace {decl.raw_name} or use a '
        "ddtrace version with the integration",
        path,
        decl.span,
        hint=f"The {row.page_name} integration is absent from the ddtrace in use: the library is not traced.",
        package=decl.name,
        declared=decl.declared,
        subject=decl,
        target=parse_range(row.tracer_restriction),
    )


def _patch_entry(row: Integration, data: Optional[TracerVersion]) -> Optional[TracerIntegration]:
    if data is None:
        return None
    return next((entry for entry in data.integrations if entry.name == row.module), None)


def _enabling(row: Integration, rows: list[Integration], data: Optional[TracerVersion]) -> str:
    """How to enable a row's integration, as specific as the rule set allows."""
    docs = f"see ddtrace's docs: {row.docs_url}"
    claimed = any(other.automatic for other in rows if other is not row and other.module == row.module)
    if not row.module or claimed:
        return f"it needs its own setup; {docs}"
    if data is not None:
        entry = _patch_entry(row, data)
        if entry is None or not entry.default:
            return f"it needs its own setup; {docs}"
    return f"enable it with DD_PATCH_MODULES={row.module}:true or ddtrace.patch({row.module}=True); {docs}"


def _manual(
    path: str,
    decl: Declaration,
    row: Integration,
    rows: list[Integration],
    data: Optional[TracerVersion],
    default: Optional[TracerDefault] = None,
) -> Finding:
    cite = f'{row.source.cite()}: Automatic "{row.automatic_text}"'
    if default is not None and row.automatic:  # the page says automatic; the tracer in use does not
        cite = f"{default.describe()}, though the {cite}"
    elif default is not None and default.value not in ("", "False"):  # on only when configured (1.x-3.x logs)
        cite = f"{cite}; {default.describe()}"
    return make_finding(
        "DDC304",
        f"ddtrace's {row.page_name} integration for {decl.raw_name} is not enabled automatically "
        f"({cite}); {_enabling(row, rows, data)}",
        path,
        decl.span,
        hint="Without enabling it the library is not traced, though ddtrace supports it.",
        package=decl.name,
        declared=decl.declared,
        subject=decl,
    )
