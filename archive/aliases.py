"""Corpus-wide alias resolution: which surface forms are one entity.

Every article's mentions (see :mod:`archive.mentions`) are pooled by folded
form.  Forms are then joined with a union-find, strongest evidence first:

1. curated entries (an editor's word; two curated entities never merge);
2. what the text teaches: "Long Name (ACR)", "ACR/ACR2", "X, termed Y",
   "X, which the state refers to as Y";
3. the same country under another name (ISO code: "U.S." and "United States");
4. spelling variants (Pashtun/Pashtoon, singular/plural of a bare group name);
5. person names that differ only by a middle name or an initial
   ("Khawaja Asif", "Khawaja M. Asif", "Khawaja Muhammad Asif") when the
   fuller name is unique in the corpus;
6. an acronym whose letters are the initials of exactly one name in the same
   article ("UN" beside "United Nations"), unless the acronym already stands for
   something else.

A country is a hard boundary: only the names of that country (by the
gazetteer, not by what one article's grouping said) ever join it, so "Japan"
is never absorbed into "Electronic Industries Association of Japan" nor
"Canada" into "Pat Carney of Canada", whatever rule proposes it.

The canonical name of an entity is its most complete form: not an acronym,
not the alternative name ("termed ..."), the most words, then the most
articles, then the longest.  A country's is its everyday name ("United
States", "South Korea").
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from .curated import Curated
from .gazetteer import countries, is_common_word
from .names import fold, is_acronym, is_shouting

_TYPE_ORDER = ("person", "org", "place", "other")


class UnionFind:
    """Union-find over folded forms; a set may carry one curated tag and two
    differently tagged sets are never merged.  A set may also carry a country
    code: it then only ever merges with a set of the same country (or, where an
    editor said so, a curated one)."""

    def __init__(self):
        self.parent: dict[str, str] = {}
        self.tag: dict[str, int] = {}
        self.country: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ta, tb = self.tag.get(ra), self.tag.get(rb)
        if ta is not None and tb is not None and ta != tb:
            return False
        ca, cb = self.country.get(ra), self.country.get(rb)
        if ca != cb and (ca or cb) and ta is None and tb is None:
            return False
        self.parent[rb] = ra
        if ta is None and tb is not None:
            self.tag[ra] = tb
        if ca is None and cb is not None:
            self.country[ra] = cb
        return True


@dataclass
class FormStats:
    """A folded form pooled over the corpus."""

    surfaces: Counter = field(default_factory=Counter)
    n: int = 0
    df: int = 0
    initial: int = 0
    votes: Counter = field(default_factory=Counter)
    code: Optional[str] = None
    secondary: bool = False
    hinted: bool = False
    _surface: Optional[str] = None
    _acronym: Optional[bool] = None

    @property
    def acronym(self) -> bool:
        if self._acronym is None:
            self._acronym = is_acronym(self.surface)
        return self._acronym

    @property
    def surface(self) -> str:
        """The commonest spelling, preferring one not in capitals throughout (cached:
        call it once all articles are pooled)."""
        if self._surface is None:
            if len(self.surfaces) == 1:
                self._surface = next(iter(self.surfaces))
            else:
                self._surface = max(self.surfaces, key=lambda s: (
                    not is_shouting(s.replace(" ", "")), self.surfaces[s], s))
        return self._surface

    def type_guess(self) -> Optional[str]:
        if self.code:
            return "place"
        if not self.votes:
            return None
        return max(_TYPE_ORDER, key=lambda t: (self.votes.get(t, 0), -_TYPE_ORDER.index(t)))


@dataclass
class Entity:
    name: str
    type: str
    forms: list[str]
    display: str


def pool(all_mentions: Iterable[dict]) -> tuple[dict[str, FormStats], list[tuple[str, str, str]]]:
    """Sum every article's forms by folded key; collect the hints (folded)."""
    stats: dict[str, FormStats] = {}
    hints: list[tuple[str, str, str]] = []
    code_of = countries().code_of
    for m in all_mentions:
        if not m:
            continue
        for surface, f in (m.get("forms") or {}).items():
            key = fold(surface)
            if not key:
                continue
            st = stats.get(key)
            if st is None:
                st = stats[key] = FormStats()
            n = int(f.get("n", 1))
            st.surfaces[surface] += n
            st.n += n
            st.df += 1
            st.initial += int(f.get("i", 0))
            # An older extractor let "Pat Carney of Canada" swallow every "Canada" of a
            # story, code and place votes too: a country code on a form that is no name of
            # that country marks such borrowed votes, which are not counted.
            borrowed = bool(f.get("g")) and code_of.get(key.removeprefix("the ")) != f["g"]
            for t, v in (f.get("t") or {}).items():
                if not (borrowed and t == "place"):
                    st.votes[t] += v
            if f.get("g") and st.code is None:
                st.code = f["g"]
        for a, b, kind in m.get("hints") or ():
            hints.append((fold(a), fold(b), kind))
    # Only a country's own names carry its code: mentions stored by an older
    # extractor may have put "CA" on "Pat Carney of Canada".
    for key, st in stats.items():
        if st.code:
            st.code = code_of.get(key.removeprefix("the "))
    return stats, hints


