"""`ddcompat rules build-tracer` on small ddtrace-shaped source trees, wheels and sdists (never imported)."""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

import pytest

from ddcompat.cli import main
from ddcompat.errors import UsageError
from ddcompat.ruleset.model import TracerIntegration
from ddcompat.ruleset.tracer_build import Mapping, build_version, contrib_dirs, load_mapping
from ddcompat.ruleset.tracer_load import (
    INDEX_FILE,
    compute_presence,
    load_tracer_file,
    load_tracer_versions,
    presence_of,
)
from ddcompat.ruleset.tracer_sources import (
    BuildError,
    open_source,
    parse_monkey,
    parse_registry,
    parse_supported_versions,
    release_version,
)

MONKEY = """
raise SystemExit("ddtrace/_monkey.py was executed; the builder must only read it")
from ddtrace import config
PY2 = False

PATCH_MODULES = {
    "aiopg": True,
    "kombu": False,  # Prefer explicit
    "logging": config._logs_injection,
    "psycopg": True,
    "httplib": False,
    "ghost": True,
}

_MODULES_FOR_CONTRIB = {
    "psycopg": ("psycopg", "psycopg2"),
    "httplib": ("httplib" if PY2 else "http.client",),
    "newthing": ("newthing.core",),
}
"""

REGISTRY = """\
integrations:
- integration_name: aiopg
  is_external_package: true
  is_tested: true
  dependency_names:
  - aiopg
  tested_versions_by_dependency:
    aiopg:
      min: 0.16.0
      max: 1.4.0

- integration_name: psycopg
  is_external_package: true
  dependency_names:
  - psycopg
  - psycopg2-binary

- integration_name: kombu
  is_external_package: true
  dependency_names:
  - kombu
  - Amqp_Extra
"""


def _patch(spec: str | None) -> str:
    body = "def patch():\n    raise SystemExit('executed')\n"
    if spec is not None:
        body += f"\n\ndef _supported_versions() -> Dict[str, str]:\n    return {spec}\n"
    return "from typing import Dict\n\n" + body


def make_tree(root: Path, version: str | None = "9.1.0") -> Path:
    files = {
        "ddtrace/_monkey.py": MONKEY,
        "ddtrace/contrib/internal/aiopg/patch.py": _patch('{"aiopg": ">=0.16.0"}'),
        "ddtrace/contrib/internal/psycopg/patch.py": _patch('{"psycopg": ">=3.0.0", "psycopg2": ">=2.9.10"}'),
        "ddtrace/contrib/internal/kombu/patch.py": _patch(None),
        "ddtrace/contrib/internal/logging/patch.py": _patch('{"logging": "*"}'),
        "ddtrace/contrib/internal/httplib/patch.py": _patch('{"http.client": "*"}'),
        "ddtrace/contrib/internal/gunicorn/__init__.py": "",
        "ddtrace/contrib/internal/dbapi/__init__.py": "",
        "ddtrace/contrib/internal/newthing/patch.py": _patch('{"newthing": ">=2"}'),
        "ddtrace/contrib/aiopg/__init__.py": "",  # the public shim of the 3.x layout
        "ddtrace/contrib/integration_registry/registry.yaml": REGISTRY,
        "ddtrace/contrib/trace_utils.py": "",
    }
    if version is not None:
        files["ddtrace/_version.py"] = f"version = {version!r}\n"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


MAPPING = Mapping(
    modules={
        "aiopg": ("aiopg",),
        "psycopg": ("psycopg",),
        "psycopg2": ("psycopg2", "psycopg2-binary"),
        "kombu": ("kombu",),
        "logging": (),
        "http.client": (),
        "gunicorn": ("gunicorn",),
    },
    registry_exclude={},
    not_integrations=frozenset({"dbapi", "integration_registry"}),
)


def _by_name(integrations: tuple[TracerIntegration, ...]) -> dict[str, TracerIntegration]:
    return {integration.name: integration for integration in integrations}


