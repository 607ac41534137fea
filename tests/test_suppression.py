"""`# ddcompat: ignore[...]` comments and the select/ignore precedence."""

from __future__ import annotations

import pytest

from ddcompat.model import Finding, Level, Span
from ddcompat.suppression import Suppressions, drop_suppressed, is_selected, parse_comments


def finding(code: str, line: int, end_line: int | None = None, end_column: int = 10,
            path: str = "requirements.txt") -> Finding:
    return Finding(code=code, level=Level.ERROR, message="m", path=path,
                   span=Span(line, 1, end_line if end_line is not None else line, end_column))


def test_parse_comments() -> None:
    text = (
        "a==1  # ddcompat: ignore[DDC301, ddc302]\n"
        "b==1 # DDCOMPAT:ignore\n"
        "c==1  # ddcompat: ignore[]\n"
        "d==1  # note # ddcompat: ignore[DDC3]\n"
        "e==1#ddcompat: ignore[DDC1]\n"  # pip needs whitespace before a comment: not one
        "f==1  # ddcompat: ignored\n"
        "g==1  # ddcompat ignore\n"
    )
    assert parse_comments(text) == {
        1: frozenset({"DDC301", "DDC302"}),
        2: frozenset({"DDC"}),
        3: frozenset({"DDC"}),
        4: frozenset({"DDC3"}),
    }


def test_comment_silences_only_the_codes_it_names() -> None:
    comments = {"requirements.txt": Suppressions("a==1  # ddcompat: ignore[DDC301]\nb==1\n")}
    findings = [finding("DDC301", 1), finding("DDC302", 1), finding("DDC301", 2),
                finding("DDC301", 1, path="other.txt")]
    assert drop_suppressed(findings, comments) == findings[1:]


def test_prefix_in_a_comment() -> None:
    suppressions = Suppressions("a==1  # ddcompat: ignore[DDC3]\n")
    assert suppressions.suppresses(finding("DDC311", 1))
    assert not suppressions.suppresses(finding("DDC101", 1))


def test_multi_line_spans_and_continuations() -> None:
    text = "a==1 \\\n  --hash=sha256:00 \\\n  --hash=sha256:11  # ddcompat: ignore\nb==1\n"
    plain = Suppressions(text)
    continued = Suppressions(text, continuations=True)
    assert not plain.suppresses(finding("DDC301", 1))
    assert continued.suppresses(finding("DDC301", 1))
    assert not continued.suppresses(finding("DDC301", 4))
    # A span over lines 1-3 touches the comment's line even without continuation handling.
    assert plain.suppresses(finding("DDC301", 1, end_line=3))
    # A span ending at column 1 of the next line does not reach into it.
    other = Suppressions("a==1\nb==1  # ddcompat: ignore\n")
    assert not other.suppresses(finding("DDC301", 1, end_line=2, end_column=1))


def test_no_comment_costs_nothing() -> None:
    assert not Suppressions("a==1\n" * 1000)


@pytest.mark.parametrize(
    ("code", "select", "ignore", "expected"),
    [
        ("DDC301", None, (), True),
        ("DDC301", None, ("DDC3",), False),
        ("DDC301", ("DDC1",), (), False),
        ("DDC301", ("DDC3",), ("DDC30",), False),
        ("DDC311", ("DDC3",), ("DDC30",), True),
        ("DDC301", ("DDC301",), ("DDC3",), True),  # the more specific selector decides
        ("DDC301", ("DDC3",), ("DDC3",), False),  # a tie: ignore wins
        ("DDC301", ("DDC",), ("DDC",), False),
    ],
)
def test_select_ignore_precedence(code: str, select: tuple[str, ...] | None, ignore: tuple[str, ...],
                                  expected: bool) -> None:
    assert is_selected(code, select, ignore) is expected
