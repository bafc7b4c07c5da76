"""Incremental reindex: added, changed, deleted, unchanged; URL identity; --full;
one writer at a time; bad files reported, never fatal."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import index
from tests._index_helpers import write_jsonl

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus(tmp_path, corpus_dir):
    src = tmp_path / "corpus"
    shutil.copytree(corpus_dir, src)
    return src


def gen_of(ix):
    return ix._ix.latest_generation()


def test_incremental_reindex(tmp_path, corpus):
    ix = index.open_index(tmp_path / "ix")
    s = ix.reindex([corpus], progress=False)
    assert (s.added, s.updated, s.removed, s.unchanged) == (5, 0, 0, 0)

    # unchanged rerun writes nothing: no new generation
    g = gen_of(ix)
    s = ix.reindex([corpus], progress=False)
    assert (s.added, s.updated, s.removed, s.unchanged, s.relinked) == (0, 0, 0, 5, 0)
    assert gen_of(ix) == g

    # a changed file is updated, a deleted file removed, a new file added
    f = corpus / "002_87aeffe32afe1305.txt"
    f.write_text(f.read_text("utf-8") + "\n\nA zanzibarian postscript was added later.\n", "utf-8")
    (corpus / "004_efd84228dc31cb02.txt").unlink()
    (corpus / "new.txt").write_text("Brand new article\n\nQuokkas were seen on the island "
                                    "for the first time in a decade, rangers said.\n", "utf-8")
    s = ix.reindex([corpus], progress=False)
    assert (s.added, s.updated, s.removed, s.unchanged) == (1, 1, 1, 3)
    assert ix.search("zanzibarian").total == 1
    assert ix.get("corpus/004_efd84228dc31cb02.txt") is None
    assert ix.search("quokkas").total == 1
    assert ix.search("").total == 5
    assert ix.stats()["articles"] == 5


def test_reindexing_another_folder_keeps_the_first(tmp_path, corpus):
    other = tmp_path / "other"
    write_jsonl(other / "a.jsonl", [{"id": "o1", "title": "Other", "body": "Walruses rest. " * 5}])
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([corpus], progress=False)
    s = ix.reindex([other], progress=False)
    assert (s.added, s.removed) == (1, 0)
    assert ix.search("").total == 6


def test_same_url_in_two_files_is_one_article_and_newer_wins(tmp_path):
    src = tmp_path / "src"
    now = time.time()
    write_jsonl(src / "old.jsonl", [{"title": "Old scrape", "url": "https://ex.com/a",
                                     "body": "The first version mentions aardvarks. " * 3}],
                mtime=now - 1000)
    write_jsonl(src / "new.jsonl", [{"title": "New scrape", "url": "https://ex.com/a",
                                     "body": "The second version mentions pangolins. " * 3}],
                mtime=now)
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    r = ix.search("")
    assert r.total == 1
    assert r.hits[0].title == "New scrape"
    assert ix.search("pangolins").total == 1 and ix.search("aardvarks").total == 0


def test_full_rebuild(tmp_path, corpus):
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([corpus], progress=False)
    s = ix.reindex([corpus], full=True, progress=False)
    assert s.full and s.added + s.updated == 5
    assert ix.search("").total == 5


def test_bad_files_are_skipped_with_reasons(tmp_path, corpus):
    (corpus / "empty.txt").write_text("", "utf-8")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (corpus / "broken.json").write_text("{not json", "utf-8")
    ix = index.open_index(tmp_path / "ix")
    s = ix.reindex([corpus], progress=False)
    assert s.added == 5
    skipped = {Path(p).name: reason for p, reason in s.skipped}
    assert {"empty.txt", "binary.txt", "broken.json"} <= set(skipped)
    assert all(reason for reason in skipped.values())


def test_missing_source_is_a_clear_error(tmp_path):
    ix = index.open_index(tmp_path / "ix")
    with pytest.raises(index.SourceNotFound, match="no such source"):
        ix.reindex([tmp_path / "nope"], progress=False)


def test_one_source_check_and_one_exception_for_every_layer(tmp_path):
    """The loader and the index say "missing source" with one exception (the
    index's is the loader's), by one rule: a dangling symlink exists (it is
    skipped with a reason), a name that is not there does not."""
    import archive
    ix = index.open_index(tmp_path / "ix")
    for fail in (lambda: ix.reindex([tmp_path / "nope"], progress=False),
                 lambda: list(archive.load_paths([tmp_path / "nope"]))):
        with pytest.raises(archive.SourceError, match="no such source: .*nope"):
            fail()
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("Otters\n\nOtters were seen in the river on Monday.\n", "utf-8")
    dangling = tmp_path / "gone"
    dangling.symlink_to(tmp_path / "never-there")
    s = ix.reindex([src, dangling], progress=False)
    assert s.added == 1
    assert [Path(p).name for p, _ in s.skipped] == ["gone"]


def test_second_writer_gets_index_locked(tmp_path, corpus):
    ixdir = tmp_path / "ix"
    ix = index.open_index(ixdir)
    ix.reindex([corpus], progress=False)
    # another process holds the write lock (as a running reindex does)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; sys.path.insert(0, sys.argv[2]);"
         "from index.locking import WriteLock\n"
         "with WriteLock(sys.argv[1]):\n print('locked', flush=True); time.sleep(60)",
         str(ixdir), str(ROOT)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(index.IndexLocked, match="index is being written by another process"):
            ix.reindex([corpus], progress=False)
        # searches keep answering meanwhile
        assert ix.search("taliban").total == 5
    finally:
        holder.kill()           # SIGKILL: the kernel drops the flock
        holder.wait()
    s = ix.reindex([corpus], progress=False)     # no stale lock
    assert s.unchanged == 5


def test_searcher_sees_a_reindex_without_reopening(tmp_path, corpus):
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([corpus], progress=False)
    reader_ix = index.open_index(tmp_path / "ix")      # e.g. the web app
    assert reader_ix.search("quokkas").total == 0
    (corpus / "new.txt").write_text("Quokka news\n\nQuokkas everywhere today.\n", "utf-8")
    ix.reindex([corpus], progress=False)
    deadline = time.monotonic() + 5
    while reader_ix.search("quokkas").total == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert reader_ix.search("quokkas").total == 1
