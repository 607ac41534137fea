"""--fix, --diff and --unsafe-fixes end to end: byte-exact before/after pairs in every manifest format."""

from __future__ import annotations

import codecs
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, require
from ddcompat.cli import main

TODAY = ["--today", "2026-11-21", "--ignore", "DDC31"]  # fixes follow the pages; tracer-data codes aside


def _project(tmp_path: Path, files: dict[str, bytes]) -> Path:
    (tmp_path / ".git").mkdir()
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def _check(root: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", str(root), *TODAY, "--output-format", "json", *extra])
    return code, capsys.readouterr().out


CASES = {
    "requirements": (
        "requirements.txt",
        b"# service\r\nddtrace>=1.0 \\\r\n    --hash=sha256:aa\r\n"
        b"aiopg>=0.12 ; python_version >= '3.9'  # db\r\n"
        b"Django >= 1.4, < 5\r\nFlask[async]==0.9\r\nrequests\r\n",
        b"# service\r\nddtrace>=4.0 \\\r\n    --hash=sha256:aa\r\n"
        b"aiopg>=0.12,<=0.16 ; python_version >= '3.9'  # db\r\n"
        b"Django >= 1.8, < 5\r\nFlask[async]==0.9\r\nrequests\r\n",
    ),
    "pep621": (
        "pyproject.toml",
        b"[project]\nname = 'svc'\nrequires-python = \">=3.8\"\ndependencies = [\n"
        b'    \'aiopg>=0.12\',  # keep the quotes\n    "ddtrace>=1.0",\n    "aiopg",\n]\n',
        b"[project]\nname = 'svc'\nrequires-python = \">=3.9\"\ndependencies = [\n"
        b"    'aiopg>=0.12,<=0.16',  # keep the quotes\n"
        b'    "ddtrace>=4.0",\n    "aiopg>=0.12.0,<=0.16",\n]\n',
    ),
    "poetry": (
        "pyproject.toml",
        b'[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = ">=3.8"\n'
        b'ddtrace = ">=1.0"\naiopg = { version = "*", optional = true }\n',
        b'[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = ">=3.9"\n'
        b'ddtrace = ">=4.0"\naiopg = { version = ">=0.12.0,<=0.16", optional = true }\n',
    ),
    "pep735-pdm-uv-crlf": (  # dependency groups, PDM and uv tables, literal strings, CRLF, a BOM
        "pyproject.toml",
        b"\xef\xbb\xbf[project]\r\nname = 'svc'\r\ndependencies = ['''ddtrace>=1.0''']\r\n\r\n"
        b"[dependency-groups]\r\ndev = ['aiopg>=0.12', {include-group = \"ci\"}]  # dev\r\nci = []\r\n\r\n"
        b"[tool.pdm.dev-dependencies]\r\ntest = [\"aiopg >=0.12\"]\r\n\r\n"
        b"[tool.uv]\r\nconstraint-dependencies = [\"aiopg>=0.12 ; python_version >= '3.9'\"]\r\n",
        b"\xef\xbb\xbf[project]\r\nname = 'svc'\r\ndependencies = ['''ddtrace>=4.0''']\r\n\r\n"
        b"[dependency-groups]\r\ndev = ['aiopg>=0.12,<=0.16', {include-group = \"ci\"}]  # dev\r\n"
        b"ci = []\r\n\r\n"
        b"[tool.pdm.dev-dependencies]\r\ntest = [\"aiopg >=0.12,<=0.16\"]\r\n\r\n"
        b"[tool.uv]\r\nconstraint-dependencies = [\"aiopg>=0.12,<=0.16 ; python_version >= '3.9'\"]\r\n",
    ),
    "poetry-forms": (  # string, inline table and multiple-constraints array; a group; `^` narrowed
        "pyproject.toml",
        b'[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = "^3.8"\n'
        b"ddtrace = '>=1.0'\n"
        b'Django = [\n    { version = ">=1.4,<5", python = ">=3.9" },\n'
        b'    { version = "^1.4", python = "<3.9" },\n]\n'
        b'\n[tool.poetry.group.db.dependencies]\naiopg = { version = ">=0.12" }\n',
        b'[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = ">=3.9,<4"\n'
        b"ddtrace = '>=4.0'\n"
        b'Django = [\n    { version = ">=1.8,<5", python = ">=3.9" },\n'
        b'    { version = ">=1.8,<2", python = "<3.9" },\n]\n'
        b'\n[tool.poetry.group.db.dependencies]\naiopg = { version = ">=0.12,<=0.16" }\n',
    ),
    "pipfile": (
        "Pipfile",
        b'[packages]\nddtrace = ">=1.0"\naiopg = "*"\nflask = {version = ">=0.9", extras = ["async"]}\n',
        b'[packages]\nddtrace = ">=4.0"\naiopg = ">=0.12.0,<=0.16"\n'
        b'flask = {version = ">=0.10", extras = ["async"]}\n',
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_fix_rewrites_only_the_specifiers(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, before, after = CASES[case]
    root = _project(tmp_path, {name: before})
    code, out = _check(root, "--diff", capsys=capsys)
    assert code == 1 and "+++ b/" in out
    assert (root / name).read_bytes() == before  # --diff writes nothing
    code, _ = _check(root, "--fix", capsys=capsys)
    assert (root / name).read_bytes() == after
    # idempotent: a second --fix changes nothing and nothing fixable is left
    code, out = _check(root, "--fix", capsys=capsys)
    assert (root / name).read_bytes() == after
    assert all(finding["fix"] is None or not finding["fix"]["safe"] for finding in json.loads(out))


def test_unsafe_fixes_move_pins_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, {"requirements.txt": b"ddtrace==1.20.3\nFlask==0.9\n"})
    code, out = _check(root, capsys=capsys)
    findings = json.loads(out)
    assert {f["code"] for f in findings} >= {"DDC101", "DDC301"}
    assert all(
        f["fix"] is not None and f["fix"]["safe"] is False
        for f in findings
        if f["code"] in ("DDC101", "DDC301")
    )
    _check(root, "--fix", capsys=capsys)
    assert (root / "requirements.txt").read_bytes() == b"ddtrace==1.20.3\nFlask==0.9\n"
    code, out = _check(root, "--fix", "--unsafe-fixes", capsys=capsys)
    text = (root / "requirements.txt").read_text()
    assert text.startswith("ddtrace==4.") and text.endswith("\nFlask==0.10\n")
    assert code == 0 and json.loads(out) == []


def test_an_unsafe_move_of_a_range_stays_inside_the_supported_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `aiopg>=1.0` lies above the documented `>=0.12.0,<=0.16`: moving it to `>=0.12.0` alone would admit
    # 1.x again (a DDC302 and a second fix on the next run); ddtrace's own future stays uncapped.
    root = _project(tmp_path, {"requirements.txt": b"ddtrace>=1,<2\naiopg>=1.0\nflask>=0.5,<0.9\n"})
    code, out = _check(root, "--fix", "--unsafe-fixes", capsys=capsys)
    assert (root / "requirements.txt").read_bytes() == (
        b"ddtrace>=4.16.0\naiopg>=0.12.0,<=0.16\nflask>=0.10\n"
    )
    assert code == 0 and json.loads(out) == []
    _check(root, "--fix", "--unsafe-fixes", capsys=capsys)
    assert (root / "requirements.txt").read_bytes() == b"ddtrace>=4.16.0\naiopg>=0.12.0,<=0.16\nflask>=0.10\n"


def test_bom_and_utf16_are_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    utf8 = codecs.BOM_UTF8 + b"aiopg>=0.12\n"
    utf16 = codecs.BOM_UTF16_LE + "aiopg>=0.12\r\n".encode("utf-16-le")
    root = _project(tmp_path, {"a/requirements.txt": utf8, "b/requirements.txt": utf16})
    _check(root, "--fix", capsys=capsys)
    assert (root / "a/requirements.txt").read_bytes() == codecs.BOM_UTF8 + b"aiopg>=0.12,<=0.16\n"
    assert (
        root / "b/requirements.txt"
    ).read_bytes() == codecs.BOM_UTF16_LE + "aiopg>=0.12,<=0.16\r\n".encode("utf-16-le")


def test_lock_files_are_never_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = b'[[package]]\nname = "aiopg"\nversion = "1.4.0"\n\n[metadata]\npython-versions = "^3.9"\n'
    root = _project(tmp_path, {"poetry.lock": lock})
    _code, out = _check(root, "--fix", "--unsafe-fixes", capsys=capsys)
    assert (root / "poetry.lock").read_bytes() == lock
    [finding] = [f for f in json.loads(out) if f["code"] == "DDC301"]
    assert finding["fix"] is None
    assert main(["check", str(root), *TODAY, "--output-format", "full"]) == 1
    assert "re-lock" in capsys.readouterr().out
    assert "then re-lock" in finding["message"]  # every format says it, not only the full one's hint
    assert main(["check", str(root), *TODAY, "--output-format", "concise"]) == 1
    assert "DDC301" in (concise := capsys.readouterr().out) and "then re-lock" in concise


def test_no_fix_where_none_is_right(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, {"requirements.txt": b"ddtrace==4.1.0\nPylons==1.0\nddtrace==latest\n"})
    _, out = _check(root, capsys=capsys)
    for finding in json.loads(out):
        if finding["code"] in ("DDC303", "DDC901", "DDC104"):
            assert finding["fix"] is None


def test_a_symlinked_manifest_is_not_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, {"real/requirements.txt": b"aiopg>=0.12\n"})
    (root / "requirements.txt").symlink_to(root / "real/requirements.txt")
    main(["check", str(root / "requirements.txt"), *TODAY, "--fix"])
    assert (root / "real/requirements.txt").read_bytes() == b"aiopg>=0.12\n"
    assert (root / "requirements.txt").is_symlink()
    assert "symlink" in capsys.readouterr().err


_line = st.sampled_from(
    [
        "aiopg>=0.12",
        "Django>=1.4,<5",
        "requests",
        "# comment",
        "",
        "flask>=2.0",
        "redis==5.0.1 ; python_version > '3'",
        "ddtrace>=4.0",
        "gunicorn>=19",
        "-r other.txt",
        "six",
        "celery==5.3.0 --hash=sha256:ab",
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, min_size=1, max_size=12), newline=st.sampled_from(["\n", "\r\n"]))
def test_fixing_never_changes_a_line_without_a_finding(
    lines: list[str], newline: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("prop")
    (root / ".git").mkdir()
    original = newline.join(lines) + newline
    (root / "requirements.txt").write_bytes(original.encode())
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
        main(["check", str(root), *TODAY, "--output-format", "json"])
    flagged = {finding["line"] for finding in json.loads(out.getvalue()) if finding["fix"]}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["check", str(root), *TODAY, "--fix"])
    fixed = (root / "requirements.txt").read_bytes().decode().split(newline)
    for number, (old, new) in enumerate(zip(original.split(newline), fixed), start=1):
        if number not in flagged:
            assert old == new


def test_corpus_manifests_have_nothing_fixable_left_after_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = require(CORPUS) / "real"
    shutil.copytree(source, tmp_path / "real", symlinks=True)
    root = tmp_path / "real"
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    main(["check", str(root), *TODAY, "--fix", "--output-format", "json"])
    capsys.readouterr()
    main(["check", str(root), *TODAY, "--output-format", "json"])
    left = json.loads(capsys.readouterr().out)
    assert [f for f in left if f["fix"] is not None and f["fix"]["safe"]] == []
    changed = [path for path, data in before.items() if path.read_bytes() != data]
    assert changed, "the corpus has fixable manifests"
    for path in changed:
        old_lines = before[path].splitlines(keepends=True)
        new_lines = path.read_bytes().splitlines(keepends=True)
        assert len(old_lines) == len(new_lines), path  # only specifier text changes: no line added or removed
        old_text, new_text = _text(before[path]).splitlines(), _text(path.read_bytes()).splitlines()
        for old_line, new_line in zip(old_text, new_text):
            assert _SPECIFIER_TEXT.fullmatch(_changed_part(old_line, new_line)), (path, old_line, new_line)
        assert path.name not in ("Pipfile.lock", "poetry.lock", "uv.lock", "pylock.toml", "pdm.lock")


_SPECIFIER_TEXT = re.compile(r"[0-9A-Za-z.,<>=!~^*+ -]*")  # no quote, marker, comment, line end


def _text(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    return data.decode("utf-8", "replace")


def _changed_part(old: str, new: str) -> str:
    """What differs between two lines once their common start and end are cut, old and new joined."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return old[start:len(old) - end] + new[start:len(new) - end]


def test_unsafe_fix_cascade_is_finished_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Moving ddtrace to 4.x makes `python = ">=3.8"` a DDC202; the same `--fix` run narrows it too."""
    before = (
        b'[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = ">=3.8"\nddtrace = "==1.20.3"\n'
    )
    root = _project(tmp_path, {"pyproject.toml": before})
    _check(root, "--fix", "--unsafe-fixes", capsys=capsys)
    after = (root / "pyproject.toml").read_text()
    assert 'python = ">=3.9"' in after and 'ddtrace = "==4.' in after
    _, out = _check(root, "--fix", "--unsafe-fixes", capsys=capsys)
    assert (root / "pyproject.toml").read_text() == after  # nothing left for a second run
    assert [f for f in json.loads(out) if f["fix"] is not None] == []
