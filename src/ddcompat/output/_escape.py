"""Make text from dependency files safe to print: no terminal escapes, no line breaks, no bidi tricks.

Package names, paths, comments and messages quoting file text all reach the terminal, the CI log or an
editor. A file must not be able to move the cursor, recolour the screen, forge a second finding on a new
line, or reorder what a reviewer sees (Trojan Source, CVE-2021-42574). Every such character is shown as a
visible Python-style escape (`\\x1b`, `\\u202e`) instead.
"""

from __future__ import annotations

import re
import unicodedata

# Explicit directional formatting characters (Unicode Bidi Algorithm, "Explicit Directional Embeddings,
# Overrides and Isolates" and the implicit marks), the BOM / zero-width no-break space, and the two
# Unicode line/paragraph separators some viewers treat as line breaks.
_INVISIBLE = frozenset(
    "\u061c\u200e\u200f"  # ARABIC LETTER MARK, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\ufeff"  # ZERO WIDTH NO-BREAK SPACE (BOM)
    "\u2028\u2029"  # LINE SEPARATOR, PARAGRAPH SEPARATOR
)


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(_INVISIBLE)) + "]")


def needs_escape(char: str) -> bool:
    """C0 and C1 controls, DEL, lone surrogates (they cannot even be encoded), and the characters above."""
    return _UNSAFE.match(char) is not None


def escape_char(char: str) -> str:
    """The visible form of one unsafe character: `\\t`, `\\n`, `\\r`, `\\x1b`, `\\u202e`."""
    code = ord(char)
    if char == "\t":
        return "\\t"
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def escape_text(text: str) -> str:
    """`text` with every unsafe character replaced by its visible escape; safe text is returned as is."""
    return _UNSAFE.sub(lambda match: escape_char(match.group()), text)


def char_width(char: str) -> int:
    """Terminal columns one (already safe) character takes: 0 for combining marks, 2 for wide ones."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    return 1
