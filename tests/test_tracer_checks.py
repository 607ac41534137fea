"""Unit tests of the tracer-aware family: which release's data stands for the ddtrace in use, ddtrace's own
specifier lookup, and the notes DDC301/DDC304 take from it. Rule sets here hold small in-memory releases."""

from __future__ import annotations

import datetime
from typing import Optional

from packaging.ranges import VersionRange
from packaging.specifiers import SpecifierSet

from ddcompat.checks.tracer_aware import (
    integrations_for,
    specifier_for,
    tracer_basis,
    tracer_default,
    tracer_note,
)
from ddcompat.context import TracerInUse
from ddcompat.ruleset.load import load_ruleset
from ddcompat.ruleset.model import RuleSet, TracerIntegration, TracerVersion
from ddcompat.ruleset.tracer_load import compute_presence

TODAY = datetime.date(2026, 11, 21)


def integration(
    name: str,
    distributions: dict[str, str],
    specifiers: Optional[dict[str, str]] = None,
    default: str = "True",
) -> TracerIntegration:
    return TracerIntegration(
        name=name,
        distributions=tuple(sorted(distributions)),
        modules=tuple(dict.fromkeys(distributions.values())),
        specifiers=specifiers or {},
        enabled_by_default=default == "True",
        source=f"ddtrace/contrib/internal/{name}/patch.py",
        default=default,
        distribution_modules=distributions,
    )


def release(version: str, *integrations: TracerIntegration) -> TracerVersion:
    return TracerVersion(version=version, integrations=integrations, source=f"test {version}")


OLD = release(
    "3.0.0",
    integration("cassandra", {"cassandra-driver": "cassandra.cluster"}, {"cassandra": ">=3.24.0"}),
    integration("aiopg", {"aiopg": "aiopg"}),
)
NEW = release(
    "4.0.0",
    integration("aiopg", {"aiopg": "aiopg"}, {"aiopg": ">=0.16.0"}),
    integration("bottle", {"bottle": "bottle"}, {"bottle": ">=0.12"}),
    integration("kombu", {"kombu": "kombu"}, {"kombu": "*"}, default="False"),
    integration("mysqldb", {"mysqlclient": "MySQLdb"}, {"mysqldb": ">=2.0"}),
    integration("psycopg", {"psycopg2": "psycopg2", "psycopg2-binary": "psycopg2"}, {"psycopg2": ">=2.9.10"}),
)
NEWEST = release("4.16.0", *NEW.integrations)


def rules_with(*releases: TracerVersion) -> RuleSet:
    return load_ruleset()._replace(tracer_versions=releases)


def tracer(
    exact: Optional[str] = None, specifier: Optional[str] = None, assumed: bool = False
) -> TracerInUse:
    if exact is not None:
        versions = SpecifierSet(f"=={exact}").to_range()
    elif specifier is not None:
        versions = SpecifierSet(specifier).to_range()
    else:
        versions = VersionRange.full()
    return TracerInUse(versions=versions, exact=exact, assumed=assumed, declaration=None, path=None)


RULES = rules_with(OLD, NEW, NEWEST)


def test_a_locked_release_between_two_known_ones_is_judged_on_the_one_below() -> None:
    basis = tracer_basis(RULES, tracer(exact="4.2.0"), TODAY)
    assert basis is not None and basis.version == "4.0.0"
    assert basis.name == "ddtrace 4.2.0"
    assert basis.judged == "judged on 4.0.0, the nearest release ddcompat knows below it"


def test_a_known_release_is_judged_on_itself_and_says_nothing_more() -> None:
    basis = tracer_basis(RULES, tracer(exact="4.0.0"), TODAY)
    assert basis is not None and (basis.version, basis.judged, basis.aside()) == ("4.0.0", "", "")


def test_a_manifest_pin_counts_as_one_release() -> None:
    basis = tracer_basis(RULES, tracer(specifier="==4.2.0"), TODAY)
    assert basis is not None and (basis.name, basis.version) == ("ddtrace 4.2.0", "4.0.0")


def test_a_range_is_judged_on_the_newest_known_release_it_admits() -> None:
    basis = tracer_basis(RULES, tracer(specifier=">=3.0,<5"), TODAY)
    assert basis is not None and basis.version == "4.16.0"
    assert "the newest release it admits that ddcompat knows" in basis.judged
    between = tracer_basis(RULES, tracer(specifier=">=4.1,<4.3"), TODAY)
    assert between is not None and between.version == "4.0.0"
    assert "the nearest release ddcompat knows below it" in between.judged


