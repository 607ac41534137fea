"""ddcompat's benchmarks: ratios against a floor measured side by side in the same run.

    python benchmarks/run.py            # the full run (a few minutes on 2 cores)
    python benchmarks/run.py --smoke    # tiny sizes, one repetition: CI runs this so the code cannot rot

Every number is a median of interleaved repetitions (floor, ddcompat, floor, ddcompat, ...), so machine
noise hits both sides alike. Absolute times are printed for context only; the targets are on the ratios.

Commands run as an installed ddcompat runs: the `ddcompat` console script beside this interpreter, with
bytecode cached (pip compiles it at install time; here it goes to a temporary PYTHONPYCACHEPREFIX, so a
PYTHONDONTWRITEBYTECODE environment does not make every run recompile ddcompat, and nothing is written
into the checkout). Each command runs once before it is timed. In-process measurements (big locks,
requirements readers) clear ddcompat's caches before every repetition, so nothing is reused across them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # a sibling module, importable without installing the benchmarks

PYTHON = sys.executable
_SCRIPT = Path(PYTHON).with_name("ddcompat")
DDCOMPAT = [str(_SCRIPT)] if _SCRIPT.is_file() else [PYTHON, "-m", "ddcompat"]
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
FLOOR_IMPORTS = "import packaging.requirements, tomllib" if sys.version_info >= (3, 11) else (
    "import packaging.requirements, tomli"
)

PARSE_FLOOR = r"""
import json, os, sys
try:
    import tomllib
except ImportError:
    import tomli as tomllib
from packaging.requirements import Requirement, InvalidRequirement
for folder, _dirs, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(folder, name)
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        if name.endswith(".toml") or (name.endswith(".lock") and name != "Pipfile.lock"):
            document = tomllib.loads(text)
            project = document.get("project", {}) if name == "pyproject.toml" else {}
            strings = list(project.get("dependencies", []))
            for group in project.get("optional-dependencies", {}).values():
                strings.extend(group)
            for string in strings:  # PEP 508 strings: parsing them is part of reading a pyproject.toml
                Requirement(string)
        elif name.endswith(".lock"):
            json.loads(text)
        else:
            for line in text.splitlines():
                line = line.split(" --hash")[0].split(" #")[0].strip()
                if line and not line.startswith(("#", "-")) and not line.endswith("\\"):
                    try:
                        Requirement(line)
                    except InvalidRequirement:
                        pass
"""


WIDTH = 86  # the name column


class Table(list["Result"]):
    """The results, each printed as soon as it is measured (a full run takes a while)."""

    def __init__(self) -> None:
        super().__init__()
        print(f"{'benchmark'.ljust(WIDTH)}  ratio  target  {'':4}  detail", flush=True)

    def append(self, result: Result) -> None:
        super().append(result)
        target = "-" if result.target == float("inf") else f"{result.target:.2f}"
        verdict = "ok" if result.ok else "OVER"
        print(f"{result.name.ljust(WIDTH)}  {result.ratio:5.2f}  {target:>6}  {verdict:4}  {result.detail}",
              flush=True)

    def extend(self, results: Iterable[Result]) -> None:
        for result in results:
            self.append(result)


@dataclass
class Result:
    name: str
    ratio: float
    target: float
    detail: str

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target


def _run(argv: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)
    return time.perf_counter() - start


def _clear_caches(keep_rules: bool = False) -> None:
    """Empty every functools cache of ddcompat's modules, so a repetition starts cold.

    `keep_rules`: the rule set's own caches (`ddcompat.ruleset`: the ddtrace release files it reads on
    first use) stay, as the rule set itself does; loading it is a per-run constant the latency row times.
    """
    for name, module in list(sys.modules.items()):
        if keep_rules and name.startswith("ddcompat.ruleset"):
            continue
        if name == "ddcompat" or name.startswith("ddcompat."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def interleaved(
    floor: Callable[[], float], ours: Callable[[], float], repetitions: int
) -> tuple[float, float]:
    """Medians of `repetitions` alternating measurements of the floor and of ddcompat."""
    floor()  # warm up: bytecode written, files in the page cache
    ours()
    floors, mine = [], []
    for _ in range(repetitions):
        floors.append(floor())
        mine.append(ours())
    return statistics.median(floors), statistics.median(mine)


def _timed(function: Callable[[], object]) -> Callable[[], float]:
    def measure() -> float:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    return measure


def ddcompat_argv(*paths: str) -> list[str]:
    return [*DDCOMPAT, "check", "--output-format", "concise", "--today", "2026-11-21", *paths]


def latency(work: Path, repetitions: int) -> Result:
    project = work / "small"
    project.mkdir()
    (project / "requirements.txt").write_text(generate.requirements_text(random.Random(1), 25))
    floor, ours = interleaved(
        lambda: _run([PYTHON, "-c", FLOOR_IMPORTS]),
        lambda: _run(ddcompat_argv(str(project / "requirements.txt"))),
        repetitions,
    )
    return Result("latency: check requirements.txt vs python -c 'import packaging.requirements, tomllib'",
                  ours / floor, 1.5, f"{ours * 1000:.0f} ms vs {floor * 1000:.0f} ms")


def throughput(root: Path, repetitions: int) -> tuple[Result, float]:
    floor, ours = interleaved(
        lambda: _run([PYTHON, "-c", PARSE_FLOOR, str(root)]),
        lambda: _run(ddcompat_argv(str(root))),
        repetitions,
    )
    projects = len(list(root.iterdir()))
    return (Result(f"throughput: check {projects} projects vs read+parse them in one process",
                   ours / floor, 1.5, f"{ours:.2f} s vs {floor:.2f} s"), ours / projects)


def peak_rss_mb(root: Path, workers: str) -> float:
    """Peak RSS of the largest process of a run (with workers, each holds only its own projects)."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
        " stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PYTHON, "-c", code, *ddcompat_argv(str(root))], capture_output=True, text=True,
                         check=True, env={**ENV, "DDCOMPAT_WORKERS": workers}).stdout
    return int(out.strip()) / 1024


