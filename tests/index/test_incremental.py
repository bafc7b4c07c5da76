"""An archive built in increments equals the same archive built at once.

The archive-wide passes (entity aliases, story groups) depend on every
article; a reindex that writes only what changed must still end where a full
rebuild ends: every article's canonical entities and story group, and the
facets, the same."""
from __future__ import annotations

import json

import index
from archive.synthetic import stories
from index import archive_state


def _write(path, recs):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r) + "\n")


def _state(ix):
    _snap = ix._state()
    s, _ = _snap.searcher, _snap.arrays
    docs = {f["id"]: (f.get("entities"), f.get("story"), f.get("title"))
            for _, f in s.reader().iter_docs()}
    r = ix.search("", per_page=1)
    facets = {k: [(v["value"], v["count"]) for v in vs] for k, vs in r.to_dict()["facets"].items()}
    return docs, facets, r.total


def _side(folder, ix):
    """The archive-wide state a reindex keeps: resolver, mention pool, story groups."""
    gen = ix._ix.latest_generation()
    resolver = json.loads((folder / f"resolver-{gen}.json").read_text("utf-8"))
    pool, state = archive_state.load(folder, gen)
    return resolver, pool.to_json_like(), (state.group, state.members, state.items)


def test_three_increments_equal_one_full_build(tmp_path):
    _three_increments(tmp_path)


def test_increments_equal_a_full_build_when_the_saved_state_is_lost(tmp_path):
    """An index without the side files (built by an older version, or files
    lost) rebuilds them once from the stored fields and still ends where a
    full build ends."""
    def lose(folder):
        for p in list(folder.glob("mentions-*.pickle")) + list(folder.glob("stories-*.pickle")):
            p.unlink()
    _three_increments(tmp_path, before_each=lose)


def test_increments_equal_a_full_build_over_a_story_state_of_an_older_layout(tmp_path):
    """A story state saved by an older version (another STATE_VERSION) is
    refused, rebuilt once from the stored fields, and the increments still
    end where a full build ends."""
    import pickle

    from archive import stories as groups

    def older(folder):
        for p in folder.glob("stories-*.pickle"):
            with open(p, "wb") as fh:
                pickle.dump({"version": groups.STATE_VERSION - 1, "ids": 0, "items": 0,
                             "members": 0}, fh)
                fh.write(b"NASIGS02")
    _three_increments(tmp_path, before_each=older)


def test_an_increment_does_not_read_every_stored_article(tmp_path, monkeypatch):
    """With the saved state, the archive-wide passes need only what changed:
    no pass over the stored fields of every article."""
    recs = list(stories(120, seed=14))
    src = tmp_path / "wire"
    ix = index.open_index(tmp_path / "ix")
    _write(src / "a.jsonl", recs[:100])
    ix.reindex([src], progress=False)
    from whoosh.reading import IndexReader, SegmentReader

    def no_scan(self):
        raise AssertionError("an incremental reindex streamed every stored article")
    for cls in (SegmentReader, IndexReader):
        monkeypatch.setattr(cls, "iter_docs", no_scan)
    _write(src / "b.jsonl", recs[100:])
    s = ix.reindex([src], progress=False)
    monkeypatch.undo()
    assert (s.added, s.unchanged) == (20, 100)
    full = index.open_index(tmp_path / "full")
    full.reindex([src], progress=False)
    assert _state(full) == _state(ix)
    assert _side(tmp_path / "full", full) == _side(tmp_path / "ix", ix)
    assert _side(tmp_path / "full", full) == _side(tmp_path / "ix", ix)


