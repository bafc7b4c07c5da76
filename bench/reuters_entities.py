"""How well the model-free entity stage finds Reuters-21578's hand-made tags.

Every story carries PLACES, PEOPLE and ORGS tags as lower-case codes
('usa', 'west-germany', 'volcker', 'james-baker', 'opec', 'worldbank').  For
each tag we ask: is there an extracted entity in that story that is this tag?
(places and orgs: the tag's name resolves to one of the story's entities;
people: a story entity whose name contains the tag's words, the surname last).
"Typed" recall also demands the right type.

Recall is printed twice.  Reuters' tags are often implicit -- a Houston story
is tagged 'usa' without naming the country, a commodity story 'ec' because the
desk knew -- so recall "over all tags" mixes extraction with world knowledge.
"Over named tags" counts only tags whose name, or a known alias ('U.S.' for
usa, 'EEC' for ec, the surname for a person), occurs in the story's text: that
is what an extractor can be judged on.

Precision has no gold here, so two proxies are printed: the top entities of
each type by document frequency (a person can tell at a glance whether they
are real) and the share of entities that are a single ordinary English word
("Showers", "Banking"), which are almost always noise.

By default the stories go through the archive's own loader (as JSONL in a
temporary folder), exactly as the indexer sees them; ``--raw`` feeds the SGML
text and DATELINE field straight in instead.

    .venv/bin/python -m bench.reuters_entities [--limit N] [--top 30] [--raw]
"""
from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import pycountry

import archive
from archive.article import Article
from archive.entities import build_resolver, extract_mentions
from archive.gazetteer import countries, gazetteer, is_common_word
from archive.names import fold, is_acronym
from bench.reuters_data import iter_stories, write_jsonl

_PLACE_NAMES = {"usa": "United States", "uk": "United Kingdom", "ussr": "USSR", "uae": "UAE",
                "west-germany": "West Germany", "east-germany": "East Germany",
                "south-korea": "South Korea", "north-korea": "North Korea",
                "hong-kong": "Hong Kong", "ivory-coast": "Ivory Coast", "taiwan": "Taiwan",
                "china": "China", "iran": "Iran", "zaire": "Zaire", "burma": "Burma"}
#: Other names a place tag goes by in 1987 copy.
_PLACE_ALIASES = {"ussr": ["Soviet Union", "Soviet", "Soviets", "Moscow"],
                  "west-germany": ["Bonn", "Germany", "German"], "uk": ["Britain", "British"]}
_ORG_NAMES = {"worldbank": "World Bank", "ec": "EC", "un": "UN", "ico-coffee": "ICO",
              "ico-cocoa": "ICCO", "eib": "EIB", "adb-asia": "ADB", "adb-africa": "ADB",
              "iadb": "IADB", "imf": "IMF", "opec": "OPEC", "gatt": "GATT", "oecd": "OECD",
              "fao": "FAO", "cftc": "CFTC", "sec": "SEC", "nasdaq": "NASDAQ", "nyse": "NYSE",
              "ecsc": "ECSC", "comecon": "Comecon", "asean": "ASEAN"}
#: Spelled-out names of the org tags, for "is it named in the text".
_ORG_ALIASES = {"ec": ["European Community", "EEC", "European Economic Community", "Common Market"],
                "imf": ["International Monetary Fund"], "worldbank": ["World Bank"],
                "opec": ["Organization of Petroleum Exporting Countries"],
                "gatt": ["General Agreement on Tariffs and Trade"],
                "oecd": ["Organisation for Economic Co-operation and Development",
                         "Organization for Economic Cooperation and Development"],
                "un": ["United Nations", "U.N."], "fao": ["Food and Agriculture Organization"],
                "cftc": ["Commodity Futures Trading Commission"],
                "sec": ["Securities and Exchange Commission"],
                "nyse": ["New York Stock Exchange"], "ico-coffee": ["International Coffee Organization"],
                "ico-cocoa": ["International Cocoa Organization"],
                "eib": ["European Investment Bank"], "adb-asia": ["Asian Development Bank"],
                "adb-africa": ["African Development Bank"],
                "iadb": ["Inter-American Development Bank", "IDB"],
                "asean": ["Association of Southeast Asian Nations"],
                "comecon": ["Council for Mutual Economic Assistance", "CMEA"]}
_EXPECTED = {"places": "place", "people": "person", "orgs": "org"}
_KINDS = ("places", "people", "orgs")
_TYPES = ("person", "org", "place", "other")


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


def tag_aliases(kind: str, code: str) -> list[str]:
    """Every way the text may name the tag (for "named" recall)."""
    if kind == "people":
        return [code.replace("-", " ").split()[-1]]          # the surname
    if kind == "orgs":
        return org_names(code)[:1] + _ORG_ALIASES.get(code, [])
    names = place_names(code) + _PLACE_ALIASES.get(code, [])
    table = countries()
    for n in list(names):
        cc = table.code(n)
        if cc:
            names += table.names[cc]
    return names


def named_in(text: str, aliases: list[str]) -> bool:
    """An alias occurs as a whole word: case-sensitive for acronyms ("EC" is not "ec")."""
    for a in aliases:
        flags = 0 if is_acronym(a) else re.I
        if re.search(rf"(?<![\w.]){re.escape(a)}(?![\w])", text, flags):
            return True
    return False


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
    return bool(hits), any(e.type == _EXPECTED[kind] for e in hits)


