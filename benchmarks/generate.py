"""Synthetic dependency trees and big lock files for the benchmarks (deterministic: seeded)."""

from __future__ import annotations

import json
import random
from pathlib import Path

LIBRARIES = (
    "django", "flask", "requests", "aiopg", "psycopg2-binary", "redis", "celery", "boto3", "botocore",
    "sqlalchemy", "pymongo", "jinja2", "urllib3", "grpcio", "kombu", "gunicorn", "fastapi", "starlette",
    "elasticsearch", "pytest", "structlog", "loguru", "mako", "gevent", "asyncpg", "pymysql", "httpx",
    "numpy", "pandas", "pydantic", "attrs", "click", "rich", "typer", "six", "idna", "certifi",
)
MARKERS = ('python_version >= "3.9"', 'sys_platform == "linux"', 'platform_machine != "i686"', "")


def _version(rng: random.Random) -> str:
    return f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def requirements_text(rng: random.Random, lines: int) -> str:
    out = ["# generated for the benchmark", "ddtrace==4.1.0 \\", "    --hash=sha256:" + "a" * 64]
    for index in range(lines - 3):
        name = LIBRARIES[index % len(LIBRARIES)] if index < len(LIBRARIES) else f"pkg-{index}"
        marker = MARKERS[index % len(MARKERS)]
        line = f"{name}=={_version(rng)}"
        if marker:
            line += f" ; {marker}"
        if index % 3 == 0:
            line += f" --hash=sha256:{index:064x}"
        out.append(line)
    return "\n".join(out) + "\n"


def pyproject_text(rng: random.Random, number: int) -> str:
    deps = ",\n".join(f'    "{name}>={_version(rng)}"' for name in LIBRARIES[:12])
    return (
        f'[project]\nname = "service-{number}"\nversion = "1.0.0"\nrequires-python = ">=3.9"\n'
        f"dependencies = [\n    \"ddtrace>=4.0,<5\",\n{deps},\n]\n\n"
        f'[project.optional-dependencies]\ntest = ["pytest>=7", "hypothesis"]\n'
    )


def poetry_lock_text(rng: random.Random, packages: int) -> str:
    parts = []
    for index in range(packages):
        name = LIBRARIES[index] if index < len(LIBRARIES) else f"pkg-{index}"
        parts.append(
            f'[[package]]\nname = "{name}"\nversion = "{_version(rng)}"\ndescription = "x"\n'
            f'optional = false\npython-versions = ">=3.8"\nfiles = [\n'
            f'    {{file = "{name}-1.0.tar.gz", hash = "sha256:{index:064x}"}},\n]\n'
        )
    parts.append('[metadata]\nlock-version = "2.0"\npython-versions = "^3.9"\ncontent-hash = "x"\n')
    return "\n".join(parts)


def pipfile_lock_text(rng: random.Random, packages: int) -> str:
    default = {}
    develop = {}
    for index in range(packages):
        name = LIBRARIES[index] if index < len(LIBRARIES) else f"pkg-{index}"
        entry = {"hashes": [f"sha256:{index:064x}"], "index": "pypi", "version": f"=={_version(rng)}"}
        if index % 4 == 0:
            entry["markers"] = "python_version >= '3.9'"
        (develop if index % 5 == 0 else default)[name] = entry
    lock = {
        "_meta": {"hash": {"sha256": "0" * 64}, "pipfile-spec": 6, "requires": {"python_version": "3.11"},
                  "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]},
        "default": default,
        "develop": develop,
    }
    return json.dumps(lock, indent=4, sort_keys=True) + "\n"


def uv_lock_text(rng: random.Random, packages: int) -> str:
    parts = ['version = 1\nrevision = 2\nrequires-python = ">=3.9"\n']
    for index in range(packages):
        name = LIBRARIES[index] if index < len(LIBRARIES) else f"pkg-{index}"
        version = _version(rng)
        parts.append(
            f'[[package]]\nname = "{name}"\nversion = "{version}"\n'
            f'source = {{ registry = "https://pypi.org/simple" }}\n'
            f'sdist = {{ url = "https://files/{name}-{version}.tar.gz", hash = "sha256:{index:064x}", '
            f"size = {1000 + index} }}\n"
            f'wheels = [\n    {{ url = "https://files/{name}-{version}-py3-none-any.whl", '
            f'hash = "sha256:{index:064x}", size = {2000 + index} }},\n]\n'
        )
    return "\n".join(parts)


def monorepo(root: Path, projects: int, seed: int = 7) -> list[Path]:
    """`projects` services, each with a 25-line requirements.txt, a pyproject.toml, and in a quarter of them a
    150-package poetry.lock or Pipfile.lock. Returns every file written."""
    rng = random.Random(seed)
    written: list[Path] = []
    for number in range(projects):
        folder = root / f"service-{number:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        files = {
            "requirements.txt": requirements_text(rng, 25),
            "pyproject.toml": pyproject_text(rng, number),
        }
        if number % 4 == 0:
            if number % 8 == 0:
                files["poetry.lock"] = poetry_lock_text(rng, 150)
            else:
                files["Pipfile.lock"] = pipfile_lock_text(rng, 150)
        for name, text in files.items():
            path = folder / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
