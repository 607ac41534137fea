"""Lock readers: exact positions, markers, Pythons, platforms, direct references, CRLF/BOM, bad files."""

from __future__ import annotations

import codecs
import json
import textwrap

import pytest
from packaging.specifiers import SpecifierSet

from ddcompat.model import Origin, ReadResult, SourceFile, Span
from ddcompat.readers import pdm_lock, pipfile_lock, poetry_lock, pylock, uv_lock


def _source(text: str | bytes, name: str) -> SourceFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SourceFile(path=f"/project/{name}", display=name, root="/project", data=data)


def _snippet(result: ReadResult, span: Span) -> str:
    """The text a one-line span covers, taken from the decoded text."""
    assert span.line == span.end_line
    line = result.text.splitlines()[span.line - 1]
    return line[span.column - 1:span.end_column - 1]


PIPFILE_LOCK = textwrap.dedent("""\
    {
        "_meta": {
            "hash": {
                "sha256": "abc"
            },
            "pipfile-spec": 6,
            "requires": {
                "python_version": "3.11"
            },
            "sources": [
                {
                    "name": "pypi",
                    "url": "https://pypi.org/simple",
                    "verify_ssl": true
                }
            ]
        },
        "default": {
            "ddtrace": {
                "hashes": [
                    "sha256:00",
                    "sha256:11"
                ],
                "index": "pypi",
                "markers": "python_version >= '3.8'",
                "version": "==2.14.1"
            },
            "my-lib": {
                "editable": true,
                "path": "."
            }
        },
        "develop": {
            "Flask_Cache": {
                "extras": [
                    "redis"
                ],
                "version": "==0.13.1"
            }
        }
    }
    """)


def _pipfile_lock_checks(result: ReadResult) -> None:
    assert result.kind == "pipfile.lock"
    assert not result.findings
    ddtrace, my_lib, flask_cache = result.declarations
    assert (ddtrace.name, ddtrace.raw_name, ddtrace.specifier, ddtrace.declared) == (
        "ddtrace", "ddtrace", "==2.14.1", "2.14.1")
    assert ddtrace.origin is Origin.LOCK and ddtrace.has_specifier and ddtrace.group == "default"
    assert ddtrace.admitted == SpecifierSet("==2.14.1").to_range()
    assert str(ddtrace.marker) == 'python_version >= "3.8"'
    assert my_lib.is_direct_reference and not my_lib.has_specifier and my_lib.specifier_span is None
    assert flask_cache.name == "flask-cache" and flask_cache.extras == ("redis",)
    assert flask_cache.group == "develop"
    (python,) = result.pythons
    assert (python.specifier, python.declared, python.kind, python.origin) == (
        "==3.11.*", "3.11", "lock", Origin.LOCK)


def test_pipfile_lock_positions() -> None:
    result = pipfile_lock.read(_source(PIPFILE_LOCK, "Pipfile.lock"))
    _pipfile_lock_checks(result)
    ddtrace, my_lib, flask_cache = result.declarations
    assert ddtrace.span == Span(19, 9, 19, 18)
    assert _snippet(result, ddtrace.span) == '"ddtrace"'
    assert ddtrace.specifier_span == Span(26, 27, 26, 33)
    assert ddtrace.specifier_span is not None and _snippet(result, ddtrace.specifier_span) == "2.14.1"
    assert my_lib.span == Span(28, 9, 28, 17)
    assert flask_cache.span == Span(34, 9, 34, 22)
    assert result.pythons[0].span == Span(8, 13, 8, 37)
    assert result.pythons[0].specifier_span == Span(8, 32, 8, 36)


def test_pipfile_lock_minified_uses_the_tokenizer_and_agrees() -> None:
    minified = json.dumps(json.loads(PIPFILE_LOCK), separators=(",", ":"))
    result = pipfile_lock.read(_source(minified, "Pipfile.lock"))
    _pipfile_lock_checks(result)
    ddtrace = result.declarations[0]
    assert ddtrace.span.line == 1
    assert minified[ddtrace.span.column - 1:ddtrace.span.end_column - 1] == '"ddtrace"'
    assert ddtrace.specifier_span is not None
    assert minified[ddtrace.specifier_span.column - 1:ddtrace.specifier_span.end_column - 1] == "2.14.1"
    # Reformatted with another indent, the tokenizer gives the same lines as pipenv's own layout.
    reformatted = json.dumps(json.loads(PIPFILE_LOCK), indent=2)
    lines = [d.span.line for d in pipfile_lock.read(_source(reformatted, "Pipfile.lock")).declarations]
    pipenv = pipfile_lock.read(_source(PIPFILE_LOCK, "Pipfile.lock")).declarations
    assert lines == [d.span.line for d in pipenv]


