"""DDC101-104 on hand-built declarations: support levels by date, ranges across branches, unknown branches."""

from __future__ import annotations

import datetime

import pytest

from checks_fixtures import LATER, RULES, TODAY, context, decl, locked, result
from ddcompat.checks import tracer
from ddcompat.model import Level


def run(*decls: object, today: datetime.date = TODAY) -> list[tuple[str, int]]:
    ctx = context(result("requirements.txt", *decls), today=today)  # type: ignore[arg-type]
    return sorted((f.code, f.span.line) for f in tracer.check(ctx, RULES))


@pytest.mark.parametrize(
    ("specifier", "today", "expected"),
    [
        # The brief's dated example: 3.x is Maintenance until 2026-05-31, End of Life after.
        ("==3.12.1", TODAY, ["DDC102"]),
        ("==3.12.1", LATER, ["DDC101"]),
        ("==3.12.1", datetime.date(2026, 5, 31), ["DDC102"]),  # the end date itself is still Maintenance
        ("==3.12.1", datetime.date(2026, 6, 1), ["DDC101"]),
        ("==4.3.0", TODAY, []),
        ("==4.0.0", LATER, []),
        ("==2.21.12", TODAY, ["DDC101"]),
        ("==1.20.19", TODAY, ["DDC101"]),
        ("==0.60.0", TODAY, ["DDC101"]),
        ("<2", TODAY, ["DDC101"]),
        (">=2.0,<3", TODAY, ["DDC101"]),
        ("~=2.3", TODAY, ["DDC101"]),
        (">=1.0,<3", TODAY, ["DDC101"]),
        # Maintenance best branch, plus End-of-Life admitted: both problems.
        ("~=3.0", TODAY, ["DDC102"]),
        (">=2.0,<4", TODAY, ["DDC102", "DDC103"]),
        (">=2.0,<4", LATER, ["DDC101"]),
        # Supported best branch, End-of-Life also admitted.
        (">=2.0", TODAY, ["DDC103"]),
        (">=1.0", TODAY, ["DDC103"]),
        (">=3.0", TODAY, []),
        (">=3.0", LATER, ["DDC103"]),
        (">=4.0", LATER, []),
        (">=4.0,<5", LATER, []),
        ("<5", TODAY, ["DDC103"]),
        ("!=3.5.0", TODAY, ["DDC103"]),
        # Pre-releases belong with the branch they preview.
        ("==4.0.0rc1", TODAY, []),
        (">=4.0.0rc1", TODAY, []),
        ("==3.0.0rc1", TODAY, ["DDC102"]),
        ("==2.0.0rc1", TODAY, ["DDC101"]),
        ("==5.0.0rc1", TODAY, ["DDC104"]),
        # Post-releases stay on their branch.
        ("==3.19.9.post1", TODAY, ["DDC102"]),
        # Unknown branches: only when nothing known is admitted.
        ("==5.0.0", TODAY, ["DDC104"]),
        (">=5", TODAY, ["DDC104"]),
        (">=4.0", TODAY, []),  # 4.x and beyond: a known supported branch is reached
        ("==5.0.0||<2", TODAY, ["DDC101"]),  # unknown versions neither raise nor clear DDC101
        # Poetry unions.
        (">=2.0,<3||>=4.0,<5", TODAY, ["DDC103"]),
        # Unsatisfiable: nothing to judge.
        (">=5,<4", TODAY, []),
    ],
)
def test_levels(specifier: str, today: datetime.date, expected: list[str]) -> None:
    assert [code for code, _ in run(decl("ddtrace", specifier), today=today)] == expected


def test_bare_and_direct_references_are_not_judged() -> None:
    assert run(decl("ddtrace")) == []
    assert run(decl("ddtrace", declared="*", specifier="")) == []
    assert run(decl("ddtrace", "==1.0.0", direct=True)) == []


def test_locks_are_judged_like_manifests() -> None:
    assert run(locked("ddtrace", "3.12.1", line=7)) == [("DDC102", 7)]
    assert run(locked("ddtrace", "3.12.1", line=7), today=LATER) == [("DDC101", 7)]
    assert run(locked("ddtrace", "2.21.0", line=3), locked("ddtrace", "4.1.0", line=9)) == [("DDC101", 3)]


