"""DDC501-502 on hand-built projects: the configured Agent against the branch minimum and the Redis note."""

from __future__ import annotations

import pytest

from checks_fixtures import RULES, context, decl, locked, result, span
from ddcompat.checks import agent
from ddcompat.context import Located
from ddcompat.model import Level

CONFIG = Located("pyproject.toml", span(12, 1, 22))


def run(agent_version: str, *extra: object, tracer: str = "==4.1.0",
        checked: tuple[str, ...] = ("pyproject.toml", "requirements.txt")) -> list[tuple[str, str, int]]:
    reqs = result("requirements.txt", decl("ddtrace", tracer, line=1), *extra)  # type: ignore[arg-type]
    ctx = context(result("pyproject.toml", kind="pyproject"), reqs, checked=checked, agent=agent_version,
                  config_at=CONFIG)
    return sorted((f.code, f.path, f.span.line) for f in agent.check(ctx, RULES))


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("7.27.0", [("DDC501", "pyproject.toml", 12)]),
        ("7.27", [("DDC501", "pyproject.toml", 12)]),
        ("6.40.0", [("DDC501", "pyproject.toml", 12)]),
        ("7.28", []),
        ("7.28.0", []),
        ("7.76.0", []),
        ("v7.27.1", [("DDC501", "pyproject.toml", 12)]),
    ],
)
def test_branch_minimum(version: str, expected: list[tuple[str, str, int]]) -> None:
    assert run(version) == expected


def test_no_agent_version_no_check() -> None:
    ctx = context(result("requirements.txt", decl("ddtrace", "==4.0.0"), decl("redis", ">=5")))
    assert list(agent.check(ctx, RULES)) == []


def test_branch_without_minimum() -> None:
    assert run("5.0.0", tracer="==1.20.0") == []  # the page gives no minimum Agent for <2


def test_ddc501_falls_back_to_the_tracer_declaration() -> None:
    assert run("7.0.0", checked=("requirements.txt",)) == [("DDC501", "requirements.txt", 1)]


def test_ddc501_message() -> None:
    ctx = context(result("requirements.txt", decl("ddtrace", "==4.1.0")), agent="7.20.0", config_at=CONFIG)
    (finding,) = agent.check(ctx, RULES)
    assert finding.level is Level.ERROR
    assert finding.message.startswith(
        "the configured Datadog Agent 7.20.0 is below 7.28, the minimum for ddtrace 4.x (APM page, Releases "
        "table, Minimum Datadog Agent)"
    )


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("7.76.0", [("DDC502", "pyproject.toml", 12)]),
        ("7.76.1", []),
        ("7.80.0", []),
        ("7.30.0", [("DDC502", "pyproject.toml", 12)]),
    ],
)
def test_redis(version: str, expected: list[tuple[str, str, int]]) -> None:
    assert run(version, decl("redis", ">=5", line=2)) == expected
    assert run(version) == []  # no Redis declared


def test_redis_from_a_lock_and_fallback_location() -> None:
    assert run("7.50.0", locked("redis", "5.0.1", line=3), checked=("requirements.txt",)) == [
        ("DDC502", "requirements.txt", 3)
    ]


def test_ddc502_message() -> None:
    ctx = context(result("requirements.txt", decl("redis", ">=5", line=2)), agent="7.50.0", config_at=CONFIG)
    (finding,) = agent.check(ctx, RULES)
    assert finding.level is Level.WARNING
    assert finding.package == "redis"
    assert "below 7.76.1, the first Agent that obfuscates inline Redis AUTH credentials" in finding.message
