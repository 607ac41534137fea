"""Hostile input, no network, no stray writes, and output that a file's text cannot take over.

These run the whole command (`ddcompat.cli.main`) the way a user or CI would. Runs that could block on a FIFO
or a device are made in a subprocess with a timeout, so a regression fails the test instead of hanging it.
Time bounds are CPU time of this process (`time.process_time`), which other work on the machine does not
inflate.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS, require
from ddcompat import runner
from ddcompat.cli import main
from ddcompat.readers import dispatch

FORMATS = ("full", "concise", "github", "json", "sarif")
TODAY = "2026-11-21"
HOSTILE = CORPUS / "hostile"
BIG_FILE = 1024 * 1024  # files above this get the large-file time bound
SMALL_FILE_CPU_SECONDS = 10.0  # a small file: well under 1 s, plus one-time lazy loading of the rules
LARGE_FILE_CPU_SECONDS = 60.0  # the 5 MB requirements file: about 5 s on the CI machine


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json_run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = _run([*argv, "--output-format", "json", "--today", TODAY], capsys)
    return code, json.loads(out), err


def _subprocess(argv: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m ddcompat ...` with stdin open and never written (a read of /dev/stdin would block)."""
    return subprocess.run([sys.executable, "-m", "ddcompat", *argv], cwd=cwd, stdin=subprocess.PIPE,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _by_path(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        grouped.setdefault(finding["path"], []).append(finding)
    return grouped


def _corpus_folders() -> list[Path]:
    require(CORPUS)
    real = sorted(path for path in (CORPUS / "real").iterdir() if path.is_dir())
    return [*real, CORPUS / "parsers", HOSTILE]


def _hostile_files() -> list[str]:
    if not HOSTILE.exists():
        return []
    return sorted(str(path.relative_to(HOSTILE)) for path in HOSTILE.rglob("*") if path.is_file())


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every socket connection and name lookup fail loudly, and record the attempts."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args[:2]))
        raise AssertionError(f"network access attempted: {args[:2]!r}")

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, name, refuse)
    yield attempts


# --- 1. hostile inputs ---------------------------------------------------------------------------------

def test_whole_corpus_runs_without_network_or_crash(
    no_network: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(require(CORPUS))
    for folder in _corpus_folders():
        code, out, err = _run(["check", str(folder.relative_to(CORPUS)), "--output-format", "sarif",
                               "--today", TODAY], capsys)
        assert code in (0, 1), f"{folder}: exit {code}: {err}"
        assert "internal error" not in err + out, f"{folder}: {err}"
        json.loads(out)
    assert no_network == []


@pytest.mark.parametrize("relative", _hostile_files())
def test_each_hostile_file_alone_is_bounded(relative: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = HOSTILE / relative
    start = time.process_time()
    code, findings, err = _json_run(["check", str(path)], capsys)
    spent = time.process_time() - start
    limit = LARGE_FILE_CPU_SECONDS if path.stat().st_size > BIG_FILE else SMALL_FILE_CPU_SECONDS
    assert spent < limit, f"{path} took {spent:.1f}s of CPU"
    assert code in (0, 1), f"{path}: exit {code}: {err}"
    assert err == ""
    assert isinstance(findings, list)
    for finding in findings:
        assert "internal error" not in finding["message"], finding
        assert finding["line"] >= 1 and finding["column"] >= 1


def test_hostile_files_do_not_stop_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole hostile corpus in one run with a good file: the good file is still checked."""
    good = tmp_path / "requirements.txt"
    good.write_text("ddtrace==1.20.3\n")
    small = [str(path) for path in sorted(require(HOSTILE).rglob("*"))
             if path.is_file() and path.stat().st_size <= BIG_FILE]  # the big ones are timed alone above
    code, findings, err = _json_run(["check", *small, str(good)], capsys)
    assert code == 1, err
    assert "DDC101" in {finding["code"] for finding in _by_path(findings)[runner.display_path(str(good))]}


def _hostile_project(root: Path) -> dict[str, str]:
    """A folder of files made to hurt a reader; returns file name -> the code its finding must have."""
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, code: str) -> None:
        (root / name).write_bytes(data)
        expected[name] = code

    put("requirements-nul.txt", b"ddtrace==2.3.0\x00\x00\nflask\n", "DDC902")
    put("requirements-utf16.txt", "ddtrace==1.20.3\n".encode("utf-16-le"), "DDC902")
    put("requirements-junk.txt", bytes(range(256)) * 64, "DDC902")
    put("Pipfile.lock", b'{"default": {"ddtrace": {"version": "==1.2', "DDC902")
    put("poetry.lock", b'[[package]]\nname = "ddtrace"\nversion = "1.20', "DDC902")
    put("uv.lock", b"version = 1\n" + b"a = " + b"[" * 100_000 + b"\n", "DDC902")
    put("pdm.lock", b'[[package]]\nname = "x"\nname = "y"\n', "DDC902")
    put("pyproject.toml", b"[project]\nname='a'\n[project]\nname='b'\n", "DDC902")
    put("Pipfile", b"[packages]\n" + b"x = " + b"{a = " * 50_000 + b"\n", "DDC902")
    put("pylock.toml", b"\xef\xbb\xbf\xff\xfe", "DDC902")
    put("requirements-include.txt",
        b"-r /dev/zero\n-c /dev/urandom\n-r /etc/passwd\n-r /proc/self/environ\n"
        b"-r http://169.254.169.254/latest/meta-data\n-r https://example.com/r.txt\n"
        b"-r requirements-include.txt\n-r ../outside.txt\n", "DDC903")
    os.mkfifo(root / "requirements-fifo.txt")
    expected["requirements-fifo.txt"] = "DDC902"
    os.symlink("requirements-loop-b.txt", root / "requirements-loop-a.txt")
    os.symlink("requirements-loop-a.txt", root / "requirements-loop-b.txt")
    expected["requirements-loop-a.txt"] = expected["requirements-loop-b.txt"] = "DDC902"
    os.symlink("..", root / "up")  # a folder loop
    with open(root / "constraints-huge.txt", "wb") as handle:  # sparse: over the size limit, costs no disk
        handle.truncate(runner.MAX_FILE_BYTES + 1)
    expected["constraints-huge.txt"] = "DDC902"
    (root / "requirements.txt").write_text("ddtrace==1.20.3\n")
    expected["requirements.txt"] = "DDC101"
    return expected


def test_hostile_project_gives_findings_in_bounded_time(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    expected = _hostile_project(project)
    start = time.monotonic()
    done = _subprocess(["check", ".", "--output-format", "json", "--today", TODAY], cwd=project)
    assert time.monotonic() - start < 60
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    found = {path: {finding["code"] for finding in findings}
             for path, findings in _by_path(json.loads(done.stdout)).items()}
    for name, code in expected.items():
        assert code in found.get(name, set()), f"{name}: {found.get(name)}"
    for findings in _by_path(json.loads(done.stdout)).values():
        for finding in findings:
            assert "internal error" not in finding["message"], finding


def test_requirements_include_messages(tmp_path: Path, no_network: list[str],
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text(
        "-r /dev/zero\n-r http://169.254.169.254/latest/meta-data\n-r /etc/passwd\n-r self.txt\n")
    (tmp_path / "self.txt").write_text("-r self.txt\n")
    monkeypatch.chdir(tmp_path)
    code, findings, err = _json_run(["check", "requirements.txt"], capsys)
    assert code == 1, err
    messages = {finding["line"]: finding["message"] for finding in findings
                if finding["code"] == "DDC903" and finding["path"] == "requirements.txt"}
    assert "outside the checked root" in messages[1]
    assert "remote" in messages[2] and "never fetched" in messages[2]
    assert "outside the checked root" in messages[3]
    assert no_network == []
    assert any("cycle" in finding["message"] for finding in findings)


def test_unreadable_file_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() == 0:
        pytest.skip("needs POSIX permissions, not root (root reads a chmod 000 file)")
    secret = tmp_path / "requirements-secret.txt"
    secret.write_text("ddtrace==1.20.3\n")
    secret.chmod(0)
    (tmp_path / "requirements.txt").write_text("ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    try:
        code, findings, _ = _json_run(["check", "."], capsys)
    finally:
        secret.chmod(0o600)
    grouped = _by_path(findings)
    assert [finding["code"] for finding in grouped["requirements-secret.txt"]] == ["DDC902"]
    assert "Permission denied" in grouped["requirements-secret.txt"][0]["message"]
    assert "DDC101" in {finding["code"] for finding in grouped["requirements.txt"]}
    assert code == 1


def test_permission_denied_is_a_finding_even_as_root(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as above where the test runs as root: the open itself is made to fail with EACCES."""
    (tmp_path / "requirements-secret.txt").write_text("ddtrace==1.20.3\n")
    (tmp_path / "requirements.txt").write_text("ddtrace==1.20.3\n")
    real_open = os.open

    def deny(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith("requirements-secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    monkeypatch.chdir(tmp_path)
    code, findings, _ = _json_run(["check", "."], capsys)
    grouped = _by_path(findings)
    assert [finding["code"] for finding in grouped["requirements-secret.txt"]] == ["DDC902"]
    assert "Permission denied" in grouped["requirements-secret.txt"][0]["message"]
    assert "DDC101" in {finding["code"] for finding in grouped["requirements.txt"]}
    assert code == 1


def test_fifo_and_devices_named_explicitly_never_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "requirements.txt")
    os.mkfifo(tmp_path / "Pipfile.lock")
    done = _subprocess(["check", "requirements.txt", "Pipfile.lock", "/dev/zero", "/dev/stdin",
                        "--output-format", "json"], cwd=tmp_path, timeout=30)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    assert {finding["path"] for finding in findings} == {"requirements.txt", "Pipfile.lock", "/dev/zero",
                                                         "/dev/stdin"}
    assert all(finding["code"] == "DDC902" and "not a regular file" in finding["message"]
               for finding in findings)


def test_symlink_loops_are_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    os.symlink("requirements.txt", tmp_path / "requirements.txt")  # itself
    os.symlink("missing.txt", tmp_path / "requirements-dangling.txt")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    os.symlink("../..", nested / "loop")
    (nested / "requirements.txt").write_text("ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    for argv in (["check", "."], ["check", "requirements.txt", "requirements-dangling.txt", "a"]):
        start = time.process_time()
        code, findings, err = _json_run(argv, capsys)
        assert time.process_time() - start < SMALL_FILE_CPU_SECONDS
        assert code == 1, err
        grouped = _by_path(findings)
        assert [finding["code"] for finding in grouped["requirements.txt"]] == ["DDC902"]
        assert "symbolic links" in grouped["requirements.txt"][0]["message"]
        assert [finding["code"] for finding in grouped["requirements-dangling.txt"]] == ["DDC902"]
        assert "DDC101" in {finding["code"] for finding in grouped["a/b/requirements.txt"]}
        assert not any("loop" in path for path in grouped), grouped.keys()  # the loop is walked once


def test_a_missing_path_is_still_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["check", "nothing-here.txt"], capsys)
    assert code == 2 and out == ""
    assert err == "ddcompat: error: nothing-here.txt: no such file or folder\n"


_MEASURED_RUN = """
import contextlib, io, json, resource, sys, time
from ddcompat.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"code": code, "cpu": time.process_time(), "rss_mb": usage.ru_maxrss / 1024,
                  "findings": json.loads(out.getvalue())}))
"""
MAX_RSS_MB = 1024


def _measured(argv: list[str], cwd: Path) -> dict[str, Any]:
    """Run ddcompat in a child that reports its own exit code, CPU seconds and peak memory (Linux: KB)."""
    done = subprocess.run([sys.executable, "-c", _MEASURED_RUN, *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _big_files() -> dict[str, bytes]:
    count = 140_000
    requirements = "".join(f"package-{index:06d}=={index % 30}.{index % 17}.{index % 7}  # filler {index}\n"
                           for index in range(count)) + "ddtrace==1.20.3\n"
    lock = "".join(f'[[package]]\nname = "pkg-{index}"\nversion = "{index % 30}.{index % 7}.0"\n'
                   f'description = "filler {index}"\noptional = false\npython-versions = ">=3.8"\n\n'
                   for index in range(45_000))
    lock += '[[package]]\nname = "ddtrace"\nversion = "1.20.3"\n'
    return {"requirements.txt": requirements.encode(), "poetry.lock": lock.encode()}


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KB on Linux")
@pytest.mark.parametrize("name", ["requirements.txt", "poetry.lock"])
def test_five_megabyte_files_are_bounded_in_time_and_memory(name: str, tmp_path: Path) -> None:
    data = _big_files()[name]
    assert len(data) > 5 * 1024 * 1024
    (tmp_path / name).write_bytes(data)
    report = _measured(["check", name, "--output-format", "json", "--today", TODAY], tmp_path)
    assert report["code"] == 1
    assert report["cpu"] < LARGE_FILE_CPU_SECONDS, report["cpu"]
    assert report["rss_mb"] < MAX_RSS_MB, report["rss_mb"]
    assert [(finding["code"], finding["path"]) for finding in report["findings"]] == [("DDC101", name)]


def test_one_megabyte_line_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text(
        "ddtrace==1.20.3 # " + "x" * (1024 * 1024) + "\n" + "flask" + " \\\n" * 100_000 + "\n")
    monkeypatch.chdir(tmp_path)
    for output_format in FORMATS:
        start = time.process_time()
        code, out, err = _run(["check", ".", "--output-format", output_format, "--today", TODAY], capsys)
        assert time.process_time() - start < LARGE_FILE_CPU_SECONDS
        assert code == 1, err
        assert len(out) < 200_000, f"{output_format}: the long line is echoed whole"


def test_a_file_over_the_size_limit_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("requirements.txt", "pyproject.toml", "Pipfile.lock"):
        with open(tmp_path / name, "wb") as handle:
            handle.truncate(runner.MAX_FILE_BYTES + 1)
    monkeypatch.chdir(tmp_path)
    start = time.process_time()
    code, findings, err = _json_run(["check", "."], capsys)
    assert time.process_time() - start < SMALL_FILE_CPU_SECONDS
    assert code == 1, err
    assert sorted(finding["path"] for finding in findings) == ["Pipfile.lock", "pyproject.toml",
                                                               "requirements.txt"]
    for finding in findings:
        assert finding["code"] == "DDC902"
        assert "too large" in finding["message"] and str(runner.MAX_FILE_BYTES) in finding["message"]


def test_empty_and_whitespace_files_are_quiet_or_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    names = ("requirements.txt", "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock",
             "pylock.toml", "pdm.lock", ".python-version")
    for contents in (b"", b" \n\t\r\n  ", b"\xef\xbb\xbf"):
        for name in names:
            (tmp_path / name).write_bytes(contents)
        monkeypatch.chdir(tmp_path)
        code, findings, err = _json_run(["check", "."], capsys)
        assert code in (0, 1), err
        for finding in findings:
            assert finding["code"].startswith("DDC9"), finding


# --- the safety net: a bug in one reader or check is a finding, not the end of the run ----------------------

def test_a_reader_crash_is_a_finding_and_the_others_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Pipfile").write_text('[packages]\nddtrace = "==1.20.3"\n')
    (tmp_path / "requirements.txt").write_text("ddtrace==1.20.3\n")
    real_reader_for = dispatch.reader_for

    def broken(source: object) -> object:
        raise ValueError("Exceeds the limit (4300 digits) " + "9" * 10_000)

    monkeypatch.setattr(dispatch, "reader_for",
                        lambda kind: broken if kind == "pipfile" else real_reader_for(kind))
    monkeypatch.chdir(tmp_path)
    code, findings, err = _json_run(["check", "."], capsys)
    assert code == 1 and err == ""
    grouped = _by_path(findings)
    [crash] = grouped["Pipfile"]
    assert crash["code"] == "DDC902"
    assert crash["message"].startswith("internal error while reading: ValueError: Exceeds the limit")
    assert len(crash["message"]) < 300
    assert "DDC101" in {finding["code"] for finding in grouped["requirements.txt"]}


def test_a_check_crash_is_a_finding_and_the_other_checks_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "requirements.txt").write_text("ddtrace==1.20.3\n")
    real_checks = runner.load_checks()

    def broken(context: object, rules: object) -> list[object]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(runner, "load_checks", lambda: (broken, *real_checks))
    monkeypatch.chdir(tmp_path)
    code, findings, err = _json_run(["check", "."], capsys)
    assert code == 1 and err == ""
    codes = {finding["code"]: finding for finding in findings}
    assert codes["DDC902"]["message"] == "internal error while checking: RecursionError: maximum recursion " \
                                         "depth exceeded"
    assert "DDC101" in codes


# --- 4. no stray writes --------------------------------------------------------------------------------

def _snapshot(root: Path) -> dict[str, str]:
    state = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            key = str(path.relative_to(root))
            if path.is_symlink() or path.is_dir():
                state[key] = "link" if path.is_symlink() else "dir"
            else:
                info = path.stat()
                state[key] = (hashlib.sha256(path.read_bytes()).hexdigest()
                              + f":{info.st_mtime_ns}:{info.st_mode}")
    return state


def test_a_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    first = sorted(path.name for path in (require(CORPUS) / "real").iterdir())[0]
    shutil.copytree(CORPUS / "real" / first, project)
    (project / "requirements.txt").write_text("ddtrace==1.20.3\naiopg>=0.12\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    before = _snapshot(tmp_path)
    for output_format in FORMATS:
        code, _, err = _run(["check", "project", "--output-format", output_format], capsys)
        assert code == 1, err
    code, out, _ = _run(["check", "project", "--diff"], capsys)
    assert code == 1 and "+aiopg>=0.12,<=0.16" in out
    assert _snapshot(tmp_path) == before


def test_a_subprocess_run_writes_nothing_anywhere_it_can_see(tmp_path: Path) -> None:
    """A real process, with HOME and the cache folders pointed into the tree: still nothing written."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("ddtrace==1.20.3\n")
    (project / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["aiopg>=0.12"]\n')
    before = _snapshot(tmp_path)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "ddcompat", "check", "project"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert _snapshot(tmp_path) == before


def test_output_file_is_the_only_write(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text("ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    code, out, _ = _run(["check", ".", "--output-format", "sarif", "-o", "out.sarif"], capsys)
    assert code == 1 and out == ""
    after = _snapshot(tmp_path)
    assert set(after) - set(before) == {"out.sarif"}
    assert {key: after[key] for key in before} == before
    json.loads((tmp_path / "out.sarif").read_text())


def test_fix_writes_only_the_fixed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text("ddtrace==4.0.0\naiopg>=0.12  # keep me\n")
    (tmp_path / "requirements-dev.txt").write_text("pytest==8.0.0\n")
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    code, _, err = _run(["check", ".", "--fix"], capsys)
    after = _snapshot(tmp_path)
    assert set(after) == set(before), "a temporary or backup file was left behind"
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"requirements.txt"}, err
    assert (tmp_path / "requirements.txt").read_text() == "ddtrace==4.0.0\naiopg>=0.12,<=0.16  # keep me\n"
    assert code in (0, 1), err


# --- 2. output injection -------------------------------------------------------------------------------

HOSTILE_LINES = (
    "ddtrace==\x1b[31mlatest\x1b]0;pwned\x07\n"
    "aiopg>=0.12 ; python_version >= '3.9' # \x1b[2J comment\n"
    "::add-mask::secret==1.0\n"
    "evil\r::stop-commands::token==1\n"
    "name\u202eevil==1\n"
    "x==1%0A::error::injected\n"
    "y==1\x85::error::nel\n"
    "z==1\u2028::error::ls\n"
    "w==\x9b31m\x1bP+q\x1b\\\n"
)


def _assert_inert(output_format: str, out: str) -> None:
    for character in ("\x1b", "\x07", "\x9b", "\u202e", "\x85", "\u2028", "\x00"):
        assert character not in out, (output_format, repr(character))
    if output_format == "github":
        # The runner reads a workflow command only at the start of a line: every line must be ours.
        assert "\r" not in out
        for line in out.split("\n")[:-1]:
            assert line.startswith(("::error ", "::warning ", "::notice ")), line
    if output_format in ("json", "sarif"):
        json.loads(out)
    if output_format in ("full", "concise"):
        assert "\r" not in out


@pytest.mark.parametrize("output_format", FORMATS)
def test_file_text_cannot_take_over_the_output(output_format: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "evil\x1b[1m::warning::dir"
    folder.mkdir()
    (folder / "requirements.txt").write_bytes(HOSTILE_LINES.encode("utf-8"))
    (folder / "requirements-\n::add-mask::x.txt").write_text("ddtrace==1.20.3\n")
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["aiopg\\u001b[31m>=0.12", "bad\\r\\n::stop-commands::t==1"]\n'
        '[tool.poetry.dependencies]\n"\\u001b]0;t\\u0007" = "^1"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, err = _run(["check", ".", "--output-format", output_format], capsys)
    assert code == 1, err
    _assert_inert(output_format, out)
    if output_format == "concise":
        lines = out.splitlines()
        summary = next(index for index, line in enumerate(lines) if line.startswith("Found "))
        for line in lines[:summary]:
            assert line.startswith("evil"), line  # one line per finding: nothing starts a line of its own


def test_github_messages_escape_newlines_and_percent(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text("ddtrace==latest%0A::add-mask::x\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(["check", ".", "--output-format", "github"], capsys)
    assert code == 1
    [line] = out.splitlines()
    assert "%250A" in line  # `%` itself is escaped, so the runner does not decode the file's `%0A`
    assert line.startswith("::error ")


# --- regressions: versions with more digits than int() converts (ValueError, not InvalidVersion) -----------

BIG = "9" * 5000
BIG_DIGIT_FILES = {
    "requirements.txt": (f"ddtrace=={BIG}\naiopg>={BIG}\nflask ; python_version < '{BIG}'\nx===3.{BIG}\n"
                         f"ddtrace==1.0,=={BIG}\ny>=1,<{BIG}\n"),
    "pyproject.toml": (f'[project]\nname = "x"\nrequires-python = ">={BIG}"\n'
                       f'dependencies = ["ddtrace=={BIG}", "aiopg ; python_version < \'{BIG}\'"]\n'
                       f'[tool.poetry.dependencies]\npython = "^{BIG}"\nddtrace = "^{BIG}"\n'
                       f'aiopg = "~{BIG}"\nflask = {{version = "{BIG}", python = "<{BIG}"}}\n'),
    "Pipfile": (f'[packages]\nddtrace = "=={BIG}"\naiopg = {{version = ">={BIG}"}}\n'
                f'[requires]\npython_version = "{BIG}"\npython_full_version = "{BIG}"\n'),
    "Pipfile.lock": json.dumps({
        "_meta": {"requires": {"python_version": BIG, "python_full_version": BIG}},
        "default": {"ddtrace": {"version": f"=={BIG}"}, "flask": {"version": f"===3.{BIG}"}},
        "develop": {},
    }),
    "poetry.lock": (f'[[package]]\nname = "ddtrace"\nversion = "{BIG}"\npython-versions = ">={BIG}"\n'
                    f'[metadata]\npython-versions = ">={BIG}"\n'),
    "uv.lock": (f'version = 1\nrequires-python = ">={BIG}"\n'
                f'[[package]]\nname = "ddtrace"\nversion = "{BIG}"\n'),
    "pylock.toml": (f'lock-version = "1.0"\nrequires-python = ">={BIG}"\n'
                    f'[[packages]]\nname = "ddtrace"\nversion = "{BIG}"\n'),
    "pdm.lock": (f'[metadata]\nrequires_python = ">={BIG}"\n'
                 f'[[package]]\nname = "ddtrace"\nversion = "{BIG}"\n'),
    ".python-version": f"{BIG}\n3.{BIG}\n>=3.{BIG}\n",
}


@pytest.mark.parametrize("name", sorted(BIG_DIGIT_FILES))
def test_versions_with_thousands_of_digits_are_findings(name: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / name).write_text(BIG_DIGIT_FILES[name])
    (tmp_path / "requirements-good.txt").write_text("ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    code, findings, err = _json_run(["check", "."], capsys)
    assert code == 1 and err == "", err
    assert not any("internal error" in finding["message"] for finding in findings), findings
    assert any(finding["path"] == name and finding["code"] in ("DDC901", "DDC902", "DDC103", "DDC104")
               for finding in findings)
    assert "DDC101" in {finding["code"] for finding in _by_path(findings)["requirements-good.txt"]}


@pytest.mark.parametrize("config", [f'python = "{BIG}"', f'python = ">=3.{BIG}"',
                                    f'agent-version = "7.{BIG}"'])
def test_config_values_with_thousands_of_digits_are_a_clear_error(config: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\n[tool.ddcompat]\n{config}\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["check", "."], capsys)
    assert code == 2 and out == ""
    assert err.startswith("ddcompat: error: pyproject.toml:4:") and err.count("\n") == 1, err
    assert "not a" in err and "internal error" not in err


def test_python_option_with_thousands_of_digits_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", ".", "--python", f"3.{BIG}"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--python: not a Python version or specifier" in err and len(err) < 1000


# --- 6. limits: each one a finding or a clear error, never a silent cut ------------------------------------

def test_too_many_files_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat import discovery

    monkeypatch.setattr(discovery, "MAX_FILES", 3)
    for index in range(4):
        (tmp_path / f"requirements-{index}.txt").write_text("ddtrace==4.0.0\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["check", "."], capsys)
    assert code == 2 and out == ""
    assert err == ("ddcompat: error: .: more than 3 dependency files; name fewer paths or add `exclude` "
                   "patterns to the config\n")
    monkeypatch.setattr(discovery, "MAX_FILES", 4)
    code, out, err = _run(["check", "."], capsys)
    assert code in (0, 1) and err == ""


def test_messages_quoting_huge_values_are_cut(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat.limits import MAX_MESSAGE_CHARS

    value = "a" * 1_000_000
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\ndependencies = ["ddtrace=={value}"]\n'
        f'[tool.poetry.dependencies]\nflask = "^{value}"\n')
    (tmp_path / "uv.lock").write_text(f'version = 1\nrequires-python = "!{value}"\n')
    monkeypatch.chdir(tmp_path)
    for output_format in FORMATS:
        code, out, err = _run(["check", ".", "--output-format", output_format], capsys)
        assert code == 1, err
        assert len(out) < 200_000, (output_format, len(out))
    code, findings, _ = _json_run(["check", "."], capsys)
    assert len(findings) == 3
    assert all(len(finding["message"]) <= MAX_MESSAGE_CHARS for finding in findings)
    assert any(len(finding["message"]) == MAX_MESSAGE_CHARS and finding["message"].endswith("...")
               for finding in findings)


def test_colour_output_carries_only_our_own_sgr_sequences(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    (tmp_path / "requirements.txt").write_bytes(
        HOSTILE_LINES.encode() + b"aiopg>=0.12 # \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = _run(["check", ".", "--output-format", "full"], capsys)
    assert code == 1
    assert "\x1b[" in out  # colour is on
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    for char in ("\x1b", "\x07", "\x9b", "\r", "\u202e", "\x85", "\u2028"):
        assert char not in plain, repr(char)


# --- regressions: markers nested thousands of parentheses deep (RecursionError in packaging's parser) -----

DEEP = "(" * 5000 + 'python_version < "3"' + ")" * 5000
DEEP_MARKER_FILES = {
    "requirements.txt": f"flask ; {DEEP}\n",
    "pyproject.toml": (f'[project]\nname = "x"\ndependencies = [{json.dumps("flask ; " + DEEP)}]\n'
                       f'[tool.poetry.dependencies]\n'
                       f'flask = {{version = "^1", markers = {json.dumps(DEEP)}}}\n'),
    "Pipfile": f'[packages]\nflask = {{version = "*", markers = {json.dumps(DEEP)}}}\n',
    "Pipfile.lock": json.dumps({"_meta": {}, "default": {"flask": {"version": "==1.0", "markers": DEEP}}}),
    "uv.lock": (f"version = 1\nenvironments = [{json.dumps(DEEP)}]\n"
                f'[[package]]\nname = "flask"\nversion = "1.0"\nresolution-markers = [{json.dumps(DEEP)}]\n'),
    "pylock.toml": (f'lock-version = "1.0"\nenvironments = [{json.dumps(DEEP)}]\n'
                    f'[[packages]]\nname = "flask"\nversion = "1.0"\nmarker = {json.dumps(DEEP)}\n'),
    "poetry.lock": f'[[package]]\nname = "flask"\nversion = "1.0"\nmarkers = {json.dumps(DEEP)}\n',
    "pdm.lock": f'[[package]]\nname = "flask"\nversion = "1.0"\nmarker = {json.dumps(DEEP)}\n',
}


@pytest.mark.parametrize("name", sorted(DEEP_MARKER_FILES))
def test_deeply_nested_markers_are_findings(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / name).write_text(DEEP_MARKER_FILES[name])
    (tmp_path / "requirements-good.txt").write_text("ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    code, findings, err = _json_run(["check", "."], capsys)
    assert code == 1 and err == "", err
    assert not any("internal error" in finding["message"] for finding in findings), findings
    assert any(finding["path"] == name and finding["code"] in ("DDC901", "DDC902") for finding in findings)
    assert "DDC101" in {finding["code"] for finding in _by_path(findings)["requirements-good.txt"]}


def test_hostile_config_globs_do_not_hang(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A pyproject.toml in a pull request chooses the globs: `*a*a*...b` once took minutes per path."""
    pattern = "*a" * 25 + "b"
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\n[tool.ddcompat]\nexclude = ["{pattern}", "{"**/a/" * 25}b"]\n'
        f'per-file-ignores = {{"{pattern}" = ["DDC1"]}}\n')
    nested = tmp_path / "/".join(["a"] * 30)
    nested.mkdir(parents=True)
    (nested / f"requirements-{'a' * 60}.txt").write_text("ddtrace==1.20.3\n")
    (tmp_path / f"requirements-{'a' * 60}.txt").write_text("ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    start = time.process_time()
    code, findings, err = _json_run(["check", "."], capsys)
    assert time.process_time() - start < SMALL_FILE_CPU_SECONDS
    assert code == 1, err
    assert [finding["code"] for finding in findings] == ["DDC101", "DDC101"]


# --- regressions: integers too long for int() inside TOML/JSON (ValueError from tomllib and json) ----------

@pytest.mark.parametrize("name", ["pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock",
                                  "pylock.toml", "pdm.lock"])
def test_integers_with_thousands_of_digits_are_findings(name: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    data = f'{{"default": {{"ddtrace": {{"version": {BIG}}}}}}}' if name == "Pipfile.lock" else f"x = {BIG}\n"
    (tmp_path / name).write_text(data)
    (tmp_path / "requirements-good.txt").write_text("ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    code, findings, err = _json_run(["check", "."], capsys)
    assert code == 1 and err == "", err
    [finding] = _by_path(findings)[name]
    assert finding["code"] == "DDC902" and "internal error" not in finding["message"]
    assert "DDC101" in {finding["code"] for finding in _by_path(findings)["requirements-good.txt"]}


def test_config_with_a_huge_integer_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ddcompat.toml").write_text(f"select = {BIG}\n")
    (tmp_path / "requirements.txt").write_text("ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["check", "."], capsys)
    assert code == 2 and out == ""
    assert err.startswith("ddcompat: error: ddcompat.toml: invalid TOML: ") and err.count("\n") == 1


# --- 3 and 4, audited: Python's audit hooks see every socket, process and file opened for writing ---------

_AUDITED_RUN = """
import json, os, sys
sys.dont_write_bytecode = True
LOG = os.open(os.environ["DDCOMPAT_AUDIT_LOG"], os.O_WRONLY | os.O_APPEND)  # inherited by forked workers
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def note(*event):
    os.write(LOG, (json.dumps([os.getpid(), *event]) + "\\n").encode())


def hook(event, args):
    if event.startswith("socket.") or event in ("urllib.Request", "http.client.connect", "ftplib.connect"):
        note(event, repr(args)[:200])
        raise RuntimeError("network access: " + event)
    if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"):
        note(event, repr(args)[:200])
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int):  # re-opening a descriptor already opened (and seen) above
            return
        if (isinstance(mode, str) and any(char in mode for char in "wax+")) or (flags or 0) & WRITE:
            note("write", str(path))


sys.addaudithook(hook)
from ddcompat.cli import main

sys.exit(main(sys.argv[1:]))
"""


def _audited(argv: list[str], cwd: Path, log: Path) -> tuple[int, list[list[Any]]]:
    """Exit code and every audited event (pid, event, detail) of a run, its worker processes included."""
    log.write_text("")
    done = subprocess.run([sys.executable, "-c", _AUDITED_RUN, *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=600, check=False,
                          env={**os.environ, "DDCOMPAT_AUDIT_LOG": str(log)})
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, [json.loads(line) for line in log.read_text().splitlines()]


def test_audited_corpus_run_opens_no_socket_and_writes_nothing(tmp_path: Path) -> None:
    require(CORPUS)
    code, events = _audited(["check", "real", "parsers", "hostile", "--output-format", "sarif",
                             "--today", TODAY], CORPUS, tmp_path / "audit.log")
    assert code in (0, 1)
    # The only process events allowed are the forks of ddcompat's own worker pool (ddcompat.parallel).
    assert [event for event in events if event[1] != "os.fork"] == []


def test_audited_run_writes_only_the_output_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("ddtrace==1.20.3\n-r http://169.254.169.254/latest/meta-data\n")
    code, events = _audited(["check", ".", "--output-format", "json", "-o", "out.json"], project,
                            tmp_path / "audit.log")
    assert code == 1
    assert [event for event in events if event[1] != "write"] == []
    writes = [Path(event[2]).name for event in events if event[1] == "write"]
    assert len(writes) == 1 and writes[0].startswith(".ddcompat-") and writes[0].endswith(".tmp")
    assert sorted(path.name for path in project.iterdir()) == ["out.json", "requirements.txt"]


@pytest.mark.parametrize("config", ['"\\u001b]0;pwned\\u0007\\n::add-mask::x" = 1',
                                    'select = ["DDC1\\u001b[2J\\r::stop-commands::t"]',
                                    'products = ["apm\\u009b31m"]'])
def test_config_errors_cannot_take_over_stderr(config: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A config error quotes the file (a key, a value) on stderr, which reaches terminals and CI logs too."""
    (tmp_path / "ddcompat.toml").write_text(config + "\n")
    (tmp_path / "requirements.txt").write_text("ddtrace==4.0.0\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["check", "."], capsys)
    assert code == 2 and out == ""
    assert err.startswith("ddcompat: error: ddcompat.toml") and err.count("\n") == 1, err
    for char in ("\x1b", "\x07", "\x9b", "\r"):
        assert char not in err, repr(char)


def test_diff_on_stdout_cannot_take_over_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_bytes(
        b"aiopg>=0.12 # \x1b]0;pwned\x07\x1b[2J \xe2\x80\xae\r::add-mask::x\n")
    (tmp_path / "requirements-crlf.txt").write_bytes(b"aiopg>=0.12\r\n\tflask\r\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(["check", ".", "--diff"], capsys)
    assert code == 1
    for char in ("\x1b", "\x07", "\u202e"):
        assert char not in out, repr(char)
    assert "\r::add-mask::" not in out
    assert not any(line.startswith("::") for line in out.replace("\r\n", "\n").split("\n"))
    # A plain CRLF file with tabs still gives a patch that applies.
    assert "-aiopg>=0.12\r\n+aiopg>=0.12,<=0.16\r\n \tflask\r\n" in out
    code, out, _ = _run(["check", ".", "--diff", "-o", "fix.patch"], capsys)
    assert code == 1 and out == ""
    assert b"\x1b]0;pwned\x07" in (tmp_path / "fix.patch").read_bytes()  # -o keeps the patch byte-exact


def test_include_limits_are_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat.limits import MAX_FILE_BYTES, MAX_INCLUDE_DEPTH
    from ddcompat.readers import requirements

    assert requirements.MAX_INCLUDE_DEPTH == MAX_INCLUDE_DEPTH  # limits.py documents the reader's bound
    assert requirements.MAX_INCLUDE_BYTES == MAX_FILE_BYTES
    (tmp_path / ".git").mkdir()
    chain = tmp_path / "chain"
    chain.mkdir()
    for index in range(MAX_INCLUDE_DEPTH + 8):
        (chain / f"{index}.txt").write_text(f"-r {index + 1}.txt\n")
    (chain / f"{MAX_INCLUDE_DEPTH + 8}.txt").write_text("ddtrace==1.20.3\n")
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    (tmp_path / "requirements.txt").write_text("-r chain/0.txt\n-r huge.txt\n")
    monkeypatch.chdir(tmp_path)
    code, findings, err = _json_run(["check", "requirements.txt"], capsys)
    assert code == 1, err
    messages = [(finding["path"], finding["message"]) for finding in findings if finding["code"] == "DDC903"]
    too_large = "include `huge.txt` is too large for a requirements file; not read"
    assert ("requirements.txt", too_large) in messages
    assert any(f"nested deeper than {MAX_INCLUDE_DEPTH}" in message for _, message in messages), messages


@pytest.mark.skipif(sys.platform != "linux", reason="file names that are not UTF-8 need a POSIX filesystem")
@pytest.mark.parametrize("output_format", FORMATS)
def test_file_names_that_are_not_utf8(output_format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = os.fsencode(tmp_path)
    os.mkdir(root + b"/sub\xfe")
    for name in (b"/requirements-\xff.txt", b"/sub\xfe/requirements.txt"):
        with open(root + name, "wb") as handle:
            handle.write(b"ddtrace==1.20.3\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["check", ".", "--output-format", output_format], capsys)
    assert code == 1 and err == "", err
    _assert_inert(output_format, out)
    out.encode("utf-8")  # no lone surrogate reaches the stream
    assert out.count("DDC101") >= 2


def test_limits_module_states_the_bounds_in_force() -> None:
    from ddcompat import discovery, limits
    from ddcompat.readers import pipfile_lock

    assert runner.MAX_FILE_BYTES == limits.MAX_FILE_BYTES
    assert discovery.MAX_FILES == limits.MAX_FILES
    assert pipfile_lock._MAX_DEPTH == limits.MAX_JSON_DEPTH
    assert limits.clip_message("x" * 10, 8) == "xxxxx..." and limits.clip_message("short") == "short"
