"""pdm.lock: every `[[package]]` with its groups and marker, and the lock's Python.

The Python is `[metadata] requires_python` in older locks and one `requires_python` per
`[[metadata.targets]]` (lock format 4.5, `pdm lock --python`/`--platform`) in newer ones; each target
gives its own Python declaration.
"""

from __future__ import annotations

from ddcompat.model import ReadResult, SourceFile
from ddcompat.readers._locks import add_package, add_requires_python, group_of, read_toml_lock

KIND = "pdm.lock"


def read(source: SourceFile) -> ReadResult:
    """Read a pdm.lock: one declaration per package and the lock's Python."""
    result, lock = read_toml_lock(source, KIND, "package")
    if lock is None:
        return result
    add_requires_python(result, lock, "metadata", "requires_python")
    metadata = lock.data.get("metadata")
    targets = metadata.get("targets") if isinstance(metadata, dict) else None
    if isinstance(targets, list):
        for occurrence, target in enumerate(targets):
            add_requires_python(result, lock, "metadata.targets", "requires_python", target, occurrence)
    for index, package in enumerate(lock.packages):
        if isinstance(package, dict):
            marker = package.get("marker")
            add_package(result, lock, index, group_of(package), marker if isinstance(marker, str) else "")
        else:
            add_package(result, lock, index, "", "")
    return result
