"""Typed, validated objects of the rule set, as loaded from the top-level `rules/` folder.

Every entry records the page and table (and the row text) it came from, so every finding can cite it.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, Optional, Union

from ddcompat._memo import by_identity
from ddcompat.names import normal_name

if TYPE_CHECKING:
    from packaging.ranges import VersionRange
    from packaging.version import Version


def _range(specifier: str) -> VersionRange:
    from ddcompat.ruleset.ranges import specifier_range

    return specifier_range(specifier)


class SupportLevel(enum.Enum):
    GENERAL_AVAILABILITY = "general-availability"
    MAINTENANCE = "maintenance"
    END_OF_LIFE = "end-of-life"


class Source(NamedTuple):
    """Where a rule comes from: `page` is "apm" or "code-security"; `table` the page's table heading."""

    page: str
    table: str
    row: str  # the row's first cell (or a short quote) as the page gives it

    def cite(self) -> str:
        page = "APM page" if self.page == "apm" else "Code Security page"
        return f"{page}, {self.table}"


class Branch(NamedTuple):
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

    @property
    def range(self) -> VersionRange:
        """The ddtrace versions of this branch (built once per specifier text: `ruleset.ranges`)."""
        return _range(self.specifier)


class Runtime(NamedTuple):
    """One row of the runtimes table: an OS, its CPUs and the Pythons a branch supports there."""

    os: str  # "Linux", "MacOS", "Windows"
    cpus: tuple[str, ...]  # ("x86-64", "i686", "AArch64")
    runtime: str  # "CPython"
    python_text: str  # as the page gives it ("2.7, 3.5-3.11")
    python_specifier: str  # a PEP 440 specifier over Python versions; "||" joins alternatives
    tracer_specifier: str  # ">=4, <5"
    source: Source

    @property
    def python_range(self) -> VersionRange:
        """The Python versions of this row, alternatives joined (`2.7, 3.5-3.11`)."""
        return _range(self.python_specifier)

    @property
    def tracer_range(self) -> VersionRange:
        return _range(self.tracer_specifier)


class Integration(NamedTuple):
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
    import_modules: tuple[str, ...] = ()  # the modules ddtrace patches ("MySQLdb", "mysql.connector")

    @property
    def range(self) -> VersionRange:
        """The supported versions of the library; every version for "Fully Supported"."""
        return _range(self.specifier)

    @property
    def tracer_range(self) -> Optional[VersionRange]:
        """The ddtrace versions the row is restricted to (Pylons: `>=1,<2`), or None when unrestricted."""
        return _range(self.tracer_restriction) if self.tracer_restriction else None


class IastFramework(NamedTuple):
    """A framework IAST supports from a minimum version (Code Security page)."""

    distribution: str  # normalised ("django")
    page_name: str
    minimum: str  # "2.2"
    source: Source


class Deployment(NamedTuple):
    """A deployment kind and which Code Security products the page says work there."""

    key: str  # "docker", "kubernetes", "ecs", "fargate", "aws-lambda"
    page_name: str  # "AWS Lambda"
    threat_detection: bool
    sca: bool
    iast: str  # "preview", "no"
    source: Source


class CodeSecurity(NamedTuple):
    """The Code Security page: tracer minimums for SCA and IAST, frameworks, deployments, sites."""

    sca_minimum: str  # "1.5.0"
    iast_minimum: str  # "2.21.0"
    iast_preview: bool
    iast_frameworks: tuple[IastFramework, ...]
    deployments: tuple[Deployment, ...]
    unsupported_sites: tuple[str, ...]  # ("ddog-gov.com",)
    sca_source: Source
    iast_source: Source
    site_source: Source


class AgentNotes(NamedTuple):
    """Agent versions the APM page names outside the release table (Redis AUTH, Lambda extension)."""

    redis_auth_min_agent: str  # "7.76.1"
    lambda_extension_min: str  # "v28.0.0"
    source: Source


class TracerIntegration(NamedTuple):
    """What one ddtrace version's own code says about one integration (rules/tracer/)."""

    name: str  # ddtrace's integration name ("aiopg")
    distributions: tuple[str, ...]  # normalised PyPI names
    modules: tuple[str, ...]  # import modules
    specifiers: Mapping[str, str]  # module or distribution -> PEP 440, from _supported_versions()
    enabled_by_default: bool
    source: str
    # Added for the tracer-aware checks (DDC311/DDC312):
    default: str = ""  # the PATCH_MODULES value as written ("True", "config._logs_injection"); "" if absent
    distribution_modules: Mapping[str, str] = MappingProxyType({})  # distribution -> hooked module
    specifiers_source: str = ""  # the file whose _supported_versions() gave `specifiers` ("" if none)


