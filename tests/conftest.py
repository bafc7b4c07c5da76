"""Shared fixtures: where the project's sample corpus and ../shared live."""
import json
import os
from pathlib import Path

import pytest

# The web tests' shared index of seeds + extra records (a session fixture).
from webcorpus import web_index_dir  # noqa: E402,F401

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"../shared not found at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def gold(shared_dir) -> dict:
    return json.loads((shared_dir / "gold" / "seeds.json").read_text("utf-8"))["articles"]


@pytest.fixture(scope="session")
def seeds_ix(tmp_path_factory, corpus_dir):
    """The five seeds indexed once for the whole run (read-only: tests that
    write build their own index)."""
    import index

    ix = index.open_index(tmp_path_factory.mktemp("seeds-ix"))
    summary = ix.reindex([corpus_dir], progress=False)
    assert summary.added == 5
    return ix
