"""`ddcompat rules build-tracer`: the tracer-aware rules (`rules/tracer/ddtrace-X.toml`) from ddtrace's files.

For each wheel, sdist or source tree given, it reads (never imports) what that ddtrace release says about its
integrations: which exist (the folders under `ddtrace/contrib[/internal]`), which are on by default
(`PATCH_MODULES`), which modules each hooks (`_MODULES_FOR_CONTRIB`), which library versions each accepts
(`_supported_versions()` in its `patch.py`), and, where the release ships one, the integration registry's PyPI
names. Import modules become PyPI distributions through the reviewed `rules/tracer/modules.toml`.

A maintainer adds a release with `pip download ddtrace==X --no-deps` and this command; the output is
deterministic, so rebuilding an unchanged release changes no byte.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from ddcompat.ruleset.model import TracerIntegration, TracerVersion
from ddcompat.ruleset.tracer_sources import (
    BuildError,
    Monkey,
    RegistryEntry,
    SourceTree,
    open_source,
    parse_monkey,
    parse_registry,
    parse_supported_versions,
    release_version,
)
from ddcompat.ruleset.tracer_toml import render_version

MAPPING_FILE = "modules.toml"
_REGISTRY_PATHS = (
    "ddtrace/contrib/integration_registry/registry.yaml",
    "ddtrace/contrib/internal/integration_registry/registry.yaml",
)


@dataclass(frozen=True)
class Mapping:
    """The reviewed `modules.toml`: import module -> distributions, and the registry names to leave out."""

    modules: dict[str, tuple[str, ...]]
    registry_exclude: dict[str, frozenset[str]] = field(default_factory=dict)
    not_integrations: frozenset[str] = frozenset()

    def distributions(self, module: str) -> Optional[tuple[str, ...]]:
        """The distributions of `module`, else of its parents (`cassandra.cluster`); None if unmapped."""
        folded = {key.lower(): value for key, value in self.modules.items()}
        candidate = module
        while candidate:
            for key in (candidate, candidate.lower()):
                if key in self.modules:
                    return self.modules[key]
                if key in folded:
                    return folded[key]
            candidate = candidate.rpartition(".")[0]
        return None

    def provider_of(self, distribution: str, modules: tuple[str, ...]) -> Optional[str]:
        """Which of `modules` `distribution` provides, per this mapping."""
        for module in modules:
            if distribution in (self.distributions(module) or ()):
                return module
        return None


def load_mapping(path: Path) -> Mapping:
    from ddcompat._toml import TOMLDecodeError, loads

    try:
        data = loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLDecodeError) as exc:
        raise BuildError(f"{path}: cannot read the module mapping ({exc})") from None
    modules = {
        str(key): tuple(str(canonicalize_name(name)) for name in value)
        for key, value in dict(data.get("modules", {})).items()
    }
    exclude = {
        str(key): frozenset(str(canonicalize_name(name)) for name in value)
        for key, value in dict(data.get("registry-exclude", {})).items()
    }
    helpers = frozenset(str(name) for name in dict(data.get("not-integrations", {})).get("dirs", []))
    return Mapping(modules, exclude, helpers)


@dataclass
class Built:
    """One release's data and what the maintainer should review."""

    version: TracerVersion
    warnings: list[str]


def contrib_dirs(tree: SourceTree) -> tuple[str, ...]:
    """Every folder directly under `ddtrace/contrib/internal/` and `ddtrace/contrib/`."""
    found: set[str] = set()
    for base in ("ddtrace/contrib/internal/", "ddtrace/contrib/"):
        for path in tree.paths():
            if path.startswith(base):
                rest = path[len(base) :]
                if "/" in rest:
                    found.add(rest.split("/", 1)[0])
    found.discard("internal")
    found.discard("__pycache__")
    return tuple(sorted(found))


