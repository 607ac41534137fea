"""The command line: options in, exit code out; nothing else.

Exit codes: 0 nothing to report, 1 at least one error or warning, 2 the run itself failed.
Each subcommand's implementation is imported only when that subcommand runs, to keep start-up cheap.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, Optional

from ddcompat import __version__
from ddcompat.errors import UsageError
from ddcompat.options import OUTPUT_FORMATS, PRODUCTS, CheckOptions


class _Parser(argparse.ArgumentParser):
    """argparse, but with usage errors on one line and exit code 2 as the contract says."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"ddcompat: error: {message}\n")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse makes a formatter for every add_argument() (to check its metavar), and each one asks
        # shutil for the terminal width, importing shutil with bz2 and lzma: on a pre-commit run that is
        # the cost of reading a file. Only help text needs the width; it is the same for the whole run.
        if self.formatter_class is not argparse.HelpFormatter:
            return super()._get_formatter()
        return argparse.HelpFormatter(prog=self.prog, width=_help_width())


@functools.lru_cache(maxsize=1)
def _help_width() -> int:
    """What argparse uses, `shutil.get_terminal_size().columns - 2`, without importing shutil."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        stdout = sys.__stdout__
        try:
            columns = os.get_terminal_size(stdout.fileno()).columns if stdout is not None else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def _codes(value: str) -> tuple[str, ...]:
    from ddcompat.catalog import is_valid_selector

    codes = tuple(part.strip().upper() for part in value.split(",") if part.strip())
    for code in codes:
        if not is_valid_selector(code):
            raise argparse.ArgumentTypeError(f"unknown code or prefix {code!r}")
    return codes


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def _products(value: str) -> tuple[str, ...]:
    products = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    for product in products:
        if product not in PRODUCTS:
            raise argparse.ArgumentTypeError(
                f"unknown product {product!r} (choose from {', '.join(PRODUCTS)})"
            )
    return products


def _python(value: str) -> str:
    from ddcompat.pythons import parse_python_option

    try:
        parse_python_option(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


COMMANDS = ("check", "rule", "rules")


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, one of `COMMANDS`, the parser of that command alone.

    Each parser argparse makes looks up its messages' translations on disk, so a `ddcompat check` run
    (a pre-commit hook) builds only the parser it uses; the usage and errors it prints are the same.
    """
    parser = _Parser(
        prog="ddcompat",
        description="Lint Python dependency files against what Datadog's ddtrace supports.",
    )
    parser.add_argument("--version", action="version", version=f"ddcompat {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    if only in (None, "check"):
        _add_check(commands)
    if only in (None, "rule"):
        _add_rule(commands)
    if only in (None, "rules"):
        _add_rules(commands)
    return parser


def _add_check(commands: argparse._SubParsersAction[_Parser]) -> None:
    check = commands.add_parser("check", help="check dependency files and folders")
    check.add_argument("paths", nargs="*", metavar="PATH", help='files or folders (default ".")')
    check.add_argument("--output-format", choices=OUTPUT_FORMATS, default="full")
    check.add_argument("-o", "--output-file", metavar="FILE")
    check.add_argument("--select", type=_codes, metavar="CODES", help="codes or prefixes, comma-separated")
    check.add_argument("--ignore", type=_codes, metavar="CODES", help="codes or prefixes, comma-separated")
    check.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="the date for support end dates")
    check.add_argument("--python", type=_python, metavar="VERSION|SPECIFIER", help="the project's Python")
    check.add_argument("--products", type=_products, metavar="apm,sca,iast")
    check.add_argument("--config", metavar="FILE", help="a config file instead of discovery")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("--fix", action="store_true", help="rewrite pins to supported ones")
    check.add_argument("--diff", action="store_true", help="show what --fix would write; write nothing")
    check.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that move a pin")
    check.add_argument("--sarif-category", metavar="ID", help="automationDetails.id of the SARIF run")


def _add_rule(commands: argparse._SubParsersAction[_Parser]) -> None:
    rule = commands.add_parser("rule", help="explain a diagnostic code")
    rule.add_argument("code", nargs="?", metavar="CODE")
    rule.add_argument("--all", action="store_true", help="explain every code")


