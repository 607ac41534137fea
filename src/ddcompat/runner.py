"""`ddcompat check`: discover, read, build each project's context, run the checks, filter, render.

One folder's group of checked files is processed at a time; files of ancestor folders (read for context)
stay cached only while a later group still needs them. Readers, the rule set and the checks are imported
only when a run needs them, so a pre-commit run on one file costs little more than importing packaging.
"""

from __future__ import annotations

import datetime
import gc
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional, cast

from ddcompat import limits
from ddcompat.catalog import matches
from ddcompat.config import Config, ConfigFinder, load_config_file
from ddcompat.discovery import Discovery, Target, is_dependency_file
from ddcompat.limits import MAX_FILE_BYTES, clip_message
from ddcompat.model import Finding, ReadResult, SourceFile
from ddcompat.options import CheckOptions, on_day
from ddcompat.paths import display_path, forget_real_folders, real_path
from ddcompat.project import Group, Settings, build_context, group_targets, split_contexts
from ddcompat.readers import dispatch
from ddcompat.suppression import Suppressions, drop_suppressed, is_selected

if TYPE_CHECKING:
    from ddcompat.context import ProjectContext
    from ddcompat.output.concise import Tally
    from ddcompat.parallel import BlockFormat, PartResult, RenderedPart
    from ddcompat.ruleset.model import RuleSet

    Check = Callable[[ProjectContext, RuleSet], Iterable[Finding]]


# --- reading -------------------------------------------------------------------------------------------

def read_bytes(path: str) -> bytes | str:
    """The file's bytes, or a one-line reason it cannot be read. FIFOs and devices are never opened."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a folder, FIFO, socket or device); not read"
    if info.st_size > MAX_FILE_BYTES:
        return f"file too large ({info.st_size} bytes; the limit is {MAX_FILE_BYTES})"
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    with os.fdopen(descriptor, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):  # swapped since the stat above
            return "not a regular file; not read"
        try:
            # read(n) allocates n bytes first: ask for what the file holds (and one more, to see growth)
            data = handle.read(min(opened.st_size, MAX_FILE_BYTES) + 1)
            if len(data) > opened.st_size:  # it grew since: read on, up to the limit
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
        except OSError as exc:
            return f"cannot read the file: {exc.strerror or exc}"
    if len(data) > MAX_FILE_BYTES:
        return f"file too large (over {MAX_FILE_BYTES} bytes)"
    return data


def read_file(path: str, display: str, root: str) -> list[ReadResult]:
    """One file through its reader, then the files it includes (requirements `-r`/`-c`), each once.

    An unreadable file is one DDC902; empty when no reader exists for the file's kind yet.
    """
    from ddcompat.readers._text import unreadable

    kind = dispatch.kind_of(os.path.basename(path))
    data = read_bytes(path)
    if isinstance(data, str):
        if dispatch.reader_for(kind) is None:
            return []
        result = unreadable(display, kind, data)
        result.real_path = path
        return [result]
    try:
        return dispatch.read_with_includes(SourceFile(path=path, display=display, root=root, data=data), kind)
    except Exception as exc:  # a reader bug is a finding on this file; every other file is still checked
        result = unreadable(display, kind, f"internal error while reading: {_describe(exc)}")
        result.real_path = path
        return [result]


_MAX_ERROR_TEXT = 200


def _describe(exc: BaseException) -> str:
    """`Type: message` of an unexpected exception, cut short (its text may quote the whole file)."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= _MAX_ERROR_TEXT else text[: _MAX_ERROR_TEXT - 3] + "..."


class FileCache:
    """Read results by absolute path, each file read once; evicted when no later group needs it."""

    def __init__(self) -> None:
        self._results: dict[str, list[ReadResult]] = {}
        self._by_folder: dict[str, list[str]] = {}
        self._listings: dict[str, list[str]] = {}

    def get(self, path: str, display: str, root: str) -> list[ReadResult]:
        """The file's result and those of the files it includes (first the file itself)."""
        if path not in self._results:
            self._results[path] = read_file(path, display, root)
            self._by_folder.setdefault(os.path.dirname(path), []).append(path)
        return self._results[path]

    def listing(self, folder: str) -> list[str]:
        """The dependency files directly in `folder` (sorted absolute paths)."""
        cached = self._listings.get(folder)
        if cached is None:
            parent = os.path.basename(folder)
            try:
                with os.scandir(folder) as scan:
                    cached = sorted(entry.path for entry in scan
                                    if is_dependency_file(entry.name, parent) and _is_file(entry))
            except OSError:
                cached = []
            self._listings[folder] = cached
        return cached

    def evict(self, folder: str) -> None:
        for path in self._by_folder.pop(folder, []):
            self._results.pop(path, None)
        self._listings.pop(folder, None)


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