def _patch_file(tree: SourceTree, name: str) -> Optional[str]:
    for path in (f"ddtrace/contrib/internal/{name}/patch.py", f"ddtrace/contrib/{name}/patch.py"):
        if tree.has(path):
            return path
    return None


def _specifier_candidates(tree: SourceTree, name: str, patch_path: Optional[str]) -> list[str]:
    """Where `_supported_versions()` may be: `patch.py`, else another module of the integration (wsgi.py)."""
    folder = _integration_folder(tree, name)
    others = sorted(path for path in tree.paths() if path.startswith(folder) and path.endswith(".py"))
    first = [patch_path] if patch_path else []
    return first + [path for path in others if path != patch_path]


def _integration_folder(tree: SourceTree, name: str) -> str:
    internal = f"ddtrace/contrib/internal/{name}/"
    if any(path.startswith(internal) for path in tree.paths()):
        return internal
    return f"ddtrace/contrib/{name}/"


def build_version(tree: SourceTree, mapping: Mapping, version: str) -> Built:
    """The `TracerVersion` of one ddtrace release."""
    warnings: list[str] = []
    monkey = parse_monkey(tree.text("ddtrace/_monkey.py"))
    registry_path = next((path for path in _REGISTRY_PATHS if tree.has(path)), "")
    registry = parse_registry(tree.text(registry_path)) if registry_path else {}
    dirs = contrib_dirs(tree)
    names = [name for name in dirs if not name.startswith("_") and name not in mapping.not_integrations]
    for name in sorted(set(monkey.patch_modules) - set(names)):
        warnings.append(f"PATCH_MODULES names {name!r}, which has no contrib folder: left out")
    integrations = tuple(_integration(tree, mapping, monkey, registry, name, warnings) for name in names)
    source = f"{tree.kind} {tree.name}"
    return Built(
        TracerVersion(
            version=version,
            integrations=integrations,
            source=source,
            sha256=tree.digest,
            contrib_dirs=dirs,
            registry=registry_path,
        ),
        warnings,
    )


def _integration(
    tree: SourceTree,
    mapping: Mapping,
    monkey: Monkey,
    registry: dict[str, RegistryEntry],
    name: str,
    warnings: list[str],
) -> TracerIntegration:
    modules = tuple(monkey.hooked.get(name, (name,)))
    patch_path = _patch_file(tree, name)
    specifiers: dict[str, str] = {}
    specifiers_path = ""
    for path in _specifier_candidates(tree, name, patch_path):
        text = tree.text(path)
        found = parse_supported_versions(text, path) if "def _supported_versions" in text else None
        if found is not None:
            specifiers, specifiers_path = dict(sorted(found.items())), path
            break
    for key, spec in specifiers.items():
        if spec.strip() != "*":
            try:
                SpecifierSet(spec)
            except InvalidSpecifier:
                warnings.append(f"{name}: {key} = {spec!r} is not a PEP 440 specifier")
    distribution_modules: dict[str, str] = {}
    for module in modules:
        provided = mapping.distributions(module)
        if provided is None:
            warnings.append(
                f"{name}: module {module!r} is not in {MAPPING_FILE}: it stands for no distribution"
            )
            continue
        for distribution in provided:
            distribution_modules.setdefault(distribution, module)
    entry = registry.get(name)
    if entry is not None:
        excluded = mapping.registry_exclude.get(name, frozenset())
        for raw in entry.dependency_names:
            distribution = canonicalize_name(raw)
            if distribution in excluded or distribution in distribution_modules:
                continue
            provider = mapping.provider_of(distribution, modules)
            if provider is None:
                warnings.append(
                    f"{name}: the registry names {distribution!r}, which {MAPPING_FILE} does not give for "
                    f"{', '.join(modules)}; kept, without a version check"
                )
            distribution_modules[distribution] = provider or ""
    value = monkey.patch_modules.get(name)
    if value is None:
        default = ""
    elif isinstance(value, bool):
        default = str(value)
    else:
        default = value
    return TracerIntegration(
        name=name,
        distributions=tuple(sorted(distribution_modules)),
        modules=modules,
        specifiers=specifiers,
        enabled_by_default=value is True,
        source=patch_path or _integration_folder(tree, name),
        default=default,
        distribution_modules=dict(sorted(distribution_modules.items())),
        specifiers_source=f"{specifiers_path} _supported_versions()" if specifiers_path else "",
    )


