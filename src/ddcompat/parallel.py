"""Checking a large tree in several processes: the folder groups are split into contiguous parts.

A pre-commit run on a few files stays in one process (a worker costs a fork and a pipe).
Above `limits.MIN_PARALLEL_GROUPS` folder groups, the run is split into one part per idle core: this
process checks the first part while worker processes check the others, each exactly as a one-process run
checks its groups (ancestor folders read once per part, files evicted when the part no longer needs them),
and each part's sorted findings are merged. The parts are contiguous runs of folders in sorted order, so the
projects of a subtree mostly stay together.

Where processes fork (Linux), a worker inherits the prepared run (discovery, configs, the rule set) and
checks its part at once; elsewhere it prepares the run again. In a block format (`concise`, `full`,
`github`: one block of text per finding, then a summary) each part renders its own findings' blocks and
sends them with their sort keys and a `Tally` for the summary, so this process only merges text. Otherwise
(`json`, `sarif`, `--fix`) findings come back as plain tuples (enum values, no nested named tuples), which
pickle several times faster than the named tuples.

A file reached through `-r`/`-c` from several projects is reported once, with the first project that
reaches it; when two parts both report the same such file, the whole run is repeated in one process so
that rule holds exactly. `DDCOMPAT_WORKERS=1` keeps every run in one process (`=N` caps the processes).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, Union

from ddcompat import limits
from ddcompat.model import Finding, Fix, Level, Span

if TYPE_CHECKING:
    from ddcompat.options import CheckOptions
    from ddcompat.output.concise import Tally

MAX_WORKERS = 4
ENV = "DDCOMPAT_WORKERS"

FIRST_PART_LEAD = 0.01  # the share of the work the first part takes beyond an even split (measured)

PartResult = tuple[list[Finding], int, frozenset[str]]  # findings, files checked, includes reported
_Row = tuple[Any, ...]  # a Finding as plain values (see `to_row`)
SortKey = tuple[str, int, int, str, str]  # `runner.finding_order` of a finding
BlockFormat = tuple[str, bool]  # a block format's name, and whether it is coloured


class RenderedPart(NamedTuple):
    """A part's findings in a block format: each one's sort key and block, in order, and their tally."""

    keys: list[SortKey]
    blocks: list[str]
    tally: Tally


_WireResult = tuple[Union[list[_Row], RenderedPart], int, frozenset[str]]

# The run prepared in this process, for workers forked from it (see `collect_in_parts`).
_INHERITED: Optional[Callable[[tuple[int, int]], PartResult]] = None


def processes(groups: int) -> int:
    """How many processes to check `groups` folder groups with (1: stay in this process).

    By default, one per core that is idle: on a machine whose cores are busy (a CI runner running tests
    beside the hook) a second process only adds a fork and a second discovery. `DDCOMPAT_WORKERS=N`
    sets the number (1 keeps every run in one process).
    """
    if groups < limits.MIN_PARALLEL_GROUPS:
        return 1
    cores = _cores()
    most = max(1, groups // (limits.MIN_PARALLEL_GROUPS // 2))
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
    """Cores not busy with other work: from the processes running right now where the system says
    (Linux), else from the one-minute load average (all of them where neither is known).

    The load average trails by a minute: right after one busy command (a test run, or the previous
    ddcompat run) it still counts a core that is idle by now.
    """
    others = _running_elsewhere()
    if others is not None:
        return max(1, min(cores, cores - others))
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores
    return max(1, min(cores, int(cores - load + 0.5)))


_SAMPLES = 3  # a task that runs for an instant (a kernel thread) is rarely in all of them
_SAMPLE_GAP = 0.002  # seconds


def _running_elsewhere() -> Optional[int]:
    """How many other threads are running or ready to run (`/proc/loadavg`), the fewest of a few samples
    taken milliseconds apart; None where unknown."""
    fewest: Optional[int] = None
    for sample in range(_SAMPLES):
        if sample:
            time.sleep(_SAMPLE_GAP)
        try:
            with open("/proc/loadavg", "rb") as handle:
                fields = handle.read().split()
            running = int(fields[3].split(b"/")[0])
        except (OSError, ValueError, IndexError):
            return None
        fewest = running if fewest is None else min(fewest, running)
    return None if fewest is None else max(0, fewest - 1)  # this process is one of them


def split(weights: Sequence[int], parts: int, lead: float = 0.0) -> list[tuple[int, int]]:
    """At most `parts` contiguous (start, stop) slices of `weights`, their sums as equal as order allows;
    with `lead`, each boundary moves that share of the total later (the first part takes more)."""
    total = sum(weights)
    bounds: list[tuple[int, int]] = []
    start = 0
    running = 0

    def goal_of(part: int) -> float:
        return total * min(1.0, (part + 1) / parts + lead)

    for index, weight in enumerate(weights):
        goal = goal_of(len(bounds))
        if len(bounds) < parts - 1 and index > start and goal - running < running + weight - goal:
            bounds.append((start, index))  # closer to an even share without this item
            start = index
        running += weight
        goal = goal_of(len(bounds))
        if len(bounds) < parts - 1 and running >= goal and index + 1 < len(weights):
            bounds.append((start, index + 1))
            start = index + 1
    bounds.append((start, len(weights)))
    return [bound for bound in bounds if bound[0] < bound[1]]


def _check_part(options: CheckOptions, part: tuple[int, int], blocks: Optional[BlockFormat]) -> _WireResult:
    """A worker's part: rendered (`blocks`), or as rows. Its findings come without `subject` and `target`
    (see `runner.finished`), so they travel as plain values: the supported ranges hold closures."""
    if _INHERITED is not None:  # forked from the process that prepared the run
        findings, checked, includes = _INHERITED(part)
    else:
        from ddcompat.runner import collect_part

        findings, checked, includes = collect_part(options, part)
    if blocks is not None:
        return rendered(findings, blocks), checked, includes
    return [to_row(finding) for finding in findings], checked, includes


def rendered(findings: Sequence[Finding], blocks: BlockFormat) -> RenderedPart:
    """A part's sorted findings as their blocks in `blocks`' format."""
    from ddcompat.output import block_renderer
    from ddcompat.output.concise import tally
    from ddcompat.runner import finding_order

    render = block_renderer(blocks[0], color=blocks[1])
    return RenderedPart([finding_order(finding) for finding in findings],
                        [render(finding) for finding in findings], tally(findings))


def merged_blocks(parts: Sequence[RenderedPart]) -> list[str]:
    """The blocks of every part in report order. Parts report disjoint files; where their keys do not
    interleave (subtrees checked whole), that is the parts one after the other."""
    filled = [part for part in parts if part.keys]
    if all(earlier.keys[-1] <= later.keys[0] for earlier, later in zip(filled, filled[1:])):
        return [block for part in filled for block in part.blocks]
    import heapq

    pairs = heapq.merge(*(zip(part.keys, part.blocks) for part in filled), key=lambda pair: pair[0])
    return [block for _key, block in pairs]


def to_row(finding: Finding) -> _Row:
    """`finding` as plain values (its `subject` and `target` are dropped: see `_check_part`)."""
    span, fix = finding.span, finding.fix
    fix_row = None if fix is None else (
        fix.path, fix.span.line, fix.span.column, fix.span.end_line, fix.span.end_column, fix.replacement,
        fix.description, fix.safe)
    return (finding.code, finding.level.value, finding.message, finding.path, span.line, span.column,
            span.end_line, span.end_column, finding.package, finding.declared, finding.hint, fix_row,
            finding.source_line, finding.pin_to)


_LEVELS = {level.value: level for level in Level}


def from_row(row: _Row) -> Finding:
    """The finding `to_row` gave `row` for."""
    (code, level, message, path, line, column, end_line, end_column, package, declared, hint, fix_row,
     source_line, pin_to) = row
    fix = None if fix_row is None else Fix(
        path=fix_row[0], span=Span(fix_row[1], fix_row[2], fix_row[3], fix_row[4]), replacement=fix_row[5],
        description=fix_row[6], safe=fix_row[7])
    return Finding(code=code, level=_LEVELS[level], message=message, path=path,
                   span=Span(line, column, end_line, end_column), package=package, declared=declared,
                   hint=hint, fix=fix, source_line=source_line, pin_to=pin_to)


def collect_in_parts(
    options: CheckOptions, weights: Sequence[int], first: Callable[[tuple[int, int]], PartResult], count: int,
    blocks: Optional[BlockFormat] = None,
) -> Optional[tuple[list[Union[list[Finding], RenderedPart]], int]]:
    """(each part's sorted findings, or with `blocks` its `RenderedPart`; files checked) of the whole run
    checked in up to `count` parts, or None when the run must be checked again in one process (two parts
    reported the same included file).

    `weights` are the number of checked files of each folder group, in the runner's order; `first` checks
    a part in this process (the first part, while the workers check the others).
    """
    parts = split(weights, count, FIRST_PART_LEAD)
    if len(parts) < 2:
        findings, checked, _includes = first((0, len(weights)))
        return [findings if blocks is None else rendered(findings, blocks)], checked
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _INHERITED
    methods = multiprocessing.get_all_start_methods()
    forking = "fork" in methods and sys.platform != "darwin"
    context = multiprocessing.get_context("fork" if forking else None)
    _INHERITED = first if forking else None  # the workers fork at the first submit, with it set
    results: list[tuple[Union[list[Finding], RenderedPart], int, frozenset[str]]] = []
    try:
        with ProcessPoolExecutor(max_workers=len(parts) - 1, mp_context=context) as pool:
            futures = [pool.submit(_check_part, options, part, blocks) for part in parts[1:]]
            _INHERITED = None
            findings, checked, includes = first(parts[0])
            results.append((findings if blocks is None else rendered(findings, blocks), checked, includes))
            for future in futures:
                wire, checked, includes = future.result()
                payload = wire if isinstance(wire, RenderedPart) else [from_row(row) for row in wire]
                results.append((payload, checked, includes))
    finally:
        _INHERITED = None
    seen: set[str] = set()
    for _payload, _checked, includes in results:
        if seen & includes:
            return None  # an included file two parts both reported: only one process orders them right
        seen |= includes
    return [payload for payload, _checked, _includes in results], sum(checked for _, checked, _ in results)
