"""The options of one `ddcompat check` run, after the command line is parsed and validated.

Config-file values are merged into these by the runner (command-line options win); `None` means "not given
on the command line".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Optional

OUTPUT_FORMATS = ("full", "concise", "github", "json", "sarif")
PRODUCTS = ("apm", "sca", "iast")


@dataclass(frozen=True)
class CheckOptions:
    """What `ddcompat check` was asked to do (the command line, before config files are read)."""

    paths: tuple[str, ...] = (".",)
    output_format: str = "full"
    output_file: Optional[str] = None
    select: Optional[tuple[str, ...]] = None
    ignore: Optional[tuple[str, ...]] = None
    today: datetime.date = field(default_factory=datetime.date.today)
    python: Optional[str] = None  # a version ("3.11") or a specifier (">=3.9,<3.13")
    products: Optional[tuple[str, ...]] = None
    config: Optional[str] = None
    exit_zero: bool = False
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool = False
    sarif_category: Optional[str] = None
