"""pip requirements files (`requirements*.txt`, `constraints*.txt`, pip-tools `*.in`), with exact positions.

Lines are split the way pip splits them (see `_requirement_line`); each requirement is parsed once with
`packaging.requirements.Requirement`. What a file declares:

- `name[extras] <specifier> ; <marker>` (also `name (>=1.0)`): a declaration with its specifier, the exact
  span of the specifier text (or a zero-width span after the name and extras, where one would be inserted);
- `name @ url`, a URL (`https://.../pkg-1.0.tar.gz`, `git+https://...#egg=name`), a path (`./pkg`,
  `./dist/pkg-1.0-py3-none-any.whl`) and `-e`/`--editable` values: a direct reference (`is_direct_reference`,
  no `specifier_span`) when its name is known (from the `name @`, an `#egg=` fragment or a wheel/sdist file
  name); nothing otherwise. It has no version, except a wheel's (pip installs `name==version` from it) or an
  `#egg=name==1.0`;
- `-r`/`-c` (`--requirement`, `--constraint`, `-rfile`, `--requirement=file`): includes. This file's result
  holds only its own declarations; the included files' real paths go in `ReadResult.included`, and
  `read_tree` reads the whole include tree, each file once, with include chains (`Declaration.via`) and
  cycles found;
- an invalid line: one DDC901 at the column where it goes wrong (`ddtrace==latest` points at `latest`). A line
  that only fails because of a `${VAR}` pip would expand from the environment is skipped, not reported;
- a file that is not text (undecodable bytes, NUL bytes, an HTML page) or holds an unresolved merge
  conflict: one DDC902, nothing else.

Constraint files (reached by `-c`, or named `constraints*`) give declarations in group "constraints"; the
others in group "requirements".
"""

from __future__ import annotations

import os
import re
import stat
from typing import NamedTuple, Optional

from packaging.markers import InvalidMarker, Marker
from packaging.ranges import VersionRange
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from ddcompat._memo import by_identity
from ddcompat.limits import MAX_FILE_BYTES
from ddcompat.model import Declaration, Finding, ReadResult, SourceFile, Span
from ddcompat.names import normal_name
from ddcompat.paths import display_path, is_within, real_path
from ddcompat.readers._lazy_range import lazy_range
from ddcompat.readers._pep508 import common
from ddcompat.readers._requirement_line import LogicalLine, ParsedLine, Token, logical_lines, parse_line
from ddcompat.readers._text import CollectorPaused, DecodeError, LineIndex, decode, file_finding

KIND = "requirements"
GROUP_REQUIREMENTS = "requirements"
GROUP_CONSTRAINTS = "constraints"
MAX_INCLUDE_DEPTH = 32
MAX_INCLUDE_BYTES = MAX_FILE_BYTES  # an included file has the limit of one checked directly

_FULL_RANGE = SpecifierSet().to_range()

