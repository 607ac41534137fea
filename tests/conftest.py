"""Shared test fixtures: where the shared corpus, schemas and ground truth are (tests skip without them)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"
GROUND_TRUTH = SHARED / "ddtrace-ground-truth"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
APM_PAGE = SEEDS / "004_4cea7ae78b56dc3f.txt"
CODE_SECURITY_PAGE = SEEDS / "000_e0952f26cd0aa713.txt"


def require(path: Path) -> Path:
    """Skip the test when a file of ../shared is not there (the project must not copy it in)."""
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path
