"""Whole example projects for the tracer-aware codes (DDC311, DDC312) and for where the page and the tracer
disagree (DDC301's note, DDC304), checked end to end through `ddcompat.cli.main` with the embedded rules.

Only the integration family's findings (DDC3xx) are compared: the other families have projects of their own.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ddcompat.cli import main

PROJECTS = Path(__file__).resolve().parent / "projects"
TODAY = "2026-11-21"
Check = Callable[[str], list[dict[str, object]]]


def run(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, object]]:
    project = tmp_path / folder.name
    shutil.copytree(folder, project)
    (project / ".git").mkdir(exist_ok=True)  # nothing above joins the project
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", "--output-format", "json", "--today", TODAY, "."])
    findings: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return [finding for finding in findings if str(finding["code"]).startswith("DDC3")]


def places(findings: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(f["path"], f["line"], f["column"], f["code"], f["package"]) for f in findings]


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Check:
    def _check(name: str) -> list[dict[str, object]]:
        return run(PROJECTS / name, tmp_path, monkeypatch, capsys)

    return _check


def test_upgrading_to_4_with_cassandra_in_the_lock_says_its_traces_stop(check: Check) -> None:
    findings = check("tracer-ddc311-upgrade-to-4")
    assert places(findings) == [
        ("pyproject.toml", 7, 6, "DDC311", "cassandra-driver"),
        ("pyproject.toml", 8, 6, "DDC311", "mongoengine"),
        ("uv.lock", 6, 1, "DDC311", "cassandra-driver"),
        ("uv.lock", 16, 1, "DDC311", "mongoengine"),
    ]
    lock = findings[2]
    assert lock["level"] == "error"
    message = str(lock["message"])
    assert "ddtrace 4.2.0 has no cassandra integration, so cassandra-driver is not traced" in message
    assert "ddtrace 3.19.9, the last release ddcompat knows with one, had it" in message
    assert "judged on 4.0.0, the nearest release ddcompat knows below it" in message


def test_the_same_project_on_ddtrace_3_keeps_its_integrations(check: Check) -> None:
    assert [f for f in check("tracer-ddc311-still-on-3") if f["code"] in ("DDC311", "DDC312")] == []


def test_pylons_is_gone_from_2_4_on_whatever_the_page_says(check: Check) -> None:
    findings = check("tracer-ddc311-pylons")
    assert places(findings) == [
        ("requirements.txt", 3, 1, "DDC303", "pylons"),
        ("requirements.txt", 3, 1, "DDC311", "pylons"),
    ]
    assert "judged on 2.4.0" in str(findings[1]["message"])
    assert "ddtrace 2.3.5, the last release ddcompat knows with one, had it" in str(findings[1]["message"])
    # Before 2.4.0 ddtrace still had the integration: the page's "1.x only" (DDC303) stands alone.
    assert [f["code"] for f in check("tracer-pylons-before-removal")] == ["DDC303"]


def test_library_versions_outside_the_tracers_own_specifiers(check: Check) -> None:
    findings = check("tracer-ddc312-requirements")
    assert places(findings) == [
        ("requirements.txt", 2, 1, "DDC312", "django"),
        ("requirements.txt", 3, 1, "DDC312", "psycopg2"),
        ("requirements.txt", 4, 1, "DDC312", "confluent-kafka"),  # not on the page at all
        ("requirements.txt", 5, 1, "DDC312", "openai"),  # not on the page at all
        ("requirements.txt", 6, 1, "DDC312", "requests"),
    ]
    assert {f["level"] for f in findings} == {"warning"}
    django = str(findings[0]["message"])
    assert django.startswith(
        "Django==2.0.13 is outside Django>=2.2.8, what ddtrace 4.2.0's django integration"
    )
    assert "judged on 4.0.0" in django and "safe instrumentation" in django
    assert "psycopg2>=2.9.10" in str(findings[1]["message"])
    assert "confluent-kafka>=1.9.2" in str(findings[2]["message"])
    assert "openai>=1.0" in str(findings[3]["message"])
    assert str(findings[4]["message"]).startswith("requests>=2.20 admits versions outside requests>=2.25.1")


def test_where_the_page_and_the_tracer_disagree(check: Check) -> None:
    findings = check("tracer-page-disagrees")
    assert places(findings) == [
        ("requirements.txt", 2, 1, "DDC301", "aiopg"),
        ("requirements.txt", 4, 1, "DDC304", "kombu"),
        ("requirements.txt", 5, 1, "DDC304", "aiohttp"),
    ]
    # The page's finding stays, and says what ddtrace's own integration accepts.
    assert str(findings[0]["message"]).endswith(
        "ddtrace 4.16.0's own aiopg integration accepts aiopg>=0.16.0, "
        "which includes every version declared here"
    )
    # bottle: the page says "no", but ddtrace 4.16.0's PATCH_MODULES enables it: no DDC304. kombu: both say
    # manual. aiohttp (server): its middleware is set up by hand whatever PATCH_MODULES says.
    assert "bottle" not in {f["package"] for f in findings}


def test_a_range_is_judged_on_the_newest_known_release_it_admits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "src" / "range"
    folder.mkdir(parents=True)
    (folder / "requirements.txt").write_text("ddtrace>=3.0\ncassandra-driver==3.29.2\n", encoding="utf-8")
    findings = run(folder, tmp_path / "run", monkeypatch, capsys)
    assert [f["code"] for f in findings] == ["DDC311"]
    assert "judged on 4.16.0, the newest release it admits that ddcompat knows" in str(findings[0]["message"])


def test_a_release_older_than_every_known_one_is_not_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "src" / "old"
    folder.mkdir(parents=True)
    (folder / "requirements.txt").write_text("ddtrace==0.60.0\nDjango==1.11\n", encoding="utf-8")
    assert [
        f["code"] for f in run(folder, tmp_path / "run", monkeypatch, capsys) if f["code"] > "DDC310"
    ] == []


def test_ddc304_says_when_the_tracer_enables_an_integration_only_by_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "src" / "logs"
    folder.mkdir(parents=True)
    (folder / "requirements.txt").write_text(
        "ddtrace==2.21.12\nloguru==0.7.2\nbottle==0.12.25\n", encoding="utf-8"
    )
    findings = run(folder, tmp_path / "run", monkeypatch, capsys)
    assert [(f["code"], f["package"]) for f in findings] == [("DDC304", "loguru")]  # bottle: True in 2.21.12
    assert "ddtrace 2.21.12 enables its loguru integration only when its configuration says so" in str(
        findings[0]["message"]
    )
