"""pylock.toml and pylock.<name>.toml (PEP 751): `[[packages]]`, `requires-python` and `environments`.

Packages from a VCS, a directory or an archive may have no version; they are direct references.
Wheel tables (`[[packages.wheels]]`) also have `name` keys; only a package's own keys are read.
"""

from __future__ import annotations

from ddcompat.model import ReadResult, SourceFile
from ddcompat.readers._locks import add_package, add_platforms, add_requires_python, read_toml_lock

KIND = "pylock"


def read(source: SourceFile) -> ReadResult:
    """Read a PEP 751 lock: one declaration per package, its Python and its environments."""
    result, lock = read_toml_lock(source, KIND, "packages")
    if lock is None:
        return result
    add_requires_python(result, lock, None, "requires-python")
    add_platforms(result, lock, "environments")
    for index, package in enumerate(lock.packages):
        marker = package.get("marker") if isinstance(package, dict) else None
        add_package(result, lock, index, "", marker if isinstance(marker, str) else "")
    return result
