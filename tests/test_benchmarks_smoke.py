"""The benchmark code runs end to end on tiny sizes (CI), so it cannot rot. Nothing here is timed."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO

ROWS = (
    "latency: check requirements.txt",
    "throughput: check 20 projects",
    "parallel: check 20 projects, DDCOMPAT_WORKERS=2 vs =1",
    "memory: peak RSS on 20 projects, one process",
    "memory: peak RSS on 20 projects, largest of 2 processes",
    "growth: seconds per project at 20 over at 2",
    "big lock: read and check a 200-package Pipfile.lock vs json.loads",
    "big lock: read and check a 120-package uv.lock vs tomllib.loads",
    "requirements: our reader on 200 lines",
)


def test_smoke_run_prints_every_benchmark_row() -> None:
    completed = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].split() == ["benchmark", "ratio", "target", "detail"]
    for row in ROWS:
        matching = [line for line in lines if line.startswith(row)]
        assert len(matching) == 1, (row, completed.stdout)
        # every row carries a ratio, a target (or "-") and a verdict
        assert re.search(r"\s\d+\.\d\d\s+(\d+\.\d\d|-)\s+(ok|OVER)\s", matching[0]), matching[0]
    try:
        import pip_requirements_parser  # noqa: F401
    except ImportError:
        return
    assert any(line.startswith("requirements: pip-requirements-parser on 200 lines") for line in lines)
    assert lines[-1].startswith("python ") and "smoke run" in lines[-1]
