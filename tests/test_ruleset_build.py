"""`ddcompat rules build`: the pages' text normalised, the embedded rule set reproduced byte for byte,
and --check naming the row that changed."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from conftest import APM_PAGE, CODE_SECURITY_PAGE, REPO, require
from ddcompat.cli import main
from ddcompat.errors import UsageError
from ddcompat.ruleset import build
from ddcompat.ruleset.build import (
    RULE_FILES,
    branch_name,
    build_files,
    normalise_specifier,
    python_specifier,
    support_level,
    tracer_restriction,
)
from ddcompat.ruleset.load import load_ruleset

RULES = REPO / "rules"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (">= 0.12.0, <= 0.16", ">=0.12.0,<=0.16"),
        (">= 2.08", ">=2.8"),
        (">= 20.0.04", ">=20.0.4"),
        ("Fully Supported", ""),
        (">=1.0", ">=1.0"),
        ("== 1.2.*", "==1.2.*"),
    ],
)
def test_normalise_specifier(text: str, expected: str) -> None:
    assert normalise_specifier(text) == expected


@pytest.mark.parametrize("text", ["latest", ">= two", "1.0 or later", ">=1.0,"])
def test_normalise_specifier_rejects_prose(text: str) -> None:
    with pytest.raises(ValueError):
        normalise_specifier(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.9+", ">=3.9"),
        ("3.7-3.13", ">=3.7,<3.14"),
        ("2.7, 3.5-3.11", "==2.7.*||>=3.5,<3.12"),
        ("3.8", "==3.8.*"),
        ("3", "==3.*"),
        ("3.8.1-3.8.9", ">=3.8.1,<=3.8.9"),
    ],
)
def test_python_specifier(text: str, expected: str) -> None:
    assert python_specifier(text) == expected


def test_python_specifier_rejects_prose() -> None:
    with pytest.raises(ValueError):
        python_specifier("CPython 3 and newer")


@pytest.mark.parametrize(
    ("text", "level", "end"),
    [
        ("General Availability", "general-availability", None),
        ("Maintenence (until May 31, 2026)", "maintenance", datetime.date(2026, 5, 31)),
        ("Maintenance (until December 1, 2027)", "maintenance", datetime.date(2027, 12, 1)),
        ("End of Life", "end-of-life", None),
    ],
)
def test_support_level(text: str, level: str, end: datetime.date | None) -> None:
    assert support_level(text) == (level, end)


@pytest.mark.parametrize("text", ["Beta", "Maintenance (until Smarch 3, 2026)"])
def test_support_level_rejects_unknown_text(text: str) -> None:
    with pytest.raises(ValueError):
        support_level(text)


@pytest.mark.parametrize(
    ("specifier", "name"),
    [(">=4.0,<5", "4.x"), (">=3.0,<4", "3.x"), ("<2", "1.x and older"), (">=2.1,<3", ">=2.1,<3")],
)
def test_branch_name(specifier: str, name: str) -> None:
    assert branch_name(specifier) == name


def test_tracer_restriction() -> None:
    assert tracer_restriction("dd-trace-py 1.x only") == ">=1,<2"
    with pytest.raises(ValueError):
        tracer_restriction("not on Tuesdays")


def test_embedded_rules_are_exactly_what_build_writes(tmp_path: Path) -> None:
    apm, security = str(require(APM_PAGE)), str(require(CODE_SECURITY_PAGE))
    assert main(["rules", "build", apm, security, "--output", str(tmp_path)]) == 0
    for name in RULE_FILES:
        assert (tmp_path / name).read_bytes() == (RULES / name).read_bytes(), name
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*RULE_FILES, "compiled"])
    # ...and its pre-parsed form, the same as the embedded one, so a rebuilt rule set loads at full speed.
    for path in sorted((tmp_path / "compiled").iterdir()):
        assert path.read_bytes() == (RULES / "compiled" / path.name).read_bytes(), path.name
    # What it wrote is a complete rule set on its own (the tracer-aware part lives in rules/tracer/).
    assert load_ruleset(tmp_path) == load_ruleset()._replace(tracer_versions=())


def test_build_is_deterministic() -> None:
    apm, security = str(require(APM_PAGE)), str(require(CODE_SECURITY_PAGE))
    first, _ = build_files(apm, security, RULES / "names.toml")
    second, _ = build_files(apm, security, RULES / "names.toml")
    assert [rule.render() for rule in first] == [rule.render() for rule in second]


def test_check_passes_on_the_seed_pages(capsys: pytest.CaptureFixture[str]) -> None:
    apm, security = str(require(APM_PAGE)), str(require(CODE_SECURITY_PAGE))
    assert main(["rules", "build", apm, security, "--check"]) == 0
    assert "matches the pages" in capsys.readouterr().out


def _edited_apm(tmp_path: Path, old: str, new: str) -> str:
    text = require(APM_PAGE).read_text(encoding="utf-8")
    assert old in text
    page = tmp_path / "apm.md"
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(page)


def test_check_names_the_row_that_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    apm = _edited_apm(tmp_path, r"\>= 0.12.0, <= 0.16", r"\>= 0.12.0, <= 0.17")
    assert main(["rules", "build", apm, str(require(CODE_SECURITY_PAGE)), "--check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "integrations: aiopg: supported '>= 0.12.0, <= 0.16' -> '>= 0.12.0, <= 0.17'" in out
    assert "integrations: aiopg: specifier '>=0.12.0,<=0.16' -> '>=0.12.0,<=0.17'" in out
    # Only that row differs.
    assert [line for line in out if line.startswith(("releases", "runtimes", "agent", "code_security"))] == []


def test_check_reports_added_and_removed_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    apm = _edited_apm(tmp_path, "| `<2`       | End of Life                      |\n", "")
    assert main(["rules", "build", apm, str(require(CODE_SECURITY_PAGE)), "--check"]) == 1
    assert "releases: <2: removed (branch)" in capsys.readouterr().out


def test_check_reports_a_changed_end_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    apm = _edited_apm(tmp_path, "(until May 31, 2026)", "(until August 31, 2026)")
    assert main(["rules", "build", apm, str(require(CODE_SECURITY_PAGE)), "--check"]) == 1
    out = capsys.readouterr().out
    assert "releases: >=3.0,<4: end_date 2026-05-31 -> 2026-08-31" in out


def test_a_page_without_tables_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "empty.md"
    page.write_text("# Nothing here\n\nJust prose.\n", encoding="utf-8")
    assert main(["rules", "build", str(page), str(require(CODE_SECURITY_PAGE)), "--check"]) == 2
    err = capsys.readouterr().err
    assert "no recognisable tables" in err and "empty.md" in err


def test_pages_in_the_wrong_order_are_a_usage_error() -> None:
    with pytest.raises(UsageError, match="not the APM page"):
        build_files(str(require(CODE_SECURITY_PAGE)), str(require(APM_PAGE)), RULES / "names.toml")


def test_a_missing_page_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["rules", "build", str(tmp_path / "nope.md"), str(tmp_path / "nope2.md")]) == 2


def test_an_unreadable_range_names_page_line_and_row(tmp_path: Path) -> None:
    apm = _edited_apm(tmp_path, r"\>= 2.6 ", "two six ")
    with pytest.raises(UsageError, match=r"apm\.md:\d+: Redis: not a version range"):
        build_files(apm, str(require(CODE_SECURITY_PAGE)), RULES / "names.toml")


def test_a_new_row_needs_a_names_entry(tmp_path: Path) -> None:
    row = "| [Kafka](https://kafka.apache.org) | \\>= 1.0 | yes | [docs](https://example.org) |\n"
    apm = _edited_apm(tmp_path, "| [aiobotocore]", row + "| [aiobotocore]")
    with pytest.raises(UsageError, match=r"names\.toml has no entry \[kafka\]"):
        build_files(apm, str(require(CODE_SECURITY_PAGE)), RULES / "names.toml")


def test_a_stale_names_entry_is_an_error(tmp_path: Path) -> None:
    names = tmp_path / "names.toml"
    names.write_text(
        (RULES / "names.toml").read_text(encoding="utf-8")
        + '\n[kafka]\nrow = "Kafka"\ndistributions = []\nintegration = "kafka"\n'
        + "imports = []\nstdlib = false\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="no longer has: kafka"):
        build_files(str(require(APM_PAGE)), str(require(CODE_SECURITY_PAGE)), names)


def test_without_flags_it_prints_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "build", str(require(APM_PAGE)), str(require(CODE_SECURITY_PAGE))]) == 0
    out = capsys.readouterr().out
    for name in RULE_FILES:
        assert f"# ==> {name} <==" in out
    assert (RULES / "integrations.toml").read_text(encoding="utf-8") in out
    assert list(tmp_path.iterdir()) == []


def test_the_shared_tables_are_compared_between_pages(tmp_path: Path) -> None:
    text = require(CODE_SECURITY_PAGE).read_text(encoding="utf-8")
    security = tmp_path / "security.md"
    security.write_text(text.replace("| 3.8+            | `>=3, <4`", "| 3.7+            | `>=3, <4`", 1))
    files, warnings = build_files(str(require(APM_PAGE)), str(security), RULES / "names.toml")
    assert warnings == [f"the OS table differs between {APM_PAGE} and {security}; the APM page's is used"]
    assert [rule.render() for rule in files] == [
        (RULES / name).read_text(encoding="utf-8") for name in RULE_FILES
    ]


def test_toml_strings_are_escaped() -> None:
    assert build._toml_string('a "b" \\ c\n\x01') == '"a \\"b\\" \\\\ c\\n\\u0001"'


def test_check_notices_hand_edits_outside_the_data(tmp_path: Path) -> None:
    files, _ = build_files(str(require(APM_PAGE)), str(require(CODE_SECURITY_PAGE)), RULES / "names.toml")
    for rule_file in files:
        (tmp_path / rule_file.name).write_text(rule_file.render(), encoding="utf-8")
    assert build.diff_files(files, tmp_path) == []
    agent = tmp_path / "agent.toml"
    agent.write_text(agent.read_text(encoding="utf-8") + "# a hand-written comment\n", encoding="utf-8")
    assert build.diff_files(files, tmp_path) == [
        f"agent: {agent} differs from what build writes only in layout or comments"
    ]
    agent.unlink()
    assert build.diff_files(files, tmp_path) == [f"agent: {agent} is missing"]


def test_check_keeps_entries_with_the_same_label_apart(tmp_path: Path) -> None:
    def rule_file(first: str, second: str) -> build.RuleFile:
        return build.RuleFile(
            "runtimes.toml",
            "a test",
            [
                build.Entry("runtime", "Linux <2", {"os": "Linux", "tracer_specifier": "<2", "python": py})
                for py in (first, second)
            ],
        )

    (tmp_path / "runtimes.toml").write_text(rule_file("2.7", "3.5").render(), encoding="utf-8")
    assert build.diff_files([rule_file("2.7", "3.6")], tmp_path) == [
        "runtimes: Linux <2 #2: python '3.5' -> '3.6'"
    ]
