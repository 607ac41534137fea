"""Blanking artifact lists changes nothing a check reads, and no error or its position.

`readers/_artifact_lines.blank_artifact_lists` empties `files = [...]` (Poetry) and `wheels = [...]` (uv)
lists in their exact shape before `tomllib` parses a lock. Held here: on every TOML lock of the corpus the
parsed document is the same with those lists emptied; a list in any other shape is parsed as written; and
a broken lock reports the same error at the same place either way.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from conftest import CORPUS
from ddcompat._toml import TOMLDecodeError, loads
from ddcompat.model import SourceFile
from ddcompat.readers import poetry_lock, uv_lock
from ddcompat.readers._artifact_lines import blank_artifact_lists

POETRY = '''[[package]]
name = "certifi"
version = "2022.12.7"
description = "files = [ in a string"
optional = false
python-versions = ">=3.6"
files = [
    {file = "certifi-2022.12.7-py3-none-any.whl", hash = "sha256:4ad3232f5e926d6718ec31cfc1fcad"},
    {file = "certifi-2022.12.7.tar.gz", hash = "sha256:35824b4c3a97115964b408844d64aa"},
]

[metadata]
lock-version = "2.0"
python-versions = "^3.9"
content-hash = "x"
'''

UV = '''version = 1
requires-python = ">=3.9"

[[package]]
name = "arrow"
version = "1.4.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/a/arrow-1.4.0.tar.gz", hash = "sha256:ed", size = 152931 }
wheels = [
    { url = "https://f.org/arrow-1.4.0-py3.whl", hash = "sha256:74", size = 68797, upload-time = "2025" },
    { url = "https://files.pythonhosted.org/a/arrow-1.4.0-cp312.whl", hash = "sha256:75", size = 0 },
]
'''


def _emptied(document: Any) -> Any:
    """`document` with every `files`/`wheels` list of a package emptied (what blanking gives)."""
    if isinstance(document, dict):
        return {key: [] if key in ("files", "wheels") and isinstance(value, list) and all(
            isinstance(item, dict) for item in value) else _emptied(value) for key, value in document.items()}
    if isinstance(document, list):
        return [_emptied(item) for item in document]
    return document


def _same_but_blanked_lists(blanked: Any, original: Any) -> bool:
    """Whether `blanked` is `original` except for `files`/`wheels` lists that are empty in it."""
    if isinstance(original, dict):
        if not isinstance(blanked, dict) or list(blanked) != list(original):
            return False
        return all((key in ("files", "wheels") and blanked[key] == [])
                   or _same_but_blanked_lists(blanked[key], value) for key, value in original.items())
    if isinstance(original, list):
        return isinstance(blanked, list) and len(blanked) == len(original) and all(
            _same_but_blanked_lists(b, o) for b, o in zip(blanked, original))
    return bool(blanked == original)


def _error(text: str) -> str:
    """The parser's message, which ends with the line and column (`(at line 5, column 12)`)."""
    with pytest.raises(TOMLDecodeError) as caught:
        loads(text)
    return str(caught.value)


@pytest.mark.parametrize("text", [POETRY, UV])
def test_lists_in_their_tools_shape_parse_as_empty(text: str) -> None:
    blanked = blank_artifact_lists(text)
    assert blanked.count("\n") == text.count("\n")
    assert loads(blanked) == _emptied(loads(text))
    assert "sha256:4ad3" not in blanked or text is UV
    assert ("sha256:74" not in blanked) if text is UV else ("sha256:4ad3" not in blanked)


@pytest.mark.parametrize("edit", [
    # a duplicate key
    ('{file = "certifi-2022.12.7.tar.gz"', '{file = "certifi-2022.12.7.tar.gz", file = "again"'),
    ('hash = "sha256:35', 'hash = "sha\\u0032'),  # an escape: parsed as written
    ('{file = "certifi-2022.12.7.tar.gz", hash', '{file = "certifi\x01.tar.gz", hash'),  # a control character
    ("    {file", "  {file"),  # another indentation
    ('"},\n]', '"}\n]'),  # no trailing comma
])
def test_any_other_shape_is_parsed_as_written(edit: tuple[str, str]) -> None:
    text = POETRY.replace(*edit, 1)
    assert text != POETRY
    blanked = blank_artifact_lists(text)
    assert blanked == text or loads(blanked) == _emptied(loads(text))
    try:
        expected = loads(text)
    except TOMLDecodeError:
        assert blanked == text or _error(blanked) == _error(text)
        return
    assert loads(blanked) == (expected if blanked == text else _emptied(expected))


def test_errors_elsewhere_keep_their_place() -> None:
    for broken in (POETRY.replace('optional = false', 'optional = flase'),
                   POETRY + "\n[metadata]\n",
                   POETRY.replace('lock-version = "2.0"', 'lock-version = "2.0'),
                   UV + 'name = "again"\n'):
        assert blank_artifact_lists(broken) != broken
        assert _error(blank_artifact_lists(broken)) == _error(broken)


def test_random_damage_reports_the_same_error_at_the_same_place() -> None:
    rng = random.Random(5)
    for base in (POETRY, UV):
        for _ in range(400):
            position = rng.randrange(len(base))
            text = base[:position] + rng.choice(['"', "=", "[", "\n", "{", "", "x"]) + base[position + 1:]
            try:
                expected = loads(text)
            except TOMLDecodeError:
                assert _error(blank_artifact_lists(text)) == _error(text), text
                continue
            blanked = blank_artifact_lists(text)
            assert loads(blanked) == (expected if blanked == text else _emptied(expected))


def _corpus_locks() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(str(path) for name in ("poetry.lock", "uv.lock") for path in CORPUS.rglob(name))


def test_every_corpus_lock_reads_the_same() -> None:
    paths = _corpus_locks()
    if not paths:
        pytest.skip("the shared corpus is not beside the checkout")
    blanked_any = False
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            text = data.decode("utf-8")
            document = loads(text)
        except (UnicodeDecodeError, TOMLDecodeError, RecursionError, ValueError):
            continue
        blanked = blank_artifact_lists(text)
        blanked_any = blanked_any or blanked != text
        assert _same_but_blanked_lists(loads(blanked), document), path
    assert blanked_any


def test_readers_give_the_same_declarations(monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat.readers import _locks

    for reader, text, name in ((poetry_lock.read, POETRY, "poetry.lock"), (uv_lock.read, UV, "uv.lock")):
        source = SourceFile(path=f"/p/{name}", display=name, root="/p", data=text.encode())
        fast = reader(source)
        with monkeypatch.context() as patch:
            patch.setattr(_locks, "blank_artifact_lists", lambda text: text)
            plain = reader(source)
        assert fast.declarations == plain.declarations and fast.findings == plain.findings
        assert fast.declarations
