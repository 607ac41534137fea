"""Hypothesis strategies for the fuzz tests: bytes, requirement lines, and dependency-shaped TOML/JSON.

The budget per test is `DDCOMPAT_FUZZ_EXAMPLES` (default small, for CI); run longer locally with e.g.
`DDCOMPAT_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz_*.py`.
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ddcompat.catalog import rule_for
from ddcompat.model import ReadResult, Span
from ddcompat.readers._text import LineIndex

EXAMPLES = int(os.environ.get("DDCOMPAT_FUZZ_EXAMPLES", "40"))


def fuzz_settings(share: float = 1.0) -> settings:
    """The shared budget (`share` of DDCOMPAT_FUZZ_EXAMPLES), no deadline, no example database on disk."""
    return settings(max_examples=max(1, int(EXAMPLES * share)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


# --- text pieces --------------------------------------------------------------------------------------

HOSTILE_CHARS = ["\x00", "\x1b", "\x1b[31m", "\x1b]0;title\x07", "\x07", "\x9b", "\x85", "\u2028", "\u2029",
                 "\u202e", "\u200b", "\ufeff", "\ud800", "\x0b", "\x0c", "\r", "\n", "\r\n", "\t", "%0A", "%",
                 "::", "::add-mask::", "::stop-commands::", "é", "ß", "İ", "\U0001f600", "\U000e0041"]

NAMES = ["ddtrace", "DDTrace", "dd_trace", "django", "Django", "flask", "Flask_Cache", "aiopg", "psycopg2",
         "redis", "fastapi", "pylons", "requests", "a", "x-y.z", "numpy", "ddtrace" + "x" * 40]
VERSIONS = ["1.0", "1.20.3", "2.3.0", "4.0.0", "0.12", "0.16", "5.0.0", "1.*", "2.0.*", "1.0a1", "1.0.post1",
            "1!2.0", "1.0+local", "latest", "", "v1.2", "9" * 5000, "1." * 200 + "0", "1.0.dev0", "*",
            "01.002", "1_0", "1.0-rc1"]
OPERATORS = ["==", ">=", "<=", ">", "<", "~=", "!=", "===", "=", "^", "~", "=>", " == "]
MARKERS = ['python_version < "3.9"', "python_version >= '3.8'", 'sys_platform == "win32"',
           'platform_machine == "i686"', 'extra == "dev"', 'python_full_version >= "3.12.1"',
           'os_name == "nt" and python_version > "3"', '(python_version < "3.8" or sys_platform == "linux")',
           'implementation_name == "pypy"', "python_version <",
           "(" * 300 + 'python_version < "3"' + ")" * 300,
           'platform_system == "Linux" and platform_machine == "aarch64"', 'python_version in "3.8 3.9"']


def _specifier(draw: Any) -> str:
    clauses = draw(st.lists(st.tuples(st.sampled_from(OPERATORS), st.sampled_from(VERSIONS)), max_size=3))
    return ",".join(operator + version for operator, version in clauses)


@st.composite
def requirement_lines(draw: Any) -> str:
    """One line of a requirements file: a requirement with extras/specifier/marker/comment, or an option."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        option = draw(st.sampled_from(["-r", "-c", "--requirement", "--constraint", "-e", "--hash=sha256:",
                                       "--index-url", "-i", "--find-links", "--pre", "--no-binary", "-Z"]))
        target = draw(st.sampled_from(["other.txt", "/dev/zero", "/etc/passwd", "../x.txt", "self.txt",
                                       "http://169.254.169.254/latest/meta-data", "file:///etc/passwd",
                                       "requirements.txt", "", "${HOME}/r.txt", "C:\\r.txt", "."]))
        return f"{option} {target}"
    if kind == 1:
        pieces = [*HOSTILE_CHARS, "a", "=", "1", ".", " ", "#", ";", "[", "]", "\\", "@", ",", "(", ")", "'",
                  '"']
        return "".join(draw(st.lists(st.sampled_from(pieces), max_size=40)))
    name = draw(st.sampled_from(NAMES))
    extras = draw(st.sampled_from(["", "[]", "[dev]", "[a,b]", "[", "[\x1b]"]))
    line = name + extras + _specifier(draw)
    if draw(st.booleans()):
        line = f"{name} @ " + draw(st.sampled_from(["https://example.com/ddtrace-1.0-py3-none-any.whl",
                                                      "git+https://github.com/DataDog/dd-trace-py@v1.0",
                                                      "file:///dev/zero", "./local", "http://[::1"]))
    if draw(st.booleans()):
        line += " ; " + draw(st.sampled_from(MARKERS))
    if draw(st.booleans()):
        line += " --hash=sha256:" + "a" * draw(st.integers(0, 64))
    if draw(st.booleans()):
        line += draw(st.sampled_from(["  # comment", " # ddcompat: ignore", " # ddcompat: ignore[DDC301",
                                      "# \x1b[2J", " \\"]))
    return line