def resolve_groups(stats: dict[str, FormStats], hints: list[tuple[str, str, str]],
                   curated: Curated) -> list[Entity]:
    """Join forms into entities (see the module docstring for the order)."""
    uf = UnionFind()
    ignore = {fold(s) for s in curated.ignore}
    curated_keys: dict[str, int] = {}
    for idx, ce in enumerate(curated.entities):
        keys = [fold(n) for n in ce.names if fold(n)]
        keys = [k for k in keys if k not in curated_keys]
        for k in keys:
            curated_keys[k] = idx
            uf.find(k)
        if keys:
            root = uf.find(keys[0])
            uf.tag[root] = idx
            for k in keys[1:]:
                uf.union(keys[0], k)

    strong = [(a, b, kind) for a, b, kind in hints if kind in ("acronym", "alias")]
    for a, b, kind in strong:
        for k in (a, b):
            if k in stats:
                stats[k].hinted = True
        if kind == "alias" and b in stats and not stats[b].acronym:
            stats[b].secondary = True        # "X, termed Y": Y is the other name

    # Forms that are only ever a bare capitalised word opening a sentence are not names.
    # So is a bare ordinary English word that has nothing else for it: mentions stored by
    # an older extractor still hold "Showers" and "Arrivals".
    keep = {k for k, st in stats.items()
            if k not in ignore and (st.hinted or k in curated_keys or st.acronym or st.votes
                                    or (st.initial < st.n and not (
                                        2 * st.initial >= st.n and " " not in k
                                        and is_common_word(k))))}
    for k in keep:
        uf.find(k)
        if stats[k].code:
            r = uf.find(k)
            uf.country.setdefault(r, stats[k].code)

    # 2. Text-taught aliases.  An acronym defined as several long names keeps the commonest
    #    (and any that share its first and last word).
    defs: dict[str, Counter] = defaultdict(Counter)
    for a, b, kind in strong:
        if a not in keep or b not in keep:
            continue
        if kind == "acronym":
            defs[b][a] += 1
        else:
            uf.union(a, b)
    for acr, longs in defs.items():
        best = longs.most_common(1)[0][0]
        bw = best.split()
        for long in longs:
            lw = long.split()
            if long == best or (lw[0] == bw[0] and lw[-1] == bw[-1]):
                uf.union(long, acr)

    # 3. One country, many names (the union-find keeps every other name out).
    by_code: dict[str, str] = {}
    for k in keep:
        code = stats[k].code
        if code:
            if code in by_code:
                uf.union(by_code[code], k)
            else:
                by_code[code] = k

    # 4. Spelling variants: Pashtun/Pashtoon, Pashtuns/Pashtun.
    by_skel: dict[tuple, str] = {}
    for k in sorted(keep):
        st = stats[k]
        if st.acronym or len(k) < 5:
            continue
        sk = (_skeleton(k), st.type_guess())
        if sk in by_skel:
            uf.union(by_skel[sk], k)
        else:
            by_skel[sk] = k

    # 5. People: same first and last name, one with a middle name or initial.
    persons = [k for k in keep if stats[k].type_guess() == "person" and " " in k]
    by_ends: dict[tuple, list[str]] = defaultdict(list)
    for k in persons:
        w = k.split()
        by_ends[(w[0], w[-1])].append(k)
    for k in keep:
        w = k.split()
        if len(w) < 2 or stats[k].type_guess() not in ("person", None):
            continue
        fuller = [p for p in by_ends.get((w[0], w[-1]), ())
                  if p != k and len(p.split()) >= len(w) and _compatible(w, p.split())]
        longest = [p for p in fuller if len(p.split()) > len(w)]
        roots = {uf.find(p) for p in longest}
        if len(roots) == 1:
            uf.union(longest[0], k)

    # 6. Initials in the same article ("UN" beside "United Nations").
    groups_now: dict[str, list[str]] = defaultdict(list)
    for k in keep:
        groups_now[uf.find(k)].append(k)
    votes: dict[tuple, int] = Counter((a, b) for a, b, kind in hints
                                      if kind == "initials" and a in keep and b in keep)
    for (long, acr), _ in votes.most_common():
        ra, rl = uf.find(acr), uf.find(long)
        if ra == rl:
            continue
        others = [x for x in groups_now[ra] if x != acr and not stats[x].acronym]
        if others:
            continue        # the acronym already stands for something else
        uf.union(long, acr)
        groups_now[uf.find(acr)] = groups_now.pop(ra, []) + groups_now.pop(rl, [])

    # Build entities.
    members: dict[str, list[str]] = defaultdict(list)
    for k in keep:
        members[uf.find(k)].append(k)
    for k, idx in curated_keys.items():
        r = uf.find(k)
        if k not in members[r]:
            members[r].append(k)
    entities = []
    for root, keys in members.items():
        tag = uf.tag.get(root)
        ce = curated.entities[tag] if tag is not None else None
        entities.append(_entity(keys, stats, ce))
    return entities