# pip's `is_url`: these schemes, and the VCS ones (`git+https`, ...).
_URL_SCHEMES = frozenset({"http", "https", "file", "ftp"})
_VCS = ("git", "hg", "svn", "bzr")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
_INCLUDE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:(//|[^\\/])")  # `http://`, `file:x`; not `C:\`
_ENV_VAR = re.compile(r"\$\{[A-Z0-9_]+\}")  # pip expands exactly this form from the environment
_EGG = re.compile(r"[#&]egg=([^&]*)")
_EXTRAS_SUFFIX = re.compile(r"^(.+?)(\[[^\]]+\])$")
_ARCHIVES = (".zip", ".whl", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma",
             ".tar.gz", ".tgz", ".tar")
_NAME = re.compile(r"[ \t]*([a-zA-Z0-9][a-zA-Z0-9._-]*)\b[ \t]*")
_EXTRAS = re.compile(r"\[[^\]]*\][ \t]*")
_OPERATOR = re.compile(r"[ \t]*(===|~=|==|!=|<=|>=|<|>)[ \t]*([^\s,;]*)")
_VERSION_PART = re.compile(r"v?[0-9]+")
# `name==1.2.3` and friends, exactly as PEP 508 spells a name followed by one clause (no extras, marker, URL).
_CONFLICT = re.compile(r"^<{7}(?: |$)", re.MULTILINE)  # git's `<<<<<<< HEAD`
_MESSAGE_TEXT = 80  # user text quoted in a message is cut to this length


class _Include(NamedTuple):
    """A `-r`/`-c` line whose target is a regular file inside the root (not yet checked for cycles)."""

    path: str  # the joined path as written (not resolved), for display
    real_path: str
    constraint: bool
    span: Span
    target: str


def is_constraints_name(path: str) -> bool:
    """Whether a file's name marks it as a pip constraints file (`constraints.txt`, `constraints-dev.in`)."""
    return os.path.basename(path).lower().startswith("constraints")


def read(source: SourceFile) -> ReadResult:
    """Read one requirements file: its own declarations and findings, and the real paths it includes.

    A file named `constraints*` is read as a constraints file. Never raises for any input.
    """
    result, _ = _read(source, constraint=is_constraints_name(source.path), via=())
    return result


def read_tree(source: SourceFile, *, constraint: Optional[bool] = None,
              max_depth: int = MAX_INCLUDE_DEPTH) -> list[ReadResult]:
    """Read a requirements file and every file it reaches through `-r`/`-c`, each once, entry first.

    Each result holds the declarations of its own file (display path from `display_path`, `via` = the
    include chain); an include that would re-enter a file on the current chain is not followed, and one
    that would go deeper than `max_depth` is a DDC903 on the including line, and nothing is read from it.
    Every include line that lies on a cycle is a DDC903 (`_cycle_findings`), whichever file the walk
    started from, so a file's findings do not depend on the entry. The runner should call this for each
    requirements file it checks and keep only the first result per `real_path` (a file reached from
    several places is read and reported once).
    """
    entry_constraint = is_constraints_name(source.path) if constraint is None else constraint
    walk = _Walk(max_depth)
    walk.visit(source, entry_constraint, (), (real_path(source.path),))
    _cycle_findings(walk.edges, walk.names)
    return walk.results


class _Walk:
    """One `read_tree` walk: what it has read so far (an object, not a closure that calls itself, so that
    no reference cycle keeps every result alive until the cyclic collector runs)."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.results: list[ReadResult] = []
        self.seen: set[str] = set()
        self.edges: list[tuple[ReadResult, str, _Include]] = []  # (including result, its real path, include)
        self.names: dict[str, str] = {}  # real path -> display path of every file read

    def visit(self, current: SourceFile, is_constraint: bool, via: tuple[str, ...], chain: tuple[str, ...]
              ) -> None:
        result, includes = _read(current, constraint=is_constraint, via=via)
        self.results.append(result)
        self.seen.add(chain[-1])
        self.names[chain[-1]] = current.display
        for include in includes:
            self.edges.append((result, chain[-1], include))
            if include.real_path in chain:
                _drop_include(result, include.real_path)
                continue
            if len(chain) > self.max_depth:
                _drop_include(result, include.real_path)
                result.findings.append(_include_finding(
                    current.display, include.span, include.target,
                    f"includes nested deeper than {self.max_depth} files; not read"))
                continue
            if include.real_path in self.seen:
                continue
            data, problem = _read_regular_file(include.real_path)
            if data is None:
                _drop_include(result, include.real_path)
                result.findings.append(
                    _include_finding(current.display, include.span, include.target, problem))
                continue
            child = SourceFile(path=include.real_path, display=display_path(include.path), root=current.root,
                               data=data)
            self.visit(child, include.constraint, (*via, current.display), (*chain, include.real_path))


_CYCLE_PATH_FILES = 64  # a cycle through more files is reported by its size, not its whole path


def _cycle_findings(edges: list[tuple[ReadResult, str, _Include]], names: dict[str, str]) -> None:
    """A DDC903 on every include line that lies on a cycle (its target leads back to its file).

    Judged on the whole include graph read, not on the walk's current chain: the walk from another entry
    meets the same cycle at another line, and a file checked in its own right must report the same lines.
    """
    graph: dict[str, list[str]] = {}
    for _, origin, include in edges:
        graph.setdefault(origin, []).append(include.real_path)
    component = _components(graph)
    members: dict[int, list[str]] = {}
    for node, index in component.items():
        members.setdefault(index, []).append(node)
    parents: dict[str, dict[str, str]] = {}  # BFS tree from a target, inside its component
    for result, origin, include in edges:
        target = include.real_path
        if target == origin or component.get(target) != component.get(origin):
            continue
        size = len(members[component[origin]])
        if size > _CYCLE_PATH_FILES:
            problem = f"is part of an include cycle through {size} files"
        else:
            tree = parents.get(target)
            if tree is None:
                tree = parents[target] = _bfs(graph, target, component)
            path = [origin]
            while path[-1] != target:
                path.append(tree[path[-1]])
            cycle = " -> ".join(names.get(node, node) for node in (origin, *reversed(path)))
            problem = f"is part of an include cycle ({cycle})"
        result.findings.append(_include_finding(names.get(origin, origin), include.span, include.target,
                                                problem))


def _bfs(graph: dict[str, list[str]], start: str, component: dict[str, int]) -> dict[str, str]:
    """Each node of `start`'s component reached from it -> the node it was first reached from."""
    parent: dict[str, str] = {start: start}
    queue = [start]
    for node in queue:
        for following in graph.get(node, ()):
            if following not in parent and component.get(following) == component[start]:
                parent[following] = node
                queue.append(following)
    return parent


def _components(graph: dict[str, list[str]]) -> dict[str, int]:
    """Strongly connected components (Tarjan's algorithm, iterative: include chains can be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    count = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, position = work[-1]
            following = graph.get(node, [])
            if position < len(following):
                work[-1] = (node, position + 1)
                nxt = following[position]
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                count += 1
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = count
                    if member == node:
                        break
    return component


def _read_regular_file(path: str) -> tuple[Optional[bytes], str]:
    """The bytes of a regular file, or why not. Opened without blocking and checked again once open, so a
    FIFO or device swapped in after the include was checked cannot hang or flood the run."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None, "is not a regular file; not read"
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_INCLUDE_BYTES + 1)
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    finally:
        os.close(descriptor)
    if len(data) > MAX_INCLUDE_BYTES:
        return None, "is too large for a requirements file; not read"
    return data, ""


