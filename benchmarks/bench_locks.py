"""Lock readers against the parsers they sit on: read time / parse time, medians of interleaved runs.

Generates, in a temporary directory, a pipenv-layout Pipfile.lock with 5,000 packages and a uv.lock with
3,000 packages (plus a poetry.lock with 3,000), shaped like the real locks of the shared corpus (hashes,
wheels, dependencies, markers, forked packages), then times, alternately, the plain parse
(`json.loads` / `tomllib.loads` of the decoded text) and the ddcompat reader (from the bytes, decoding
included, with its version and marker caches cleared before every run so nothing is reused across runs).
Every declaration is built, including those the Pipfile.lock reader leaves pending: this is the reader's
whole cost, more than a check run pays (`run.py`'s big-lock rows: only the declarations checks read).

    python benchmarks/bench_locks.py [--repeat N] [--seed S]

Prints one line per file: sizes, the two medians and their ratio. The target is a ratio of at most 2.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from ddcompat._toml import loads as toml_loads
from ddcompat.model import ReadResult, SourceFile
from ddcompat.readers import _locks, pipfile_lock, poetry_lock, uv_lock

MARKERS = ["python_version >= '3.8'", "sys_platform == 'win32'", "platform_machine == 'x86_64'",
           "python_version < '3.11'", "implementation_name == 'cpython'"]


def _version(rng: random.Random) -> str:
    parts = [str(rng.randint(0, 40)), str(rng.randint(0, 30))]
    if rng.random() < 0.7:
        parts.append(str(rng.randint(0, 20)))
    version = ".".join(parts)
    if rng.random() < 0.03:
        version += rng.choice(["rc1", "b2", ".post1", "a1"])
    return version


def _hash(rng: random.Random) -> str:
    return "sha256:" + f"{rng.getrandbits(256):064x}"


def _hash_count(rng: random.Random) -> int:
    # Real pipenv locks: pure-Python packages have 2 hashes, binary ones 10-60.
    return 2 if rng.random() < 0.6 else rng.randint(6, 40)


def pipfile_lock_text(packages: int, rng: random.Random) -> str:
    sections: dict[str, dict[str, Any]] = {"default": {}, "develop": {}}
    for index in range(packages):
        entry: dict[str, Any] = {"hashes": sorted(_hash(rng) for _ in range(_hash_count(rng))),
                                 "index": "pypi", "version": "==" + _version(rng)}
        if rng.random() < 0.4:
            entry["markers"] = rng.choice(MARKERS)
        if rng.random() < 0.01:
            entry = {"git": "https://github.com/example/pkg.git", "ref": f"{rng.getrandbits(160):040x}"}
        section = "default" if index % 4 else "develop"
        sections[section][f"package-{index}"] = entry
    document = {"_meta": {"hash": {"sha256": _hash(rng)[7:]}, "pipfile-spec": 6,
                          "requires": {"python_version": "3.11"},
                          "sources": [{"name": "pypi", "url": "https://pypi.org/simple",
                                       "verify_ssl": True}]},
                **sections}
    return json.dumps(document, indent=4, sort_keys=True) + "\n"


def uv_lock_text(packages: int, rng: random.Random) -> str:
    lines = ["version = 1", "revision = 2", 'requires-python = ">=3.9"', "resolution-markers = [",
             "    \"python_full_version >= '3.12'\",", "    \"python_full_version < '3.12'\",", "]", ""]
    for index in range(packages):
        name = f"package-{index}"
        forks: list[str | None] = [None]
        if index % 50 == 0:  # a forked resolution: one entry per Python range
            forks = ["python_full_version >= '3.12'", "python_full_version < '3.12'"]
        for fork in forks:
            version = _version(rng)
            lines += ["[[package]]", f'name = "{name}"', f'version = "{version}"',
                      'source = { registry = "https://pypi.org/simple" }']
            if fork is not None:
                lines += ["resolution-markers = [", f'    "{fork}",', "]"]
            dependencies = rng.randint(0, 6)
            if dependencies:
                lines.append("dependencies = [")
                for _ in range(dependencies):
                    lines.append(f'    {{ name = "package-{rng.randrange(packages)}" }},')
                lines.append("]")
            url = f"https://files.pythonhosted.org/packages/00/00/{name}-{version}"
            size = rng.randint(1000, 10**7)
            lines.append(f'sdist = {{ url = "{url}.tar.gz", hash = "{_hash(rng)}", size = {size}, '
                         'upload-time = "2025-01-01T00:00:00.000Z" }')
            lines.append("wheels = [")
            for wheel in range(1 if rng.random() < 0.6 else rng.randint(5, 30)):
                wheel_url = f"{url}-cp312-cp312-manylinux_{wheel}.whl"
                size = rng.randint(1000, 10**7)
                lines.append(f'    {{ url = "{wheel_url}", hash = "{_hash(rng)}", '
                             f'size = {size}, upload-time = "2025-01-01T00:00:00.000Z" }},')
            lines += ["]", ""]
    return "\n".join(lines)


def poetry_lock_text(packages: int, rng: random.Random) -> str:
    lines = ["# This file is automatically @generated by Poetry 2.1.1 and should not be changed by hand.", ""]
    for index in range(packages):
        name = f"package-{index}"
        version = _version(rng)
        lines += ["[[package]]", f'name = "{name}"', f'version = "{version}"', 'description = "A package"',
                  "optional = false", 'python-versions = ">=3.8"', 'groups = ["main"]']
        if rng.random() < 0.3:
            lines.append(f'markers = "{rng.choice(MARKERS)}"'.replace("'", '\\"'))
        lines.append("files = [")
        for _ in range(_hash_count(rng)):
            lines.append(f'    {{file = "{name}-{version}.tar.gz", hash = "{_hash(rng)}"}},')
        lines += ["]", ""]
        dependencies = rng.randint(0, 4)
        if dependencies:
            lines.append("[package.dependencies]")
            for dependency in sorted({rng.randrange(packages) for _ in range(dependencies)}):
                lines.append(f'package-{dependency} = ">=1.0"')
            lines.append("")
    lines += ["[metadata]", 'lock-version = "2.1"', 'python-versions = "^3.9"', 'content-hash = "00"', ""]
    return "\n".join(lines)


def _time(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def measure(path: Path, parse: Callable[[str], object], read: Callable[[SourceFile], ReadResult],
            repeat: int) -> tuple[float, float, int]:
    data = path.read_bytes()
    text = data.decode("utf-8")
    source = SourceFile(path=str(path), display=path.name, root=str(path.parent), data=data)

    def cold_read() -> ReadResult:
        _locks.pinned.cache_clear()
        _locks._parse_marker.cache_clear()
        result = read(source)
        len(result.declarations)  # every declaration built, the pending ones too (a check builds fewer)
        return result

    count = len(cold_read().declarations)
    parse_times: list[float] = []
    read_times: list[float] = []
    for _ in range(repeat):
        parse_times.append(_time(lambda: parse(text)))
        read_times.append(_time(cold_read))
    return statistics.median(parse_times), statistics.median(read_times), count


def objects_floor(count: int) -> Callable[[str], object]:
    """Only what every reader must build per package (a Declaration, its two Spans): a lower bound."""
    from ddcompat.model import Declaration, Origin, Span

    def build(_text: str) -> object:
        built = []
        for index in range(count):
            spec = f"==1.{index}"
            built.append(Declaration(
                name=f"package-{index}", raw_name=f"package-{index}", specifier=spec, declared=spec[2:],
                admitted=_locks._lazy(spec), has_specifier=True, span=Span(index, 9, index, 20),
                origin=Origin.LOCK, group="default", specifier_span=Span(index, 27, index, 33)))
        return built

    return build


def _floor_result(count: int) -> ReadResult:
    result = ReadResult(path="", kind="floor")
    result.declarations = objects_floor(count)("")  # type: ignore[assignment]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=751)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    cases = [
        ("Pipfile.lock", pipfile_lock_text(5000, rng), json.loads, pipfile_lock.read),
        ("uv.lock", uv_lock_text(3000, rng), toml_loads, uv_lock.read),
        ("poetry.lock", poetry_lock_text(3000, rng), toml_loads, poetry_lock.read),
    ]
    with tempfile.TemporaryDirectory() as directory:
        for name, text, parse, read in cases:
            path = Path(directory) / name
            path.write_text(text, encoding="utf-8")
            parsed, read_time, count = measure(path, parse, read, options.repeat)
            size = len(text.encode("utf-8"))
            print(f"{name:13} {count:5d} declarations {size / 1e6:6.2f} MB  parse {parsed * 1e3:8.1f} ms  "
                  f"read {read_time * 1e3:8.1f} ms  ratio {read_time / parsed:5.2f}")
            if name == "Pipfile.lock":
                # The floor: parse + the model objects alone, with no scanning at all.
                floor_parse, floor_time, _ = measure(path, parse, lambda _s, n=count: _floor_result(n),
                                                     options.repeat)
                print(f"{'  floor':13} parse + {count} Declarations and {2 * count} Spans alone: ratio "
                      f"{(floor_parse + floor_time) / floor_parse:5.2f}")


if __name__ == "__main__":
    main()
