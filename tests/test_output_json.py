"""The json format: fixed keys in a fixed order, text as found, always valid ASCII JSON."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from _output_samples import FINDINGS
from ddcompat.model import Finding, Fix, Level, Span
from ddcompat.output import render
from ddcompat.output.json_format import KEYS

GOLDEN = """\
[
  {
    "code": "DDC101",
    "name": "tracer-eol",
    "level": "error",
    "message": "ddtrace==1.20.3 is on the 1.x branch, which is End of Life",
    "path": "requirements.txt",
    "line": 3,
    "column": 1,
    "end_line": 3,
    "end_column": 16,
    "package": "ddtrace",
    "fix": {
      "path": "requirements.txt",
      "line": 3,
      "column": 8,
      "end_line": 3,
      "end_column": 16,
      "replacement": "==4.0.0",
      "description": "pin ddtrace to 4.0.0",
      "safe": false
    }
  },
  {
    "code": "DDC201",
    "name": "python-unsupported",
    "level": "error",
    "message": "no Python the project allows (==3.14.*) is supported by ddtrace 4.x",
    "path": "services/api/poetry.lock",
    "line": 40,
    "column": 1,
    "end_line": 41,
    "end_column": 20,
    "package": null,
    "fix": null
  }
]
"""


def _json(findings: list[Finding] | tuple[Finding, ...]) -> str:
    return render(findings, "json", color=True, sarif_category="x", files_checked=3)


def test_golden() -> None:
    assert _json([FINDINGS[1], FINDINGS[3]]) == GOLDEN


def test_empty_is_an_empty_list() -> None:
    assert _json([]) == "[]\n"
    assert json.loads(_json([])) == []


def test_keys_and_order_are_fixed() -> None:
    objects = json.loads(_json(FINDINGS))
    assert [obj["code"] for obj in objects] == [finding.code for finding in FINDINGS]
    for obj, finding in zip(objects, FINDINGS):
        assert tuple(obj) == KEYS
        assert obj["level"] == finding.level.value
        assert (obj["line"], obj["column"], obj["end_line"], obj["end_column"]) == (
            finding.span.line, finding.span.column, finding.span.end_line, finding.span.end_column,
        )
    assert objects[2]["fix"] == {
        "path": "requirements.txt", "line": 5, "column": 6, "end_line": 5, "end_column": 12,
        "replacement": ">=0.12,<=0.16", "description": "narrow aiopg to >=0.12,<=0.16", "safe": True,
    }


def test_hostile_text_travels_escaped_and_comes_back_exactly() -> None:
    evil = "a\x1b[31m\x00\r\n\x9b\u202e\"\\</script>\udcff"
    fix = Fix(evil, Span(1, 1, 1, 2), evil, evil, safe=False)
    finding = Finding("DDC301", Level.ERROR, evil, evil, Span(1, 1, 1, 2), package=evil, fix=fix)
    out = _json([finding])
    assert out.isascii()
    assert "\x1b" not in out and "\n\n" not in out
    obj = json.loads(out)[0]
    assert obj["message"] == obj["path"] == obj["package"] == evil
    assert obj["fix"]["replacement"] == obj["fix"]["description"] == evil


@given(st.text(), st.text(), st.one_of(st.none(), st.text()))
def test_any_text_round_trips(message: str, path: str, package: str | None) -> None:
    finding = Finding("DDC999", Level.NOTE, message, path, Span(1, 1, 1, 1), package=package)
    obj = json.loads(_json([finding]))[0]
    assert (obj["message"], obj["path"], obj["package"], obj["name"]) == (message, path, package, "")
