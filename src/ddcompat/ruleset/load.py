"""Load the embedded rule set (`rules/*.toml`) into the typed objects of `ruleset/model.py`.

This runs on every `ddcompat check`, so it reads five small TOML files and validates them with plain
checks; specifiers are checked with `packaging` (imported by every run anyway) and turned into
VersionRanges only when a check asks (`Branch.range`, `Integration.range`, ...). A broken rule file is a
`UsageError` (exit 2) that names the file and the key.
"""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, TypeVar

from ddcompat.errors import UsageError
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
    SupportPolicy,
    TracerVersion,
)

if TYPE_CHECKING:  # a run reads rule files by plain string paths: pathlib is for tests and build commands
    from pathlib import Path

    from ddcompat.ruleset.compiled import StrPath

T = TypeVar("T")

_PAGES = ("apm", "code-security")
_IAST_VALUES = ("preview", "yes", "no")


def rules_folder() -> str:
    """The embedded rules folder: `ddcompat/rules` in a wheel, else the checkout's top-level `rules/`."""
    import ddcompat

    installed = os.path.join(os.path.dirname(ddcompat.__file__), "rules")
    if os.path.isdir(installed):
        return installed
    checkout = os.path.realpath(__file__)  # <checkout>/src/ddcompat/ruleset/load.py
    for _ in range(4):
        checkout = os.path.dirname(checkout)
    return os.path.join(checkout, "rules")


def rules_dir() -> Path:
    """`rules_folder()` as a `Path`."""
    from pathlib import Path

    return Path(rules_folder())


