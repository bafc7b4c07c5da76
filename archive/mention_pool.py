"""The archive's pooled mentions, kept between reindexes: what the alias
resolver is built from, updated by the articles that change.

Why not update the resolver itself?  :func:`archive.aliases.resolve_groups`
is a global decision over the whole archive -- whether two names "stand on
their own" counts articles on both sides, an acronym keeps its *commonest*
expansion, a canonical name is the form of most words *then most articles*
-- so one new article may flip a choice anywhere, and the joins it undoes
cannot be told apart from the ones it keeps without running it again.  Its
input, though, is a sum over articles (:func:`archive.aliases.pool`): per
folded form, counts of surfaces, type votes, initial capitals, articles; and
the alias hints each article teaches.  Sums can be kept: an article added
adds its share, an article removed subtracts it.  So a reindex does not read
every stored article's mentions again; it updates a :class:`MentionPool` and
reruns only the (form-sized, not article-sized) join over it.

The pool also answers the question that keeps a reindex small: which
articles mention a form (``docs``).  Only articles mentioning a form whose
entity changed can have different canonical entities.

The result does not depend on the order or batching of the updates: forms
and surfaces are laid out sorted, and hints in article-id order, whatever
order they arrived in (``tests/archive/test_mention_pool.py``).
"""
from __future__ import annotations

import io
import pickle
import sys
from array import array
from collections import Counter
from itertools import islice
from typing import Iterable, Optional

from . import curated as _curated
from .aliases import FormStats, Hint, resolve_groups
from .entities import Resolver
from .names import fold

#: Layout version of :meth:`MentionPool.dumps`; other versions are not read
#: (the writer then rebuilds the pool once from stored fields).  2: a form's
#: articles are the bytes of an ``array("i")``, not a list of ints.
VERSION = 2

#: forms (or articles' hints) per pickle of a saved pool
CHUNK = 4096


class _Form:
    """One folded form's sums (see :class:`archive.aliases.FormStats`).  Each
    surface and vote keeps, beside its sum, how many contributions it has, so
    that a subtraction to zero leaves the key exactly as if never added."""

    __slots__ = ("surfaces", "n", "df", "initial", "votes", "g", "docs")

    def __init__(self):
        self.surfaces: dict = {}      # surface -> [sum of n, contributions]
        self.n = self.df = self.initial = self.g = 0
        self.votes: dict = {}         # type -> [sum of votes (see _fixed), contributions]
        #: numbers (see MentionPool.ids) of the articles holding the form, each once:
        #: 4 bytes an entry where a set of ids took about 50 (a form per article
        #: and name, millions of entries in a big archive)
        self.docs = array("i")


def _contributions(mentions: dict):
    """(key, surface, f) for each form of one article's mentions, as
    :func:`archive.aliases.pool` counts them."""
    for surface, f in ((mentions or {}).get("forms") or {}).items():
        key = fold(surface)
        if key:
            yield key, surface, f


_ONE = 1 << 60


def _fixed(v) -> int:
    """A vote as an integer number of 2**-60: sums of those are exact, so the
    pool does not depend on the order articles came in (float sums do, in
    the last bit), and ``sum / _ONE`` is the exactly rounded float sum."""
    return int(float(v) * _ONE)


def _bump(table: dict, key, amount, sign: int) -> None:
    cell = table.get(key)
    if cell is None:
        cell = table[key] = [0, 0]
    cell[0] += sign * amount
    cell[1] += sign
    if cell[1] <= 0:
        del table[key]


