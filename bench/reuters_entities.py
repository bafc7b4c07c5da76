"""How well the model-free entity stage finds Reuters-21578's hand-made tags.

Every story carries PLACES, PEOPLE and ORGS tags as lower-case codes
('usa', 'west-germany', 'volcker', 'james-baker', 'opec', 'worldbank').  For
each tag we ask: is there an extracted entity in that story that is this tag?
(places and orgs: the tag's name resolves to one of the story's entities;
people: a story entity whose name contains the tag's words, the surname last).
"Typed" recall also demands the right type.  Printed: recall by type,
entities per article, and time per article for extraction and resolution.

    .venv/bin/python -m bench.reuters_entities [--limit N]
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

import pycountry

from archive.article import Article
from archive.entities import build_resolver, extract_mentions
from archive.names import fold
from bench.reuters_data import iter_stories

_PLACE_NAMES = {"usa": "United States", "uk": "United Kingdom", "ussr": "USSR", "uae": "UAE",
                "west-germany": "West Germany", "east-germany": "East Germany",
                "south-korea": "South Korea", "north-korea": "North Korea",
                "hong-kong": "Hong Kong", "ivory-coast": "Ivory Coast", "taiwan": "Taiwan",
                "china": "China", "iran": "Iran", "zaire": "Zaire", "burma": "Burma"}
_ORG_NAMES = {"worldbank": "World Bank", "ec": "EC", "un": "UN", "ico-coffee": "ICO",
              "ico-cocoa": "ICCO", "eib": "EIB", "adb-asia": "ADB", "adb-africa": "ADB",
              "iadb": "IADB", "imf": "IMF", "opec": "OPEC", "gatt": "GATT", "oecd": "OECD",
              "fao": "FAO", "cftc": "CFTC", "sec": "SEC", "nasdaq": "NASDAQ", "nyse": "NYSE",
              "ecsc": "ECSC", "comecon": "Comecon", "asean": "ASEAN"}
_EXPECTED = {"places": "place", "people": "person", "orgs": "org"}


def place_names(code: str) -> list[str]:
    """'west-germany' -> ['West Germany'], 'usa' -> ['United States', ...] via pycountry."""
    name = _PLACE_NAMES.get(code, code.replace("-", " ").title())
    names = [name]
    try:
        c = pycountry.countries.lookup(name)
        names += [getattr(c, "common_name", None) or c.name, c.name]
    except LookupError:
        pass
    return names


def org_names(code: str) -> list[str]:
    return [_ORG_NAMES.get(code, code.replace("-", " ").upper()), code.replace("-", " ")]


def found(kind: str, code: str, entities, resolver) -> tuple[bool, bool]:
    """(found at all, found with the expected type) for one tag in one story."""
    by_name = {e.name: e for e in entities}
    if kind == "people":
        words = fold(code).replace("-", " ").split()
        hits = []
        for e in entities:
            ew = set(fold(e.name).replace("-", " ").split()) | {
                w for f in e.forms for w in fold(f).replace("-", " ").split()}
            if words[-1] in ew and all(w in ew for w in words):
                hits.append(e)
        return bool(hits), any(e.type == "person" for e in hits)
    names = place_names(code) if kind == "places" else org_names(code)
    hits = []
    for n in names:
        r = resolver.resolve(n)
        if r and r[0] in by_name:
            hits.append(by_name[r[0]])
        hits += [e for e in entities if fold(n) in {fold(f) for f in e.forms}]
    return bool(hits), any(e.type == _EXPECTED[kind] for e in hits)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N stories only")
    args = ap.parse_args(argv)

    stories = list(iter_stories(limit=args.limit))
    extract_mentions(Article("warm-up", "", "Warm Up", "The gazetteer loads once."))
    t0 = time.perf_counter()
    mentions, per = [], []
    words = 0
    for s in stories:
        a = Article(s["id"], "", s["title"], s["body"], dateline=s["dateline"] or None)
        t = time.perf_counter()
        mentions.append(extract_mentions(a))
        per.append(time.perf_counter() - t)
        words += len(s["body"].split())
    t_extract = time.perf_counter() - t0
    t = time.perf_counter()
    resolver = build_resolver(mentions)
    t_resolve = time.perf_counter() - t
    t = time.perf_counter()
    ents = [resolver.apply(m) for m in mentions]
    t_apply = time.perf_counter() - t

    total, any_hit, typed = Counter(), Counter(), Counter()
    for s, es in zip(stories, ents):
        for kind in ("places", "people", "orgs"):
            for code in s[kind]:
                f, ft = found(kind, code, es, resolver)
                total[kind] += 1
                any_hit[kind] += f
                typed[kind] += ft
    n = len(stories)
    print(f"stories: {n}  (mean {words / n:.0f} words)")
    print(f"{'tag':<8}{'tags':>8}{'recall':>9}{'typed':>9}")
    for kind in ("places", "people", "orgs"):
        if total[kind]:
            print(f"{kind:<8}{total[kind]:>8}{any_hit[kind] / total[kind]:>9.1%}"
                  f"{typed[kind] / total[kind]:>9.1%}")
    per_type = Counter(e.type for es in ents for e in es)
    print(f"entities per article: {sum(map(len, ents)) / n:.1f}  ("
          + ", ".join(f"{k} {per_type[k] / n:.1f}" for k in ("person", "org", "place", "other"))
          + ")")
    print(f"distinct entities: {len(resolver)}")
    ms = sorted(x * 1000 for x in per)
    print(f"extract_mentions: {t_extract / n * 1000:.2f} ms/article mean, "
          f"median {statistics.median(ms):.2f}, p99 {ms[int(0.99 * (len(ms) - 1))]:.2f}, "
          f"max {ms[-1]:.1f}; {words / t_extract / 1000 * 700 / 700:.0f}k words/s")
    print(f"build_resolver: {t_resolve:.2f} s over {n} articles; apply: "
          f"{t_apply / n * 1000:.3f} ms/article")


if __name__ == "__main__":
    main()
