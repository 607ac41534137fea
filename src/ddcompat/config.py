"""`[tool.ddcompat]` in pyproject.toml, a `ddcompat.toml`, or `--config FILE`: read and validated.

A project's config lives in its root folder: a `ddcompat.toml` there wins over the `[tool.ddcompat]` table of
the `pyproject.toml` beside it (the whole file wins, as `ruff.toml` does over pyproject.toml). Unknown keys
and bad values raise `UsageError` naming the file, line and key: a typo in a config must not silently
turn a check off.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Callable, NamedTuple, Optional

from ddcompat._toml import loads
from ddcompat.context import Located
from ddcompat.errors import UsageError
from ddcompat.globs import PathPatterns
from ddcompat.model import Span
from ddcompat.options import PRODUCTS

CONFIG_FILE = "ddcompat.toml"
KEYS = (
    "select", "ignore", "per-file-ignores", "exclude", "python", "products", "agent-version", "site",
    "deployment",
)
DEPLOYMENTS = ("docker", "kubernetes", "ecs", "fargate", "aws-lambda")
# Datadog sites end in one of these (datadoghq.com, us3.datadoghq.com, datadoghq.eu, ddog-gov.com, ...).
_SITE = re.compile(r"^(?:[a-z0-9-]+\.)*(?:datadoghq\.com|datadoghq\.eu|ddog-gov\.com)$")
_AGENT_VERSION = re.compile(r"^v?\d{1,9}(?:\.\d{1,9}){0,3}$")  # bounded digits: int() refuses 4,301
_MAX_CONFIG_BYTES = 5 * 1024 * 1024


class Config(NamedTuple):
    """One validated config. `base` is the folder its globs are relative to; `path` None: no config."""

    base: str
    path: Optional[str] = None  # absolute path of the config file
    display: str = ""  # its display path
    select: Optional[tuple[str, ...]] = None
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    python: Optional[str] = None
    products: Optional[tuple[str, ...]] = None
    agent_version: Optional[str] = None
    site: Optional[str] = None
    deployment: Optional[str] = None
    locations: Mapping[str, Located] = MappingProxyType({})  # key -> its line in the file

    def exclude_patterns(self) -> PathPatterns:
        return PathPatterns(self.base, self.exclude)

    def per_file_patterns(self) -> PathPatterns:
        return PathPatterns(self.base, (pattern for pattern, _ in self.per_file_ignores))

    def location(self, key: str) -> Optional[Located]:
        return self.locations.get(key)


def _read_text(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    if len(data) > _MAX_CONFIG_BYTES:
        raise UsageError(f"{path}: the config file is too large")
    return data.decode("utf-8-sig", errors="replace")


def _key_lines(text: str, table: Optional[str]) -> dict[str, int]:
    """Where each top-level key of `table` (None: the document's top level) is set: key -> 1-based line."""
    lines: dict[str, int] = {}
    inside = table is None
    header = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
    key = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        match = header.match(line)
        if match or line.lstrip().startswith("[["):
            name = re.sub(r"\s*\.\s*", ".", match.group(1)).replace('"', "") if match else ""
            inside = table is not None and name == table
            if table is not None and name.startswith(table + "."):  # [tool.ddcompat.per-file-ignores]
                lines.setdefault(name[len(table) + 1:].split(".")[0], number)
            elif table is None and name:
                lines.setdefault(name.split(".")[0], number)
            continue
        if not inside:
            continue
        found = key.match(line)
        if found:
            name = found.group(1) or found.group(2) or found.group(3)
            lines.setdefault(name, number)
    return lines


def _located(display: str, text_lines: list[str], line: Optional[int]) -> Located:
    if line is None or line > len(text_lines):
        return Located(display, Span(1, 1, 1, 1 + len(text_lines[0]) if text_lines else 2))
    content = text_lines[line - 1]
    column = len(content) - len(content.lstrip()) + 1
    end = len(content.rstrip()) + 1
    return Located(display, Span(line, column, line, max(end, column + 1)))


class _Validator:
    def __init__(self, display: str, where: str, lines: dict[str, int]) -> None:
        self.display = display
        self.where = where
        self.lines = lines

    def fail(self, key: str, message: str) -> UsageError:
        line = self.lines.get(key)
        at = f"{self.display}:{line}" if line else self.display
        return UsageError(f"{at}: {self.where} `{key}`: {message}")

    def string(self, key: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {value!r}")
        return value.strip()

    def strings(self, key: str, value: object) -> tuple[str, ...]:
        if isinstance(value, str):  # "DDC1,DDC2" is accepted like the command line's form
            value = [part for part in value.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        return tuple(item.strip() for item in value if item.strip())

    def codes(self, key: str, value: object) -> tuple[str, ...]:
        from ddcompat.catalog import is_valid_selector

        codes = tuple(code.upper() for code in self.strings(key, value))
        for code in codes:
            if not is_valid_selector(code):
                raise self.fail(key, f"unknown code or prefix {code!r}")
        return codes


def parse_config(data: Mapping[str, Any], *, base: str, path: Optional[str], display: str,
                 text: str = "", table: Optional[str] = None) -> Config:
    """Validate one config table (`table` names it in messages and for key lines, e.g. "tool.ddcompat")."""
    lines = _key_lines(text, table) if text else {}
    where = f"[{table}]" if table else "config"
    check = _Validator(display, where, lines)
    for key in data:
        if key not in KEYS:
            hint = f"; did you mean `{key.replace('_', '-')}`?" if key.replace("_", "-") in KEYS else ""
            raise check.fail(key, f"unknown key (known keys: {', '.join(KEYS)}){hint}")
    values: dict[str, Any] = {}
    if "select" in data:
        values["select"] = check.codes("select", data["select"])
    if "ignore" in data:
        values["ignore"] = check.codes("ignore", data["ignore"])
    if "per-file-ignores" in data:
        table_value = data["per-file-ignores"]
        if not isinstance(table_value, dict):
            raise check.fail("per-file-ignores", "expected a table of glob = [codes]")
        values["per_file_ignores"] = tuple(
            (pattern, check.codes("per-file-ignores", codes)) for pattern, codes in table_value.items()
        )
    if "exclude" in data:
        values["exclude"] = check.strings("exclude", data["exclude"])
    if "python" in data:
        from ddcompat.pythons import parse_python_option

        python = check.string("python", data["python"])
        try:
            parse_python_option(python)
        except ValueError as exc:
            raise check.fail("python", str(exc)) from None
        values["python"] = python
    if "products" in data:
        products = tuple(product.lower() for product in check.strings("products", data["products"]))
        for product in products:
            if product not in PRODUCTS:
                raise check.fail("products",
                                 f"unknown product {product!r} (choose from {', '.join(PRODUCTS)})")
        values["products"] = products
    if "agent-version" in data:
        agent = data["agent-version"]
        if isinstance(agent, (int, float)) and not isinstance(agent, bool):
            agent = str(agent)
        agent = check.string("agent-version", agent)
        if not _AGENT_VERSION.match(agent):
            raise check.fail("agent-version", f"not a Datadog Agent version like \"7.50.3\": {agent!r}")
        values["agent_version"] = agent.lstrip("v")
    if "site" in data:
        site = check.string("site", data["site"]).lower()
        site = re.sub(r"^https?://", "", site).rstrip("/")
        if site.startswith("app."):
            site = site[len("app."):]
        if not _SITE.match(site):
            raise check.fail("site", f"not a Datadog site (such as datadoghq.com, ddog-gov.com): {site!r}")
        values["site"] = site
    if "deployment" in data:
        deployment = check.string("deployment", data["deployment"]).lower()
        if deployment not in DEPLOYMENTS:
            raise check.fail("deployment",
                             f"unknown deployment {deployment!r} (choose from {', '.join(DEPLOYMENTS)})")
        values["deployment"] = deployment
    text_lines = text.splitlines()
    locations = {key: _located(display, text_lines, lines.get(key)) for key in data}
    return Config(base=base, path=path, display=display, locations=locations, **values)


def load_config_file(path: str, display: str, *, explicit: bool = False) -> Optional[Config]:
    """A `ddcompat.toml` (keys at the top level) or a `pyproject.toml` (`[tool.ddcompat]`).

    A pyproject.toml without the table gives None. A pyproject.toml that is not valid TOML gives None
    too (its reader reports DDC902); a broken `ddcompat.toml` or `--config` file is a usage error.
    """
    is_pyproject = os.path.basename(path) == "pyproject.toml"
    lenient = is_pyproject and not explicit  # its own reader reports what is wrong with it (DDC902)
    try:
        text = _read_text(path)
    except UsageError:
        if lenient:
            return None
        raise
    if lenient and "ddcompat" not in text and "\\u" not in text and "\\U" not in text:
        return None  # no [tool.ddcompat] (nor an escaped spelling of it): not worth parsing the file twice
    try:
        document = loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: TOMLDecodeError, a huge integer, a bad date
        if lenient:
            return None
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise UsageError(f"{display}: invalid TOML: {reason}") from None
    base = os.path.dirname(os.path.abspath(path))
    if is_pyproject:
        tool = document.get("tool")
        section = tool.get("ddcompat") if isinstance(tool, dict) else None
        if section is None:
            return Config(base=base, path=path, display=display) if explicit else None
        if not isinstance(section, dict):
            raise UsageError(f"{display}: [tool.ddcompat] must be a table")
        return parse_config(section, base=base, path=path, display=display, text=text, table="tool.ddcompat")
    return parse_config(document, base=base, path=path, display=display, text=text)


class ConfigFinder:
    """The config governing each folder, each file loaded once; `--config` overrides them all.

    A folder's config is the nearest `ddcompat.toml` in it or its ancestors up to its project folder,
    else the `[tool.ddcompat]` table of the project folder's pyproject.toml.
    """

    def __init__(self, explicit: Optional[Config] = None) -> None:
        self._explicit = explicit
        self._by_folder: dict[str, Config] = {}
        self._files: dict[str, Optional[Config]] = {}

    @property
    def explicit(self) -> Optional[Config]:
        return self._explicit

    def _load(self, path: str, display_of: Callable[[str], str]) -> Optional[Config]:
        if path not in self._files:
            self._files[path] = load_config_file(path, display_of(path)) if os.path.isfile(path) else None
        return self._files[path]

    def for_chain(self, chain: Sequence[str], display_of: Callable[[str], str]) -> Config:
        """The config of `chain[0]`, given its folders up to the project folder (nearest first)."""
        if self._explicit is not None:
            return self._explicit
        folder = chain[0]
        cached = self._by_folder.get(folder)
        if cached is not None:
            return cached
        config: Optional[Config] = None
        for candidate in chain:
            config = self._load(os.path.join(candidate, CONFIG_FILE), display_of)
            if config is not None:
                break
        if config is None:
            config = self._load(os.path.join(chain[-1], "pyproject.toml"), display_of)
        result = config if config is not None else Config(base=chain[-1])
        self._by_folder[folder] = result
        return result