# --- the pieces other engineers provide -----------------------------------------------------------------

# A missing piece must fail the run (exit 2), never quietly drop every check and exit 0.

def load_rules() -> Optional[RuleSet]:
    """The embedded rule set."""
    from ddcompat.ruleset.load import load_ruleset

    rules: RuleSet = load_ruleset()
    return rules


def load_checks() -> Sequence[Check]:
    from ddcompat.checks import ALL_CHECKS

    return tuple(ALL_CHECKS)


def attach_fixes(findings: Sequence[Finding], results: dict[str, ReadResult]) -> list[Finding]:
    """The fix each finding could get (json/SARIF show it; `--fix` applies it): see `ddcompat.fixes`."""
    from ddcompat import fixes

    try:
        return fixes.attach_fixes(findings, results)
    except (ValueError, ArithmeticError, RecursionError):
        # A hostile pin (a 100,000-digit version) must not end the run: such a finding gets no fix.
        attached: list[Finding] = []
        for finding in findings:
            try:
                attached.extend(fixes.attach_fixes([finding], results))
            except (ValueError, ArithmeticError, RecursionError):
                attached.append(finding)
        return attached


# --- one group -----------------------------------------------------------------------------------------

class Run:
    """The state of one `ddcompat check` run while its folder groups are checked."""

    __slots__ = (
        "cache",
        "checks",
        "discovery",
        "files_checked",
        "keep_results",
        "kept",
        "options",
        "reported_includes",
        "rules",
        "settings",
        "target_paths",
        "watched",
    )

    def __init__(self, options: CheckOptions, discovery: Discovery, cache: FileCache,
                 rules: Optional[RuleSet], checks: Sequence[Check], target_paths: frozenset[str],
                 keep_results: bool = False) -> None:
        self.options = options
        self.discovery = discovery
        self.cache = cache
        self.rules = rules
        self.checks = checks
        self.target_paths = target_paths  # real paths of every target (includes already reported there)
        self.reported_includes: set[str] = set()
        self.files_checked = 0
        self.keep_results = keep_results  # --fix / --diff need the results of files with fixes
        self.kept: dict[str, ReadResult] = {}
        today = options.today if options.today is not None else datetime.date.today()
        self.settings = Settings(today=today, python=options.python, products=options.products)
        self.watched = _watched(rules, checks)


def _watched(rules: Optional[RuleSet], checks: Sequence[Check]) -> Optional[frozenset[str]]:
    """The names the run's checks read declarations of; None (every name) when a check is not ours."""
    if rules is None or not checks:
        return None
    from ddcompat.checks import ALL_CHECKS, watched_names

    if any(check not in ALL_CHECKS for check in checks):
        return None
    return watched_names(rules)


def _real(result: ReadResult) -> str:
    return real_path(result.real_path) if result.real_path else result.path


def _group_results(run: Run, group: Group) -> tuple[list[ReadResult], list[ReadResult]]:
    """(checked results, all results nearest first) of one folder's group.

    Files reached through `-r`/`-c` from a checked file are checked with it, under their own display path,
    unless they are checked in their own right or were already reported through another file.
    """
    chain = run.discovery.roots.chain(group.folder)
    project_root = chain[-1]
    checked: list[ReadResult] = []
    context: list[ReadResult] = []
    seen: set[str] = set()  # real paths already in this group
    for target in group.targets:
        seen.add(real_path(target.path))
    for target in group.targets:
        tree = run.cache.get(target.path, target.display, target.root)
        if not tree:
            continue
        checked.append(tree[0])
        for included in tree[1:]:
            real = _real(included)
            if real in seen:
                continue
            seen.add(real)
            if real in run.target_paths or real in run.reported_includes:
                context.append(included)
                continue
            run.reported_includes.add(real)
            checked.append(included)
    for folder in chain:
        for path in run.cache.listing(folder):
            real = real_path(path)
            if real in seen or run.discovery.is_excluded(path):
                continue
            for result in run.cache.get(path, display_path(path), project_root):
                real = _real(result)
                if real not in seen:
                    seen.add(real)
                    context.append(result)
    return checked, checked + context


