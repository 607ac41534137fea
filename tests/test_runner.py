"""`ddcompat check` end to end through `cli.main`: discovery, context, filtering, exit codes, output."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from ddcompat.cli import main
from ddcompat.context import ProjectContext
from ddcompat.model import Finding, Level

PROJECTS = Path(__file__).resolve().parent / "projects"
TODAY = "2026-11-21"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", "--today", TODAY, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lines(out: str) -> list[str]:
    """The `path:line:col: level: CODE` lines of concise output (the summary lines dropped)."""
    return [line for line in out.splitlines() if ": DDC" in line]


def codes_at(out: str) -> list[tuple[str, str]]:
    """(path:line:col, code) of every finding line."""
    found = []
    for line in lines(out):
        location, _, rest = line.partition(": ")
        found.append((location, rest.split(": ", 1)[1].split(" ", 1)[0]))
    return found


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder (a pyproject.toml bounds the project) that is the current directory."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "0"\n', encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_eol_requirements_example(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECTS / "eol-requirements")
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert codes_at(out) == [("requirements.txt:1:1", "DDC101")]
    assert lines(out)[0].startswith("requirements.txt:1:1: error: DDC101 ")


def test_named_file_from_another_folder_is_shown_relative(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECTS)
    code, out, _ = run(capsys, "--output-format", "concise", "eol-requirements/requirements.txt")
    assert code == 1
    assert codes_at(out) == [("eol-requirements/requirements.txt:1:1", "DDC101")]


def test_unrelated_folder_like_an_installed_tool(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `pip install . && cd elsewhere && ddcompat check` does: only the embedded rule set is used.
    (tmp_path / "requirements.txt").write_text("ddtrace==1.20.3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert codes_at(out) == [("requirements.txt:1:1", "DDC101")]


def test_clean_project_exits_zero(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"requirements.txt": "requests==2.31.0\n"})
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 0
    assert lines(out) == []


def test_exit_zero(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"requirements.txt": "ddtrace==1.20.3\n"})
    code, out, _ = run(capsys, "--output-format", "concise", "--exit-zero")
    assert code == 0
    assert codes_at(out) == [("requirements.txt:1:1", "DDC101")]


def test_nonexistent_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    code, out, err = run(capsys, "missing/requirements.txt")
    assert code == 2
    assert out == ""
    assert err == "ddcompat: error: missing/requirements.txt: no such file or folder\n"


def test_suppression_comment_silences_only_its_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECTS / "suppressed")
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert codes_at(out) == [("requirements.txt:2:1", "DDC101")]


def test_bare_suppression_and_other_codes_on_the_line(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    write(project, {"requirements.txt": (
        "ddtrace==1.20.3  # ddcompat: ignore\n"
        "ddtrace==latest  # ddcompat: ignore[DDC101]\n"
    )})
    code, out, _ = run(capsys, "--output-format", "concise")
    assert codes_at(out) == [("requirements.txt:2:10", "DDC901")]
    assert code == 1


def test_suppression_on_a_continuation_line(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    text = "ddtrace==1.20.3 \\\n    --hash=sha256:abc  # ddcompat: ignore[DDC1]\n"
    write(project, {"requirements.txt": text})
    code, out, _ = run(capsys, "--output-format", "concise")
    assert (code, lines(out)) == (0, [])


def test_suppression_in_pyproject(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"pyproject.toml": (
        '[project]\nname = "p"\nversion = "0"\ndependencies = [\n'
        '  "ddtrace==1.20.3",  # ddcompat: ignore[DDC101]\n'
        '  "ddtrace==2.0.0",\n'
        "]\n"
    )})
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert [code for _, code in codes_at(out)] == ["DDC101"]
    assert codes_at(out)[0][0].startswith("pyproject.toml:6:")


def test_per_file_ignores_silence_a_json_lock(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECTS / "per-file-ignores")
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert codes_at(out) == [("requirements.txt:1:1", "DDC101")]  # the Pipfile.lock's DDC101 is silenced


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ((), ["DDC101", "DDC901"]),
        (("--ignore", "DDC1"), ["DDC901"]),
        (("--ignore", "DDC90"), ["DDC101"]),
        (("--select", "DDC9"), ["DDC901"]),
        (("--select", "DDC1,DDC9", "--ignore", "DDC90"), ["DDC101"]),
        (("--select", "DDC901", "--ignore", "DDC9"), ["DDC901"]),  # the more specific selector wins
    ],
)
def test_select_and_ignore_prefixes(
    capsys: pytest.CaptureFixture[str], project: Path, options: tuple[str, ...], expected: list[str]
) -> None:
    write(project, {"requirements.txt": "ddtrace==1.20.3\nflask==latest\n"})
    _, out, _ = run(capsys, "--output-format", "concise", *options)
    assert [code for _, code in codes_at(out)] == expected


def test_config_select_and_command_line_override(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {
        "requirements.txt": "ddtrace==1.20.3\nflask==latest\n",
        "ddcompat.toml": 'ignore = ["DDC9"]\n',
    })
    _, out, _ = run(capsys, "--output-format", "concise")
    assert [code for _, code in codes_at(out)] == ["DDC101"]
    _, out, _ = run(capsys, "--output-format", "concise", "--ignore", "DDC1")
    assert [code for _, code in codes_at(out)] == ["DDC901"]


def test_tool_ddcompat_table(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\n\n[tool.ddcompat]\nignore = ["DDC101"]\n',
        "requirements.txt": "ddtrace==1.20.3\n",
    })
    code, out, _ = run(capsys, "--output-format", "concise")
    assert (code, lines(out)) == (0, [])


def test_ddcompat_toml_wins_over_pyproject(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\n\n[tool.ddcompat]\nignore = ["DDC101"]\n',
        "ddcompat.toml": 'ignore = ["DDC901"]\n',
        "requirements.txt": "ddtrace==1.20.3\nflask==latest\n",
    })
    _, out, _ = run(capsys, "--output-format", "concise")
    assert [code for _, code in codes_at(out)] == ["DDC101"]


def test_unknown_config_key_exits_2_naming_it(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\n\n[tool.ddcompat]\nignored = ["DDC101"]\n',
        "requirements.txt": "ddtrace==1.20.3\n",
    })
    code, out, err = run(capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("ddcompat: error: pyproject.toml:6: [tool.ddcompat] `ignored`: unknown key")
    assert err.count("\n") == 1


def test_bad_config_value_exits_2(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"ddcompat.toml": 'products = ["apm", "rum"]\n', "requirements.txt": "flask\n"})
    code, _, err = run(capsys)
    assert code == 2
    assert "ddcompat.toml:1: config `products`: unknown product 'rum'" in err


def test_explicit_config_file(capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text('ignore = ["DDC1"]\n', encoding="utf-8")
    write(project, {"requirements.txt": "ddtrace==1.20.3\n", "ddcompat.toml": 'select = ["DDC1"]\n'})
    code, out, _ = run(capsys, "--output-format", "concise", "--config", str(config))
    assert (code, lines(out)) == (0, [])
    code, _, err = run(capsys, "--config", str(tmp_path / "nope.toml"))
    assert code == 2
    assert "no such config file" in err


def test_exclude_globs(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {
        "pyproject.toml": (
            '[project]\nname = "p"\nversion = "0"\n\n[tool.ddcompat]\n'
            'exclude = ["legacy", "services/*/requirements-old.txt"]\n'
        ),
        "legacy/requirements.txt": "ddtrace==1.20.3\n",
        "services/api/requirements-old.txt": "ddtrace==1.20.3\n",
        "services/api/requirements.txt": "ddtrace==1.20.3\n",
    })
    _, out, _ = run(capsys, "--output-format", "concise")
    assert codes_at(out) == [("services/api/requirements.txt:1:1", "DDC101")]


def test_skipped_folders_are_not_walked(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {
        ".venv/lib/requirements.txt": "ddtrace==1.20.3\n",
        "node_modules/x/requirements.txt": "ddtrace==1.20.3\n",
        "build/requirements.txt": "ddtrace==1.20.3\n",
        "MANIFEST.in": "include README.md\n",
        "docs/notes.txt": "ddtrace==1.20.3\n",
    })
    code, out, _ = run(capsys, "--output-format", "concise")
    assert (code, lines(out)) == (0, [])


def test_named_file_is_read_whatever_its_name(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"deps/prod.pip": "ddtrace==1.20.3\n"})
    _, out, _ = run(capsys, "--output-format", "concise", "deps/prod.pip")
    assert codes_at(out) == [("deps/prod.pip:1:1", "DDC101")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_is_walked_once(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"app/requirements.txt": "ddtrace==1.20.3\n"})
    try:
        os.symlink(project, project / "app" / "loop", target_is_directory=True)
    except OSError:
        pytest.skip("cannot create symlinks here")
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert codes_at(out) == [("app/requirements.txt:1:1", "DDC101")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_a_finding_not_a_hang(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    os.mkfifo(project / "requirements.txt")
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert codes_at(out) == [("requirements.txt:1:1", "DDC902")]
    assert "not a regular file" in out


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_unreadable_file_is_a_finding(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    path = project / "requirements.txt"
    path.write_text("ddtrace==1.20.3\n", encoding="utf-8")
    path.chmod(0)
    try:
        code, out, _ = run(capsys, "--output-format", "concise")
    finally:
        path.chmod(0o644)
    assert code == 1
    assert codes_at(out) == [("requirements.txt:1:1", "DDC902")]


def test_file_too_large(capsys: pytest.CaptureFixture[str], project: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat import runner

    monkeypatch.setattr(runner, "MAX_FILE_BYTES", 100)
    write(project, {"requirements.txt": "ddtrace==1.20.3\n" + "# padding\n" * 10})
    _, out, _ = run(capsys, "--output-format", "concise")
    assert codes_at(out) == [("requirements.txt:1:1", "DDC902")]
    assert "too large" in out


def test_included_file_reported_once_under_its_own_path(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    write(project, {
        "requirements.txt": "-r shared/base.txt\nflask==3.0.0\n",
        "requirements-dev.txt": "-r shared/base.txt\n-r requirements.txt\n",
        "shared/base.txt": "ddtrace==1.20.3\n",
    })
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert codes_at(out) == [("shared/base.txt:1:1", "DDC101")]


def test_named_file_reports_its_include(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"requirements.txt": "-r shared/base.txt\n", "shared/base.txt": "ddtrace==1.20.3\n"})
    _, out, _ = run(capsys, "--output-format", "concise", "requirements.txt")
    assert codes_at(out) == [("shared/base.txt:1:1", "DDC101")]


def test_marker_that_cannot_hold_is_skipped(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {
        "requirements.txt": (
            'ddtrace==1.20.3; python_version < "3.8"\n'
            'ddtrace>=4.0; python_version >= "3.8"\n'
        ),
        ".python-version": "3.12\n",
    })
    code, out, _ = run(capsys, "--output-format", "concise")
    assert (code, lines(out)) == (0, [])
    # Without a known Python, nothing is skipped.
    (project / ".python-version").unlink()
    _, out, _ = run(capsys, "--output-format", "concise")
    assert codes_at(out) == [("requirements.txt:1:1", "DDC101")]
    # --python overrides .python-version
    (project / ".python-version").write_text("3.12\n", encoding="utf-8")
    _, out, _ = run(capsys, "--output-format", "concise", "--python", "3.7")
    assert codes_at(out) == [("requirements.txt:1:1", "DDC101")]


def test_findings_are_sorted_and_deduplicated(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {
        "b/requirements.txt": "ddtrace==1.20.3\nflask==latest\n",
        "a/requirements.txt": "flask==latest\nddtrace==1.20.3\n",
    })
    _, out, _ = run(capsys, "--output-format", "concise", "b", "a", "a/requirements.txt", ".")
    assert codes_at(out) == [
        ("a/requirements.txt:1:8", "DDC901"),
        ("a/requirements.txt:2:1", "DDC101"),
        ("b/requirements.txt:1:1", "DDC101"),
        ("b/requirements.txt:2:8", "DDC901"),
    ]


def test_output_file_and_json(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"requirements.txt": "ddtrace==1.20.3\n"})
    code, out, _ = run(capsys, "--output-format", "json", "-o", "report.json")
    assert code == 1
    assert out == ""
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    found = [(item["path"], item["line"], item["code"]) for item in report]
    assert found == [("requirements.txt", 1, "DDC101")]


def test_full_output_shows_the_source_line(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"requirements.txt": "# deps\nddtrace==1.20.3  # pinned\n"})
    _, out, _ = run(capsys)
    assert "ddtrace==1.20.3  # pinned" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_colour_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat.runner import use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert use_color(Tty(), None) is True
    assert use_color(object(), None) is False
    assert use_color(Tty(), "out.txt") is False
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_color(object(), None) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(Tty(), None) is False


def _narrowing_check(context: ProjectContext, rules: object) -> list[Finding]:
    """A stand-in check: every ddtrace declaration should be `>=4` (with what fixes need)."""
    from packaging.specifiers import SpecifierSet

    target = SpecifierSet(">=4").to_range()
    found = []
    for result in context.checked_results():
        for decl in context.active(result):
            if decl.name == "ddtrace" and not decl.admitted.is_subset(target):
                found.append(Finding(code="DDC103", level=Level.WARNING, message="admits old ddtrace",
                                     path=result.path, span=decl.span, package=decl.name, subject=decl,
                                     target=target, declared=decl.declared))
    return found


@pytest.fixture
def narrowing_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat import runner

    monkeypatch.setattr(runner, "load_checks", lambda: (_narrowing_check,))


@pytest.mark.usefixtures("narrowing_check")
def test_diff_writes_nothing(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"requirements.txt": "ddtrace>=1.0\n"})
    code, out, _ = run(capsys, "--diff")
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "ddtrace>=1.0\n"
    assert code == 1
    assert out.startswith("--- a/requirements.txt\n+++ b/requirements.txt\n")
    assert "-ddtrace>=1.0\n+ddtrace>=4" in out


@pytest.mark.usefixtures("narrowing_check")
def test_fix_rewrites_and_reports_what_is_left(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write(project, {"requirements.txt": "ddtrace>=1.0  # keep me\nflask==latest\n"})
    code, out, err = run(capsys, "--fix", "--output-format", "concise")
    text = (project / "requirements.txt").read_text(encoding="utf-8")
    assert text.endswith("  # keep me\nflask==latest\n")
    assert text.startswith("ddtrace>=4")
    assert "fixed 1 finding in 1 file" in err
    assert codes_at(out) == [("requirements.txt:2:8", "DDC901")]
    assert code == 1
    # A second run finds nothing left to fix.
    code, out, err = run(capsys, "--fix", "--output-format", "concise")
    assert "fixed" not in err
    assert codes_at(out) == [("requirements.txt:2:8", "DDC901")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_dangling_symlink_is_a_finding(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    try:
        os.symlink(project / "gone.txt", project / "requirements.txt")
    except OSError:
        pytest.skip("cannot create symlinks here")
    code, out, _ = run(capsys, "--output-format", "concise")
    assert code == 1
    assert codes_at(out) == [("requirements.txt:1:1", "DDC902")]
    assert "cannot read the file" in out


def test_closed_pipe_ends_quietly(project: Path) -> None:
    import subprocess

    write(project, {"requirements.txt": "".join(f"ddtrace==1.{minor}.0\n" for minor in range(600))})
    process = subprocess.Popen(
        [sys.executable, "-m", "ddcompat", "check", "--output-format", "concise"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=project,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    error = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == 1
    assert first.startswith(b"requirements.txt:1:1: error: DDC101")
    assert error == b""


def test_the_command_flushes_everything_before_its_fast_exit(project: Path) -> None:
    # `python -m ddcompat` (like the `ddcompat` script) ends with os._exit: nothing may be lost to it.
    import json
    import subprocess

    write(project, {"requirements.txt": "".join(f"ddtrace==1.{minor}.0\n" for minor in range(300))})
    command = [sys.executable, "-m", "ddcompat", "check", "--output-format", "json"]
    piped = subprocess.run(command, capture_output=True, cwd=project, check=False, timeout=120)
    assert piped.returncode == 1 and piped.stderr == b""
    assert len(json.loads(piped.stdout)) == 300
    written = subprocess.run([*command, "-o", "report.json"], capture_output=True, cwd=project, check=False,
                             timeout=120)
    assert written.returncode == 1 and written.stdout == b"" and written.stderr == b""
    assert json.loads((project / "report.json").read_bytes()) == json.loads(piped.stdout)
    usage = subprocess.run([sys.executable, "-m", "ddcompat", "check", "--bogus"], capture_output=True,
                           cwd=project, check=False, timeout=120)
    assert usage.returncode == 2 and usage.stderr == b"ddcompat: error: unrecognized arguments: --bogus\n"


def test_a_run_leaves_no_reference_cycles_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Declarations, spans and findings are freed by reference counting as each project is done; the
    # collector is tuned down during a run on that ground (runner._CollectorTuned). A cycle through them
    # (as a self-calling closure once made) would leave garbage growing with the tree.
    import gc

    from ddcompat.options import CheckOptions
    from ddcompat.runner import collect

    def garbage_after(projects: int) -> int:
        root = tmp_path / f"tree-{projects}"
        for number in range(projects):
            folder = root / f"service-{number}"
            folder.mkdir(parents=True)
            (folder / "requirements.txt").write_text(
                "-r common.txt\nddtrace==1.20.3\naiopg==1.4.0 ; python_version >= '3.9'\n")
            (folder / "common.txt").write_text("flask>=0.5\n")
            (folder / "pyproject.toml").write_text(
                '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.8"\n'
                'dependencies = ["django>=1.0"]\n')
        monkeypatch.setenv("DDCOMPAT_WORKERS", "1")
        options = CheckOptions(paths=(str(root),), output_format="concise")
        gc.collect()
        enabled = gc.isenabled()
        gc.disable()
        try:
            findings, _run = collect(options)
            assert findings
            del findings, _run
            return gc.collect()
        finally:
            if enabled:
                gc.enable()

    garbage_after(3)  # caches and first-use work
    assert garbage_after(40) < 200
