"""The project context that checks receive: which files form the project, and what it runs on.

Built by `project.py` from the files' `ReadResult`s and the config; consumed by `checks/`. Checks read no
files and know nothing of discovery: everything they need is here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, NamedTuple, Optional

from ddcompat.model import Declaration, PythonDeclaration, ReadResult, Span

if TYPE_CHECKING:
    from packaging.ranges import VersionRange


class Located(NamedTuple):
    """Something declared at a place: a display path and a span (a config line, a declaration)."""

    path: str
    span: Span


class TracerInUse(NamedTuple):
    """The ddtrace versions in use: a lock's exact version, else the declared ranges, else assumed."""

    versions: VersionRange  # every ddtrace version that may be in use
    exact: Optional[str]  # the locked version, when a lock says
    assumed: bool  # nothing declared: the newest General Availability branch was assumed
    declaration: Optional[Declaration]  # the ddtrace declaration findings point at (manifest first)
    path: Optional[str]  # display path of that declaration's file


class PythonInUse(NamedTuple):
    """The project's Python versions, and where that was said (None: from --python or config)."""

    versions: VersionRange
    text: str  # as written ("3.11", ">=3.8")
    source: str  # "--python", "config", ".python-version", "requires-python", "lock", ...
    declaration: Optional[PythonDeclaration]
    path: Optional[str]


class ProjectContext(NamedTuple):
    """Everything the checks see of one project: its files, the tracer and Python in use, settings."""

    root: str  # the project folder (display path)
    results: list[ReadResult]  # every file of the project, checked or only read for context
    checked: frozenset[str]  # display paths of the files findings may be reported for
    tracer: TracerInUse
    python: Optional[PythonInUse]  # None: unknown, no Python check runs
    today: datetime.date
    products: frozenset[str] = frozenset({"apm"})
    agent_version: Optional[str] = None
    agent_location: Optional[Located] = None  # the config line of agent-version
    site: Optional[str] = None
    site_location: Optional[Located] = None
    deployment: Optional[str] = None
    deployment_location: Optional[Located] = None
    skipped: Set[int] = frozenset()  # id()s of declarations whose marker cannot hold
    watched: Optional[Set[str]] = None  # the names checks read declarations of (None: every name)

    def checked_results(self) -> Iterator[ReadResult]:
        """The project's files that findings may be reported for."""
        return (result for result in self.results if result.path in self.checked)

    def active(self, result: ReadResult) -> Iterator[Declaration]:
        """The declarations of `result` the checks read, whose marker can hold for the project's Python."""
        return (decl for decl in result.named(self.watched) if id(decl) not in self.skipped)

    def all_active(self) -> Iterator[tuple[ReadResult, Declaration]]:
        """Every active declaration of the whole project (context files included)."""
        for result in self.results:
            for decl in self.active(result):
                yield result, decl
