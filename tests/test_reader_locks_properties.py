"""Property tests: lock readers never raise, and every span they give points at what it claims to."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddcompat._toml import loads
from ddcompat.model import ReadResult, SourceFile, Span
from ddcompat.names import normal_name
from ddcompat.readers import pdm_lock, pipfile_lock, poetry_lock, pylock, uv_lock

TOML_READERS: list[tuple[ModuleType, str, str]] = [
    (poetry_lock, "poetry.lock", "package"), (uv_lock, "uv.lock", "package"),
    (pdm_lock, "pdm.lock", "package"), (pylock, "pylock.toml", "packages"),
]
ALL_READERS = [(pipfile_lock, "Pipfile.lock"), *((module, name) for module, name, _ in TOML_READERS)]
_NOISE = [*'{}[]":,\\ \n\r\tab=.#\'0', "[[package]]", "name", "version", '"default"', '"==1.0"']

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _source(data: bytes, name: str) -> SourceFile:
    return SourceFile(path=f"/p/{name}", display=name, root="/p", data=data)


def _read_generally(data: bytes) -> ReadResult:
    """A Pipfile.lock read by the general path, whatever its layout (the one-pass path switched off)."""
    original = pipfile_lock._read_pipenv_layout
    try:
        pipfile_lock._read_pipenv_layout = lambda text, data: None  # type: ignore[assignment]
        return pipfile_lock.read(_source(data, "Pipfile.lock"))
    finally:
        pipfile_lock._read_pipenv_layout = original  # type: ignore[assignment]


def _text_at(result: ReadResult, span: Span) -> str:
    """The text a span covers, using the same line ends as the readers (\\r\\n, \\r, \\n)."""
    lines = result.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert 1 <= span.line <= span.end_line <= len(lines), span
    if span.line == span.end_line:
        assert 1 <= span.column <= span.end_column <= len(lines[span.line - 1]) + 1, span
        return lines[span.line - 1][span.column - 1:span.end_column - 1]
    first = lines[span.line - 1][span.column - 1:]
    middle = lines[span.line:span.end_line - 1]
    last = lines[span.end_line - 1][:span.end_column - 1]
    return "\n".join([first, *middle, last])


def _check_spans(result: ReadResult) -> None:
    for declaration in result.declarations:
        _text_at(result, declaration.span)
        if declaration.specifier_span is not None:
            assert _text_at(result, declaration.specifier_span) == declaration.declared
    for finding in result.findings:
        assert finding.code in ("DDC901", "DDC902")
        if result.text:
            _text_at(result, finding.span)


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    for module, name in ALL_READERS:
        result = module.read(_source(data, name))
        _check_spans(result)


@SETTINGS
@given(st.lists(st.sampled_from(_NOISE), max_size=120).map("".join))
def test_lock_shaped_noise_never_raises(text: str) -> None:
    for module, name in ALL_READERS:
        _check_spans(module.read(_source(text.encode(), name)))


_names = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF, blacklist_characters="\x7f"),
                 min_size=1, max_size=12)
_versions = st.one_of(st.from_regex(r"\A[0-9]{1,3}(\.[0-9]{1,3}){0,3}(rc[0-9])?\Z"),
                      st.text(max_size=6), st.integers(), st.none())
_markers = st.one_of(st.none(), st.sampled_from(["python_version >= '3.8'", "sys_platform == 'linux'",
                                                 "not a marker", ""]))


@st.composite
def _pipfile_locks(draw: st.DrawFn) -> dict[str, Any]:
    python = draw(st.sampled_from(["3.11", "3", "x"]))
    document: dict[str, Any] = {"_meta": {"requires": {"python_version": python}}}
    for section in draw(st.lists(st.sampled_from(["default", "develop", "extra"]), unique=True, max_size=3)):
        packages: dict[str, Any] = {}
        for name in draw(st.lists(_names, unique=True, max_size=6)):
            entry: dict[str, Any] = {"hashes": ["sha256:00"] * draw(st.integers(0, 2))}
            version = draw(_versions)
            if version is not None:
                entry["version"] = "==" + version if isinstance(version, str) else version
            marker = draw(_markers)
            if marker is not None:
                entry["markers"] = marker
            packages[name] = entry if draw(st.integers(0, 9)) else "==1.0"
        document[section] = packages
    return document


@SETTINGS
@given(_pipfile_locks(), st.sampled_from([None, 0, 2, 4, "\t"]), st.booleans(), st.booleans(), st.booleans())
def test_pipfile_lock_spans_point_at_the_keys(document: dict[str, Any], indent: int | str | None,
                                              sort_keys: bool, ensure_ascii: bool, crlf: bool) -> None:
    text = json.dumps(document, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
    if crlf:
        text = text.replace("\n", "\r\n")
    result = pipfile_lock.read(_source(text.encode(), "Pipfile.lock"))
    _check_spans(result)
    # The one-pass path for pipenv's layout and the general path agree on everything.
    general = _read_generally(text.encode())
    assert general.declarations == result.declarations
    assert general.findings == result.findings and general.pythons == result.pythons
    assert not any(f.code == "DDC902" for f in result.findings)
    for declaration in result.declarations:
        written = json.dumps(declaration.raw_name, ensure_ascii=ensure_ascii)
        assert _text_at(result, declaration.span) == written
    expected = sum(1 for section, packages in document.items() if section != "_meta"
                   for name, entry in packages.items()
                   if isinstance(entry, dict) and name.strip()
                   and not isinstance(entry.get("version"), (int, float)))
    bad = sum(1 for f in result.findings if "not a version" in f.message)
    assert len(result.declarations) + bad == expected


@SETTINGS
@given(_pipfile_locks(), st.booleans(), st.data())
def test_pipfile_lock_named_packages_are_those_of_the_whole_list(document: dict[str, Any], crlf: bool,
                                                                 data: st.DataObject) -> None:
    """Declarations built on demand (`named`) are the very ones the whole list holds, in file order."""
    text = json.dumps(document, indent=4, sort_keys=True)
    if crlf:
        text = text.replace("\n", "\r\n")
    result = pipfile_lock.read(_source(text.encode(), "Pipfile.lock"))
    names = sorted({normal_name(name) for section, packages in document.items() if section != "_meta"
                    for name in packages})
    chosen = data.draw(st.sets(st.sampled_from(names)) if names else st.just(set()))
    named = result.named(chosen)
    again = result.named(chosen)
    every = result.declarations
    assert named == again == [decl for decl in every if decl.name in chosen]
    assert all(decl is other for decl, other in zip(named, again))
    assert all(any(decl is other for other in every) for decl in named)


_toml_names = _names


@st.composite
def _toml_locks(draw: st.DrawFn, table: str) -> dict[str, Any]:
    packages = []
    for name in draw(st.lists(_toml_names, max_size=6)):
        package: dict[str, Any] = {"name": name}
        version = draw(_versions)
        if version is not None:
            package["version"] = version
        if draw(st.booleans()):
            package["wheels"] = [{"name": name + ".whl", "version": "0"}]
        if draw(st.booleans()):
            package["dependencies"] = [{"name": draw(_toml_names)}]
        marker = draw(_markers)
        if marker is not None:
            package["marker" if table == "packages" else "markers"] = marker
        packages.append(package)
    return {"requires-python": draw(st.sampled_from([">=3.9", "nonsense"])), table: packages}


def _inline(value: Any) -> str:
    """TOML inline syntax (JSON's string escapes are valid TOML basic-string escapes)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_inline(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


@SETTINGS
@given(st.data(), st.booleans(), st.booleans())
def test_toml_lock_spans_point_at_the_name_entries(data: st.DataObject, inline: bool, crlf: bool) -> None:
    for module, name, table in TOML_READERS:
        document = data.draw(_toml_locks(table))
        if inline:
            text = tomlkit.dumps({key: value for key, value in document.items() if key != table})
            text += f"{table} = " + _inline(document[table]) + "\n"
        else:
            text = tomlkit.dumps(document)
        if crlf:
            text = text.replace("\n", "\r\n")
        assert len(loads(text)[table]) == len(document[table])
        result = module.read(_source(text.encode(), name))
        _check_spans(result)
        assert not any(f.code == "DDC902" for f in result.findings)
        for declaration in result.declarations:
            entry = _text_at(result, declaration.span)
            assert loads(entry)["name"] == declaration.raw_name
        expected = sum(1 for package in document[table]
                       if package["name"].strip() and not isinstance(package.get("version"), int))
        bad = sum(1 for f in result.findings if "not a version" in f.message)
        assert len(result.declarations) + bad == expected


@SETTINGS
@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta"]), min_size=1, max_size=6),
       st.sampled_from(["default", "develop"]))
