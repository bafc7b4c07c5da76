"""Article identity through a reindex: ids that never lose an article.

Every article here is written by the test itself."""
from __future__ import annotations

import json
import os

import index
from archive import Article, load_file, load_paths

STORY = ("Council members said on Monday that the road repairs would start in the spring. "
         "The works will close the eastern bridge for three weeks, officials said.")
OTHER = ("Fishermen in the harbour said the new quotas would cut their catch by a third. "
         "Their union asked the ministry to delay the rules until the autumn season.")


def _txt(path, title, body):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", "utf-8")


def _json(path, rec, mtime=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rec), "utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def _ix(tmp_path):
    return index.open_index(tmp_path / "ix")


def test_same_file_name_in_two_sources_is_two_articles(tmp_path):
    _txt(tmp_path / "dawn" / "2025" / "1103.txt", "Roads to close", STORY)
    _txt(tmp_path / "tribune" / "2025" / "1103.txt", "Quotas anger fishermen", OTHER)
    ix = _ix(tmp_path)
    s = ix.reindex([tmp_path / "dawn", tmp_path / "tribune"], progress=False)
    assert s.added == 2
    assert ix.get("dawn/2025/1103.txt")["title"] == "Roads to close"
    assert ix.get("tribune/2025/1103.txt")["title"] == "Quotas anger fishermen"


def test_same_file_name_in_two_sources_one_after_the_other(tmp_path):
    _txt(tmp_path / "dawn" / "2025" / "1103.txt", "Roads to close", STORY)
    _txt(tmp_path / "tribune" / "2025" / "1103.txt", "Quotas anger fishermen", OTHER)
    ix = _ix(tmp_path)
    assert ix.reindex([tmp_path / "dawn"], progress=False).added == 1
    s = ix.reindex([tmp_path / "tribune"], progress=False)
    assert (s.added, s.updated, s.removed) == (1, 0, 0)
    assert ix.search("").total == 2


def test_two_source_folders_with_the_same_name_clash_and_are_reported(tmp_path):
    a, b = tmp_path / "a" / "corpus", tmp_path / "b" / "corpus"
    _txt(a / "x.txt", "Roads to close", STORY)
    _txt(b / "x.txt", "Quotas anger fishermen", OTHER)
    ix = _ix(tmp_path)
    ix.reindex([a], progress=False)
    s = ix.reindex([b], progress=False)
    assert s.added == 1 and s.updated == 0
    assert s.clashes == [{"source": str(b.resolve()), "prefix": "corpus-2",
                          "clashes_with": str(a.resolve())}]
    assert ix.get("corpus/x.txt")["title"] == "Roads to close"
    assert ix.get("corpus-2/x.txt")["title"] == "Quotas anger fishermen"
    d = s.to_dict()
    assert d["clashes"][0]["prefix"] == "corpus-2"
    # the registry is kept: both again, nothing changes, no new clash
    s = ix.reindex([a, b], progress=False)
    assert (s.added, s.updated, s.removed, s.unchanged, s.clashes) == (0, 0, 0, 2, [])


def test_ids_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    src = tmp_path / "news" / "corpus"
    _txt(src / "one.txt", "Roads to close", STORY)
    _txt(src / "sub" / "two.txt", "Quotas anger fishermen", OTHER)
    ix = _ix(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert ix.reindex(["news/corpus"], progress=False).added == 2
    monkeypatch.chdir(tmp_path / "news")
    s = ix.reindex(["corpus"], progress=False)
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 0, 0, 2)
    monkeypatch.chdir(src / "sub")
    s = ix.reindex([".."], progress=False)
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 0, 0, 2)
    assert {ix.get(i)["path"] for i in ("corpus/one.txt", "corpus/sub/two.txt")} == {
        str((src / "one.txt").resolve()), str((src / "sub" / "two.txt").resolve())}


def test_same_url_newer_file_wins_and_older_is_superseded_history(tmp_path):
    src = tmp_path / "scrapes"
    url = "https://news.example/2025/11/03/roads"
    _json(src / "first.json", {"url": url, "title": "Roads may close", "body": STORY}, 1_700_000_000)
    _json(src / "second.json", {"url": url, "title": "Roads to close for three weeks",
                                "body": STORY + " The mayor confirmed the dates."}, 1_700_090_000)
    ix = _ix(tmp_path)
    s = ix.reindex([src], progress=False)
    assert s.added == 1
    assert s.superseded == [(str((src / "first.json").resolve()), url)]
    assert s.to_dict()["superseded"] == [{"path": str((src / "first.json").resolve()), "id": url}]
    assert ix.get(url)["title"] == "Roads to close for three weeks"
    hist = ix.history(url)
    assert [(h["path"], h["title"]) for h in hist] == [
        (str((src / "first.json").resolve()), "Roads may close")]
    assert hist[0]["text"] == STORY and hist[0]["time"] == "2023-11-14T22:13:20Z"
    # a rerun: nothing changes, the older version is still accounted for
    s = ix.reindex([src], progress=False)
    assert (s.added, s.updated, s.unchanged, len(s.superseded)) == (0, 0, 1, 1)


