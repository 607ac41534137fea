"""Load the tracer-aware rules (`rules/tracer/ddtrace-X.toml`) into `TracerVersion`s.

The files are written by `ddcompat rules build-tracer`; a file that is broken is a broken rule set (exit 2
with the file and key named), never a silent gap. Each file is parsed once per process.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ddcompat.errors import UsageError
from ddcompat.ruleset.model import TracerIntegration, TracerVersion

if TYPE_CHECKING:  # a run reads rule files by plain string paths: pathlib is for the build commands
    from pathlib import Path

    from ddcompat.ruleset.compiled import StrPath

_FILE = re.compile(r"^ddtrace-(.+)\.toml$")
SCHEMA = 1


def embedded_tracer_dir() -> Path:
    """The embedded `rules/tracer` folder (the wheel's `ddcompat/rules/tracer`, or the checkout's)."""
    from ddcompat.ruleset.load import rules_dir

    return rules_dir() / "tracer"


def tracer_files(tracer_dir: StrPath) -> dict[Version, str]:
    """The version files of `tracer_dir` by release, from their names alone (no file is read)."""
    found: dict[Version, str] = {}
    folder = os.fspath(tracer_dir)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return found
    for name in names:
        match = _FILE.match(name)
        if not match:
            continue
        path = os.path.join(folder, name)
        try:
            found[Version(match.group(1))] = path
        except InvalidVersion:
            problem = f"{match.group(1)!r} is not a ddtrace version"
            raise UsageError(f"broken rule file {path}: {problem}") from None
    return dict(sorted(found.items()))


def load_tracer_versions(tracer_dir: StrPath) -> tuple[TracerVersion, ...]:
    """Every `ddtrace-X.toml` of `tracer_dir`, oldest release first; each file is parsed on first use.

    The rule set is loaded on every run, but a run needs at most the one release nearest the project's
    ddtrace: parsing all of them costs about 50 ms, listing them 0.1 ms and one file 5 ms. So the versions
    come from the file names, and a file is read when anything but `version` is asked of it (a broken file
    then fails the run as a broken rule set, exit 2, like the page-built rules).
    """
    return tuple(
        _LazyTracerVersion(str(version), path) for version, path in tracer_files(tracer_dir).items()
    )


class _LazyTracerVersion(TracerVersion):
    """A `TracerVersion` that parses its file on first access to anything but `version`."""

    __slots__ = ("_path",)

    def __init__(self, version: str, path: str) -> None:  # no super().__init__: nothing is read yet
        self.version = version
        self._path = path

    def _loaded(self) -> TracerVersion:
        return load_tracer_file(self._path)

    @property
    def integrations(self) -> tuple[TracerIntegration, ...]:
        return self._loaded().integrations

    @property
    def source(self) -> str:
        return self._loaded().source

    @property
    def sha256(self) -> str:
        return self._loaded().sha256

    @property
    def contrib_dirs(self) -> tuple[str, ...]:
        return self._loaded().contrib_dirs

    @property
    def registry(self) -> str:
        return self._loaded().registry


@functools.lru_cache(maxsize=64)
def load_tracer_file(path: StrPath) -> TracerVersion:
    """One version file, validated; cached per process."""
    from ddcompat._toml import TOMLDecodeError
    from ddcompat.ruleset.compiled import loads

    try:
        data = loads(path, _read_text(path))  # pre-parsed when fresh (ruleset/compiled.py)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read rule file {path}: {exc}") from None
    except TOMLDecodeError as exc:
        raise UsageError(f"broken rule file {path}: {exc}") from None
    return _version(os.fspath(path), data)


def _read_text(path: StrPath) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _fail(path: str, where: str, problem: str) -> UsageError:
    return UsageError(f"broken rule file {path}: {where}: {problem}")


def _str(path: str, where: str, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise _fail(path, where, f"key {key!r} must be a string")
    return value


def _str_list(path: str, where: str, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(path, where, f"key {key!r} must be a list of strings")
    return tuple(value)


def _str_table(path: str, where: str, data: Mapping[str, Any], key: str) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise _fail(path, where, f"key {key!r} must be a table of strings")
    return dict(value)


def _version(path: str, data: Mapping[str, Any]) -> TracerVersion:
    if data.get("schema") != SCHEMA:
        problem = f"schema must be {SCHEMA} (rebuild with `ddcompat rules build-tracer`)"
        raise _fail(path, "top level", problem)
    version = _str(path, "top level", data, "version")
    expected = _FILE.match(os.path.basename(path))
    if expected is None or Version(expected.group(1)) != Version(version):
        raise _fail(path, "top level", f"version {version!r} does not match the file name")
    tables = data.get("integrations", {})
    if not isinstance(tables, dict):
        raise _fail(path, "top level", "[integrations] must be tables")
    integrations = tuple(_integration(path, name, table) for name, table in sorted(tables.items()))
    return TracerVersion(
        version=version,
        integrations=integrations,
        source=_str(path, "top level", data, "source"),
        sha256=_str(path, "top level", data, "sha256"),
        contrib_dirs=_str_list(path, "top level", data, "contrib-dirs"),
        registry=_str(path, "top level", data, "registry"),
    )


def _integration(path: str, name: str, table: Any) -> TracerIntegration:
    where = f"[integrations.{name}]"
    if not isinstance(table, dict):
        raise _fail(path, where, "must be a table")
    enabled = table.get("enabled-by-default")
    if not isinstance(enabled, bool):
        raise _fail(path, where, "key 'enabled-by-default' must be true or false")
    distributions = _str_table(path, where, table, "distributions")
    for distribution in distributions:
        if canonicalize_name(distribution) != distribution:
            raise _fail(path, where, f"distribution {distribution!r} is not PEP 503 normalised")
    specifiers = _str_table(path, where, table, "specifiers")
    for key, spec in specifiers.items():
        if spec.strip() == "*":
            continue
        try:
            SpecifierSet(spec)
        except InvalidSpecifier:
            raise _fail(path, where, f"specifier {key} = {spec!r} is not PEP 440") from None
    specifiers_source = table.get("specifiers-source", "")
    if not isinstance(specifiers_source, str):
        raise _fail(path, where, "key 'specifiers-source' must be a string")
    return TracerIntegration(
        name=name,
        distributions=tuple(sorted(distributions)),
        modules=_str_list(path, where, table, "modules"),
        specifiers=specifiers,
        enabled_by_default=enabled,
        source=_str(path, where, table, "source"),
        default=_str(path, where, table, "default"),
        distribution_modules=distributions,
        specifiers_source=specifiers_source,
    )


# --- which known releases trace each distribution (rules/tracer/index.toml) -----------------------------

INDEX_FILE = "index.toml"


class Presence(NamedTuple):
    """For every distribution some known release has an integration for: which releases have one.

    `marks[d][i]` is "x" when `releases[i]` has an integration for `d`, "." when it has none. The checks ask
    this before reading any release file, so a project none of whose libraries ever had an integration
    costs no file read at all.
    """

    releases: tuple[str, ...]  # oldest first
    marks: dict[str, str]

    def releases_with(self, distribution: str) -> tuple[str, ...]:
        marks = self.marks.get(distribution, "")
        return tuple(release for release, mark in zip(self.releases, marks) if mark == "x")

    def known(self, distribution: str) -> bool:
        return distribution in self.marks


def presence_of(versions: tuple[TracerVersion, ...]) -> Presence:
    """The presence table of `versions`: read from the index beside their files, else computed from them."""
    paths = [getattr(version, "_path", None) for version in versions]
    if versions and all(isinstance(path, str) for path in paths):
        folders = {os.path.dirname(path) for path in paths if isinstance(path, str)}
        if len(folders) == 1:
            index = os.path.join(folders.pop(), INDEX_FILE)
            presence = _read_index(index)
            if presence.releases != tuple(version.version for version in versions):
                raise UsageError(
                    f"broken rule file {index}: its releases are not the ddtrace-*.toml files "
                    "beside it (rebuild with `ddcompat rules build-tracer`)"
                )
            return presence
    return compute_presence(versions)


def compute_presence(versions: tuple[TracerVersion, ...]) -> Presence:
    """The presence table, from the releases' data (the builder writes this as the index)."""
    ordered = sorted(versions, key=lambda version: Version(version.version))
    covered = [
        {distribution for integration in version.integrations for distribution in integration.distributions}
        for version in ordered
    ]
    names = sorted(set().union(*covered)) if covered else []
    marks = {name: "".join("x" if name in found else "." for found in covered) for name in names}
    return Presence(tuple(version.version for version in ordered), marks)


@functools.lru_cache(maxsize=8)
def _read_index(path: str) -> Presence:
    from ddcompat._toml import TOMLDecodeError
    from ddcompat.ruleset.compiled import loads

    try:
        data = loads(path, _read_text(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read rule file {path}: {exc}") from None
    except TOMLDecodeError as exc:
        raise UsageError(f"broken rule file {path}: {exc}") from None
    releases = data.get("releases")
    marks = data.get("distributions")
    if data.get("schema") != SCHEMA or not isinstance(releases, list) or not isinstance(marks, dict):
        raise _fail(path, "top level", "needs schema, releases and [distributions] (rebuild it)")
    for name, value in marks.items():
        if not isinstance(value, str) or len(value) != len(releases) or set(value) - {"x", "."}:
            raise _fail(path, "[distributions]", f"{name}: one 'x' or '.' per release expected")
    return Presence(tuple(str(release) for release in releases), dict(marks))


def render_index(presence: Presence) -> str:
    """`index.toml`, deterministic."""
    from ddcompat.ruleset.tracer_toml import render_presence

    return render_presence(presence.releases, presence.marks)
