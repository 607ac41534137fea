"""Read ddtrace's own files from a wheel, an sdist or a source tree, without importing or running them.

`ddcompat rules build-tracer` needs only a handful of text files of a ddtrace release (`ddtrace/_monkey.py`,
the contrib `patch.py` files, the integration registry). This module hides whether they come from a zip
(wheel), a tar (sdist) or a folder, and parses them with `ast` and a small reader for the registry's YAML,
so nothing of ddtrace is ever executed.
"""

from __future__ import annotations

import ast
import hashlib
import re
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version


class BuildError(Exception):
    """A source that cannot be read as a ddtrace release; the message says what is missing."""


class SourceTree:
    """The files of one ddtrace release, by their path inside the package (`ddtrace/_monkey.py`)."""

    def __init__(self, name: str, files: dict[str, bytes], digest: str, kind: str) -> None:
        self.name = name  # the file or folder name, as recorded in the rule files
        self._files = files
        self.digest = digest  # sha256 of a wheel or sdist; "" for a folder
        self.kind = kind  # "wheel", "sdist", "source tree"

    def paths(self) -> frozenset[str]:
        return frozenset(self._files)

    def has(self, path: str) -> bool:
        return path in self._files

    def text(self, path: str) -> str:
        try:
            return self._files[path].decode("utf-8")
        except KeyError:
            raise BuildError(f"{self.name}: no {path}") from None
        except UnicodeDecodeError as exc:
            raise BuildError(f"{self.name}: {path} is not UTF-8 ({exc})") from None


_WANTED = re.compile(
    r"^(ddtrace/_monkey\.py|ddtrace/_version\.py|ddtrace/version\.py"
    r"|ddtrace/contrib/.*|[^/]+\.dist-info/METADATA|PKG-INFO)$"
)


def _keep(path: str) -> bool:
    """Only the text files the builder reads (a wheel also holds native code and much else)."""
    return bool(_WANTED.match(path)) and not path.endswith((".so", ".pyd", ".pyc", ".c", ".cpp", ".pyx"))


def open_source(path: Path) -> SourceTree:
    """A wheel (`.whl`), an sdist (`.tar.gz`, `.zip`) or a folder holding `ddtrace/`."""
    if path.is_dir():
        return _open_folder(path)
    if not path.is_file():
        raise BuildError(f"{path}: no such file or folder")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    name = path.name
    if name.endswith(".whl") or name.endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as archive:
                files = {info: archive.read(info) for info in archive.namelist() if _keep(_strip(info, name))}
        except zipfile.BadZipFile as exc:
            raise BuildError(f"{path}: not a zip archive ({exc})") from None
        files = {_strip(key, name): value for key, value in files.items()}
        return SourceTree(name, files, digest, "wheel" if name.endswith(".whl") else "sdist")
    if name.endswith((".tar.gz", ".tgz", ".tar")):
        try:
            with tarfile.open(path) as archive:
                files = {}
                for member in archive.getmembers():
                    inner = _strip(member.name, name)
                    if member.isfile() and _keep(inner):
                        handle = archive.extractfile(member)
                        if handle is not None:
                            files[inner] = handle.read()
        except tarfile.TarError as exc:
            raise BuildError(f"{path}: not a tar archive ({exc})") from None
        return SourceTree(name, files, digest, "sdist")
    raise BuildError(f"{path}: not a wheel, an sdist or a folder")


def _strip(member: str, archive_name: str) -> str:
    """Member paths of an sdist start with `ddtrace-X.Y.Z/`; a wheel's do not."""
    if archive_name.endswith(".whl"):
        return member
    head, _, rest = member.partition("/")
    return rest if head.lower().startswith("ddtrace-") and rest else member


def _open_folder(path: Path) -> SourceTree:
    root = path
    if not (root / "ddtrace").is_dir():
        raise BuildError(f"{path}: no ddtrace/ folder in it (give the root of a ddtrace source tree)")
    files: dict[str, bytes] = {}
    for file in sorted(root.rglob("*")):
        if not file.is_file():
            continue
        relative = file.relative_to(root).as_posix()
        if _keep(relative) and "__pycache__" not in relative:
            files[relative] = file.read_bytes()
    return SourceTree(path.resolve().name, files, "", "source tree")


def release_version(tree: SourceTree, given: Optional[str]) -> str:
    """The ddtrace version of `tree`: `given`, else its metadata, else `ddtrace/_version.py`."""
    candidates: list[str] = []
    if given:
        candidates.append(given)
    for path in sorted(tree.paths()):
        if path.endswith(".dist-info/METADATA") or path == "PKG-INFO":
            match = re.search(r"^Version:\s*(\S+)\s*$", tree.text(path), re.MULTILINE)
            if match:
                candidates.append(match.group(1))
    match = re.match(r"ddtrace-([^-]+)-", tree.name)
    if match:
        candidates.append(match.group(1))
    for path in ("ddtrace/_version.py", "ddtrace/version.py"):
        if tree.has(path):
            found = _version_assignment(tree.text(path))
            if found:
                candidates.append(found)
    for candidate in candidates:
        try:
            return str(Version(candidate))
        except InvalidVersion:
            continue
    raise BuildError(
        f"{tree.name}: cannot tell which ddtrace version this is; give it as {tree.name}@VERSION"
    )


def _version_assignment(text: str) -> Optional[str]:
    """`version = "4.0.0"` / `__version__ = ...` as setuptools-scm writes `_version.py`."""
    try:
        module = ast.parse(text)
    except SyntaxError:
        return None
    for node in module.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {target.id for target in targets if isinstance(target, ast.Name)}
            value = node.value
            literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
            if names & {"version", "__version__"} and literal:
                return str(value.value)  # type: ignore[union-attr]
    return None


