"""The diagnostic catalog: every code ddcompat can emit, its stable name, level and explanation.

Codes are public ids (editors, CI filters and SARIF rely on them); never renumber one.
`ddcompat rule`, the SARIF `tool.driver.rules` and the level of every finding come from here.
"""

from __future__ import annotations

from typing import NamedTuple

from ddcompat.model import Level

DOCS_URL = "https://github.com/ddcompat/ddcompat#rule-catalog"
APM_PAGE_URL = "https://docs.datadoghq.com/tracing/trace_collection/compatibility/python/"
CODE_SECURITY_PAGE_URL = (
    "https://docs.datadoghq.com/security/code_security/software_composition_analysis/"
    "setup_runtime/compatibility/python/"
)


class Rule(NamedTuple):
    """One diagnostic code and everything a user needs to understand it."""

    code: str
    name: str
    level: Level
    summary: str  # one sentence: when it fires
    why: str  # why it matters
    source: str  # which page and table it comes from
    how_to_fix: str
    tags: tuple[str, ...] = ()

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL.split('#')[0]}#{self.code.lower()}"


_APM_RELEASES = "APM page, Releases table"
_APM_RUNTIMES = "APM page, Python runtimes table"
_APM_INTEGRATIONS = "APM page, Web framework / Datastore / Library compatibility tables"
_CS = "Code Security page"

