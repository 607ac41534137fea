"""A pre-parsed form of the rule files, made at build time, so a run does not parse TOML in Python.

`tomllib` is pure Python: parsing the five page-built rule files and one tracer release costs more than
importing `packaging`, and every `ddcompat check` (a pre-commit hook) pays it. `ddcompat rules compile`
writes, for every `<dir>/<name>.toml` of the rule set, `<dir>/compiled/<name>.json`: the parsed document
and the length and CRC-32 of the TOML text it came from. `json` is implemented in C, so loading it costs a
fraction.

The TOML stays the source of truth. A compiled file is used only when its checksum matches the TOML read
beside it; otherwise (a rule file edited without recompiling, a custom rules folder) the TOML is parsed
as before. The checksum detects a forgotten recompile, not tampering (whoever can edit the compiled file
can edit the TOML), so it is CRC-32: `hashlib` would load OpenSSL, which costs more than the JSON. A run
never writes a compiled file: they are made by `ddcompat rules compile` and shipped.
"""

from __future__ import annotations

import datetime
import json
import os
import zlib
from typing import TYPE_CHECKING, Any, Optional, Union

if TYPE_CHECKING:  # a run reads rule files by plain string paths: pathlib is for the build commands
    from pathlib import Path

StrPath = Union[str, "os.PathLike[str]"]

FOLDER = "compiled"
SCHEMA = 2
_DATE = "$date"  # JSON has no dates: {"$date": "2026-05-31"} stands for one (only `end_date` uses them)


def compiled_file(toml_path: str) -> str:
    """Where the compiled form of `toml_path` lives: `<dir>/compiled/<stem>.json`."""
    folder, name = os.path.split(toml_path)
    return os.path.join(folder, FOLDER, os.path.splitext(name)[0] + ".json")


def compiled_path(toml_path: StrPath) -> Path:
    """`compiled_file` as a `Path`, for the build commands."""
    from pathlib import Path

    return Path(compiled_file(os.fspath(toml_path)))


def digest(text: str) -> str:
    """`<length>:<crc32>` of the UTF-8 text, in hex."""
    data = text.encode("utf-8")
    return f"{len(data):x}:{zlib.crc32(data):08x}"


def loads(path: StrPath, text: str) -> dict[str, Any]:
    """The parsed rule file `path` whose text is `text`: its compiled form when fresh, else the TOML.

    Raises what `tomllib.loads` raises when the TOML must be parsed and is broken.
    """
    data = _fresh_compiled(os.fspath(path), text)
    if data is not None:
        return data
    from ddcompat._toml import loads as toml_loads

    return toml_loads(text)


def _fresh_compiled(path: str, text: str) -> Optional[dict[str, Any]]:
    try:
        with open(compiled_file(path), "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    try:
        document = json.loads(raw, object_hook=_undate) if b'"$date"' in raw else json.loads(raw)
    except ValueError:  # a damaged compiled file is ignored, never trusted
        return None
    if (not isinstance(document, dict) or document.get("schema") != SCHEMA
            or document.get("checksum") != digest(text) or not isinstance(document.get("data"), dict)):
        return None
    data: dict[str, Any] = document["data"]
    return data


def _undate(value: dict[str, Any]) -> Any:
    if len(value) == 1 and isinstance(value.get(_DATE), str):
        return datetime.date.fromisoformat(value[_DATE])
    return value


def _json_value(value: object) -> object:
    if isinstance(value, (datetime.datetime, datetime.time)):
        raise TypeError(f"rule files hold no times or date-times, got {value!r}")
    if isinstance(value, datetime.date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"not a TOML value: {value!r}")


def render(text: str) -> str:
    """The compiled form (JSON text, one line) of the rule file whose TOML text is `text`."""
    from ddcompat._toml import loads as toml_loads

    document = {"schema": SCHEMA, "checksum": digest(text), "data": toml_loads(text)}
    return json.dumps(document, default=_json_value, ensure_ascii=True, separators=(",", ":")) + "\n"


def rule_files(rules_dir: Path) -> list[Path]:
    """Every TOML file of the rule set: `rules_dir/*.toml` and `rules_dir/tracer/*.toml`."""
    found = sorted(rules_dir.glob("*.toml"))
    tracer = rules_dir / "tracer"
    if tracer.is_dir():
        found += sorted(tracer.glob("*.toml"))
    return found


def expected(rules_dir: Path) -> dict[Path, str]:
    """The compiled file each rule file of `rules_dir` should have, with its content."""
    return {compiled_path(path): render(path.read_text(encoding="utf-8")) for path in rule_files(rules_dir)}


def stale(rules_dir: Path) -> list[Path]:
    """Compiled files that are missing, differ from their TOML, or have no TOML any more."""
    wanted = expected(rules_dir)
    problems = []
    for path, content in wanted.items():
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != content:
            problems.append(path)
    for folder in {path.parent for path in wanted} | {rules_dir / FOLDER, rules_dir / "tracer" / FOLDER}:
        if folder.is_dir():
            problems.extend(path for path in sorted(folder.glob("*.json")) if path not in wanted)
    return problems


def compile_command(rules: Optional[str], check: bool) -> int:
    """`ddcompat rules compile [--check] [DIR]`: write (or verify) the compiled form of the rule set."""
    import sys
    from pathlib import Path

    from ddcompat.atomic import atomic_write
    from ddcompat.errors import UsageError
    from ddcompat.ruleset.load import rules_dir as embedded

    directory = Path(rules) if rules is not None else embedded()
    if not (directory / "releases.toml").is_file():
        raise UsageError(f"{directory}: not a rules folder (no releases.toml)")
    try:
        if check:
            problems = stale(directory)
            for path in problems:
                sys.stdout.write(f"{path}: out of date (run `ddcompat rules compile`)\n")
            return 1 if problems else 0
        wanted = expected(directory)
        for path, content in wanted.items():
            path.parent.mkdir(exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != content:
                atomic_write(str(path), content.encode("utf-8"))
                sys.stderr.write(f"wrote {path}\n")
        for path in stale(directory):  # compiled forms of TOML files that are gone
            path.unlink()
            sys.stderr.write(f"removed {path}\n")
    except (OSError, ValueError, TypeError) as exc:  # unreadable or broken TOML, a TOML time
        raise UsageError(f"cannot compile the rule set in {directory}: {exc}") from None
    return 0