def _dropped_by_config(finding: Finding, config: Config, real_path: str,
                       select: Optional[tuple[str, ...]], ignore: tuple[str, ...]) -> bool:
    if not is_selected(finding.code, select, ignore):
        return True
    if config.per_file_ignores:
        patterns = config.per_file_patterns()
        for index in patterns.all_matches(real_path):
            if matches(finding.code, config.per_file_ignores[index][1]):
                return True
    return False


def check_group(run: Run, group: Group) -> list[Finding]:
    """Every finding reported for one folder's checked files, filtered and with fixes attached."""
    checked, results = _group_results(run, group)
    if not checked:
        return []
    run.files_checked += len(checked)
    chain = run.discovery.roots.chain(group.folder)
    config = run.discovery.config_of(group.folder)
    context = build_context(results, (result.path for result in checked), root=display_path(chain[-1]),
                            config=config, settings=run.settings, rules=run.rules, watched=run.watched)
    findings: list[Finding] = []
    for result in checked:
        findings.extend(result.findings)
    if run.rules is not None:
        project_wide: set[tuple[str, str]] = set()  # Python findings of the whole project's context
        for index, part in enumerate(split_contexts(context)):
            for check in run.checks:
                try:
                    for finding in check(part, run.rules):
                        if finding.path not in part.checked:
                            continue
                        if finding.code.startswith("DDC2"):
                            # a file judged on its own ddtrace repeats none of the project's Python findings
                            if index and (finding.code, finding.message) in project_wide:
                                continue
                            project_wide.add((finding.code, finding.message))
                        findings.append(finding)
                except Exception as exc:  # a check bug: a finding on the group's first file, the run goes on
                    from ddcompat.readers._text import file_finding

                    findings.append(file_finding(checked[0].path, "DDC902",
                                                 f"internal error while checking: {_describe(exc)}"))
    by_path = {result.path: result for result in checked}
    findings = [finding for finding in findings if finding.path in by_path]
    select = run.options.select if run.options.select is not None else config.select
    ignore = run.options.ignore if run.options.ignore is not None else config.ignore
    findings = [finding for finding in findings
                if not _dropped_by_config(finding, config, by_path[finding.path].real_path or finding.path,
                                          select, ignore)]
    comments = {result.path: Suppressions(result.text, continuations=result.kind == "requirements")
                for result in checked
                if result.kind in dispatch.COMMENT_KINDS and result.text}
    findings = drop_suppressed(findings, comments)
    findings = attach_fixes(findings, by_path)
    findings = finished(findings, by_path, source_lines=run.options.output_format == "full",
                        keep_subjects=run.keep_results)
    if run.keep_results:
        for finding in findings:
            if finding.fix is not None:
                run.kept.setdefault(finding.path, by_path[finding.path])
    return findings


def finished(findings: Sequence[Finding], results: dict[str, ReadResult], *, source_lines: bool = True,
             keep_subjects: bool = True) -> list[Finding]:
    """`findings` as the output needs them, each copied once at most: with the text of its line where
    `source_lines` (only `full` output shows it), and without its `subject` and `target` unless
    `keep_subjects` (only computing fixes needs them; kept, they would hold every flagged declaration of a
    large tree, and its marker and ranges, alive until the end of the run)."""
    from ddcompat.readers._text import LineIndex

    indexes: dict[str, LineIndex] = {}
    done: list[Finding] = []
    for finding in findings:
        changes: dict[str, Any] = {}
        if not keep_subjects and (finding.subject is not None or finding.target is not None):
            changes["subject"] = changes["target"] = None
        result = results.get(finding.path)
        if source_lines and finding.source_line is None and result is not None and result.text:
            index = indexes.get(finding.path)
            if index is None:
                index = indexes[finding.path] = LineIndex(result.text)
            if 1 <= finding.span.line <= index.line_count:
                changes["source_line"] = index.line_text(finding.span.line)
        done.append(finding._replace(**changes) if changes else finding)
    return done