def _three_increments(tmp_path, before_each=lambda folder: None):
    recs = list(stories(360, seed=11))
    src = tmp_path / "wire"
    inc = index.open_index(tmp_path / "inc")

    _write(src / "part-1.jsonl", recs[:150])
    s1 = inc.reindex([src], progress=False)
    assert s1.added == 150
    _write(src / "part-2.jsonl", recs[150:270])
    before_each(tmp_path / "inc")
    s2 = inc.reindex([src], progress=False)
    assert (s2.added, s2.unchanged) == (120, 150)
    # third increment: new articles, one corrected in place, one file's article withdrawn
    recs[20] = dict(recs[20], body=recs[20]["body"] + "\n\nThe figures were revised on Friday.")
    _write(src / "part-1.jsonl", [r for i, r in enumerate(recs[:150]) if i != 40])
    _write(src / "part-3.jsonl", recs[270:])
    before_each(tmp_path / "inc")
    s3 = inc.reindex([src], progress=False)
    assert (s3.added, s3.updated, s3.removed) == (90, 1, 1)

    full = index.open_index(tmp_path / "full")
    sf = full.reindex([src], progress=False)
    assert sf.added == 359

    docs_i, facets_i, total_i = _state(inc)
    docs_f, facets_f, total_f = _state(full)
    assert total_i == total_f == 359
    assert set(docs_i) == set(docs_f)
    diff = [i for i in docs_f if docs_i[i] != docs_f[i]]
    assert diff == []
    assert facets_i == facets_f
    # some articles do share a story (the generator reprints stories), so groups were tested
    groups = [g for _, g, _ in docs_f.values()]
    assert len(set(groups)) < len(groups)
    # and the state kept for the next increment is the full build's too
    assert _side(tmp_path / "inc", inc) == _side(tmp_path / "full", full)


def test_an_unchanged_rerun_after_increments_writes_nothing(tmp_path):
    recs = list(stories(120, seed=12))
    src = tmp_path / "wire"
    ix = index.open_index(tmp_path / "ix")
    _write(src / "a.jsonl", recs[:60])
    ix.reindex([src], progress=False)
    _write(src / "b.jsonl", recs[60:])
    ix.reindex([src], progress=False)
    gen = ix._ix.latest_generation()
    s = ix.reindex([src], progress=False)
    assert (s.added, s.updated, s.removed, s.relinked, s.unchanged) == (0, 0, 0, 0, 120)
    assert ix._ix.latest_generation() == gen


def test_a_curated_alias_change_relinks_only_the_articles_it_touches(tmp_path):
    src = tmp_path / "wire"
    recs = list(stories(80, seed=13))
    _write(src / "a.jsonl", recs)
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    org = next(e for _, f in ix._state().searcher.reader().iter_docs()
               for e in f["entities"] if e[1] == "org")[0]
    having = {f["id"] for _, f in ix._state().searcher.reader().iter_docs()
              if org in [e[0] for e in f["entities"]]}
    (src / "aliases.toml").write_text(
        f'[[entity]]\nname = "The Curated Body"\ntype = "org"\naliases = ["{org}"]\n', "utf-8")
    s = ix.reindex([src], progress=False)
    assert (s.added, s.updated, s.unchanged) == (0, 0, 80)
    assert s.relinked == len(having) > 0
    r = ix.search("", entities=["The Curated Body"])
    assert r.total == len(having)
    full = index.open_index(tmp_path / "full")
    full.reindex([src], progress=False)
    assert _state(full) == _state(ix)
    assert _side(tmp_path / "full", full) == _side(tmp_path / "ix", ix)


def test_withdrawing_a_whole_story_at_once_equals_a_full_build(tmp_path):
    """A file removed with every article of a story in it: the increment
    drops the whole component (a component losing several members at once
    used to fail the reindex) and ends where a full build ends."""
    recs = list(stories(200, seed=15))
    src = tmp_path / "wire"
    ix = index.open_index(tmp_path / "ix")
    _write(src / "a.jsonl", recs)
    ix.reindex([src], progress=False)
    docs, _, _ = _state(ix)
    by_story: dict = {}
    for aid, (_, story, _) in docs.items():
        by_story.setdefault(story, []).append(aid)
    pair = next(sorted(m) for m in by_story.values() if len(m) >= 2)
    gone = [r for r in recs if r["id"] in pair]
    _write(src / "a.jsonl", [r for r in recs if r["id"] not in pair])
    _write(src / "b.jsonl", gone)
    ix.reindex([src], progress=False)
    (src / "b.jsonl").unlink()
    s = ix.reindex([src], progress=False)
    assert s.removed == len(pair)
    full = index.open_index(tmp_path / "full")
    full.reindex([src], progress=False)
    assert _state(full) == _state(ix)
    assert _side(tmp_path / "full", full) == _side(tmp_path / "ix", ix)
