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

Evidence is required and kept.  Every join records why (:class:`Evidence`:
the rule, and the article id and sentence that taught it, or the curated
file and entry), and the resolver stores it.  Text-taught aliases apply
across the archive only when nothing contradicts them: two names that each
stand on their own -- each seen in several articles without the other -- are
not joined on the word of one article or two (an editor's ``aliases.toml``
still can).  ``distinct`` pairs of the curated file are never joined, by any
rule.  A bare surname joins a person only where articles resolved it to that
person and to no other.

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

from .abbrev import fits as _fits
from .curated import Curated
from .gazetteer import countries, is_common_word
from .names import fold, is_acronym, is_shouting

#: A name seen in at least this many articles without the other "stands on its own".
STANDALONE_DF = 3
#: ... and then a text-taught alias needs at least this share of those articles to teach it.
STANDALONE_TAUGHT = 0.2


@dataclass(frozen=True)
class Evidence:
    """Why two forms are one entity: a rule and where it was seen."""

    rule: str
    article: Optional[str] = None
    sentence: Optional[str] = None
    curated: Optional[dict] = None       # {"file": ..., "entry": ...}

    def to_dict(self) -> dict:
        return {"rule": self.rule, "article": self.article, "sentence": self.sentence,
                "curated": dict(self.curated) if self.curated else None}

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
        #: root -> {2*i + side} for the curated ``distinct`` pairs its forms belong to
        self.block: dict[str, set] = {}
        #: every successful join with its evidence: (a, b, Evidence)
        self.edges: list = []

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str, ev: Optional[Evidence] = None) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ba, bb = self.block.get(ra), self.block.get(rb)
        if ba and bb and any((x ^ 1) in bb for x in ba):
            return False         # aliases.toml: these names are never one entity
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
        if bb:
            self.block[ra] = (ba or set()) | self.block.pop(rb)
        if ev is not None:
            self.edges.append((a, b, ev))
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
    #: indices of the articles the form is in (for "stands on its own")
    docs: list = field(default_factory=list)
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
    #: one dict per form joined to the entity: form, rule, article, sentence, curated
    evidence: list = field(default_factory=list)


@dataclass(frozen=True)
class Hint:
    """An alias one article teaches (folded forms)."""

    a: str
    b: str
    kind: str
    doc: int = -1
    article: Optional[str] = None
    sentence: Optional[str] = None
    #: the second form as the article wrote it
    b_surface: Optional[str] = None


def pool(all_mentions: Iterable[dict]) -> tuple[dict[str, FormStats], list[Hint]]:
    """Sum every article's forms by folded key; collect the hints (folded)."""
    stats: dict[str, FormStats] = {}
    hints: list[Hint] = []
    code_of = countries().code_of
    for doc, m in enumerate(all_mentions):
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
            st.docs.append(doc)
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
        art = m.get("id")
        for h in m.get("hints") or ():
            if len(h) < 3:
                continue
            hints.append(Hint(fold(h[0]), fold(h[1]), h[2], doc, art if isinstance(art, str) else None,
                              h[3] if len(h) > 3 and isinstance(h[3], str) else None, h[1]))
    # Only a country's own names carry its code: mentions stored by an older
    # extractor may have put "CA" on "Pat Carney of Canada".
    for key, st in stats.items():
        if st.code:
            st.code = code_of.get(key.removeprefix("the "))
    return stats, hints


