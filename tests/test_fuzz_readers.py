"""Every reader, through `ddcompat.readers.dispatch`, on generated input: never an exception, and every
finding and declaration at a position inside the file. The readers' own property tests go deeper per format;
these hold all of them to the same promises with the same hostile material.

Budget: DDCOMPAT_FUZZ_EXAMPLES examples per test (small by default; raise it locally for longer runs).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _fuzz_strategies import (
    any_bytes,
    assert_sound,
    fuzz_settings,
    json_bytes,
    requirements_texts,
    toml_bytes,
)
from ddcompat.model import SourceFile
from ddcompat.readers import dispatch

FILE_NAMES = {
    "requirements": "requirements.txt",
    "pyproject": "pyproject.toml",
    "pipfile": "Pipfile",
    "pipfile.lock": "Pipfile.lock",
    "poetry.lock": "poetry.lock",
    "uv.lock": "uv.lock",
    "pylock": "pylock.toml",
    "pdm.lock": "pdm.lock",
    "python-version": ".python-version",
}
TOML_KINDS = ("pyproject", "pipfile", "poetry.lock", "uv.lock", "pylock", "pdm.lock")


def test_every_kind_has_a_reader() -> None:
    assert set(FILE_NAMES) == set(dispatch.MODULES)
    for kind, name in FILE_NAMES.items():
        assert dispatch.kind_of(name) == kind
        assert dispatch.reader_for(kind) is not None, kind


@pytest.fixture(scope="module")
def root() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="ddcompat-fuzz-") as folder:
        yield folder


def _read_all(root: str, kind: str, data: bytes) -> None:
    name = FILE_NAMES[kind]
    source = SourceFile(path=os.path.join(root, name), display=name, root=root, data=data)
    result = dispatch.read(source, kind)
    assert result is not None
    assert result.kind == kind
    assert_sound(result, name)
    for included in dispatch.read_with_includes(source, kind):
        assert_sound(included, name)


@pytest.mark.parametrize("kind", sorted(FILE_NAMES))
@fuzz_settings()
@given(data=any_bytes())
def test_random_bytes(root: str, kind: str, data: bytes) -> None:
    _read_all(root, kind, data)


@pytest.mark.parametrize("kind", TOML_KINDS)
@fuzz_settings(2)
@given(data=toml_bytes())
def test_toml_documents_with_dependency_keys(root: str, kind: str, data: bytes) -> None:
    _read_all(root, kind, data)


@fuzz_settings(4)
@given(data=json_bytes())
def test_pipfile_lock_json_documents(root: str, data: bytes) -> None:
    _read_all(root, "pipfile.lock", data)


@fuzz_settings(4)
@given(text=requirements_texts())
def test_requirement_lines_and_markers(root: str, text: str) -> None:
    _read_all(root, "requirements", text.encode("utf-8", "surrogatepass"))


@fuzz_settings()
@given(text=st.text(alphabet=st.sampled_from("0123456789.*!+abcrcdevpost \t\r\n#=<>~^-pypy@/\x00é"),
                    max_size=40))
def test_python_version_files(root: str, text: str) -> None:
    _read_all(root, "python-version", text.encode("utf-8"))


@pytest.mark.parametrize("kind", sorted(FILE_NAMES))
@pytest.mark.parametrize("data", [
    b"\nproject = " + b"1" * 5000 + b"\n",  # found by this file's fuzzing: a DDC902 outside an empty line 1
    b'\n{"default": {"a": {"version": ' + b"1" * 5000 + b"}}}",
    b"\n\n[tool.poetry.dependencies]\nddtrace = " + b"9" * 4400 + b"\n",
])
def test_regressions(root: str, kind: str, data: bytes) -> None:
    _read_all(root, kind, data)