def dedupe_and_sort(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per (path, span, code, message), ordered by path, line, column, code.

    A message that quotes a huge value from the file is cut to `limits.MAX_MESSAGE_CHARS`.
    """
    unique: dict[tuple[object, ...], Finding] = {}
    for finding in findings:
        clipped = clip_message(finding.message)
        if clipped is not finding.message:
            finding = finding._replace(message=clipped)
        span = finding.span
        key = (finding.path, span.line, span.column, span.end_line, span.end_column, finding.code,
               finding.message)
        unique.setdefault(key, finding)
    return sorted(unique.values(), key=finding_order)


def finding_order(finding: Finding) -> tuple[str, int, int, str, str]:
    """The order of a report: path, line, column, code, message."""
    span = finding.span
    return (finding.path, span.line, span.column, finding.code, finding.message)


# --- output --------------------------------------------------------------------------------------------

def use_color(stream: Any, output_file: Optional[str]) -> bool:
    """Colour only on a terminal; never with NO_COLOR; FORCE_COLOR forces it (also into -o files)."""
    environ = os.environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false", "no"):
        return True
    if output_file is not None or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


def render(findings: Sequence[Finding], options: CheckOptions, *, color: bool, files_checked: int) -> str:
    from ddcompat.output import render as output_render

    text: str = output_render(findings, options.output_format, color=color,
                              sarif_category=options.sarif_category, files_checked=files_checked)
    return text


def emit(text: str, output_file: Optional[str]) -> None:
    """Write to `-o` atomically, or to stdout; a closed pipe (`| head`) ends the output quietly."""
    if output_file is not None:
        from ddcompat.atomic import atomic_write
        from ddcompat.errors import UsageError

        try:
            atomic_write(output_file, text.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"{output_file}: cannot write the output: {exc.strerror or exc}") from None
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def inert_diff(diff: str) -> str:
    """A diff for the terminal or a CI log: control characters from the files' lines shown escaped.

    Tabs, line ends and the `\\r` of CRLF lines stay, so a plain file still gives a patch that applies;
    a line with an escape sequence or a lone carriage return is shown, not acted on (`-o` keeps it raw).
    """
    import re

    from ddcompat.output._escape import escape_char, needs_escape

    if diff.isascii() and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)", diff) is None:
        return diff
    out: list[str] = []
    for index, char in enumerate(diff):
        if char in "\t\n" or (char == "\r" and diff.startswith("\n", index + 1)) or not needs_escape(char):
            out.append(char)
        else:
            out.append(escape_char(char))
    return "".join(out)


def _silence_stdout() -> None:
    """After EPIPE, point stdout at devnull so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


# --- the run -------------------------------------------------------------------------------------------

def _explicit_config(options: CheckOptions) -> Optional[Config]:
    if options.config is None:
        return None
    from ddcompat.errors import UsageError

    if not os.path.isfile(options.config):
        raise UsageError(f"{options.config}: no such config file")
    return load_config_file(os.path.abspath(options.config), display_path(options.config), explicit=True)


def collect(options: CheckOptions, keep_results: bool = False) -> tuple[list[Finding], Run]:
    """Every reported finding of a run, deduplicated and sorted (no output, nothing written).

    A large tree is checked in several processes (`ddcompat.parallel`); --fix/--diff stay in this one.
    """
    options = on_day(options)  # workers and fix passes judge support end dates on the same day
    run, groups = _prepare(options, keep_results)
    if not keep_results:
        parted, run, groups = _in_parts(options, run, groups, blocks=None)
        if parted is not None:
            import heapq

            sorted_parts = cast("list[list[Finding]]", parted)
            return list(heapq.merge(*sorted_parts, key=finding_order)), run
    return dedupe_and_sort(_check_groups(run, groups)), run


def collect_blocks(options: CheckOptions, blocks: BlockFormat) -> tuple[list[str], Tally, Run]:
    """A run's report in a block format (`output.BLOCK_FORMATS`): each finding's block in report order,
    and the tally its summary counts. Parts checked in other processes render their own blocks."""
    from ddcompat.output import block_renderer
    from ddcompat.output.concise import combined, tally

    options = on_day(options)
    run, groups = _prepare(options, keep_results=False)
    parted, run, groups = _in_parts(options, run, groups, blocks=blocks)
    if parted is not None:
        from ddcompat.parallel import merged_blocks

        parts = cast("list[RenderedPart]", parted)
        return merged_blocks(parts), combined(part.tally for part in parts), run
    findings = dedupe_and_sort(_check_groups(run, groups))
    render = block_renderer(blocks[0], color=blocks[1])
    return [render(finding) for finding in findings], tally(findings), run


def _in_parts(
    options: CheckOptions, run: Run, groups: list[Group], blocks: Optional[BlockFormat]
) -> tuple[Optional[list[Any]], Run, list[Group]]:
    """Each part's result (see `parallel.collect_in_parts`) where the run is large enough to check in
    several processes, else None; and the run to check in this process otherwise (prepared again when
    a parted run had to be given up: its first part already changed the state)."""
    if len(groups) < limits.MIN_PARALLEL_GROUPS:
        return None, run, groups
    from ddcompat import parallel

    count = parallel.processes(len(groups))
    if count < 2:
        return None, run, groups
    parted = parallel.collect_in_parts(options, [len(group.targets) for group in groups],
                                       lambda part: _check_part(run, groups, part), count, blocks)
    if parted is None:
        run, groups = _prepare(options, keep_results=False)
        return None, run, groups
    parts, run.files_checked = parted
    return parts, run, groups


def _prepare(options: CheckOptions, keep_results: bool) -> tuple[Run, list[Group]]:
    """Discovery, the rule set and the checks: everything before the first file is read."""
    forget_real_folders()
    configs = ConfigFinder(_explicit_config(options))
    discovery = Discovery(configs)
    targets: list[Target] = discovery.targets(options.paths)
    groups = group_targets(targets)
    rules = load_rules() if targets else None
    run = Run(options=options, discovery=discovery, cache=FileCache(), rules=rules,
              checks=load_checks() if targets else (),
              target_paths=frozenset(real_path(target.path) for target in targets),
              keep_results=keep_results)
    return run, groups


def _check_groups(run: Run, groups: Sequence[Group]) -> list[Finding]:
    """The findings of `groups`, in order; a folder's files are evicted once no later group needs them."""
    # How many groups still need each folder's files (a folder serves itself and its descendants).
    needed: Counter[str] = Counter()
    chains = [run.discovery.roots.chain(group.folder) for group in groups]
    for chain in chains:
        needed.update(chain)
    findings: list[Finding] = []
    for group, chain in zip(groups, chains):
        findings.extend(check_group(run, group))
        for folder in chain:
            needed[folder] -= 1
            if needed[folder] <= 0:
                run.cache.evict(folder)
    return findings


def _check_part(run: Run, groups: Sequence[Group], part: tuple[int, int]) -> PartResult:
    """A part's findings, deduplicated and sorted where the part was checked (in parallel with the other
    parts): the parts report disjoint files, so the whole run's order is a merge of theirs."""
    findings = dedupe_and_sort(_check_groups(run, groups[part[0]:part[1]]))
    return findings, run.files_checked, frozenset(run.reported_includes)


def collect_part(options: CheckOptions, part: tuple[int, int]) -> PartResult:
    """What a worker process returns for the folder groups `part` (start, stop) of the run."""
    run, groups = _prepare(options, keep_results=False)
    return _check_part(run, groups, part)


def _exit_code(findings: Sequence[Finding], options: CheckOptions) -> int:
    from ddcompat.output.concise import tally

    return 0 if options.exit_zero or not tally(findings).failing else 1


_FIX_PASSES = 4  # a fix can make another one possible (ddtrace moved to 4.x narrows requires-python next)


def _this_pass(findings: list[Finding], options: CheckOptions) -> list[Finding]:
    """The findings whose fixes go in this pass: while an unsafe fix moves ddtrace to another branch, the
    Python findings judged against the old branch wait for the next pass, which judges them anew."""
    moving_tracer = options.unsafe_fixes and any(
        finding.code.startswith("DDC10") and finding.fix is not None and not finding.fix.safe
        for finding in findings
    )
    if not moving_tracer:
        return findings
    return [finding for finding in findings if not finding.code.startswith("DDC20")]


def _run_fixes(findings: list[Finding], run: Run,
               options: CheckOptions) -> tuple[list[Finding], Optional[str]]:
    """Apply (`--fix`) or show (`--diff`) the fixes; returns the findings left and the diff text.

    After `--fix` wrote files, the run is repeated on the new contents, so what is reported (and its
    columns) is what the files now say; fixes that only the new contents allow are applied in the same run,
    up to a few passes, so a second `--fix` has nothing left to do. `--diff` shows the first pass.
    """
    from ddcompat import fix
    from ddcompat.output._escape import escape_text

    fixed = 0
    files: set[str] = set()
    for _ in range(_FIX_PASSES):
        outcome = fix.plan(run.kept, _this_pass(findings, options), unsafe=options.unsafe_fixes)
        for error in outcome.errors:
            sys.stderr.write(f"ddcompat: {escape_text(error)}\n")
        if options.diff:
            return findings, fix.unified_diff(outcome)
        errors = fix.write(outcome)
        for error in errors:
            sys.stderr.write(f"ddcompat: {escape_text(error)}\n")
        failed = {error.split(":", 1)[0] for error in errors}
        applied = {applied_fix for rewrite in outcome.rewrites if rewrite.path not in failed
                   for applied_fix in rewrite.applied}
        fixed_now = sum(1 for finding in findings if finding.fix is not None and finding.fix in applied)
        if not fixed_now:
            break
        fixed += fixed_now
        files |= {rewrite.path for rewrite in outcome.rewrites if rewrite.path not in failed}
        findings, rerun = collect(options, keep_results=True)
        run.kept, run.files_checked = rerun.kept, rerun.files_checked
    if fixed:
        sys.stderr.write(f"ddcompat: fixed {fixed} finding{'s' if fixed != 1 else ''} "
                         f"in {len(files)} file{'s' if len(files) != 1 else ''}\n")
    return findings, None


# A run allocates a few objects per dependency (declarations, spans, findings) and keeps them until its
# project is done; none form cycles (tests/test_runner.py checks), so reference counting frees them. At
# CPython's default threshold (700) the collector still runs every few hundred allocations and rescans what
# survived: 12% of a 2,000-project run, measured. Collecting ten times less often costs no memory.
_GC_THRESHOLD = (50_000, 20, 10)


class _CollectorTuned:
    """For one run: collect rarely, and never rescan what was alive before it (modules, imports).
    The collector's settings are restored afterwards (the run may be a library call in a longer process)."""

    def __enter__(self) -> None:
        self._threshold = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(*_GC_THRESHOLD)

    def __exit__(self, *exc_info: object) -> None:
        gc.set_threshold(*self._threshold)
        gc.unfreeze()


def run_check(options: CheckOptions) -> int:
    """The whole `ddcompat check` run; returns the exit code (UsageError propagates: exit 2)."""
    with _CollectorTuned():
        return _run_check(options)


def _run_check(options: CheckOptions) -> int:
    from ddcompat.output import BLOCK_FORMATS

    if options.output_format in BLOCK_FORMATS and not (options.fix or options.diff):
        from ddcompat.output import assemble

        color = use_color(sys.stdout, options.output_file)
        blocks, counted, run = collect_blocks(options, (options.output_format, color))
        emit(assemble(blocks, counted, options.output_format, color=color, files_checked=run.files_checked),
             options.output_file)
        return 0 if options.exit_zero or not counted.failing else 1
    findings, run = collect(options, keep_results=options.fix or options.diff)
    if options.fix or options.diff:
        findings, diff = _run_fixes(findings, run, options)
        if diff is not None:
            emit(diff if options.output_file is not None else inert_diff(diff), options.output_file)
            return 0 if options.exit_zero or not diff else 1
    color = use_color(sys.stdout, options.output_file)
    emit(render(findings, options, color=color, files_checked=run.files_checked), options.output_file)
    return _exit_code(findings, options)