def test_pipfile_lock_crlf_and_bom() -> None:
    data = codecs.BOM_UTF8 + PIPFILE_LOCK.replace("\n", "\r\n").encode()
    result = pipfile_lock.read(_source(data, "Pipfile.lock"))
    _pipfile_lock_checks(result)
    assert result.has_bom and result.newline == "\r\n" and result.encoding == "utf-8-sig"
    assert result.declarations[0].span == Span(19, 9, 19, 18)
    assert result.declarations[0].specifier_span == Span(26, 27, 26, 33)


def test_pipfile_lock_duplicate_key_keeps_the_last_and_reports_the_first() -> None:
    text = textwrap.dedent("""\
        {
            "default": {
                "ddtrace": {"version": "==1.0.0"},
                "ddtrace": {"version": "==2.0.0"}
            }
        }
        """)
    result = pipfile_lock.read(_source(text, "Pipfile.lock"))
    (declaration,) = result.declarations
    assert declaration.declared == "2.0.0" and declaration.span.line == 4
    (finding,) = result.findings
    assert finding.code == "DDC901" and finding.span.line == 3 and "line 4" in finding.message


def test_pipfile_lock_escaped_key_and_odd_versions() -> None:
    text = textwrap.dedent("""\
        {
            "default": {
                "we\\"ird": {
                    "version": "==1.0"
                },
                "legacy": {
                    "version": "==latest"
                },
                "numeric": {
                    "version": 1.2
                }
            }
        }
        """)
    result = pipfile_lock.read(_source(text, "Pipfile.lock"))
    weird, legacy = result.declarations
    assert weird.raw_name == 'we"ird' and weird.span == Span(3, 9, 3, 18)
    assert legacy.specifier == "===latest" and legacy.admitted.contains("latest")
    (finding,) = result.findings
    assert finding.code == "DDC901" and finding.span.line == 9


def test_pipfile_lock_python_full_version() -> None:
    text = '{"_meta": {"requires": {"python_full_version": "3.11.4"}}, "default": {}}'
    (python,) = pipfile_lock.read(_source(text, "Pipfile.lock")).pythons
    assert python.specifier == "==3.11.4" and python.span.column == 25


def test_pipfile_lock_bad_files() -> None:
    for text, line, column in (("", 1, 1), ('{"default": {', 1, 14), ("[1, 2]", 1, 1),
                               ('{\n  "default": {"a": {"version": "==1"}}\n  "x": 1}', 3, 3)):
        result = pipfile_lock.read(_source(text, "Pipfile.lock"))
        (finding,) = result.findings
        assert finding.code == "DDC902"
        assert (finding.span.line, finding.span.column) == (line, column), text
        assert not result.declarations
    deep = '{"default": {"x": {"version": "==1", "y": ' + "[" * 100000 + "]" * 100000 + "}}}"
    (finding,) = pipfile_lock.read(_source(deep, "Pipfile.lock")).findings
    assert finding.code == "DDC902" and "deep" in finding.message
    (finding,) = pipfile_lock.read(_source(b"\x1f\x8b\x08\xff\xfe", "Pipfile.lock")).findings
    assert finding.code == "DDC902"