class TracerVersion:
    """One ddtrace release's own integration data (rules/tracer/ddtrace-X.toml).

    A plain class, not a dataclass (a dataclass costs about a millisecond of every run's start-up):
    read-only properties over slots, which the loader's subclass overrides to read the release's file
    only when something other than `version` is asked. Equality reads the properties too.
    """

    __slots__ = ("_contrib_dirs", "_integrations", "_registry", "_sha256", "_source", "version")

    def __init__(
        self,
        version: str,  # "4.0.0"
        integrations: tuple[TracerIntegration, ...],
        source: str,
        # Added for the tracer-aware checks: provenance, and the data the ground-truth tests compare.
        sha256: str = "",  # of the wheel or sdist the data was built from ("" for a source tree)
        contrib_dirs: tuple[str, ...] = (),  # every folder under ddtrace/contrib[/internal], helpers too
        registry: str = "",  # the integration registry read for PyPI names, or "" when the release has none
    ) -> None:
        self.version = version
        self._integrations = integrations
        self._source = source
        self._sha256 = sha256
        self._contrib_dirs = contrib_dirs
        self._registry = registry

    @property
    def integrations(self) -> tuple[TracerIntegration, ...]:
        return self._integrations

    @property
    def source(self) -> str:
        return self._source

    @property
    def sha256(self) -> str:
        return self._sha256

    @property
    def contrib_dirs(self) -> tuple[str, ...]:
        return self._contrib_dirs

    @property
    def registry(self) -> str:
        return self._registry

    def _values(self) -> tuple[object, ...]:
        return (self.version, self.integrations, self.source, self.sha256, self.contrib_dirs, self.registry)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TracerVersion):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # equal by value; its integrations hold mappings

    def __repr__(self) -> str:
        return f"{type(self).__name__}(version={self.version!r})"


class SupportPolicy(NamedTuple):
    """A row of the page's support-level definitions: what GA / Maintenance / EOL provide, for how long."""

    level_text: str  # "General Availability (GA)"
    support_provided: str
    lifecycle: str
    source: Source


class RuleSet(NamedTuple):
    """The whole embedded rule set, loaded once per process."""

    branches: tuple[Branch, ...]
    runtimes: tuple[Runtime, ...]
    integrations: tuple[Integration, ...]
    code_security: CodeSecurity
    agent: AgentNotes
    tracer_versions: tuple[TracerVersion, ...] = ()
    support_levels: tuple[SupportPolicy, ...] = ()

    def branch_for(self, version: Union[str, Version]) -> Optional[Branch]:
        """The branch whose range holds `version` (`4.3.1` -> 4.x), or None (`5.0.0`, not a version)."""
        from packaging.version import InvalidVersion, Version

        try:
            parsed = version if isinstance(version, Version) else Version(version)
        except InvalidVersion:
            return None
        for branch in self.branches:
            if branch.range.contains(parsed, prereleases=True):
                return branch
        return None

    def runtimes_for(self, branch: Branch) -> tuple[Runtime, ...]:
        """The runtime rows of a branch (rows whose ddtrace range equals the branch's)."""
        return tuple(runtime for runtime in self.runtimes if runtime.tracer_range == branch.range)

    def integrations_for_distribution(self, name: str) -> tuple[Integration, ...]:
        """Every row a distribution stands for, page order (aiohttp: the client row, then the server row)."""
        return _by_distribution(self.integrations).get(normal_name(name), ())

    def integration_for_distribution(self, name: str) -> Optional[Integration]:
        """The row a distribution stands for (its first row where there are two), or None."""
        rows = self.integrations_for_distribution(name)
        return rows[0] if rows else None

    def integration(self, key: str) -> Optional[Integration]:
        """The row with this key ("aiopg", "aiohttp-server"), or None."""
        return next((row for row in self.integrations if row.key == key), None)

    def iast_framework_for(self, name: str) -> Optional[IastFramework]:
        from packaging.utils import canonicalize_name

        wanted = canonicalize_name(name)
        return next((row for row in self.code_security.iast_frameworks if row.distribution == wanted), None)

    def deployment(self, key: str) -> Optional[Deployment]:
        """A deployment type by its config key ("aws-lambda")."""
        return next((row for row in self.code_security.deployments if row.key == key), None)

    def site_unsupported(self, site: str) -> bool:
        """Whether the page says Code Security is not supported on a Datadog site (`ddog-gov.com`,
        `app.ddog-gov.com`, any case)."""
        folded = site.strip().casefold().rstrip("/")
        for prefix in ("https://", "http://", "app."):
            folded = folded.removeprefix(prefix)
        return folded in {entry.casefold() for entry in self.code_security.unsupported_sites}


@by_identity  # the rule set's rows never change: indexed once per process
def _by_distribution(integrations: tuple[Integration, ...]) -> dict[str, tuple[Integration, ...]]:
    index: dict[str, list[Integration]] = {}
    for integration in integrations:
        for distribution in integration.distributions:
            index.setdefault(distribution, []).append(integration)
    return {name: tuple(rows) for name, rows in index.items()}
