"""The embedded rule set as the checks see it: its content, its lookup helpers, and broken rule files."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from packaging.version import Version

from ddcompat.errors import UsageError
from ddcompat.ruleset import load as load_module
from ddcompat.ruleset.build import RULE_FILES
from ddcompat.ruleset.load import load_ruleset, rules_dir
from ddcompat.ruleset.model import RuleSet, SupportLevel
from ddcompat.ruleset.ranges import specifier_range


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_ruleset()


def test_rules_dir_is_the_checkout_folder() -> None:
    assert (rules_dir() / "releases.toml").is_file()
    assert (rules_dir() / "names.toml").is_file()


def test_loaded_once_per_process() -> None:
    assert load_ruleset() is load_ruleset()
    assert load_ruleset(rules_dir()) is load_ruleset(rules_dir())


def test_branches(rules: RuleSet) -> None:
    assert [(b.name, b.specifier, b.level, b.end_date, b.min_agent) for b in rules.branches] == [
        ("4.x", ">=4.0,<5", SupportLevel.GENERAL_AVAILABILITY, None, "7.28"),
        ("3.x", ">=3.0,<4", SupportLevel.MAINTENANCE, datetime.date(2026, 5, 31), "7.28"),
        ("2.x", ">=2.0,<3", SupportLevel.END_OF_LIFE, None, "7.28"),
        ("1.x and older", "<2", SupportLevel.END_OF_LIFE, None, None),
    ]
    maintenance = rules.branches[1]
    assert maintenance.level_text == "Maintenence (until May 31, 2026)"  # the page's spelling, kept
    assert maintenance.level_on(datetime.date(2026, 5, 31)) is SupportLevel.MAINTENANCE
    assert maintenance.level_on(datetime.date(2026, 6, 1)) is SupportLevel.END_OF_LIFE
    assert maintenance.source.cite() == "APM page, Releases"
    assert [policy.level_text for policy in rules.support_levels] == [
        "General Availability (GA)",
        "Maintenance",
        "End of Life (EOL)",
    ]


def test_runtimes(rules: RuleSet) -> None:
    assert len(rules.runtimes) == 12
    linux4 = rules.runtimes[0]
    assert (linux4.os, linux4.cpus, linux4.python_specifier, linux4.tracer_specifier) == (
        "Linux",
        ("x86-64", "AArch64"),
        ">=3.9",
        ">=4,<5",
    )
    oldest = rules.runtimes[-1]
    assert oldest.python_text == "2.7, 3.5-3.11"
    assert "2.7.18" in oldest.python_range and "3.11.9" in oldest.python_range
    assert "3.4" not in oldest.python_range and "3.12.0" not in oldest.python_range
    assert [r.python_specifier for r in rules.runtimes[6:9]] == [">=3.7,<3.14"] * 3
    assert "i686" not in linux4.cpus and "i686" in rules.runtimes[3].cpus


def test_runtimes_for_a_branch(rules: RuleSet) -> None:
    for branch in rules.branches:
        assert [runtime.os for runtime in rules.runtimes_for(branch)] == ["Linux", "MacOS", "Windows"]


def test_all_62_integration_rows(rules: RuleSet) -> None:
    tables = [row.source.table for row in rules.integrations]
    assert len(rules.integrations) == 62
    assert tables.count("Web framework compatibility") == 17
    assert tables.count("Datastore compatibility") == 25
    assert tables.count("Library compatibility") == 20
    assert all(row.source.page == "apm" and row.source.row == row.page_name for row in rules.integrations)


@pytest.mark.parametrize(
    ("key", "supported", "specifier"),
    [
        ("aiopg", ">= 0.12.0, <= 0.16", ">=0.12.0,<=0.16"),
        ("requests", ">= 2.08", ">=2.8"),
        ("gunicorn", ">= 20.0.04", ">=20.0.4"),
        ("sqlite3", "Fully Supported", ""),
        ("pylons", ">= 0.9.6 (dd-trace-py 1.x only)", ">=0.9.6"),
    ],
)
def test_integration_ranges(rules: RuleSet, key: str, supported: str, specifier: str) -> None:
    row = rules.integration(key)
    assert row is not None
    assert (row.supported_text, row.specifier) == (supported, specifier)


def test_integration_details(rules: RuleSet) -> None:
    aiopg = rules.integration("aiopg")
    assert aiopg is not None
    assert "0.16.0" in aiopg.range and "0.16.0+local" in aiopg.range and "1.4.0" not in aiopg.range
    pylons = rules.integration("pylons")
    assert pylons is not None and pylons.restriction_text == "dd-trace-py 1.x only"
    assert pylons.tracer_restriction == ">=1,<2" and pylons.tracer_range is not None
    assert "1.20.19" in pylons.tracer_range and "2.0.0" not in pylons.tracer_range
    asyncio = rules.integration("asyncio")
    assert asyncio is not None
    assert (asyncio.automatic, asyncio.automatic_text, asyncio.stdlib) == (True, "> Python 3.7 yes", True)
    assert "0.0.1" in asyncio.range  # Fully Supported: no bound
    server = rules.integration("aiohttp-server")
    assert server is not None and not server.automatic
    mysql = rules.integration("mysqlclient")
    assert mysql is not None and (mysql.module, mysql.import_modules) == ("mysqldb", ("MySQLdb",))
    assert mysql.docs_url.endswith("#module-ddtrace.contrib.mysqldb")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("redis", "redis"),
        ("redis-py-cluster", "redis-py-cluster"),
        ("Flask_Caching", "flask-cache"),
        ("Flask-Cache", "flask-cache"),
        ("psycopg2-binary", "psycopg"),
        ("psycopg", "psycopg"),
        ("grpcio", "grpc"),
        ("boto", "boto2"),
        ("python-consul", "consul"),
        ("vertica-python", "vertica"),
        ("mysql-connector-python", "mysql-connector"),
        ("MySQL-python", "mysql-python"),
        ("opensearch-py", "opensearch"),
        ("elasticsearch7", "elasticsearch"),
        ("aiohttp", "aiohttp-client"),
        ("cassandra-driver", "cassandra"),
    ],
)
def test_integration_for_distribution(rules: RuleSet, name: str, key: str) -> None:
    row = rules.integration_for_distribution(name)
    assert row is not None and row.key == key


def test_distributions_without_a_row(rules: RuleSet) -> None:
    for name in ("numpy", "boto3", "sqlite3", "asyncio", "futures", "ddtrace"):
        assert rules.integration_for_distribution(name) is None
    assert [row.key for row in rules.integrations_for_distribution("AIOHTTP")] == [
        "aiohttp-client",
        "aiohttp-server",
    ]


@pytest.mark.parametrize(
    ("version", "branch"),
    [("4.16.0", "4.x"), ("4.0", "4.x"), ("3.19.9", "3.x"), ("2.21.12", "2.x"), ("1.20.19", "1.x and older"),
     ("0.60.0", "1.x and older"), (Version("4.1.0"), "4.x")],
)
def test_branch_for(rules: RuleSet, version: str | Version, branch: str) -> None:
    found = rules.branch_for(version)
    assert found is not None and found.name == branch


def test_branch_for_unknown_versions(rules: RuleSet) -> None:
    assert rules.branch_for("5.0.0") is None
    assert rules.branch_for("latest") is None


def test_code_security(rules: RuleSet) -> None:
    security = rules.code_security
    assert (security.sca_minimum, security.iast_minimum, security.iast_preview) == ("1.5.0", "2.21.0", True)
    assert [(f.distribution, f.minimum) for f in security.iast_frameworks] == [
        ("django", "2.2"),
        ("fastapi", "0.86"),
        ("flask", "1.1"),
    ]
    assert [(d.key, d.threat_detection, d.sca, d.iast) for d in security.deployments] == [
        ("docker", True, True, "preview"),
        ("kubernetes", True, True, "preview"),
        ("ecs", True, True, "preview"),
        ("fargate", True, True, "preview"),
        ("aws-lambda", True, False, "no"),
    ]
    assert security.unsupported_sites == ("ddog-gov.com",)
    assert security.sca_source.cite() == "Code Security page, Code Security capabilities support"
    framework = rules.iast_framework_for("Django")
    assert framework is not None and framework.minimum == "2.2"
    assert rules.iast_framework_for("bottle") is None
    lam = rules.deployment("aws-lambda")
    assert lam is not None and lam.page_name == "AWS Lambda"
    assert rules.site_unsupported("app.ddog-gov.com") and rules.site_unsupported("DDOG-GOV.COM")
    assert not rules.site_unsupported("datadoghq.com") and not rules.site_unsupported("datadoghq.eu")


def test_agent_notes(rules: RuleSet) -> None:
    assert (rules.agent.redis_auth_min_agent, rules.agent.lambda_extension_min) == ("7.76.1", "v28.0.0")
    assert rules.agent.source.page == "apm"


def test_tracer_versions_are_attached(rules: RuleSet) -> None:
    if not (rules_dir() / "tracer").is_dir():
        pytest.skip("no tracer-aware rules in this checkout")
    assert rules.tracer_versions
    versions = [Version(tracer.version) for tracer in rules.tracer_versions]
    assert versions == sorted(versions)


def test_loading_builds_no_version_range() -> None:
    """Ranges are built when a check asks, not on every run's load."""
    before = specifier_range.cache_info().currsize
    load_module._load(rules_dir())
    assert specifier_range.cache_info().currsize == before


