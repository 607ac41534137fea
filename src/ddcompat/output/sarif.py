"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).

Shaped by what github/codeql-action's upload-sarif validates and what code scanning reads (see
shared/research/ecosystem.md): every catalog rule in `tool.driver.rules` (so `ruleIndex` is stable between
runs), relative `%SRCROOT%` URIs, full 1-based regions with exclusive end columns, a `results` array even
when empty, `automationDetails.id` so a monorepo can upload one run per project, and a fingerprint of
what the finding is about rather than where it is, so editing a neighbouring line does not reopen alerts.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from ddcompat import __version__
from ddcompat.catalog import RULES, Rule
from ddcompat.model import Finding, Fix, Level, Span
from ddcompat.output._escape import escape_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/ddcompat/ddcompat"
DEFAULT_CATEGORY = "ddcompat/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "ddcompat/v1"
PRIMARY_FINGERPRINT_KEY = "primaryLocationLineHash"  # the only key GitHub code scanning reads
MAX_DESCRIPTION = 1023  # GitHub shows at most 1024 characters of short and full descriptions

# GitHub treats a rule with `security-severity` as a security rule (0.1-3.9 low, 4.0-6.9 medium,
# 7.0-8.9 high, 9.0+ critical). Only rules whose finding is itself a security exposure get one:
# Redis credentials kept in trace metadata by an old Agent.
SECURITY_SEVERITY = {"DDC502": "5.0"}

_PROBLEM_SEVERITY = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "recommendation"}
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[/\\]")
_RULE_INDEX = {rule.code: index for index, rule in enumerate(RULES)}


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _semantic_version(version: str) -> str:
    """SemVer 2.0 from a PEP 440 version where it maps (`0.1.0` stays, `1.2` becomes `1.2.0`)."""
    match = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    if match is None:
        return "0.0.0"
    major, minor, patch = (part or "0" for part in match.groups())
    rest = version[match.end():]
    core = f"{int(major)}.{int(minor)}.{int(patch)}"
    suffix = re.sub(r"[^0-9A-Za-z.-]", "", rest.lstrip(".-+"))
    return f"{core}-{suffix}" if suffix else core


def rule_descriptor(rule: Rule) -> dict[str, object]:
    tags = ["ddcompat", "dependencies", *rule.tags]
    properties: dict[str, object] = {
        "precision": "very-high" if rule.code.startswith("DDC9") else "high",
        "problem.severity": _PROBLEM_SEVERITY[rule.level],
    }
    if rule.code in SECURITY_SEVERITY:
        properties["security-severity"] = SECURITY_SEVERITY[rule.code]
        if "security" not in tags:
            tags.append("security")
    properties = {"tags": tags[:20], **properties}
    help_text = f"{rule.summary}\n\n{rule.why}\n\nHow to fix: {rule.how_to_fix}\n\nSource: {rule.source}."
    help_markdown = (
        f"**{rule.code} {rule.name}**\n\n{rule.summary}\n\n{rule.why}\n\n"
        f"**How to fix:** {rule.how_to_fix}\n\n*Source: {rule.source}.*"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(rule.summary)},
        "fullDescription": {"text": _clip(f"{rule.summary} {rule.why}")},
        "help": {"text": help_text, "markdown": help_markdown},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.level.value},
        "properties": properties,
    }


def _quote(path: str) -> str:
    """Percent-encode a path (UTF-8), keeping `/`; undecodable file-name bytes come back as themselves."""
    try:
        return quote(path, safe="/", errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, safe="/", errors="surrogatepass")


def artifact_location(path: str) -> dict[str, object]:
    """A relative path as a `%SRCROOT%`-relative URI reference; an absolute one as a `file:` URI.

    `:` is encoded too, so a first segment like `a:b.txt` cannot be read as a URI scheme.
    """
    if _WINDOWS_ABSOLUTE.match(path):
        return {"uri": "file:///" + _quote(path.replace("\\", "/"))}
    if path.startswith("/"):
        return {"uri": "file://" + _quote(path)}
    return {"uri": _quote(path), "uriBaseId": SRCROOT}


def region(span: Span) -> dict[str, int]:
    return {
        "startLine": max(span.line, 1),
        "startColumn": max(span.column, 1),
        "endLine": max(span.end_line, span.line, 1),
        "endColumn": max(span.end_column, 1),
    }


def fingerprint(finding: Finding) -> str:
    """What the finding is about, not where: code, path, package and the declared text. No line number."""
    parts = (finding.code, finding.path, finding.package or "", finding.declared)
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def _fixes(fix: Fix) -> list[dict[str, object]]:
    label = fix.description if fix.safe else f"{fix.description} (unsafe: changes what the pin admits)"
    return [
        {
            "description": {"text": escape_text(label)},
            "artifactChanges": [
                {
                    "artifactLocation": artifact_location(fix.path),
                    "replacements": [
                        {
                            "deletedRegion": region(fix.span),
                            "insertedContent": {"text": fix.replacement},
                        }
                    ],
                }
            ],
            "properties": {"safe": fix.safe},
        }
    ]


def result(finding: Finding, occurrence: int) -> dict[str, object]:
    obj: dict[str, object] = {"ruleId": finding.code}
    if finding.code in _RULE_INDEX:
        obj["ruleIndex"] = _RULE_INDEX[finding.code]
    obj["level"] = finding.level.value
    obj["message"] = {"text": escape_text(finding.message)}
    obj["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": artifact_location(finding.path),
                "region": region(finding.span),
            }
        }
    ]
    stable = f"{fingerprint(finding)}:{occurrence}"
    # GitHub tracks alerts by `primaryLocationLineHash` only; left out, upload-sarif hashes the source around
    # the line, and editing the next pin would reopen the alert. Given, it is kept (the action logs that it
    # differs from its own hash).
    obj["partialFingerprints"] = {FINGERPRINT_KEY: stable, PRIMARY_FINGERPRINT_KEY: stable}
    if finding.package:
        obj["properties"] = {"package": finding.package}
    if finding.fix is not None:
        obj["fixes"] = _fixes(finding.fix)
    return obj


def category_id(category: Optional[str]) -> str:
    """`automationDetails.id`: the category with a trailing `/` (GitHub reads what precedes the last `/`)."""
    if not category:
        return DEFAULT_CATEGORY
    return category if category.endswith("/") else category + "/"


def sarif_log(
    findings: Sequence[Finding], *, category: Optional[str] = None, srcroot: Optional[Path] = None
) -> dict[str, object]:
    """The SARIF log as a JSON-ready dict; `srcroot` (an absolute folder) is `%SRCROOT%`."""
    seen: dict[str, int] = {}
    results = []
    for finding in findings:
        key = fingerprint(finding)
        seen[key] = seen.get(key, 0) + 1
        results.append(result(finding, seen[key]))
    base: dict[str, object] = {
        "description": {"text": "The folder ddcompat ran in; result paths are relative to it."}
    }
    if srcroot is not None:
        base = {"uri": srcroot.as_uri().rstrip("/") + "/", **base}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "ddcompat",
                "version": __version__,
                "semanticVersion": _semantic_version(__version__),
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in RULES],
            }
        },
        "automationDetails": {"id": category_id(category)},
        "originalUriBaseIds": {SRCROOT: base},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(
    findings: Sequence[Finding], *, category: Optional[str] = None, srcroot: Optional[Path] = None
) -> str:
    log = sarif_log(findings, category=category, srcroot=srcroot)
    return json.dumps(log, indent=2, ensure_ascii=True) + "\n"
