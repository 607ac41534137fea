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
    for name in ("django", "zope-interface", "a1-b2", "9lives"):
        assert normal_name(name) is name
    assert normal_name("Zope.Interface") == "zope-interface"
