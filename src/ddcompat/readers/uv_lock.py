"""uv.lock: every `[[package]]` with its exact position, the lock's `requires-python`, and its platforms.

A package resolved differently for different Pythons or platforms (a forked resolution) is listed once
per version, each with its `resolution-markers`; each gives its own declaration with those markers
joined by `or`. Packages with no version (the project itself when virtual, some path sources) are direct
references. Top-level `supported-markers` (from `tool.uv.environments`) are platform declarations.
"""

from __future__ import annotations

from ddcompat.model import ReadResult, SourceFile
from ddcompat.readers._locks import add_package, add_platforms, add_requires_python, any_of, read_toml_lock

KIND = "uv.lock"


def read(source: SourceFile) -> ReadResult:
    """Read a uv.lock: one declaration per package version, its Python and its supported platforms."""
    result, lock = read_toml_lock(source, KIND, "package")
    if lock is None:
        return result
    add_requires_python(result, lock, None, "requires-python")
    for key in ("supported-markers", "environments"):
        add_platforms(result, lock, key)
    for index, package in enumerate(lock.packages):
        markers = package.get("resolution-markers") if isinstance(package, dict) else None
        marker_text = any_of([m for m in markers if isinstance(m, str)]) if isinstance(markers, list) else ""
        add_package(result, lock, index, "", marker_text)
    return result
