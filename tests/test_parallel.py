"""Large trees checked in several processes give exactly the one-process result."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ddcompat import limits, parallel
from ddcompat.options import CheckOptions
from ddcompat.output import BLOCK_FORMATS, assemble, render
from ddcompat.runner import collect, collect_blocks


def test_split_is_contiguous_complete_and_balanced() -> None:
    weights = [1] * 10 + [5] + [1] * 9
    for parts in (1, 2, 3, 4):
        bounds = parallel.split(weights, parts)
        assert bounds[0][0] == 0 and bounds[-1][1] == len(weights)
        assert all(left[1] == right[0] for left, right in zip(bounds, bounds[1:]))
        assert len(bounds) == parts
        sums = [sum(weights[start:stop]) for start, stop in bounds]
        assert max(sums) - min(sums) <= max(weights)
    assert parallel.split([3], 4) == [(0, 1)]
    assert parallel.split([], 2) == []


def test_small_runs_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(parallel.ENV, raising=False)
    assert parallel.processes(1) == 1
    assert parallel.processes(limits.MIN_PARALLEL_GROUPS - 1) == 1
    monkeypatch.setenv(parallel.ENV, "1")
    assert parallel.processes(10 * limits.MIN_PARALLEL_GROUPS) == 1
    monkeypatch.setenv(parallel.ENV, "2")
    assert parallel.processes(10 * limits.MIN_PARALLEL_GROUPS) <= 2
    monkeypatch.setenv(parallel.ENV, "not a number")
    assert 1 <= parallel.processes(10 * limits.MIN_PARALLEL_GROUPS) <= parallel.MAX_WORKERS


def test_busy_cores_are_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(parallel.ENV, raising=False)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    big = 10 * limits.MIN_PARALLEL_GROUPS
    monkeypatch.setattr(parallel, "_running_elsewhere", lambda: 0)  # only this process runs now
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.2, 1.0, 1.0))  # the minute before was busy
    assert parallel.processes(big) == 2
    monkeypatch.setattr(parallel, "_running_elsewhere", lambda: 1)  # a test run on the other core
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.1, 0.1, 0.1))
    assert parallel.processes(big) == 1
    monkeypatch.setattr(parallel, "_running_elsewhere", lambda: 6)
    assert parallel.processes(big) == 1
    # Where the system does not say what runs now: the one-minute load average.
    monkeypatch.setattr(parallel, "_running_elsewhere", lambda: None)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.1, 0.1, 0.1))
    assert parallel.processes(big) == 2
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.2, 1.0, 1.0))  # a test run on one core
    assert parallel.processes(big) == 1
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (7.5, 7.0, 7.0))
    assert parallel.processes(big) == 1
    monkeypatch.setenv(parallel.ENV, "2")  # asked for: as many as asked, whatever the load
    assert parallel.processes(big) == 2


def test_running_elsewhere_reads_the_system_or_says_unknown() -> None:
    others = parallel._running_elsewhere()
    if Path("/proc/loadavg").is_file():
        assert others is not None and others >= 0
    else:
        assert others is None


def test_first_part_leads_by_the_share_asked() -> None:
    weights = [1] * 1000
    even = parallel.split(weights, 2)
    led = parallel.split(weights, 2, lead=0.05)
    assert even == [(0, 500), (500, 1000)]
    assert led == [(0, 550), (550, 1000)]
    four = parallel.split(weights, 4, lead=0.05)
    assert [stop - start for start, stop in four] == [300, 250, 250, 200]


def test_rows_carry_every_field_a_worker_sends() -> None:
    from ddcompat.model import Finding, Fix, Level, Span

    span = Span(3, 1, 3, 15)
    finding = Finding(code="DDC301", level=Level.ERROR, message="m", path="a/requirements.txt", span=span,
                      package="aiopg", declared="==1.4.0", hint="h",
                      fix=Fix(path="a/requirements.txt", span=Span(3, 6, 3, 13), replacement="==0.16",
                              description="move aiopg to ==0.16", safe=False),
                      source_line="aiopg==1.4.0", pin_to="0.12.0")
    assert parallel.from_row(parallel.to_row(finding)) == finding
    bare = finding._replace(fix=None, package=None, source_line=None, pin_to=None)
    assert parallel.from_row(parallel.to_row(bare)) == bare
    # A field added to Finding must be carried (or dropped on purpose, as subject and target are).
    assert set(Finding._fields) == {
        "code", "level", "message", "path", "span", "package", "declared", "hint", "fix", "source_line",
        "subject", "target", "pin_to"}


def _tree(root: Path, projects: int, layout: str) -> None:
    for number in range(projects):
        name = f"service-{number:03d}"
        if layout == "nested":  # folder order and path order disagree: `a` < `a/sub` < `a-x`, but
            # "a-x/..." < "a/..." as text, so the last part's findings come first and must be merged
            name = "service" if not number else "service-x" if number == projects - 1 else (
                f"service/sub-{number:03d}")
        folder = root / name
        folder.mkdir(parents=True)
        lines = [f"ddtrace=={'1.20.3' if number % 2 else '4.1.0'}", "aiopg==1.4.0", "flask>=0.5", "celery"]
        if layout == "shared-include" and number in (0, projects - 1):
            lines.append("-r ../common/reqs.txt")
        (folder / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if number % 3 == 0:
            (folder / "pyproject.toml").write_text(
                '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=2.7"\n'
                'dependencies = ["mongoengine", "psycopg2>=2.0"]\n',
                encoding="utf-8",
            )
    if layout == "shared-include":
        (root / "common").mkdir()
        (root / "common" / "reqs.txt").write_text("redis==2.0\nmysqlclient\n", encoding="utf-8")


def _options(root: Path, output: str) -> CheckOptions:
    return CheckOptions(paths=(str(root),), output_format=output, today=datetime.date(2026, 11, 21))


def _report(root: Path, monkeypatch: pytest.MonkeyPatch, workers: str, output: str) -> tuple[str, int]:
    """The report as the findings path renders it (json, sarif, --fix)."""
    monkeypatch.setenv(parallel.ENV, workers)
    findings, run = collect(_options(root, output))
    return render(findings, output, color=False, sarif_category=None, files_checked=run.files_checked), (
        run.files_checked
    )


def _block_report(root: Path, monkeypatch: pytest.MonkeyPatch, workers: str, output: str,
                  color: bool = False) -> tuple[str, int]:
    """The report as the block path renders it (concise, full, github: each part renders its own)."""
    monkeypatch.setenv(parallel.ENV, workers)
    blocks, counted, run = collect_blocks(_options(root, output), (output, color))
    return assemble(blocks, counted, output, color=color, files_checked=run.files_checked), run.files_checked


@pytest.mark.parametrize("layout", ["projects", "shared-include", "nested"])
def test_parts_give_the_one_process_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    monkeypatch.setattr(limits, "MIN_PARALLEL_GROUPS", 8)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    calls: list[tuple[int, int]] = []
    real_split = parallel.split
    monkeypatch.setattr(parallel, "split", lambda *args: calls.append(args[1:]) or real_split(*args))
    merges: list[bool] = []  # whether each parted block run had to interleave its parts
    real_merged = parallel.merged_blocks

    def merged(parts: list[parallel.RenderedPart]) -> list[str]:
        filled = [part.keys for part in parts if part.keys]
        merges.append(any(a[-1] > b[0] for a, b in zip(filled, filled[1:])))
        return real_merged(parts)

    monkeypatch.setattr(parallel, "merged_blocks", merged)
    _tree(tmp_path, 24, layout)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(parallel.ENV, "2")
    assert parallel.processes(24) == 2
    serial = _report(tmp_path, monkeypatch, "1", "json")
    assert _report(tmp_path, monkeypatch, "2", "json") == serial
    assert "DDC301" in serial[0] and "DDC101" in serial[0]
    for output in BLOCK_FORMATS:
        one = _report(tmp_path, monkeypatch, "1", output)
        assert _block_report(tmp_path, monkeypatch, "1", output) == one
        assert _block_report(tmp_path, monkeypatch, "2", output) == one
        assert _report(tmp_path, monkeypatch, "2", output) == one
    coloured = _block_report(tmp_path, monkeypatch, "2", "full", color=True)
    assert "\x1b[" in coloured[0]
    assert coloured == _block_report(tmp_path, monkeypatch, "1", "full", color=True)
    # Where processes cannot fork, a worker prepares the run itself: the same result.
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert _report(tmp_path, monkeypatch, "2", "json") == serial
    concise = _report(tmp_path, monkeypatch, "1", "concise")
    assert _block_report(tmp_path, monkeypatch, "2", "concise") == concise
    assert calls, "the parted runs never split the tree"
    if layout == "shared-include":
        assert "reqs.txt" in serial[0]
        assert not merges, "two parts reported the shared include: the run must have been repeated whole"
    else:
        assert merges and any(merges) == (layout == "nested")
    assert serial[1] == 24 + 8 + (1 if layout == "shared-include" else 0)


def test_merged_blocks_interleave_parts_only_where_their_keys_do() -> None:
    def part(*keys: tuple[str, int]) -> parallel.RenderedPart:
        from ddcompat.output.concise import Tally

        full_keys = [(path, line, 1, "DDC301", "m") for path, line in keys]
        return parallel.RenderedPart(full_keys, [f"{path}:{line}" for path, line in keys], Tally())

    apart = [part(("a/r.txt", 1), ("a/r.txt", 9)), part(), part(("b/r.txt", 2))]
    assert parallel.merged_blocks(apart) == ["a/r.txt:1", "a/r.txt:9", "b/r.txt:2"]
    interleaved = [part(("a/r.txt", 1), ("c/r.txt", 1)), part(("b/r.txt", 2), ("d/r.txt", 1))]
    assert parallel.merged_blocks(interleaved) == ["a/r.txt:1", "b/r.txt:2", "c/r.txt:1", "d/r.txt:1"]
    assert parallel.merged_blocks([]) == [] and parallel.merged_blocks([part()]) == []
