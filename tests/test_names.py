"""`normal_name` is `canonicalize_name`, whatever the name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from ddcompat.names import normal_name


@given(st.text(alphabet=st.sampled_from("aAzZ09._- ü"), max_size=12))
def test_normal_name_is_canonicalize_name(name: str) -> None:
    assert normal_name(name) == canonicalize_name(name)


def test_normal_names_are_returned_as_they_are() -> None:
    normal_name.cache_clear()  # a name met before comes back as the string it was first met as
    for name in ("django", "zope-interface", "a1-b2", "9lives"):
        assert normal_name(name) is name
        assert normal_name("".join(name)) is name
    assert normal_name("Zope.Interface") == "zope-interface"


@given(st.text(alphabet="0123456789.!+abcdeilnoprstv-", max_size=24))
def test_a_plain_release_is_a_pep440_release_and_nothing_more(text: str) -> None:
    from packaging.version import Version

    from ddcompat.names import is_plain_release

    parts = text.split(".")
    digits_only = all(part.isdigit() and len(part) <= 18 for part in parts) and len(parts) <= 10
    assert is_plain_release(text) == digits_only
    if digits_only:
        version = Version(text)
        assert version.release == tuple(int(part) for part in parts)
        assert not (version.epoch or version.pre or version.post is not None or version.dev is not None
                    or version.local)
