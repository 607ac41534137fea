"""The sarif format: schema-valid SARIF 2.1.0 shaped for GitHub code scanning, with stable fingerprints."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _output_samples import FINDINGS
from conftest import SARIF_SCHEMA, require
from ddcompat import __version__
from ddcompat.catalog import RULES
from ddcompat.model import Finding, Fix, Level, Span
from ddcompat.output import render
from ddcompat.output.sarif import artifact_location, category_id, fingerprint, render_sarif


def _sarif(findings: list[Finding] | tuple[Finding, ...], category: str | None = None) -> dict[str, Any]:
    text = render(findings, "sarif", color=True, sarif_category=category, files_checked=4)
    log = json.loads(text)
    assert isinstance(log, dict)
    return log


# RFC 3986 URI-reference characters; jsonschema checks the schema's `uri`/`uri-reference` formats only
# when an optional package is installed, so the URIs are checked here as well.
_URI_REFERENCE = re.compile(
    r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-F]{2})*$"
)
_URI_KEYS = ("uri", "helpUri", "informationUri", "$schema")


def _uris(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _URI_KEYS and isinstance(value, str):
                found.append(value)
            found.extend(_uris(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_uris(item))
    return found


def _validate(log: dict[str, Any]) -> None:
    for uri in _uris(log):
        assert _URI_REFERENCE.match(uri), uri
        scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri)
        if scheme is None:  # a relative reference: a `:` in its first segment would read as a scheme
            assert ":" not in uri.split("/")[0], uri
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(require(SARIF_SCHEMA).read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(log)]
    assert errors == []


def test_valid_against_the_schema() -> None:
    _validate(_sarif(FINDINGS))


def test_empty_is_valid_and_has_a_results_array() -> None:
    log = _sarif([])
    _validate(log)
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(RULES)


def test_top_level_and_driver() -> None:
    log = _sarif(FINDINGS)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ddcompat"
    assert driver["version"] == __version__
    assert driver["semanticVersion"] == __version__
    assert driver["informationUri"].startswith("https://")
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["automationDetails"] == {"id": "ddcompat/"}
    base = run["originalUriBaseIds"]["%SRCROOT%"]
    assert base["uri"] == Path.cwd().as_uri().rstrip("/") + "/"


def test_every_catalog_rule_is_described() -> None:
    rules = _sarif([])["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in RULES]
    for descriptor, rule in zip(rules, RULES):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert 0 < len(descriptor["fullDescription"]["text"]) < 1024
        assert rule.why in descriptor["help"]["text"] and rule.how_to_fix in descriptor["help"]["text"]
        assert descriptor["help"]["markdown"].startswith(f"**{rule.code} {rule.name}**")
        assert descriptor["helpUri"] == rule.help_uri
        assert descriptor["defaultConfiguration"]["level"] == rule.level.value
        props = descriptor["properties"]
        assert set(rule.tags) <= set(props["tags"]) and len(props["tags"]) <= 20
        assert props["precision"] in ("very-high", "high", "medium", "low")
        assert props["problem.severity"] in ("error", "warning", "recommendation")
        if "security-severity" in props:  # GitHub rejects a value that is not a number
            assert 0.1 <= float(props["security-severity"]) <= 10.0
            assert "security" in props["tags"]


def test_results() -> None:
    run = _sarif(FINDINGS)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(FINDINGS)
    for result, finding in zip(run["results"], FINDINGS):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        assert result["level"] == finding.level.value
        assert result["message"]["text"] == finding.message
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {
            "startLine": finding.span.line, "startColumn": finding.span.column,
            "endLine": finding.span.end_line, "endColumn": finding.span.end_column,
        }
        prints = result["partialFingerprints"]
        assert set(prints) == {"ddcompat/v1", "primaryLocationLineHash"}
        assert prints["primaryLocationLineHash"] == prints["ddcompat/v1"]


def test_fixes() -> None:
    result = _sarif(FINDINGS)["runs"][0]["results"][2]
    assert result["fixes"] == [
        {
            "description": {"text": "narrow aiopg to >=0.12,<=0.16"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "requirements.txt", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 5, "startColumn": 6, "endLine": 5, "endColumn": 12
                            },
                            "insertedContent": {"text": ">=0.12,<=0.16"},
                        }
                    ],
                }
            ],
            "properties": {"safe": True},
        }
    ]
    unsafe = _sarif(FINDINGS)["runs"][0]["results"][1]["fixes"][0]
    assert unsafe["properties"] == {"safe": False}
    assert "unsafe" in unsafe["description"]["text"]
    assert "fixes" not in _sarif(FINDINGS)["runs"][0]["results"][0]


def test_fingerprint_ignores_the_line_number() -> None:
    finding = FINDINGS[1]
    moved = finding._replace(span=Span(30, 1, 30, 16), source_line="ddtrace==1.20.3\n")
    assert fingerprint(moved) == fingerprint(finding)
    before = _sarif([finding])["runs"][0]["results"][0]["partialFingerprints"]
    after = _sarif([moved])["runs"][0]["results"][0]["partialFingerprints"]
    assert before == after


@pytest.mark.parametrize(
    "change",
    [
        {"code": "DDC102"},
        {"path": "requirements-dev.txt"},
        {"package": "ddtrace-api"},
        {"declared": "ddtrace==1.20.4"},
    ],
)
def test_fingerprint_changes_with_what_the_finding_is_about(change: dict[str, str]) -> None:
    finding = FINDINGS[1]
    assert fingerprint(finding._replace(**change)) != fingerprint(finding)  # type: ignore[arg-type]


def test_identical_findings_get_distinct_fingerprints() -> None:
    first = FINDINGS[1]
    second = first._replace(span=Span(9, 1, 9, 16))
    results = _sarif([first, second])["runs"][0]["results"]
    prints = [result["partialFingerprints"]["ddcompat/v1"] for result in results]
    assert prints[0] != prints[1]
    assert prints[0].split(":")[0] == prints[1].split(":")[0]


def test_category() -> None:
    assert category_id(None) == "ddcompat/"
    assert category_id("") == "ddcompat/"
    assert category_id("services/api") == "services/api/"
    assert category_id("backend/") == "backend/"
    assert _sarif([], category="api")["runs"][0]["automationDetails"] == {"id": "api/"}


def test_uris() -> None:
    assert artifact_location("requirements/prod.txt") == {
        "uri": "requirements/prod.txt", "uriBaseId": "%SRCROOT%"
    }
    assert artifact_location("my dir/ré q#1.txt")["uri"] == "my%20dir/r%C3%A9%20q%231.txt"
    assert artifact_location("a:b.txt")["uri"] == "a%3Ab.txt"  # not a URI scheme
    assert artifact_location("/abs/path/x y.txt") == {"uri": "file:///abs/path/x%20y.txt"}
    assert artifact_location("C:/work/req.txt") == {"uri": "file:///C%3A/work/req.txt"}
    assert artifact_location("bad\udcffname.txt")["uri"] == "bad%FFname.txt"  # an undecodable file name


def test_srcroot_without_a_folder() -> None:
    log = json.loads(render_sarif([FINDINGS[0]], srcroot=None))
    assert "uri" not in log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    _validate(log)


def test_hostile_text_stays_valid() -> None:
    evil = "\x00\x1b[2J\r\n\x9b\u202e\ud800 ::add-mask::x %0A"
    fix = Fix(evil, Span(1, 1, 1, 2), evil, evil, safe=True)
    finding = Finding(
        "DDC301", Level.ERROR, evil, evil, Span(1, 1, 1, 2), package=evil, declared=evil, fix=fix
    )
    text = render([finding], "sarif", color=False, sarif_category=evil, files_checked=1)
    assert text.isascii()
    log = json.loads(text)
    _validate(log)
    result = log["runs"][0]["results"][0]
    assert "\x1b" not in result["message"]["text"] and "\u202e" not in result["message"]["text"]
    assert result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == evil


@settings(max_examples=50, deadline=None)
@given(st.text(), st.text(min_size=1), st.one_of(st.none(), st.text()), st.integers(1, 10**6))
def test_any_text_gives_valid_sarif(message: str, path: str, package: str | None, line: int) -> None:
    finding = Finding("DDC302", Level.WARNING, message, path, Span(line, 1, line, 2), package=package)
    log = json.loads(render_sarif([finding]))
    _validate(log)


def _cli_fingerprints(root: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, str]]:
    from ddcompat.cli import main

    (root / "requirements.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["check", "--output-format", "sarif", "-o", "out.sarif", "--today", "2026-01-15"]) == 1
    log = json.loads((root / "out.sarif").read_text(encoding="utf-8"))
    return {result["ruleId"] + ":" + result["properties"]["package"]: result["partialFingerprints"]
            for result in log["runs"][0]["results"]}


def test_github_fingerprint_survives_edits_to_other_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GitHub reads only `primaryLocationLineHash`; without it upload-sarif hashes ~100 characters from the
    # line on, so editing the next pin (or inserting a line) would close the alert and open a new one.
    before = _cli_fingerprints(tmp_path, "ddtrace==1.20.3\naiopg>=0.12\n", monkeypatch)
    after = _cli_fingerprints(tmp_path, "# pins\nrequests==2.32.3\nddtrace==1.20.3\naiopg>=0.12,<0.20\n",
                              monkeypatch)
    assert "DDC101:ddtrace" in before
    assert before["DDC101:ddtrace"] == after["DDC101:ddtrace"]
    assert before["DDC101:ddtrace"]["primaryLocationLineHash"] == before["DDC101:ddtrace"]["ddcompat/v1"]