def _drop_include(result: ReadResult, real_path: str) -> None:
    if real_path in result.included:
        result.included.remove(real_path)


def _read(source: SourceFile, *, constraint: bool, via: tuple[str, ...]) -> tuple[ReadResult, list[_Include]]:
    path = source.display
    try:
        decoded = decode(source.data)
    except DecodeError as exc:
        result = ReadResult(path=path, kind=KIND, real_path=source.path,
                            findings=[file_finding(path, "DDC902", str(exc), exc.line, exc.column)])
        return result, []
    text = decoded.text
    result = ReadResult(path=path, kind=KIND, text=text, real_path=source.path, newline=decoded.newline,
                        has_bom=decoded.has_bom, encoding=decoded.encoding)
    reader = _FileReader(source, text, constraint=constraint, via=via)
    try:
        with CollectorPaused(text):
            reader.run()
    except RecursionError:  # a marker nested thousands of parentheses deep, in a line we did not catch
        reader.declarations.clear()
        reader.findings = [file_finding(path, "DDC902", "the file nests too deeply to be read")]
        reader.includes.clear()
    if reader.not_text is not None:
        result.findings = [reader.not_text]
        return result, []
    result.declarations = reader.declarations
    result.findings = reader.findings
    result.included = list(dict.fromkeys(include.real_path for include in reader.includes))
    return result, reader.includes


