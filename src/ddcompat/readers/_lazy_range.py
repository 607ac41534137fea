"""Version ranges built on first use: what every reader gives a declaration as its `admitted` range.

Building a `VersionRange` (`SpecifierSet(...).to_range()`) costs 5-15 us, more than parsing the line it
came from, and the readers build one for every declaration while the checks only read the ranges of
ddtrace and of the integrated libraries, a minority. So a reader asks `lazy_range` for the range of a
specifier text and gets a `VersionRange` subclass whose only state, until something reads it, is that
text: each of `VersionRange`'s slots is shadowed by a property that reads the slot and, on the first
miss, fills all of them from the real range. The instance is equal to, hashes like and behaves exactly as
the eager range. The tests check this against the packaging release they run with; at import, a
release of the same major version (the one `pyproject.toml` admits and CI tests) only has its slots
checked, and any other release is put through `_lazy_ranges_work`'s behaviour check (2 ms, too much for
every pre-commit run) first. Every range is built eagerly if a release changes the slots or the behaviour.
"""

from __future__ import annotations

from typing import Any, Optional

import packaging
from packaging.ranges import VersionRange
from packaging.specifiers import SpecifierSet

__all__ = ["LAZY_RANGES", "deferred_range", "lazy_range"]

_RANGE_SLOTS: tuple[str, ...] = tuple(getattr(VersionRange, "__slots__", ()))
_SLOT_DESCRIPTORS: dict[str, Any] = {name: VersionRange.__dict__.get(name) for name in _RANGE_SLOTS}

# Only a specifier this short is deferred: the one way `to_range` fails on a parsed specifier is a
# version with more digits than int() converts (4,300), which a text this short cannot hold.
_MAX_DEFERRED_TEXT = 1000


class _Pending(str):
    """The specifier text of a range not built yet, kept in one of `VersionRange`'s own slots."""

    __slots__ = ()


_TEXT_SLOT = _RANGE_SLOTS[0] if _RANGE_SLOTS else ""


class _LazyRange(VersionRange):
    """`SpecifierSet(text).to_range()`, computed the first time anything reads it (see the module).

    It adds no slot, so once built it becomes a plain `VersionRange` (`__class__` is reassigned) and
    every later read is a plain slot read again, not a property call.
    """

    __slots__ = ()

    def _materialize(self) -> None:
        text = str(_SLOT_DESCRIPTORS[_TEXT_SLOT].__get__(self, VersionRange))
        real = SpecifierSet(text).to_range()
        for name in _RANGE_SLOTS:
            _SLOT_DESCRIPTORS[name].__set__(self, _SLOT_DESCRIPTORS[name].__get__(real, VersionRange))
        self.__class__ = VersionRange  # type: ignore[assignment]

    def __repr__(self) -> str:
        text = VersionRange.__repr__(self)
        prefix = "<" + _LazyRange.__name__
        return "<VersionRange" + text[len(prefix):] if text.startswith(prefix) else text


def _lazy_slot(name: str) -> property:
    descriptor = _SLOT_DESCRIPTORS[name]

    def get(self: _LazyRange) -> Any:
        try:
            value = descriptor.__get__(self, VersionRange)
        except AttributeError:  # not built yet (a slot other than the one holding the text)
            self._materialize()
            return descriptor.__get__(self, VersionRange)
        if isinstance(value, _Pending):
            self._materialize()
            return descriptor.__get__(self, VersionRange)
        return value

    def set_(self: _LazyRange, value: Any) -> None:
        descriptor.__set__(self, value)

    return property(get, set_)


for _name in _RANGE_SLOTS:
    if _SLOT_DESCRIPTORS[_name] is not None:
        setattr(_LazyRange, _name, _lazy_slot(_name))


_new_object = object.__new__
_set_text = _SLOT_DESCRIPTORS[_TEXT_SLOT].__set__ if _TEXT_SLOT else None


def deferred_range(text: str) -> VersionRange:
    """The range of `text`, which the caller has already parsed as a valid `SpecifierSet` of at most
    `_MAX_DEFERRED_TEXT` characters, built on first use. Only for use when `LAZY_RANGES` is true."""
    instance = _new_object(_LazyRange)
    _set_text(instance, _Pending(text))  # type: ignore[misc]  # None only where LAZY_RANGES is false
    return instance


# A pin with every version part, a literal and a two-sided range: short, since it runs at the start of
# every process with an untested packaging; tests/test_lazy_range.py checks every shape a range takes.
_SELF_CHECK = ("==1!3.0.post1+local", "===latest", ">=1.0,<2")


# The packaging major version whose ranges the tests (tests/test_lazy_range.py) hold to the eager ones.
TESTED_MAJOR = "26"


def _slots_fit() -> bool:
    """Whether `VersionRange` still keeps its state in slots that a property can shadow."""
    descriptors = _SLOT_DESCRIPTORS.values()
    return bool(_RANGE_SLOTS) and all(d is not None and hasattr(d, "__set__") for d in descriptors)


def _lazy_ranges_work() -> bool:
    """Whether lazy ranges are indistinguishable from eager ones with the installed packaging."""
    if not _slots_fit():
        return False
    try:
        other = SpecifierSet(">=1.0").to_range()
        for spec in _SELF_CHECK:
            eager = SpecifierSet(spec).to_range()
            lazy = deferred_range(spec)  # every operation's first read goes through the same properties
            checks = (
                deferred_range(spec) == eager, eager == deferred_range(spec),
                hash(deferred_range(spec)) == hash(eager), repr(deferred_range(spec)) == repr(eager),
                deferred_range(spec).is_empty == eager.is_empty,
                (lazy & other) == (eager & other), (other - lazy) == (other - eager), (~lazy) == (~eager),
                lazy.is_subset(other) == eager.is_subset(other),
                lazy.contains("1.0") == eager.contains("1.0"),
                lazy.contains("latest") == eager.contains("latest"),
                lazy.to_specifier_set() == eager.to_specifier_set(),
            )
            if not all(checks):
                return False
    except Exception:  # any surprise from a packaging release: use the eager ranges
        return False
    return True


def _lazy_ranges_enabled(version: str) -> bool:
    if version.split(".")[0] == TESTED_MAJOR:
        return _slots_fit()
    return _lazy_ranges_work()


LAZY_RANGES: bool = _lazy_ranges_enabled(packaging.__version__)

_CACHE: dict[str, VersionRange] = {}
_CACHE_SIZE = 16384


def lazy_range(text: str, parsed: Optional[SpecifierSet] = None) -> VersionRange:
    """The versions the PEP 440 specifier `text` admits (`SpecifierSet(text).to_range()`), built when first
    read; one object per distinct text (ranges are immutable, and the same pins recur across files).

    `parsed` is `SpecifierSet(text)` when the caller already has it. Raises what the eager path raises
    (`InvalidSpecifier` for text that is no specifier, `ValueError` when packaging can build no range), at
    this call, never later: only a text that cannot fail is deferred.
    """
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    specifier = SpecifierSet(text) if parsed is None else parsed
    if LAZY_RANGES and len(text) <= _MAX_DEFERRED_TEXT:
        admitted = deferred_range(text)
    else:
        admitted = specifier.to_range()
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[text] = admitted
    return admitted
