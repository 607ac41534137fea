"""Hand-built rule sets, declarations and project contexts for the unit tests of `ddcompat.checks`.

The rule set here copies the rows of the two doc pages the tests need, exactly as the pages give them, so
the check tests do not depend on the loader; the end-to-end project tests use the real, embedded rule set.
"""

from __future__ import annotations

import datetime
from typing import Optional

from packaging.markers import Marker
from packaging.ranges import VersionRange
from packaging.specifiers import SpecifierSet

from ddcompat.checks._ranges import parse_range
from ddcompat.context import Located, ProjectContext, PythonInUse, TracerInUse
from ddcompat.model import (
    Declaration,
    Origin,
    PlatformDeclaration,
    PythonDeclaration,
    ReadResult,
    Span,
)
from ddcompat.ruleset.model import (
    AgentNotes,
    Branch,
    CodeSecurity,
    Deployment,
    IastFramework,
    Integration,
    RuleSet,
    Runtime,
    Source,
    SupportLevel,
)

TODAY = datetime.date(2026, 3, 1)  # 3.x still in Maintenance (until 2026-05-31)
LATER = datetime.date(2026, 11, 21)  # 3.x past its end date: End of Life

_RELEASES = Source("apm", "Releases table", "")
_RUNTIMES = Source("apm", "Python runtimes table", "")


def _branch(name: str, spec: str, level: SupportLevel, text: str, end: Optional[datetime.date],
            agent: Optional[str]) -> Branch:
    return Branch(name, spec, level, text, end, agent, Source("apm", "Releases table", f"`{spec}`"))


BRANCHES = (
    _branch("4.x", ">=4.0,<5", SupportLevel.GENERAL_AVAILABILITY, "General Availability", None, "7.28"),
    _branch("3.x", ">=3.0,<4", SupportLevel.MAINTENANCE, "Maintenence (until May 31, 2026)",
            datetime.date(2026, 5, 31), "7.28"),
    _branch("2.x", ">=2.0,<3", SupportLevel.END_OF_LIFE, "End of Life", None, "7.28"),
    _branch("1.x", "<2", SupportLevel.END_OF_LIFE, "End of Life", None, None),
)


def _runtimes() -> tuple[Runtime, ...]:
    rows = []
    table = (
        ("3.9+", ">=3.9", ">=4, <5", {"Linux": ("x86-64", "AArch64")}),
        ("3.8+", ">=3.8", ">=3, <4", {"Linux": ("x86-64", "i686", "AArch64")}),
        ("3.7-3.13", ">=3.7,<3.14", ">=2,<3", {"Linux": ("x86-64", "i686", "AArch64")}),
        ("2.7, 3.5-3.11", "==2.7.*||>=3.5,<3.12", "<2", {"Linux": ("x86-64", "i686", "AArch64")}),
    )
    for python_text, python_spec, tracer_spec, linux in table:
        for os_name, cpus in (
            ("Linux", linux["Linux"]),
            ("MacOS", ("Intel", "Apple Silicon")),
            ("Windows", ("64bit", "32bit")),
        ):
            rows.append(Runtime(os_name, cpus, "CPython", python_text, python_spec, tracer_spec, _RUNTIMES))
    return tuple(rows)


def _integration(key: str, name: str, text: str, spec: str, automatic: bool, dists: tuple[str, ...],
                 module: str, table: str, restriction: str = "", restriction_text: str = "",
                 stdlib: bool = False) -> Integration:
    return Integration(
        key=key, page_name=name, supported_text=text, specifier=spec, automatic=automatic,
        automatic_text="yes" if automatic else "no", tracer_restriction=restriction,
        restriction_text=restriction_text, distributions=dists, stdlib=stdlib, module=module,
        docs_url=f"https://ddtrace.readthedocs.io/en/stable/integrations.html#{module}",
        source=Source("apm", table, name),
    )


_WEB = "Web framework compatibility"
_DATA = "Datastore compatibility"
_LIB = "Library compatibility"

