"""Coverage-guided fuzzing of every reader and of whole runs with atheris (libFuzzer), for long local runs.

    pip install atheris
    python fuzz/atheris_ddcompat.py --make-seeds seeds/ ../shared/corpus   # real files as starting points
    python fuzz/atheris_ddcompat.py -max_total_time=3600 -rss_limit_mb=4096 seeds/

The first input byte picks the file kind; the rest is the file. A finding is never a failure: an exception
from a reader, a whole run that exits other than 0/1, an "internal error" finding, or output carrying a
terminal escape is. Every crash found becomes a regression test in tests/test_robustness.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    import importlib

    from ddcompat.cli import main
    from ddcompat.model import SourceFile
    from ddcompat.readers import dispatch

    for _module in dispatch.MODULES.values():  # readers are imported lazily: instrument them now
        importlib.import_module(f"ddcompat.readers.{_module}")
    import ddcompat.checks
    import ddcompat.output
    import ddcompat.runner  # noqa: F401

NAMES = ["requirements.txt", "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock",
         "pylock.toml", "pdm.lock", ".python-version", "ddcompat.toml"]
ROOT = tempfile.mkdtemp(prefix="ddcompat-atheris-")
os.mkdir(os.path.join(ROOT, ".git"))
WHOLE_RUN_EVERY = int(os.environ.get("DDCOMPAT_ATHERIS_RUN_EVERY", "16"))  # one whole run per N inputs
_count = 0


def one_input(data: bytes) -> None:
    global _count
    if not data:
        return
    name = NAMES[data[0] % len(NAMES)]
    body = data[1:]
    if name != "ddcompat.toml":
        kind = dispatch.kind_of(name)
        source = SourceFile(path=os.path.join(ROOT, name), display=name, root=ROOT, data=body)
        for result in dispatch.read_with_includes(source, kind):
            for finding in result.findings:
                assert finding.span.line >= 1 and finding.span.column >= 1, finding
    _count += 1
    if _count % WHOLE_RUN_EVERY:
        return
    path = os.path.join(ROOT, name)
    with open(path, "wb") as handle:
        handle.write(body)
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", ".", "--output-format", "full", "--today", "2026-11-21"])
    finally:
        os.chdir(previous)
        os.unlink(path)
    text = out.getvalue() + err.getvalue()
    if code == 2:  # only a bad ddcompat.toml / [tool.ddcompat] may end a run
        assert name in ("ddcompat.toml", "pyproject.toml") and "internal error" not in text, text
        return
    assert code in (0, 1), (code, text)
    assert "internal error" not in text, text
    assert "\x1b" not in text and "\r" not in text, text


def make_seeds(out: str, sources: list[str]) -> None:
    """One seed per dependency file under `sources`: the kind byte, then the file's bytes (up to 64 KB)."""
    os.makedirs(out, exist_ok=True)
    count = 0
    for source in sources:
        for folder, _, files in os.walk(source):
            for file_name in files:
                kind_name = file_name if file_name in NAMES else (
                    "requirements.txt" if file_name.endswith((".txt", ".in")) else None)
                if kind_name is None:
                    continue
                with open(os.path.join(folder, file_name), "rb") as handle:
                    data = handle.read(64 * 1024)
                with open(os.path.join(out, f"seed-{count:05d}"), "wb") as handle:
                    handle.write(bytes([NAMES.index(kind_name)]) + data)
                count += 1
    print(f"{count} seeds in {out}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--make-seeds":
        make_seeds(sys.argv[2], sys.argv[3:])
    else:
        atheris.Setup(sys.argv, one_input)
        atheris.Fuzz()
