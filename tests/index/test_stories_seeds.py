"""The contract's ``stories`` figure of a search on the seeds: the five seeds
form three story groups (the Foreign Office statement told by 000, 001 and
003; the briefings 002 and 004 alone), in the library, CLI ``--json`` and
``/api/search`` alike."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import index

SEEDS = ["corpus/000_059658d8d1ad82e8.txt", "corpus/001_e6784222def0b975.txt",
         "corpus/002_87aeffe32afe1305.txt", "corpus/003_c6473db4c8a03bd4.txt",
         "corpus/004_efd84228dc31cb02.txt"]


def test_browse_counts_articles_and_story_groups(seeds_ix):
    r = seeds_ix.search("")
    assert (r.total, r.stories) == (5, 3)
    d = r.to_dict()
    assert list(d)[:3] == ["query", "total", "stories"]
    assert (d["total"], d["stories"]) == (5, 3)
    assert len(d["hits"]) == 3
    groups = sorted(sorted([h["id"], *h["same_story"]]) for h in d["hits"])
    assert groups == [sorted([SEEDS[0], SEEDS[1], SEEDS[3]]), [SEEDS[2]], [SEEDS[4]]]


def test_a_filtered_search_counts_its_own_groups(seeds_ix):
    r = seeds_ix.search("", entities=["TTP"])
    assert r.total == 5 and r.stories == 3
    r = seeds_ix.search("nonexistentwordzzz")
    assert (r.total, r.stories) == (0, 0)
    with pytest.raises(index.QueryError):                        # malformed: no figures
        seeds_ix.search("((")


def test_cli_json_and_api_show_stories(seeds_ix):
    folder = Path(seeds_ix.path)
    exe = Path(sys.executable).with_name("newsarchive")
    out = subprocess.run([str(exe), "search", "", "--json", "--index", str(folder)],
                         capture_output=True, text=True, check=True).stdout
    assert (json.loads(out)["total"], json.loads(out)["stories"]) == (5, 3)
    from web.app import create_app
    client = create_app(folder, testing=True).test_client()
    d = client.get("/api/search?q=").get_json()
    assert (d["total"], d["stories"]) == (5, 3)