def test_other_packages_and_unchecked_files_are_ignored() -> None:
    assert run(decl("ddtrace-api", "==0.1"), decl("datadog", "==0.1")) == []
    ctx = context(
        result("requirements.txt", decl("ddtrace", "==1.0")),
        result("constraints.txt", decl("ddtrace", "==1.0", line=4)),
        checked=("constraints.txt",),
    )
    assert [(f.code, f.path, f.span.line) for f in tracer.check(ctx, RULES)] == [
        ("DDC101", "constraints.txt", 4)
    ]


def test_skipped_declarations_are_not_judged() -> None:
    eol = decl("ddtrace", "==1.0", marker='python_version < "3"')
    ctx = context(result("requirements.txt", eol))
    ctx = ctx._replace(skipped={id(eol)})
    assert list(tracer.check(ctx, RULES)) == []


def test_ddc101_fields_and_message() -> None:
    d = decl("ddtrace", "==2.21.12", line=2)
    (finding,) = tracer.check(context(result("requirements.txt", d)), RULES)
    assert finding.level is Level.ERROR
    assert finding.path == "requirements.txt"
    assert finding.span == d.span
    assert finding.package == "ddtrace"
    assert finding.declared == "==2.21.12"
    assert finding.subject is d
    assert finding.pin_to == "4.0.0"  # no release list in this rule set: the GA branch's first version
    assert finding.target is not None and "4.5.0" in finding.target and "3.1.0" in finding.target
    assert "2.21.12" not in finding.target
    assert "ddtrace==2.21.12" in finding.message
    assert "2.x is End of Life" in finding.message
    assert "Releases table" in finding.message
    assert "4.x branch (>=4.0,<5)" in finding.message
    assert finding.hint


def test_ddc101_after_the_maintenance_end_date_says_so() -> None:
    (finding,) = tracer.check(context(result("r.txt", decl("ddtrace", "~=3.12")), today=LATER), RULES)
    assert finding.code == "DDC101"
    assert "End of Life since its Maintenance ended on 2026-05-31" in finding.message


def test_ddc102_message_gives_the_end_date() -> None:
    (finding,) = tracer.check(context(result("r.txt", decl("ddtrace", "~=3.12"))), RULES)
    assert finding.code == "DDC102"
    assert finding.level is Level.WARNING
    assert "Maintenance until 2026-05-31" in finding.message
    assert finding.pin_to == "4.0.0"
    assert finding.target is not None and "4.0.0" in finding.target and "3.12.0" not in finding.target


def test_ddc103_message_names_the_eol_part_and_the_new_floor() -> None:
    (finding,) = tracer.check(context(result("r.txt", decl("ddtrace", ">=2.0"))), RULES)
    assert finding.code == "DDC103"
    assert "(>=2.0,<3: 2.x (>=2.0,<3) is End of Life" in finding.message
    assert "raise its lower bound to 3.0" in finding.message
    assert finding.pin_to is None
    assert finding.target is not None and "3.0" in finding.target and "2.9" not in finding.target


def test_ddc104_message() -> None:
    (finding,) = tracer.check(context(result("r.txt", decl("ddtrace", "==5.0.0"))), RULES)
    assert finding.level is Level.WARNING
    assert "does not know" in finding.message and "4.x, 3.x, 2.x, 1.x" in finding.message


def test_pin_to_prefers_the_newest_known_release_of_the_ga_branch() -> None:
    from ddcompat.ruleset.model import TracerVersion

    rules = RULES._replace(tracer_versions=(
        TracerVersion("3.19.8", (), "x"),
        TracerVersion("4.0.0", (), "x"),
        TracerVersion("4.16.0", (), "x"),
        TracerVersion("5.0.0rc1", (), "x"),
    ))
    (finding,) = tracer.check(context(result("r.txt", decl("ddtrace", "==1.0"))), rules)
    assert finding.pin_to == "4.16.0"


def test_declarations_without_a_pep440_version_are_not_judged() -> None:
    from ddcompat.model import Origin

    assert run(decl("ddtrace", "===not-a-version")) == []
    assert run(decl("ddtrace", "===1.0.0")) == [("DDC101", 1)]
    latest = locked("ddtrace", "1.0.0")

    assert run(latest._replace(declared="latest", origin=Origin.LOCK)) == []
