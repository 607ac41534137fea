"""DDC401-404: the Code Security page, for projects that use Runtime SCA (`sca`) or IAST (`iast`).

The family rule holds here too: an error when no version a declaration admits reaches the minimum
(`ddtrace==1.4.0` with `sca`; `Django==2.1` with `iast`); a range that also admits versions at or above
the minimum (`ddtrace>=1.0`) is not flagged, since what it installs is the newest release (End-of-Life
lower bounds are DDC103's business). A bare name is never below a minimum.

* DDC401: with `sca`, a ddtrace declaration entirely below the Runtime SCA minimum (1.5.0);
* DDC402: with `iast`, a ddtrace declaration entirely below the IAST minimum (2.21.0);
* DDC403: with `iast`, Django, FastAPI or Flask entirely below the IAST framework minimum;
* DDC404: with `sca` or `iast`, a configured deployment (AWS Lambda) or Datadog site (ddog-gov.com) the
  page does not support for the products in use. It points at the config line when that file is
  checked (or is a config-only `ddcompat.toml`), else at a ddtrace declaration of a checked file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Optional

from ddcompat.checks._common import (
    TRACER,
    checked_declarations,
    config_anchor,
    describe,
    judged,
    make_finding,
    tracer_anchor,
    tracer_declarations,
    versioned,
)
from ddcompat.checks._ranges import Relation, supported
from ddcompat.context import Located, ProjectContext
from ddcompat.model import Declaration, Finding
from ddcompat.ruleset.model import Deployment, RuleSet, Source

SCA = "sca"
IAST = "iast"
_PRODUCT_NAMES = {SCA: "Runtime Software Composition Analysis (SCA)", IAST: "Runtime Code Analysis (IAST)"}


def watched(rules: RuleSet) -> frozenset[str]:
    """The names whose declarations this family reads: ddtrace's, and the IAST frameworks'."""
    return frozenset({TRACER, *(framework.distribution for framework in rules.code_security.iast_frameworks)})


def check(context: ProjectContext, rules: RuleSet) -> Iterable[Finding]:
    """Code Security findings, for the products the project uses."""
    products = [product for product in (SCA, IAST) if product in context.products]
    if not products:
        return
    security = rules.code_security
    for result, decl in tracer_declarations(context):
        if SCA in products:
            yield from _tracer_minimum("DDC401", SCA, security.sca_minimum, security.sca_source, result.path,
                                       decl)
        if IAST in products:
            yield from _tracer_minimum("DDC402", IAST, security.iast_minimum, security.iast_source,
                                       result.path, decl)
    if IAST in products:
        yield from _frameworks(context, rules)
    yield from _environment(context, rules, products)


def _below(decl: Declaration, minimum: str) -> bool:
    """Whether every version `decl` admits is below `minimum` (bare names and URLs never are)."""
    if not versioned(decl):
        return False
    return judged(decl, supported(f">={minimum}")) is Relation.DISJOINT


def _tracer_minimum(
    code: str, product: str, minimum: str, source: Source, path: str, decl: Declaration
) -> Iterator[Finding]:
    if not _below(decl, minimum):
        return
    yield make_finding(
        code,
        f"{describe(decl)} is below the minimum ddtrace version for {_PRODUCT_NAMES[product]}, {minimum} "
        f"({source.cite()}); upgrade ddtrace to {minimum} or later",
        path,
        decl.span,
        hint=f"{_PRODUCT_NAMES[product]} reports nothing from older tracers.",
        package=TRACER,
        declared=decl.declared,
        subject=decl,
        target=supported(f">={minimum}").range,
        pin_to=minimum,
    )


def _frameworks(context: ProjectContext, rules: RuleSet) -> Iterator[Finding]:
    frameworks = {framework.distribution: framework for framework in rules.code_security.iast_frameworks}
    for result, decl in checked_declarations(context):
        framework = frameworks.get(decl.name)
        if framework is None or not _below(decl, framework.minimum):
            continue
        yield make_finding(
            "DDC403",
            f"{describe(decl)} is below the minimum {framework.page_name} version for "
            f"{_PRODUCT_NAMES[IAST]}, {framework.minimum} ({framework.source.cite()}); upgrade "
            f"{decl.raw_name} to {framework.minimum} or later",
            result.path,
            decl.span,
            hint=f"IAST supports {framework.page_name} {framework.minimum} and later only.",
            package=decl.name,
            declared=decl.declared,
            subject=decl,
            target=supported(f">={framework.minimum}").range,
            pin_to=framework.minimum,
        )


def _unsupported_products(deployment: Deployment, products: list[str]) -> list[str]:
    result = []
    if SCA in products and not deployment.sca:
        result.append(SCA)
    if IAST in products and deployment.iast.lower() in ("", "no"):
        result.append(IAST)
    return result


def _site_unsupported(site: str, unsupported: tuple[str, ...]) -> bool:
    site = site.lower()
    return any(site == name or site.endswith("." + name) for name in unsupported)


def _anchor(context: ProjectContext, location: Optional[Located]) -> Optional[tuple[str, Located, str]]:
    """Where an environment finding goes: the config line, else a ddtrace declaration."""
    config = config_anchor(context, location)
    if config is not None:
        return config.path, config, ""
    tracer = tracer_anchor(context)
    if tracer is None:
        return None
    path, decl = tracer
    return path, Located(path, decl.span), decl.declared


def _environment(context: ProjectContext, rules: RuleSet, products: list[str]) -> Iterator[Finding]:
    security = rules.code_security
    hint = "Deploy on a supported type or site, or drop the product from `products`."
    if context.deployment is not None:
        deployment = next((row for row in security.deployments if row.key == context.deployment), None)
        missing = _unsupported_products(deployment, products) if deployment is not None else []
        anchor = _anchor(context, context.deployment_location)
        if deployment is not None and missing and anchor is not None:
            path, where, declared = anchor
            names = " and ".join(_PRODUCT_NAMES[product] for product in missing)
            yield make_finding(
                "DDC404",
                f"{names} {'is' if len(missing) == 1 else 'are'} not supported on {deployment.page_name} "
                f"(deployment = \"{context.deployment}\"; {deployment.source.cite()}); deploy on a supported "
                "type or drop the product",
                path,
                where.span,
                hint=hint,
                declared=declared or f"deployment={context.deployment}",
            )
    if context.site is not None and _site_unsupported(context.site, security.unsupported_sites):
        anchor = _anchor(context, context.site_location)
        if anchor is not None:
            path, where, declared = anchor
            names = " and ".join(_PRODUCT_NAMES[product] for product in products)
            yield make_finding(
                "DDC404",
                f"{names} {'is' if len(products) == 1 else 'are'} not supported on the Datadog site "
                f"{context.site} ({security.site_source.cite()}); use a supported site or drop the product",
                path,
                where.span,
                hint=hint,
                declared=declared or f"site={context.site}",
            )
