"""Checking a large tree in several processes: the folder groups are split into contiguous parts.

A pre-commit run on a few files stays in one process (a worker costs a fork and a second discovery).
Above `MIN_GROUPS` folder groups, the run is split into one part per idle core: this process checks
the first part while worker processes check the others, each exactly as a one-process run checks its
groups (ancestor folders read once per part, files evicted when the part no longer needs them), and the
findings are merged and sorted as usual. The parts are contiguous runs of folders in sorted order, so the
projects of a subtree mostly stay together.

A file reached through `-r`/`-c` from several projects is reported once, with the first project that
reaches it; when two parts both report the same such file, the whole run is repeated in one process so
that rule holds exactly. `DDCOMPAT_WORKERS=1` keeps every run in one process (`=N` caps the processes).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    from ddcompat.model import Finding
    from ddcompat.options import CheckOptions

MIN_GROUPS = 64  # below this many folders, one process is faster (measured: benchmarks/run.py)
MAX_WORKERS = 4
ENV = "DDCOMPAT_WORKERS"

PartResult = tuple[list["Finding"], int, frozenset[str]]  # findings, files checked, includes reported


def processes(groups: int) -> int:
    """How many processes to check `groups` folder groups with (1: stay in this process).

    By default, one per core that is idle: on a machine whose cores are busy (a CI runner running tests
    beside the hook) a second process only adds a fork and a second discovery. `DDCOMPAT_WORKERS=N`
    sets the number (1 keeps every run in one process).
    """
    if groups < MIN_GROUPS:
        return 1
    cores = _cores()
    most = max(1, groups // (MIN_GROUPS // 2))
    wanted = os.environ.get(ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), cores, most)
    return max(1, min(MAX_WORKERS, _idle(cores), most))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined,unused-ignore]
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _idle(cores: int) -> int:
    """Cores not busy with other work, from the one-minute load average (all of them where unknown)."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores
    return max(1, min(cores, int(cores - load + 0.5)))


def split(weights: Sequence[int], parts: int) -> list[tuple[int, int]]:
    """At most `parts` contiguous (start, stop) slices of `weights`, their sums as equal as order allows."""
    total = sum(weights)
    bounds: list[tuple[int, int]] = []
    start = 0
    running = 0
    for index, weight in enumerate(weights):
        goal = total * (len(bounds) + 1) / parts
        if len(bounds) < parts - 1 and index > start and goal - running < running + weight - goal:
            bounds.append((start, index))  # closer to an even share without this item
            start = index
        running += weight
        goal = total * (len(bounds) + 1) / parts
        if len(bounds) < parts - 1 and running >= goal and index + 1 < len(weights):
            bounds.append((start, index + 1))
            start = index + 1
    bounds.append((start, len(weights)))
    return [bound for bound in bounds if bound[0] < bound[1]]


def _check_part(options: CheckOptions, part: tuple[int, int]) -> PartResult:
    """A worker's part. Its findings come without `subject` and `target` (see `runner._for_output`), so
    they pickle: the supported ranges hold closures."""
    from ddcompat.runner import collect_part

    return collect_part(options, part)


def collect_in_parts(
    options: CheckOptions, weights: Sequence[int], first: Callable[[tuple[int, int]], PartResult]
) -> Optional[tuple[list[Finding], int]]:
    """(findings, files checked) of the whole run checked in parts, or None to check it in one process.

    `weights` are the number of checked files of each folder group, in the runner's order; `first` checks
    a part in this process (the first part, while the workers check the others).
    """
    count = processes(len(weights))
    if count < 2:
        return None
    parts = split(weights, count)
    if len(parts) < 2:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else None)
    with ProcessPoolExecutor(max_workers=len(parts) - 1, mp_context=context) as pool:
        futures = [pool.submit(_check_part, options, part) for part in parts[1:]]
        results = [first(parts[0])]
        results.extend(future.result() for future in futures)
    seen: set[str] = set()
    for _findings, _checked, includes in results:
        if seen & includes:
            return None  # an included file two parts both reported: only one process orders them right
        seen |= includes
    findings = [finding for part_findings, _checked, _includes in results for finding in part_findings]
    return findings, sum(checked for _findings, checked, _includes in results)
