"""Project names in their PEP 503 normal form, and plain release versions, each recognised in the common
case by one `fullmatch` instead of packaging's parsers.

`canonicalize_name` runs a regular-expression substitution and lowercases: about 1.5 us. Most names in
dependency files (every name pipenv, uv and Poetry write into a lock) are already normal, which one
`fullmatch` confirms in a fifth of that time. Likewise most versions are plain releases (`1.2.3`), always
valid PEP 440, which readers and checks take without building a `Version` to find out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from packaging.utils import canonicalize_name

NORMAL_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # a name canonicalize_name leaves as it is


# A release of digits only, each part short enough for int() and a 64-bit comparison: always PEP 440.
PLAIN_RELEASE = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,18}){0,9}")


def is_plain_release(text: str) -> bool:
    """Whether `text` is a release of digits and dots only (`4.1.0`): no epoch, pre, post, dev or local."""
    return PLAIN_RELEASE.fullmatch(text) is not None


@lru_cache(maxsize=65536)  # a run meets the same few hundred names again and again
def normal_name(name: str) -> str:
    """`canonicalize_name(name)`, for less where `name` is already in normal form or was seen before."""
    return name if NORMAL_NAME.fullmatch(name) is not None else canonicalize_name(name)
