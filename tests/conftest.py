"""Shared fixtures: the project's sample corpus and the seeds' expectations.

No test reads ../shared: a user's clone has nothing beside it.  Real-data
evaluations are ``make eval`` (bench/eval.py)."""
from pathlib import Path

import pytest

# The web tests' shared index of seeds + extra records (a session fixture).
from tests.webcorpus import web_index_dir  # noqa: E402,F401

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def gold() -> dict:
    """What each seed must become (tests/seed_expectations.py), by file name."""
    from tests.seed_expectations import SEEDS
    return SEEDS


@pytest.fixture(scope="session")
def seeds_ix(tmp_path_factory, corpus_dir):
    """The five seeds indexed once for the whole run (read-only: tests that
    write build their own index)."""
    import index

    ix = index.open_index(tmp_path_factory.mktemp("seeds-ix"))
    summary = ix.reindex([corpus_dir], progress=False)
    assert summary.added == 5
    return ix