POETRY_LOCK = textwrap.dedent("""\
    # This file is automatically @generated by Poetry 2.1.1 and should not be changed by hand.

    [[package]]
    name = "ddtrace"
    version = "2.14.1"
    description = "Datadog APM client library"
    optional = false
    python-versions = ">=3.7"
    groups = ["main"]
    files = [
        {file = "ddtrace-2.14.1.tar.gz", hash = "sha256:00"},
    ]

    [package.dependencies]
    bytecode = {version = ">=0.13.0", markers = "python_version < \\"3.11\\""}

    [[package]]
    name = "numpy"
    version = "1.24.4"
    description = ""
    optional = false
    python-versions = ">=3.8"
    groups = ["main", "dev"]
    markers = {main = "python_version < \\"3.9\\"", dev = "python_version < \\"3.10\\""}

    [[package]]
    name = "numpy"
    version = "2.1.0"
    description = ""
    optional = false
    python-versions = ">=3.10"
    groups = ["main"]
    markers = "python_version >= \\"3.10\\""

    [[package]]
    name = "private"
    version = "0.1.0"
    description = ""
    optional = false
    python-versions = "*"
    category = "dev"

    [package.source]
    type = "git"
    url = "https://example.com/private.git"
    reference = "HEAD"
    resolved_reference = "abc"

    [metadata]
    lock-version = "2.1"
    python-versions = "^3.9"
    content-hash = "00"
    """)


def test_poetry_lock() -> None:
    result = poetry_lock.read(_source(POETRY_LOCK, "poetry.lock"))
    assert not result.findings
    ddtrace, numpy_old, numpy_new, private = result.declarations
    assert ddtrace.span == Span(4, 1, 4, 17) and _snippet(result, ddtrace.span) == 'name = "ddtrace"'
    assert ddtrace.specifier_span == Span(5, 12, 5, 18)
    assert ddtrace.group == "main" and ddtrace.marker is None
    assert (numpy_old.declared, numpy_new.declared) == ("1.24.4", "2.1.0")
    assert str(numpy_old.marker) == 'python_version < "3.9" or python_version < "3.10"'
    assert str(numpy_new.marker) == 'python_version >= "3.10"'
    assert numpy_old.group == "main,dev"
    assert private.group == "dev" and private.specifier == "==0.1.0"
    (python,) = result.pythons
    assert (python.specifier, python.declared) == (">=3.9,<4", "^3.9")
    assert python.span == Span(51, 1, 51, 25) and python.specifier_span == Span(51, 20, 51, 24)


def test_poetry_lock_marker_missing_for_one_group_means_unconditional() -> None:
    text = POETRY_LOCK.replace('markers = {main = "python_version < \\"3.9\\"", dev', 'markers = {dev')
    result = poetry_lock.read(_source(text, "poetry.lock"))
    assert result.declarations[1].marker is None


UV_LOCK = textwrap.dedent("""\
    version = 1
    revision = 2
    requires-python = ">=3.9"
    resolution-markers = [
        "python_full_version >= '3.12'",
        "python_full_version < '3.12'",
    ]
    supported-markers = [
        "sys_platform == 'linux'",
        "sys_platform == 'darwin'",
    ]

    [[package]]
    name = "app"
    version = "0.1.0"
    source = { editable = "." }
    dependencies = [
        { name = "ddtrace" },
    ]

    [package.metadata]
    requires-dist = [{ name = "ddtrace", specifier = ">=2" }]

    [[package]]
    name = "ddtrace"
    version = "2.14.1"
    source = { registry = "https://pypi.org/simple" }
    resolution-markers = [
        "python_full_version >= '3.12'",
    ]

    [[package]]
    name = "ddtrace"
    version = "2.10.0"
    source = { registry = "https://pypi.org/simple" }
    resolution-markers = [
        "python_full_version < '3.12'",
    ]

    [[package]]
    name = "virtual-root"
    source = { virtual = "." }
    """)


def test_uv_lock() -> None:
    result = uv_lock.read(_source(UV_LOCK, "uv.lock"))
    assert not result.findings
    app, new, old, virtual = result.declarations
    assert app.span == Span(14, 1, 14, 13) and app.declared == "0.1.0"
    assert new.span == Span(25, 1, 25, 17) and new.specifier_span == Span(26, 12, 26, 18)
    assert str(new.marker) == 'python_full_version >= "3.12"'
    assert old.span == Span(33, 1, 33, 17) and str(old.marker) == 'python_full_version < "3.12"'
    assert virtual.is_direct_reference and virtual.span == Span(41, 1, 41, 22)
    (python,) = result.pythons
    assert python.specifier == ">=3.9" and python.span == Span(3, 1, 3, 26)
    assert [(p.text, p.span) for p in result.platforms] == [
        ("sys_platform == 'linux'", Span(9, 6, 9, 29)), ("sys_platform == 'darwin'", Span(10, 6, 10, 30))]