def test_pipfile_lock_duplicate_and_stray_keys_read_as_the_general_path_reads_them(
        names: list[str], section: str) -> None:
    # Written the way pipenv writes (4-space indent), but key by key, so a name may repeat: a hand edit or
    # a merge. The fast path must step aside for the general one (or agree with it) on every such file.
    lines = ['{', '    "_meta": {', '        "requires": {', '            "python_version": "3.11"',
             '        }', '    },', f'    "{section}": {{']
    for index, name in enumerate(names):
        closing = '        }' + ("," if index < len(names) - 1 else "")
        version = f'            "version": "==1.{index}"'
        lines += [f'        "{name}": {{', '            "hashes": [],', version, closing]
    lines += ['    }', '}']
    data = "\n".join(lines).encode()
    fast = pipfile_lock.read(_source(data, "Pipfile.lock"))
    general = _read_generally(data)
    assert fast.declarations == general.declarations and fast.findings == general.findings
    if len(set(names)) == len(names):
        assert pipfile_lock._read_pipenv_layout(data.decode(), json.loads(data)) is not None
    else:
        assert pipfile_lock._read_pipenv_layout(data.decode(), json.loads(data)) is None


_SECTION_NOISE = ['\n    "', '\n        "', '"', "\\", "a", "default", '": {', '": [', " ", "\n"]


