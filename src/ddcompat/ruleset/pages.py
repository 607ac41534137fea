"""Read a Datadog doc page (Markdown with Markdoc `{% %}` tags) into headings, tables and text lines.

The pages are rendered Markdown: tables with `|` cells, escaped `\\>=`, links `[x](url)`, `&nbsp;`, bold
`**x**`, inline code. This module knows nothing of what the tables mean; `build.py` does.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_TAG = re.compile(r"\{%.*?%\}")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<=])")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_SPACES = re.compile(r"\s+")
_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s+")


def strip_tags(text: str) -> str:
    """Drop Markdoc tags (`{% #releases %}`, `{% alert %}`) from a line."""
    return _TAG.sub("", text)


def plain_text(markdown: str) -> str:
    """The text a reader sees: links by their text, no escapes, entities decoded, no bold, no backticks."""
    text = strip_tags(markdown)
    text = LINK.sub(lambda match: match.group(1), text)
    text = _BOLD.sub(lambda match: match.group(2), text)
    text = text.replace("`", "")
    text = _ESCAPE.sub(lambda match: match.group(1), text)
    text = html.unescape(text).replace("\xa0", " ")
    return _SPACES.sub(" ", text).strip()


def links(markdown: str) -> tuple[tuple[str, str], ...]:
    """Every `[text](url)` of a cell, in order, as (plain text, url)."""
    return tuple((plain_text(text), url) for text, url in LINK.findall(markdown))


@dataclass(frozen=True)
class Cell:
    raw: str  # the cell's Markdown, stripped of surrounding spaces
    text: str  # plain_text(raw)

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        return links(self.raw)


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line number in the page
    cells: tuple[Cell, ...]  # padded with empty cells to the header's width

    def text(self, index: int) -> str:
        return self.cells[index].text if index < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    heading: str  # the nearest heading above the table, plain text
    line: int  # the header row's line number
    header: tuple[str, ...]  # plain text of the header cells
    rows: tuple[Row, ...]

    def has_columns(self, *names: str) -> bool:
        """True when the header starts with these columns (compared case-insensitively)."""
        wanted = tuple(name.casefold() for name in names)
        have = tuple(name.casefold() for name in self.header[: len(wanted)])
        return have == wanted


@dataclass(frozen=True)
class TextLine:
    heading: str
    line: int
    text: str  # plain text of a non-table, non-heading line


@dataclass(frozen=True)
class Page:
    path: str
    title: str  # front matter title, else the first heading
    breadcrumbs: str
    tables: tuple[Table, ...]
    lines: tuple[TextLine, ...]


def _split_row(line: str) -> list[str]:
    """Split a `| a | b |` line on unescaped pipes, also outside code spans."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            current.append(body[index : index + 2])
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current).strip())
    return cells


def _is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(_SEPARATOR_CELL.match(cell.replace(" ", "")) for cell in cells)


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """The `---` block's `key: value` pairs (folded `>-` values joined), and the first line after it."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    values: dict[str, str] = {}
    key = ""
    for index in range(1, len(lines)):
        line = lines[index]
        if line.strip() == "---":
            return {name: " ".join(value.split()) for name, value in values.items()}, index + 1
        match = re.match(r"^([A-Za-z_][\w-]*):\s*(.*)$", line)
        if match:
            key = match.group(1)
            value = match.group(2).strip()
            values[key] = "" if value in (">-", ">", "|", "|-") else value
        elif key and line.startswith((" ", "\t")):
            values[key] = f"{values[key]} {line.strip()}"
    return {}, 0


def parse_page(text: str, path: str = "<page>") -> Page:
    """Headings, tables (header and rows, padded) and the remaining text lines of a page."""
    lines = text.splitlines()
    front, start = _front_matter(lines)
    heading = ""
    title = front.get("title", "")
    tables: list[Table] = []
    text_lines: list[TextLine] = []
    index = start
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        heading_match = _HEADING.match(stripped)
        if heading_match:
            heading = plain_text(heading_match.group(2))
            title = title or heading
            index += 1
            continue
        if stripped.startswith("|"):
            block: list[tuple[int, str]] = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                block.append((index + 1, lines[index]))
                index += 1
            table = _table(heading, block)
            if table is not None:
                tables.append(table)
            else:
                text_lines.extend(
                    TextLine(heading, number, plain_text(raw)) for number, raw in block
                )
            continue
        if stripped:
            plain = plain_text(_BULLET.sub("", stripped))
            if plain:
                text_lines.append(TextLine(heading, index + 1, plain))
        index += 1
    return Page(path, title, front.get("breadcrumbs", ""), tuple(tables), tuple(text_lines))


def _table(heading: str, block: list[tuple[int, str]]) -> Table | None:
    if len(block) < 2:
        return None
    header = _split_row(block[0][1])
    if not _is_separator(_split_row(block[1][1])):
        return None
    width = len(header)
    rows: list[Row] = []
    for number, raw in block[2:]:
        cells = _split_row(raw)[:width]
        padded = cells + [""] * (width - len(cells))
        rows.append(Row(number, tuple(Cell(cell, plain_text(cell)) for cell in padded)))
    return Table(heading, block[0][0], tuple(plain_text(cell) for cell in header), tuple(rows))
