"""DDC401-404 on hand-built projects: tracer and framework minimums, unsupported deployments and sites."""

from __future__ import annotations

import pytest

from checks_fixtures import RULES, context, decl, locked, result, span
from ddcompat.checks import code_security
from ddcompat.context import Located
from ddcompat.model import Declaration, Level


def run(*decls: Declaration, products: tuple[str, ...]) -> list[tuple[str, int]]:
    ctx = context(result("requirements.txt", *decls), products=products)
    return sorted((f.code, f.span.line) for f in code_security.check(ctx, RULES))


@pytest.mark.parametrize(
    ("specifier", "products", "expected"),
    [
        ("==1.4.9", ("sca",), ["DDC401"]),
        ("==1.5.0", ("sca",), []),
        ("==1.5.0rc1", ("sca",), ["DDC401"]),
        ("<1.5", ("sca",), ["DDC401"]),
        (">=1.0", ("sca",), []),  # reaches 1.5.0 and later: DDC103's business, not an error here
        ("==1.4.9", ("apm",), []),
        ("==2.20.9", ("iast",), ["DDC402"]),
        ("==2.21.0", ("iast",), []),
        ("~=2.20.0", ("iast",), ["DDC402"]),
        ("==1.0.0", ("sca", "iast"), ["DDC401", "DDC402"]),
        ("==2.0.0", ("sca", "iast"), ["DDC402"]),
        ("", ("sca", "iast"), []),  # bare: the newest release
    ],
)
def test_tracer_minimums(specifier: str, products: tuple[str, ...], expected: list[str]) -> None:
    assert [code for code, _ in run(decl("ddtrace", specifier), products=products)] == expected


def test_locked_tracer() -> None:
    assert run(locked("ddtrace", "1.4.0", line=8), products=("sca",)) == [("DDC401", 8)]


def test_ddc401_fields() -> None:
    d = decl("ddtrace", "==1.2.0", line=3)
    (finding,) = code_security.check(context(result("r.txt", d), products=("sca",)), RULES)
    assert finding.level is Level.ERROR
    assert finding.pin_to == "1.5.0" and finding.subject is d and finding.package == "ddtrace"
    assert finding.message == (
        "ddtrace==1.2.0 is below the minimum ddtrace version for Runtime Software Composition Analysis "
        "(SCA), 1.5.0 (Code Security page, Code Security capabilities support); upgrade ddtrace to 1.5.0 "
        "or later"
    )


@pytest.mark.parametrize(
    ("name", "specifier", "expected"),
    [
        ("Django", "==2.1.15", ["DDC403"]),
        ("Django", "==2.2", []),
        ("Django", "==2.2.0", []),
        ("Django", "<2.2", ["DDC403"]),
        ("Django", ">=1.8", []),  # reaches 2.2
        ("Django", "", []),
        ("fastapi", "==0.85.2", ["DDC403"]),
        ("fastapi", "==0.86", []),
        ("Flask", "==1.0.4", ["DDC403"]),
        ("Flask", "==1.1", []),
        ("Flask", "==1.1.0", []),
        ("requests", "==1.0", []),
    ],
)
def test_frameworks(name: str, specifier: str, expected: list[str]) -> None:
    assert [code for code, _ in run(decl(name, specifier), products=("iast",))] == expected
    assert run(decl(name, specifier), products=("sca",)) == []  # frameworks matter for IAST only


def test_ddc403_message() -> None:
    d = decl("Django", "==2.1", line=2)
    (finding,) = code_security.check(context(result("r.txt", d), products=("iast",)), RULES)
    assert finding.message.startswith(
        "Django==2.1 is below the minimum Django version for Runtime Code Analysis (IAST), 2.2"
    )
    assert finding.pin_to == "2.2" and finding.package == "django"


CONFIG = Located("pyproject.toml", span(30, 1, 24))


BOTH = ("pyproject.toml", "requirements.txt")


def environment(products: tuple[str, ...], *, deployment: str = "", site: str = "",
                checked: tuple[str, ...] = BOTH) -> list[tuple[str, str, int]]:
    ctx = context(
        result("pyproject.toml", kind="pyproject"),
        result("requirements.txt", decl("ddtrace", ">=4", line=5)),
        checked=checked,
        products=products,
        deployment=deployment or None,
        site=site or None,
        config_at=CONFIG,
    )
    return [(f.code, f.path, f.span.line) for f in code_security.check(ctx, RULES)]


def test_deployments() -> None:
    assert environment(("sca",), deployment="aws-lambda") == [("DDC404", "pyproject.toml", 30)]
    assert environment(("iast",), deployment="aws-lambda") == [("DDC404", "pyproject.toml", 30)]
    assert environment(("apm",), deployment="aws-lambda") == []
    assert environment(("sca", "iast"), deployment="kubernetes") == []
    # The config file is not checked: the finding goes to the ddtrace declaration.
    assert environment(("sca",), deployment="aws-lambda", checked=("requirements.txt",)) == [
        ("DDC404", "requirements.txt", 5)
    ]


def test_sites() -> None:
    assert environment(("sca",), site="ddog-gov.com") == [("DDC404", "pyproject.toml", 30)]
    assert environment(("sca",), site="datadoghq.com") == []
    assert environment(("apm",), site="ddog-gov.com") == []
    assert len(environment(("sca",), site="ddog-gov.com", deployment="aws-lambda")) == 2


def test_ddc404_message() -> None:
    ctx = context(result("pyproject.toml", kind="pyproject"), products=("sca", "iast"),
                  deployment="aws-lambda", config_at=CONFIG)
    (finding,) = code_security.check(ctx, RULES)
    assert finding.level is Level.WARNING
    assert finding.message.startswith(
        "Runtime Software Composition Analysis (SCA) and Runtime Code Analysis (IAST) are not supported on "
        'AWS Lambda (deployment = "aws-lambda"; Code Security page, Supported deployment types)'
    )


def test_config_only_file_holds_the_finding() -> None:
    ctx = context(result("requirements.txt", decl("flask", ">=2")), products=("sca",), site="ddog-gov.com",
                  config_at=Located("ddcompat.toml", span(2, 1, 20)))
    assert [(f.path, f.span.line) for f in code_security.check(ctx, RULES)] == [("ddcompat.toml", 2)]
