"""The options of one `ddcompat check` run, after the command line is parsed and validated.

Config-file values are merged into these by the runner (command-line options win); `None` means "not given
on the command line".
"""

from __future__ import annotations

import datetime
from typing import NamedTuple, Optional

OUTPUT_FORMATS = ("full", "concise", "github", "json", "sarif")
PRODUCTS = ("apm", "sca", "iast")


class CheckOptions(NamedTuple):
    """What `ddcompat check` was asked to do (the command line, before config files are read).

    A named tuple, not a dataclass: every run builds this module's types at start-up, and a dataclass
    costs ten times as much to define.
    """

    paths: tuple[str, ...] = (".",)
    output_format: str = "full"
    output_file: Optional[str] = None
    select: Optional[tuple[str, ...]] = None
    ignore: Optional[tuple[str, ...]] = None
    today: Optional[datetime.date] = None  # None: the day the run starts (`on_day()`)
    python: Optional[str] = None  # a version ("3.11") or a specifier (">=3.9,<3.13")
    products: Optional[tuple[str, ...]] = None
    config: Optional[str] = None
    exit_zero: bool = False
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool = False
    sarif_category: Optional[str] = None


def on_day(options: CheckOptions) -> CheckOptions:
    """`options` with `today` set: the given date, else the day the run starts (one day for all files)."""
    return options if options.today is not None else options._replace(today=datetime.date.today())
