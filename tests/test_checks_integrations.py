"""DDC301-304 on hand-built declarations: documented ranges, bare names, ddtrace majors, manual rows."""

from __future__ import annotations

import pytest

from checks_fixtures import RULES, context, decl, locked, result
from ddcompat.checks import integrations
from ddcompat.model import Declaration, Level
from ddcompat.ruleset.model import TracerIntegration, TracerVersion


def run(*decls: Declaration, rules: object = RULES) -> list[tuple[str, int]]:
    ctx = context(result("requirements.txt", *decls))
    return sorted((f.code, f.span.line) for f in integrations.check(ctx, rules))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "specifier", "expected"),
    [
        # Every documented minimum is fine.
        ("Django", "==1.8", []),
        ("Django", "==1.8.0", []),
        ("aiopg", "==0.12.0", []),
        ("aiopg", "==0.16", []),
        ("Flask", "==0.10", []),
        ("requests", "==2.8", []),
        ("requests", "==2.08", []),
        ("fastapi", "==0.51", []),
        # Just outside.
        ("Django", "==1.7.11", ["DDC301"]),
        ("aiopg", "==0.17.0", ["DDC301"]),
        ("aiopg", "==0.16.1", ["DDC301"]),
        ("aiopg", "==1.4.0", ["DDC301"]),
        ("aiopg", "==0.11", ["DDC301"]),
        ("Flask", "==0.9", ["DDC301"]),
        ("requests", "==2.7.0", ["DDC301"]),
        # Ranges.
        ("aiopg", ">=0.12", ["DDC302"]),
        ("aiopg", ">=0.12,<0.17", ["DDC302"]),
        ("aiopg", "~=0.15.0", []),  # >=0.15.0,<0.16.dev0
        ("aiopg", ">=0.13,<=0.16", []),
        ("aiopg", ">=1.0", ["DDC301"]),
        ("Django", ">=1.7", ["DDC302"]),
        ("Django", ">=4.2,<5", []),
        ("Django", "<1.8", ["DDC301"]),
        # Bare names: only the upper bound matters.
        ("aiopg", "", ["DDC302"]),
        ("Django", "", []),
        ("requests", "", []),
        # Pre- and post-releases.
        ("Django", "==1.8rc1", ["DDC301"]),
        ("Django", "==1.8.post1", []),
        ("aiopg", "==0.16.post1", ["DDC301"]),
        # Poetry unions.
        ("Django", ">=1.6,<1.7||>=2.0", ["DDC302"]),
        ("Django", "<1.5||>=1.6,<1.8", ["DDC301"]),
        # Standard-library and "Fully Supported" rows have no range.
        ("futures", "==2.0", []),
        # Not an integration at all.
        ("numpy", "==1.0", []),
    ],
)
def test_versions(name: str, specifier: str, expected: list[str]) -> None:
    assert [code for code, _ in run(decl(name, specifier))] == expected


def test_locks_and_direct_references() -> None:
    assert run(locked("aiopg", "1.4.0", line=12)) == [("DDC301", 12)]
    assert run(locked("aiopg", "0.16.0", line=12)) == []
    assert run(decl("aiopg", "==1.4.0", direct=True)) == []  # no version to judge


def test_ddc301_fields_and_message() -> None:
    d = decl("aiopg", "==1.4.0", line=4)
    (finding,) = integrations.check(context(result("requirements.txt", d)), RULES)
    assert finding.code == "DDC301" and finding.level is Level.ERROR
    assert finding.span == d.span and finding.path == "requirements.txt"
    assert finding.package == "aiopg" and finding.declared == "==1.4.0" and finding.subject is d
    assert finding.pin_to == "0.12.0"
    assert finding.target is not None and "0.14" in finding.target and "0.17" not in finding.target
    assert finding.message == (
        'aiopg==1.4.0 is outside the range ddtrace\'s Postgres aiopg integration supports (>=0.12.0,<=0.16; '
        'APM page, Datastore compatibility: ">= 0.12.0, <= 0.16"); pin aiopg>=0.12.0,<=0.16'
    )


def test_ddc301_below_the_minimum_says_upgrade() -> None:
    (finding,) = integrations.check(context(result("r.txt", decl("Django", "==1.7.11"))), RULES)
    assert "upgrade to Django>=1.8" in finding.message
    assert finding.pin_to == "1.8"


