"""The json format: a list of flat objects with a fixed set of keys, in a fixed order.

Text is emitted as found (programs consume this, not terminals), with `ensure_ascii` so control, bidi and
other non-ASCII characters travel as `\\u` escapes and the output is plain ASCII whatever the file held.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Optional

from ddcompat.catalog import BY_CODE
from ddcompat.model import Finding, Fix

KEYS = (
    "code", "name", "level", "message", "path", "line", "column", "end_line", "end_column", "package", "fix",
)


def _fix(fix: Optional[Fix]) -> Optional[dict[str, object]]:
    if fix is None:
        return None
    return {
        "path": fix.path,
        "line": fix.span.line,
        "column": fix.span.column,
        "end_line": fix.span.end_line,
        "end_column": fix.span.end_column,
        "replacement": fix.replacement,
        "description": fix.description,
        "safe": fix.safe,
    }


def finding_object(finding: Finding) -> dict[str, object]:
    rule = BY_CODE.get(finding.code)
    obj: dict[str, object] = {
        "code": finding.code,
        "name": rule.name if rule is not None else "",
        "level": finding.level.value,
        "message": finding.message,
        "path": finding.path,
        "line": finding.span.line,
        "column": finding.span.column,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column,
        "package": finding.package,
        "fix": _fix(finding.fix),
    }
    return obj


def render_json(findings: Sequence[Finding]) -> str:
    return json.dumps([finding_object(finding) for finding in findings], indent=2, ensure_ascii=True) + "\n"