def test_an_older_version_arriving_later_joins_the_history(tmp_path):
    src = tmp_path / "scrapes"
    url = "https://news.example/2025/11/03/roads"
    _json(src / "new.json", {"url": url, "title": "Roads to close", "body": STORY}, 1_700_090_000)
    ix = _ix(tmp_path)
    ix.reindex([src], progress=False)
    _json(src / "old.json", {"url": url, "title": "Roads may close", "body": OTHER}, 1_700_000_000)
    s = ix.reindex([src], progress=False)
    assert (s.added, s.updated) == (0, 1)
    assert ix.get(url)["title"] == "Roads to close"
    assert [h["title"] for h in ix.history(url)] == ["Roads may close"]
    # the newer file goes: the older version is the article again, with no history
    (src / "new.json").unlink()
    s = ix.reindex([src], progress=False)
    assert (s.added, s.updated, s.removed, s.superseded) == (0, 1, 0, [])
    assert ix.get(url)["title"] == "Roads may close" and ix.history(url) == []


def test_record_id_seen_twice_keeps_the_newer_by_file_time(tmp_path):
    src = tmp_path / "feed"
    src.mkdir()
    (src / "a.jsonl").write_text(json.dumps({"id": "r-1", "title": "Old take", "body": STORY}) + "\n")
    (src / "b.jsonl").write_text(json.dumps({"id": "r-1", "title": "New take", "body": OTHER}) + "\n")
    os.utime(src / "a.jsonl", (1_700_000_000, 1_700_000_000))
    os.utime(src / "b.jsonl", (1_700_000_100, 1_700_000_100))
    ix = _ix(tmp_path)
    s = ix.reindex([src], progress=False)
    assert ix.get("r-1")["title"] == "New take"
    assert s.superseded == [(str((src / "a.jsonl").resolve()) + "#L1", "r-1")]


def test_the_records_own_time_beats_the_file_time(tmp_path):
    """A re-scrape copied later (newer mtime) but scraped earlier loses."""
    src = tmp_path / "scrapes"
    url = "https://news.example/2025/11/03/roads"
    _json(src / "later-copy.json", {"url": url, "title": "Roads may close", "body": STORY,
                                    "scraped_at": "2025-11-03T08:00:00Z"}, 1_800_000_000)
    _json(src / "fresh.json", {"url": url, "title": "Roads to close", "body": OTHER,
                               "scraped_at": "2025-11-04T08:00:00Z"}, 1_700_000_000)
    ix = _ix(tmp_path)
    s = ix.reindex([src], progress=False)
    assert ix.get(url)["title"] == "Roads to close"
    assert s.superseded == [(str((src / "later-copy.json").resolve()), url)]
    assert ix.history(url)[0]["time"] == "2025-11-03T08:00:00Z"


def test_relative_urls_are_no_ids(tmp_path):
    src = tmp_path / "site"
    _json(src / "roads.json", {"url": "/world/2025/11/03/council-roads", "title": "Roads",
                               "body": STORY})
    _json(src / "dot.json", {"id": "./dot", "title": "Dot", "body": OTHER})
    arts = {a.title: a for a in load_paths([src]) if isinstance(a, Article)}
    assert arts["Roads"].id == "site/roads.json" and arts["Roads"].url is None
    assert arts["Dot"].id == "%2E/dot"
    for a in arts.values():
        assert not a.id.startswith("/") and "./" not in a.id


def test_every_id_links_to_its_own_article_page(tmp_path):
    from urllib.parse import quote
    from web.app import create_app
    src = tmp_path / "site"
    _json(src / "roads.json", {"url": "/world/2025/11/03/council-roads", "title": "Roads",
                               "body": STORY})
    _json(src / "dot.json", {"id": "./dot", "title": "Dot", "body": OTHER})
    _json(src / "up.json", {"id": "a/../b", "title": "Up", "body": STORY + " Up."})
    ix = _ix(tmp_path)
    ix.reindex([src], progress=False)
    client = create_app(tmp_path / "ix", testing=True).test_client()
    for h in ix.search("", per_page=10).hits:
        r = client.get("/articles/" + quote(h.id, safe="/"))
        assert r.status_code == 200 and h.title in r.get_data(as_text=True), h.id


def test_symlinks_inside_the_source_are_followed_outside_are_skipped(tmp_path):
    outside = tmp_path / "private"
    _txt(outside / "secret.txt", "Private notes", "The password is swordfish, the notes said.")
    src = tmp_path / "corpus"
    _txt(src / "real.txt", "Roads to close", STORY)
    _txt(src / "inner" / "kept.txt", "Quotas anger fishermen", OTHER)
    os.symlink(outside / "secret.txt", src / "leak.txt")
    os.symlink(outside, src / "leakdir")
    os.symlink(src / "inner", src / "alias")            # inside: followed, but read once
    ix = _ix(tmp_path)
    s = ix.reindex([src], progress=False)
    skipped = {os.path.basename(p): r for p, r in s.skipped}
    assert "outside the source folder" in skipped["leak.txt"]
    assert "outside the source folder" in skipped["leakdir"]
    assert ix.search("swordfish").total == 0
    assert ix.search("").total == 2
    assert [a for a in load_file(src / "leak.txt", src)][0].reason.startswith("symlink to a file")


def test_old_index_needs_a_full_reindex_once(tmp_path):
    import pytest
    src = tmp_path / "corpus"
    _txt(src / "one.txt", "Roads to close", STORY)
    ix = _ix(tmp_path)
    ix.reindex([src], progress=False)
    for p in (tmp_path / "ix").glob("manifest-*.json"):      # what an older version left
        p.unlink()
    with pytest.raises(index.IndexError_, match=r"reindex --full"):
        ix.reindex([src], progress=False)
    s = ix.reindex([src], full=True, progress=False)
    assert s.articles == 1
    assert ix.reindex([src], progress=False).unchanged == 1
