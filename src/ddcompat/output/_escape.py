"""Make text from dependency files safe to print: no terminal escapes, no line breaks, no bidi tricks.

Package names, paths, comments and messages quoting file text all reach the terminal, the CI log or an
editor. A file must not be able to move the cursor, recolour the screen, forge a second finding on a new
line, or reorder what a reviewer sees (Trojan Source, CVE-2021-42574). Every such character is shown as a
visible Python-style escape (`\\x1b`, `\\u202e`, `\\U000e0041`) instead.
"""

from __future__ import annotations

import re

# Unicode categories shown escaped: Cc (C0 and C1 controls, DEL), Cf (invisible formatting: bidi
# embeddings/overrides/isolates and marks, zero-width space and joiners, soft hyphen, BOM, the tag
# characters used for "ASCII smuggling"), Cs (lone surrogates: they cannot even be encoded), Zl and Zp
# (LINE and PARAGRAPH SEPARATOR, line breaks to some viewers).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_UNSAFE_ASCII = re.compile("[\x00-\x1f\x7f]")


def needs_escape(char: str) -> bool:
    """Whether one character is shown as an escape (see _UNSAFE_CATEGORIES)."""
    import unicodedata  # only text that is not ASCII needs it: most runs never load it

    return unicodedata.category(char) in _UNSAFE_CATEGORIES


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
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_text(text: str) -> str:
    """`text` with every unsafe character replaced by its visible escape; safe text is returned as is."""
    if text.isascii():  # the common case, at regex speed
        if _UNSAFE_ASCII.search(text) is None:
            return text
        return _UNSAFE_ASCII.sub(lambda match: escape_char(match.group()), text)
    return "".join(escape_char(char) if needs_escape(char) else char for char in text)


def char_width(char: str) -> int:
    """Terminal columns one (already safe) character takes: 0 for combining marks, 2 for wide ones."""
    import unicodedata

    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    return 1