# --- ddtrace/_monkey.py ---------------------------------------------------------------------------------

PatchValue = Union[bool, str]  # True/False, or the source text of a config expression


@dataclass(frozen=True)
class Monkey:
    """What `ddtrace/_monkey.py` says: defaults of `PATCH_MODULES` and the modules each integration hooks."""

    patch_modules: dict[str, PatchValue]
    hooked: dict[str, tuple[str, ...]]
    hooked_from: str  # "_MODULES_FOR_CONTRIB", "_PATCH_ON_IMPORT" (1.x) or ""


def _module_dicts(text: str, names: frozenset[str]) -> dict[str, ast.Dict]:
    try:
        module = ast.parse(text)
    except SyntaxError as exc:
        raise BuildError(f"ddtrace/_monkey.py does not parse: {exc}") from None
    found: dict[str, ast.Dict] = {}
    for node in module.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in names and isinstance(node.value, ast.Dict):
                found[target.id] = node.value
    return found


def _key(node: Optional[ast.expr]) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    shown = ast.unparse(node) if node is not None else "**"
    raise BuildError(f"ddtrace/_monkey.py: a key that is not a string literal ({shown})")


def _strings(node: ast.expr) -> tuple[str, ...]:
    """String literals of a tuple/list; `"httplib" if PY2 else "http.client"` gives the Python 3 side."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, (ast.Tuple, ast.List)):
        result: list[str] = []
        for element in node.elts:
            result.extend(_strings(element))
        return tuple(result)
    if isinstance(node, ast.IfExp):
        if isinstance(node.test, ast.Name) and node.test.id == "PY2":
            return _strings(node.orelse)
        return _strings(node.body) + _strings(node.orelse)
    raise BuildError(f"ddtrace/_monkey.py: not a literal module list: {ast.unparse(node)}")


def parse_monkey(text: str) -> Monkey:
    dicts = _module_dicts(text, frozenset({"PATCH_MODULES", "_MODULES_FOR_CONTRIB", "_PATCH_ON_IMPORT"}))
    if "PATCH_MODULES" not in dicts:
        raise BuildError("ddtrace/_monkey.py: no PATCH_MODULES dict literal")
    patch_modules: dict[str, PatchValue] = {}
    table = dicts["PATCH_MODULES"]
    for key_node, value_node in zip(table.keys, table.values):
        key = _key(key_node)
        if isinstance(value_node, ast.Constant) and isinstance(value_node.value, bool):
            patch_modules[key] = value_node.value
        else:
            patch_modules[key] = ast.unparse(value_node)
    hooked_from = ""
    hooked: dict[str, tuple[str, ...]] = {}
    for name in ("_MODULES_FOR_CONTRIB", "_PATCH_ON_IMPORT"):
        if name in dicts:
            hooked_from = name
            for key_node, value_node in zip(dicts[name].keys, dicts[name].values):
                hooked[_key(key_node)] = _strings(value_node)
            break
    return Monkey(patch_modules, hooked, hooked_from)


# --- contrib patch.py ---------------------------------------------------------------------------------


def parse_supported_versions(text: str, path: str) -> Optional[dict[str, str]]:
    """The dict literal `_supported_versions()` returns (None when the module has no such function)."""
    try:
        module = ast.parse(text)
    except SyntaxError as exc:
        raise BuildError(f"{path} does not parse: {exc}") from None
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name == "_supported_versions":
            returns = [child for child in ast.walk(node) if isinstance(child, ast.Return)]
            if len(returns) != 1 or returns[0].value is None:
                raise BuildError(f"{path}: _supported_versions() does not return one dict literal")
            try:
                value = ast.literal_eval(returns[0].value)
            except ValueError:
                raise BuildError(
                    f"{path}: _supported_versions() returns {ast.unparse(returns[0].value)}, not a literal"
                ) from None
            if not isinstance(value, dict) or not all(
                isinstance(key, str) and isinstance(spec, str) for key, spec in value.items()
            ):
                raise BuildError(f"{path}: _supported_versions() does not return a dict of strings")
            return dict(value)
    return None


# --- the integration registry (a small, fixed YAML shape) ----------------------------------------------


@dataclass
class RegistryEntry:
    name: str
    external: Optional[bool] = None
    dependency_names: list[str] = field(default_factory=list)


def parse_registry(text: str) -> dict[str, RegistryEntry]:
    """`integrations:` entries of ddtrace's `registry.yaml`: name, `is_external_package`, `dependency_names`.

    The file is generated by ddtrace's tooling in one fixed shape (block lists, two-space indents), so a
    line reader is enough and no YAML library is needed; anything else in an entry is ignored.
    """
    entries: dict[str, RegistryEntry] = {}
    current: Optional[RegistryEntry] = None
    in_names = False
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.match(r"^- integration_name:\s*(\S+)$", line)
        if match:
            current = RegistryEntry(_unquote(match.group(1)))
            entries[current.name] = current
            in_names = False
            continue
        if current is None:
            continue
        match = re.match(r"^  ([A-Za-z_]+):\s*(.*)$", line)
        if match:
            key, value = match.groups()
            in_names = key == "dependency_names" and not value
            if key == "is_external_package":
                current.external = value.strip().lower() == "true"
            if key == "dependency_names" and value.startswith("["):
                current.dependency_names.extend(
                    _unquote(part) for part in value.strip("[]").split(",") if part.strip()
                )
            continue
        match = re.match(r"^  - (.+)$", line)
        if match and in_names:
            current.dependency_names.append(_unquote(match.group(1)))
            continue
        if not line.startswith("   "):
            in_names = False
    return entries


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def normalised(names: list[str]) -> list[str]:
    return sorted({canonicalize_name(name) for name in names})