def parallel(root: Path, repetitions: int) -> Result:
    """Two worker processes against one, forced (by default ddcompat uses only the cores that are idle)."""

    def run_with(workers: str) -> Callable[[], float]:
        def measure() -> float:
            start = time.perf_counter()
            subprocess.run(ddcompat_argv(str(root)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False, env={**ENV, "DDCOMPAT_WORKERS": workers})
            return time.perf_counter() - start

        return measure

    one, two = interleaved(run_with("1"), run_with("2"), repetitions)
    projects = len(list(root.iterdir()))
    return Result(f"parallel: check {projects} projects, DDCOMPAT_WORKERS=2 vs =1", two / one, 1.0,
                  f"{two:.2f} s vs {one:.2f} s")


def big_locks(work: Path, repetitions: int, pipfile_packages: int, uv_packages: int) -> list[Result]:
    """Reading a big lock and checking it, in one process, against parsing it with json/tomllib.

    "Checking" is what `ddcompat check` does with the file after start-up: read it, build the project
    context, run every check. Only the declarations the checks read are built; the rest of the lock is
    validated (its findings are final) but never turned into objects. The rule set is loaded before the
    timing (with the ddtrace release files its checks read), as a run loads it once for all its files.
    """
    import datetime

    from ddcompat._toml import loads as toml_loads
    from ddcompat.checks import ALL_CHECKS, watched_names
    from ddcompat.config import Config
    from ddcompat.model import ReadResult, SourceFile
    from ddcompat.project import Settings, build_context
    from ddcompat.readers import pipfile_lock, uv_lock
    from ddcompat.ruleset.load import load_ruleset

    rules = load_ruleset()
    watched = watched_names(rules)
    settings = Settings(today=datetime.date(2026, 11, 21))
    rng = random.Random(3)
    results = []
    cases = (  # a Pipfile.lock repetition takes 30 ms: three times as many steady its median
        ("Pipfile.lock", generate.pipfile_lock_text(rng, pipfile_packages), pipfile_lock.read, json.loads,
         f"{pipfile_packages}-package Pipfile.lock vs json.loads", 3 * repetitions),
        ("uv.lock", generate.uv_lock_text(rng, uv_packages), uv_lock.read, toml_loads,
         f"{uv_packages}-package uv.lock vs tomllib.loads", repetitions),
    )
    for name, text, reader, parse, label, times in cases:
        path = work / name
        path.write_text(text)
        data = path.read_bytes()
        source = SourceFile(path=str(path), display=name, root=str(work), data=data)

        def cold(read: Callable[[SourceFile], ReadResult] = reader) -> int:
            _clear_caches(keep_rules=True)
            result = read(source)  # noqa: B023
            context = build_context([result], [result.path], root=".", config=Config(base=str(work)),
                                    settings=settings, rules=rules, watched=watched)
            return sum(1 for check in ALL_CHECKS for _ in check(context, rules))

        floor, ours = interleaved(_timed(lambda: parse(data.decode("utf-8"))),  # noqa: B023
                                  _timed(cold), times)
        results.append(Result(f"big lock: read and check a {label}", ours / floor, 2.0,
                              f"{ours * 1000:.1f} ms vs {floor * 1000:.1f} ms"))
    return results


def requirements_libraries(work: Path, repetitions: int, lines: int) -> list[Result]:
    """Our reader and pip-requirements-parser on the same big file, against packaging alone."""
    from packaging.requirements import InvalidRequirement, Requirement

    from ddcompat.model import SourceFile
    from ddcompat.readers import requirements

    path = work / "requirements-big.txt"
    text = generate.requirements_text(random.Random(5), lines)
    path.write_text(text)
    data = path.read_bytes()
    source = SourceFile(path=str(path), display=path.name, root=str(work), data=data)

    def floor() -> None:
        for line in data.decode("utf-8").splitlines():
            line = line.split(" --hash")[0].split(" ;")[0].strip()
            if line and not line.startswith(("#", "-")) and not line.endswith("\\"):
                with contextlib.suppress(InvalidRequirement):
                    Requirement(line)

    def cold() -> object:
        _clear_caches()
        return requirements.read(source)

    floor_time, ours = interleaved(_timed(floor), _timed(cold), repetitions)
    # For comparison, as the pip-requirements-parser row below: the issue sets no target for a reader that
    # also gives positions, options and includes against bare `Requirement()` calls.
    results = [Result(f"requirements: our reader on {lines} lines vs packaging.Requirement per line",
                      ours / floor_time, float("inf"), f"{ours * 1000:.0f} ms vs {floor_time * 1000:.0f} ms")]
    try:
        from pip_requirements_parser import RequirementsFile
    except ImportError:
        return results
    floor_time, theirs = interleaved(_timed(floor), _timed(lambda: RequirementsFile.from_file(str(path))),
                                     repetitions)
    results.append(Result(f"requirements: pip-requirements-parser on {lines} lines (for comparison)",
                          theirs / floor_time, float("inf"),
                          f"{theirs * 1000:.0f} ms vs {floor_time * 1000:.0f} ms"))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition (CI)")
    parser.add_argument("--repetitions", type=int, default=None)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses its target")
    args = parser.parse_args(argv)
    smoke = args.smoke
    repetitions = args.repetitions or (1 if smoke else 7)
    big, small = (20, 2) if smoke else (2000, 200)
    results = Table()
    with tempfile.TemporaryDirectory(prefix="ddcompat-bench-") as temporary:
        work = Path(temporary)
        ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        results.append(latency(work, repetitions if smoke else 41))  # 0.2 s a pair: many steady it
        per_project = {}
        for projects in (small, big):
            root = work / f"monorepo-{projects}"
            generate.monorepo(root, projects)
            result, per_project[projects] = throughput(root, 1 if smoke else max(5, repetitions // 2 + 2))
            if projects == big:
                results.append(result)
                results.append(parallel(root, 1 if smoke else max(5, repetitions // 2 + 2)))
                for workers, label in (("1", "one process"), ("2", "largest of 2 processes")):
                    rss = peak_rss_mb(root, workers)
                    results.append(Result(f"memory: peak RSS on {big} projects, {label} (MB, target 300)",
                                          rss / 300, 1.0, f"{rss:.0f} MB"))
        growth = per_project[big] / per_project[small]
        results.append(Result(f"growth: seconds per project at {big} over at {small}", growth, 1.1,
                              f"{per_project[big] * 1000:.2f} ms vs {per_project[small] * 1000:.2f} ms"))
        results.extend(big_locks(work, repetitions, 200 if smoke else 5000, 120 if smoke else 3000))
        results.extend(requirements_libraries(work, repetitions, 200 if smoke else 10_000))
    load = "load average {:.1f} {:.1f} {:.1f}, ".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {load}{repetitions} repetitions"
          + (" (smoke run: sizes too small for the targets to mean anything)" if smoke else ""))
    return 1 if args.strict and not all(result.ok for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