@SETTINGS
@given(st.lists(st.sampled_from(_SECTION_NOISE), max_size=60).map("".join))
def test_pipfile_lock_section_keys_are_the_section_regex_matches(text: str) -> None:
    """`_section_keys` jumps between 4-space key lines with `str.find`; it must find what the regex finds."""
    expected = [(match.start() + 5, match.group(1)) for match in pipfile_lock._SECTION.finditer(text)]
    assert pipfile_lock._section_keys(text) == expected


_PIPENV_LOCK = json.dumps({
    "_meta": {"hash": {"sha256": "ab"}, "pipfile-spec": 6, "requires": {"python_version": "3.11"},
              "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]},
    "default": {"ddtrace": {"hashes": ["sha256:00", "sha256:11"], "index": "pypi",
                            "markers": "python_version >= '3.8'", "version": "==2.14.1"},
                "flask": {"hashes": [], "version": "==2.0.1"},
                "my-lib": {"editable": True, "path": "."}},
    "develop": {"pytest": {"extras": ["a"], "version": "==8.0.0rc1"}},
}, indent=4, sort_keys=True) + "\n"
_EDITS = ["{", "}", "{}", '"', ",", ":", " ", "\n", "\r\n", '"ddtrace": {"version": "==1.0"},', '"x": {},',
          '"version": "==9.9",', "\\u0064", '"default": {},']


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # most break JSON
@given(st.lists(st.tuples(st.integers(0, len(_PIPENV_LOCK)), st.integers(0, 3), st.sampled_from(_EDITS)),
                min_size=1, max_size=3))
def test_pipfile_lock_edits_read_as_the_general_path_reads_them(edits: list[tuple[int, int, str]]) -> None:
    """Hand edits of pipenv's layout: wherever the text is still JSON, the fast path (when it takes the file)
    gives exactly what the general path gives: the same declarations, findings and Pythons."""
    text = _PIPENV_LOCK
    for at, removed, inserted in edits:
        at = min(at, len(text))
        text = text[:at] + inserted + text[at + removed:]
    try:
        data = json.loads(text)
    except ValueError:
        return
    fast = pipfile_lock.read(_source(text.encode(), "Pipfile.lock"))
    general = _read_generally(text.encode())
    assert fast.findings == general.findings and fast.pythons == general.pythons
    assert fast.declarations == general.declarations
    if isinstance(data, dict) and pipfile_lock._read_pipenv_layout(text, data) is not None:
        names = {decl.name for decl in general.declarations}
        again = pipfile_lock.read(_source(text.encode(), "Pipfile.lock"))
        assert again.named(names) == general.declarations
