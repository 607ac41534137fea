"""Caching by object identity, for work that depends only on an immutable object such as the rule set.

`functools.lru_cache` hashes its arguments: hashing a `RuleSet` walks every rule and reads every tracer
release file it lazily stands for. The rule set is loaded once per process and never changes, so work
derived from it (its branches as ranges, its known tracer releases) is cached by identity instead. The
cache keeps the objects it saw alive, so an id is never reused while its entry exists.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable
from typing import Callable, TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
R = TypeVar("R")

_SIZE = 8  # a run has one rule set; tests build a few
_KEYS = 4096  # per object: a tree's distinct keys (dates, branches, ranges) are few


def by_identity(function: Callable[[T], R], size: int = _SIZE) -> Callable[[T], R]:
    """`function(obj)` computed once per object (by `is`), for immutable objects and pure functions;
    at most `size` objects are remembered at a time.

    Also for objects that compare equal but differ in what the function reads: `VersionRange`s of
    `>=4` and `>=4.0` are equal and hash alike, but are written differently.
    """
    cache: dict[int, tuple[T, R]] = {}

    @functools.wraps(function)
    def cached(obj: T) -> R:
        entry = cache.get(id(obj))
        if entry is not None and entry[0] is obj:
            return entry[1]
        result = function(obj)
        if len(cache) >= size:
            cache.clear()
        cache[id(obj)] = (obj, result)
        return result

    return cached


def by_identity_and_key(function: Callable[[T, K], R], size: int = _SIZE) -> Callable[[T, K], R]:
    """`function(obj, key)` computed once per object (by `is`) and key (by equality), for an immutable
    object such as the rule set and a pure function of the two; at most `size` objects at a time."""
    tables: dict[int, tuple[T, dict[K, R]]] = {}

    @functools.wraps(function)
    def cached(obj: T, key: K) -> R:
        entry = tables.get(id(obj))
        if entry is None or entry[0] is not obj:
            if len(tables) >= size:
                tables.clear()
            entry = tables[id(obj)] = (obj, {})
        table = entry[1]
        if key in table:
            return table[key]
        if len(table) >= _KEYS:
            table.clear()
        result = table[key] = function(obj, key)
        return result

    return cached