def _include_finding(path: str, span: Span, target: str, problem: str) -> Finding:
    shown = _shorten(target)
    return file_finding(path, "DDC903", f"include `{shown}` {problem}", span.line, span.column,
                        span.end_line, span.end_column, declared=target)


def _shorten(text: str) -> str:
    return text if len(text) <= _MESSAGE_TEXT else text[:_MESSAGE_TEXT] + "..."


class _FileReader:
    """The line loop of one file; kept as an object so the per-line helpers share the file's context."""

    def __init__(self, source: SourceFile, text: str, *, constraint: bool, via: tuple[str, ...]) -> None:
        self.source = source
        self.text = text
        self.index = LineIndex(text)
        self.group = GROUP_CONSTRAINTS if constraint else GROUP_REQUIREMENTS
        self.via = via
        self.declarations: list[Declaration] = []
        self.findings: list[Finding] = []
        self.includes: list[_Include] = []
        self.not_text: Optional[Finding] = None
        self._root: Optional[str] = None
        self._self_real: Optional[str] = None

    # -- positions -------------------------------------------------------------------------------------
    def span(self, line: LogicalLine, start: int, end: int) -> Span:
        start_offset = line.offset(start)
        end_offset = line.end_offset(end) if end > start else start_offset
        return self.index.span(start_offset, end_offset)

    def finding(self, code: str, message: str, span: Span, *, package: Optional[str] = None,
                declared: str = "") -> None:
        end_line, end_column = span.end_line, span.end_column
        if (end_line, end_column) == (span.line, span.column) and span.column <= len(
                self.index.line_text(span.line)):
            end_column += 1  # point at one character at least, when there is one
        self.findings.append(file_finding(self.source.display, code, message, span.line, span.column,
                                          end_line, end_column, package=package, declared=declared))

    # -- the loop ----------------------------------------------------------------------------------------
    def run(self) -> None:
        conflict = _CONFLICT.search(self.text)
        if conflict is not None:
            at_line, at_column = self.index.position(conflict.start())
            self.not_text = file_finding(
                self.source.display, "DDC902",
                "unresolved merge conflict marker: pip cannot read this file until the conflict is resolved",
                at_line, at_column, at_line, at_column + 7)
            return
        first = True
        for line in logical_lines(self.text):
            parsed = parse_line(line)
            if parsed.is_empty:
                continue
            if first:
                first = False
                if line.text[parsed.content_start] == "<":
                    span = self.span(line, parsed.content_start, parsed.content_start + 1)
                    self.not_text = file_finding(
                        self.source.display, "DDC902",
                        "this is an HTML or XML document, not a requirements file", span.line, span.column)
                    return
            self.line(parsed)

    def line(self, parsed: ParsedLine) -> None:
        line = parsed.line
        if parsed.error is not None:
            error = parsed.error
            self.finding("DDC901", f"invalid requirements line: {error.message}",
                         self.span(line, error.start, error.end), declared=line.text[error.start:error.end])
        if parsed.args_end > parsed.args_start:
            self.requirement(parsed)
        elif parsed.editables:
            self.editable(line, parsed.editables[0])
        elif parsed.requirements:
            self.include(line, parsed.requirements[0], constraint=False)
        elif parsed.constraints:
            self.include(line, parsed.constraints[0], constraint=True)

    # -- requirements ------------------------------------------------------------------------------------
    def requirement(self, parsed: ParsedLine) -> None:
        line = parsed.line
        args = parsed.args
        start = parsed.args_start
        if _is_url(args):
            url, marker_text, marker_start = _split_marker(args, "; ")
            self.direct(line, start, start + len(args), url.strip(), marker_text, start + marker_start)
            return
        head, marker_text, marker_start = _split_marker(args, ";")
        if _is_path(head.strip()):
            self.direct(line, start, start + len(args), head.strip(), marker_text, start + marker_start)
            return
        found = common(args)
        if found is not None:  # the usual `name==1.2.3 ; marker`: no call to packaging's parser
            parsed_requirement = found.requirement
            self.declare(line, start, args, parsed_requirement.name, parsed_requirement.specifier,
                         found.specifier_start, found.specifier_end, marker=parsed_requirement.marker,
                         extras=tuple(sorted(parsed_requirement.extras)) if parsed_requirement.extras else ())
            return
        try:
            requirement = Requirement(args)
        except InvalidRequirement as exc:
            if _ENV_VAR.search(args) is None:
                self.invalid(line, start, args, exc)
            return
        if requirement.url:
            self.declarations.append(Declaration(
                name=normal_name(requirement.name), raw_name=requirement.name, specifier="",
                declared="", admitted=_FULL_RANGE, has_specifier=False,
                span=self.span(line, start, start + len(args)), marker=requirement.marker,
                extras=tuple(sorted(requirement.extras)), group=self.group, is_direct_reference=True,
                via=self.via))
            return
        spec_start, spec_end = _specifier_bounds(args)
        self.declare(line, start, args, requirement.name, requirement.specifier, spec_start, spec_end,
                     marker=requirement.marker, extras=tuple(sorted(requirement.extras)))

    def declare(self, line: LogicalLine, start: int, args: str, raw_name: str, specifier: SpecifierSet,
                spec_start: int, spec_end: int, *, marker: Optional[Marker] = None,
                extras: tuple[str, ...] = ()) -> None:
        text, admitted = _range_of(specifier)
        self.declarations.append(Declaration(
            name=normal_name(raw_name), raw_name=raw_name, specifier=text,
            declared=args[spec_start:spec_end], admitted=admitted, has_specifier=bool(text),
            span=self.span(line, start, start + len(args)), marker=marker, extras=extras, group=self.group,
            specifier_span=self.span(line, start + spec_start, start + spec_end), via=self.via))

    def invalid(self, line: LogicalLine, start: int, args: str, exc: InvalidRequirement) -> None:
        cause = exc.__cause__
        position = len(args)
        reason = str(exc).split("\n", 1)[0]
        error_span = getattr(cause, "span", None)
        if isinstance(error_span, tuple) and len(error_span) == 2:
            first, last = int(error_span[0]), int(error_span[1])
            position = min(last, len(args))
            if ";" not in args[:first]:
                position, reason = _in_specifier(args, first, position, reason)
        position = max(0, min(position, len(args)))
        end = position
        while end < len(args) and not args[end].isspace() and args[end] not in ",;":
            end += 1
        match = _NAME.match(args)
        package = canonicalize_name(match.group(1)) if match else None
        self.finding("DDC901", f"invalid requirement `{_shorten(args)}`: {reason}",
                     self.span(line, start + position, start + end), package=package, declared=args)

    def direct(self, line: LogicalLine, start: int, end: int, location: str, marker_text: str,
               marker_start: int) -> None:
        """A URL or path requirement: a declaration when its name can be known; never a `specifier_span`
        (there is no constraint text to rewrite), a version only for a wheel or an `#egg=name==1.0`."""
        located = _name_of_location(location)
        marker: Optional[Marker] = None
        if marker_text.strip():
            try:
                marker = Marker(marker_text)
            except InvalidMarker as exc:
                self.finding("DDC901", f"invalid marker `{_shorten(marker_text.strip())}`: "
                             f"{str(exc).splitlines()[0]}",
                             self.span(line, marker_start, end), declared=marker_text.strip())
                return
        name = located.name
        if name is None:
            return
        admitted = _FULL_RANGE
        if located.specifier:
            try:
                admitted = lazy_range(located.specifier)
            except (InvalidSpecifier, ValueError):
                located = _Located(located.name, located.extras)
        self.declarations.append(Declaration(
            name=normal_name(name), raw_name=name, specifier=located.specifier,
            declared=located.specifier, admitted=admitted, has_specifier=bool(located.specifier),
            span=self.span(line, start, end), marker=marker, extras=located.extras, group=self.group,
            is_direct_reference=True, via=self.via))

    def editable(self, line: LogicalLine, token: Token) -> None:
        self.direct(line, token.start, token.end, token.value, "", token.end)

    # -- includes ----------------------------------------------------------------------------------------
    def include(self, line: LogicalLine, token: Token, *, constraint: bool) -> None:
        target = token.value
        span = self.span(line, token.start, token.end)
        display = self.source.display
        option = "-c" if constraint else "-r"
        if _INCLUDE_URL.match(target):
            self.findings.append(_include_finding(display, span, target, "is remote and is never fetched"))
            return
        if not target:
            self.findings.append(_include_finding(display, span, target, f"{option} with an empty path"))
            return
        joined = os.path.normpath(os.path.join(os.path.dirname(self.source.path), target))
        real = real_path(joined)
        if self._root is None:
            self._root = real_path(self.source.root)
            self._self_real = real_path(self.source.path)
        if not is_within(real, self._root):
            self.findings.append(_include_finding(display, span, target,
                                                  "is outside the checked root; not read"))
            return
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            self.findings.append(_include_finding(display, span, target, "does not exist"))
            return
        except OSError as exc:
            self.findings.append(_include_finding(display, span, target,
                                                  f"cannot be read: {exc.strerror or exc}"))
            return
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            self.findings.append(_include_finding(display, span, target, f"is {kind}; not read"))
            return
        if real == self._self_real:
            self.findings.append(_include_finding(display, span, target,
                                                  "includes the file itself (a cycle); not read again"))
            return
        self.includes.append(_Include(path=joined, real_path=real, constraint=constraint, span=span,
                                      target=target))


