"""Helpers shared by the index and CLI tests (not a test module)."""
from __future__ import annotations

import json
import os
from pathlib import Path


def all_ids(result) -> set:
    """Every article a search result stands for (hits plus their same-story versions)."""
    out = set()
    for h in result.hits:
        out.add(h.id)
        out.update(h.same_story)
    return out


def write_jsonl(path: Path, records, mtime=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def write_wire(path: Path, n: int, seed: int, id_prefix: str = "") -> Path:
    """``n`` synthetic wire stories (``archive.synthetic``) as one JSONL file;
    ``id_prefix`` gives them ids of their own (the generator's ids repeat
    across seeds)."""
    from archive.synthetic import stories as wire
    keys = ("title", "body", "published", "source")
    return write_jsonl(path, [{"id": id_prefix + s["id"], **{k: s[k] for k in keys}}
                              for s in wire(n, seed=seed)])


#: one wire story's body, run by two outlets in the story and article-shape tests
DOCKERS_BODY = (
    "Dock workers at the northern container terminal voted on Monday to end a nine-day "
    "strike after the port authority offered a 4.5 percent pay rise and a review of night "
    "shifts, union officials said. About 2,300 workers had walked out, leaving more than "
    "forty ships waiting at anchor and delaying grain and fertiliser cargoes. The authority "
    "said loading would resume on the first shift and the backlog would be cleared within "
    "ten days. \"Nobody wins a strike like this,\" said Irene Valdane, who leads the dockers' "
    "union. Shipping agents said freight rates had doubled during the stoppage.")


#: a small dated corpus with known answers for filter/sort tests
DATED = [
    {"id": "d1", "title": "Wheat harvest begins early", "published": "2024-12-31",
     "source": "Farm Daily", "body": "The wheat harvest began early this year in the plains. " * 3},
    {"id": "d2", "title": "Rain delays wheat sowing", "published": "2025-01-01",
     "source": "Farm Daily", "body": "Heavy rain delayed the sowing of wheat across the north. " * 3},
    {"id": "d3", "title": "Wheat prices climb", "published": "2025-01-31",
     "source": "Market Wire", "body": "Wheat prices climbed on commodity exchanges on Friday. " * 3},
    {"id": "d4", "title": "Port strike ends", "published": "2025-02-01",
     "source": "Market Wire", "body": "Dock workers ended their strike after a new pay deal. " * 3},
    {"id": "d5", "title": "Wheat exports resume", "published": "2025-11-15",
     "source": "Market Wire", "body": "Wheat exports resumed from the southern ports in November. " * 3},
    {"id": "d6", "title": "Undated wheat note", "published": None,
     "source": "Farm Daily", "body": "An undated note about wheat storage and silos on farms. " * 3},
]


def search_outcome(ix, *args, **kwargs):
    """``ix.search(...)``, or -- for a malformed query, which the library raises
    as ``index.QueryError`` -- an empty ``SearchResult`` carrying its message
    (what the CLI prints and the web shows).  Any other exception propagates."""
    import index
    try:
        return ix.search(*args, **kwargs)
    except index.QueryError as e:
        return index.SearchResult(query=str(args[0] if args else kwargs.get("query", "")),
                                  error=str(e))