def test_a_source_tree_gives_the_expected_entries(tmp_path: Path) -> None:
    tree = open_source(make_tree(tmp_path / "dd-trace-py"))
    built = build_version(tree, MAPPING, release_version(tree, None))
    version = built.version
    assert version.version == "9.1.0"
    assert version.registry == "ddtrace/contrib/integration_registry/registry.yaml"
    assert version.contrib_dirs == (
        "aiopg", "dbapi", "gunicorn", "httplib", "integration_registry", "kombu", "logging", "newthing",
        "psycopg",
    )  # fmt: skip
    found = _by_name(version.integrations)
    assert sorted(found) == ["aiopg", "gunicorn", "httplib", "kombu", "logging", "newthing", "psycopg"]

    aiopg = found["aiopg"]
    assert aiopg.enabled_by_default is True and aiopg.default == "True"
    assert aiopg.specifiers == {"aiopg": ">=0.16.0"}
    assert aiopg.distribution_modules == {"aiopg": "aiopg"}
    assert aiopg.source == "ddtrace/contrib/internal/aiopg/patch.py"
    assert aiopg.specifiers_source == "ddtrace/contrib/internal/aiopg/patch.py _supported_versions()"

    psycopg = found["psycopg"]
    assert psycopg.modules == ("psycopg", "psycopg2")
    assert psycopg.distribution_modules == {
        "psycopg": "psycopg",
        "psycopg2": "psycopg2",
        "psycopg2-binary": "psycopg2",
    }
    assert psycopg.specifiers == {"psycopg": ">=3.0.0", "psycopg2": ">=2.9.10"}

    kombu = found["kombu"]
    assert (kombu.enabled_by_default, kombu.default, kombu.specifiers) == (False, "False", {})
    # A registry name the mapping does not give for the hooked module is kept, without a version check.
    assert kombu.distribution_modules == {"amqp-extra": "", "kombu": "kombu"}

    logging = found["logging"]
    assert (logging.enabled_by_default, logging.default) == (False, "config._logs_injection")
    assert logging.distributions == ()

    assert found["httplib"].modules == ("http.client",)  # the Python 3 side of `... if PY2 else ...`
    gunicorn = found["gunicorn"]
    assert (gunicorn.default, gunicorn.enabled_by_default, gunicorn.specifiers) == ("", False, {})
    assert gunicorn.source == "ddtrace/contrib/internal/gunicorn/"

    assert any("'ghost'" in warning and "no contrib folder" in warning for warning in built.warnings)
    assert any("newthing.core" in warning for warning in built.warnings)
    assert any("amqp-extra" in warning for warning in built.warnings)


def test_wheel_sdist_and_tree_give_the_same_data(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "tree")
    wheel = tmp_path / "ddtrace-9.1.0-cp311-cp311-manylinux2014_x86_64.whl"
    sdist = tmp_path / "ddtrace-9.1.0.tar.gz"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root).as_posix())
        archive.writestr(
            "ddtrace-9.1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: ddtrace\nVersion: 9.1.0\n"
        )
    with tarfile.open(sdist, "w:gz") as archive:
        archive.add(root, arcname="ddtrace-9.1.0")
    results = []
    for source in (root, wheel, sdist):
        tree = open_source(source)
        results.append(build_version(tree, MAPPING, release_version(tree, None)).version)
    assert [result.integrations for result in results[1:]] == [results[0].integrations] * 2
    assert results[1].source == f"wheel {wheel.name}" and len(results[1].sha256) == 64
    assert results[2].source == f"sdist {sdist.name}"
    assert results[0].sha256 == ""


def test_the_command_writes_deterministic_files_that_load_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree(tmp_path / "tree")
    out = tmp_path / "out"
    out.mkdir()
    (out / "modules.toml").write_text(
        '[modules]\naiopg = ["aiopg"]\npsycopg = ["psycopg"]\npsycopg2 = ["psycopg2", "psycopg2-binary"]\n'
        'kombu = ["kombu"]\nlogging = []\n"http.client" = []\ngunicorn = ["gunicorn"]\n'
        '[registry-exclude]\nkombu = ["amqp-extra"]\n'
        '[not-integrations]\ndirs = ["dbapi", "integration_registry"]\n',
        encoding="utf-8",
    )
    assert main(["rules", "build-tracer", str(root), "--output", str(out)]) == 0
    written = out / "ddtrace-9.1.0.toml"
    first = written.read_bytes()
    captured = capsys.readouterr()
    assert "ddtrace 9.1.0, 7 integrations (written)" in captured.out
    assert "amqp-extra" not in captured.err  # excluded by the reviewed mapping

    assert main(["rules", "build-tracer", str(root), "--output", str(out)]) == 0
    assert "(unchanged)" in capsys.readouterr().out
    assert written.read_bytes() == first

    loaded = load_tracer_file(written)
    tree = open_source(root)
    rebuilt = build_version(tree, load_mapping(out / "modules.toml"), "9.1.0").version
    assert loaded.integrations == rebuilt.integrations
    assert loaded.contrib_dirs == rebuilt.contrib_dirs
    assert _by_name(loaded.integrations)["kombu"].distribution_modules == {"kombu": "kombu"}

    index = (out / INDEX_FILE).read_text(encoding="utf-8")
    assert 'releases = ["9.1.0"]' in index and 'psycopg2-binary = "x"' in index
    lazy = load_tracer_versions(out)
    assert presence_of(lazy) == compute_presence((loaded,))


