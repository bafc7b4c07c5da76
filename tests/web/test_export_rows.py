"""A CSV export row is the hit's own values (index.articles builds both), read
without looking each article up again (issue 17's N+1)."""
from __future__ import annotations

import csv
import io

from web import export

from tests.index.test_articles import BRIEF_KEYS, ix  # noqa: F401 -- the indexed fixture


def test_csv_rows_are_the_hits_values_with_no_lookup_per_row(ix, monkeypatch):
    hits = list(export.iter_hits(ix, {"query": "dockers"}))

    def no_get(*a, **k):
        raise AssertionError("the CSV export looked an article up (N+1)")
    monkeypatch.setattr(ix, "get", no_get)
    monkeypatch.setattr(ix, "same_story", no_get)
    rows = list(csv.DictReader(io.StringIO(export.write_csv(
        export.iter_hits(ix, {"query": "dockers"})))))
    monkeypatch.undo()
    assert [r["id"] for r in rows] == [h.id for h in hits]
    for r, h in zip(rows, hits):
        assert tuple(r[c] for c in export.COLUMNS) == tuple(
            export.guard_cell(v) for v in export.row(h))
        full = ix.get(h.id)
        for key in (*BRIEF_KEYS, "author"):
            assert r[key] == (full[key] or ""), (h.id, key)
        assert r["same_story"] == " ".join(full["same_story"])
