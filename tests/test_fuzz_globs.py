"""`exclude` / `per-file-ignores` globs come from files anyone can write: they must match in bounded time.

`compile_glob` matches runs between stars atomically (see `ddcompat.globs`); these tests hold it to the same
answers as the naive translation (`*` -> `[^/]*`, `**/` -> `(?:[^/]+/)*`), which backtracks exponentially
on patterns like `*a*a*a*a*b`, and time the patterns that would hang it.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _fuzz_strategies import fuzz_settings
from ddcompat.globs import PathPatterns, compile_glob


def _naive_segment(segment: str) -> str:
    out = []
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = segment.find("]", i + 2 if segment.startswith("[!", i) else i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = segment[i + 1 : end]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append("(?!/)[" + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def naive(pattern: str) -> re.Pattern[str]:
    text = pattern.strip()
    while text.startswith("./"):
        text = text[2:]
    segments = text.rstrip("/").lstrip("/").split("/")
    parts = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            parts.append(".*" if last else "(?:[^/]+/)*")
        else:
            parts.append(_naive_segment(segment) + ("" if last else "/"))
    return re.compile("".join(parts) + r"\Z")


segments = st.lists(st.sampled_from(["a", "b", "*", "?", "[ab]", "[!a]", "[a-c]", "**", ".", "-", "x"]),
                    min_size=1, max_size=6).map("".join)
patterns = st.lists(segments, min_size=1, max_size=5).map("/".join)
paths = st.lists(st.text(alphabet="abx.-", min_size=1, max_size=8), min_size=1, max_size=6).map("/".join)


@fuzz_settings(25)
@given(pattern=patterns, path=paths)
def test_same_answers_as_the_naive_translation(pattern: str, path: str) -> None:
    compiled, _ = compile_glob(pattern)
    assert bool(compiled.match(path)) == bool(naive(pattern).match(path)), (pattern, path, compiled.pattern)


@pytest.mark.parametrize(("pattern", "path"), [
    ("*a" * 30 + "b", "a" * 5000),
    ("**/a/" * 30 + "b", "a/" * 200 + "c"),
    ("*a*[ab]*?*a" * 10 + "c", "ab" * 2000),
    ("**/" + "*a*/" * 20 + "**/c", "aa/" * 300 + "b"),
])
def test_hostile_globs_match_in_bounded_time(pattern: str, path: str) -> None:
    patterns = PathPatterns("/base", [pattern])
    start = time.process_time()
    assert patterns.first_match_relative(path) is None
    assert time.process_time() - start < 2.0
