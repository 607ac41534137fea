"""Every lock file of the shared corpus is read without an exception; real locks give one declaration per
package that the JSON/TOML parser sees, each at a span inside the file whose text names the package."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import CORPUS, require
from ddcompat._toml import loads
from ddcompat.model import ReadResult, SourceFile, Span
from ddcompat.readers import pdm_lock, pipfile_lock, poetry_lock, pylock, uv_lock

READERS: dict[str, ModuleType] = {
    "pipfile.lock": pipfile_lock, "poetry.lock": poetry_lock, "uv.lock": uv_lock, "pylock": pylock,
    "pdm.lock": pdm_lock,
}


def _lock_kind(row: dict[str, str]) -> str | None:
    kind = row["kind"]
    if kind in READERS:
        return kind
    notes = row.get("notes") or ""
    if notes.startswith("pylock.toml"):
        return "pylock"
    if notes.startswith("pdm.lock"):
        return "pdm.lock"
    return None


def _rows() -> list[tuple[str, str]]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    rows = _manifest(manifest)
    return [(row["file"], kind) for row in rows if (kind := _lock_kind(row)) is not None]


def _manifest(path: Path) -> list[dict[str, str]]:
    """MANIFEST.tsv rows (split by hand: some notes hold bytes that `csv` refuses on Python 3.9)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:] if line.strip()]


ROWS = _rows()


def _read(relative: str, kind: str) -> tuple[bytes, ReadResult]:
    path = require(CORPUS / relative)
    data = path.read_bytes()
    source = SourceFile(path=str(path), display=relative, root=str(CORPUS), data=data)
    return data, READERS[kind].read(source)


def _inside(result: ReadResult, span: Span) -> bool:
    lines = result.text.splitlines() or [""]
    if not 1 <= span.line <= span.end_line <= len(lines):
        return False
    if span.column < 1 or span.end_column > len(lines[span.end_line - 1]) + 2:
        return False
    return span.line < span.end_line or span.column <= span.end_column


def _package_count(kind: str, data: bytes) -> int:
    text = data.decode("utf-8-sig")
    if kind == "pipfile.lock":
        parsed: dict[str, Any] = json.loads(text)
        return sum(len(v) for k, v in parsed.items() if k != "_meta" and isinstance(v, dict))
    table = "packages" if kind == "pylock" else "package"
    return len(loads(text).get(table, []))


def test_the_corpus_has_locks_of_every_kind() -> None:
    require(CORPUS / "MANIFEST.tsv")
    assert {kind for _, kind in ROWS} == set(READERS)


@pytest.mark.parametrize(("relative", "kind"), ROWS, ids=[relative for relative, _ in ROWS])
def test_corpus_lock(relative: str, kind: str) -> None:
    data, result = _read(relative, kind)
    assert result.kind == kind and result.path == relative
    for declaration in result.declarations:
        assert _inside(result, declaration.span), declaration
        if declaration.specifier_span is not None:
            assert _inside(result, declaration.specifier_span), declaration
    for finding in result.findings:
        assert finding.code in ("DDC901", "DDC902")
        if result.text:
            assert _inside(result, finding.span), finding
    if relative.startswith("real/"):
        assert not result.findings
        assert len(result.declarations) == _package_count(kind, data)
        for declaration in result.declarations:
            line = result.text.splitlines()[declaration.span.line - 1]
            assert declaration.raw_name in line[declaration.span.column - 1:declaration.span.end_column - 1]
            where = declaration.specifier_span
            if declaration.is_direct_reference:  # git, path or editable: no version to point at
                assert where is None and declaration.declared == ""
                continue
            assert where is not None
            version_line = result.text.splitlines()[where.line - 1]
            assert version_line[where.column - 1:where.end_column - 1] == declaration.declared
    if relative.startswith("hostile/handmade/truncated") or "not-json" in relative or "not-toml" in relative:
        (finding,) = result.findings
        assert finding.code == "DDC902"


def test_real_ddtrace_pins_are_found() -> None:
    """The MANIFEST's `ddtrace==X (locked)` notes agree with what the readers read."""
    manifest = require(CORPUS / "MANIFEST.tsv")
    rows = _manifest(manifest)
    checked = 0
    for row in rows:
        kind = _lock_kind(row)
        spec = row.get("ddtrace_spec") or ""
        if kind is None or not row["file"].startswith("real/") or not spec.endswith("(locked)"):
            continue
        expected = spec.split("==", 1)[1].split()[0]
        _, result = _read(row["file"], kind)
        versions = {d.declared for d in result.declarations if d.name == "ddtrace"}
        assert expected in versions, (row["file"], versions)
        checked += 1
    assert checked > 0


def test_pipfile_lock_real_files_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """pipenv's own layout never needs the tokenizer (which would make big locks slow)."""
    paths = [relative for relative, kind in ROWS if kind == "pipfile.lock" and relative.startswith("real/")]
    if not paths:
        pytest.skip("no real Pipfile.lock in the corpus")
    fast = {relative: _read(relative, "pipfile.lock")[1] for relative in paths}
    called: list[str] = []
    original = pipfile_lock._scan_fast

    def spy(text: str, data: Any) -> Any:
        called.append(text)
        return original(text, data)

    monkeypatch.setattr(pipfile_lock, "_scan_fast", spy)
    for relative in paths:
        _read(relative, "pipfile.lock")
    assert not called, "a real pipenv lock left the one-pass path"
    # The general path (layout scan, then tokenizer) gives exactly the same result.
    monkeypatch.setattr(pipfile_lock, "_read_pipenv_layout", lambda text, data: None)
    for relative in paths:
        general = _read(relative, "pipfile.lock")[1]
        assert general.declarations == fast[relative].declarations
        assert general.pythons == fast[relative].pythons and general.findings == fast[relative].findings
    monkeypatch.setattr(pipfile_lock, "_scan_fast", lambda text, data: None)
    for relative in paths:
        assert _read(relative, "pipfile.lock")[1].declarations == fast[relative].declarations


def test_toml_real_files_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat.readers import _locks

    called: list[bool] = []
    original = _locks._locate_slowly

    def spy(*args: Any) -> Any:
        called.append(True)
        return original(*args)

    monkeypatch.setattr(_locks, "_locate_slowly", spy)
    paths = [(relative, kind) for relative, kind in ROWS
             if kind != "pipfile.lock" and relative.startswith("real/")]
    if not paths:
        pytest.skip("no real TOML lock in the corpus")
    for relative, kind in paths:
        _read(relative, kind)
    assert not called


def test_corpus_path_constant_is_a_path() -> None:
    assert isinstance(CORPUS, Path)
