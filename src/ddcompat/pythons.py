"""Python-version statements: `3.11`, `3.11.4`, `>=3.9,<3.13`, as given to `--python` or in config."""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

_VERSION = re.compile(r"^\s*(?:cpython-?|python|py)?(\d+(?:\.\d+){0,2})\s*$", re.IGNORECASE)


def parse_python_option(value: str) -> SpecifierSet:
    """A bare version means that minor line (`3.11` -> `==3.11.*`); anything else must be a specifier.

    ValueError (naming the value) for anything else, including a version whose range packaging cannot
    build (more digits than `int()` converts).
    """
    specifier = _parse(value)
    try:
        specifier.to_range()
    except ValueError:
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise ValueError(f"not a Python version or specifier: {shown!r}") from None
    return specifier


def _parse(value: str) -> SpecifierSet:
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
