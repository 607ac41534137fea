"""rules/names.toml (which PyPI distributions each APM row stands for) held against ddtrace's own data.

The evidence is ../shared/ddtrace-ground-truth/seed_rows_vs_ddtrace.csv (dd-trace-py's integration registry,
_monkey.py and mappings.py, per doc row). Every place where names.toml deliberately differs from that table
is listed below with the reason; any other difference fails.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from conftest import GROUND_TRUTH, REPO, require
from ddcompat._toml import loads

NAMES = REPO / "rules" / "names.toml"
CSV = GROUND_TRUTH / "seed_rows_vs_ddtrace.csv"

# Distributions names.toml has for a row that the ground-truth table does not list.
ADDED: dict[tuple[str, str], str] = {
    # The legacy PyPI name of the same connector; the page's ">= 2.1" dates from its 2.x releases.
    ("MySQL mysql-connector", "mysql-connector"): "legacy distribution of mysql.connector",
}

# Distributions the ground-truth table lists for a row that names.toml leaves out on purpose.
REMOVED: dict[tuple[str, str], str] = {
    # elastic-transport is the transport layer of elasticsearch 8+, versioned on its own line: its versions
    # are not client versions, so judging it against ">= 1.6" would say nothing true.
    ("Elasticsearch", "elastic-transport"): "transport library, versions are not the client's",
    # boto3's versions are not botocore's (boto3 1.4.0 pins botocore 1.5.x); every boto3 install locks a
    # botocore, which the Botocore row checks. ddtrace maps boto3 -> botocore only for its own test matrix.
    ("Botocore", "boto3"): "version numbers differ from botocore's",
}

ELASTICSEARCH = ("elasticsearch", "elasticsearch1", "elasticsearch2", "elasticsearch5", "elasticsearch6")
ELASTICSEARCH = (*ELASTICSEARCH, "elasticsearch7")

# (names.toml imports, CSV import_modules) for the rows where they differ on purpose.
IMPORT_DIFFERENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # asgi has no importable library to patch (TraceMiddleware wraps any ASGI app); the CSV writes "-".
    "asgi": ((), ()),
    # The CSV names the submodule ddtrace patches (concurrent.futures.thread); names.toml the package.
    "Futures": (("concurrent.futures",), ("concurrent.futures.thread",)),
    # The Elasticsearch integration also patches elastic_transport and opensearchpy; names.toml keeps
    # opensearchpy on the Opensearch row and leaves elastic_transport out (see REMOVED).
    "Elasticsearch": (
        (*ELASTICSEARCH,),
        (*ELASTICSEARCH, "elastic_transport", "opensearchpy"),
    ),
}

_PAREN = re.compile(r"\([^()]*\)")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def csv_distributions(cell: str) -> tuple[str, ...]:
    """The distributions a CSV cell names outside its parenthesised comments, normalised."""
    names: list[str] = []
    for part in _PAREN.sub("", cell).split(";"):
        part = part.strip()
        if part and _NAME.match(part):
            names.append(canonicalize_name(part))
    return tuple(names)


@pytest.fixture(scope="module")
def names() -> dict[str, dict[str, object]]:
    return loads(NAMES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def csv_rows() -> dict[str, dict[str, str]]:
    with require(CSV).open(newline="", encoding="utf-8") as handle:
        return {row["doc_row"]: row for row in csv.DictReader(handle)}


def by_row(names: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(entry["row"]): entry for entry in names.values()}


def test_csv_parser_reads_the_prose_cells() -> None:
    assert csv_distributions("psycopg (v3); psycopg2; psycopg2-binary (also psycopg-binary / psycopg-c)") == (
        "psycopg",
        "psycopg2",
        "psycopg2-binary",
    )
    assert csv_distributions("(stdlib; tests also use pysqlite3-binary)") == ()
    assert csv_distributions("Flask-Cache; Flask-Caching") == ("flask-cache", "flask-caching")


def test_every_csv_row_has_an_entry_and_back(
    names: dict[str, dict[str, object]], csv_rows: dict[str, dict[str, str]]
) -> None:
    assert set(by_row(names)) == set(csv_rows)
    assert len(csv_rows) == 62


def test_distributions_match_ddtrace_except_the_listed_differences(
    names: dict[str, dict[str, object]], csv_rows: dict[str, dict[str, str]]
) -> None:
    unexplained: list[str] = []
    used: set[tuple[str, str]] = set()
    for row, entry in by_row(names).items():
        mine = set(entry["distributions"])  # type: ignore[arg-type]
        theirs = set(csv_distributions(csv_rows[row]["pypi_distributions"]))
        for name in sorted(mine - theirs):
            if (row, name) in ADDED:
                used.add((row, name))
            else:
                unexplained.append(f"{row}: names.toml adds {name}")
        for name in sorted(theirs - mine):
            if (row, name) in REMOVED:
                used.add((row, name))
            else:
                unexplained.append(f"{row}: names.toml lacks {name}")
    assert unexplained == []
    stale = (set(ADDED) | set(REMOVED)) - used
    assert stale == set(), "allow-list entries that no longer describe a difference"


def test_integration_names_match_ddtrace(
    names: dict[str, dict[str, object]], csv_rows: dict[str, dict[str, str]]
) -> None:
    for row, entry in by_row(names).items():
        assert entry["integration"] == csv_rows[row]["ddtrace_integration"], row


def test_import_modules_match_ddtrace(
    names: dict[str, dict[str, object]], csv_rows: dict[str, dict[str, str]]
) -> None:
    for row, entry in by_row(names).items():
        theirs = tuple(module for module in csv_rows[row]["import_modules"].split() if module != "-")
        mine = tuple(entry["imports"])  # type: ignore[arg-type]
        if row in IMPORT_DIFFERENCES:
            assert (mine, theirs) == IMPORT_DIFFERENCES[row], row
        else:
            assert mine == theirs, row


def test_stdlib_rows_are_the_ones_ddtrace_calls_internal(
    names: dict[str, dict[str, object]], csv_rows: dict[str, dict[str, str]]
) -> None:
    internal = {row for row, data in csv_rows.items() if data["registry_tested_HEAD"] == "stdlib/internal"}
    stdlib = {row for row, entry in by_row(names).items() if entry["stdlib"]}
    # asgi is "internal" to ddtrace (no external package) but it is a specification, not a stdlib module.
    assert internal - stdlib == {"asgi"}
    assert stdlib <= internal
    for row in stdlib | {"asgi"}:
        assert by_row(names)[row]["distributions"] == [], row


def test_a_distribution_belongs_to_one_row_except_aiohttp(names: dict[str, dict[str, object]]) -> None:
    owners: dict[str, list[str]] = {}
    for key, entry in names.items():
        for name in entry["distributions"]:  # type: ignore[attr-defined]
            owners.setdefault(name, []).append(key)
    shared = {name: rows for name, rows in owners.items() if len(rows) > 1}
    # aiohttp is one distribution with a client row (automatic) and a server row (manual).
    assert shared == {"aiohttp": ["aiohttp-client", "aiohttp-server"]}


def test_names_are_normalised(names: dict[str, dict[str, object]]) -> None:
    for key, entry in names.items():
        for name in entry["distributions"]:  # type: ignore[attr-defined]
            assert canonicalize_name(name) == name, key


def test_names_file_is_in_the_repository() -> None:
    assert Path(NAMES).is_file()
