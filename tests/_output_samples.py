"""A fixed list of findings shared by the output format tests (sorted, deduplicated, source lines filled)."""

from __future__ import annotations

from ddcompat.model import Finding, Fix, Level, Span

# `\x1b` etc. appear only where a test builds hostile input on purpose; these are ordinary findings.
FINDINGS: tuple[Finding, ...] = (
    Finding(
        code="DDC304",
        level=Level.NOTE,
        message="pymemcache is not patched automatically; enable it with DD_PATCH_MODULES=pymemcache:true",
        path="pyproject.toml",
        span=Span(12, 4, 12, 19),
        package="pymemcache",
        declared="pymemcache>=4.0",
        source_line='\t\t"pymemcache>=4.0",\n',
    ),
    Finding(
        code="DDC101",
        level=Level.ERROR,
        message="ddtrace==1.20.3 is on the 1.x branch, which is End of Life",
        path="requirements.txt",
        span=Span(3, 1, 3, 16),
        package="ddtrace",
        declared="ddtrace==1.20.3",
        hint="Upgrade ddtrace to the General Availability branch: ddtrace>=4.0,<5",
        fix=Fix("requirements.txt", Span(3, 8, 3, 16), "==4.0.0", "pin ddtrace to 4.0.0", safe=False),
        source_line="ddtrace==1.20.3  # tracing\n",
    ),
    Finding(
        code="DDC302",
        level=Level.WARNING,
        message="aiopg>=0.12 admits versions outside the documented range >=0.12.0,<=0.16",
        path="requirements.txt",
        span=Span(5, 1, 5, 12),
        package="aiopg",
        declared="aiopg>=0.12",
        fix=Fix("requirements.txt", Span(5, 6, 5, 12), ">=0.12,<=0.16", "narrow aiopg to >=0.12,<=0.16"),
        source_line="aiopg>=0.12\r\n",
    ),
    Finding(
        code="DDC201",
        level=Level.ERROR,
        message="no Python the project allows (==3.14.*) is supported by ddtrace 4.x",
        path="services/api/poetry.lock",
        span=Span(40, 1, 41, 20),
        package=None,
        declared='python-versions = "3.14.*"',
        source_line='python-versions = "3.14.*"\n',
    ),
)

# The shape VS Code's $gcc problem matcher recognises (vscode-cpptools Extension/package.json, pattern
# of the `gcc` problem matcher): file 1, line 2, column 3, severity 4, message 5.
GCC = r"^(.*?):(\d+):(\d*):?\s+(?:fatal\s+)?(warning|error):\s+(.*)$"
# A matcher for the concise format that also recognises notes (VS Code maps "note" to Info); README.
DDCOMPAT_MATCHER = r"^(.*?):(\d+):(\d+):\s+(error|warning|note):\s+(DDC\d+)\s+(.*)$"
# vim's default 'errorformat' entries that can match a `file:line...` line (src/option.h, DFLT_EFM),
# as regular expressions: `%f:%l:%c:%m`, `%f(%l):%m`, `%f:%l:%m`, `"%f"%*\D%l: %m`.
VIM_EFM = (
    r"^(.+?):(\d+):(\d+):(.*)$",
    r"^(.+?)\((\d+)\):(.*)$",
    r"^(.+?):(\d+):(.*)$",
    r'^[^"]*"(.+?)"\D*(\d+): (.*)$',
)
# Emacs compilation-mode's `gnu` entry of compilation-error-regexp-alist-alist (lisp/progmodes/compile.el),
# ported from its rx form: optional `PROGRAM:` (or GCC's `  |` include-trace indentation), a file name that
# is not all digits, `:` line, optional `.col`/`:col` and ranges, `:`, then the type: warning, info (notes)
# or anything else (error).
EMACS_GNU = (
    r"^(?:[A-Za-z][-.A-Za-z0-9]+: ?| +\|)?"
    r"(?P<file>[0-9]*[^0-9\n](?:[^\n :]| [^-/\n]|:[^ \n])*?)"
    r": ?(?P<line>[0-9]+)"
    r"(?:-(?P<end_line>[0-9]+)(?:\.(?P<end_col>[0-9]+))?"
    r"|[.:](?P<col>[0-9]+)(?:-(?:(?P<end_line2>[0-9]+)\.)?(?P<end_col2>[0-9]+))?)?"
    r":"
    r"(?: *(?P<warning>FutureWarning|RuntimeWarning|Warning|warning|W:)"
    r"| *(?P<info>[Ii]nfo(?:\b|rmationa?l?)|I:|\[ skipping .+ \]|instantiated from|required from|[Nn]ote)"
    r"| *[Ee]rror|[0-9]?(?:[^0-9\n]|$)|[0-9][0-9][0-9])"
)
