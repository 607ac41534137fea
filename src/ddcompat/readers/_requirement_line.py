"""pip's requirements-file line grammar, with positions: logical lines, comments, options.

pip (`pip/_internal/req/req_file.py`) reads a requirements file in four steps, and this module repeats them
while remembering where every character came from:

1. split into physical lines; join a line ending in `\\` with the next one (the backslashes go; a comment line
   is never continued, and a comment line ends a continuation);
2. strip a comment: `#` at the start of the line or after whitespace (`pkg==1.0#x` keeps its `#x`);
3. split the rest at the first space-separated word starting with `-`: before it the requirement, from it on
   options (`--hash=...`, `-r file`), split like a shell would (`shlex`) and parsed like `optparse` would
   (`-rfile`, `--requirement=file`, unique prefixes of long options such as `--req file`);
4. `${VAR}` is not expanded here (pip expands variables from the environment; a linter must not).

Differences from pip, on purpose: only `\\n`, `\\r\\n` and `\\r` end lines (pip's `str.splitlines` also
breaks at form feeds and a few Unicode separators, which real files do not contain), so positions agree with
the rest of ddcompat; options pip removed long ago (`-Z`, `--allow-external`, ...) are accepted, not
refused.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple, Optional

# An option's canonical long name -> whether it takes a value. Current pip, plus options older pips accepted
# (a file written for them is not an invalid requirements file for a linter).
LONG_OPTIONS: dict[str, bool] = {
    "--index-url": True,
    "--pypi-url": True,
    "--extra-index-url": True,
    "--no-index": False,
    "--constraint": True,
    "--requirement": True,
    "--editable": True,
    "--find-links": True,
    "--no-binary": True,
    "--only-binary": True,
    "--prefer-binary": False,
    "--require-hashes": False,
    "--pre": False,
    "--trusted-host": True,
    "--use-feature": True,
    "--global-option": True,
    "--install-option": True,
    "--hash": True,
    "--config-settings": True,
    # Legacy options (pip < 20) that files still carry.
    "--always-unzip": False,
    "--allow-external": True,
    "--allow-all-external": False,
    "--allow-unverified": True,
    "--no-allow-external": False,
    "--no-allow-insecure": False,
    "--process-dependency-links": False,
    "--use-wheel": False,
    "--no-use-wheel": False,
}

STRONG_HASHES = ("sha256", "sha384", "sha512")  # what pip's --hash accepts

SHORT_OPTIONS: dict[str, str] = {
    "-i": "--index-url",
    "-c": "--constraint",
    "-r": "--requirement",
    "-e": "--editable",
    "-f": "--find-links",
    "-C": "--config-settings",
    "-Z": "--always-unzip",
}

_COMMENT = re.compile(r"(^|\s+)#.*$")
_LINE_END = re.compile(r"(\r\n|\r|\n)")
_WORD = re.compile(r"[^ \t\r\n]+")


class LogicalLine:
    """One line as pip sees it after joining continuations, with a map back to file offsets.

    `text` is the joined text (backslashes removed); `segments` holds, for each physical line joined in,
    the index in `text` where it starts and the file offset of that character.
    """

    __slots__ = ("_file_starts", "_joined_starts", "text")

    def __init__(self, text: str, joined_starts: list[int], file_starts: list[int]) -> None:
        self.text = text
        self._joined_starts = joined_starts
        self._file_starts = file_starts

    def offset(self, index: int) -> int:
        """File offset of the character at `index` of `text` (a start position)."""
        if len(self._joined_starts) == 1:
            return self._file_starts[0] + index
        segment = bisect.bisect_right(self._joined_starts, index) - 1
        return self._file_starts[segment] + index - self._joined_starts[segment]

    def end_offset(self, index: int) -> int:
        """File offset just after the character at `index - 1` (an exclusive end position)."""
        if index <= 0 or len(self._joined_starts) == 1:
            return self.offset(index)
        return self.offset(index - 1) + 1

    @property
    def start_offset(self) -> int:
        return self._file_starts[0]


def _physical_lines(text: str) -> Iterator[tuple[str, int]]:
    """(line without its end, file offset of its first character); `\\r\\n`, `\\r`, `\\n` end lines."""
    if "\r" not in text:
        start = 0
        for line in text.split("\n"):
            yield line, start
            start += len(line) + 1
        return
    parts = _LINE_END.split(text)
    start = 0
    for index in range(0, len(parts), 2):
        line = parts[index]
        yield line, start
        start += len(line) + (len(parts[index + 1]) if index + 1 < len(parts) else 0)


def _is_comment_line(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith("#")


def logical_lines(text: str) -> Iterator[LogicalLine]:
    """pip's `join_lines`: a line ending in `\\` continues on the next one, unless it is a comment line."""
    pieces: list[str] = []
    joined_starts: list[int] = []
    file_starts: list[int] = []
    length = 0
    for line, start in _physical_lines(text):
        if not line.endswith("\\") or _is_comment_line(line):
            if pieces:
                # A comment line ends the continuation; pip keeps it only to strip it again.
                if not _is_comment_line(line):
                    pieces.append(line)
                    joined_starts.append(length)
                    file_starts.append(start)
                yield LogicalLine("".join(pieces), joined_starts, file_starts)
                pieces, joined_starts, file_starts, length = [], [], [], 0
            elif line:
                yield LogicalLine(line, [0], [start])
            continue
        # pip strips backslashes from both ends of a continued line (`line.strip("\\")`).
        stripped_left = line.lstrip("\\")
        body = stripped_left.rstrip("\\")
        pieces.append(body)
        joined_starts.append(length)
        file_starts.append(start + len(line) - len(stripped_left))
        length += len(body)
    if pieces:
        yield LogicalLine("".join(pieces), joined_starts, file_starts)