def test_ddc302_messages() -> None:
    (ranged,) = integrations.check(context(result("r.txt", decl("aiopg", ">=0.12"))), RULES)
    assert ranged.level is Level.WARNING
    assert ranged.message == (
        "aiopg>=0.12 admits versions outside the range ddtrace's Postgres aiopg integration supports "
        '>=0.12.0,<=0.16 (APM page, Datastore compatibility: ">= 0.12.0, <= 0.16"); narrow it to that range'
    )
    assert ranged.pin_to is None
    (bare,) = integrations.check(context(result("r.txt", decl("aiopg"))), RULES)
    assert bare.message.startswith(
        "aiopg has no version specifier, so the newest release is installed; ddtrace's Postgres aiopg "
        "integration supports only >=0.12.0,<=0.16 (APM page"
    )


def test_one_distribution_two_rows() -> None:
    findings = list(integrations.check(context(result("r.txt", decl("aiohttp", "==1.3", line=2))), RULES))
    assert sorted(f.code for f in findings) == ["DDC301", "DDC304"]  # one range finding for both rows
    (version,) = [f for f in findings if f.code == "DDC301"]
    assert "aiohttp (client) and aiohttp (server) integrations" in version.message
    (manual,) = [f for f in findings if f.code == "DDC304"]
    assert "aiohttp (server)" in manual.message
    assert "it needs its own setup; see ddtrace's docs: https://" in manual.message
    assert manual.level is Level.NOTE


@pytest.mark.parametrize(
    ("tracer_spec", "expected"),
    [
        ("==1.20.19", ["DDC304"]),  # Pylons is manual on 1.x
        (">=1.0,<2", ["DDC304"]),
        ("==2.21.0", ["DDC303"]),
        (">=2", ["DDC303"]),
        (">=1.5", ["DDC304"]),  # 1.x still in reach: no error
        (None, ["DDC303"]),  # nothing declared: 4.x assumed
    ],
)
def test_tracer_restricted_rows(tracer_spec: object, expected: list[str]) -> None:
    decls = [decl("Pylons", "==1.0", line=2)]
    if tracer_spec is not None:
        decls.insert(0, decl("ddtrace", str(tracer_spec), line=1))
    assert [code for code, _ in run(*decls)] == expected


def test_ddc303_message() -> None:
    ctx = context(result("r.txt", decl("Pylons", "==1.0", line=2)))
    (finding,) = integrations.check(ctx, RULES)
    assert finding.level is Level.ERROR
    assert "exists only in dd-trace-py 1.x (APM page" in finding.message
    assert "newest General Availability branch (4.x) is assumed" in finding.message
    ctx = context(result("r.txt", locked("ddtrace", "2.3.0", line=1), decl("Pylons", "==1.0", line=2)))
    (finding,) = integrations.check(ctx, RULES)
    assert "the project's ddtrace (2.3.0) is outside it" in finding.message


def test_ddc304_enabling_text_follows_the_tracer_data() -> None:
    sqlalchemy = decl("SQLAlchemy", ">=1.4", line=3)
    flask_cache = decl("Flask-Caching", ">=2", line=4)
    ctx = context(result("r.txt", sqlalchemy, flask_cache))
    by_line = {f.span.line: f for f in integrations.check(ctx, RULES)}
    # No tracer data: the generic DD_PATCH_MODULES advice, with the docs.
    assert "DD_PATCH_MODULES=sqlalchemy:true or ddtrace.patch(sqlalchemy=True)" in by_line[3].message
    assert "DD_PATCH_MODULES=flask_cache:true" in by_line[4].message

    data = TracerVersion(
        "4.16.0",
        (
            TracerIntegration("sqlalchemy", ("sqlalchemy",), ("sqlalchemy",), {}, False, "x",
                              default="False"),
            TracerIntegration("flask_cache", ("flask-caching",), ("flask_caching",), {}, False, "x",
                              default=""),
        ),
        "x",
    )
    rules = RULES._replace(tracer_versions=(data,))
    by_line = {f.span.line: f for f in integrations.check(ctx, rules)}
    assert "DD_PATCH_MODULES=sqlalchemy:true" in by_line[3].message
    assert "it needs its own setup; see ddtrace's docs: " in by_line[4].message
    assert by_line[4].message.endswith("#flask_cache")


def test_automatic_rows_have_no_note() -> None:
    assert run(decl("Django", ">=4")) == []
    assert run(decl("redis", ">=5")) == []


def test_unchecked_files_and_skipped_declarations() -> None:
    skipped = decl("aiopg", "==1.4.0", line=1)
    other = decl("aiopg", "==1.4.0", line=2)
    ctx = context(result("a.txt", skipped), result("b.txt", other), checked=("a.txt",))
    ctx = ctx._replace(skipped={id(skipped)})
    assert list(integrations.check(ctx, RULES)) == []