def test_uv_lock_hand_edited_layout_falls_back() -> None:
    text = UV_LOCK.replace('name = "ddtrace"\nversion = "2.14.1"',
                           'name="ddtrace"   # edited\nversion="2.14.1"')
    result = uv_lock.read(_source(text, "uv.lock"))
    new = result.declarations[1]
    assert new.span == Span(25, 1, 25, 15) and new.specifier_span == Span(26, 10, 26, 16)
    assert result.declarations[2].span == Span(33, 1, 33, 17)


def test_uv_lock_inline_package_array() -> None:
    text = 'package = [{ name = "ddtrace", version = "2.0.0" }, { name = "flask", version = "3.0.0" }]\n'
    result = uv_lock.read(_source(text, "uv.lock"))
    ddtrace, flask = result.declarations
    assert ddtrace.span == Span(1, 14, 1, 30) and ddtrace.specifier_span == Span(1, 43, 1, 48)
    assert flask.span.column == 55


PYLOCK = textwrap.dedent("""\
    lock-version = '1.0'
    environments = ['sys_platform == "win32"', 'sys_platform == "linux"']
    requires-python = '==3.12.*'
    created-by = 'mousebender'

    [[packages]]
    name = 'attrs'
    version = '25.1.0'
    requires-python = '>=3.8'

        [[packages.wheels]]
        name = 'attrs-25.1.0-py3-none-any.whl'
        hashes = {sha256 = '00'}

    [[packages]]
    name = 'ddtrace'
    marker = 'sys_platform == "linux"'
    version = '2.14.1'

    [[packages]]
    name = 'local'

    [packages.directory]
    path = '.'
    """)


def test_pylock() -> None:
    result = pylock.read(_source(PYLOCK, "pylock.toml"))
    assert not result.findings
    attrs, ddtrace, local = result.declarations
    assert attrs.span == Span(7, 1, 7, 15) and attrs.specifier_span == Span(8, 12, 8, 18)
    assert ddtrace.span == Span(16, 1, 16, 17) and ddtrace.specifier_span == Span(18, 12, 18, 18)
    assert str(ddtrace.marker) == 'sys_platform == "linux"'
    assert local.is_direct_reference and local.span == Span(21, 1, 21, 15)
    (python,) = result.pythons
    assert python.specifier == "==3.12.*" and python.specifier_span == Span(3, 20, 3, 28)
    assert [p.span for p in result.platforms] == [Span(2, 18, 2, 41), Span(2, 45, 2, 68)]


PDM_LOCK = textwrap.dedent("""\
    # This file is @generated by PDM.

    [metadata]
    groups = ["default", "dev"]
    lock_version = "4.5.0"

    [[metadata.targets]]
    requires_python = ">=3.9"

    [[package]]
    name = "ddtrace"
    version = "2.14.1"
    requires_python = ">=3.7"
    groups = ["default"]
    marker = "os_name == 'posix'"

    [[package]]
    name = "pytest"
    version = "8.0.0"
    groups = ["dev"]
    """)


def test_pdm_lock() -> None:
    result = pdm_lock.read(_source(PDM_LOCK, "pdm.lock"))
    assert not result.findings
    ddtrace, pytest_ = result.declarations
    assert ddtrace.span == Span(11, 1, 11, 17) and ddtrace.group == "default"
    assert str(ddtrace.marker) == 'os_name == "posix"'
    assert pytest_.group == "dev" and pytest_.specifier_span == Span(19, 12, 19, 17)
    (python,) = result.pythons
    assert python.specifier == ">=3.9" and python.span == Span(8, 1, 8, 26)
    old_style = PDM_LOCK.replace('[[metadata.targets]]\nrequires_python = ">=3.9"\n', "").replace(
        'lock_version = "4.5.0"', 'lock_version = "4.4"\nrequires_python = ">=3.8"')
    (python,) = pdm_lock.read(_source(old_style, "pdm.lock")).pythons
    assert python.specifier == ">=3.8" and python.span.line == 6


