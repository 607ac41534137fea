"""Config loading and validation: `[tool.ddcompat]`, `ddcompat.toml`, `--config`; errors name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddcompat.config import Config, ConfigFinder, load_config_file, parse_config
from ddcompat.errors import UsageError
from ddcompat.model import Span


def load(path: Path, **kwargs: bool) -> Config | None:
    return load_config_file(str(path), path.name, **kwargs)


def test_every_key_is_read_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "x"\n\n'
        "[tool.ddcompat]\n"
        'select = ["DDC1", "ddc3"]\n'
        'ignore = "DDC104,DDC304"\n'
        'exclude = ["legacy/**"]\n'
        'python = ">=3.9,<3.13"\n'
        'products = ["apm", "SCA"]\n'
        'agent-version = "7.50.3"\n'
        'site = "https://app.ddog-gov.com/"\n'
        'deployment = "aws-lambda"\n'
        "\n[tool.ddcompat.per-file-ignores]\n"
        '"Pipfile.lock" = ["DDC1"]\n'
        "\n[tool.other]\nsite = 1\n",
        encoding="utf-8",
    )
    config = load(path)
    assert config is not None
    assert config.select == ("DDC1", "DDC3")
    assert config.ignore == ("DDC104", "DDC304")
    assert config.exclude == ("legacy/**",)
    assert config.python == ">=3.9,<3.13"
    assert config.products == ("apm", "sca")
    assert config.agent_version == "7.50.3"
    assert config.site == "ddog-gov.com"
    assert config.deployment == "aws-lambda"
    assert config.per_file_ignores == (("Pipfile.lock", ("DDC1",)),)
    assert config.base == str(tmp_path)
    agent = config.location("agent-version")
    assert agent is not None and agent.path == "pyproject.toml"
    assert agent.span == Span(10, 1, 10, len('agent-version = "7.50.3"') + 1)
    site = config.location("site")
    assert site is not None and site.span.line == 11  # not the [tool.other] key of the same name


def test_pyproject_without_table_is_no_config(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load(path) is None


def test_broken_pyproject_is_left_to_its_reader(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project\n", encoding="utf-8")
    assert load(path) is None  # the pyproject reader reports DDC902 for it
    with pytest.raises(UsageError, match="invalid TOML"):
        load(path, explicit=True)


def test_broken_ddcompat_toml_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "ddcompat.toml"
    path.write_text("select = [\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"^ddcompat\.toml: invalid TOML"):
        load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selct = ["DDC1"]', r"ddcompat\.toml:1: config `selct`: unknown key"),
        ("per_file_ignores = {}", r"`per_file_ignores`: unknown key .*did you mean `per-file-ignores`\?"),
        ('select = ["DDC999"]', r"`select`: unknown code or prefix 'DDC999'"),
        ('select = ["E501"]', r"`select`: unknown code or prefix 'E501'"),
        ("ignore = 3", r"`ignore`: expected a list of strings"),
        ('per-file-ignores = ["x"]', r"`per-file-ignores`: expected a table"),
        ('per-file-ignores = {"x" = ["DDC0"]}', r"`per-file-ignores`: unknown code or prefix 'DDC0'"),
        ('python = "three"', r"`python`: not a Python version or specifier"),
        ('products = ["rum"]', r"`products`: unknown product 'rum'"),
        ('agent-version = "latest"', r"`agent-version`: not a Datadog Agent version"),
        ('site = "example.com"', r"`site`: not a Datadog site"),
        ('deployment = "heroku"', r"`deployment`: unknown deployment 'heroku'"),
        ('deployment = ["ecs"]', r"`deployment`: expected a non-empty string"),
        ("exclude = [1]", r"`exclude`: expected a list of strings"),
    ],
)
def test_bad_keys_and_values_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ddcompat.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load(path)


def test_agent_version_may_be_a_number_or_v_prefixed() -> None:
    assert parse_config({"agent-version": 7.5}, base="/", path=None, display="x").agent_version == "7.5"
    assert (
        parse_config({"agent-version": "v7.76.1"}, base="/", path=None, display="x").agent_version == "7.76.1"
    )


def test_finder_nearest_ddcompat_toml_then_root_pyproject(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "svc" / "api").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.ddcompat]\nignore = ["DDC1"]\n', encoding="utf-8")
    (root / "svc" / "ddcompat.toml").write_text('ignore = ["DDC3"]\n', encoding="utf-8")
    finder = ConfigFinder()
    display = str
    chain = [str(root / "svc" / "api"), str(root / "svc"), str(root)]
    assert finder.for_chain(chain, display).ignore == ("DDC3",)
    assert finder.for_chain(chain[2:], display).ignore == ("DDC1",)
    empty = finder.for_chain([str(tmp_path)], display)
    assert empty.path is None and empty.ignore == ()


def test_explicit_config_overrides_discovery(tmp_path: Path) -> None:
    explicit = Config(base=str(tmp_path), ignore=("DDC9",))
    finder = ConfigFinder(explicit)
    (tmp_path / "ddcompat.toml").write_text('ignore = ["DDC1"]\n', encoding="utf-8")
    assert finder.for_chain([str(tmp_path)], str) is explicit


def test_globs_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    config = Config(
        base=str(tmp_path),
        exclude=("legacy", "svc/*/old-*.txt", "**/fixtures/**"),
        per_file_ignores=(("*.lock", ("DDC1",)),),
    )
    patterns = config.exclude_patterns()
    assert patterns.matches(str(tmp_path / "legacy" / "requirements.txt"))
    assert patterns.matches(str(tmp_path / "a" / "legacy"))  # a bare name matches at any depth
    assert patterns.matches(str(tmp_path / "svc" / "api" / "old-reqs.txt"))
    assert not patterns.matches(str(tmp_path / "svc" / "api" / "deep" / "old-reqs.txt"))
    assert patterns.matches(str(tmp_path / "x" / "fixtures" / "y" / "requirements.txt"))
    assert not patterns.matches(str(tmp_path / "requirements.txt"))
    assert not patterns.matches(str(tmp_path.parent / "legacy"))  # outside the base
    assert config.per_file_patterns().all_matches(str(tmp_path / "sub" / "poetry.lock")) == [0]


def test_sub_table_key_is_located_at_its_header(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[tool.ddcompat]\nselect = ["DDC"]\n\n[tool.ddcompat.per-file-ignores]\n"x" = ["DDC1"]\n',
        encoding="utf-8",
    )
    config = load(path)
    assert config is not None
    location = config.location("per-file-ignores")
    assert location is not None and location.span.line == 4