def resolve_groups(stats: dict[str, FormStats], hints: list,
                   curated: Curated) -> list[Entity]:
    """Join forms into entities (see the module docstring for the order)."""
    hints = [h if isinstance(h, Hint) else Hint(*h) for h in hints]
    uf = UnionFind()
    ignore = {fold(s) for s in curated.ignore}
    curated_keys: dict[str, int] = {}
    # distinct pairs first: they bind every later rule, curated entries included
    for i, (x, y) in enumerate(curated.distinct):
        for side, name in ((0, x), (1, y)):
            k = fold(name)
            if k:
                uf.block.setdefault(uf.find(k), set()).add(2 * i + side)
    for idx, ce in enumerate(curated.entities):
        keys = [fold(n) for n in ce.names if fold(n)]
        keys = [k for k in keys if k not in curated_keys]
        for k in keys:
            curated_keys[k] = idx
            uf.find(k)
        if keys:
            ev = Evidence("curated", curated={"file": ce.source or curated.source, "entry": ce.entry})
            root = uf.find(keys[0])
            if root not in uf.tag:
                uf.tag[root] = idx
            for k in keys[1:]:
                uf.union(keys[0], k, ev)

    strong = [h for h in hints if h.kind in ("acronym", "alias", "slash")]
    for h in strong:
        for k in (h.a, h.b):
            if k in stats:
                stats[k].hinted = True
        if h.kind == "alias" and h.b in stats and not stats[h.b].acronym:
            stats[h.b].secondary = True        # "X, termed Y": Y is the other name

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

    # 2. Text-taught aliases, each checked against the rest of the archive.  An acronym
    #    defined as several long names keeps the commonest (and any that share its first
    #    and last word).
    taught: dict[tuple, list[Hint]] = defaultdict(list)
    for h in strong:
        if h.a in keep and h.b in keep and h.a != h.b:
            if h.kind == "acronym" and not _fits(stats[h.b].surface, stats[h.a].surface):
                continue         # stored by an older extractor: letters must fit
            taught[(h.a, h.b, h.kind)].append(h)
    defs: dict[str, Counter] = defaultdict(Counter)
    first_hint: dict[tuple, Hint] = {}
    for (a, b, kind), hs in taught.items():
        # Only letters that fit may outweigh names standing alone: "X, known as Y" and
        # "X/Y" never join two names that each stand on their own.
        if _contradicted(stats[a], stats[b], len({h.doc for h in hs}) if kind == "acronym" else 0):
            continue
        first_hint[(a, b)] = hs[0]
        if kind == "acronym":
            defs[b][a] += len(hs)
        else:
            uf.union(a, b, _text_evidence(kind, hs[0]))
    for acr, longs in defs.items():
        best = longs.most_common(1)[0][0]
        bw = best.split()
        for long in longs:
            lw = long.split()
            if long == best or (lw[0] == bw[0] and lw[-1] == bw[-1]):
                uf.union(long, acr, _text_evidence("acronym", first_hint[(long, acr)]))

    # 3. One country, many names (the union-find keeps every other name out).
    by_code: dict[str, str] = {}
    for k in sorted(keep):
        code = stats[k].code
        if code:
            if code in by_code:
                uf.union(by_code[code], k, Evidence("country"))
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
            if st.type_guess() == "person" and k.split()[0] != by_skel[sk].split()[0]:
                continue     # two people: "Jon Smyth" and "John Smith" share a skeleton
            uf.union(by_skel[sk], k, Evidence("spelling"))
        else:
            by_skel[sk] = k

    # 5. People: same first and last name, one with a middle name or initial that does
    #    not conflict ("George W." never joins "George H. W.").
    persons = [k for k in keep if stats[k].type_guess() == "person" and " " in k]
    by_ends: dict[tuple, list[str]] = defaultdict(list)
    for k in persons:
        w = k.split()
        by_ends[(w[0], w[-1])].append(k)
    for k in sorted(keep):
        w = k.split()
        if len(w) < 2 or stats[k].type_guess() not in ("person", None):
            continue
        fuller = [p for p in by_ends.get((w[0], w[-1]), ())
                  if p != k and len(p.split()) >= len(w) and _compatible(w, p.split())]
        roots = {uf.find(p) for p in fuller}
        if len(roots) == 1:
            uf.union(fuller[0], k, Evidence("person-variant"))

    # 5b. A bare surname: articles that also gave the full name resolved it there
    #     ("surname" hints); across the archive it joins that person only when every
    #     such article chose the same one.
    by_last: dict[str, list[str]] = defaultdict(list)
    for p in persons:
        by_last[p.split()[-1]].append(p)
    sur: dict[str, dict] = defaultdict(dict)
    taught_docs: Counter = Counter()
    for h in hints:
        if h.kind == "surname" and h.a in keep and h.b:
            sur[h.b].setdefault(uf.find(h.a), h)
            taught_docs[h.b] += 1
    for bare, targets in sorted(sur.items()):
        if len(targets) != 1 or bare in ignore:
            continue
        (root, h), = targets.items()
        own = stats.get(bare)
        if own is not None and (own.code or own.type_guess() not in ("person", None)
                                or own.df > 2 * taught_docs[bare]):
            continue         # the word stands for something else as often ("Ford" the maker)
        if any(uf.find(p) != root and stats[p].df >= 2 for p in by_last.get(bare, ())):
            continue         # another person of that name in the archive: ambiguous
        if bare not in stats:        # only ever resolved inside its articles
            stats[bare] = FormStats(surfaces=Counter({h.b_surface or bare: 1}))
        if bare not in keep:
            keep.add(bare)
            uf.find(bare)
        uf.union(h.a, bare, _text_evidence("surname", h))

    # 6. Initials in the same article ("UN" beside "United Nations").
    groups_now: dict[str, list[str]] = defaultdict(list)
    for k in keep:
        groups_now[uf.find(k)].append(k)
    votes: Counter = Counter()
    example: dict[tuple, Hint] = {}
    for h in hints:
        if h.kind == "initials" and h.a in keep and h.b in keep:
            votes[(h.a, h.b)] += 1
            example.setdefault((h.a, h.b), h)
    for (long, acr), _ in votes.most_common():
        ra, rl = uf.find(acr), uf.find(long)
        if ra == rl:
            continue
        if any(w == acr for w in long.split()):
            continue        # "DC" and "DC Circuit"
        others = [x for x in groups_now[ra] if x != acr and not stats[x].acronym]
        if others:
            continue        # the acronym already stands for something else
        if _contradicted(stats[long], stats[acr], votes[(long, acr)]):
            continue
        if uf.union(long, acr, _text_evidence("initials", example[(long, acr)])):
            groups_now[uf.find(acr)] = groups_now.pop(ra, []) + groups_now.pop(rl, [])

    # Build entities.
    members: dict[str, list[str]] = defaultdict(list)
    for k in keep:
        members[uf.find(k)].append(k)
    for k, idx in curated_keys.items():
        r = uf.find(k)
        if k not in members[r]:
            members[r].append(k)
    edges_of: dict[str, list] = defaultdict(list)
    for a, b, ev in uf.edges:
        edges_of[uf.find(a)].append((a, b, ev))
    entities = []
    for root, keys in members.items():
        tag = uf.tag.get(root)
        ce = curated.entities[tag] if tag is not None else None
        entities.append(_entity(keys, stats, ce, edges_of.get(root, ())))
    return entities