INTEGRATIONS = (
    _integration("asgi", "asgi", ">= 2.0", ">=2.0", False, (), "asgi", _WEB),
    _integration("aiohttp-client", "aiohttp (client)", ">= 2.0", ">=2.0", True, ("aiohttp",), "aiohttp",
                 _WEB),
    _integration("aiohttp-server", "aiohttp (server)", ">= 2.0", ">=2.0", False, ("aiohttp",), "aiohttp",
                 _WEB),
    _integration("bottle", "Bottle", ">= 0.11", ">=0.11", False, ("bottle",), "bottle", _WEB),
    _integration("django", "Django", ">= 1.8", ">=1.8", True, ("django",), "django", _WEB),
    _integration("flask", "Flask", ">= 0.10", ">=0.10", True, ("flask",), "flask", _WEB),
    _integration("fastapi", "FastAPI", ">= 0.51", ">=0.51", True, ("fastapi",), "fastapi", _WEB),
    _integration("pylons", "Pylons", ">= 0.9.6 (dd-trace-py 1.x only)", ">=0.9.6", False, ("pylons",),
                 "pylons", _WEB, ">=1,<2", "dd-trace-py 1.x only"),
    _integration("flask-cache", "Flask Cache", ">= 0.12", ">=0.12", False, ("flask-cache", "flask-caching"),
                 "flask_cache", _DATA),
    _integration("aiopg", "Postgres aiopg", ">= 0.12.0, <= 0.16", ">=0.12.0,<=0.16", True, ("aiopg",),
                 "aiopg", _DATA),
    _integration("redis", "Redis", ">= 2.6", ">=2.6", True, ("redis",), "redis", _DATA),
    _integration("sqlalchemy", "SQLAlchemy", ">= 1.0", ">=1.0", False, ("sqlalchemy",), "sqlalchemy", _DATA),
    _integration("sqlite3", "SQLite3", "Fully Supported", "", True, (), "sqlite3", _DATA, stdlib=True),
    _integration("futures", "Futures", "Fully Supported", "", True, ("futures",), "futures", _LIB,
                 stdlib=True),
    _integration("requests", "Requests", ">= 2.08", ">=2.08", True, ("requests",), "requests", _LIB),
)

_CS = Source("code-security", "Code Security capabilities support", "")

CODE_SECURITY = CodeSecurity(
    sca_minimum="1.5.0",
    iast_minimum="2.21.0",
    iast_preview=True,
    iast_frameworks=tuple(
        IastFramework(dist, name, minimum, Source("code-security", "Supported frameworks", name))
        for dist, name, minimum in (("django", "Django", "2.2"), ("fastapi", "FastAPI", "0.86"),
                                    ("flask", "Flask", "1.1"))
    ),
    deployments=tuple(
        Deployment(key, name, True, sca, iast, Source("code-security", "Supported deployment types", name))
        for key, name, sca, iast in (
            ("docker", "Docker", True, "preview"),
            ("kubernetes", "Kubernetes", True, "preview"),
            ("ecs", "Amazon ECS", True, "preview"),
            ("fargate", "AWS Fargate", True, "preview"),
            ("aws-lambda", "AWS Lambda", False, "no"),
        )
    ),
    unsupported_sites=("ddog-gov.com",),
    sca_source=_CS,
    iast_source=_CS,
    site_source=Source("code-security", "site note", "app.ddog-gov.com"),
)

AGENT = AgentNotes("7.76.1", "v28.0.0", Source("apm", "Datastore compatibility", "Note"))

RULES = RuleSet(
    branches=BRANCHES,
    runtimes=_runtimes(),
    integrations=INTEGRATIONS,
    code_security=CODE_SECURITY,
    agent=AGENT,
)


def span(line: int, column: int = 1, length: int = 10) -> Span:
    return Span(line, column, line, column + length)