def test_a_tree_without_a_version_needs_one_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_tree(tmp_path / "tree", version=None)
    out = tmp_path / "out"
    assert main(["rules", "build-tracer", str(root), "--output", str(out)]) == 2
    assert "give it as" in capsys.readouterr().err
    assert main(["rules", "build-tracer", f"{root}@9.2.0", "--output", str(out)]) == 0
    assert (out / "ddtrace-9.2.0.toml").is_file()


def test_unreadable_sources_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (tmp_path / "empty").mkdir()
    assert main(["rules", "build-tracer", str(tmp_path / "empty"), "--output", str(out)]) == 2
    assert "no ddtrace/ folder" in capsys.readouterr().err
    bogus = tmp_path / "ddtrace-1.0.0-py3-none-any.whl"
    bogus.write_bytes(b"not a zip")
    assert main(["rules", "build-tracer", str(bogus), "--output", str(out)]) == 2
    assert "not a zip archive" in capsys.readouterr().err


def test_parsers_read_literals_only() -> None:
    monkey = parse_monkey(MONKEY)
    assert monkey.patch_modules["logging"] == "config._logs_injection"
    assert monkey.hooked["httplib"] == ("http.client",)
    with pytest.raises(BuildError, match="no PATCH_MODULES"):
        parse_monkey("PATCH = {}\n")
    with pytest.raises(BuildError, match="not a literal"):
        parse_supported_versions("def _supported_versions():\n    return make()\n", "x/patch.py")
    assert parse_supported_versions("def patch(): pass\n", "x/patch.py") is None
    assert parse_registry(REGISTRY)["psycopg"].dependency_names == ["psycopg", "psycopg2-binary"]
    assert parse_registry(REGISTRY)["aiopg"].external is True


def test_the_3x_layout_unions_both_contrib_folders(tmp_path: Path) -> None:
    tree = open_source(make_tree(tmp_path / "t"))
    assert "aiopg" in contrib_dirs(tree) and "internal" not in contrib_dirs(tree)


def test_the_shipped_mapping_covers_every_module_of_the_shipped_data() -> None:
    """Every hooked module of the shipped releases is in modules.toml (the builder warned otherwise)."""
    from ddcompat.ruleset.tracer_load import embedded_tracer_dir

    folder = embedded_tracer_dir()
    mapping = load_mapping(folder / "modules.toml")
    for release in load_tracer_versions(folder):
        for integration in release.integrations:
            for module in integration.modules:
                assert mapping.distributions(module) is not None, (release.version, module)


def test_a_broken_release_file_is_a_broken_rule_set(tmp_path: Path) -> None:
    bad = tmp_path / "ddtrace-1.2.3.toml"
    bad.write_text(
        'schema = 1\nversion = "1.2.4"\nsource = ""\nsha256 = ""\nregistry = ""\ncontrib-dirs = []\n'
    )
    with pytest.raises(UsageError, match="does not match the file name"):
        load_tracer_file(bad)
    bad.write_text(
        'schema = 1\nversion = "1.2.3"\nsource = ""\nsha256 = ""\nregistry = ""\ncontrib-dirs = []\n'
        '[integrations.x]\nenabled-by-default = true\ndefault = "True"\nmodules = ["x"]\n'
        'distributions = { X_Y = "x" }\nspecifiers = {}\nsource = ""\n'
    )
    load_tracer_file.cache_clear()
    with pytest.raises(UsageError, match="not PEP 503 normalised"):
        load_tracer_file(bad)
    lazy = load_tracer_versions(tmp_path)
    assert [release.version for release in lazy] == ["1.2.3"]  # listing reads no file
    with pytest.raises(UsageError):
        _ = lazy[0].integrations