@st.composite
def requirements_texts(draw: Any) -> str:
    lines = draw(st.lists(requirement_lines(), max_size=12))
    separator = draw(st.sampled_from(["\n", "\r\n", "\r", " \\\n"]))
    text = separator.join(lines) + draw(st.sampled_from(["", "\n", "\\", "\\\n"]))
    return draw(st.sampled_from(["", "\ufeff"])) + text


# --- TOML and JSON with dependency-shaped keys -----------------------------------------------------------

KEYS = ["project", "dependencies", "optional-dependencies", "dependency-groups", "include-group", "tool",
        "poetry", "group", "dev", "main", "python", "requires-python", "package", "packages", "name",
        "version", "dev-packages", "requires", "python_version", "python_full_version", "metadata",
        "lock-version", "environments", "markers", "extras", "pdm", "uv", "dev-dependencies", "ddcompat",
        "select", "ignore", "products", "ddtrace", "django", "aiopg", "flask", "default", "develop", "_meta",
        "source", "optional", "allow-prereleases", "platform", "marker", "requires-dist", "wheels",
        "a.b", "", " ", "\x1b", "é", "1"]


class Raw:
    """A TOML value written as is (values Python cannot build: huge integers, impossible dates)."""

    def __init__(self, text: str) -> None:
        self.text = text


RAW_VALUES = [Raw("1" * 5000), Raw("-" + "9" * 4400), Raw("2023-02-30"), Raw("1979-05-27T07:32:00Z"),
              Raw("inf"), Raw("nan"), Raw("0x_1"), Raw("1e99999"), Raw("0o777"), Raw("07:32:00")]
MUTATION_PIECES = [*HOSTILE_CHARS, "1" * 5000, "2023-02-30", "9" * 5000 + ".0", '"' + "9" * 5000 + '"']


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(RAW_VALUES),
        requirement_lines(),
        st.sampled_from(VERSIONS),
        st.builds(lambda op, version: op + version, st.sampled_from(OPERATORS), st.sampled_from(VERSIONS)),
        st.sampled_from(MARKERS),
        st.integers(-(2 ** 70), 2 ** 70),
        st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
    )


def documents() -> st.SearchStrategy[dict[str, Any]]:
    """Nested tables/arrays whose keys are the ones the readers look for."""
    values = st.recursive(
        _scalars(),
        lambda children: st.one_of(st.lists(children, max_size=4),
                                   st.dictionaries(st.sampled_from(KEYS), children, max_size=4)),
        max_leaves=30,
    )
    return st.dictionaries(st.sampled_from(KEYS), values, max_size=6)


def _toml_key(key: str) -> str:
    if key and all(char.isascii() and (char.isalnum() or char in "-_") for char in key):
        return key
    return _toml_string(key)


def _toml_string(text: str) -> str:
    return json.dumps(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"), ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if "e" in repr(value) or "." in repr(value) else repr(value) + ".0"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{_toml_key(key)} = {_toml_value(item)}" for key, item in value.items()) + "}"


def to_toml(document: dict[str, Any], prefix: str = "") -> str:
    """Render as TOML: tables as [headers] (arrays of tables as [[headers]] where all items are tables)."""
    plain = []
    nested = []
    for key, value in document.items():
        if isinstance(value, dict) or (isinstance(value, list) and value
                                       and all(isinstance(item, dict) for item in value)):
            nested.append((key, value))
        else:
            plain.append(f"{_toml_key(key)} = {_toml_value(value)}")
    parts = ["\n".join(plain)] if plain else []
    for key, value in nested:
        path = f"{prefix}.{_toml_key(key)}" if prefix else _toml_key(key)
        for table in (value if isinstance(value, list) else [value]):
            header = f"[[{path}]]" if isinstance(value, list) else f"[{path}]"
            parts.append(header + "\n" + to_toml(table, path))
    return "\n".join(parts) + "\n"


