"""Fixtures of the web tests beyond the shared seeds index (tests/conftest.py)."""
from .newsroom import newsroom, newsroom_dir  # noqa: F401