def test_toml_locks_bad_files() -> None:
    for module, name in ((poetry_lock, "poetry.lock"), (uv_lock, "uv.lock"), (pylock, "pylock.toml"),
                         (pdm_lock, "pdm.lock")):
        result = module.read(_source('[[package]]\nname = "x\n', name))
        (finding,) = result.findings
        assert finding.code == "DDC902" and (finding.span.line, finding.span.column) == (2, 10)
        assert "(at line" not in finding.message
        (finding,) = module.read(_source(b"name = \xff", name)).findings
        assert finding.code == "DDC902" and finding.span.column == 8
        assert module.read(_source("", name)).declarations == []


def test_toml_lock_bad_entries() -> None:
    text = textwrap.dedent("""\
        [[package]]
        name = "ddtrace"
        version = "not a version"

        [[package]]
        name = "flask"
        version = "3.0.0"
        markers = "python_version >>> '3'"

        [[package]]
        version = "1.0"
        """)
    result = poetry_lock.read(_source(text, "poetry.lock"))
    assert [d.name for d in result.declarations] == ["flask"]
    assert result.declarations[0].marker is None
    assert [(f.code, f.span.line) for f in result.findings] == [("DDC901", 3), ("DDC901", 6), ("DDC901", 10)]


def test_pinned_ranges_are_lazy_and_equal_to_eager_ones() -> None:
    from packaging.ranges import VersionRange

    from ddcompat.readers import _locks

    assert _locks._LAZY, "the installed packaging should support lazy pinned ranges"
    for version in ("1.2.3", "2.0rc1", "1!3.0.post1+local", "latest", "01.02", " 1.2.3 "):
        pin = _locks.pinned(version)
        assert pin is not None
        specifier, admitted = pin
        eager = SpecifierSet(specifier).to_range()
        assert isinstance(admitted, VersionRange)
        assert admitted == eager and hash(admitted) == hash(eager) and repr(admitted) == repr(eager)
        wide = SpecifierSet(">=1.0").to_range()
        assert (admitted & wide) == (eager & wide) and admitted.is_subset(wide) == eager.is_subset(wide)
        assert admitted.contains(version.strip()) == eager.contains(version.strip())
        assert pin == _locks._pinned.__wrapped__(version)  # the uncached plain-release path agrees
    assert _locks.pinned("a b") is None and _locks.pinned("") is None


def test_pinned_ranges_fall_back_to_eager(monkeypatch: pytest.MonkeyPatch) -> None:
    from ddcompat.readers import _locks

    monkeypatch.setattr(_locks, "_LAZY", False)
    pin = _locks._pinned.__wrapped__("1.2.3")
    assert pin == _locks.pinned("1.2.3")
    assert pin is not None and type(pin[1]).__name__ == "VersionRange"
    assert pin[1] == SpecifierSet("==1.2.3").to_range()


def test_pipfile_lock_old_mac_line_ends_and_utf16() -> None:
    result = pipfile_lock.read(_source(PIPFILE_LOCK.replace("\n", "\r"), "Pipfile.lock"))
    _pipfile_lock_checks(result)
    assert result.newline == "\r" and result.declarations[0].span == Span(19, 9, 19, 18)
    data = codecs.BOM_UTF16_LE + PIPFILE_LOCK.encode("utf-16-le")
    result = pipfile_lock.read(_source(data, "Pipfile.lock"))
    _pipfile_lock_checks(result)
    assert result.encoding == "utf-16-le" and result.declarations[0].specifier_span == Span(26, 27, 26, 33)


def test_toml_lock_crlf_and_bom() -> None:
    data = codecs.BOM_UTF8 + UV_LOCK.replace("\n", "\r\n").encode()
    result = uv_lock.read(_source(data, "uv.lock"))
    assert result.has_bom and result.newline == "\r\n"
    plain = uv_lock.read(_source(UV_LOCK, "uv.lock"))
    assert [d.span for d in result.declarations] == [d.span for d in plain.declarations]
    assert result.declarations[1].specifier_span == Span(26, 12, 26, 18)


