"""Reuters-21578 in `make eval`: every story loads, and entity tag recall holds.

Loading: the 19,043 stories with a body go through the archive's own loader
as JSONL (the format users export); each must load, keep its date from
metadata, and keep its paragraphs (wrapped lines joined, indented lines
starting a paragraph).  Entities: recall of the hand-made PLACES/PEOPLE/ORGS
tags over the tags the story names (see bench/reuters_entities.py); the
floors keep it from falling.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from archive import Article
from archive.load import load_file
from bench import reuters_entities
from bench.reuters_data import iter_stories, write_jsonl

#: floors just under the figures measured when they were set (they only move up)
FLOORS = {
    "places recall, named tags": 0.83,
    "people recall, named tags": 0.975,
    "people typed recall, named tags": 0.935,
    "orgs recall, named tags": 0.93,
}


def _loading(check) -> None:
    stories = list(iter_stories())
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_jsonl(stories, Path(tmp), per_file=5000)
        # a JSONL record's id is its own "id" field (the contract), so the
        # story id names the article
        by_id = {r.id.rsplit("/", 1)[-1]: r for p in paths for r in load_file(p, Path(tmp))
                 if isinstance(r, Article)}
    loaded = sum(1 for s in stories if s["id"] in by_id)
    dated = sum(1 for s in stories if s["id"] in by_id and s["published"]
                and by_id[s["id"]].published == s["published"])
    paragraphs = sum(1 for s in stories if s["id"] in by_id
                     and all("\n" not in p for p in by_id[s["id"]].body.split("\n\n")))
    n = len(stories)
    print(f"  {n} stories; loaded {loaded}, date kept {dated}, paragraphs sound {paragraphs}")
    check("reuters: share of stories loaded", loaded / n, 1.0)
    check("reuters: share with the metadata date", dated / sum(1 for s in stories if s["published"]),
          0.999)
    check("reuters: share with sound paragraphs", paragraphs / n, 0.999)


def evaluate(check) -> None:
    _loading(check)
    figures = reuters_entities.main(["--top", "0"])
    for name, floor in FLOORS.items():
        check(f"reuters: {name}", figures[name], floor)
