"""Fix computation (fixes.py) and span rewriting (fix.py) on hand-built inputs, byte for byte."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from ddcompat.fix import encode, plan, unified_diff, write
from ddcompat.fixes import RELOCK_HINT, attach_fixes, narrow, pin
from ddcompat.model import Declaration, Finding, Fix, Level, Origin, ReadResult, Span


def _narrow(spec: str, target: str) -> str | None:
    return narrow(spec, SpecifierSet(spec).to_range(), SpecifierSet(target).to_range())


@pytest.mark.parametrize(
    ("spec", "target", "expected"),
    [
        (">=0.12", ">=0.12.0,<=0.16", ">=0.12,<=0.16"),  # cap an upper bound
        (">=1.0", ">=4.0", ">=4.0"),  # raise a lower bound
        (">= 1.4, < 5", ">=1.8", ">= 1.8, < 5"),  # spacing kept
        (">=1.4,<5,!=1.6", ">=1.8", ">=1.8,<5,!=1.6"),  # other clauses kept in place
        (">1.0", ">=4.0", ">=4.0"),
        (">=3.8", ">=3.9", ">=3.9"),  # requires-python
        ("~=0.14", ">=0.12.0,<=0.16", "~=0.14,<=0.16"),
        ("<=0.16", ">=0.12.0,<=0.16", "<=0.16,>=0.12.0"),
        (">=0.12,<=0.16", ">=0.12.0,<=0.16", None),  # inside: nothing to do
        ("==0.9", ">=0.10", None),  # disjoint: no safe fix (only an unsafe pin)
    ],
)
def test_narrow(spec: str, target: str, expected: str | None) -> None:
    result = _narrow(spec, target)
    assert result == expected
    if result is not None:  # a safe fix only narrows, and lands inside the target
        new = SpecifierSet(result).to_range()
        assert new.is_subset(SpecifierSet(spec).to_range())
        assert new.is_subset(SpecifierSet(target).to_range())


def test_bare_declaration_gets_the_supported_range() -> None:
    assert _narrow("", ">=0.12.0,<=0.16") == ">=0.12.0,<=0.16"


def test_unsafe_pin_keeps_the_kind_of_constraint() -> None:
    assert pin("==0.9", "0.10") == "==0.10"
    assert pin("==1.20.3", "4.16.0") == "==4.16.0"
    assert pin(">=1,<2", "4.0.0") == ">=4.0.0"


def _result(text: str, path: str = "requirements.txt", kind: str = "requirements", *,
            bom: bool = False, encoding: str = "utf-8") -> ReadResult:
    return ReadResult(path=path, kind=kind, text=text, has_bom=bom, encoding=encoding, real_path=path)


def _decl(name: str, spec: str, line: int, col: int, end_col: int, *, origin: Origin = Origin.MANIFEST,
          has_specifier: bool = True) -> Declaration:
    return Declaration(
        name=name, raw_name=name, specifier=spec, declared=spec, admitted=SpecifierSet(spec).to_range(),
        has_specifier=has_specifier, span=Span(line, 1, line, end_col), origin=origin,
        specifier_span=Span(line, col, line, end_col),
    )


def _finding(decl: Declaration, target: str, path: str = "requirements.txt", code: str = "DDC302",
             pin_to: str | None = None) -> Finding:
    return Finding(code=code, level=Level.WARNING, message="m", path=path, span=decl.span, package=decl.name,
                   subject=decl, target=SpecifierSet(target).to_range(), pin_to=pin_to)


def test_requirements_fix_keeps_every_other_byte() -> None:
    text = (
        "# web\r\naiopg>=0.12 ; python_version >= '3.9'  # db\r\n"
        "Django==1.4 \\\r\n    --hash=sha256:ab\r\n"
    )
    result = _result(text, bom=True)
    aiopg = _decl("aiopg", ">=0.12", 2, 6, 12)
    django = _decl("django", "==1.4", 3, 7, 12)
    findings = attach_fixes(
        [_finding(aiopg, ">=0.12.0,<=0.16"), _finding(django, ">=1.8", code="DDC301", pin_to="1.8")],
        {"requirements.txt": result},
    )
    assert findings[0].fix is not None and findings[0].fix.safe
    assert findings[1].fix is not None and not findings[1].fix.safe
    safe_only = plan({"requirements.txt": result}, findings, unsafe=False)
    assert safe_only.rewrites[0].new == codecs.BOM_UTF8 + (
        b"# web\r\naiopg>=0.12,<=0.16 ; python_version >= '3.9'  # db\r\n"
        b"Django==1.4 \\\r\n    --hash=sha256:ab\r\n"
    )
    both = plan({"requirements.txt": result}, findings, unsafe=True)
    assert both.rewrites[0].new.endswith(b"Django==1.8 \\\r\n    --hash=sha256:ab\r\n")


def test_utf16_file_stays_utf16() -> None:
    result = _result("aiopg>=0.12\n", encoding="utf-16-le", bom=True)
    decl = _decl("aiopg", ">=0.12", 1, 6, 12)
    outcome = plan({"requirements.txt": result}, attach_fixes([_finding(decl, ">=0.12,<=0.16")],
                                                              {"requirements.txt": result}), unsafe=False)
    assert outcome.rewrites[0].new == codecs.BOM_UTF16_LE + "aiopg>=0.12,<=0.16\n".encode("utf-16-le")
    assert outcome.rewrites[0].original == encode(result.text, result)


def test_lock_files_are_never_fixed_and_say_to_relock() -> None:
    result = _result('[[package]]\nname = "aiopg"\nversion = "1.4.0"\n', "poetry.lock", "poetry.lock")
    decl = _decl("aiopg", "==1.4.0", 2, 12, 17, origin=Origin.LOCK)
    [finding] = attach_fixes([_finding(decl, ">=0.12,<=0.16", "poetry.lock", "DDC301", "0.16")],
                             {"poetry.lock": result})
    assert finding.fix is None
    assert RELOCK_HINT in finding.message  # in every format, not only the full hint


def test_toml_fix_checked_by_reparsing() -> None:
    text = "[project]\ndependencies = [\n  'aiopg>=0.12',  # keep\n]\n"
    result = _result(text, "pyproject.toml", "pyproject")
    decl = _decl("aiopg", ">=0.12", 3, 9, 15)
    fixed = attach_fixes([_finding(decl, ">=0.12,<=0.16", "pyproject.toml")], {"pyproject.toml": result})
    outcome = plan({"pyproject.toml": result}, fixed, unsafe=False)
    assert outcome.rewrites[0].new_text == "[project]\ndependencies = [\n  'aiopg>=0.12,<=0.16',  # keep\n]\n"
    assert unified_diff(outcome).startswith("--- a/pyproject.toml\n+++ b/pyproject.toml\n")


def test_a_fix_that_breaks_toml_is_refused() -> None:
    result = _result("x = 'a>=1'\n", "pyproject.toml", "pyproject")
    broken = Fix(path="pyproject.toml", span=Span(1, 7, 1, 10), replacement="'", description="d")
    finding = Finding(code="DDC302", level=Level.WARNING, message="m", path="pyproject.toml",
                      span=Span(1, 1, 1, 2), fix=broken)
    outcome = plan({"pyproject.toml": result}, [finding], unsafe=False)
    assert outcome.rewrites == [] and "not fixed" in outcome.errors[0]


def test_write_refuses_a_file_changed_since_read(tmp_path: Path) -> None:
    target = tmp_path / "requirements.txt"
    target.write_bytes(b"aiopg>=0.12\n")
    result = _result("aiopg>=0.12\n", str(target))
    decl = _decl("aiopg", ">=0.12", 1, 6, 12)
    outcome = plan({str(target): result}, attach_fixes([_finding(decl, ">=0.12,<=0.16", str(target))],
                                                       {str(target): result}), unsafe=False)
    target.write_bytes(b"aiopg>=0.13\n")
    assert "changed on disk" in write(outcome)[0]
    assert target.read_bytes() == b"aiopg>=0.13\n"
    target.write_bytes(b"aiopg>=0.12\n")
    assert write(outcome) == []
    assert target.read_bytes() == b"aiopg>=0.12,<=0.16\n"


_clause = st.builds(
    lambda op, major, minor: f"{op}{major}.{minor}",
    st.sampled_from([">=", ">", "<=", "<", "==", "!=", "~="]), st.integers(0, 5), st.integers(0, 20),
)


@given(st.lists(_clause, min_size=1, max_size=3), st.integers(0, 5), st.integers(0, 20))
def test_a_safe_fix_never_widens(clauses: list[str], major: int, minor: int) -> None:
    spec = ",".join(clauses)
    target = f">={major}.{minor},<={major + 1}.0"
    result = _narrow(spec, target)
    if result is not None:
        new = SpecifierSet(result).to_range()
        assert not new.is_empty
        assert new.is_subset(SpecifierSet(spec).to_range())
        assert new.is_subset(SpecifierSet(target).to_range())


def test_a_fix_writes_its_own_targets_text_after_an_equal_target() -> None:
    # `>=4` and `>=4.0` are equal ranges (and hash alike): a cache by equality once wrote one's text for
    # the other, depending on which a run met first.
    assert _narrow(">=1.0", ">=4") == ">=4"
    assert _narrow(">=1.0", ">=4.0") == ">=4.0"
    assert _narrow(">=1.0", ">=4") == ">=4"