def _entity(keys: list[str], stats: dict[str, FormStats], ce) -> Entity:
    present = [k for k in keys if k in stats]
    votes: Counter = Counter()
    code = None
    for k in present:
        votes.update(stats[k].votes)
        code = code or stats[k].code
    if ce is not None:
        name = ce.name
    elif code:
        name = countries().display[code]
    else:
        best = max(present, key=lambda k: (not stats[k].acronym, not stats[k].secondary,
                                           len(re.split(r"[\s]+", k)), stats[k].df,
                                           stats[k].n, len(k), k))
        name = stats[best].surface
    if ce is not None and ce.type:
        typ = ce.type
    elif code:
        typ = "place"
    elif votes:
        typ = max(_TYPE_ORDER, key=lambda t: (votes.get(t, 0), -_TYPE_ORDER.index(t)))
        if votes[typ] <= 0:
            typ = "other"
    else:
        typ = "other"
    forms: list[str] = []
    for k in keys:
        if k in stats:
            forms.extend(s for s, _ in stats[k].surfaces.most_common())
        elif ce is not None:
            forms.extend(n for n in ce.names if fold(n) == k)
    if code and typ == "place":
        # Filtering by "Turkey" finds the articles that say "Türkiye".
        forms.extend(countries().names[code])
    forms = list(dict.fromkeys([name, *forms]))
    display = name
    if not is_acronym(name):
        acrs = sorted((k for k in present if stats[k].acronym and typ != "place"),
                      key=lambda k: (-stats[k].n, k))
        if acrs:
            display = f"{name} ({stats[acrs[0]].surface})"
    return Entity(name, typ, forms, display)


def _skeleton(key: str) -> str:
    """Spelling-insensitive key: Pashtoon ~ Pashtun, Pashtuns ~ Pashtun."""
    s = re.sub(r"[^a-z ]", "", key)
    s = s.replace("oo", "u").replace("ee", "i").replace("ou", "u")
    s = re.sub(r"(.)\1+", r"\1", s)
    if len(s) > 5 and s.endswith("s") and " " not in s:
        s = s[:-1]
    return s


def _compatible(short: list[str], long: list[str]) -> bool:
    """["khawaja", "m", "asif"] fits ["khawaja", "muhammad", "asif"]; middle words
    of the shorter name, in order, must be words or initials of the longer one."""
    mids = iter(long[1:-1])
    for w in short[1:-1]:
        for m in mids:
            if m == w or (len(w) == 1 and m.startswith(w)):
                break
        else:
            return False
    return True
