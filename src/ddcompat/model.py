"""The small value types every layer shares: where something is, what a file declares, what is wrong.

Data flows one way: readers produce `ReadResult`s (declarations and file findings), the project layer
groups them, checks turn them into `Finding`s, and outputs render findings. Nothing here does I/O.

The values made by the hundred thousand (spans, declarations, findings) are named tuples: immutable like
frozen dataclasses, and three to five times cheaper to make (a frozen dataclass sets each field through
`object.__setattr__`): on a 2,000-project run that was 7% of the time.
"""

from __future__ import annotations

import enum
from collections.abc import Set
from typing import TYPE_CHECKING, NamedTuple, Optional, Protocol

if TYPE_CHECKING:
    from packaging.markers import Marker
    from packaging.ranges import VersionRange


class Level(enum.Enum):
    """How serious a finding is; notes never fail a run."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Origin(enum.Enum):
    """Whether a declaration states a wish (manifest) or a resolved fact (lock)."""

    MANIFEST = "manifest"
    LOCK = "lock"


class Span(NamedTuple):
    """A region of a file: 1-based lines and columns; `end_column` is exclusive (one past the last char).

    Columns count Unicode code points of the decoded line (a BOM is not a column).
    """

    line: int
    column: int
    end_line: int
    end_column: int


class Declaration(NamedTuple):
    """One dependency as a file states it.

    `admitted` is the set of versions the declaration allows: its PEP 440 specifier (Poetry constraints
    translated first) or, for a lock, the one locked version. `has_specifier` is False for a bare name
    (`django`, `django = "*"`), which stands for "whatever is newest".
    """

    name: str  # PEP 503 normalised
    raw_name: str  # as written
    specifier: str  # PEP 440 text of what is admitted ("" when none); for Poetry the translation
    declared: str  # the constraint text exactly as written ("^1.2", ">=1.0", "1.2.3" for a lock)
    admitted: VersionRange
    has_specifier: bool
    span: Span  # the whole requirement (for locks: the package's name/version entry)
    origin: Origin = Origin.MANIFEST
    marker: Optional[Marker] = None
    extras: tuple[str, ...] = ()
    group: str = ""  # "dependencies", "optional:web", "group:dev", "dev-packages", ...
    specifier_span: Optional[Span] = None  # where the constraint text sits (or would be inserted)
    is_direct_reference: bool = False  # URL, VCS or path requirement: a name but no version
    via: tuple[str, ...] = ()  # include chain for requirements reached by -r/-c (display paths)


class PythonDeclaration(NamedTuple):
    """A statement of which Pythons the project runs on (`requires-python`, `.python-version`, ...)."""

    specifier: str  # PEP 440 text over Python versions (">=3.9", "==3.11.*")
    declared: str  # as written
    admitted: VersionRange
    span: Span
    kind: str  # "requires-python", "poetry-python", "pipfile-python", "python-version-file", "lock"
    origin: Origin = Origin.MANIFEST
    specifier_span: Optional[Span] = None


class PlatformDeclaration(NamedTuple):
    """A platform the project declares it runs on (uv `environments`, pylock `environments`)."""

    marker: Marker
    text: str
    span: Span


class Fix(NamedTuple):
    """A rewrite of one span of a file; `safe` fixes only narrow what a declaration admits."""

    path: str
    span: Span
    replacement: str
    description: str
    safe: bool = True


class Finding(NamedTuple):
    """One problem at one place, with the code from the catalog."""

    code: str
    level: Level
    message: str
    path: str  # display path: relative to the current directory where possible, "/" separators
    span: Span
    package: Optional[str] = None
    declared: str = ""  # the declared text the finding is about (stable across line moves; fingerprints)
    hint: str = ""  # one line of what to do
    fix: Optional[Fix] = None
    source_line: Optional[str] = None  # the text of span.line, filled in by the runner for `full` output
    # For fixes (see fixes.py): what the finding is about and what would be fine.
    subject: Optional[Declaration | PythonDeclaration] = None
    target: Optional[VersionRange] = None  # the versions that would be fine (the supported set)
    pin_to: Optional[str] = None  # the version an unsafe fix would pin to (documented minimum, newest GA)


class PendingDeclarations(Protocol):
    """Declarations a reader validated but has not built yet (a big lock's thousands of packages).

    Each is built once, on first use, so `all()` and `named()` hand out the same objects.
    """

    def all(self) -> list[Declaration]:
        """Every declaration, in file order."""

    def named(self, names: Set[str]) -> list[Declaration]:
        """The declarations whose (normalised) name is in `names`, in file order."""


class ReadResult:
    """Everything one reader learned from one file. Readers know nothing of rules.

    A plain class: readers fill it in step by step, and a dataclass costs ten times as much to define
    at start-up, which every pre-commit run pays.

    `declarations` is always the whole list. A reader may leave some of them pending (`pending`): they
    are built when `declarations` is first read, and `named()` builds only those a check looks at.
    """

    __slots__ = (
        "_declarations",
        "encoding",
        "findings",
        "has_bom",
        "included",
        "kind",
        "newline",
        "path",
        "pending",
        "platforms",
        "pythons",
        "real_path",
        "text",
        "tool_config",
    )

    def __init__(
        self,
        path: str,  # display path
        kind: str,  # "requirements", "pyproject", "pipfile", "pipfile.lock", "poetry.lock", "uv.lock", ...
        text: str = "",  # decoded text (for suppression comments, source lines and fixes)
        declarations: Optional[list[Declaration]] = None,
        pythons: Optional[list[PythonDeclaration]] = None,
        platforms: Optional[list[PlatformDeclaration]] = None,
        findings: Optional[list[Finding]] = None,  # DDC901/902/903
        tool_config: Optional[dict[str, object]] = None,  # [tool.ddcompat] of a pyproject.toml
        included: Optional[list[str]] = None,  # real paths read through -r/-c
        real_path: str = "",  # the filesystem path it was read from (for --fix)
        newline: str = "\n",
        has_bom: bool = False,
        encoding: str = "utf-8",
    ) -> None:
        self.path = path
        self.kind = kind
        self.text = text
        self._declarations: list[Declaration] = declarations if declarations is not None else []
        self.pending: Optional[PendingDeclarations] = None  # declarations that follow, built on first use
        self.pythons: list[PythonDeclaration] = pythons if pythons is not None else []
        self.platforms: list[PlatformDeclaration] = platforms if platforms is not None else []
        self.findings: list[Finding] = findings if findings is not None else []
        self.tool_config = tool_config
        self.included: list[str] = included if included is not None else []
        self.real_path = real_path
        self.newline = newline
        self.has_bom = has_bom
        self.encoding = encoding

    @property
    def declarations(self) -> list[Declaration]:
        """Every declaration of the file, in file order (pending ones are built now)."""
        pending = self.pending
        if pending is not None:
            self.pending = None
            self._declarations.extend(pending.all())
        return self._declarations

    @declarations.setter
    def declarations(self, declarations: list[Declaration]) -> None:
        self._declarations = declarations
        self.pending = None

    def named(self, names: Optional[Set[str]]) -> list[Declaration]:
        """The declarations whose name is in `names` (all of them for None), in file order.

        Only these are built of the pending ones: a check run on a 5,000-package lock builds the few
        dozen packages the rules name, not all of them.
        """
        if names is None:
            return self.declarations
        built = [decl for decl in self._declarations if decl.name in names]
        if self.pending is not None:
            built.extend(self.pending.named(names))
        return built

    def __repr__(self) -> str:
        return f"ReadResult(path={self.path!r}, kind={self.kind!r}, {len(self.declarations)} declarations)"


class SourceFile(NamedTuple):
    """A file handed to a reader: its bytes, where it is, how to show its path, and the checked root.

    Readers never open other files, except the requirements reader following `-r`/`-c` inside `root`.
    """

    path: str  # the real filesystem path
    display: str  # the display path (relative to the current directory, "/" separators)
    root: str  # the checked root: includes outside it are not read
    data: bytes