def _split_given_version(text: str) -> tuple[Path, Optional[str]]:
    """`PATH@VERSION` names the version of a source tree that records none."""
    path = Path(text)
    if not path.exists() and "@" in text:
        head, _, tail = text.rpartition("@")
        return Path(head), tail
    return path, None


def default_output() -> Optional[Path]:
    """`rules/tracer` under the current folder (a checkout of ddcompat), when it exists."""
    candidate = Path("rules") / "tracer"
    return candidate if candidate.is_dir() else None


def embedded_mapping() -> Path:
    """The mapping shipped with ddcompat (`rules/tracer/modules.toml` of a checkout or the wheel)."""
    from ddcompat.ruleset.tracer_load import embedded_tracer_dir

    return embedded_tracer_dir() / MAPPING_FILE


def build_tracer_command(sources: list[str], output: Optional[str]) -> int:
    """Build one `ddtrace-X.toml` per source into `output` (default `rules/tracer`); exit code."""
    target = Path(output) if output else default_output()
    if target is None:
        sys.stderr.write("ddcompat: error: no rules/tracer folder here; give --output DIR\n")
        return 2
    mapping_path = target / MAPPING_FILE
    if not mapping_path.is_file():
        mapping_path = embedded_mapping()
    try:
        mapping = load_mapping(mapping_path)
        built: list[Built] = []
        for text in sources:
            path, given = _split_given_version(text)
            tree = open_source(path)
            built.append(build_version(tree, mapping, release_version(tree, given)))
    except BuildError as exc:
        sys.stderr.write(f"ddcompat: error: {exc}\n")
        return 2
    target.mkdir(parents=True, exist_ok=True)
    for item in built:
        file = target / f"ddtrace-{item.version.version}.toml"
        content = render_version(item.version)
        changed = _write(file, content)
        state = "written" if changed else "unchanged"
        count = len(item.version.integrations)
        sys.stdout.write(f"{file}: ddtrace {item.version.version}, {count} integrations ({state})\n")
        for warning in item.warnings:
            sys.stderr.write(f"{file.name}: warning: {warning}\n")
    return write_index(target)


def write_index(target: Path) -> int:
    """Rewrite `index.toml` from every `ddtrace-*.toml` in `target` (the new ones and those already there)."""
    from ddcompat.errors import UsageError
    from ddcompat.ruleset.tracer_load import (
        INDEX_FILE,
        compute_presence,
        load_tracer_file,
        render_index,
        tracer_files,
    )

    try:
        versions = tuple(load_tracer_file(path) for path in tracer_files(target).values())
    except UsageError as exc:
        sys.stderr.write(f"ddcompat: error: {exc}\n")
        return 2
    index = target / INDEX_FILE
    _write(index, render_index(compute_presence(versions)))
    sys.stdout.write(f"{index}: {len(versions)} releases\n")
    return 0


def _write(path: Path, content: str) -> bool:
    """Write `path` if its content changes, and its pre-parsed form where the folder keeps one; changed?"""
    from ddcompat.ruleset.compiled import compiled_path, render

    changed = not path.is_file() or path.read_text(encoding="utf-8") != content
    if changed:
        path.write_text(content, encoding="utf-8", newline="\n")
    compiled = compiled_path(path)
    if compiled.parent.is_dir():  # keep `ddcompat rules compile`'s output fresh (ruleset/compiled.py)
        rendered = render(content)
        if not compiled.is_file() or compiled.read_text(encoding="utf-8") != rendered:
            compiled.write_text(rendered, encoding="utf-8", newline="\n")
    return changed
