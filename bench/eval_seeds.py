"""The seed gold (``../shared/gold/seeds.json``) in full, as `make eval` checks it.

``make test`` checks the same seeds against the project's own restatement
(tests/seed_expectations.py); this reads the gold file itself, so a gold
entry the restatement left out still counts.  Figures: the share of gold
checks that hold (loader: drop/keep/once/title/dateline/published; entities:
groups resolve to one entity of the article, junk never an entity, with and
without corpus/aliases.toml; across: an entity filter by any TTP name finds
all five seeds).  The floor is 1.0: the seeds must hold entirely.
"""
from __future__ import annotations

import json
import tempfile

import archive
from archive.names import fold
from bench.evalkit import ROOT, shared

CORPUS = ROOT / "corpus"


def _loader_checks(g: dict, a) -> list[tuple[str, bool]]:
    out = [(f"drop {s!r}", s not in a.body) for s in g["drop"]]
    out += [(f"keep {s!r}", s in a.body) for s in g["keep"]]
    out += [(f"once {s!r}", a.body.count(s) == 1) for s in g["once"]]
    out.append(("dateline", a.dateline == g["dateline"]))
    if g["title"] is not None:
        out.append(("title", a.title == g["title"]))
    if "published" in g:
        out.append(("published", a.published == g["published"]))
    return out


def _entity_checks(g: dict, a, resolver) -> list[tuple[str, bool]]:
    names = {e.name for e in a.entities}
    forms = {fold(f) for e in a.entities for f in e.forms} | {fold(n) for n in names}
    out = []
    for group in g["entities"]:
        resolved = {resolver.resolve(f) for f in group}
        ok = None not in resolved and len(resolved) == 1 and next(iter(resolved))[0] in names
        out.append((f"entity group {group}", ok))
    for junk in g["junk"]:
        out.append((f"junk {junk!r}", fold(junk) not in forms and resolver.resolve(junk) is None))
    return out


def evaluate(check) -> None:
    gold = json.loads(shared("gold", "seeds.json").read_text("utf-8"))["articles"]
    results: dict[str, list] = {"loader": [], "entities curated": [], "entities learned": []}
    for mode, toml in (("curated", CORPUS / "aliases.toml"), ("learned", None)):
        arts = [a for a in archive.load_paths([CORPUS]) if isinstance(a, archive.Article)]
        resolver = archive.annotate(arts, toml)
        by_file = {a.id.split("/")[-1]: a for a in arts}
        for fname, g in gold.items():
            a = by_file.get(fname)
            if a is None:
                results[f"entities {mode}"].append((f"{fname} not loaded", False))
                continue
            if mode == "curated":
                results["loader"] += [(f"{fname} {n}", ok) for n, ok in _loader_checks(g, a)]
            results[f"entities {mode}"] += [(f"{fname} {n}", ok)
                                            for n, ok in _entity_checks(g, a, resolver)]
    import index
    with tempfile.TemporaryDirectory() as tmp:
        ix = index.open_index(tmp)
        ix.reindex([CORPUS], progress=False)
        across = [(f"entity filter {n!r} finds all five", ix.search("", entities=[n]).total == 5)
                  for n in ("TTP", "Fitna-al-Khawarij", "Tehreek-e-Taliban Pakistan")]
        ix.close()
    results["across"] = across
    for part, items in results.items():
        held = sum(ok for _, ok in items)
        for name, ok in items:
            if not ok:
                print(f"    does not hold: {name}")
        check(f"seeds: {part} ({held}/{len(items)})", held / max(1, len(items)), 1.0)
