"""Every bound ddcompat puts on its input, in one place, so each is documented and tested once.

Each bound, when hit, is a finding on the file (DDC902/DDC903) or a one-line error (exit 2); nothing is
ever silently cut short, except a finding's message, which quotes file text and is shortened with "...".
"""

from __future__ import annotations

# A dependency file larger than this is a DDC902 ("file too large") and is not read. The largest real lock
# files are a few MB; 20 MB of requirements takes about 20 s of CPU to check.
MAX_FILE_BYTES = 20 * 1024 * 1024

# `-r`/`-c` chains deeper than this are a DDC903 on the including line (cycles are one at any depth).
# (Defined by the requirements reader as MAX_INCLUDE_DEPTH; repeated here for the documentation.)
MAX_INCLUDE_DEPTH = 32

# More dependency files than this under the given paths is an error (exit 2) that says to narrow them.
MAX_FILES = 100_000

# A run over fewer folders than this stays in one process: below it, starting a second one costs more than
# it saves (measured by benchmarks/run.py; see ddcompat.parallel).
MIN_PARALLEL_GROUPS = 64

# A finding's message longer than this (it quotes a value from the file) is cut, ending in "...".
MAX_MESSAGE_CHARS = 2_000

# JSON nesting deeper than this in Pipfile.lock is a DDC902; TOML nesting deep enough to exhaust Python's
# recursion limit is a DDC902 from the TOML readers.
MAX_JSON_DEPTH = 500


def clip_message(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`message`, cut to `limit` characters (the last three being "...") when it is longer."""
    return message if len(message) <= limit else message[: limit - 3] + "..."
