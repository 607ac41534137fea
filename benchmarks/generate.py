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


def _hash(rng: random.Random) -> str:
    return f"sha256:{rng.getrandbits(256):064x}"


def _hash_count(rng: random.Random) -> int:
    # As in the corpus's real Pipfile.locks (median 2, mean 7): pure-Python packages carry an sdist and a
    # wheel hash, packages with compiled wheels 6-40.
    return 2 if rng.random() < 0.65 else rng.randint(6, 40)


def pipfile_lock_text(rng: random.Random, packages: int) -> str:
    """A pipenv-layout Pipfile.lock (4-space indent, sorted keys), hashes and markers as real ones have."""
    default: dict[str, object] = {}
    develop: dict[str, object] = {}
    for index in range(packages):
        name = LIBRARIES[index] if index < len(LIBRARIES) else f"pkg-{index}"
        entry: dict[str, object] = {"hashes": sorted(_hash(rng) for _ in range(_hash_count(rng))),
                                    "index": "pypi", "version": f"=={_version(rng)}"}
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


FORKS = ("python_full_version >= '3.12'", "python_full_version < '3.12'")
UPLOADED = 'upload-time = "2025-01-01T00:00:00.000Z"'


def uv_lock_text(rng: random.Random, packages: int) -> str:
    """A uv.lock as uv writes it: sdist, wheels (1, or 5-30 for compiled packages), dependencies, forks."""
    parts = ['version = 1\nrevision = 2\nrequires-python = ">=3.9"\nresolution-markers = [\n'
             "    \"python_full_version >= '3.12'\",\n    \"python_full_version < '3.12'\",\n]\n"]
    for index in range(packages):
        name = LIBRARIES[index] if index < len(LIBRARIES) else f"pkg-{index}"
        forks = FORKS if index % 50 == 0 else ("",)
        for fork in forks:
            version = _version(rng)
            lines = ["[[package]]", f'name = "{name}"', f'version = "{version}"',
                     'source = { registry = "https://pypi.org/simple" }']
            if fork:
                lines += ["resolution-markers = [", f'    "{fork}",', "]"]
            dependencies = rng.randint(0, 4)
            if dependencies:
                lines.append("dependencies = [")
                lines += [f'    {{ name = "pkg-{rng.randrange(packages)}" }},' for _ in range(dependencies)]
                lines.append("]")
            url = f"https://files.pythonhosted.org/packages/00/00/{name}-{version}"
            size = rng.randint(10**3, 10**7)
            sdist = f'url = "{url}.tar.gz", hash = "{_hash(rng)}", size = {size}, {UPLOADED}'
            lines.append(f"sdist = {{ {sdist} }}")
            lines.append("wheels = [")
            for wheel in range(1 if rng.random() < 0.6 else rng.randint(5, 30)):
                size = rng.randint(10**3, 10**7)
                lines.append(f'    {{ url = "{url}-cp312-manylinux_{wheel}.whl", hash = "{_hash(rng)}", '
                             f"size = {size}, {UPLOADED} }},")
            lines += ["]", ""]
            parts.append("\n".join(lines))
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
