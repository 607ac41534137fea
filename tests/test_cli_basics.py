"""The command line's own behaviour: version, rule explanations, option validation, exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ddcompat import __version__
from ddcompat.catalog import CODES, RULES
from ddcompat.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"ddcompat {__version__}\n"


def test_python_dash_m_runs_the_same_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "ddcompat", "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert completed.stdout == f"ddcompat {__version__}\n"


def test_rule_explains_one_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "ddc301"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DDC301 integration-unsupported-version (error)\n")
    assert "Source:  APM page" in out
    assert "Fix:" in out


def test_rule_all_explains_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "--all"]) == 0
    out = capsys.readouterr().out
    for rule in RULES:
        assert f"{rule.code} {rule.name} ({rule.level.value})" in out


def test_catalog_codes_are_unique_and_complete() -> None:
    expected = {
        "DDC101", "DDC102", "DDC103", "DDC104", "DDC201", "DDC202", "DDC203", "DDC301", "DDC302", "DDC303",
        "DDC304", "DDC311", "DDC312", "DDC401", "DDC402", "DDC403", "DDC404", "DDC501", "DDC502", "DDC901",
        "DDC902", "DDC903",
    }
    assert set(CODES) == expected
    assert len(CODES) == len(RULES)
    for rule in RULES:
        assert len(rule.summary) < 1024 and len(rule.why) < 1024


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["rule", "DDC999"], "unknown code 'DDC999'"),
        (["rule"], "give either a CODE or --all"),
        (["check", "--select", "XYZ1"], "unknown code or prefix 'XYZ1'"),
        (["check", "--ignore", "DDC9,E501"], "unknown code or prefix 'E501'"),
        (["check", "--today", "21/11/2026"], "not a date"),
        (["check", "--products", "apm,rum"], "unknown product 'rum'"),
        (["check", "--python", "three"], "not a Python version or specifier"),
        (["check", "--output-format", "xml"], "invalid choice"),
        (["check", "--unsafe-fixes"], "--unsafe-fixes needs --fix or --diff"),
        (["check", "--fix", "--diff"], "cannot be combined"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_info:
        code = exit_info.code  # type: ignore[assignment]
    assert code == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert err.count("\n") == 1 or err.startswith("usage:")


@pytest.mark.parametrize("command", ["check", "rule", "rules"])
def test_a_one_command_parser_prints_what_the_full_parser_prints(command: str) -> None:
    from ddcompat.cli import build_parser

    full = build_parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    alone = build_parser(command)._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert alone.format_help() == full.format_help()
    assert alone.format_usage() == full.format_usage()


def test_a_check_run_builds_only_the_check_parser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ddcompat.cli

    built: list[object] = []
    real = ddcompat.cli.build_parser
    monkeypatch.setattr(ddcompat.cli, "build_parser", lambda only=None: built.append(only) or real(only))
    with pytest.raises(SystemExit) as exited:
        main(["check", "--no-such-option"])
    assert exited.value.code == 2 and built == ["check"]
    assert capsys.readouterr().err == "ddcompat: error: unrecognized arguments: --no-such-option\n"
