"""The exact-pin shortcut gives what the range algebra gives, for every range the rule set names.

The checks and fixes judge a `==V` declaration with one membership test instead of building its range
and intersecting (`checks/_ranges.exact_pin`, `pin_relation`). These tests hold the shortcut to the slow
path: every rule range against a grid of versions of every shape, random ranges, and whole runs over the
example projects and the corpus with the shortcut switched off.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from conftest import CORPUS
from ddcompat.checks import _common, _ranges
from ddcompat.checks._ranges import exact_pin, parse_range, pin_relation, relate
from ddcompat.cli import main
from ddcompat.ruleset.load import load_ruleset

PROJECTS = Path(__file__).resolve().parent / "projects"


def _rule_texts() -> list[str]:
    rules = load_ruleset()
    texts = {row.specifier for row in rules.integrations if row.specifier}
    texts |= {row.tracer_restriction for row in rules.integrations if row.tracer_restriction}
    texts |= {branch.specifier for branch in rules.branches}
    for release in rules.tracer_versions:
        for integration in release.integrations:
            texts |= {spec for spec in integration.specifiers.values() if spec.strip() not in ("", "*")}
    security = rules.code_security
    texts |= {f">={minimum}" for minimum in (security.sca_minimum, security.iast_minimum)}
    return sorted(texts)


_RELEASES = ("0", "0.12", "0.16", "0.16.0", "0.16.1", "1", "1.0", "1.4.0", "2.0", "2.21.12", "3.0.0",
             "3.19.9",
             "4", "4.0", "4.0.0", "4.16.0", "5.0", "13.0")
_SUFFIXES = ("", "rc1", "a2", "b1", ".post1", ".dev0", "rc1.dev3", "+local", ".post2+ubuntu.1")
GRID = [f"{epoch}{release}{suffix}" for epoch, release, suffix in itertools.product(
    ("", "1!"), _RELEASES, _SUFFIXES)]


def test_exact_pin_recognises_only_single_exact_clauses() -> None:
    assert str(exact_pin("==1.2.3")) == "1.2.3"
    assert str(exact_pin("== 1.2.3 ")) == "1.2.3"
    assert str(exact_pin("==1!2.0+local")) == "1!2.0+local"
    for text in ("", "===1.0", "==1.*", ">=1.0", "==1.0,<2", "==1.0 || ==2.0", "==not a version", "!=1.0",
                 "==" + "9" * 5000):
        assert exact_pin(text) is None, text


@pytest.mark.parametrize("target_text", _rule_texts())
def test_every_rule_range_agrees_with_the_algebra(target_text: str) -> None:
    target = parse_range(target_text)
    for version in GRID:
        pin = exact_pin(f"=={version}")
        assert pin is not None
        slow = relate(SpecifierSet(f"=={version}").to_range(), target)
        assert pin_relation(pin, target) is slow, (version, target_text)


_VERSION = st.builds(
    lambda release, suffix: ".".join(map(str, release)) + suffix,
    st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4),
    st.sampled_from(["", "rc1", "a2", ".post1", ".dev0", "+local", ".post1.dev2"]),
)
_CLAUSE = st.builds(lambda operator, version: operator + version,
                    st.sampled_from([">=", ">", "<=", "<", "!=", "==", "~="]), _VERSION)


@given(_VERSION, st.lists(_CLAUSE, min_size=1, max_size=3))
def test_random_ranges_agree_with_the_algebra(version: str, clauses: list[str]) -> None:
    try:
        target = SpecifierSet(",".join(clauses)).to_range()
    except ValueError:  # `~=` needs two release parts; a local version is not allowed with `<` and others
        return
    pin = exact_pin(f"=={version}")
    assert pin is not None
    assert pin_relation(pin, target) is relate(SpecifierSet(f"=={version}").to_range(), target)


def _folders() -> list[Path]:
    folders = sorted(path for path in PROJECTS.iterdir() if path.is_dir())
    if CORPUS.is_dir():
        folders.append(CORPUS)
    return folders


def _json_run(folder: Path, capsys: pytest.CaptureFixture[str]) -> object:
    main(["check", "--output-format", "json", "--today", "2026-11-21", str(folder)])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("folder", _folders(), ids=lambda path: path.name)
def test_whole_runs_are_the_same_without_the_shortcut(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DDCOMPAT_WORKERS", "1")
    fast = _json_run(folder, capsys)

    def never(specifier: str) -> None:
        return None

    import ddcompat.fixes

    for module in (_ranges, _common, ddcompat.fixes):
        monkeypatch.setattr(module, "exact_pin", never)
    monkeypatch.setattr(_common, "lower_bound", never)
    monkeypatch.setattr(ddcompat.fixes, "lower_bound", never)
    # and the fast run's capped replacements are not reused: each is worked out again the slow way
    monkeypatch.setattr(ddcompat.fixes, "_capped", ddcompat.fixes._inside)
    slow = _json_run(folder, capsys)
    assert fast == slow


# The lower-bound shortcut (`>=V`, V a plain release): the same holds for it.

_PLAIN = [*_RELEASES, "0.12.0", "0.16.2", "2.4", "4.4.0", "5.2", "3.9", "3.13"]


def test_lower_bound_recognises_only_single_plain_lower_bounds() -> None:
    assert str(_ranges.lower_bound(">=2.4")) == "2.4"
    assert str(_ranges.lower_bound(" >= 0.12.0 ")) == "0.12.0"
    for text in ("", ">2.4", ">=2.4rc1", ">=1!2.0", ">=2.4,<3", ">=2.*", "==2.4", ">=2.4+local",
                 ">=2.4.post1", ">=2.4 || >=3", ">=" + "9" * 50):
        assert _ranges.lower_bound(text) is None, text


def _slow_lower(version: str, target_text: str) -> _ranges.Relation:
    return relate(SpecifierSet(f">={version}").to_range(), parse_range(target_text))


@pytest.mark.parametrize("target_text", _rule_texts())
def test_every_rule_range_agrees_with_the_algebra_for_lower_bounds(target_text: str) -> None:
    target = parse_range(target_text)
    for version in _PLAIN:
        lowest = _ranges.lower_bound(f">={version}")
        assert lowest is not None
        fast = _ranges.lower_bound_relation(lowest, target)
        assert fast is None or fast is _slow_lower(version, target_text), (version, target_text)


_PLAIN_VERSION = st.builds(lambda release: ".".join(map(str, release)),
                           st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4))


@given(_PLAIN_VERSION, st.lists(_CLAUSE, min_size=1, max_size=3))
def test_random_ranges_agree_with_the_algebra_for_lower_bounds(version: str, clauses: list[str]) -> None:
    try:
        target = SpecifierSet(",".join(clauses)).to_range()
    except ValueError:
        return
    lowest = _ranges.lower_bound(f">={version}")
    assert lowest is not None
    fast = _ranges.lower_bound_relation(lowest, target)
    assert fast is None or fast is relate(SpecifierSet(f">={version}").to_range(), target), (version, clauses)


def test_one_interval_targets_take_the_shortcut() -> None:
    for text in (">=2.4", ">=0.12.0,<=0.16", "<3", ">1.0,<2", "~=1.4"):
        assert _ranges._interval_of(parse_range(text)) is not None, text
    for text in ("!=1.0", ">=1,!=1.5", ">=1,<2 || >=3", ">=3,<2"):
        assert _ranges._interval_of(parse_range(text)) is None, text


@pytest.mark.parametrize("target_text", _rule_texts())
def test_a_settled_lower_bound_is_one_narrow_leaves_alone(target_text: str) -> None:
    """`fixes._settled` skips `narrow` for `>=V` wholly inside or outside a target: `narrow` must agree."""
    import ddcompat.fixes

    target = parse_range(target_text)
    for version in _PLAIN:
        specifier = f">={version}"
        if ddcompat.fixes._settled(specifier, target):
            admitted = SpecifierSet(specifier).to_range()
            for lower_only in (False, True):
                assert ddcompat.fixes.narrow(specifier, admitted, target, lower_only=lower_only) is None
