"""No text from a dependency file can reach a terminal, a CI log or an editor as anything but text.

Package names, paths, comments, markers and messages quoting them go through `escape_text` in the
human formats: C0/C1 controls, DEL, lone surrogates, bidi controls and Unicode line separators become
visible escapes, so a file cannot recolour or clear the screen, set the window title, forge a second
finding line, or reorder what a reviewer reads (Trojan Source).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ddcompat.model import Finding, Fix, Level, Span
from ddcompat.output import render
from ddcompat.output._escape import escape_text, needs_escape

HOSTILE = (
    "\x1b[2J\x1b]0;pwned\x07"  # clear screen, set the window title
    "\r\n"  # CR/LF: a forged second line
    "\x00\x7f\x9b31m"  # NUL, DEL, the C1 control sequence introducer
    "\u202eevil\u202c\u2066\u2069\u200f"  # bidi overrides and isolates
    "\u2028\u2029\ufeff\udcff"  # line/paragraph separators, BOM, a lone surrogate
)
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _hostile_finding() -> Finding:
    return Finding(
        code="DDC301",
        level=Level.ERROR,
        message=f"aiopg{HOSTILE}==1.4.0 is outside >=0.12.0,<=0.16",
        path=f"req{HOSTILE}.txt",
        span=Span(1, 3, 1, 9),
        package=f"aiopg{HOSTILE}",
        declared=f"aiopg{HOSTILE}==1.4.0",
        hint=f"pin {HOSTILE}",
        fix=Fix(f"req{HOSTILE}.txt", Span(1, 3, 1, 9), f"=={HOSTILE}", f"pin {HOSTILE}", safe=False),
        source_line=f"aiopg{HOSTILE}==1.4.0  # {HOSTILE}\n",
    )


def _unsafe_chars(text: str) -> set[str]:
    return {char for char in text if needs_escape(char) and char != "\n"}


@pytest.mark.parametrize("output_format", ["concise", "full"])
@pytest.mark.parametrize("color", [False, True])
def test_human_formats_carry_no_control_characters(output_format: str, color: bool) -> None:
    out = render([_hostile_finding()], output_format, color=color, sarif_category=None, files_checked=1)
    # Colour is ours: only SGR sequences, only when asked; nothing else survives.
    assert _unsafe_chars(SGR.sub("", out)) == set()
    if not color:
        assert "\x1b" not in out
    out.encode("utf-8")  # a lone surrogate would make printing fail
    assert "\\x1b[2J" in out and "\\u202e" in out and "\\udcff" in out


def test_concise_is_one_line_per_finding() -> None:
    finding = _hostile_finding()
    out = render([finding, finding], "concise", color=False, sarif_category=None, files_checked=1)
    lines = out.splitlines()
    assert len(lines) == 4  # two findings, the summary and the fix summary
    assert lines[0] == lines[1]
    assert lines[0].startswith("req\\x1b[2J\\x1b]0;pwned\\x07\\r\\n\\x00\\x7f\\x9b31m\\u202eevil")
    assert lines[0].endswith("==1.4.0 is outside >=0.12.0,<=0.16")


def test_full_keeps_its_shape() -> None:
    out = render([_hostile_finding()], "full", color=False, sarif_category=None, files_checked=1)
    lines = out.splitlines()
    assert [line[:3] for line in lines[:6]] == ["req", "  |", "1 |", "  |", "  =", "  ="]
    # The caret still sits under `aiopg...==1.4.0`'s span (columns 3-8 of the line, escapes widened).
    source, carets = lines[2][4:], lines[3][4:]
    assert carets.startswith("  ^")
    assert source[2:].startswith("opg\\x1b[2J")


def test_escape_text() -> None:
    assert escape_text("plain ascii, ünïcödé, 名前") == "plain ascii, ünïcödé, 名前"
    assert escape_text("a\tb\nc\rd\x1be\x9bf\x7fg") == "a\\tb\\nc\\rd\\x1be\\x9bf\\x7fg"
    assert escape_text("\u202e\u2066\ufeff\udc80") == "\\u202e\\u2066\\ufeff\\udc80"


def test_invisible_characters_are_made_visible() -> None:
    # Zero-width space, soft hyphen, word joiner, zero-width joiner, and tag characters ("ASCII
    # smuggling": invisible copies of `ddtrace`).
    assert escape_text("ddtrace\u200b==1") == "ddtrace\\u200b==1"
    assert escape_text("a\u00adb\u2060c\u200dd") == "a\\xadb\\u2060c\\u200dd"
    smuggled = "".join(chr(0xE0000 + ord(char)) for char in "ddtrace")
    assert escape_text(smuggled) == "".join(f"\\U{0xE0000 + ord(char):08x}" for char in "ddtrace")
    assert escape_text(smuggled).startswith("\\U000e0064\\U000e0064\\U000e0074")


def test_every_control_and_format_character_is_escaped() -> None:
    import sys
    import unicodedata

    unsafe = {"Cc", "Cf", "Cs", "Zl", "Zp"}
    missed = [hex(code) for code in range(sys.maxunicode + 1)
              if unicodedata.category(chr(code)) in unsafe and escape_text(chr(code)) == chr(code)]
    assert missed == []


@given(st.text())
def test_escaped_text_is_always_printable(text: str) -> None:
    escaped = escape_text(text)
    assert not any(needs_escape(char) for char in escaped)
    escaped.encode("utf-8")
    assert escape_text(escaped) == escaped


@given(st.text(), st.text(min_size=1), st.text())
def test_any_text_gives_one_concise_line(message: str, path: str, source: str) -> None:
    finding = Finding("DDC302", Level.WARNING, message, path, Span(1, 1, 1, 4), source_line=source)
    concise = render([finding], "concise", color=False, sarif_category=None, files_checked=1)
    assert len(concise.splitlines()) == 2
    full = render([finding], "full", color=False, sarif_category=None, files_checked=1)
    assert _unsafe_chars(full) == set()
    assert full.splitlines()[0] == concise.splitlines()[0]