class Token(NamedTuple):
    """A shell word of the options part: its value (quotes removed) and its span in the logical line."""

    value: str
    start: int
    end: int


class LineError(NamedTuple):
    """Why pip would refuse a line, and where (indices in the logical line)."""

    message: str
    start: int
    end: int


class ParsedLine:
    """A logical line split like pip: the requirement part and the parsed options (filled in by
    `parse_line`; a plain class, since a dataclass costs ten times as much to define at start-up)."""

    __slots__ = (
        "args_end",
        "args_start",
        "constraints",
        "content_end",
        "content_start",
        "editables",
        "error",
        "hashes",
        "line",
        "requirements",
    )

    def __init__(self, line: LogicalLine) -> None:
        self.line = line
        self.content_start = 0  # the line without comment and surrounding whitespace
        self.content_end = 0
        self.args_start = 0  # the requirement part (empty when the line starts with an option)
        self.args_end = 0
        self.requirements: list[Token] = []  # -r values
        self.constraints: list[Token] = []  # -c values
        self.editables: list[Token] = []  # -e values
        self.hashes: list[Token] = []
        self.error: Optional[LineError] = None

    @property
    def args(self) -> str:
        return self.line.text[self.args_start:self.args_end]

    @property
    def is_empty(self) -> bool:
        return self.content_start == self.content_end


def split_words(text: str, offset: int) -> tuple[list[Token], Optional[LineError]]:
    """`shlex.split` (POSIX mode, no comments) that remembers where each word is."""
    if "'" not in text and '"' not in text and "\\" not in text:
        return [Token(match.group(), offset + match.start(), offset + match.end())
                for match in _WORD.finditer(text)], None
    tokens: list[Token] = []
    length = len(text)
    i = 0
    while i < length:
        while i < length and text[i] in " \t\r\n":
            i += 1
        if i >= length:
            break
        start = i
        chars: list[str] = []
        while i < length and text[i] not in " \t\r\n":
            char = text[i]
            if char == "\\":
                if i + 1 >= length:
                    return tokens, LineError("cannot split the options: no escaped character",
                                             offset + i, offset + i + 1)
                chars.append(text[i + 1])
                i += 2
            elif char == "'":
                close = text.find("'", i + 1)
                if close == -1:
                    return tokens, LineError("cannot split the options: no closing quotation",
                                             offset + i, offset + length)
                chars.append(text[i + 1:close])
                i = close + 1
            elif char == '"':
                i += 1
                while i < length and text[i] != '"':
                    if text[i] == "\\" and i + 1 < length and text[i + 1] in '\\"$`\n':
                        i += 1
                    chars.append(text[i])
                    i += 1
                if i >= length:
                    return tokens, LineError("cannot split the options: no closing quotation",
                                             offset + start, offset + length)
                i += 1
            else:
                chars.append(char)
                i += 1
        tokens.append(Token("".join(chars), offset + start, offset + i))
    return tokens, None


