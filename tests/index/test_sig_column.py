"""The story signature lives in a column of its own, not in the stored fields.

A signature is a kilobyte of hashes that zlib cannot shrink; compressed with
the stored fields it was some 40% of their cost per document.  What reads it
(the same-story labels, relinking an article, rebuilding the story state)
reads the column; an index written before (schema version 2, the signature
stored) is read the old way until its ``reindex --full``, which moves it.
"""
from __future__ import annotations

import json
import os

from whoosh.fields import STORED

import index
from archive import stories
from index import core, schema, writer

from tests._index_helpers import DOCKERS_BODY as BODY, write_jsonl


def _wire(tmp_path):
    write_jsonl(tmp_path / "src" / "wire.jsonl", [
        {"id": "first", "title": "Dockers end strike", "body": BODY, "published": "2025-03-03",
         "source": "Harbour Wire"},
        {"id": "reprint", "title": "Dockers end nine-day strike", "body": BODY,
         "published": "2025-03-04", "source": "Evening Courier"},
        {"id": "short", "title": "Brief", "body": "Too short.", "published": "2025-03-04"},
    ])
    return tmp_path / "src"


def _sigs(ix):
    with ix._ix.searcher() as s:
        r = s.reader()
        sig_of = schema.sig_reader(r)
        return ({f["id"]: sig_of(n) for n, f in r.iter_docs()},
                {f["id"]: "sig" in f for _n, f in r.iter_docs()},
                r.has_column("sig"))


def test_the_signature_is_in_its_column_and_not_stored(tmp_path):
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([_wire(tmp_path)], progress=False)
    sigs, stored, column = _sigs(ix)
    assert column and not any(stored.values())
    assert sigs["short"] is None                      # too few words: no signature
    assert sigs["first"] == sigs["reprint"] or stories.parse(sigs["first"]) is not None
    assert stories.parse(sigs["reprint"]).date > 0
    [v] = ix.same_story("first")
    assert (v["id"], v["relation"]) == ("reprint", "copy")


def test_an_index_with_stored_signatures_is_read_until_a_full_reindex_moves_them(
        tmp_path, monkeypatch):
    src = _wire(tmp_path)
    old = schema.make_schema()
    old.remove("sig")
    old.add("sig", STORED())
    monkeypatch.setattr(core, "make_schema", lambda: old)
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    monkeypatch.undo()
    sigs, stored, column = _sigs(ix)
    assert not column and stored["first"] and stored["reprint"]
    assert stories.parse(sigs["first"]) is not None     # read from the stored fields
    [v] = ix.same_story("first")
    assert (v["id"], v["relation"]) == ("reprint", "copy")

    monkeypatch.setattr(writer, "PARALLEL_ADD_MIN", 2)  # the side segment converts too
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False, full=True)
    moved, stored, column = _sigs(ix)
    assert column and not any(stored.values())
    assert moved == sigs
    [v] = ix.same_story("reprint")
    assert (v["id"], v["relation"]) == ("first", "earliest")


def test_relinked_and_renewed_articles_keep_their_signature(tmp_path):
    """An article rewritten from its stored fields carries its signature over:
    relinked (a curated alias changed its entities) or with its page history
    renewed (an older scrape of its URL turned up)."""
    src = _wire(tmp_path)
    url = "https://news.example/2025/03/05/dockers"
    (src / "new.json").write_text(json.dumps(
        {"url": url, "title": "Dockers vote", "body": BODY.replace("strike", "walkout"),
         "published": "2025-03-05"}), "utf-8")
    os.utime(src / "new.json", (1_700_090_000, 1_700_090_000))
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    before, _, _ = _sigs(ix)
    assert before[url] is not None

    ent = ix.get("first")["entities"][0]
    (src / "aliases.toml").write_text(
        f'[[entity]]\nname = "The Curated Name"\ntype = "{ent["type"]}"\n'
        f'aliases = ["{ent["name"]}"]\n', "utf-8")
    (src / "old.json").write_text(json.dumps(
        {"url": url, "title": "Dockers may vote", "body": BODY, "published": "2025-03-05"}),
        "utf-8")
    os.utime(src / "old.json", (1_700_000_000, 1_700_000_000))
    s = ix.reindex([src], progress=False)
    assert s.relinked >= 2 and s.updated == 1, str(s)       # first, reprint; the URL's history
    assert [h["title"] for h in ix.history(url)] == ["Dockers may vote"]
    after, stored, _ = _sigs(ix)
    assert not any(stored.values())
    assert after == before
    assert {v["id"]: v["relation"] for v in ix.same_story("first")}["reprint"] == "copy"