def test_pipfile_lock_error_position_counts_every_line_end() -> None:
    text = '{\r  "default": {\r    "a": {"version": "==1"},\r  }\r}'
    (finding,) = pipfile_lock.read(_source(text, "Pipfile.lock")).findings
    assert finding.code == "DDC902" and (finding.span.line, finding.span.column) == (4, 3)
    (finding,) = pipfile_lock.read(_source(" \n ", "Pipfile.lock")).findings
    assert "empty" in finding.message


def test_pipfile_lock_one_pass_path_agrees_with_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    for text in (PIPFILE_LOCK, PIPFILE_LOCK.replace("\n", "\r\n"),
                 PIPFILE_LOCK.replace('"develop": {', '"develop": {}, "zz": {')):
        data = json.loads(text)
        assert pipfile_lock._read_pipenv_layout(text, data) is not None or "zz" in text
        fast = pipfile_lock.read(_source(text, "Pipfile.lock"))
        with monkeypatch.context() as patch:
            patch.setattr(pipfile_lock, "_read_pipenv_layout", lambda text, data: None)
            general = pipfile_lock.read(_source(text, "Pipfile.lock"))
        assert fast.declarations == general.declarations and fast.pythons == general.pythons
    # Anything the one-pass path does not expect sends the file down the general path.
    for edit in (('"==2.14.1"', '"===2.14.1"'), ("python_version >= '3.8'", "bad marker"),
                 ('"ddtrace"', '"dd\\u0074race"'),
                 # a duplicate package key: JSON keeps the last, the general path reports the first
                 ('        "my-lib": {', '        "ddtrace": {\n            "version": "==1.0"\n        },\n'
                  '        "my-lib": {'),
                 ('"version": "==2.14.1"', '"version": "==2.14.1 "'),
                 # a key whose object opens on the next line: not where the one-pass path looks for it
                 ('        "my-lib": {', '        "my-lib":\n        {'),
                 # a duplicate key whose value is no object, before the one JSON keeps
                 ('        "my-lib": {', '        "my-lib": "x",\n        "my-lib": {'),
                 # a duplicate key after the closing brace, on the closing line: no key line of its own
                 ('"path": "."\n        }', '"path": "."\n        }, "ddtrace": {"version": "==9.9"}'),
                 # a nested object, whose closing line could pass for a package's
                 ('"editable": true,', '"editable": true, "x": {\n        },'),
                 # a brace in a string: the walk cannot tell it from a closing one, so it steps aside
                 ('"path": "."', '"path": "./{x}"'),
                 # a section key written with an escape, found where the section before it ends
                 ('"develop": {', '"dev\\u0065lop": {')):
        text = PIPFILE_LOCK.replace(*edit)
        assert text != PIPFILE_LOCK and pipfile_lock._read_pipenv_layout(text, json.loads(text)) is None, edit
    # What pipenv does not write but the one-pass path reads exactly as the general path does.
    for edit in (('"_meta": {', '"Docs": {},\n    "_meta": {'),  # a category sorted before _meta
                 ('"develop": {', '"a-category": {},\n    "develop": {'),  # an empty category
                 ('"my-lib": {', '"my-lib": {"version": "==1.0",'), ('"extras": [', '"extras": [1, '),
                 ("python_version >= '3.8'", "  "), ('"version": "==0.13.1"', '"version": \t"==0.13.1"')):
        text = PIPFILE_LOCK.replace(*edit)
        assert text != PIPFILE_LOCK and pipfile_lock._read_pipenv_layout(text, json.loads(text)) is not None
        fast = pipfile_lock.read(_source(text, "Pipfile.lock"))
        with monkeypatch.context() as patch:
            patch.setattr(pipfile_lock, "_read_pipenv_layout", lambda text, data: None)
            general = pipfile_lock.read(_source(text, "Pipfile.lock"))
        assert fast.declarations == general.declarations and fast.findings == general.findings, edit
    # A package that repeats its version field: JSON keeps the last, and so does the one-pass path.
    for first in ("==2.14.1", "==1.0"):
        text = PIPFILE_LOCK.replace('"version": "==2.14.1"',
                                    f'"version": "{first}",\n            "version": "==2.14.1"')
        assert pipfile_lock._read_pipenv_layout(text, json.loads(text)) is not None
        fast = pipfile_lock.read(_source(text, "Pipfile.lock"))
        with monkeypatch.context() as patch:
            patch.setattr(pipfile_lock, "_read_pipenv_layout", lambda text, data: None)
            general = pipfile_lock.read(_source(text, "Pipfile.lock"))
        assert fast.declarations == general.declarations and not general.findings


