"""The command line end to end on generated projects and arguments: exit 0 or 1 (2 only for bad options),
no internal error, nothing written without --fix/-o, and output no file can take over.

Budget: DDCOMPAT_FUZZ_EXAMPLES examples per test (small by default; raise it locally for longer runs).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from _fuzz_strategies import (
    OUTPUT_FORMATS,
    any_bytes,
    assert_inert,
    fuzz_settings,
    json_bytes,
    requirements_texts,
    toml_bytes,
)
from ddcompat.cli import main

TODAY = "2026-11-21"
TOML_NAMES = ("pyproject.toml", "Pipfile", "poetry.lock", "uv.lock", "pylock.toml", "pdm.lock",
              "ddcompat.toml")


@contextlib.contextmanager
def _project(files: dict[str, bytes]) -> Iterator[Path]:
    """A fresh project folder holding `files`, as the current directory for the run."""
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="ddcompat-fuzz-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(previous)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse: bad options
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def _snapshot(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file()
            else "dir" for path in sorted(root.rglob("*"))}


@st.composite
def projects(draw: Any) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for name in draw(st.lists(st.sampled_from(["requirements.txt", "requirements-dev.txt", "constraints.txt",
                                                "sub/requirements.in", *TOML_NAMES, "Pipfile.lock",
                                                ".python-version"]), min_size=1, max_size=4, unique=True)):
        if name in TOML_NAMES:
            files[name] = draw(st.one_of(toml_bytes(), any_bytes()))
        elif name == "Pipfile.lock":
            files[name] = draw(json_bytes())
        elif name == ".python-version":
            files[name] = draw(st.sampled_from([b"3.8\n", b"3.13.1", b"pypy3.10\n", b"2.7", b"", b"3.x\n"]))
        else:
            files[name] = draw(requirements_texts()).encode("utf-8", "surrogatepass")
    return files


OPTIONS = st.lists(st.sampled_from([
    ["--products", "apm,sca,iast"], ["--python", "3.8"], ["--python", ">=3.7,<3.14"], ["--exit-zero"],
    ["--select", "DDC1,DDC9"], ["--ignore", "DDC3"], ["--sarif-category", "x/y"],
]), max_size=3).map(lambda groups: [item for group in groups for item in group])


def _check_run(code: int, out: str, err: str, output_format: str, files: dict[str, bytes]) -> None:
    if code == 2:  # only a bad config may end a run (a generated ddcompat.toml or [tool.ddcompat])
        assert out == "" and err.startswith("ddcompat: error: ") and err.count("\n") == 1, err
        assert "internal error" not in err
        assert "ddcompat.toml" in files or "pyproject.toml" in files, err
        return
    assert code in (0, 1), (code, err)
    assert err == "" or all(line.startswith("ddcompat: ") for line in err.splitlines()), err
    assert "internal error" not in out + err
    assert_inert(output_format, out)
    if output_format == "json":
        for finding in json.loads(out):
            assert finding["line"] >= 1 and finding["column"] >= 1, finding


@fuzz_settings(4)
@given(files=projects(), output_format=st.sampled_from(OUTPUT_FORMATS), options=OPTIONS)
def test_check_on_generated_projects(files: dict[str, bytes], output_format: str, options: list[str]) -> None:
    with _project(files) as root:
        before = _snapshot(root)
        code, out, err = _run(["check", ".", "--output-format", output_format, "--today", TODAY, *options])
        _check_run(code, out, err, output_format, files)
        assert _snapshot(root) == before, "a run without --fix or -o wrote something"


@fuzz_settings(2)
@given(files=projects())
def test_diff_writes_nothing_and_fix_writes_only_dependency_files(files: dict[str, bytes]) -> None:
    with _project(files) as root:
        before = _snapshot(root)
        code, out, err = _run(["check", ".", "--diff", "--unsafe-fixes", "--today", TODAY])
        assert code in (0, 1, 2), err
        assert "internal error" not in out + err
        assert _snapshot(root) == before
        code, out, err = _run(["check", ".", "--fix", "--unsafe-fixes", "--today", TODAY,
                               "--output-format", "json"])
        assert code in (0, 1, 2), err
        assert "internal error" not in out + err
        after = _snapshot(root)
        assert set(after) == set(before), "--fix created or deleted a file"
        for name in after:
            if after[name] != before[name]:
                assert name in files, name


ARGUMENTS = ["check", ".", "requirements.txt", "--output-format", "json", "sarif", "bogus", "--select",
             "DDC3", "DDC", "X1", "--ignore", "--today", "2026-02-30", TODAY, "--python", "3.x", "3.12", "^3",
             "--products", "apm,nope", "--config", "missing.toml", "--fix", "--diff", "--unsafe-fixes",
             "--exit-zero", "--sarif-category", "rule", "DDC301", "DDC999", "--all", "-", "--", "\x1b[31m",
             "\x00", "é", "--version"]


@fuzz_settings(4)
@given(argv=st.lists(st.sampled_from(ARGUMENTS), max_size=8))
def test_any_arguments_end_in_a_result_or_a_one_line_error(argv: list[str]) -> None:
    with _project({"requirements.txt": b"ddtrace==1.20.3\naiopg>=0.12\n"}) as root:
        before = _snapshot(root)
        code, out, err = _run(argv)
        assert code in (0, 1, 2), (argv, code, err)
        assert "internal error" not in out + err, (argv, err)
        assert "Traceback" not in out + err, (argv, err)
        if code == 2 and err:
            last = err.rstrip("\n").splitlines()[-1]
            assert last.startswith(("ddcompat: error: ", "ddcompat", "usage: ddcompat")), err
        if "--fix" not in argv:
            assert _snapshot(root) == before, argv