def load_articles(stories: list[dict], raw: bool) -> list[Article]:
    """The stories as the indexer sees them (through the loader), or raw."""
    if raw:
        return [Article(s["id"], "", s["title"], s["body"], dateline=s["dateline"] or None)
                for s in stories]
    with tempfile.TemporaryDirectory(prefix="reuters-ent-") as tmp:
        write_jsonl(stories, Path(tmp))
        by_id = {a.id: a for a in archive.load_paths([tmp]) if isinstance(a, Article)}
    return [by_id[s["id"]] for s in stories if s["id"] in by_id]


def is_dictionary_word(name: str) -> bool:
    """A single ordinary English word that is no place ("Showers", "Banking")."""
    return (" " not in name and "-" not in name and not is_acronym(name)
            and is_common_word(name) and gazetteer().place(name) is None)


def main(argv=None) -> dict:
    """Print the figures; return them (recall by kind, all and named tags) for `make eval`."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N stories only")
    ap.add_argument("--top", type=int, default=30, help="list the top N entities per type (0: none)")
    ap.add_argument("--raw", action="store_true", help="SGML text and DATELINE, not the loader")
    args = ap.parse_args(argv)

    stories = list(iter_stories(limit=args.limit))
    t = time.perf_counter()
    articles = load_articles(stories, args.raw)
    t_load = time.perf_counter() - t
    story_of = {s["id"]: s for s in stories}
    extract_mentions(Article("warm-up", "", "Warm Up", "Showers fell. The gazetteer loads once."))
    t0 = time.perf_counter()
    mentions, per = [], []
    words = 0
    for a in articles:
        t = time.perf_counter()
        mentions.append(extract_mentions(a))
        per.append(time.perf_counter() - t)
        words += len(a.body.split())
    t_extract = time.perf_counter() - t0
    t = time.perf_counter()
    resolver = build_resolver(mentions)
    t_resolve = time.perf_counter() - t
    t = time.perf_counter()
    ents = [resolver.apply(m) for m in mentions]
    t_apply = time.perf_counter() - t

    total, any_hit, typed = Counter(), Counter(), Counter()
    ntotal, nany, ntyped = Counter(), Counter(), Counter()
    for a, es in zip(articles, ents):
        s = story_of[a.id]
        text = f"{a.title}\n{a.body}"
        for kind in _KINDS:
            for code in s[kind]:
                f, ft = found(kind, code, es, resolver)
                total[kind] += 1
                any_hit[kind] += f
                typed[kind] += ft
                if named_in(text, tag_aliases(kind, code)):
                    ntotal[kind] += 1
                    nany[kind] += f
                    ntyped[kind] += ft
    n = len(articles)
    print(f"stories: {n}  (mean {words / n:.0f} words; "
          f"{'raw SGML + DATELINE' if args.raw else 'through the loader, as indexed'}; "
          f"load {t_load:.1f} s)")
    print(f"{'tag':<8}{'all tags':>9}{'recall':>8}{'typed':>8}   {'named tags':>10}{'recall':>8}"
          f"{'typed':>8}")
    for kind in _KINDS:
        if total[kind]:
            nt = max(ntotal[kind], 1)
            print(f"{kind:<8}{total[kind]:>9}{any_hit[kind] / total[kind]:>8.1%}"
                  f"{typed[kind] / total[kind]:>8.1%}   {ntotal[kind]:>10}{nany[kind] / nt:>8.1%}"
                  f"{ntyped[kind] / nt:>8.1%}")
    per_type = Counter(e.type for es in ents for e in es)
    n_ent = sum(map(len, ents))
    print(f"entities per article: {n_ent / n:.1f}  ("
          + ", ".join(f"{k} {per_type[k] / n:.1f}" for k in _TYPES) + ")")
    print(f"distinct entities: {len(resolver)}")
    dict_pairs = sum(is_dictionary_word(e.name) for es in ents for e in es)
    dict_names = sum(is_dictionary_word(name) for name in resolver.entities)
    print(f"single ordinary English words: {dict_pairs / max(n_ent, 1):.1%} of article entities, "
          f"{dict_names / max(len(resolver), 1):.1%} of distinct entities")
    ms = sorted(x * 1000 for x in per)
    print(f"extract_mentions: {t_extract / n * 1000:.2f} ms/article mean, "
          f"median {statistics.median(ms):.2f}, p99 {ms[int(0.99 * (len(ms) - 1))]:.2f}, "
          f"max {ms[-1]:.1f}; {words / t_extract / 1000:.0f}k words/s")
    print(f"build_resolver: {t_resolve:.2f} s over {n} articles; apply: "
          f"{t_apply / n * 1000:.3f} ms/article")
    figures = {"stories": n, "words_per_s": words / t_extract}
    for kind in _KINDS:
        figures[f"{kind} recall, named tags"] = nany[kind] / max(ntotal[kind], 1)
        figures[f"{kind} typed recall, named tags"] = ntyped[kind] / max(ntotal[kind], 1)
        figures[f"{kind} recall, all tags"] = any_hit[kind] / max(total[kind], 1)
    if args.top:
        df: dict[str, Counter] = {t: Counter() for t in _TYPES}
        for es in ents:
            for e in es:
                df[e.type][e.name] += 1
        for typ in _TYPES:
            top = df[typ].most_common(args.top)
            print(f"\ntop {typ} by articles: " + ", ".join(f"{name} ({c})" for name, c in top))
    return figures


if __name__ == "__main__":
    main()