@st.composite
def mutated(draw: Any, text: str) -> bytes:
    """`text` encoded, then perhaps truncated, spliced with a hostile piece, or a line duplicated."""
    data = text.encode("utf-8", "surrogatepass")
    action = draw(st.integers(0, 4))
    if action == 1 and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif action == 2:
        at = draw(st.integers(0, len(data)))
        piece = draw(st.sampled_from(MUTATION_PIECES)).encode("utf-8", "surrogatepass")
        data = data[:at] + piece + data[at:]
    elif action == 3 and b"\n" in data:
        lines = data.split(b"\n")
        index = draw(st.integers(0, len(lines) - 1))
        data = b"\n".join([*lines[: index + 1], *lines[index:]])
    elif action == 4:
        data = data.replace(b"\n", b"\r\n")
    return data


@st.composite
def toml_bytes(draw: Any) -> bytes:
    return draw(mutated(to_toml(draw(documents()))))


@st.composite
def json_bytes(draw: Any) -> bytes:
    document = draw(documents())
    if draw(st.booleans()):
        document = {"_meta": {"requires": {"python_version": draw(st.sampled_from(VERSIONS))}},
                    "default": {name: {"version": draw(_scalars())} for name in draw(
                        st.lists(st.sampled_from(NAMES), max_size=4))},
                    **document}
    text = json.dumps(document, indent=draw(st.sampled_from([None, 4])), ensure_ascii=draw(st.booleans()),
                      default=lambda raw: raw.text)
    return draw(mutated(text))


def any_bytes() -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=400),
                     st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
                     st.text(max_size=100).map(lambda text: text.encode("utf-16-le", "surrogatepass")))


# --- properties ---------------------------------------------------------------------------------------

def assert_span_inside(span: Span, index: LineIndex | None) -> None:
    assert 1 <= span.line <= span.end_line, span
    assert span.column >= 1 and span.end_column >= 1, span
    if span.line == span.end_line:
        assert span.column <= span.end_column, span
    if index is None:
        return
    assert span.end_line <= index.line_count, (span, index.line_count)
    assert span.column <= len(index.line_text(span.line)) + 1, (span, index.line_text(span.line))
    assert span.end_column <= len(index.line_text(span.end_line)) + 1, (span, index.line_text(span.end_line))


def assert_sound(result: ReadResult, display: str) -> None:
    """What every reader promises for any input: findings it may give, at positions inside the file."""
    index = LineIndex(result.text) if result.text else None
    for finding in result.findings:
        assert finding.code in ("DDC901", "DDC902", "DDC903"), finding
        assert finding.level == rule_for(finding.code).level
        assert "internal error" not in finding.message, finding
        assert_span_inside(finding.span, index)
    for declaration in result.declarations:
        assert declaration.name, declaration
        assert_span_inside(declaration.span, index)
        if declaration.specifier_span is not None:
            assert_span_inside(declaration.specifier_span, index)
    for python in result.pythons:
        assert_span_inside(python.span, index)
    for platform in result.platforms:
        assert_span_inside(platform.span, index)
    if result.kind == "requirements":  # a requirements result may be an included file's
        assert result.path
    else:
        assert result.path == display


# --- whole runs ---------------------------------------------------------------------------------------

OUTPUT_FORMATS = ("full", "concise", "github", "json", "sarif")
UNSAFE_IN_OUTPUT = ("\x1b", "\x07", "\x9b", "\x85", "\u2028", "\u2029", "\u202e", "\x00", "\r")


def assert_inert(output_format: str, out: str) -> None:
    """What no file's contents can do to an output: escape sequences, forged lines, broken JSON."""
    for char in UNSAFE_IN_OUTPUT:
        assert char not in out, (output_format, repr(char))
    if output_format == "github":  # the runner reads workflow commands only at the start of a line
        for line in out.split("\n")[:-1]:
            assert line.startswith(("::error ", "::warning ", "::notice ")), line
    if output_format in ("json", "sarif"):
        json.loads(out)