def _text_and_range(specifier: SpecifierSet) -> tuple[str, VersionRange]:
    """The PEP 440 text of a specifier and the versions it admits (built on first use, one per distinct
    text: a range costs more than the parse, and only the few ranges a rule names are ever read)."""
    try:
        text = str(specifier)
    except ValueError:  # str() orders the clauses by version: int() refuses more than 4,300 digits
        text = ",".join(str(clause) for clause in specifier)
    try:
        admitted = lazy_range(text, specifier)
    except ValueError:  # not expected from a parsed specifier; keep the file readable regardless
        admitted = _FULL_RANGE
    return text, admitted


# The common-shape parser hands out one `SpecifierSet` per distinct text (`_pep508`), so the same object
# recurs line after line; its text is worked out once (`str()` sorts the clauses).
_range_of = by_identity(_text_and_range, size=4096)


def _is_url(text: str) -> bool:
    """pip's `is_url`: a scheme it can install from (`https:`, `file:`, `git+ssh:`, ...)."""
    match = _SCHEME.match(text)
    if match is None:
        return False
    scheme = match.group(1).lower()
    if scheme in _URL_SCHEMES:
        return True
    vcs, plus, _ = scheme.partition("+")
    return vcs in _VCS and (not plus or scheme != vcs)


def _looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.startswith(".")