def test_nothing_declared_assumes_the_newest_general_availability_branch() -> None:
    basis = tracer_basis(RULES, tracer(assumed=True), TODAY)
    assert basis is not None and basis.version == "4.16.0"
    assert basis.judged.startswith("no ddtrace version is declared; assuming the newest General Availability")


def test_releases_older_than_every_known_one_have_no_basis() -> None:
    assert tracer_basis(RULES, tracer(exact="2.9.0"), TODAY) is None
    assert tracer_basis(RULES, tracer(specifier="<3"), TODAY) is None
    assert tracer_basis(rules_with(), tracer(exact="4.0.0"), TODAY) is None


def test_specifiers_are_looked_up_as_ddtrace_does() -> None:
    (mysqldb,) = integrations_for(NEW, "mysqlclient")
    assert (
        specifier_for(mysqldb, "mysqlclient") == ">=2.0"
    )  # hooked MySQLdb: falls back to the integration name
    (psycopg,) = integrations_for(NEW, "psycopg2-binary")
    assert specifier_for(psycopg, "psycopg2-binary") == ">=2.9.10"
    (kombu,) = integrations_for(NEW, "Kombu")
    assert specifier_for(kombu, "kombu") is None  # "*": any version
    (cassandra,) = integrations_for(OLD, "cassandra-driver")
    assert specifier_for(cassandra, "cassandra-driver") == ">=3.24.0"  # cassandra.cluster -> "cassandra"
    assert integrations_for(NEW, "cassandra-driver") == ()


def test_the_presence_table_tells_removals_from_additions() -> None:
    presence = compute_presence((NEWEST, OLD, NEW))
    assert presence.releases == ("3.0.0", "4.0.0", "4.16.0")
    assert presence.marks["cassandra-driver"] == "x.."
    assert presence.marks["bottle"] == ".xx"
    assert presence.releases_with("aiopg") == ("3.0.0", "4.0.0", "4.16.0")
    assert not presence.known("numpy")


def test_the_note_for_ddc301_says_what_the_tracer_accepts() -> None:
    declared = SpecifierSet("==1.4.0").to_range()
    note = tracer_note(RULES, tracer(exact="4.0.0"), "aiopg", declared, TODAY)
    assert note == (
        "ddtrace 4.0.0's own aiopg integration accepts aiopg>=0.16.0, "
        "which includes every version declared here"
    )
    below = tracer_note(RULES, tracer(exact="4.0.0"), "aiopg", SpecifierSet("==0.12.0").to_range(), TODAY)
    assert below is not None and below.endswith("which excludes the versions declared here too")


def test_no_note_without_tracer_data_or_where_page_and_tracer_agree() -> None:
    assert tracer_note(RULES, tracer(exact="3.0.0"), "aiopg", None, TODAY) is None  # no specifier in 3.0.0
    assert tracer_note(RULES, tracer(exact="2.0.0"), "aiopg", None, TODAY) is None  # no known release
    assert tracer_note(RULES, tracer(exact="4.0.0"), "kombu", None, TODAY) is None  # "*"
    page = load_ruleset().integration("bottle")
    assert page is not None
    agreeing = release("4.0.0", integration("bottle", {"bottle": "bottle"}, {"bottle": page.specifier}))
    assert tracer_note(rules_with(agreeing), tracer(exact="4.0.0"), "bottle", None, TODAY) is None


def test_ddc304_follows_the_patch_table_of_the_release_in_use() -> None:
    ruleset = load_ruleset()
    bottle, kombu, server = (
        ruleset.integration("bottle"),
        ruleset.integration("kombu"),
        ruleset.integration("aiohttp-server"),
    )
    assert bottle is not None and kombu is not None and server is not None
    on = tracer_default(RULES, tracer(exact="4.0.0"), bottle, TODAY)
    assert on is not None and on.enabled
    assert on.describe() == "ddtrace 4.0.0 enables its bottle integration by default (PATCH_MODULES: True)"
    off = tracer_default(RULES, tracer(exact="4.2.0"), kombu, TODAY)
    assert off is not None and not off.enabled
    assert off.describe() == (
        "ddtrace 4.2.0 does not enable its kombu integration by default "
        "(PATCH_MODULES: False; judged on 4.0.0, the nearest release ddcompat knows below it)"
    )
    assert tracer_default(RULES, tracer(exact="4.0.0"), server, TODAY) is None  # middleware, set up by hand
    assert tracer_default(RULES, tracer(exact="3.0.0"), bottle, TODAY) is None  # no bottle integration there
