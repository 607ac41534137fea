"""The pre-parsed rule set (`rules/**/compiled/*.json`): fresh, equal to the TOML, unused when stale."""

from __future__ import annotations

import datetime
import json
import shutil
import sys
from pathlib import Path

import pytest

from ddcompat.cli import main
from ddcompat.ruleset import compiled
from ddcompat.ruleset.load import load_ruleset, rules_dir
from ddcompat.ruleset.tracer_load import load_tracer_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = rules_dir()


def test_embedded_compiled_form_is_fresh() -> None:
    """Run `ddcompat rules compile` after changing any rule file (this fails until then)."""
    assert compiled.stale(RULES) == []


@pytest.mark.parametrize("path", compiled.rule_files(RULES), ids=lambda path: path.name)
def test_every_compiled_file_equals_its_toml(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    raw = compiled.compiled_path(path).read_text(encoding="utf-8")
    document = json.loads(raw, object_hook=compiled._undate)
    assert document["checksum"] == compiled.digest(text)
    assert document["data"] == tomllib.loads(text)
    assert compiled.loads(path, text) == tomllib.loads(text)


def test_dates_round_trip() -> None:
    data = compiled.loads(RULES / "releases.toml", (RULES / "releases.toml").read_text(encoding="utf-8"))
    dates = [branch["end_date"] for branch in data["branch"] if "end_date" in branch]
    assert dates and all(type(date) is datetime.date for date in dates)


def test_times_are_refused() -> None:
    with pytest.raises(TypeError):
        compiled.render("at = 07:32:00\n")


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    return copy


def test_edited_toml_is_parsed_not_the_stale_compiled_form(rules_copy: Path) -> None:
    path = rules_copy / "agent.toml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace('min_agent = "', 'min_agent = "9', 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    assert compiled.loads(path, edited) == tomllib.loads(edited)
    assert compiled.stale(rules_copy) == [compiled.compiled_path(path)]
    ruleset = load_ruleset(rules_copy)
    assert ruleset.agent.redis_auth_min_agent.startswith("9")


def test_an_edit_of_the_same_length_is_detected(rules_copy: Path) -> None:
    path = rules_copy / "agent.toml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("7.76.1", "7.76.2", 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    assert load_ruleset(rules_copy).agent.redis_auth_min_agent == "7.76.2"


def test_damaged_or_foreign_compiled_files_are_ignored(rules_copy: Path) -> None:
    path = rules_copy / "releases.toml"
    text = path.read_text(encoding="utf-8")
    target = compiled.compiled_path(path)
    foreign = json.dumps({"schema": 99, "checksum": compiled.digest(text), "data": {}})
    for damage in ("{not json", "[]", foreign):
        target.write_text(damage, encoding="utf-8")
        assert compiled.loads(path, text) == tomllib.loads(text)


def test_broken_toml_without_compiled_form_still_raises(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    with pytest.raises(tomllib.TOMLDecodeError):
        compiled.loads(path, "= broken")


def test_rule_set_is_the_same_with_and_without_the_compiled_form(rules_copy: Path) -> None:
    shutil.rmtree(rules_copy / "compiled")
    shutil.rmtree(rules_copy / "tracer" / "compiled")
    from_toml = load_ruleset(rules_copy)
    from_compiled = load_ruleset()
    assert from_toml._replace(tracer_versions=()) == from_compiled._replace(tracer_versions=())
    newest = from_toml.tracer_versions[-1].version
    assert load_tracer_file(rules_copy / "tracer" / f"ddtrace-{newest}.toml") == load_tracer_file(
        RULES / "tracer" / f"ddtrace-{newest}.toml"
    )


def test_compile_command_writes_checks_and_prunes(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(rules_copy / "compiled")
    orphan = rules_copy / "tracer" / "compiled" / "ddtrace-0.1.0.json"
    orphan.write_text("{}", encoding="utf-8")
    assert main(["rules", "compile", "--check", str(rules_copy)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert main(["rules", "compile", str(rules_copy)]) == 0
    assert not orphan.exists()
    assert main(["rules", "compile", "--check", str(rules_copy)]) == 0
    for path in compiled.rule_files(rules_copy):
        assert compiled.compiled_path(path).read_bytes() == compiled.compiled_path(
            RULES / path.relative_to(rules_copy)
        ).read_bytes()


def test_compile_command_refuses_a_folder_that_is_not_a_rule_set(tmp_path: Path) -> None:
    assert main(["rules", "compile", str(tmp_path)]) == 2
