"""The shipped `rules/tracer/` data against ../shared/ddtrace-ground-truth/ (derived there from ddtrace's git
tags, here from its wheels), for every release both cover; and the issue's examples, from the data itself."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Optional

import pytest

from conftest import GROUND_TRUTH, require
from ddcompat.ruleset.model import TracerIntegration, TracerVersion
from ddcompat.ruleset.tracer_load import (
    compute_presence,
    embedded_tracer_dir,
    load_tracer_versions,
    presence_of,
)

RELEASES = {release.version: release for release in load_tracer_versions(embedded_tracer_dir())}
REQUIRED = ("1.20.19", "2.21.12", "3.19.9", "4.0.0", "4.16.0")


def _columns(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    with require(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        columns = [name for name in reader.fieldnames or () if name.startswith("v")]
    both = [column for column in columns if column[1:] in RELEASES]
    assert both, f"no release of {path.name} is shipped"
    return rows, both


def _integration(release: TracerVersion, name: str) -> Optional[TracerIntegration]:
    return next((item for item in release.integrations if item.name == name), None)


def test_the_required_releases_are_shipped() -> None:
    assert set(REQUIRED) <= set(RELEASES)


def test_contrib_folders_agree_with_the_ground_truth() -> None:
    rows, columns = _columns(GROUND_TRUTH / "contrib_dirs_by_version.csv")
    for column in columns:
        expected = {row["contrib_dir"] for row in rows if row[column] == "1"}
        assert set(RELEASES[column[1:]].contrib_dirs) == expected, column


def test_runtime_specifiers_agree_with_the_ground_truth() -> None:
    rows, columns = _columns(GROUND_TRUTH / "runtime_supported_versions_by_version.csv")
    for column in columns:
        release = RELEASES[column[1:]]
        for row in rows:
            integration = _integration(release, row["integration"])
            spec = row[column]
            if not spec:
                assert integration is None or row["module_key"] not in integration.specifiers, (column, row)
                continue
            assert integration is not None, (column, row["integration"])
            assert integration.specifiers.get(row["module_key"]) == spec, (column, row)
        shipped = {(item.name, key) for item in release.integrations for key in item.specifiers}
        listed = {(row["integration"], row["module_key"]) for row in rows if row[column]}
        assert shipped == listed, column


def test_patch_modules_agree_with_the_ground_truth() -> None:
    rows, columns = _columns(GROUND_TRUTH / "patch_modules_by_version.csv")
    for column in columns:
        release = RELEASES[column[1:]]
        for row in rows:
            integration = _integration(release, row["integration"])
            value = row[column]
            if integration is None:
                continue  # a PATCH_MODULES key without a contrib folder (the builder warns and leaves it out)
            expected = value[len("expr:") :] if value.startswith("expr:") else value
            assert integration.default == expected, (column, row["integration"])
            assert integration.enabled_by_default == (value == "True"), (column, row["integration"])


def test_hooked_modules_agree_with_the_ground_truth() -> None:
    path = require(GROUND_TRUTH / "modules_for_contrib_by_version.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    checked = 0
    for row in rows:
        release = RELEASES.get(row["ref"].lstrip("v"))
        if release is None:
            continue
        integration = _integration(release, row["integration"])
        assert integration is not None, row
        assert integration.modules == tuple(row["import_modules_hooked"].split()), row
        checked += 1
    assert checked


def test_the_index_agrees_with_the_release_files() -> None:
    assert presence_of(tuple(RELEASES.values())) == compute_presence(tuple(RELEASES.values()))


@pytest.mark.parametrize(
    ("version", "integration", "distribution", "specifier"),
    [
        ("4.0.0", "django", "django", ">=2.2.8"),
        ("4.0.0", "psycopg", "psycopg2", ">=2.9.10"),
        ("4.0.0", "psycopg", "psycopg2-binary", ">=2.9.10"),
        ("3.19.9", "psycopg", "psycopg2", ">=2.8.0"),
        ("4.0.0", "aiopg", "aiopg", ">=0.16.0"),
        ("4.16.0", "kafka", "confluent-kafka", ">=1.9.2"),
        ("4.16.0", "openai", "openai", ">=1.0"),
    ],
)
def test_the_issue_examples_hold_in_the_data(
    version: str, integration: str, distribution: str, specifier: str
) -> None:
    from ddcompat.checks.tracer_aware import specifier_for

    found = _integration(RELEASES[version], integration)
    assert found is not None and distribution in found.distributions
    assert specifier_for(found, distribution) == specifier


def test_removed_integrations_are_absent_where_the_issue_says() -> None:
    presence = compute_presence(tuple(RELEASES.values()))

    def has(distribution: str, version: str) -> bool:
        return version in presence.releases_with(distribution)

    for distribution in ("cassandra-driver", "mongoengine"):
        assert (
            has(distribution, "3.19.9") and not has(distribution, "4.0.0") and not has(distribution, "4.16.0")
        )
    assert has("pylons", "2.3.5") and not has("pylons", "2.4.0") and not has("pylons", "2.21.12")
