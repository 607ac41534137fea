"""Typed, validated objects of the rule set, as loaded from the top-level `rules/` folder.

Every entry records the page and table (and the row text) it came from, so every finding can cite it.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Optional


class SupportLevel(enum.Enum):
    GENERAL_AVAILABILITY = "general-availability"
    MAINTENANCE = "maintenance"
    END_OF_LIFE = "end-of-life"


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: `page` is "apm" or "code-security"; `table` the page's table heading."""

    page: str
    table: str
    row: str  # the row's first cell (or a short quote) as the page gives it

    def cite(self) -> str:
        page = "APM page" if self.page == "apm" else "Code Security page"
        return f"{page}, {self.table}"


@dataclass(frozen=True)
class Branch:
    """A tracer release branch (`>=4.0,<5`, General Availability, Agent 7.28)."""

    name: str  # "4.x"
    specifier: str  # PEP 440, as on the page (">=4.0,<5", "<2")
    level: SupportLevel
    level_text: str  # as the page gives it ("Maintenence (until May 31, 2026)")
    end_date: Optional[datetime.date]
    min_agent: Optional[str]
    source: Source

    def level_on(self, today: datetime.date) -> SupportLevel:
        """The support level on `today`: a branch past the end date the page gives is End of Life."""
        if self.end_date is not None and today > self.end_date:
            return SupportLevel.END_OF_LIFE
        return self.level


@dataclass(frozen=True)
class Runtime:
    """One row of the runtimes table: an OS, its CPUs and the Pythons a branch supports there."""

    os: str  # "Linux", "MacOS", "Windows"
    cpus: tuple[str, ...]  # ("x86-64", "i686", "AArch64")
    runtime: str  # "CPython"
    python_text: str  # as the page gives it ("2.7, 3.5-3.11")
    python_specifier: str  # a PEP 440 specifier over Python versions; "||" joins alternatives
    tracer_specifier: str  # ">=4, <5"
    source: Source


@dataclass(frozen=True)
class Integration:
    """One integration row of the APM page, with the PyPI distributions it stands for."""

    key: str  # a stable slug ("aiopg", "aiohttp-client")
    page_name: str  # the page's name ("Postgres aiopg", "aiohttp (client)")
    supported_text: str  # the range exactly as the page gives it (">= 0.12.0, <= 0.16", "Fully Supported")
    specifier: str  # normalised PEP 440 (">=0.12.0,<=0.16"); "" for "Fully Supported"
    automatic: bool
    automatic_text: str  # as the page gives it ("yes", "no", "> Python 3.7 yes")
    tracer_restriction: str  # PEP 440 over ddtrace versions (">=1,<2" for "dd-trace-py 1.x only"), or ""
    restriction_text: str  # "dd-trace-py 1.x only", or ""
    distributions: tuple[str, ...]  # PEP 503 normalised PyPI names
    stdlib: bool  # a standard library module (sqlite3, asyncio, futures, httplib): no distribution
    module: str  # the import module / DD_PATCH_MODULES name ("aiopg", "psycopg", "flask_cache")
    docs_url: str
    source: Source


@dataclass(frozen=True)
class IastFramework:
    distribution: str  # normalised ("django")
    page_name: str
    minimum: str  # "2.2"
    source: Source


@dataclass(frozen=True)
class Deployment:
    key: str  # "docker", "kubernetes", "ecs", "fargate", "aws-lambda"
    page_name: str  # "AWS Lambda"
    threat_detection: bool
    sca: bool
    iast: str  # "preview", "no"
    source: Source


@dataclass(frozen=True)
class CodeSecurity:
    sca_minimum: str  # "1.5.0"
    iast_minimum: str  # "2.21.0"
    iast_preview: bool
    iast_frameworks: tuple[IastFramework, ...]
    deployments: tuple[Deployment, ...]
    unsupported_sites: tuple[str, ...]  # ("ddog-gov.com",)
    sca_source: Source
    iast_source: Source
    site_source: Source


@dataclass(frozen=True)
class AgentNotes:
    redis_auth_min_agent: str  # "7.76.1"
    lambda_extension_min: str  # "v28.0.0"
    source: Source


@dataclass(frozen=True)
class TracerIntegration:
    """What one ddtrace version's own code says about one integration (rules/tracer/)."""

    name: str  # ddtrace's integration name ("aiopg")
    distributions: tuple[str, ...]  # normalised PyPI names
    modules: tuple[str, ...]  # import modules
    specifiers: dict[str, str]  # module or distribution -> PEP 440, from _supported_versions()
    enabled_by_default: bool
    source: str


@dataclass(frozen=True)
class TracerVersion:
    version: str  # "4.0.0"
    integrations: tuple[TracerIntegration, ...]
    source: str


@dataclass(frozen=True)
class RuleSet:
    branches: tuple[Branch, ...]
    runtimes: tuple[Runtime, ...]
    integrations: tuple[Integration, ...]
    code_security: CodeSecurity
    agent: AgentNotes
    tracer_versions: tuple[TracerVersion, ...] = field(default=())
