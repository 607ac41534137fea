"""`ddcompat rule CODE | --all`: explain a diagnostic from the catalog."""

from __future__ import annotations

import sys
from typing import Optional

from ddcompat.catalog import RULES, Rule, rule_for
from ddcompat.errors import UsageError


def explain(rule: Rule) -> str:
    """A short, plain-text page about one code: what, why, where it comes from, how to fix."""
    return (
        f"{rule.code} {rule.name} ({rule.level.value})\n"
        f"\n  What:    {rule.summary}\n"
        f"  Why:     {rule.why}\n"
        f"  Source:  {rule.source}\n"
        f"  Fix:     {rule.how_to_fix}\n"
        f"  More:    {rule.help_uri}\n"
    )


def explain_command(code: Optional[str]) -> int:
    if code is None:
        sys.stdout.write("\n".join(explain(rule) for rule in RULES))
        return 0
    try:
        rule = rule_for(code.strip().upper())
    except KeyError:
        raise UsageError(f"unknown code {code!r} (see `ddcompat rule --all`)") from None
    sys.stdout.write(explain(rule))
    return 0