def _add_rules(commands: argparse._SubParsersAction[_Parser]) -> None:
    rules = commands.add_parser("rules", help="maintain the rule set")
    rules_commands = rules.add_subparsers(dest="rules_command", metavar="COMMAND", parser_class=_Parser)
    build = rules_commands.add_parser("build", help="rebuild the rule set from the two doc pages")
    build.add_argument("apm_page", metavar="APM_PAGE")
    build.add_argument("code_security_page", metavar="CODE_SECURITY_PAGE")
    build_mode = build.add_mutually_exclusive_group()
    build_mode.add_argument("--output", metavar="DIR", help="write the rule files here")
    build_mode.add_argument("--check", action="store_true", help="compare with the embedded rule set")
    tracer = rules_commands.add_parser(
        "build-tracer", help="build the tracer-aware rules from ddtrace wheels or source trees"
    )
    tracer.add_argument("sources", nargs="+", metavar="WHEEL_OR_SOURCE")
    tracer.add_argument("--output", metavar="DIR", help="write the tracer rule files here")
    compiled = rules_commands.add_parser(
        "compile", help="write the pre-parsed form of the rule files (rules/**/compiled/*.json)"
    )
    compiled.add_argument("rules_folder", nargs="?", metavar="DIR", help="default: the embedded rules")
    compiled.add_argument("--check", action="store_true", help="exit 1 when the compiled form is stale")


def _check_options(args: argparse.Namespace) -> CheckOptions:
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    if args.fix and args.diff:
        raise UsageError("--fix and --diff cannot be combined (--diff writes nothing)")
    return CheckOptions(
        paths=tuple(args.paths) or (".",),
        output_format=args.output_format,
        output_file=args.output_file,
        select=args.select,
        ignore=args.ignore,
        today=args.today or datetime.date.today(),
        python=args.python,
        products=args.products,
        config=args.config,
        exit_zero=args.exit_zero,
        fix=args.fix,
        diff=args.diff,
        unsafe_fixes=args.unsafe_fixes,
        sarif_category=args.sarif_category,
    )


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command == "check":
        options = _check_options(args)
        from ddcompat.runner import run_check

        return run_check(options)
    if args.command == "rule":
        from ddcompat.explain import explain_command

        if args.all == (args.code is not None):
            raise UsageError("give either a CODE or --all")
        return explain_command(None if args.all else args.code)
    if args.command == "rules":
        if args.rules_command == "build":
            from ddcompat.ruleset.build import build_command

            return build_command(args.apm_page, args.code_security_page, args.output, args.check)
        if args.rules_command == "build-tracer":
            from ddcompat.ruleset.tracer_build import build_tracer_command

            return build_tracer_command(args.sources, args.output)
        if args.rules_command == "compile":
            from ddcompat.ruleset.compiled import compile_command

            return compile_command(args.rules_folder, args.check)
    parser.print_usage(sys.stderr)
    return 2


def main(argv: Optional[Sequence[str]] = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments[0] if arguments and arguments[0] in COMMANDS else None)
    args = parser.parse_args(arguments)
    try:
        return _run(args, parser)
    except UsageError as exc:
        sys.stderr.write(f"ddcompat: error: {_one_line(str(exc))}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal error must still be one line and exit 2, never a traceback
        sys.stderr.write(f"ddcompat: internal error: {type(exc).__name__}: {_one_line(str(exc))}\n")
        return 2


def console_main() -> NoReturn:
    """The `ddcompat` command and `python -m ddcompat`: `main()`, then an exit without the interpreter's
    teardown.

    Tearing down the modules and objects of a run costs a tenth of a pre-commit run on one file, and a
    finished command has nothing left to clean up: its output files were closed where they were written
    and its streams are flushed here (mypy ends the same way). `main()` stays a plain function for callers
    in a longer-lived process.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe or a closed stream: nothing more can be written.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _one_line(text: str) -> str:
    """An error message quoting file text (a config key, a path) with every control character escaped:
    stderr reaches terminals and CI logs too, where `\\x1b[` or a line starting `::` would act."""
    from ddcompat.output._escape import escape_text

    return escape_text(text)