def _text_evidence(rule: str, h: Hint) -> Evidence:
    return Evidence(rule, h.article, h.sentence)


def _contradicted(a: FormStats, b: FormStats, teaching: int) -> bool:
    """Do two names each stand on their own across the archive, so that what a few
    articles teach about them is outweighed?  Each must be in at least
    :data:`STANDALONE_DF` articles without the other, and the articles teaching the
    alias must be fewer than :data:`STANDALONE_TAUGHT` of the smaller such count."""
    if a.df < STANDALONE_DF or b.df < STANDALONE_DF:
        return False
    both = len(set(a.docs) & set(b.docs)) if a.docs and b.docs else 0
    alone_a, alone_b = a.df - both, b.df - both
    if alone_a < STANDALONE_DF or alone_b < STANDALONE_DF:
        return False
    return teaching <= 0 or teaching < STANDALONE_TAUGHT * min(alone_a, alone_b)


def _entity(keys: list[str], stats: dict[str, FormStats], ce, edges=()) -> Entity:
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
    surface = {k: (stats[k].surface if k in stats else
                   next((n for n in (ce.names if ce else ()) if fold(n) == k), k)) for k in keys}
    evidence: list[dict] = []
    seen: set = set()
    canon = fold(name)
    for a, b, ev in edges:
        # every rule joins ``b`` (the alias, acronym, variant) to ``a``
        k = b if b != canon else a
        if k == canon or (k, ev.rule, ev.article) in seen:
            continue
        seen.add((k, ev.rule, ev.article))
        evidence.append({"form": surface.get(k, k), "canonical": name, **ev.to_dict()})
    evidence.insert(0, {"form": name, "canonical": name,
                        "rule": "curated" if ce is not None else "canonical", "article": None,
                        "sentence": None,
                        "curated": ({"file": ce.source, "entry": ce.entry} if ce is not None
                                    else None)})
    display = name
    if not is_acronym(name):
        acrs = sorted((k for k in present if stats[k].acronym and typ != "place"),
                      key=lambda k: (-stats[k].n, k))
        if acrs:
            display = f"{name} ({stats[acrs[0]].surface})"
    return Entity(name, typ, forms, display, evidence)


def _skeleton(key: str) -> str:
    """Spelling-insensitive key: Pashtoon ~ Pashtun, Pashtuns ~ Pashtun."""
    s = re.sub(r"[^a-z ]", "", key)
    s = s.replace("oo", "u").replace("ee", "i").replace("ou", "u")
    s = re.sub(r"(.)\1+", r"\1", s)
    if len(s) > 5 and s.endswith("s") and " " not in s:
        s = s[:-1]
    return s


def _compatible(short: list[str], long: list[str]) -> bool:
    """May two folded person names with the same first and last word be one person?

    A name without middle parts fits any ("Khawaja Asif", "Khawaja Muhammad Asif").
    Otherwise the middle parts must pair up one by one, a word with itself or with
    its initial ("Khawaja M. Asif" ~ "Khawaja Muhammad Asif"); "George W." and
    "George H. W." have different middles and are two people."""
    ms, ml = short[1:-1], long[1:-1]
    if not ms or not ml:
        return True
    if len(ms) != len(ml):
        return False
    return all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
               for x, y in zip(ms, ml))