def _is_archive(text: str) -> bool:
    return text.lower().endswith(_ARCHIVES)


def _is_path(text: str) -> bool:
    """pip's reading of a non-URL line as a local path or archive, without looking at the disk.

    `name @ url` stays a PEP 508 requirement even though its URL has slashes (pip does the same).
    """
    if not (_looks_like_path(text) or _is_archive(text)):
        return False
    if "@" in text:
        before = text.split("@", 1)[0]
        if not _looks_like_path(before):
            return False
    return True


def _split_marker(text: str, separator: str) -> tuple[str, str, int]:
    """`text` before the marker, the marker text and its start ("" and len(text) when there is none)."""
    index = text.find(separator)
    if index == -1:
        return text, "", len(text)
    return text[:index], text[index + len(separator):], index + len(separator)


class _Located(NamedTuple):
    """What a URL or path says about the project: its name, extras and, for a wheel, its exact version."""

    name: Optional[str]
    extras: tuple[str, ...] = ()
    specifier: str = ""


def _name_of_location(location: str) -> _Located:
    """The project a URL or path installs, when it says so.

    Like pip: an `#egg=name` fragment (`#egg=name==1.2` also pins), or a wheel file name, which pip turns
    into `name==version`. An sdist file name (`pkg-1.0.tar.gz`) gives the name only: pip learns the version
    by building it.
    """
    egg = _EGG.search(location)
    if egg is not None:
        try:
            requirement = Requirement(egg.group(1))
        except InvalidRequirement:
            return _Located(None)
        return _Located(requirement.name, tuple(sorted(requirement.extras)), str(requirement.specifier))
    extras: tuple[str, ...] = ()
    path = location.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    match = _EXTRAS_SUFFIX.match(path)
    if match is not None and not _is_url(location):
        path = match.group(1)
        extras = tuple(sorted(part.strip() for part in match.group(2)[1:-1].split(",") if part.strip()))
    filename = re.split(r"[\\/]", path)[-1]
    lower = filename.lower()
    try:
        if lower.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
            return _Located(str(name), extras, f"=={version}")
        if lower.endswith((".tar.gz", ".zip")):
            return _Located(str(parse_sdist_filename(filename)[0]), extras)
    except (InvalidWheelFilename, InvalidSdistFilename):
        return _Located(None, extras)
    return _Located(None, extras)


