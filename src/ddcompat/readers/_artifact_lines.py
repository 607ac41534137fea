"""Lock-file artifact lists, blanked before parsing: the parser skips what no check reads.

Most of a real poetry.lock or uv.lock is its artifact lists: one `{file = ..., hash = ...}` (Poetry) or
`{ url = ..., hash = ..., size = ... }` (uv) line per wheel and sdist of every package, dozens for a
compiled package. No check reads them, yet the pure-Python `tomllib` spends most of its time there.

A list is blanked only when the whole of it is in the exact shape its tool writes (`files = [` or
`wheels = [` opening a line, one inline table per line with exactly these keys, basic strings without
escapes and plain integers, `]` alone on the closing line): such lines are valid TOML whatever they hold,
so blanking them cannot hide an error. Each blanked line keeps its line break, so every line number the
parser reports elsewhere is unchanged, and the parsed list is simply empty. Anything else is parsed as
written.
"""

from __future__ import annotations

import re

__all__ = ["blank_artifact_lists"]

_STRING = r'"[^"\\\n\x00-\x08\x0b-\x1f\x7f]*"'  # a basic string with no escape and no control character
_INTEGER = r"(?:0|[1-9][0-9]{0,17})"
_POETRY = rf"    \{{file = {_STRING}, hash = {_STRING}\}},"
_UV = rf"    \{{ url = {_STRING}, hash = {_STRING}, size = {_INTEGER}(?:, upload-time = {_STRING})? \}},"
_LIST = re.compile(
    rf"^(?:files = \[\n((?:{_POETRY}\n)+)\]$|wheels = \[\n((?:{_UV}\n)+)\]$)",
    re.MULTILINE,
)


def blank_artifact_lists(text: str) -> str:
    """`text` with the entries of every artifact list in its tool's exact shape replaced by empty lines."""
    if "files = [\n" not in text and "wheels = [\n" not in text:
        return text
    return _LIST.sub(_blanked, text)


def _blanked(match: re.Match[str]) -> str:
    entries = match.group(1) if match.group(1) is not None else match.group(2)
    opening = "files = [\n" if match.group(1) is not None else "wheels = [\n"
    return opening + "\n" * entries.count("\n") + "]"
