"""Caching by identity: computed once per object and key, never confused by equal objects, bounded."""

from __future__ import annotations

from ddcompat._memo import by_identity, by_identity_and_key


def test_by_identity_and_key_computes_once_per_object_and_key() -> None:
    calls: list[tuple[int, str]] = []

    def work(obj: list[int], key: str) -> str:
        calls.append((id(obj), key))
        return f"{len(obj)}:{key}"

    cached = by_identity_and_key(work, size=2)
    first, equal = [1], [1]  # equal, but not the same object: computed apart
    assert cached(first, "a") == "1:a" and cached(first, "a") == "1:a" and cached(first, "b") == "1:b"
    assert cached(equal, "a") == "1:a"
    assert calls == [(id(first), "a"), (id(first), "b"), (id(equal), "a")]
    third = [1, 2]
    assert cached(third, "a") == "2:a"  # a third object: the table of two is started afresh
    assert cached(first, "a") == "1:a" and len(calls) == 5


def test_by_identity_keeps_equal_objects_apart() -> None:
    seen: list[int] = []

    def work(obj: list[int]) -> int:
        seen.append(id(obj))
        return len(obj)

    cached = by_identity(work, size=4)
    one, two = [1], [1]
    assert cached(one) == cached(two) == cached(one) == 1
    assert seen == [id(one), id(two)]