def _specifier_bounds(args: str) -> tuple[int, int]:
    """Where the version constraint text of a parsed `name[extras] spec ; marker` sits in `args`.

    For a bare name: a zero-width position right after the name or extras (where a specifier goes). For
    `name (>=1.0)`: the text inside the parentheses.
    """
    match = _NAME.match(args)
    if match is None:  # not reachable for a requirement packaging accepted
        return len(args), len(args)
    insert_at = match.end(1)
    position = match.end()
    extras = _EXTRAS.match(args, position)
    if extras is not None:
        insert_at = args.rindex("]", position, extras.end()) + 1
        position = extras.end()
    semicolon = args.find(";", position)
    end = len(args) if semicolon == -1 else semicolon
    while end > position and args[end - 1].isspace():
        end -= 1
    if position == end:
        return insert_at, insert_at
    if args[position] == "(" and args[end - 1] == ")":
        position += 1
        end -= 1
        while position < end and args[position].isspace():
            position += 1
        while end > position and args[end - 1].isspace():
            end -= 1
        if position == end:
            return position, position
    return position, end


def _in_specifier(args: str, start: int, position: int, reason: str) -> tuple[int, str]:
    """For an error in a version specifier (`ddtrace==latest`, `ddtrace==2.x`), the bad version's position.

    packaging reports where its grammar gave up (often the operator); the version after it is what to fix.
    """
    index = start
    while True:
        match = _OPERATOR.match(args, index)
        if match is None:
            rest = args[index:].lstrip(" \t")
            if rest.startswith("=") and not rest.startswith("=="):
                return len(args) - len(rest), "a single `=` is not a version operator (use `==`)"
            return position, reason
        operator, version = match.group(1), match.group(2)
        if not version:
            return match.start(1), f"`{operator}` needs a version after it"
        try:
            Specifier(operator + version)
        except InvalidSpecifier:
            if operator == "~=" and _VERSION_PART.fullmatch(version):
                return match.start(2), "`~=` needs a version with at least two parts (`~=1.0`)"
            return match.start(2), f"`{_shorten(version)}` is not a valid version for `{operator}`"
        index = match.end()
        while index < len(args) and args[index] in " \t":
            index += 1
        if index >= len(args) or args[index] != ",":
            return position, reason
        index += 1