class MentionPool:
    """Every article's mentions, summed by folded form."""

    def __init__(self):
        self.forms: dict[str, _Form] = {}
        #: article id -> its hints (folded, as :class:`Hint` tuples without ``doc``)
        self.hints: dict[str, list] = {}
        #: folded key -> (canonical name, type) of the last resolver built from this pool
        self.table: dict = {}
        #: article number -> id, and id -> number (a form's ``docs`` are numbers)
        self.ids: list[str] = []
        self.num: dict[str, int] = {}

    def _number(self, aid: str) -> int:
        n = self.num.get(aid)
        if n is None:
            n = self.num[aid] = len(self.ids)
            self.ids.append(aid)
        return n

    def __len__(self) -> int:
        return len(self.forms)

    # -- updates -------------------------------------------------------------------

    def add(self, aid: str, mentions: dict) -> None:
        """Add one article's share (``aid`` must not be in the pool)."""
        self._apply(aid, mentions, +1)
        art = (mentions or {}).get("id")
        art = art if isinstance(art, str) else None
        hs = []
        for h in (mentions or {}).get("hints") or ():
            if len(h) < 3:
                continue
            hs.append((fold(h[0]), fold(h[1]), h[2], art,
                       h[3] if len(h) > 3 and isinstance(h[3], str) else None, h[1]))
        if hs:
            self.hints[sys.intern(aid)] = hs

    def remove(self, aid: str, mentions: dict) -> None:
        """Subtract one article's share: ``mentions`` are the ones it was added with."""
        self._apply(aid, mentions, -1)
        self.hints.pop(aid, None)

    def _apply(self, aid: str, mentions: dict, sign: int) -> None:
        if not mentions:
            return
        from .gazetteer import countries
        code_of = countries().code_of
        aid = sys.intern(aid)
        num = self._number(aid) if sign > 0 else self.num.get(aid)
        held = set()             # forms whose docs already have this article
        for key, surface, f in _contributions(mentions):
            st = self.forms.get(key)
            if st is None:
                if sign < 0:
                    continue
                st = self.forms[sys.intern(key)] = _Form()
            n = int(f.get("n", 1))
            _bump(st.surfaces, surface, n, sign)
            st.n += sign * n
            st.df += sign
            st.initial += sign * int(f.get("i", 0))
            # a country code on a form that is no name of that country marks votes
            # borrowed by an older extractor (as in ``pool``): they do not count
            borrowed = bool(f.get("g")) and code_of.get(key.removeprefix("the ")) != f["g"]
            for t, v in (f.get("t") or {}).items():
                if not (borrowed and t == "place"):
                    _bump(st.votes, t, _fixed(v), sign)
            if f.get("g"):
                st.g += sign
            if key not in held and num is not None:
                held.add(key)
                if sign > 0:
                    st.docs.append(num)
                elif num in st.docs:
                    st.docs.remove(num)
            if st.df <= 0:
                del self.forms[key]

    # -- the resolver ----------------------------------------------------------------

    def stats(self):
        """``(stats, hints)`` as :func:`archive.aliases.pool` gives them for the
        same articles (fresh objects: :func:`resolve_groups` changes them)."""
        from .gazetteer import countries
        code_of = countries().code_of
        stats: dict[str, FormStats] = {}
        for key in sorted(self.forms):
            f = self.forms[key]
            st = FormStats(surfaces=Counter({s: f.surfaces[s][0] for s in sorted(f.surfaces)}),
                           n=f.n, df=f.df, initial=f.initial,
                           votes=Counter({t: f.votes[t][0] / _ONE for t in sorted(f.votes)}),
                           docs=f.docs)      # read only (_contradicted)
            if f.g > 0:
                st.code = code_of.get(key.removeprefix("the "))
            stats[key] = st
        hints = [Hint(a, b, kind, aid, art, sentence, b_surface)
                 for aid in sorted(self.hints)
                 for a, b, kind, art, sentence, b_surface in self.hints[aid]]
        return stats, hints

    def resolver(self, curated_path=None) -> Resolver:
        """The resolver of the pooled archive (see :func:`archive.build_resolver`);
        remembers its lookup table for :meth:`changed`."""
        cur = _curated.load(curated_path)
        stats, hints = self.stats()
        groups = resolve_groups(stats, hints, cur)
        return Resolver([{"name": g.name, "type": g.type, "forms": g.forms, "display": g.display,
                          "evidence": g.evidence} for g in groups],
                        curated_forms=[n for ce in cur.entities for n in ce.names],
                        distinct=cur.distinct)

    @staticmethod
    def lookup(resolver: Resolver) -> dict:
        """folded key -> (canonical name, type): all that :meth:`Resolver.apply` reads."""
        ents = resolver.entities
        return {k: (name, ents[name]["type"]) for k, name in resolver.table.items()}

    def changed(self, table: dict) -> set:
        """Folded forms whose (canonical name, type) differs between the table
        remembered from the last build and ``table`` (the new one); the
        remembered table becomes ``table``."""
        old = self.table
        out = {k for k, v in table.items() if old.get(k) != v}
        out.update(k for k in old if k not in table)
        self.table = table
        return out

    def articles_with(self, keys: Iterable[str]) -> set:
        """Ids of the articles that mention any of the folded forms ``keys``."""
        nums: set = set()
        for k in keys:
            f = self.forms.get(k)
            if f is not None:
                nums.update(f.docs)
        ids = self.ids
        return {ids[n] for n in nums}

    # -- persistence -------------------------------------------------------------------

    def dumps(self) -> bytes:
        """Versioned bytes of the pool (plain lists, dicts, strings and ints).
        Article ids are numbered once, so a form's articles are the bytes of
        an int array (4 bytes an article, read back without a list of ints)."""
        buf = io.BytesIO()
        self.write(buf)
        return buf.getvalue()

    def write(self, fh) -> None:
        """:meth:`dumps` straight into the binary file ``fh``: a header (ids,
        table, counts), then the forms and the hints in pickles of
        :data:`CHUNK` each, so neither the whole layout nor one pickle memo
        of every object is ever held."""
        held = set(self.hints)
        for f in self.forms.values():
            held.update(self.ids[n] for n in f.docs)
        ids = sorted(held)
        del held
        num = {a: i for i, a in enumerate(ids)}
        old = [num.get(a, -1) for a in self.ids]      # this pool's numbers -> the file's
        def dump(obj):       # a pickle each: its memo lives for one chunk
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        dump({"version": VERSION, "ids": ids, "table": self.table,
                   "forms": len(self.forms), "hints": len(self.hints)})
        del ids
        forms = iter(self.forms.items())
        while chunk := [(k, f.surfaces, f.n, f.df, f.initial, f.votes, f.g,
                         array("i", sorted(old[n] for n in f.docs)).tobytes())
                        for k, f in islice(forms, CHUNK)]:
            dump(chunk)
        hints = iter(self.hints.items())
        while chunk := [(num[a], hs) for a, hs in islice(hints, CHUNK)]:
            dump(chunk)

    @classmethod
    def loads(cls, raw: bytes) -> Optional["MentionPool"]:
        """The pool of :meth:`dumps`, or None for bytes of another version."""
        return cls.read(io.BytesIO(raw))

    @classmethod
    def read(cls, fh) -> Optional["MentionPool"]:
        """:meth:`loads` from the binary file ``fh``, a chunk at a time; None
        for another version or a damaged file (the caller rebuilds)."""
        try:
            return cls._read(lambda: pickle.load(fh))
        except Exception:  # noqa: BLE001 -- a damaged side file: the caller rebuilds
            return None

    @classmethod
    def _read(cls, load) -> Optional["MentionPool"]:
        head = load()
        if not isinstance(head, dict) or head.get("version") != VERSION:
            return None
        self = cls()
        ids = self.ids = [sys.intern(a) for a in head["ids"]]
        self.num = {a: i for i, a in enumerate(ids)}
        self.table = head.get("table") or {}
        left = head["forms"]
        while left > 0:
            chunk = load()
            left -= len(chunk)
            for k, surfaces, n, df, initial, votes, g, docs in chunk:
                f = _Form()
                f.surfaces, f.n, f.df, f.initial, f.votes, f.g = surfaces, n, df, initial, votes, g
                f.docs = array("i")
                f.docs.frombytes(docs)
                self.forms[sys.intern(k)] = f
        left = head["hints"]
        while left > 0:
            chunk = load()
            left -= len(chunk)
            for i, hs in chunk:
                self.hints[ids[i]] = hs
        if left < 0:
            return None
        return self

    def to_json_like(self) -> dict:
        """Everything the pool holds, as comparable plain data (for tests)."""
        return {"forms": {k: (f.surfaces, f.n, f.df, f.initial, f.votes, f.g,
                              sorted(self.ids[n] for n in f.docs))
                          for k, f in sorted(self.forms.items())},
                "hints": dict(sorted(self.hints.items()))}
