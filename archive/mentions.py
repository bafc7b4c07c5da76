"""Per-article entity mentions: the corpus-independent half of the entity stage.

:func:`extract` reads one article and returns a JSON-ready dict::

    {"forms": {"Tehreek-e-Taliban Pakistan": {"n": 2, "t": {"org": 1.5}},
               "Strikes": {"n": 1, "i": 1}, "Pakistan": {"n": 9, "t": {"place": 27}, "g": "PK"}},
     "hints": [["Tehreek-e-Taliban Pakistan", "TTP", "acronym"], ["TTP", "FaK", "alias"]]}

``n`` counts occurrences (title included), ``t`` sums the type evidence seen
around them, ``i`` counts occurrences that were a bare capitalised word at a
sentence start (the resolver drops forms never seen anywhere else), ``g`` is a
country's ISO code.  ``hints`` are the aliases the text itself teaches.  It is
stored by the indexer, so the resolver can be rebuilt without re-reading text.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from .gazetteer import (FUNCTION_WORDS, GENERIC_WORDS, GIVEN_NAMES, GROUP_ADJECTIVES, MONTHS,
                        ORG_AFTER, ORG_HEAD, ORG_TAIL, PERSON_VERBS, PLACE_AFTER, PLACE_BEFORE,
                        TITLE_HEADS, TITLE_MODIFIERS, US_STATE_ABBREVIATIONS, WEEKDAYS, gazetteer)
from .names import (DASHES, Run, fold, is_acronym, is_headline, is_sentence_start, is_shouting,
                    paragraphs, runs, tidy)

#: Single words that are names only inside a longer name ("Office", "Minister", "Central").
_NOT_ALONE = (ORG_TAIL | ORG_HEAD | TITLE_HEADS | TITLE_MODIFIERS | GENERIC_WORDS | WEEKDAYS
              | MONTHS | GROUP_ADJECTIVES) - frozenset(
    {"taliban", "mujahideen", "congress", "parliament", "senate", "cabinet", "interpol", "treasury"})
_SPLIT_WORDS = FUNCTION_WORDS | WEEKDAYS | MONTHS
_PLACE_SUFFIX = frozenset({"province", "district", "governorate", "prefecture"})
_TERMED = re.compile(r"^,?\s+(?:termed|dubbed|called|also known as|known as|aka|a\.k\.a\.|"
                     r"alias|officially|formerly|now called|renamed)\s+(?:the\s+)?$")
_REFERS = re.compile(r"^,?\s+(?:which|whom|who)\s+(?:the\s+\w+\s+|it\s+|they\s+|\w+\s+)?"
                     r"(?:refers?|call|calls|describes?|terms?|brands?|labels?)\s+(?:to\s+)?"
                     r"(?:as\s+)?(?:the\s+)?$")
_DASH_SPLIT = re.compile(rf"(?<=[^\W\d_]{{2}})[{re.escape(DASHES)}](?=[A-ZÀ-Þ])")


@dataclass
class Occ:
    """One occurrence of a candidate name."""

    surface: str
    start: int
    end: int
    votes: dict = field(default_factory=dict)
    initial: bool = False
    code: Optional[str] = None

    def vote(self, kind: str, w: float) -> None:
        self.votes[kind] = self.votes.get(kind, 0.0) + w


def _words_before(text: str, pos: int, n: int = 2) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w\-’']+", text[max(0, pos - 40):pos])[-n:]]


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"\s*([\w\-]+)", text[pos:pos + 30])
    return m.group(1) if m else ""


class _Article:
    """Working state while reading one article."""

    def __init__(self):
        self.occs: list[Occ] = []           # in reading order, per paragraph
        self.paras: list[tuple[str, list[Occ]]] = []
        self.extra: list[Occ] = []          # demonyms, dateline, headline matches

    # -- spotting ------------------------------------------------------------------------------
    def spot(self, text: str) -> None:
        occs: list[Occ] = []
        for run in runs(text):
            for part in _split_run(text, run):
                occs.extend(self._candidates(text, part))
        self.paras.append((text, occs))
        self.occs.extend(occs)

    def _candidates(self, text: str, run: Run) -> list[Occ]:
        """Turn a cleaned run into occurrences: titles cut off, dash-compounds of places split."""
        g = gazetteer()
        toks = run.tokens
        person_cue = False
        # "Foreign Office Spokesperson Shafqat Ali Khan", "Defence Minister Khawaja Asif".
        heads = [i for i, t in enumerate(toks) if fold(t.text).rstrip(".") in TITLE_HEADS]
        out: list[Occ] = []
        if heads:
            h = heads[-1]
            after = h + 1
            while after < len(toks) and " of " in run.gaps[after - 1]:
                after += 1           # "Secretary of State George Shultz"
            c = h
            while c > 0 and fold(toks[c - 1].text) in (TITLE_MODIFIERS | TITLE_HEADS):
                c -= 1
            if c > 0:
                left = run.sub(0, c)
                out.extend(self._candidates(text, left))
            if after >= len(toks):
                return out
            run = run.sub(after, len(toks))
            toks = run.tokens
            person_cue = True
        s, e = run.start, run.end
        surface = text[s:e]
        # "Kandahar Province" is the place Kandahar.
        place_suffix = False
        if len(toks) > 1 and fold(toks[-1].text) in _PLACE_SUFFIX:
            e = toks[-2].end
            surface = text[s:e]
            place_suffix = True
        # "Pakistan-Afghanistan", "Chaman-Spin Boldak": split when a part is a place.
        pieces = [(s, e)]
        if not person_cue and not is_acronym(surface.split("-")[0]) and not g.place(surface):
            cuts = [m.start() for m in _DASH_SPLIT.finditer(surface)]
            if cuts:
                bounds = [0] + cuts + [len(surface)]
                parts = [(s + a + (1 if k else 0), s + b) for k, (a, b) in
                         enumerate(zip(bounds, bounds[1:]))]
                if any(g.place(text[a:b]) or g.demonym(text[a:b]) for a, b in parts):
                    pieces = parts
        for a, b in pieces:
            occ = self._occurrence(text, a, b, len(pieces) > 1)
            if occ is None:
                continue
            if person_cue:
                occ.vote("person", 3.0)
            if place_suffix:
                occ.vote("place", 2.0)
            out.append(occ)
        return out

    def _occurrence(self, text: str, s: int, e: int, from_compound: bool) -> Optional[Occ]:
        g = gazetteer()
        surface = text[s:e]
        if is_shouting(surface.replace(" ", "")) and g.place(surface.title()):
            surface = surface.title()           # "ISLAMABAD:" in a dateline
        key = fold(surface)
        tokens = key.split()
        if len(key) < 2 or (len(tokens) == 1 and key in _NOT_ALONE):
            return None
        occ = Occ(surface, s, e)
        acr = is_acronym(surface)
        before = _words_before(text, s)
        prev = before[-1] if before else ""
        nxt = _word_after(text, e)
        initial = is_sentence_start(text, s)
        dem = g.demonym(surface) if not acr else None
        if dem is not None or key in GROUP_ADJECTIVES:
            if dem is not None:      # "Pakistani lives": a mention of Pakistan, not an entity.
                self.extra.append(Occ(dem.name, s, e, {"place": 1.0}, code=dem.code))
            return None
        place = g.place(surface)
        if place is not None and not (initial and place.kind == "city" and len(tokens) == 1):
            occ.vote("place", place.weight)
            occ.code = place.code
        if from_compound:
            occ.vote("place", 0.5)
        if nxt.lower() in PLACE_AFTER:
            occ.vote("place", 2.0)
        if prev in PLACE_BEFORE:
            occ.vote("place", 1.0)
        last, first = tokens[-1], tokens[0]
        if last in ORG_TAIL:
            occ.vote("org", 2.0 if len(tokens) > 1 or last == "taliban" else 1.0)
        if len(tokens) > 1 and first in ORG_HEAD:
            occ.vote("org", 2.0)
        if nxt.lower() in ORG_AFTER:
            occ.vote("org", 2.0)
        if prev == "the" and place is None:
            occ.vote("org", 1.5)
        if acr and place is None:
            occ.vote("org", 0.5)
        if prev in TITLE_HEADS or prev.rstrip(".") in ("mr", "mrs", "ms", "dr"):
            occ.vote("person", 3.0)
        if not acr and 2 <= len(tokens) <= 4 and first in GIVEN_NAMES and last not in ORG_TAIL:
            occ.vote("person", 2.0)
        # A bare word opening a sentence ("Strikes by Pakistan ...") proves nothing yet.
        occ.initial = initial and len(tokens) == 1 and not acr and not occ.votes
        if (not acr and not occ.initial and prev != "the" and nxt.lower() in PERSON_VERBS and place is None
                and last not in ORG_TAIL and first not in ORG_HEAD):
            occ.vote("person", 1.0)
        return occ

    # -- headlines and titles: only names the body confirms ------------------------------------
    def match_known(self, text: str, known: dict) -> None:
        g = gazetteer()
        for run in runs(text):
            toks = run.tokens
            i = 0
            while i < len(toks):
                for j in range(len(toks), i, -1):
                    surface = text[toks[i].start:toks[j - 1].end]
                    key = fold(surface)
                    if key in known:
                        self.extra.append(Occ(known[key], toks[i].start, toks[j - 1].end))
                        i = j
                        break
                    if j == i + 1:
                        dem = g.demonym(surface)
                        if dem is not None:
                            self.extra.append(Occ(dem.name, 0, 0, {"place": 1.0}, code=dem.code))
                        i += 1
                        break


def _split_run(text: str, run: Run) -> list[Run]:
    """Cut a run at function words ("While Pakistan"), dates ("Sunday") and at "and"
    unless the whole is one name ("Azad Jammu and Kashmir", "Securities and Exchange Commission")."""
    pieces: list[Run] = []
    i0 = 0
    toks = run.tokens
    for i, t in enumerate(toks + [None]):
        if t is None or fold(t.text) in _SPLIT_WORDS or (
                len(t.text) == 1 and t.text not in "AI"):
            if i > i0:
                pieces.append(run.sub(i0, i))
            i0 = i + 1
    out: list[Run] = []
    g = gazetteer()
    for p in pieces:
        ands = [k for k, gap in enumerate(p.gaps) if gap.strip() in ("and", "&")]
        whole = p.text(text)
        if ands and not g.place(whole) and fold(p.tokens[-1].text) not in ORG_TAIL:
            bounds = [0] + [k + 1 for k in ands] + [len(p.tokens)]
            out.extend(p.sub(a, b) for a, b in zip(bounds, bounds[1:]) if b > a)
        else:
            out.append(p)
    return out


def _is_abbreviation(short: str, long: str) -> bool:
    """Could ``short`` abbreviate ``long``?  Its letters, in order, starting with
    the first: TTP / Tehreek-e-Taliban Pakistan, FaK / Fitna-al-Khawarij, ISIS-K / ISIS-Khorasan."""
    s = [c for c in fold(short) if c.isalnum()]
    l = [c for c in fold(long) if c.isalnum()]
    if not s or not l or s[0] != l[0] or len(s) >= len(l):
        return False
    it = iter(l)
    return all(c in it for c in s)


def _initials(name: str) -> tuple[str, str]:
    """Initials with and without the small words: "Ministry of Foreign Affairs" -> ("mofa", "mfa")."""
    words = re.split(r"[\s\-]+", fold(name))
    full = "".join(w[0] for w in words if w)
    big = "".join(w[0] for w in words if w and w not in FUNCTION_WORDS)
    return full, big


def extract(title: str, body: str, dateline: Optional[str] = None) -> dict:
    """See the module docstring."""
    art = _Article()
    headlines: list[str] = []
    title = (title or "").strip()
    if title and (is_headline(title) or len(title.split()) < 8):
        headlines.append(title)
    elif title:
        art.spot(title)
    for a, b in paragraphs(body or ""):
        line = body[a:b]
        (headlines.append if is_headline(line) else art.spot)(line)

    occs = art.occs
    # Group by folded key; keep the best-looking surface.
    by_key: dict[str, list[Occ]] = defaultdict(list)
    for o in occs:
        by_key[fold(tidy(o.surface))].append(o)

    # Within the article, "Khan" after "Shafqat Ali Khan" is that person.
    persons_by_last: dict[str, set] = defaultdict(set)
    for key, os_ in by_key.items():
        toks = key.split()
        if len(toks) > 1 and sum(o.votes.get("person", 0) for o in os_) > 0:
            persons_by_last[toks[-1]].add(key)
    # "Afghan Taliban" where "Taliban" stands alone too: a mention of Taliban (and Afghanistan).
    g = gazetteer()
    for key in list(by_key):
        toks = key.split()
        target = None
        if len(toks) == 1 and len(persons_by_last.get(key, ())) == 1 and not is_acronym(
                by_key[key][0].surface):
            target = next(iter(persons_by_last[key]))
        elif len(toks) > 1:
            for k in range(1, len(toks)):
                head, rest = " ".join(toks[:k]), " ".join(toks[k:])
                if rest in by_key and (g.demonym(head) or (g.place(head) and
                                                           g.place(head).kind == "country")):
                    target = rest
                    place = g.demonym(head) or g.place(head)
                    art.extra.append(Occ(place.name, 0, 0, {"place": 1.0}, code=place.code))
                    break
        if target and target != key:
            by_key[target].extend(by_key.pop(key))

    forms: dict[str, dict] = {}
    surface_of: dict[str, str] = {}

    def add(key: str, o: Occ) -> None:
        if key not in surface_of:
            surface_of[key] = _best_surface(key, [x.surface for x in by_key.get(key, [o])])
        f = forms.setdefault(surface_of[key], {"n": 0})
        f["n"] += 1
        if o.votes:
            t = f.setdefault("t", {})
            for k, v in o.votes.items():
                t[k] = round(t.get(k, 0) + v, 2)
        if o.initial:
            f["i"] = f.get("i", 0) + 1
        if o.code:
            f["g"] = o.code

    for key, os_ in by_key.items():
        for o in os_:
            add(key, o)
    # Headlines and the title: only names the body confirms.
    known = {k: surface_of[k] for k in by_key}
    for line in headlines:
        art.match_known(line, known)
    if dateline:
        art.extra.extend(_dateline_places(dateline))
    for o in art.extra:
        key = fold(o.surface)
        if key not in surface_of:
            surface_of[key] = o.surface
        add(key, o)

    # Aliases the text teaches.
    hints: list[list[str]] = []
    seen = set()

    def hint(a: Occ, b: Occ, kind: str) -> None:
        ka, kb = fold(tidy(a.surface)), fold(tidy(b.surface))
        if ka == kb or ka not in surface_of or kb not in surface_of:
            return
        h = (surface_of[ka], surface_of[kb], kind)
        if h not in seen:
            seen.add(h)
            hints.append(list(h))

    for text, pos in art.paras:
        for a, b in zip(pos, pos[1:]):
            between = text[a.end:b.start]
            if between.strip() == "(" and text[b.end:b.end + 1] == ")":
                if is_acronym(b.surface) and _is_abbreviation(b.surface, a.surface):
                    hint(a, b, "acronym")
                    # A name worth an acronym is an organisation more often than not.
                    f = forms.get(surface_of.get(fold(tidy(a.surface)), ""))
                    if f is not None and "place" not in f.get("t", {}):
                        f.setdefault("t", {})["org"] = f.get("t", {}).get("org", 0) + 1.0
            elif between == "/" and is_acronym(a.surface) and is_acronym(b.surface):
                hint(a, b, "alias")
            elif _TERMED.match(between) or _REFERS.match(between):
                hint(a, b, "alias")
    # "UN" and "United Nations" in one article: initials that match exactly one long name.
    acronyms = [k for k in surface_of if is_acronym(surface_of[k])]
    longs = [k for k in surface_of if len(re.split(r"[\s\-]+", k)) > 1]
    for ak in acronyms:
        letters = "".join(c for c in ak if c.isalnum())
        cands = [lk for lk in longs if letters in _initials(lk)]
        if len(cands) == 1:
            h = (surface_of[cands[0]], surface_of[ak], "initials")
            if h not in seen:
                seen.add(h)
                hints.append(list(h))
    return {"forms": forms, "hints": hints}


def _dateline_places(dateline: str) -> list[Occ]:
    """"PORTLAND, Ore., Feb 26" -> Portland and, since a dateline says where the
    story was filed, the country the place lies in (here via the state)."""
    g = gazetteer()
    parts = [p.strip() for p in dateline.split(",") if p.strip()]
    if not parts:
        return []
    name = parts[0]
    if is_shouting(name.replace(" ", "")) or name.isupper():
        name = " ".join(w.capitalize() for w in name.split())
    if len(fold(name)) < 2 or fold(name) in _SPLIT_WORDS:
        return []
    place = g.place(name)
    out = [Occ(name, 0, 0, {"place": 2.0}, code=getattr(place, "code", None))]
    country = g.country(getattr(place, "country", None))
    if len(parts) > 1 and fold(parts[1]) in US_STATE_ABBREVIATIONS:
        country = g.country("US")
    if country is not None and country.name != name:
        out.append(Occ(country.name, 0, 0, {"place": 1.0}, code=country.code))
    return out


def _best_surface(key: str, surfaces: list[str]) -> str:
    """The most frequent spelling of ``key``, preferring one not in capitals throughout."""
    counts: dict[str, int] = defaultdict(int)
    for s in surfaces:
        if fold(tidy(s)) == key:
            counts[tidy(s)] += 1
    if not counts:
        for s in surfaces:
            counts[tidy(s)] += 1
    return max(counts, key=lambda s: (not is_shouting(s.replace(" ", "")), counts[s], s))
