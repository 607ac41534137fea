"""Poetry version constraints (`^1.2`, `~1.2.3`, `1.2.*`, `>=1.2 <2.0`, `^1 || ^2`) translated to PEP 440.

Poetry's constraint language is not PEP 440 (packaging rejects `^1.2`), so every Poetry constraint is
translated first and then judged with packaging's range algebra. Public API:

    translate(constraint: str) -> tuple[str, VersionRange]
        The PEP 440 text and the set of versions the constraint admits. The text is "" for "any version"
        (`*`, `""`); for a union (`||` or `|`) it is the PEP 440 parts joined with " || " (a union has no
        SpecifierSet form). Raises ValueError with a readable message for an invalid constraint.

    translate_parts(constraint: str) -> list[str]
        The PEP 440 text of each `||` alternative (one element when there is no union; [""] for any).

Translation (Poetry's documented tables): `^1.2.3` -> `>=1.2.3,<2`, `^0.2.3` -> `>=0.2.3,<0.3`,
`^0.0.3` -> `>=0.0.3,<0.0.4`, `^0.0` -> `>=0.0,<0.1`, `^0` -> `>=0,<1`, `~1.2.3` -> `>=1.2.3,<1.3`,
`~1` -> `>=1,<2`, `~=1` -> `>=1,<2`, `1.2.*` -> `==1.2.*`, bare `1.2.3` -> `==1.2.3`, `=1.2` -> `==1.2`;
commas and whitespace are AND. The upper bounds then have PEP 440 semantics (`<2` excludes `2.0rc1`), which
differ slightly from Poetry's own handling of pre-releases at the bound; ddcompat uses PEP 440 throughout.
The same translation applies to Poetry's `python` constraint (`^3.9` -> `>=3.9,<4`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from packaging.ranges import VersionRange
from packaging.specifiers import InvalidSpecifier
from packaging.version import Version

from ddcompat.readers._lazy_range import lazy_range

__all__ = ["translate", "translate_parts"]

_OR = re.compile(r"\s*\|\|?\s*")
# One clause: an optional operator, optional blanks, then a version token (no blanks, commas or bars).
_CLAUSE = re.compile(r"(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*([^\s,|<>=~^!][^\s,|<>=~^]*)")
_ANY = frozenset({"*", "x", "X"})


@lru_cache(maxsize=4096)
def translate(constraint: str) -> tuple[str, VersionRange]:
    """The PEP 440 text of a Poetry constraint and the versions it admits (ValueError when invalid).

    Cached: the same few constraints (`*`, `^1.0`) recur across a project's files, and building a range
    costs far more than parsing the TOML around it.
    """
    parts = translate_parts(constraint)
    admitted: VersionRange | None = None
    for part in parts:
        try:
            current = lazy_range(part)  # built on first use (a union builds it at once)
        except InvalidSpecifier as exc:  # pragma: no cover - every part is built from checked pieces
            raise ValueError(f"invalid constraint {constraint!r}: {exc}") from None
        admitted = current if admitted is None else admitted | current
    assert admitted is not None
    if len(parts) > 1 and "" in parts:
        return "", admitted
    return " || ".join(parts), admitted


def translate_parts(constraint: str) -> list[str]:
    """The PEP 440 text of each `||` alternative of a Poetry constraint (ValueError when invalid)."""
    text = constraint.strip()
    if not text:
        return [""]
    alternatives = _OR.split(text)
    if any(not alternative.strip() for alternative in alternatives):
        raise ValueError(f"invalid constraint {constraint!r}: empty alternative around '||'")
    return [_translate_and(alternative.strip(), constraint) for alternative in alternatives]


def _translate_and(text: str, whole: str) -> str:
    clauses: list[str] = []
    position = _skip_separators(text, 0)
    while position < len(text):
        match = _CLAUSE.match(text, position)
        if match is None:
            raise ValueError(f"invalid constraint {whole!r}: unexpected {text[position:]!r}")
        operator, version = match.group(1) or "", match.group(2)
        clauses.extend(_translate_clause(operator, version, whole))
        position = _skip_separators(text, match.end())
    if len(clauses) > 1 and "" in clauses:
        clauses = [clause for clause in clauses if clause]
    return ",".join(clauses)


def _skip_separators(text: str, position: int) -> int:
    while position < len(text) and (text[position] == "," or text[position].isspace()):
        position += 1
    return position


def _version(text: str, whole: str) -> Version:
    try:
        return Version(text)
    except ValueError:  # InvalidVersion, or more digits than int() converts
        raise ValueError(f"invalid constraint {_short(whole)!r}: {_short(text)!r} is not a version") from None


def _short(text: str) -> str:
    """Text for a message: a hostile 5,000-digit version does not belong in one."""
    return text if len(text) <= 60 else text[:57] + "..."


def _release_text(version: Version, release: tuple[int, ...]) -> str:
    prefix = f"{version.epoch}!" if version.epoch else ""
    return prefix + ".".join(str(number) for number in release)


def _precision(text: str) -> int:
    """How many release components were written (`1.2` -> 2, `1.2.3b1` -> 3)."""
    match = re.match(r"^v?(?:\d+!)?(\d+(?:\.\d+)*)", text.strip().lower())
    return len(match.group(1).split(".")) if match else 1


def _translate_clause(operator: str, version_text: str, whole: str) -> list[str]:
    if version_text in _ANY:
        if operator in ("", "=", "==", ">="):
            return [""]
        raise ValueError(f"invalid constraint {whole!r}: {operator}{version_text} admits nothing sensible")
    wildcard = re.fullmatch(r"(.+?)\.[*xX]", version_text)
    if wildcard:
        base = wildcard.group(1)
        _version(base, whole)
        if operator in ("", "=", "=="):
            return [f"=={base}.*"]
        if operator == "!=":
            return [f"!={base}.*"]
        if operator in (">=", "^", "~", "~="):  # `>=1.2.*` is `>=1.2`: the wildcard adds nothing below
            return _translate_clause(operator, base, whole)
        raise ValueError(f"invalid constraint {whole!r}: a wildcard cannot follow {operator!r}")
    if "*" in version_text:
        raise ValueError(f"invalid constraint {whole!r}: misplaced '*' in {version_text!r}")
    version = _version(version_text, whole)
    written = str(version) if version_text.startswith(("v", "V")) else version_text
    if operator in ("", "=", "=="):
        return [f"=={written}"]
    if operator in ("!=", "<", ">", "<=", ">=", "==="):
        return [f"{operator}{written}"]
    precision = _precision(version_text)
    release = version.release + (0,) * max(0, precision - len(version.release))
    if operator == "^":
        upper = _caret_upper(release, precision)
    elif operator == "~":
        upper = _bump(release, 0) if precision == 1 else _bump(release, 1)
    else:  # "~=": PEP 440 compatible release; one component means "same major" in Poetry
        if precision == 1:
            upper = _bump(release, 0)
        else:
            return [f"~={written}"]
    return [f">={written}", f"<{_release_text(version, upper)}"]


def _bump(release: tuple[int, ...], index: int) -> tuple[int, ...]:
    """`(1, 2, 3)` bumped at 1 -> `(1, 3)`: the next release of that component, lower ones dropped."""
    padded = release + (0,) * max(0, index + 1 - len(release))
    return (*padded[:index], padded[index] + 1)


def _caret_upper(release: tuple[int, ...], precision: int) -> tuple[int, ...]:
    """Poetry's next breaking release: the first non-zero written component is the one that may not change."""
    major = release[0]
    minor = release[1] if len(release) > 1 else 0
    if major > 0 or precision == 1:
        return _bump(release, 0)
    if minor > 0 or precision == 2:
        return _bump(release, 1)
    return _bump(release, 2)
