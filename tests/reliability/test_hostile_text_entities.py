"""Crafted text cannot make entity extraction super-linear (issue 15).

"ABC ABC ...", "Abc Abc ..." and "A. A. ..." used to form one run of thousands
of tokens, and matching known names in it tried every sub-span (minutes for a
100 KB file).  The work is measured here without a clock: the characters
passed to ``fold`` (the one step every candidate span goes through) must grow
linearly with the input, within a fixed factor of its length.
"""
from __future__ import annotations

import pytest

import archive.mentions as mentions
from archive import Article, annotate

PATTERNS = ["ABC ", "Abc ", "A. ", "Abc of Abc ", "Abc-Def Ghi "]


def _folded_chars(monkeypatch, text: str) -> int:
    seen = [0]
    real = mentions.fold

    def counting(s):
        seen[0] += len(s)
        return real(s)

    monkeypatch.setattr(mentions, "fold", counting)
    try:
        annotate([Article(id="h.txt", path="h.txt", title=text[:200], body=text)])
    finally:
        monkeypatch.setattr(mentions, "fold", real)
    return seen[0]


@pytest.mark.parametrize("unit", PATTERNS)
def test_entity_work_is_linear_in_crafted_runs(monkeypatch, unit):
    small = _folded_chars(monkeypatch, unit * 1000)
    big = _folded_chars(monkeypatch, unit * 4000)
    # Linear: four times the text, at most about four times the work ...
    assert big <= 4.5 * max(small, 1)
    # ... and a small multiple of the text itself (a quadratic pass would be ~1000x).
    assert big <= 60 * len(unit * 4000)


def test_the_issue_inputs_finish_and_keep_no_giant_name():
    for text in ("ABC " * 2500, "Abc " * 25000, "A. " * 33000):
        a = Article(id="h.txt", path="h.txt", title="", body=text)
        annotate([a])
        assert all(len(e.name.split()) <= 12 for e in a.entities)