class _Table:
    """One TOML table of a rule file, with typed getters whose errors name the file and the key."""

    def __init__(self, path: str, where: str, data: Mapping[str, Any]) -> None:
        self.path = path
        self.where = where  # "[[integration]] #3 (aiopg)"
        self.data = data

    def error(self, key: str, problem: str) -> UsageError:
        return UsageError(f"broken rule file {self.path}: {self.where}: key {key!r}: {problem}")

    def _get(self, key: str, kind: type[T], what: str, default: Optional[T] = None) -> T:
        if key not in self.data:
            if default is not None:
                return default
            raise self.error(key, "missing")
        value = self.data[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.error(key, f"expected {what}, got {type(value).__name__}")
        return value

    def string(self, key: str, default: Optional[str] = None) -> str:
        return self._get(key, str, "a string", default)

    def boolean(self, key: str) -> bool:
        return self._get(key, bool, "true or false")

    def strings(self, key: str) -> tuple[str, ...]:
        value: list[Any] = self._get(key, list, "a list of strings")
        if not all(isinstance(item, str) for item in value):
            raise self.error(key, "expected a list of strings")
        return tuple(value)

    def optional_date(self, key: str) -> Optional[datetime.date]:
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise self.error(key, f"expected a date (YYYY-MM-DD), got {value!r}")
        return value

    def specifier(self, key: str, *, allow_empty: bool = False) -> str:
        from packaging.specifiers import InvalidSpecifier

        from ddcompat.ruleset.ranges import check_specifier

        value = self.string(key)
        if not value and allow_empty:
            return value
        try:
            check_specifier(value)
        except InvalidSpecifier:
            raise self.error(key, f"not a PEP 440 specifier: {value!r}") from None
        if not value:
            raise self.error(key, "empty specifier")
        return value

    def version(self, key: str, *, optional: bool = False, prefix: str = "") -> Optional[str]:
        from packaging.version import InvalidVersion, Version

        if optional and key not in self.data:
            return None
        value = self.string(key)
        try:
            Version(value.removeprefix(prefix) if prefix else value)
        except InvalidVersion:
            raise self.error(key, f"not a version: {value!r}") from None
        return value

    def required_version(self, key: str, prefix: str = "") -> str:
        value = self.version(key, prefix=prefix)
        assert value is not None
        return value

    def source(self) -> Source:
        page = self.string("page")
        if page not in _PAGES:
            raise self.error("page", f"expected one of {', '.join(_PAGES)}, got {page!r}")
        return Source(page, self.string("table"), self.string("row"))


def _read(path: str) -> dict[str, Any]:
    from ddcompat._toml import TOMLDecodeError
    from ddcompat.ruleset.compiled import loads

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise UsageError(f"broken rule set: {path} is missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"broken rule file {path}: cannot read it ({exc})") from None
    try:
        return loads(path, text)  # the pre-parsed form when it matches the text, else the TOML
    except TOMLDecodeError as exc:
        raise UsageError(f"broken rule file {path}: invalid TOML: {exc}") from None


def _array(path: str, data: Mapping[str, Any], section: str) -> list[_Table]:
    value = data.get(section, [])
    if not isinstance(value, list):
        raise UsageError(f"broken rule file {path}: [[{section}]]: expected an array of tables")
    tables: list[_Table] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise UsageError(f"broken rule file {path}: [[{section}]] #{number}: expected a table")
        label = item.get("key") or item.get("release") or item.get("page_name") or item.get("os")
        where = f"[[{section}]] #{number}" + (f" ({label})" if isinstance(label, str) else "")
        tables.append(_Table(path, where, item))
    return tables


def _single(path: str, data: Mapping[str, Any], section: str) -> _Table:
    value = data.get(section)
    if not isinstance(value, dict):
        raise UsageError(f"broken rule file {path}: [{section}]: missing or not a table")
    return _Table(path, f"[{section}]", value)


def _branch(table: _Table) -> Branch:
    level_value = table.string("level")
    try:
        level = SupportLevel(level_value)
    except ValueError:
        choices = ", ".join(level.value for level in SupportLevel)
        raise table.error("level", f"expected one of {choices}, got {level_value!r}") from None
    return Branch(
        name=table.string("name"),
        specifier=table.specifier("specifier"),
        level=level,
        level_text=table.string("level_text"),
        end_date=table.optional_date("end_date"),
        min_agent=table.version("min_agent", optional=True),
        source=table.source(),
    )


def _runtime(table: _Table) -> Runtime:
    return Runtime(
        os=table.string("os"),
        cpus=table.strings("cpus"),
        runtime=table.string("runtime"),
        python_text=table.string("python"),
        python_specifier=table.specifier("python_specifier"),
        tracer_specifier=table.specifier("tracer_specifier"),
        source=table.source(),
    )


def _integration(table: _Table) -> Integration:
    from packaging.utils import canonicalize_name

    distributions = table.strings("distributions")
    for name in distributions:
        if canonicalize_name(name) != name:
            raise table.error("distributions", f"{name!r} is not PEP 503 normalised")
    return Integration(
        key=table.string("key"),
        page_name=table.string("page_name"),
        supported_text=table.string("supported"),
        specifier=table.specifier("specifier", allow_empty=True),
        automatic=table.boolean("automatic"),
        automatic_text=table.string("automatic_text"),
        tracer_restriction=table.specifier("tracer_restriction", allow_empty=True),
        restriction_text=table.string("restriction"),
        distributions=distributions,
        stdlib=table.boolean("stdlib"),
        module=table.string("integration"),
        docs_url=table.string("docs_url"),
        source=table.source(),
        import_modules=table.strings("imports"),
    )


def _code_security(path: str, data: Mapping[str, Any]) -> CodeSecurity:
    sca = _single(path, data, "sca")
    iast = _single(path, data, "iast")
    site = _single(path, data, "site")
    frameworks = tuple(
        IastFramework(
            distribution=table.string("distribution"),
            page_name=table.string("page_name"),
            minimum=table.required_version("minimum"),
            source=table.source(),
        )
        for table in _array(path, data, "iast_framework")
    )
    deployments: list[Deployment] = []
    for table in _array(path, data, "deployment"):
        iast_value = table.string("iast")
        if iast_value not in _IAST_VALUES:
            raise table.error("iast", f"expected one of {', '.join(_IAST_VALUES)}, got {iast_value!r}")
        deployments.append(
            Deployment(
                key=table.string("key"),
                page_name=table.string("page_name"),
                threat_detection=table.boolean("threat_detection"),
                sca=table.boolean("sca"),
                iast=iast_value,
                source=table.source(),
            )
        )
    return CodeSecurity(
        sca_minimum=sca.required_version("minimum"),
        iast_minimum=iast.required_version("minimum"),
        iast_preview=iast.boolean("preview"),
        iast_frameworks=frameworks,
        deployments=tuple(deployments),
        unsupported_sites=site.strings("unsupported"),
        sca_source=sca.source(),
        iast_source=iast.source(),
        site_source=site.source(),
    )


def _agent(path: str, data: Mapping[str, Any]) -> AgentNotes:
    redis = _single(path, data, "redis_auth")
    extension = _single(path, data, "lambda_extension")
    return AgentNotes(
        redis_auth_min_agent=redis.required_version("min_agent"),
        lambda_extension_min=extension.required_version("minimum", prefix="v"),
        source=redis.source(),
    )


def _tracer_versions(directory: str) -> tuple[TracerVersion, ...]:
    """ddtrace's own integration data (`rules/tracer/`), when that part of the rule set is present."""
    tracer = os.path.join(directory, "tracer")
    if not os.path.isdir(tracer):
        return ()
    from ddcompat.ruleset.tracer_load import load_tracer_versions

    return load_tracer_versions(tracer)


def _load(rules: StrPath) -> RuleSet:
    directory = os.fspath(rules)
    releases_path = os.path.join(directory, "releases.toml")
    releases = _read(releases_path)
    runtimes_path = os.path.join(directory, "runtimes.toml")
    runtimes = _read(runtimes_path)
    integrations_path = os.path.join(directory, "integrations.toml")
    integrations = _read(integrations_path)
    security_path = os.path.join(directory, "code_security.toml")
    agent_path = os.path.join(directory, "agent.toml")
    branches = tuple(_branch(table) for table in _array(releases_path, releases, "branch"))
    if not branches:
        raise UsageError(f"broken rule file {releases_path}: no [[branch]] entries")
    policies = tuple(
        SupportPolicy(
            level_text=table.string("level_text"),
            support_provided=table.string("support_provided"),
            lifecycle=table.string("lifecycle"),
            source=table.source(),
        )
        for table in _array(releases_path, releases, "support_level")
    )
    rows = tuple(_integration(table) for table in _array(integrations_path, integrations, "integration"))
    keys = [row.key for row in rows]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise UsageError(f"broken rule file {integrations_path}: duplicate keys {', '.join(duplicates)}")
    return RuleSet(
        branches=branches,
        runtimes=tuple(_runtime(table) for table in _array(runtimes_path, runtimes, "runtime")),
        integrations=rows,
        code_security=_code_security(security_path, _read(security_path)),
        agent=_agent(agent_path, _read(agent_path)),
        tracer_versions=_tracer_versions(directory),
        support_levels=policies,
    )


@functools.lru_cache(maxsize=8)
def _cached(directory: str) -> RuleSet:
    return _load(directory)


def load_ruleset(rules_dir: Optional[StrPath] = None) -> RuleSet:
    """The rule set in `rules_dir` (default: the embedded one), loaded once per process and folder."""
    return _cached(os.path.normpath(rules_dir) if rules_dir is not None else _default_dir())


@functools.lru_cache(maxsize=1)
def _default_dir() -> str:
    return rules_folder()
