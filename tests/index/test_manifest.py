"""The manifest: a rerun skips what did not change before loading it."""
from __future__ import annotations

import builtins
import json
import os
import time

import index
from archive.synthetic import stories, write_corpus
from index import loading, manifest


def _opened(monkeypatch, folder):
    """Paths under ``folder`` opened from now on (the reindex loads in-process
    for a corpus this small)."""
    seen = []
    real_open = builtins.open

    def spy(file, *a, **kw):
        if isinstance(file, (str, os.PathLike)) and str(file).startswith(str(folder)):
            seen.append(os.path.basename(str(file)))
        return real_open(file, *a, **kw)
    monkeypatch.setattr(builtins, "open", spy)
    return seen


def _records(monkeypatch):
    """Ids of the records the loader builds from now on."""
    made = []
    real = loading.record

    def spy(a, *args):
        made.append(a.id)
        return real(a, *args)
    monkeypatch.setattr(loading, "record", spy)
    return made


def test_unchanged_files_are_not_opened(tmp_path, monkeypatch):
    src = tmp_path / "wire"
    write_corpus(src, 40, fmt="txt")
    ix = index.open_index(tmp_path / "ix")
    assert ix.reindex([src], progress=False).added == 40
    opened = _opened(monkeypatch, src)
    s = ix.reindex([src], progress=False)
    assert (s.added, s.updated, s.unchanged) == (0, 0, 40)
    assert opened == []


def test_a_touched_file_is_hashed_not_parsed(tmp_path, monkeypatch):
    src = tmp_path / "wire"
    write_corpus(src, 10, fmt="txt")
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    victim = sorted(src.glob("*.txt"))[3]
    os.utime(victim, (time.time() + 100, time.time() + 100))
    made = _records(monkeypatch)
    opened = _opened(monkeypatch, src)
    s = ix.reindex([src], progress=False)
    assert (s.added, s.updated, s.unchanged) == (0, 0, 10)
    assert opened == [victim.name] and made == []
    # and the new mtime is remembered: the next rerun does not open it again
    opened.clear()
    ix.reindex([src], progress=False)
    assert opened == []


def test_a_changed_jsonl_file_loads_only_its_changed_lines(tmp_path, monkeypatch):
    src = tmp_path / "feed"
    src.mkdir()
    recs = list(stories(30, seed=3))
    f = src / "all.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs), "utf-8")
    ix = index.open_index(tmp_path / "ix")
    assert ix.reindex([src], progress=False).added == 30
    recs[7]["title"] = "A corrected headline about the harbour"
    extra = dict(recs[0], id="late-addition", title="A late addition to the feed",
                 url="https://feed.example/late-addition")
    lines = [json.dumps(r) + "\n" for r in recs]
    lines.insert(12, json.dumps(extra) + "\n")          # later lines move down one
    f.write_text("".join(lines), "utf-8")
    made = _records(monkeypatch)
    s = ix.reindex([src], progress=False)
    assert sorted(made) == sorted([recs[7]["id"], "late-addition"])
    assert (s.added, s.updated, s.unchanged) == (1, 1, 29)
    assert ix.get(recs[7]["id"])["title"] == "A corrected headline about the harbour"
    # the moved lines are remembered at their new numbers: a rerun loads nothing
    made.clear()
    os.utime(f, (time.time() + 50, time.time() + 50))
    assert ix.reindex([src], progress=False).unchanged == 31 and made == []


def test_manifest_records_every_file(tmp_path):
    src = tmp_path / "wire"
    write_corpus(src, 5, fmt="txt")
    (src / "empty.txt").write_text("", "utf-8")
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    m = manifest.load(tmp_path / "ix", ix._ix.latest_generation())
    assert len(m.files) == 6
    for path, e in m.files.items():
        st = os.stat(path)
        assert (e["size"], e["mtime_ns"]) == (st.st_size, st.st_mtime_ns)
        assert os.path.isabs(path)
    empty = m.files[str((src / "empty.txt").resolve())]
    assert [r[manifest.STATUS] for r in empty["recs"]] == [manifest.SKIPPED]
    # skipped files are reported again on a rerun, without being read
    s = ix.reindex([src], progress=False)
    assert [os.path.basename(p) for p, _ in s.skipped] == ["empty.txt"]


def test_a_file_over_its_time_budget_is_skipped_with_a_reason(tmp_path, monkeypatch):
    src = tmp_path / "wire"
    write_corpus(src, 4, fmt="txt")
    slow = src / "slow.txt"
    slow.write_text("Harbour report\n\nThe harbour master said ships were waiting.\n", "utf-8")
    real = loading.load_file

    def crawling(path, *a):
        if os.path.basename(str(path)) == "slow.txt":
            time.sleep(30)             # a pass that would stall the run
        return real(path, *a)
    monkeypatch.setattr(loading, "load_file", crawling)
    monkeypatch.setattr(loading, "FILE_BUDGET", 0.5)
    ix = index.open_index(tmp_path / "ix")
    t0 = time.monotonic()
    s = ix.reindex([src], progress=False)
    assert time.monotonic() - t0 < 10
    assert s.added == 4
    assert [(os.path.basename(p), r) for p, r in s.skipped] == [
        ("slow.txt", "took longer than the 0.5 s loading budget per file (skipped)")]


def test_reindexing_one_file_of_a_folder_keeps_the_others(tmp_path):
    src = tmp_path / "wire"
    write_corpus(src, 6, fmt="txt")
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    one = sorted(src.glob("*.txt"))[2]
    one.write_text(one.read_text("utf-8") + "\n\nA late correction was appended.\n", "utf-8")
    s = ix.reindex([one], progress=False)
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 1, 0, 0)
    assert ix.search("").total == 6
    s = ix.reindex([src], progress=False)
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 0, 0, 6)


def test_the_saved_manifest_is_the_json_of_the_whole(tmp_path, monkeypatch):
    """Written in batches of file entries, the file is byte for byte
    ``json.dumps`` of the manifest (ASCII escapes: names that are not UTF-8
    round-trip), for any batch size, and loads back equal."""
    from index import manifest as mf
    m = mf.Manifest(sources={"/a/wire": "wire"}, curated={"/a/aliases.toml": [3, 4]})
    for k in range(7):
        m.files[f"/a/wire/{k}-caf\u00e9-\udcff.jsonl"] = {
            "size": k, "sha": "ab" * k, "recs": [[k, "h", f"wire/{k}", "p", "", None, 1.5,
                                                  "i", None]]}
    whole = json.dumps(m.to_json(), ensure_ascii=True, separators=(",", ":"))
    for batch in (1, 3, 7, 100):
        monkeypatch.setattr(mf, "ENCODE_FILES", batch)
        mf.save(tmp_path, 5, m)
        assert (tmp_path / mf.name(5)).read_text("utf-8") == whole
        assert mf.load(tmp_path, 5).to_json() == m.to_json()
    mf.save(tmp_path, 6, mf.Manifest())
    assert mf.load(tmp_path, 6).to_json() == mf.Manifest().to_json()
