"""Python-version statements: `3.11`, `3.11.4`, `>=3.9,<3.13`, as given to `--python` or in config."""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

_VERSION = re.compile(r"^\s*(?:cpython-?|python|py)?(\d+(?:\.\d+){0,2})\s*$", re.IGNORECASE)


def parse_python_option(value: str) -> SpecifierSet:
    """A bare version means that minor line (`3.11` -> `==3.11.*`); anything else must be a specifier."""
    match = _VERSION.match(value)
    if match:
        version = match.group(1)
        parts = version.split(".")
        if len(parts) == 1:
            return SpecifierSet(f"=={parts[0]}.*")
        if len(parts) == 2:
            return SpecifierSet(f"=={version}.*")
        return SpecifierSet(f"=={version}")
    try:
        specifier = SpecifierSet(value)
    except InvalidSpecifier:
        raise ValueError(f"not a Python version or specifier: {value!r}") from None
    if not str(specifier):
        raise ValueError(f"not a Python version or specifier: {value!r}")
    return specifier
