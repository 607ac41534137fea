"""The doc-page reader: Markdown tables with Markdoc tags, escapes, links, entities and bold."""

from __future__ import annotations

from conftest import APM_PAGE, CODE_SECURITY_PAGE, require
from ddcompat.ruleset.pages import parse_page, plain_text

PAGE = """---
title: Python Compatibility Requirements
breadcrumbs: >-
  Docs > APM > Application Instrumentation > Compatibility
  Requirements > Python
---

# Python Compatibility Requirements

## Releases{% #releases %}

| Release    | Support level                    | Minimum Datadog Agent |
| ---------- | -------------------------------- | --------------------- |
| `>=4.0,<5` | **General Availability**         | 7.28                  |
| `<2`       | End of Life                      |

### Datastore compatibility{% #datastore-compatibility %}

| Datastore | Supported Version | Automatic | Library Documentation |
| --- | :---: | --- | --- |
| [Postgres](https://pg.x) [aiopg](https://ap.x) | \\>=&nbsp;0.12.0, <=&nbsp;0.16 | yes | [d](u) |
| `a|b` | \\> Python 3.7 yes | no | extra | cells |

- **Datadog Trace Agent**: The minimum required version is `7.76.1`.

| not | a table |
"""


def test_plain_text() -> None:
    assert plain_text(r"\>= 0.12.0, <=&nbsp;0.16") == ">= 0.12.0, <= 0.16"
    assert plain_text("[MySQL](https://www.mysql.com) [mysqlclient](https://pypi.org)") == "MySQL mysqlclient"
    assert plain_text("**General Availability (GA)**") == "General Availability (GA)"
    assert plain_text("Releases{% #releases %}") == "Releases"
    assert plain_text("`>=4, <5`") == ">=4, <5"
    assert plain_text("a &amp; b") == "a & b"


def test_front_matter_and_headings() -> None:
    page = parse_page(PAGE, "page.md")
    assert page.title == "Python Compatibility Requirements"
    expected = "Docs > APM > Application Instrumentation > Compatibility Requirements > Python"
    assert page.breadcrumbs == expected
    assert [table.heading for table in page.tables] == ["Releases", "Datastore compatibility"]


def test_tables_rows_and_cells() -> None:
    releases, datastores = parse_page(PAGE, "page.md").tables
    assert releases.header == ("Release", "Support level", "Minimum Datadog Agent")
    assert releases.has_columns("release", "SUPPORT LEVEL") and not releases.has_columns("OS")
    assert [[cell.text for cell in row.cells] for row in releases.rows] == [
        [">=4.0,<5", "General Availability", "7.28"],
        ["<2", "End of Life", ""],  # a short row is padded to the header's width
    ]
    assert releases.rows[0].line == 14 and releases.line == 12
    aiopg = datastores.rows[0]
    assert aiopg.text(0) == "Postgres aiopg"
    assert aiopg.cells[0].links == (
        ("Postgres", "https://pg.x"),
        ("aiopg", "https://ap.x"),
    )
    assert aiopg.text(1) == ">= 0.12.0, <= 0.16"
    assert aiopg.cells[3].links == (("d", "u"),)
    odd = datastores.rows[1]
    assert odd.text(0) == "a|b"  # a pipe inside a code span is not a cell border
    assert odd.text(1) == "> Python 3.7 yes"
    assert len(odd.cells) == 4  # cells past the header are dropped


def test_text_lines_keep_their_heading() -> None:
    page = parse_page(PAGE, "page.md")
    notes = [line for line in page.lines if "Trace Agent" in line.text]
    assert [(line.heading, line.text) for line in notes] == [
        ("Datastore compatibility", "Datadog Trace Agent: The minimum required version is 7.76.1.")
    ]
    # A `|` block without a separator row is text, not a table.
    assert any(line.text == "| not | a table |" for line in page.lines)


def test_the_seed_pages() -> None:
    apm = parse_page(require(APM_PAGE).read_text(encoding="utf-8"), str(APM_PAGE))
    assert [(table.heading, len(table.rows)) for table in apm.tables] == [
        ("Releases", 4),
        ("Releases", 3),
        ("Releases", 12),
        ("Web framework compatibility", 17),
        ("Datastore compatibility", 25),
        ("Library compatibility", 20),
    ]
    security = parse_page(require(CODE_SECURITY_PAGE).read_text(encoding="utf-8"), str(CODE_SECURITY_PAGE))
    assert [(table.heading, len(table.rows)) for table in security.tables] == [
        ("Code Security capabilities support", 2),
        ("Supported deployment types", 5),
        ("Supported deployment types", 5),
        ("Supported Python versions", 4),
        ("Supported Python versions", 12),
        ("Supported frameworks", 3),
    ]
    lam = security.tables[2].rows[4]
    assert [cell.text for cell in lam.cells] == ["AWS Lambda", "", ""]


def test_no_front_matter_takes_the_first_heading() -> None:
    page = parse_page("# Title\n\ntext\n", "x.md")
    assert (page.title, page.tables, [line.text for line in page.lines]) == ("Title", (), ["text"])
