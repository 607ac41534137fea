"""The readers' ranges are built on first use (`readers/_lazy_range.py`) and are indistinguishable from
eager ones: equality, hashing, repr, set algebra, membership, and errors raised at the call, not later."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.ranges import VersionRange
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ddcompat.model import SourceFile
from ddcompat.readers import _lazy_range, pipfile, pyproject, requirements
from ddcompat.readers.poetry_constraints import translate

SPECIFIERS = ("==1.2.3", ">=1.0,<2", "~=1.4.2", "!=1.0.*", "==1.*", "<1.0rc1", ">1.0.post1", "",
              "===latest", "==1!3.0.post1+local", ">=2,<=1", ">=0.12.0,<=0.16", "<4,>=3.9")


def _is_built(admitted: VersionRange) -> bool:
    descriptor = VersionRange.__dict__["_bounds"]
    try:
        descriptor.__get__(admitted, VersionRange)
    except AttributeError:
        return False
    return True


def test_the_installed_packaging_supports_lazy_ranges() -> None:
    assert _lazy_range.LAZY_RANGES
    assert _lazy_range._lazy_ranges_work()  # the behaviour check an untested release goes through


def test_only_an_untested_packaging_pays_for_the_behaviour_check(monkeypatch: pytest.MonkeyPatch) -> None:
    import packaging

    assert packaging.__version__.split(".")[0] == _lazy_range.TESTED_MAJOR  # else bump it after testing
    checked: list[bool] = []
    monkeypatch.setattr(_lazy_range, "_lazy_ranges_work", lambda: checked.append(True) or False)
    assert _lazy_range._lazy_ranges_enabled(_lazy_range.TESTED_MAJOR + ".9") and not checked
    assert not _lazy_range._lazy_ranges_enabled("27.0") and checked
    monkeypatch.setattr(_lazy_range, "_SLOT_DESCRIPTORS", {"_bounds": None})
    assert not _lazy_range._lazy_ranges_enabled(_lazy_range.TESTED_MAJOR + ".9")


@pytest.mark.parametrize("text", SPECIFIERS)
def test_a_lazy_range_behaves_as_the_eager_one(text: str) -> None:
    eager = SpecifierSet(text).to_range()
    other = SpecifierSet(">=1.0").to_range()
    assert _lazy_range.deferred_range(text) == eager and eager == _lazy_range.deferred_range(text)
    assert hash(_lazy_range.deferred_range(text)) == hash(eager)
    assert repr(_lazy_range.deferred_range(text)) == repr(eager)
    assert _lazy_range.deferred_range(text).is_empty == eager.is_empty
    assert (_lazy_range.deferred_range(text) & other) == (eager & other)
    assert (other | _lazy_range.deferred_range(text)) == (other | eager)
    assert (other - _lazy_range.deferred_range(text)) == (other - eager)
    assert (~_lazy_range.deferred_range(text)) == (~eager)
    assert _lazy_range.deferred_range(text).is_subset(other) == eager.is_subset(other)
    for version in ("1.0", "1.2.3", "2.0rc1", "latest"):
        assert _lazy_range.deferred_range(text).contains(version) == eager.contains(version)
    assert _lazy_range.deferred_range(text).to_specifier_set() == eager.to_specifier_set()
    built = _lazy_range.deferred_range(text)
    assert built == eager and type(built) is VersionRange and repr(built) == repr(eager)


_VERSION = st.builds(lambda parts: ".".join(str(part) for part in parts),
                     st.lists(st.integers(0, 30), min_size=1, max_size=4))
_CLAUSE = st.builds(lambda op, version: op + version,
                    st.sampled_from(["==", "!=", ">=", "<=", ">", "<", "~="]), _VERSION)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CLAUSE, max_size=3), st.sampled_from(["1.0", "2.5.1", "0.9", "3"]))
def test_lazy_ranges_agree_with_eager_ones(clauses: list[str], version: str) -> None:
    text = ",".join(clauses)
    try:
        eager = SpecifierSet(text).to_range()
    except InvalidSpecifier:
        with pytest.raises(InvalidSpecifier):
            _lazy_range.lazy_range(text)
        return
    lazy = _lazy_range.lazy_range(text)
    assert lazy == eager and hash(lazy) == hash(eager) and repr(lazy) == repr(eager)
    assert lazy.contains(version) == eager.contains(version) and lazy.is_empty == eager.is_empty


def test_lazy_range_raises_at_the_call_and_caches_per_text() -> None:
    with pytest.raises(InvalidSpecifier):
        _lazy_range.lazy_range("==1.0 garbage")
    huge = ">=1." + "9" * 5000  # more digits than int() converts: packaging can build no range
    with pytest.raises(ValueError):
        _lazy_range.lazy_range(huge)
    assert _lazy_range.lazy_range(">=7.7.7") is _lazy_range.lazy_range(">=7.7.7")


def test_lazy_range_is_eager_when_packaging_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_lazy_range, "LAZY_RANGES", False)
    monkeypatch.setattr(_lazy_range, "_CACHE", {})
    admitted = _lazy_range.lazy_range(">=1.0,<2")
    assert type(admitted) is VersionRange and admitted == SpecifierSet(">=1.0,<2").to_range()


def _source(tmp_path: Path, name: str, text: str) -> SourceFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return SourceFile(path=str(path), display=name, root=str(tmp_path), data=path.read_bytes())


def test_readers_defer_ranges_and_they_equal_the_eager_ones(tmp_path: Path) -> None:
    reads = [
        requirements.read(_source(tmp_path, "requirements.txt", "left-pad-lazy==1.2.99\nddtrace>=2.0.77,<3\n"
                                  "./wheels/foo_lazy-1.0.77-py3-none-any.whl\n")),
        pyproject.read(_source(tmp_path, "pyproject.toml", '[project]\nname = "x"\nversion = "1"\n'
                               'dependencies = ["right-pad-lazy>=3.3.77"]\n')),
        pipfile.read(_source(tmp_path, "Pipfile", '[packages]\nmid-pad-lazy = ">=4.4.77"\n')),
    ]
    declarations = [decl for result in reads for decl in result.declarations]
    assert len(declarations) == 5
    for decl in declarations:
        assert not _is_built(decl.admitted), decl.name
        assert decl.admitted == SpecifierSet(decl.specifier).to_range()
        assert _is_built(decl.admitted) and type(decl.admitted) is VersionRange  # plain once built
    specifier, admitted = translate.__wrapped__("^5.5.77")
    assert not _is_built(admitted) and admitted == SpecifierSet(specifier).to_range()