# --- broken rule files --------------------------------------------------------------------------------


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    for name in RULE_FILES:
        shutil.copy(rules_dir() / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copy_loads(copy: Path) -> None:
    assert load_ruleset(copy).integrations == load_ruleset().integrations


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("integrations.toml", 'key = "aiopg"', 'key = "aiopg', r"integrations\.toml: invalid TOML"),
        (
            "integrations.toml",
            'specifier = ">=0.12.0,<=0.16"',
            'specifier = ">=0.12.0,<=zero"',
            r"integrations\.toml: \[\[integration\]\] #32 \(aiopg\): key 'specifier': not a PEP 440",
        ),
        (
            "integrations.toml",
            'specifier = ">=0.12.0,<=0.16"\n',
            "",
            r"integrations\.toml: \[\[integration\]\] #32 \(aiopg\): key 'specifier': missing",
        ),
        (
            "integrations.toml",
            'distributions = ["aiopg"]',
            'distributions = ["AioPG"]',
            r"key 'distributions': 'AioPG' is not PEP 503 normalised",
        ),
        (
            "integrations.toml",
            "automatic = true",
            'automatic = "yes"',
            r"\[\[integration\]\] #2 \(aiohttp-client\): key 'automatic': expected true or false, got str",
        ),
        (
            "releases.toml",
            "end_date = 2026-05-31",
            'end_date = "2026-13-01"',
            r"releases\.toml: \[\[branch\]\] #2 \(>=3\.0,<4\): key 'end_date': expected a date",
        ),
        (
            "releases.toml",
            "end_date = 2026-05-31",
            "end_date = 2026-05-31T10:00:00",
            r"releases\.toml: .*key 'end_date': expected a date",
        ),
        ("releases.toml", "end_date = 2026-05-31", "end_date = 2026-13-01", r"releases\.toml: invalid TOML"),
        (
            "releases.toml",
            'level = "maintenance"',
            'level = "mostly-fine"',
            r"releases\.toml: .*key 'level': expected one of",
        ),
        ("releases.toml", 'min_agent = "7.28"', 'min_agent = "seven"', r"key 'min_agent': not a version"),
        (
            "runtimes.toml",
            'python_specifier = "==2.7.*||>=3.5,<3.12"',
            'python_specifier = "==2.7.*||3.5+"',
            r"runtimes\.toml: .*key 'python_specifier': not a PEP 440",
        ),
        ("code_security.toml", 'minimum = "1.5.0"', 'minimum = "one"', r"code_security\.toml: \[sca\]: key"),
        ("code_security.toml", 'iast = "preview"', 'iast = "maybe"', r"key 'iast': expected one of"),
        ("agent.toml", "[redis_auth]", "[redis]", r"agent\.toml: \[redis_auth\]: missing"),
        ("releases.toml", 'page = "apm"', 'page = "blog"', r"key 'page': expected one of apm, code-security"),
    ],
)
def test_a_broken_rule_file_names_file_and_key(
    copy: Path, file: str, old: str, new: str, message: str
) -> None:
    _edit(copy / file, old, new)
    with pytest.raises(UsageError, match=message) as raised:
        load_ruleset(copy)
    assert str(raised.value).startswith("broken rule")
    assert str(copy / file) in str(raised.value)


def test_a_missing_rule_file(copy: Path) -> None:
    (copy / "agent.toml").unlink()
    with pytest.raises(UsageError, match=r"agent\.toml is missing"):
        load_ruleset(copy)


def test_no_branches_is_broken(copy: Path) -> None:
    text = (copy / "releases.toml").read_text(encoding="utf-8")
    (copy / "releases.toml").write_text(text.replace("[[branch]]", "[[old_branch]]"), encoding="utf-8")
    with pytest.raises(UsageError, match=r"no \[\[branch\]\] entries"):
        load_ruleset(copy)