def decl(
    name: str,
    specifier: str = "",
    *,
    line: int = 1,
    declared: Optional[str] = None,
    origin: Origin = Origin.MANIFEST,
    marker: Optional[str] = None,
    direct: bool = False,
) -> Declaration:
    """A declaration as a reader would make it: `decl("aiopg", ">=0.12")`; "" is a bare name."""
    text = name + (declared if declared is not None else specifier)
    return Declaration(
        name=name.lower().replace("_", "-"),
        raw_name=name,
        specifier=specifier,
        declared=declared if declared is not None else specifier,
        admitted=parse_range(specifier),
        has_specifier=bool(specifier),
        span=span(line, 1, len(text)),
        origin=origin,
        marker=Marker(marker) if marker else None,
        is_direct_reference=direct,
    )


def locked(name: str, version: str, *, line: int = 1) -> Declaration:
    """A lock entry: exactly one version."""
    return Declaration(
        name=name, raw_name=name, specifier=f"=={version}", declared=version,
        admitted=SpecifierSet(f"=={version}").to_range(), has_specifier=True, span=span(line, 1, 8),
        origin=Origin.LOCK,
    )


def python_decl(specifier: str, *, line: int = 1, kind: str = "requires-python") -> PythonDeclaration:
    return PythonDeclaration(specifier, specifier, parse_range(specifier), span(line, 1, 20), kind)


def platform(marker: str, *, line: int = 1) -> PlatformDeclaration:
    return PlatformDeclaration(Marker(marker), marker, span(line, 5, len(marker)))


def result(path: str, *decls: Declaration, kind: str = "requirements",
           pythons: tuple[PythonDeclaration, ...] = (),
           platforms: tuple[PlatformDeclaration, ...] = ()) -> ReadResult:
    return ReadResult(path=path, kind=kind, declarations=list(decls), pythons=list(pythons),
                      platforms=list(platforms))


def tracer_in_use(results: list[ReadResult]) -> TracerInUse:
    """What the project builder computes: a lock's version, else the declared ranges' intersection."""
    for res in results:
        for d in res.declarations:
            if d.name == "ddtrace" and d.origin is Origin.LOCK:
                return TracerInUse(d.admitted, d.declared, False, d, res.path)
    versions: Optional[VersionRange] = None
    first: Optional[tuple[str, Declaration]] = None
    for res in results:
        for d in res.declarations:
            if d.name == "ddtrace":
                versions = d.admitted if versions is None else versions & d.admitted
                first = first or (res.path, d)
    if versions is None or first is None:
        return TracerInUse(parse_range(">=4.0,<5"), None, True, None, None)
    return TracerInUse(versions, None, False, first[1], first[0])


def context(
    *results: ReadResult,
    checked: Optional[tuple[str, ...]] = None,
    python: Optional[str] = None,
    python_at: Optional[tuple[str, PythonDeclaration]] = None,
    today: datetime.date = TODAY,
    products: tuple[str, ...] = ("apm",),
    agent: Optional[str] = None,
    site: Optional[str] = None,
    deployment: Optional[str] = None,
    config_at: Optional[Located] = None,
) -> ProjectContext:
    """A project context over `results` (all checked unless `checked` says otherwise)."""
    project_python: Optional[PythonInUse] = None
    if python_at is not None:
        path, pdecl = python_at
        project_python = PythonInUse(pdecl.admitted, pdecl.declared, pdecl.kind, pdecl, path)
    elif python is not None:
        project_python = PythonInUse(parse_range(python), python, "--python", None, None)
    return ProjectContext(
        root=".",
        results=list(results),
        checked=frozenset(checked if checked is not None else (r.path for r in results)),
        tracer=tracer_in_use(list(results)),
        python=project_python,
        today=today,
        products=frozenset(products),
        agent_version=agent,
        agent_location=config_at if agent else None,
        site=site,
        site_location=config_at if site else None,
        deployment=deployment,
        deployment_location=config_at if deployment else None,
    )


def codes(findings: object) -> list[tuple[str, int]]:
    """(code, line) of every finding, sorted: what most assertions compare."""
    return sorted((f.code, f.span.line) for f in findings)  # type: ignore[attr-defined]
