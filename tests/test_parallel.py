"""Large trees checked in several processes give exactly the one-process result."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ddcompat import limits, parallel
from ddcompat.options import CheckOptions
from ddcompat.output import render
from ddcompat.runner import collect


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


def _tree(root: Path, projects: int, shared_include: bool = False) -> None:
    for number in range(projects):
        folder = root / f"service-{number:03d}"
        folder.mkdir(parents=True)
        lines = [f"ddtrace=={'1.20.3' if number % 2 else '4.1.0'}", "aiopg==1.4.0", "flask>=0.5", "celery"]
        if shared_include and number in (0, projects - 1):
            lines.append("-r ../common/reqs.txt")
        (folder / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if number % 3 == 0:
            (folder / "pyproject.toml").write_text(
                '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=2.7"\n'
                'dependencies = ["mongoengine", "psycopg2>=2.0"]\n',
                encoding="utf-8",
            )
    if shared_include:
        (root / "common").mkdir()
        (root / "common" / "reqs.txt").write_text("redis==2.0\nmysqlclient\n", encoding="utf-8")


def _report(root: Path, monkeypatch: pytest.MonkeyPatch, workers: str, output: str) -> tuple[str, int]:
    monkeypatch.setenv(parallel.ENV, workers)
    options = CheckOptions(paths=(str(root),), output_format=output, today=datetime.date(2026, 11, 21))
    findings, run = collect(options)
    return render(findings, output, color=False, sarif_category=None, files_checked=run.files_checked), (
        run.files_checked
    )


@pytest.mark.parametrize("shared_include", [False, True], ids=["projects", "shared-include"])
def test_parts_give_the_one_process_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_include: bool
) -> None:
    monkeypatch.setattr(limits, "MIN_PARALLEL_GROUPS", 8)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    calls: list[tuple[int, int]] = []
    real_split = parallel.split
    monkeypatch.setattr(parallel, "split", lambda *args: calls.append(args[1:]) or real_split(*args))
    _tree(tmp_path, 24, shared_include)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(parallel.ENV, "2")
    assert parallel.processes(24) == 2
    for output in ("concise", "json"):
        serial = _report(tmp_path, monkeypatch, "1", output)
        parted = _report(tmp_path, monkeypatch, "2", output)
        assert parted == serial
        assert "DDC301" in serial[0] and "DDC101" in serial[0]
    # Where processes cannot fork, a worker prepares the run itself: the same result.
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert _report(tmp_path, monkeypatch, "2", "json") == _report(tmp_path, monkeypatch, "1", "json")
    assert calls, "the parted runs never split the tree"
    if shared_include:
        assert "reqs.txt" in serial[0]
    assert serial[1] == 24 + 8 + (1 if shared_include else 0)
