"""DDC501-502: the configured Datadog Agent version (`agent-version`) against the APM page.

* DDC501: the Agent is below the Minimum Datadog Agent of the branch in use (Releases table, 7.28);
* DDC502: the project uses Redis (a distribution of a Redis row of the Datastore table is declared
  anywhere in the project) and the Agent is below the version that obfuscates inline AUTH (7.76.1).

Nothing runs without `agent-version`. Findings point at the config line when that file is checked (or
is a config-only `ddcompat.toml`), else at a ddtrace declaration (DDC501) or the Redis declaration
(DDC502) of a checked file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Optional

from packaging.version import InvalidVersion, Version

from ddcompat.checks._branches import branch_in_use
from ddcompat.checks._common import checked_declarations, config_anchor, make_finding, tracer_anchor
from ddcompat.context import ProjectContext
from ddcompat.model import Finding, Span
from ddcompat.ruleset.model import RuleSet


def _version(text: Optional[str]) -> Optional[Version]:
    if text is None:
        return None
    try:
        return Version(text.strip().lstrip("vV"))
    except InvalidVersion:
        return None


def watched(rules: RuleSet) -> frozenset[str]:
    """The names whose declarations this family reads: the Redis clients'."""
    return _redis_names(rules)


def _redis_names(rules: RuleSet) -> frozenset[str]:
    return frozenset(
        name
        for row in rules.integrations
        if row.page_name.lower().startswith("redis")
        for name in row.distributions
    )


def check(context: ProjectContext, rules: RuleSet) -> Iterable[Finding]:
    """Agent findings, when the project configures its Agent version."""
    agent = _version(context.agent_version)
    if agent is None:
        return
    yield from _branch_minimum(context, rules, agent)
    yield from _redis(context, rules, agent)


_Place = tuple[str, Span, str]  # display path, span, declared text


def _place(context: ProjectContext, fallback: Optional[_Place]) -> Optional[_Place]:
    config = config_anchor(context, context.agent_location)
    if config is not None:
        return config.path, config.span, f"agent-version={context.agent_version}"
    return fallback


def _branch_minimum(context: ProjectContext, rules: RuleSet, agent: Version) -> Iterator[Finding]:
    in_use = branch_in_use(context, rules)
    if in_use is None:
        return
    branch = in_use.known.branch
    minimum = _version(branch.min_agent)
    if minimum is None or agent >= minimum:
        return
    tracer = tracer_anchor(context)
    place = _place(context, None if tracer is None else (tracer[0], tracer[1].span, tracer[1].declared))
    if place is None:
        return
    path, span, declared = place
    yield make_finding(
        "DDC501",
        f"the configured Datadog Agent {context.agent_version} is below {branch.min_agent}, the minimum for "
        f"ddtrace {in_use.known.name}{in_use.qualifier()} ({branch.source.cite()}, Minimum Datadog Agent); "
        f"upgrade the Agent to {branch.min_agent} or later",
        path,
        span,
        hint="The tracer sends data an older Agent does not accept.",
        declared=declared,
    )


def _redis(context: ProjectContext, rules: RuleSet, agent: Version) -> Iterator[Finding]:
    notes = rules.agent
    minimum = _version(notes.redis_auth_min_agent)
    if minimum is None or agent >= minimum:
        return
    redis = _redis_names(rules)
    used = [(result, decl) for result, decl in context.all_active() if decl.name in redis]
    if not used:
        return
    checked = next(((r.path, d) for r, d in checked_declarations(context) if d.name in redis), None)
    place = _place(context, None if checked is None else (checked[0], checked[1].span, checked[1].declared))
    if place is None:
        return
    path, span, declared = place
    name = used[0][1].raw_name
    yield make_finding(
        "DDC502",
        f"{name} is used and the configured Datadog Agent {context.agent_version} is below "
        f"{notes.redis_auth_min_agent}, the first Agent that obfuscates inline Redis AUTH credentials "
        f"(HELLO, MIGRATE, ACL SETUSER) in trace metadata ({notes.source.cite()}); upgrade the Agent to "
        f"{notes.redis_auth_min_agent} or later",
        path,
        span,
        hint="Older Agents keep Redis 6+ inline credentials in trace metadata.",
        package=used[0][1].name,
        declared=declared,
    )
