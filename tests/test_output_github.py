"""The github format: workflow commands, GitHub's escaping, and no way out of a command."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from _output_samples import FINDINGS
from ddcompat.model import Finding, Level, Span
from ddcompat.output import render
from ddcompat.output._escape import escape_text
from ddcompat.output.github import escape_data, escape_property

GOLDEN = (
    "::notice file=pyproject.toml,line=12,col=4,endLine=12,endColumn=19,title=DDC304::pymemcache is not "
    "patched automatically; enable it with DD_PATCH_MODULES=pymemcache:true\n"
    "::error file=requirements.txt,line=3,col=1,endLine=3,endColumn=16,title=DDC101::ddtrace==1.20.3 is on "
    "the 1.x branch, which is End of Life\n"
    "::warning file=requirements.txt,line=5,col=1,endLine=5,endColumn=12,title=DDC302::aiopg>=0.12 admits "
    "versions outside the documented range >=0.12.0,<=0.16\n"
    # Several lines: the toolkit says columns cannot be sent, so they are left out.
    "::error file=services/api/poetry.lock,line=40,endLine=41,title=DDC201::no Python the project allows "
    "(==3.14.*) is supported by ddtrace 4.x\n"
)

# How the Actions runner reads a command line (actions/runner ActionCommand.TryParseV2): `::name`,
# optional ` key=value,...` properties up to the next `::`, the data after it; values are unescaped.
COMMAND = re.compile(r"^::(?P<name>[A-Za-z-]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape(value: str, *, prop: bool) -> str:
    value = value.replace("%0D", "\r").replace("%0A", "\n")
    if prop:
        value = value.replace("%3A", ":").replace("%2C", ",")
    return value.replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match is not None, line
    props: dict[str, str] = {}
    for part in (match["props"] or "").split(","):
        key, sep, value = part.partition("=")
        assert sep, part
        props[key] = _unescape(value, prop=True)
    return match["name"], props, _unescape(match["data"], prop=False)


def _github(findings: list[Finding] | tuple[Finding, ...]) -> str:
    return render(findings, "github", color=True, sarif_category=None, files_checked=1)


def test_golden() -> None:
    assert _github(FINDINGS) == GOLDEN


def test_empty() -> None:
    assert _github([]) == ""


def test_commands_round_trip() -> None:
    for finding, line in zip(FINDINGS, _github(FINDINGS).splitlines()):
        name, props, data = parse(line)
        assert name == {"error": "error", "warning": "warning", "note": "notice"}[finding.level.value]
        assert props["file"] == finding.path
        assert props["title"] == finding.code
        assert props["line"] == str(finding.span.line)
        assert data == finding.message


def test_escaping_rules() -> None:
    assert escape_data("100% a\r\nb") == "100%25 a\\r\\nb"
    assert escape_data("%0A") == "%250A"  # an encoded newline in the text stays text
    assert escape_property("a:b,c%d") == "a%3Ab%2Cc%25d"


def test_crafted_text_cannot_start_or_end_a_command() -> None:
    evil = "x\n::add-mask::secret\r::stop-commands::tok\n::error file=a,line=1::forged"
    finding = Finding(
        "DDC301", Level.ERROR, f"bad {evil}", f"dir,line=9,title=X::{evil}.txt", Span(1, 1, 1, 2),
        package=evil,
    )
    out = _github([finding])
    assert out.count("\n") == 1
    name, props, data = parse(out.rstrip("\n"))
    assert name == "error"
    assert set(props) == {"file", "line", "col", "endLine", "endColumn", "title"}
    assert props["line"] == "1" and props["title"] == "DDC301"
    assert props["file"] == escape_text(finding.path)
    assert data == escape_text(finding.message)


@given(st.text(), st.text(min_size=1), st.sampled_from(list(Level)))
def test_any_text_gives_exactly_one_well_formed_command(message: str, path: str, level: Level) -> None:
    finding = Finding("DDC301", level, message, path, Span(2, 3, 2, 9))
    out = _github([finding])
    assert out.endswith("\n") and out.count("\n") == 1
    assert "\r" not in out
    _, props, data = parse(out[:-1])
    assert props["file"] == escape_text(path)
    assert data == escape_text(message)
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == ("2", "3", "2", "9")
