"""A corpus folder full of bad files still reindexes, loses no good article,
and names every bad file with its reason.

The folder mixes good articles (seeds, synthetic wire stories as JSONL, a
saved news page written here) with everything a scraped archive accumulates:
binaries, empty files, Windows-1252 text, a 50 MB text file, truncated HTML,
HTML with only scripts, JSON that does not parse, one bad JSONL line among
good ones, symlink loops, and files nobody can read -- tests run as root, so
"unreadable" is made real with a FIFO, a dangling symlink and a link to
``/proc/self/mem`` (every read of which fails with EIO).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

import index
from web.app import create_app

from tests._reliability import ids, run_cli, write_stories
from tests.pages import STORY, news_page

#: bad file -> a phrase its reason must contain
BAD = {
    "empty.txt": "empty file",
    "empty.json": "empty file",
    "empty.jsonl": "empty file",
    "blank.html": "empty",
    "image.txt": "binary file (a PNG image)",
    "random.html": "binary",
    "huge.txt": "too large for one article: 50.0 MB",
    "scripts.html": "no article text",
    "truncated-in-head.html": "no article text",
    "bad.json": "invalid JSON",
    "deep.json": "nested",
    "mixed.jsonl#L2": "invalid JSON",
    "loop.txt": "symlink loop",
    "gone.html": "broken symlink",
    "pipe.txt": "not a regular file",
    "mem.txt": "symlink to a file outside the source folder",   # /proc/self/mem: never read
}

LATIN1_NAME = os.fsdecode(b"caf\xe9-latin1-name.txt")


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory, corpus_dir):
    root = tmp_path_factory.mktemp("bad") / "corpus"
    root.mkdir()
    good = set()
    # real articles
    for name in ("000_059658d8d1ad82e8.txt", "002_87aeffe32afe1305.txt",
                 "004_efd84228dc31cb02.txt"):
        shutil.copy(corpus_dir / name, root / name)
        good.add(f"corpus/{name}")          # path ids carry the source folder's name
    write_stories(root / "wire", 0, 200, per_file=100)
    good |= ids(0, 200)
    (root / "cp1252.txt").write_bytes(
        ("Café owners in Zürich said the “new rules” would hurt trade.\n"
         "The council’s vote on the rules was postponed until the spring session.")
        .encode("cp1252"))
    good.add("corpus/cp1252.txt")
    page = news_page("Old bridge repairs begin", STORY * 3).encode("utf-8")
    (root / "truncated.html").write_bytes(page[: len(page) * 2 // 3])   # cut mid-body
    (root / "mixed.jsonl").write_text(
        json.dumps({"id": "ok-1", "title": "Wheat rises",
                    "body": "Wheat prices rose sharply on Monday in Chicago trading."}) + "\n"
        + "{not json at all\n"
        + json.dumps({"id": "ok-2", "title": "Corn falls",
                      "body": "Corn prices fell on Tuesday in Chicago trading."}) + "\n", "utf-8")
    good |= {"ok-1", "ok-2"}
    # a file name that is not UTF-8, and a JSON escape that is not a character
    (root / LATIN1_NAME).write_text("A file whose name is not UTF-8.\n"
                                    "It still holds a good article about persimmon farming.", "utf-8")
    good.add("corpus/caf%E9-latin1-name.txt")
    (root / "surrogate.jsonl").write_text(
        '{"id": "lone-surrogate", "title": "Odd \\ud800 title", "source": "Times \\udce9",'
        ' "body": "A record with a lone surrogate escape, about kumquat orchards."}\n', "utf-8")
    good.add("lone-surrogate")
    # a folder named like a file is a folder: its article is found
    (root / "dir.txt").mkdir()
    (root / "dir.txt" / "inner.txt").write_text(
        "Inside a folder named dir.txt.\nHarbour officials said the hovercraft docked late.", "utf-8")
    good.add("corpus/dir.txt/inner.txt")

    # the bad ones
    for name in ("empty.txt", "empty.json", "empty.jsonl"):
        (root / name).write_bytes(b"")
    (root / "blank.html").write_text("   \n\t\n", "utf-8")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    (root / "random.html").write_bytes(b"\x00" + os.urandom(5000))
    with open(root / "huge.txt", "w", encoding="utf-8") as fh:
        line = "The quick brown fox reported on the markets today. " * 20 + "\n"
        while fh.tell() < 50 * 2**20:
            fh.write(line)
    (root / "scripts.html").write_text("<html><head><script>var a=1;</script></head>"
                                       "<body><script>track()</script></body></html>", "utf-8")
    (root / "truncated-in-head.html").write_text('<html><head><title>Only a head</title>'
                                                 '<meta name="x" content="y', "utf-8")
    (root / "bad.json").write_text('{"title": "x", "body": ', "utf-8")
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    os.symlink("loop.txt", root / "loop.txt")
    os.symlink("nowhere.html", root / "gone.html")
    os.mkfifo(root / "pipe.txt")
    os.symlink("/proc/self/mem", root / "mem.txt")
    (root / "wire" / "again").symlink_to("..")          # a folder loop
    return root, good


def _name(path: str, root: Path) -> str:
    return os.path.relpath(path, root) if path.startswith(str(root)) else path


def test_reindex_completes_keeps_every_good_article_and_reports_every_bad_one(bad_corpus, tmp_path):
    root, good = bad_corpus
    ixdir = tmp_path / "index"
    p = run_cli("reindex", root, "--index", ixdir, "--json", check=0, timeout=240)
    summary = json.loads(p.stdout)
    skipped = {_name(s["path"], root): s["reason"] for s in summary["skipped"]}

    for name, phrase in BAD.items():
        assert name in skipped, (name, sorted(skipped))
        assert phrase in skipped[name], (name, skipped[name])
        assert "\n" not in skipped[name]
    assert set(skipped) == set(BAD), sorted(set(skipped) ^ set(BAD))

    ix = index.open_index(ixdir)
    _snap = ix._state()
    s, _ = _snap.searcher, _snap.arrays
    stored = {f["id"]: f for _, f in s.reader().iter_docs()}
    page_ids = [i for i, f in stored.items() if f["path"].endswith("/truncated.html")]
    assert len(page_ids) == 1                                 # the cut page still gives its article
    assert set(stored) == good | set(page_ids)
    assert summary["added"] == len(stored) == ix.search("").total

    # the good articles read right, the odd ones included
    assert ix.search("Zürich").total == 1 and ix.get("corpus/cp1252.txt")["body"].startswith("Café owners")
    assert ix.search("kumquat").total == 1 and "\ufffd" in ix.get("lone-surrogate")["title"]
    assert ix.search("persimmon").total == 1
    assert ix.search("hovercraft").total == 1               # not lost by the folder loop

    # and they are served by the web app
    client = create_app(ixdir, testing=True).test_client()
    for doc_id in ("corpus/caf%E9-latin1-name.txt", "lone-surrogate", "corpus/cp1252.txt",
                   page_ids[0]):
        r = client.get("/articles/" + quote(doc_id, safe=""))
        assert r.status_code == 200, doc_id
    assert client.get("/search?q=kumquat").status_code == 200


def test_rerun_over_bad_corpus_is_stable(bad_corpus, tmp_path):
    root, good = bad_corpus
    ixdir = tmp_path / "index"
    first = json.loads(run_cli("reindex", root, "--index", ixdir, "--json", check=0).stdout)
    again = json.loads(run_cli("reindex", root, "--index", ixdir, "--json", check=0).stdout)
    assert (again["added"], again["updated"], again["removed"]) == (0, 0, 0)
    assert again["unchanged"] == first["added"]
    key = lambda s: (s["path"], s["reason"])
    assert sorted(again["skipped"], key=key) == sorted(first["skipped"], key=key)
    text = run_cli("reindex", root, "--index", ixdir, check=0).stdout
    for name in BAD:                                          # the plain summary lists them too
        assert name.split("#")[0] in text, name