def _long_option(name: str) -> Optional[str]:
    """optparse's matching: the exact name, or the one long option it is a unique prefix of."""
    if name in LONG_OPTIONS:
        return name
    matches = [option for option in LONG_OPTIONS if option.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    return None


def _store(parsed: ParsedLine, option: str, value: Token) -> Optional[LineError]:
    """Keep an option's value; the values pip itself refuses (its optparse callbacks) are errors."""
    if option == "--requirement":
        parsed.requirements.append(value)
    elif option == "--constraint":
        parsed.constraints.append(value)
    elif option == "--editable":
        parsed.editables.append(value)
    elif option == "--hash":
        algorithm, colon, _ = value.value.partition(":")
        if not colon or algorithm not in STRONG_HASHES:
            return LineError(f"--hash needs one of {', '.join(STRONG_HASHES)}, a colon and the digest "
                             f"(`--hash=sha256:...`), not {value.value!r}", value.start, value.end)
        parsed.hashes.append(value)
    elif option == "--config-settings" and "=" not in value.value:
        return LineError(f"--config-settings needs KEY=VALUE, not {value.value!r}", value.start, value.end)
    return None


def _parse_options(parsed: ParsedLine, tokens: list[Token]) -> Optional[LineError]:
    """optparse over pip's requirements-file options; leftover words are ignored, as pip ignores them."""
    index = 0
    count = len(tokens)
    while index < count:
        token = tokens[index]
        index += 1
        word = token.value
        if word == "--":
            break
        if word.startswith("--"):
            name, equals, value = word.partition("=")
            option = _long_option(name)
            if option is None:
                ambiguous = [o for o in LONG_OPTIONS if o.startswith(name)]
                reason = "ambiguous option" if ambiguous else "unknown option"
                return LineError(f"{reason} {name!r} (pip refuses the file)", token.start,
                                 token.start + len(name))
            if not LONG_OPTIONS[option]:
                if equals:
                    return LineError(f"option {option} takes no value", token.start, token.end)
                continue
            if equals:
                # The value's position: after the `=` (exact when the word has no quotes).
                value_start = min(token.start + len(name) + 1, token.end)
                error = _store(parsed, option, Token(value, value_start, token.end))
            elif index < count:
                error = _store(parsed, option, tokens[index])
                index += 1
            else:
                return LineError(f"option {option} needs a value", token.start, token.end)
            if error is not None:
                return error
        elif word.startswith("-") and len(word) > 1:
            position = 1
            while position < len(word):
                short = "-" + word[position]
                option = SHORT_OPTIONS.get(short)
                if option is None:
                    return LineError(f"unknown option {short!r} (pip refuses the file)",
                                     token.start + position - 1, token.start + position + 1)
                if not LONG_OPTIONS[option]:
                    position += 1
                    continue
                rest = word[position + 1:]
                if rest:
                    error = _store(parsed, option,
                                   Token(rest, min(token.start + position + 1, token.end), token.end))
                elif index < count:
                    error = _store(parsed, option, tokens[index])
                    index += 1
                else:
                    return LineError(f"option {short} needs a value", token.start, token.end)
                if error is not None:
                    return error
                break
    return None


def parse_line(line: LogicalLine) -> ParsedLine:
    """Comment, requirement part and options of one logical line (pip's `ignore_comments` and
    `break_args_options`)."""
    text = line.text
    parsed = ParsedLine(line)
    end = len(text)
    if "#" in text:
        comment = _COMMENT.search(text)
        if comment is not None:
            end = comment.start()
    start = 0
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    parsed.content_start, parsed.content_end = start, end
    if start == end:
        return parsed
    # The requirement part ends before the first space-separated word that starts with "-".
    if text[start] == "-":
        options_start = start
    else:
        options_start = text.find(" -", start, end)
        options_start = end if options_start == -1 else options_start + 1
    args_end = options_start
    while args_end > start and text[args_end - 1].isspace():
        args_end -= 1
    parsed.args_start, parsed.args_end = start, args_end
    if options_start < end:
        tokens, error = split_words(text[options_start:end], options_start)
        if error is None:
            error = _parse_options(parsed, tokens)
        parsed.error = error
    return parsed
