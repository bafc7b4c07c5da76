"""What a reindex holds while it writes: not the plan's per-article parts.

The manifest, a version per article and the index's id list cost a few
hundred bytes per article; held under the story pass and Whoosh's posting
pool they made an increment's peak grow with the archive.  The writer saves
the manifest first and keeps only what the write reads later."""
from __future__ import annotations

import json

import index
from archive import stories
from index import manifest as mf
from index import writer

STORY = ("Council members said on Monday that the road repairs would start in the spring. "
         "The works will close the eastern bridge for three weeks, officials said.")
OTHER = ("Fishermen in the harbour said the new quotas would cut their catch by a third. "
         "Their union asked the ministry to delay the rules until the autumn season.")
URL = "https://news.example/2025/11/03/roads"


def _line(**rec):
    return json.dumps(rec) + "\n"


def test_the_write_runs_on_a_saved_manifest_and_still_reads_older_versions(tmp_path, monkeypatch):
    src = tmp_path / "feed"
    src.mkdir()
    # two scrapes of one URL in one file (the newer wins), and another article
    (src / "a.jsonl").write_text(
        _line(url=URL, title="Roads may close", body=STORY, scraped_at="2025-11-03T08:00:00Z")
        + _line(url=URL, title="Roads to close", body=STORY + " Dates were set.",
                scraped_at="2025-11-04T08:00:00Z")
        + _line(id="quotas", title="Quotas anger fishermen", body=OTHER), "utf-8")
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    folder = tmp_path / "ix"
    gen = ix._ix.latest_generation()

    seen = {}
    real_write, real_assign = writer._Plan._write, stories.assign

    def write(self, pool, t0):
        seen["plan"] = self
        return real_write(self, pool, t0)

    def assign(*a, **k):
        plan = seen["plan"]
        seen["held"] = (plan.new, plan.winners, plan.old_ids)
        seen["saved"] = mf.load(folder, gen + 1)
        # the older scrape is a stub of an unchanged file: read again from it
        stub = plan.losers[URL][-1]
        seen["reread"] = (stub.spool, plan._full_record(stub))
        return real_assign(*a, **k)
    monkeypatch.setattr(writer._Plan, "_write", write)
    monkeypatch.setattr(stories, "assign", assign)
    # a third, newest scrape arrives in another file
    (src / "b.jsonl").write_text(
        _line(url=URL, title="Roads closed for three weeks", body=STORY + " Work began.",
              scraped_at="2025-11-05T08:00:00Z"), "utf-8")
    s = ix.reindex([src], progress=False)
    monkeypatch.undo()

    assert seen["held"] == (None, None, None)
    assert seen["saved"] is not None and str(src / "b.jsonl") in seen["saved"].files
    spool, rec = seen["reread"]
    assert spool is None and rec["id"] == URL and rec["title"] == "Roads may close"
    assert (s.added, s.updated) == (0, 1)
    assert ix.get(URL)["title"] == "Roads closed for three weeks"
    assert [h["title"] for h in ix.history(URL)] == ["Roads to close", "Roads may close"]
    # the committed generation's manifest is the one saved early
    now = ix._ix.latest_generation()
    assert mf.load(folder, now).to_json() == seen["saved"].to_json()
