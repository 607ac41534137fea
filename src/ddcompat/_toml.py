"""TOML parsing for every module: tomllib on Python 3.11+, tomli before (a runtime dependency there)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from tomllib import TOMLDecodeError, loads
else:  # pragma: no cover - exercised on Python < 3.11
    from tomli import TOMLDecodeError, loads

__all__ = ["TOMLDecodeError", "loads"]