def test_pipfile_lock_one_pass_path_agrees_on_a_big_generated_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    rng = random.Random(11)
    sections: dict[str, dict[str, object]] = {"default": {}, "develop": {}}
    for index in range(400):
        entry: dict[str, object] = {"hashes": [f"sha256:{rng.getrandbits(64):016x}"
                                               for _ in range(rng.randint(0, 12))], "index": "pypi"}
        if index % 9:
            suffix = "rc1" if index % 13 == 0 else ""
            entry["version"] = f"=={rng.randint(0, 9)}.{rng.randint(0, 30)}{suffix}"
        else:
            entry.update({"git": "https://example.com/x.git", "ref": "abc"})
        if index % 4 == 0:
            entry["markers"] = "python_version >= '3.9'"
        if index % 7 == 0:
            entry["extras"] = ["a", "b"]
        name = f"Pkg_{index}" if index % 5 == 0 else f"pkg-{index}"
        sections["develop" if index % 3 == 0 else "default"][name] = entry
    text = json.dumps({"_meta": {"requires": {"python_version": "3.11"}}, **sections}, indent=4,
                      sort_keys=True) + "\n"
    assert pipfile_lock._read_pipenv_layout(text, json.loads(text)) is not None
    fast = pipfile_lock.read(_source(text, "Pipfile.lock"))
    monkeypatch.setattr(pipfile_lock, "_read_pipenv_layout", lambda text, data: None)
    general = pipfile_lock.read(_source(text, "Pipfile.lock"))
    assert len(fast.declarations) == 400
    assert fast.declarations == general.declarations and fast.findings == general.findings


def test_pipfile_lock_without_sections_reads_as_empty() -> None:
    for text in ("{}", "{\n}\n", '{\n    "_meta": {}\n}\n'):
        result = pipfile_lock.read(_source(text, "Pipfile.lock"))
        assert result.declarations == [] and result.findings == [], text


def test_pipfile_lock_nested_key_at_package_depth_is_read_not_crashed_on() -> None:
    # A nested object whose key sits at 8 spaces, where package keys do: found by a CLI-level fuzz run,
    # it made the layout scan look the key up as a package (a KeyError).
    text = PIPFILE_LOCK.replace('            "hashes": [', '        "x": {},    "hashes": [', 1)
    assert text != PIPFILE_LOCK and json.loads(text)["default"]["ddtrace"]["x"] == {}
    assert pipfile_lock._scan_fast(text, json.loads(text)) is None
    result = pipfile_lock.read(_source(text, "Pipfile.lock"))
    assert not any(f.code == "DDC902" for f in result.findings)
    assert [d.name for d in result.declarations] == ["ddtrace", "my-lib", "flask-cache"]
    assert result.declarations[0].specifier_span == Span(26, 27, 26, 33)  # the same line as before the edit


def test_pipfile_lock_version_field_twice_on_one_line_points_at_the_one_json_keeps(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by the random-edit property test: the line-based scan of the general path took the first.
    twice = '            "version": "==9.9","version": "==9.9",'
    text = PIPFILE_LOCK.replace('"my-lib": {\n', '"my-lib": {\n' + twice, 1)
    assert json.loads(text)["default"]["my-lib"]["version"] == "==9.9"
    assert pipfile_lock._scan_fast(text, json.loads(text)) is None
    fast = pipfile_lock.read(_source(text, "Pipfile.lock"))
    monkeypatch.setattr(pipfile_lock, "_read_pipenv_layout", lambda text, data: None)
    general = pipfile_lock.read(_source(text, "Pipfile.lock"))
    for result in (fast, general):
        (my_lib,) = [d for d in result.declarations if d.name == "my-lib"]
        assert my_lib.specifier_span == Span(29, 46, 29, 49)  # the second field of the line