RULES: tuple[Rule, ...] = (
    Rule(
        "DDC101", "tracer-eol", Level.ERROR,
        "Every ddtrace version the declaration admits is on an End-of-Life release branch.",
        "End-of-Life branches get no bug or security fixes and are not supported by Datadog; a branch past "
        "its Maintenance end date counts as End of Life.",
        _APM_RELEASES,
        "Upgrade ddtrace to the General Availability branch (for example `ddtrace>=4,<5`).",
        ("tracer", "support-level"),
    ),
    Rule(
        "DDC102", "tracer-maintenance", Level.WARNING,
        "The best release branch the declaration admits is in Maintenance; the message gives the end date.",
        "Maintenance branches receive only critical fixes and become End of Life on the date the page gives.",
        _APM_RELEASES,
        "Plan the upgrade to the General Availability branch before the Maintenance end date.",
        ("tracer", "support-level"),
    ),
    Rule(
        "DDC103", "tracer-range-admits-eol", Level.WARNING,
        "The declaration admits supported ddtrace versions, but its bounds also admit End-of-Life ones.",
        "A resolver may pick an End-of-Life tracer (for example from an old lock or a constrained "
        "environment). A bare `ddtrace` with no specifier is not flagged.",
        _APM_RELEASES,
        "Raise the lower bound to the first supported branch (`ddtrace>=4.0`).",
        ("tracer", "support-level"),
    ),
    Rule(
        "DDC104", "tracer-unknown-branch", Level.WARNING,
        "The declaration admits only ddtrace versions of branches the rule set does not know.",
        "Nothing can be said about the support of a branch the documentation does not list (for example "
        "`ddtrace==5.0.0` before the page mentions 5.x); the pin may also be a typo.",
        _APM_RELEASES,
        "Check the pin; if the branch is new, update ddcompat or its rule set.",
        ("tracer",),
    ),
    Rule(
        "DDC201", "python-unsupported", Level.ERROR,
        "None of the project's Python versions is supported by the ddtrace branch in use.",
        "ddtrace ships native code built per Python version; on an unsupported Python the tracer does not "
        "install or does not load.",
        _APM_RUNTIMES,
        "Move the project to a Python the branch supports, or pick a ddtrace branch built for its Python.",
        ("python", "runtime"),
    ),
    Rule(
        "DDC202", "python-range-admits-unsupported", Level.WARNING,
        "The project's Python range admits versions the ddtrace branch in use does not support.",
        "Some of the Pythons the project claims to support cannot run the tracer.",
        _APM_RUNTIMES,
        "Narrow `requires-python` (or Poetry's `python`) to the versions the branch supports.",
        ("python", "runtime"),
    ),
    Rule(
        "DDC203", "platform-unsupported", Level.WARNING,
        "A declared platform (a marker, uv `environments`, pylock `environments`) is one the branch does "
        "not support, such as 32-bit Linux on 4.x.",
        "ddtrace publishes wheels only for the OS and CPU combinations the runtime table lists.",
        _APM_RUNTIMES,
        "Drop the platform or use a ddtrace branch that supports it.",
        ("platform", "runtime"),
    ),
    Rule(
        "DDC301", "integration-unsupported-version", Level.ERROR,
        "Every version of an integrated library the declaration admits is outside the documented range.",
        "ddtrace's integration for the library does not support these versions: traces are missing or "
        "broken for it.",
        _APM_INTEGRATIONS,
        "Pin the library into the documented range (the message gives it).",
        ("integration",),
    ),
    Rule(
        "DDC302", "integration-range-admits-unsupported", Level.WARNING,
        "The declaration admits supported and unsupported versions of an integrated library.",
        "A resolver may pick a version the integration does not support. A bare name is judged only "
        "against the documented upper bound.",
        _APM_INTEGRATIONS,
        "Narrow the specifier to the documented range (`--fix` does this safely).",
        ("integration",),
    ),
    Rule(
        "DDC303", "integration-tracer-incompatible", Level.ERROR,
        "The library is supported only with other ddtrace majors than the project's (Pylons is 1.x only).",
        "The integration does not exist in the ddtrace version in use.",
        _APM_INTEGRATIONS,
        "Replace the library, or use a ddtrace major that still has its integration.",
        ("integration", "tracer"),
    ),
    Rule(
        "DDC304", "integration-manual", Level.NOTE,
        "The integration is not enabled automatically; the message says how to enable it.",
        "Without enabling it, the library is not traced even though ddtrace supports it.",
        _APM_INTEGRATIONS,
        "Enable it with `DD_PATCH_MODULES=<module>:true`, `patch(<module>=True)` or the integration's "
        "own setup described in ddtrace's documentation.",
        ("integration",),
    ),
    Rule(
        "DDC311", "integration-removed", Level.ERROR,
        "The library's integration is absent from the ddtrace version in use (from ddtrace's own code).",
        "ddtrace dropped the integration (for example Cassandra and Mongoengine in 4.0.0, Pylons in 2.4.0): "
        "the library is no longer traced, even where the documentation still lists it.",
        "ddtrace's own integration registry and contrib modules (rules/tracer/)",
        "Stay on a ddtrace version that still has the integration, or instrument the library manually.",
        ("integration", "tracer"),
    ),
    Rule(
        "DDC312", "integration-outside-tracer-range", Level.WARNING,
        "The library version is outside what the ddtrace version in use accepts in its own code "
        "(`_supported_versions()`).",
        "With safe instrumentation (as with single-step instrumentation) ddtrace refuses to patch a "
        "library outside these specifiers; elsewhere it is untested.",
        "ddtrace's own `_supported_versions()` specifiers (rules/tracer/)",
        "Move the library into the range the message gives.",
        ("integration", "tracer"),
    ),
    Rule(
        "DDC401", "sca-tracer-too-old", Level.ERROR,
        "With the `sca` product: ddtrace is below the Runtime Software Composition Analysis minimum (1.5.0).",
        "Runtime SCA reports nothing from older tracers.",
        _CS + ", Code Security capabilities support table",
        "Upgrade ddtrace to at least the minimum.",
        ("code-security", "sca"),
    ),
    Rule(
        "DDC402", "iast-tracer-too-old", Level.ERROR,
        "With the `iast` product: ddtrace is below the Runtime Code Analysis (IAST) minimum (2.21.0).",
        "IAST (in Preview) needs the minimum tracer version the page gives.",
        _CS + ", Code Security capabilities support table",
        "Upgrade ddtrace to at least the minimum.",
        ("code-security", "iast"),
    ),
    Rule(
        "DDC403", "iast-framework-unsupported", Level.ERROR,
        "With the `iast` product: Django, FastAPI or Flask is below the IAST minimum.",
        "IAST supports only the framework versions the page lists.",
        _CS + ", Supported frameworks table",
        "Upgrade the framework to at least the version the message gives.",
        ("code-security", "iast"),
    ),
    Rule(
        "DDC404", "code-security-unsupported-environment", Level.WARNING,
        "With `sca` or `iast`: a deployment (AWS Lambda) or Datadog site (ddog-gov) the page says is "
        "unsupported.",
        "Code Security does not run in these environments.",
        _CS + ", Supported deployment types tables and the site note",
        "Deploy on a supported type or site, or drop the product from `products`.",
        ("code-security",),
    ),
    Rule(
        "DDC501", "agent-too-old", Level.ERROR,
        "With `agent-version` configured: the Datadog Agent is below the release branch's minimum.",
        "The tracer sends data the older Agent does not accept.",
        _APM_RELEASES + " (Minimum Datadog Agent column)",
        "Upgrade the Datadog Agent to at least the branch's minimum.",
        ("agent",),
    ),
    Rule(
        "DDC502", "redis-auth-obfuscation", Level.WARNING,
        "Redis is used and the configured Agent is below the version that obfuscates inline AUTH (7.76.1).",
        "Redis 6+ accepts credentials inline (HELLO, MIGRATE, ACL SETUSER); older Agents keep them in "
        "trace metadata.",
        "APM page, note under the Datastore compatibility table",
        "Upgrade the Datadog Agent to 7.76.1 or later.",
        ("agent", "security"),
    ),
    Rule(
        "DDC901", "invalid-requirement", Level.ERROR,
        "An entry that is not a valid requirement (for example `ddtrace==latest`), at its position.",
        "Installers reject the line, and nothing can be checked for it.",
        "PEP 508 / PEP 440",
        "Write a valid requirement; the message quotes the parser's complaint.",
        ("syntax",),
    ),
    Rule(
        "DDC902", "unreadable-file", Level.ERROR,
        "A file that cannot be decoded or parsed (invalid TOML or JSON), at the parser's position.",
        "Nothing in the file can be checked, and the tools that read it will fail too.",
        "TOML / JSON / text encoding",
        "Fix the syntax or encoding at the position given.",
        ("syntax",),
    ),
    Rule(
        "DDC903", "unresolved-include", Level.WARNING,
        "A `-r`/`-c` target that is missing, remote (never fetched), outside the checked root, or part of "
        "a cycle.",
        "ddcompat never downloads or reads outside the checked tree, so the included requirements are not "
        "checked.",
        "pip requirements file format",
        "Point the include at a file inside the project, or check that file separately.",
        ("include",),
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
CODES: tuple[str, ...] = tuple(BY_CODE)


def rule_for(code: str) -> Rule:
    """The catalog entry for `code` (KeyError for a code that does not exist)."""
    return BY_CODE[code]


def matches(code: str, selectors: frozenset[str] | tuple[str, ...]) -> bool:
    """Whether `code` is named by any selector: a full code or a prefix (`DDC3`, `DDC30`)."""
    return any(code.startswith(selector) for selector in selectors)


def is_valid_selector(selector: str) -> bool:
    """A selector must be a prefix of at least one code (`DDC`, `DDC3`, `DDC301`)."""
    return any(code.startswith(selector) for code in CODES) and selector.startswith("DDC")
