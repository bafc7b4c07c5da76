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
                        PLACE_HEAD, PLACE_OF, PLACE_TAIL, SECTION_WORDS,
                        TITLE_HEADS, TITLE_MODIFIERS, US_STATE_ABBREVIATIONS, WEEKDAYS, countries,
                        gazetteer, is_common_word, is_function_word, language, top_words, zipf)
from .abbrev import fits as _fits
from .charclass import CharClass
from .people import PERSON_BEFORE, given_names
from .names import (DASHES, MAX_RUN, Run, fold, is_acronym, is_headline, is_sentence_start, is_shouting,
                    is_shouting_line, paragraphs, runs, tidy)

#: Single words that are names only inside a longer name ("Office", "Minister", "Central").
_NOT_ALONE = (ORG_TAIL | ORG_HEAD | TITLE_HEADS | TITLE_MODIFIERS | GENERIC_WORDS | WEEKDAYS
              | MONTHS | GROUP_ADJECTIVES | {"democratic", "republican"}) - frozenset(
    {"taliban", "mujahideen", "congress", "parliament", "senate", "cabinet", "interpol", "treasury"})
_SPLIT_WORDS = FUNCTION_WORDS | WEEKDAYS | MONTHS
_PLACE_SUFFIX = frozenset({"province", "district", "governorate", "prefecture"})
#: A naming construction: "X, termed Y", "X (also known as Y", "X, formerly Y".  Only
#: after a comma or bracket does "called"/"termed" name something: "X called Y stores"
#: is a verb with an object, never a definition.
_TERMED = re.compile(r"^(?:,|\s*\(|\s*[–—])\s*(?:termed|dubbed|called|also known as|known as|"
                     r"aka|a\.k\.a\.|alias|officially|formerly|formerly known as|now called|"
                     r"renamed|also called)\s+(?:the\s+)?$"
                     r"|^\s+(?:also known as|aka|a\.k\.a\.|formerly known as)\s+(?:the\s+)?$")
#: What may follow the second name of a naming construction: the construction ends
#: there ("..., termed Fitna-al-Hindustan (FaH), ...").
_TERMED_END = re.compile(r"^\s*(?:[,.;:)(]|[–—]|$)")
_REFERS = re.compile(r"^,\s+(?:which|whom|who)\s+(?:the\s+\w+\s+|it\s+|they\s+|\w+\s+)?"
                     r"(?:refers?|call|calls|describes?|terms?|brands?|labels?)\s+(?:to\s+)?"
                     r"(?:as\s+)?(?:the\s+)?$")
_DASH_SPLIT = re.compile(rf"(?<=[^\W\d_]{{2}})[{re.escape(DASHES)}](?=[A-ZÀ-Þ])")
#: Words that make "X ... of <place>" an organisation ("Bank of Japan", "Electronic
#: Industries Association of Japan") rather than a person from there ("Pat Carney of Canada").
_ORGISH = ORG_TAIL | ORG_HEAD | GENERIC_WORDS | TITLE_MODIFIERS | TITLE_HEADS
#: Words of a title before a name ("Deputy Foreign Minister").
_TITLE_WORDS = TITLE_MODIFIERS | TITLE_HEADS
#: Lower-case words of the article ("the arrivals figures"): a capitalised word that
#: the same story also writes in lower case is that word, not a name.
_LOWER_WORD = re.compile(r"(?<![\w\-])[a-z][a-z'’]*(?![\w\-])")


#: "Mich" (before its dot) -> "Michigan".
_STATE_ABBR = {fold(a): n for a, n in (
    ("Ala", "Alabama"), ("Ariz", "Arizona"), ("Ark", "Arkansas"), ("Calif", "California"),
    ("Colo", "Colorado"), ("Conn", "Connecticut"), ("Del", "Delaware"), ("Fla", "Florida"),
    ("Ga", "Georgia"), ("Ill", "Illinois"), ("Ind", "Indiana"), ("Kan", "Kansas"),
    ("Kans", "Kansas"), ("Ky", "Kentucky"), ("La", "Louisiana"), ("Md", "Maryland"),
    ("Mass", "Massachusetts"), ("Mich", "Michigan"), ("Minn", "Minnesota"),
    ("Miss", "Mississippi"), ("Mo", "Missouri"), ("Mont", "Montana"), ("Neb", "Nebraska"),
    ("Nev", "Nevada"), ("Okla", "Oklahoma"), ("Ore", "Oregon"), ("Pa", "Pennsylvania"),
    ("Tenn", "Tennessee"), ("Tex", "Texas"), ("Va", "Virginia"), ("Vt", "Vermont"),
    ("Wash", "Washington State"), ("Wis", "Wisconsin"), ("Wyo", "Wyoming"))}


#: German articles (and contractions with them) before a noun: "am Ende", "im Fall",
#: "die Lage", "des Landes".  Place names rarely take one, nouns nearly always do.
_DE_ARTICLES = frozenset("""der die das dem den des ein eine einen einem einer eines im am zum zur
vom beim ins ans aufs kein keine keinen keinem keiner dieser diese dieses diesem diesen jeder jede
jedes jedem jeden seine seiner seinem seinen ihre ihrer ihrem ihren unsere unserer""".split())


def _foreign_word(surface: str, lang: str) -> bool:
    """Is a bare capitalised word an ordinary word of the article's (non-English) language?
    German capitalises every noun, so there a word well known in German and much rarer
    in English ("Jahr", "Menschen", "Wochenende") is a noun wherever it stands; names
    ("Trump", "Merkel") are about as common in either language."""
    w = tidy(surface)
    z = zipf(w, lang)
    if lang == "de":
        if z >= 3.0 and z - zipf(w, "en") >= 1.5:
            return True
        # A compound ending in a German noun: "Waffenbesitzer", "Staatstrauer".
        return z == 0.0 and any(zipf(w[k:], "de") >= 3.5 and zipf(w[k:], "en") < 2.5
                                for k in range(2, len(w) - 4))
    return z >= 3.5 and z - zipf(w, "en") >= 1.0


#: A score right after a name: "Exampleton 2", "Sampleshire 296 and 174" (not a year).
_SCORE = re.compile(r" (?!1[89]\d\d\b|20\d\d\b)\d{1,3}(?:-\d{1,3})?(?:[ ,;)]|$)")
#: Verbs of a match result between two teams.
_MATCH_VERBS = frozenset({"beat", "beats", "drew", "draw", "v", "vs", "thrashed", "edged",
                          "routed", "trounced", "defeated", "outclassed"})

#: Figures in a line: scores, times, results.
_FIGURES = re.compile(r"\d")

#: A line that is only a dateline: place words, then a date.
_DATE_LINE = re.compile(r"^\s*([^\W\d_][^\d\n]{1,60}?)\s*,?\s+(?:\d{4}-\d{2}-\d{2}|"
                        r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}"
                        r"(?:, \d{4})?|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                        r"[a-z]* \d{4})\s*$")


def _may_be_date_line(line: str) -> bool:
    """Whether :data:`_DATE_LINE` can match: every date it takes ends in a
    digit, before white space only.  (The pattern tries each of its dates
    after each length of its place words: tens of thousands of instructions
    for a line that ends in a word, as nearly every line does.)"""
    return line.rstrip()[-1:].isdecimal()


#: The wire's sign-off closing a story ("... it said. REUTER").
_SIGN_OFF = re.compile(r"\s*\b(?:REUTER|Reuter)\s*$")


def _drop_sign_off(body: str) -> str:
    """``_SIGN_OFF.sub("", body)``, looking only at the end of the text (the
    pattern's leading ``\\s*`` makes the regex engine try every position):
    the sign-off is the last word before trailing space, at a word boundary,
    and goes with the spaces before it."""
    stripped = body.rstrip()
    if not stripped.endswith(("REUTER", "Reuter")):
        return body
    w = len(stripped) - 6
    if w and (stripped[w - 1].isalnum() or stripped[w - 1] == "_"):
        return body                 # "...XREUTER": no word boundary
    return stripped[:w].rstrip()


@dataclass(slots=True)
class Occ:
    """One occurrence of a candidate name."""

    surface: str
    start: int
    end: int
    votes: dict = field(default_factory=dict)
    initial: bool = False
    code: Optional[str] = None
    #: after a German article ("im Fall", "am Tag"): a noun, in a German story
    det: bool = False
    #: the paragraph the occurrence is in (for the sentence of an alias's evidence)
    src: str = ""

    def vote(self, kind: str, w: float) -> None:
        self.votes[kind] = self.votes.get(kind, 0.0) + w


_WORD_BEFORE = re.compile(r"[\w\-’']+")
_WORD_AFTER = re.compile(r"\s*([\w\-]+)")
_SPLIT_WORDS_RE = re.compile(r"[\s\-]+")
_SENTENCE_CLOSE = re.compile(r"[.!?](?=\s|$)")


def _under_two_letters(s: str) -> bool:
    """Fewer than two letters in ``s``; a name that opens with two letters
    (nearly all) is answered without counting."""
    if len(s) > 1 and s[:2].isalpha():
        return False
    return sum(map(str.isalpha, s)) < 2


#: what a word of :data:`_WORD_BEFORE` is made of
_WORD_BEFORE_CHARS = CharClass(r"[\w\-’']")


def _word_before(text: str, pos: int) -> str:
    """The word before ``pos`` (within 40 characters), lower-cased, or "".

    The last match of :data:`_WORD_BEFORE` in those characters (no
    look-around: as in a slice) is their last run of its characters: split
    off from the right, without the regex engine trying each position."""
    words = _WORD_BEFORE_CHARS.spaced(text[max(0, pos - 40):pos]).rsplit(None, 1)
    return words[-1].lower() if words else ""


def _word_after(text: str, pos: int) -> str:
    m = _WORD_AFTER.match(text, pos, pos + 30)
    return m.group(1) if m else ""


class _Article:
    """Working state while reading one article."""

    def __init__(self, lang: str = "en"):
        self.lang = lang                    # the article's language (see gazetteer.language)
        self.occs: list[Occ] = []           # in reading order, per paragraph
        self.paras: list[tuple[str, list[Occ]]] = []
        self.extra: list[Occ] = []          # demonyms, dateline, headline matches
        #: bare surnames resolved to the article's full name: (bare, full key, text, s, e)
        self.surnames: list = []

    # -- spotting ------------------------------------------------------------------------------
    def spot(self, text: str, row: bool = False) -> None:
        """Candidates of one paragraph.  In a table ``row`` ("Wheat 2.55 Level Price"),
        a capitalised run of ordinary words with nothing else for it is a column
        label, not a name."""
        occs: list[Occ] = []
        for run in runs(text):
            for part in _split_run(text, run, self.lang):
                occs.extend(self._candidates(text, part))
        if row:
            occs = [o for o in occs if o.votes or not any(
                is_common_word(w) for w in _SPLIT_WORDS_RE.split(tidy(o.surface)) if w)]
        for o in occs:
            o.src = text
        self.paras.append((text, occs))
        self.occs.extend(occs)

    def _candidates(self, text: str, run: Run) -> list[Occ]:
        """Turn a cleaned run into occurrences: titles cut off, dash-compounds of places split."""
        g = gazetteer()
        toks = run.tokens
        person_cue = False
        # "Foreign Office Spokesperson Shafqat Ali Khan", "Defence Minister Khawaja Asif".
        heads = [i for i, t in enumerate(toks) if fold(t.text).rstrip(".") in TITLE_HEADS
                 or (i < len(toks) - 1 and fold(t.text) in PERSON_BEFORE)]
        out: list[Occ] = []
        # "Prime Minister John Major": the title is the last head with a name after it.
        heads = [i for i in heads if i < len(toks) - 1] or heads
        if heads:
            h = heads[-1]
            after = h + 1
            org_after = False
            while after < len(toks) and " of " in run.gaps[after - 1]:
                if fold(toks[after].text) in _TITLE_WORDS:
                    after += 1       # "Secretary of State George Shultz"
                else:
                    # "Chairman of the Electronic Industries Association of Japan": what
                    # follows "of" is the organisation the title belongs to, not a person.
                    org_after = True
                    break
            c = h
            while c > 0 and fold(toks[c - 1].text) in _TITLE_WORDS:
                c -= 1
            if c > 0:
                left = run.sub(0, c)
                out.extend(self._candidates(text, left))
            if after >= len(toks):
                return out
            run = run.sub(after, len(toks))
            toks = run.tokens
            if org_after:
                return out + self._candidates(text, run)
            person_cue = True
        # "Exampleland's Ana Sample", "Australian Ana Sample": the demonym counts for the
        # country; the person's name starts at the given name.
        if (len(toks) >= 3 and g.demonym(toks[0].text) and run.gaps[0] == " "
                and fold(toks[1].text) in given_names() and g.place(run.text(text)) is None):
            dem = g.demonym(toks[0].text)
            self.extra.append(Occ(dem.name, toks[0].start, toks[0].end, {"place": 1.0},
                                  code=dem.code))
            rest = self._candidates(text, run.sub(1, len(toks)))
            for occ in rest:
                occ.vote("person", 1.0)
            return out + rest
        # "Pat Carney of Canada", "Zhao Ziyang of China": a person and a place, two names.
        of = [k for k, gap in enumerate(run.gaps) if gap == " of "]
        if of:
            k = of[-1]
            head, tail = run.sub(0, k + 1), run.sub(k + 1, len(toks))
            head_words = [fold(t.text) for t in head.tokens]
            if (g.place(tail.text(text)) is not None and not g.place(run.text(text))
                    and (person_cue or len(head_words) >= 2)
                    and not any(w in _ORGISH for w in head_words)
                    and not any(is_acronym(t.text) for t in head.tokens)):
                out.extend(self._candidates(text, tail))
                said = _word_after(text, run.end).lower() in PERSON_VERBS
                for occ in self._candidates(text, head):
                    if person_cue or head_words[0] in given_names() or said:
                        occ.vote("person", 3.0 if person_cue else 1.0)
                    out.append(occ)
                return out
        s, e = run.start, run.end
        surface = text[s:e]
        # "Kandahar Province" is the place Kandahar.
        place_suffix = False
        if len(toks) > 1 and fold(toks[-1].text) in _PLACE_SUFFIX:
            e = toks[-2].end
            surface = text[s:e]
            place_suffix = True
        # "Total Bahia sales ...": a very common word opening the sentence, then a place.
        if (not person_cue and len(toks) >= 2 and is_sentence_start(text, s)
                and is_common_word(toks[0].text, 4.5) and fold(toks[0].text) not in _ORGISH
                and fold(toks[0].text) not in given_names() and not g.demonym(toks[0].text)
                and g.place(run.sub(1, len(toks)).text(text)) and not g.place(surface)):
            return out + self._candidates(text, run.sub(1, len(toks)))
        # "U.S. Action", "U.S. Tariffs": a country before one ordinary word is two things.
        if (not person_cue and len(toks) == 2 and countries().code(toks[0].text)
                and is_common_word(toks[1].text) and fold(toks[1].text) not in _ORGISH):
            first = self._occurrence(text, toks[0].start, toks[0].end, False)
            second = self._occurrence(text, toks[1].start, toks[1].end, False, initial=True)
            return out + [o for o in (first, second) if o is not None]
        # "U.S. Agriculture Department" is the country and its ministry.
        if (not person_cue and len(toks) >= 3 and countries().code(toks[0].text)
                and run.gaps[0] == " " and fold(toks[1].text) in TITLE_MODIFIERS
                and fold(toks[-1].text) in ORG_TAIL):
            return (out + self._candidates(text, run.sub(0, 1))
                    + self._candidates(text, run.sub(1, len(toks))))
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

    def _occurrence(self, text: str, s: int, e: int, from_compound: bool,
                    initial: bool = False) -> Optional[Occ]:
        g = gazetteer()
        surface = text[s:e]
        if is_shouting(surface.replace(" ", "")) and g.place(surface.title()):
            surface = surface.title()           # "ISLAMABAD:" in a dateline
        key = fold(surface)
        tokens = key.split()
        if len(key) < 2 or (len(tokens) == 1 and key in _NOT_ALONE):
            return None
        if (len(tokens) == 1 and is_function_word(key) and not is_acronym(surface)
                and not (key in _STATE_ABBR and text[e:e + 1] == ".")):
            return None          # "Die", "Los", "Und", "Cómo": a sentence opener in any language
        if s and text[s - 1] == "/" and not is_acronym(surface):
            return None          # "Dlrs/Bu-Sorghum": a unit, not a name
        if (len(tokens) == 1 and _under_two_letters(surface)
                and is_sentence_start(text, s)):
            return None          # "X-1986 rates." in a table's notes
        if len(tokens) >= 2 and tokens[-1] in SECTION_WORDS and not (
                tokens[0] in TITLE_MODIFIERS or tokens[0] in ORG_HEAD):
            return None          # "Examplepost Politics": a site's section label, no entity
        occ = Occ(surface, s, e)
        acr = is_acronym(surface)
        prev = _word_before(text, s)
        nxt = _word_after(text, e).lower()
        initial = initial or is_sentence_start(text, s)
        if key in _STATE_ABBR and text[e:e + 1] == ".":
            # "DETROIT, Mich., March 3": the state, and so the country.
            self.extra.append(Occ("United States", s, e, {"place": 1.0}, code="US"))
            return Occ(_STATE_ABBR[key], s, e, {"place": 2.0})
        dem = g.demonym(surface) if not acr else None
        if dem is not None or key in GROUP_ADJECTIVES:
            if dem is not None:      # "Pakistani lives": a mention of Pakistan, not an entity.
                self.extra.append(Occ(dem.name, s, e, {"place": 1.0}, code=dem.code))
            return None
        occ.det = self.lang == "de" and prev in _DE_ARTICLES
        place = g.place(surface)
        if (place is not None and len(tokens) == 1 and fold(place.name) == key
                and tidy(surface) != place.name and is_common_word(surface, 4.0)):
            place = None         # "Store" is no "Štore" (Slovenia)
        if place is not None and self.lang != "en" and len(tokens) == 1 and (
                place.kind != "country" and self._foreign_noun(surface, prev, place)):
            place = None         # "am Ende" (Ende, Indonesia), "die Lage" (Lage, Germany)
        # "Exampleton 2 Sampleford 1", "Exampleshire beat Sampleshire": a town or county
        # with a score or a match verb after it is a team (an organisation); a country
        # stays the country.
        team = (place is not None and place.kind != "country"
                and (_SCORE.match(text, e) is not None or nxt in _MATCH_VERBS))
        if team:
            occ.vote("org", place.weight + 1.0)
        elif (place is None and not acr and len(text) < 300
              and _SCORE.match(text, e) is not None
              and not any(is_common_word(t, 4.5) for t in tokens)
              and _SCORE.search(text, e + 4) is not None
              and text.rfind("(", 0, s) <= text.rfind(")", 0, s)):
            # "Sampleshire 296 and 174": a side in a results row (not its scorers, who
            # stand in brackets: "(P. Example 84)")
            occ.vote("org", 1.0)
        elif place is not None and not (initial and place.kind == "city" and len(tokens) == 1):
            occ.vote("place", place.weight)
            occ.code = place.code
        if from_compound:
            occ.vote("place", 0.5)
        if nxt in PLACE_AFTER and not (initial and len(tokens) == 1):
            occ.vote("place", 2.0)
        if prev in PLACE_BEFORE:
            occ.vote("place", 1.0)
        last, first = tokens[-1], tokens[0]
        if last in ORG_TAIL:
            occ.vote("org", 2.0 if len(tokens) > 1 or last == "taliban" else 1.0)
        if len(tokens) > 1 and first in ORG_HEAD:
            occ.vote("org", 2.0)
        if nxt in ORG_AFTER:
            occ.vote("org", 2.0)
        if prev == "the" and place is None:
            occ.vote("org", 1.5)
        if acr and place is None:
            occ.vote("org", 0.5)
        if prev in TITLE_HEADS or prev.rstrip(".") in PERSON_BEFORE:
            occ.vote("person", 3.0)
        given = given_names()
        placeish = last in PLACE_TAIL or first in PLACE_HEAD
        if not acr and 2 <= len(tokens) <= 4 and last not in ORG_TAIL and not placeish and (
                first in given or (len(first) == 1 and surface[1:2] == "."
                                   and len(tokens[-1]) > 2
                                   and g.place(surface.split()[-1]) is None)):
            occ.vote("person", 2.0)          # "Mira Sample", "P. Example"
        if len(tokens) > 1 and place is None and not acr:
            if len(tokens) >= 3 and tokens[1] == "of" and first in PLACE_OF:
                occ.vote("place", 3.5)       # "Strait of Example", "Gulf of Sample"
            elif placeish:
                occ.vote("place", 2.5)       # "Sample River", "Mount Example", "Exe Square"
            elif (first not in given and len(tokens) <= 3 and not occ.votes
                  and g.place(surface.split()[-1]) is not None
                  and g.place(surface.split()[-1]).kind in ("city", "country")):
                occ.vote("org", 1.0)         # "Dynamo Example-City": a club or company
        # "Ana Sample (Exampleland) 2:01.3": results name people by their country.
        if not acr and place is None and text[e:e + 2] == " (":
            close = text.find(")", e + 2, e + 40)
            if close > 0 and countries().code(text[e + 2:close].strip()) and not (
                    last in ORG_TAIL or first in ORG_HEAD) and (
                    len(tokens) > 1 or initial is False):
                occ.vote("person", 1.5)
        # An unknown run of two or three unusual capitalised words, with nothing else for
        # it, is far more often a person than anything else in news ("Jarno Example").
        if (not occ.votes and not acr and 2 <= len(tokens) <= 3
                and all(t.isalpha() and len(t) > 1 for t in tokens)
                and not any(t in _ORGISH or t in PLACE_TAIL or t in FUNCTION_WORDS
                            for t in tokens)
                and not any(is_common_word(t, 4.3) for t in tokens[1:])
                and not g.demonym(surface.split()[0])):
            occ.vote("person", 0.6)
        # A bare word opening a sentence ("Strikes by Pakistan ...") proves nothing yet.
        occ.initial = initial and len(tokens) == 1 and not acr and not occ.votes
        # "Texaco said", "Reuters said": a single word before "said" is as often a company.
        if (not acr and not occ.initial and prev != "the" and nxt in PERSON_VERBS
                and place is None and len(tokens) > 1
                and last not in ORG_TAIL and first not in ORG_HEAD):
            occ.vote("person", 1.0)
        return occ

    def _foreign_noun(self, surface: str, prev: str, place) -> bool:
        """A place-named word that, in this article's language, is an ordinary word: after
        a German article, or common there and no big city ("Mitte", "Boden", "República";
        but "Berlin", "Köln" and "Wien" stay places)."""
        if self.lang == "de" and prev in _DE_ARTICLES:
            return True
        return zipf(tidy(surface), self.lang) >= 4.5 and place.weight < 2.0

    # -- headlines and titles: only names the body confirms ------------------------------------
    def match_known(self, text: str, known: dict, longest: int = MAX_RUN) -> None:
        """Known names in a headline, longest first.  Windows are at most ``longest``
        tokens (the longest known name), so the work is linear in the line."""
        g = gazetteer()
        for run in runs(text):
            toks = run.tokens
            i = 0
            while i < len(toks):
                for j in range(min(len(toks), i + longest), i, -1):
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


def _split_run(text: str, run: Run, lang: str = "en") -> list[Run]:
    """Cut a run at function words ("While Pakistan"), dates ("Sunday") and at "and"
    unless the whole is one name ("Azad Jammu and Kashmir", "Securities and Exchange Commission").
    In another language, its own function words open no name either ("Der US-Präsident",
    "Als Kim"), unless the whole is a place ("Los Angeles", "La Paz")."""
    pieces: list[Run] = []
    i0 = 0
    toks = run.tokens
    if lang != "en" and len(toks) > 1 and fold(toks[0].text) in top_words(lang) and (
            gazetteer().place(run.text(text)) is None):
        run = run.sub(1, len(toks))
        toks = run.tokens
    for i, t in enumerate(toks + [None]):
        if t is None or (fold(t.text) in _SPLIT_WORDS and "." not in t.text
                         and t.text not in ("US", "UK")) or (
                len(t.text) == 1 and t.text not in "AI"):
            if i > i0:        # (a run with nothing to cut is its own piece: no copy)
                pieces.append(run if i0 == 0 and t is None else run.sub(i0, i))
            i0 = i + 1
    out: list[Run] = []
    g = gazetteer()
    for p in pieces:
        ands = [k for k, gap in enumerate(p.gaps) if gap.strip() in ("and", "&", "and the")]
        if not ands:                # (most runs): nothing to split
            out.append(p)
            continue
        whole = p.text(text)
        # "X Party and the Y Court", "X Party and Y Court": two bodies, even though the
        # whole ends like one ("Securities and Exchange Commission").
        listed = any(p.gaps[k].strip() == "and the" or fold(p.tokens[k].text) in ORG_TAIL
                     for k in ands)
        if not g.place(whole) and (listed or fold(p.tokens[-1].text) not in ORG_TAIL):
            bounds = [0] + [k + 1 for k in ands] + [len(p.tokens)]
            parts = [p.sub(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
            # "Standard and Poor's", "Procter and Gamble": an ordinary word alone is no
            # member of a list, so the whole is one name.
            if any(len(q.tokens) == 1 and is_common_word(tidy(q.tokens[0].text))
                   and not g.place(q.tokens[0].text) and not g.demonym(q.tokens[0].text)
                   for q in parts):
                out.append(p)
            else:
                out.extend(parts)
        else:
            out.append(p)
    return out


def _initials(name: str) -> tuple[str, str]:
    """Initials with and without the small words: "Ministry of Foreign Affairs" -> ("mofa", "mfa")."""
    words = _SPLIT_WORDS_RE.split(fold(name))
    full = "".join(w[0] for w in words if w)
    big = "".join(w[0] for w in words if w and w not in FUNCTION_WORDS)
    return full, big


def extract(title: str, body: str, dateline: Optional[str] = None) -> dict:
    """See the module docstring."""
    lang = language(body or "")
    art = _Article(lang)
    headlines: list[str] = []
    title = (title or "").strip()
    if title and (is_headline(title) or len(title.split()) < 8):
        headlines.append(title)
    elif title:
        art.spot(title)
    body = _drop_sign_off(body or "")
    dl_places = _dateline_places(dateline) if dateline else []
    for a, b in paragraphs(body):
        line = body[a:b]
        # Headlines, and wire copy in capitals throughout ("SORGHUM CWT X-1986 ..."),
        # say nothing about which words are names: only names the body confirms count.
        # So do lines of one or two words ("REUTER", a sign-off).
        # (split at most twice: whether there are more than two words is all that counts)
        short = len(line.split(None, 2)) <= 2 and line.rstrip()[-1:] not in ".!?"
        if not art.occs and not dl_places and _may_be_date_line(line) and _DATE_LINE.match(line):
            # "EXAMPLETOWN 1996-08-30", "SAMPLE CITY, Exampleland 1996-12-06": a
            # dateline on its own line, before the story's first sentence.
            dl_places = _dateline_places(_DATE_LINE.match(line).group(1))
            if dl_places:
                continue
        if short:
            headlines.append(line)
            continue
        # A title-cased line with figures in it is a table row ("Ana Example (Sampleland)
        # 51.43"), not a headline: its names are spotted like a sentence's.
        row = _FIGURES.search(line) is not None
        headline = is_headline(line)
        if (headline and not row) or is_shouting_line(line):
            headlines.append(line)
        else:
            art.spot(line, row=row and headline)
    lower_words = None      # the body's lower-case words, read when first needed below

    occs = art.occs
    # Group by folded key; keep the best-looking surface.
    by_key: dict[str, list[Occ]] = defaultdict(list)
    for o in occs:
        by_key[fold(tidy(o.surface))].append(o)

    # Within the article, "Khan" after "Shafqat Ali Khan" is that person.
    # Only names that look more like a person than anything else, and never "X of Y"
    # ("Pat Carney of Canada" must not swallow every "Canada" of the story).
    persons_by_last: dict[str, set] = defaultdict(set)
    for key, os_ in by_key.items():
        toks = key.split()
        # ... and only a name with real evidence of a person (a given name, a title, an
        # initial), never the weak guess for an unknown pair of words.
        if (len(toks) > 1 and "of" not in toks and _top_vote(os_) == "person"
                and sum(o.votes.get("person", 0.0) for o in os_) >= 2.0 * len(os_)):
            persons_by_last[toks[-1]].add(key)
    # "Afghan Taliban" where "Taliban" stands alone too: a mention of Taliban (and Afghanistan).
    g = gazetteer()
    for key in list(by_key):
        toks = key.split()
        target = None
        if (len(toks) == 1 and len(persons_by_last.get(key, ())) == 1
                and not is_acronym(by_key[key][0].surface) and not countries().code(key)
                and g.place(by_key[key][0].surface) is None and key not in _ORGISH
                and not g.demonym(by_key[key][0].surface)
                and not any(o.votes.get("org", 0) or o.votes.get("place", 0)
                            for o in by_key[key])):
            target = next(iter(persons_by_last[key]))
            o = by_key[key][0]
            art.surnames.append((tidy(o.surface), target, o.src, o.start, o.end))
        elif len(toks) > 1 and g.place(by_key[key][0].surface) is None:
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

    # A bare capitalised word with no other evidence is a name only if the story never
    # writes it in lower case, and, when it only ever opens a sentence, only if it is
    # no ordinary English word ("Showers continued ...", "Arrivals for the week ...").
    for key in [k for k, os_ in by_key.items() if " " not in k]:
        os_ = by_key[key]
        if any(o.votes for o in os_) or is_acronym(os_[0].surface):
            continue
        # (a word the body does not even hold as a substring is none of its
        # lower-case words: the regex pass for those is made only when one might be)
        lower = key in body
        if lower:
            if lower_words is None:
                lower_words = set(_LOWER_WORD.findall(body))
            lower = key in lower_words
        if lower or (all(o.initial for o in os_) and is_common_word(key)):
            del by_key[key]
        elif lang != "en" and _foreign_word(os_[0].surface, lang) and (
                lang == "de" or all(o.initial for o in os_)):
            del by_key[key]      # "Jahr", "Menschen" in German; "Cuando" opening Spanish
        elif any(o.det for o in os_) and zipf(tidy(os_[0].surface), lang) >= 3.0:
            del by_key[key]      # "im Fall", "am Tag": a German noun, however English it looks
    # "Weitere Informationen", "Grüner Wasserstoff": in German, a run of ordinary words
    # with nothing else for it is a capitalised noun phrase, not a name.
    if lang == "de":
        for key in [k for k, os_ in by_key.items() if " " in k]:
            os_ = by_key[key]
            if not any(o.votes for o in os_) and all(
                    is_function_word(w) or _foreign_word(w, lang)
                    for w in tidy(os_[0].surface).split()):
                del by_key[key]

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
        if o.code and fold(tidy(o.surface)) == key:
            f["g"] = o.code          # only the country's own name carries its code

    for key, os_ in by_key.items():
        for o in os_:
            add(key, o)
    # Headlines and the title: only names the body confirms.
    known = {k: surface_of[k] for k in by_key}
    longest = max((k.count(" ") + 1 for k in known), default=1)
    for line in headlines:
        art.match_known(line, known, min(longest, MAX_RUN))
    art.extra.extend(dl_places)
    for o in art.extra:
        key = fold(o.surface)
        if key not in surface_of:
            surface_of[key] = o.surface
        add(key, o)

    # Aliases the text teaches.
    hints: list[list[str]] = []
    seen = set()

    def hint(a: Occ, b: Occ, kind: str, text: str) -> None:
        ka, kb = fold(tidy(a.surface)), fold(tidy(b.surface))
        if ka == kb or ka not in surface_of or kb not in surface_of:
            return
        h = (surface_of[ka], surface_of[kb], kind)
        if h not in seen:
            seen.add(h)
            hints.append([*h, _sentence(text, a.start, b.end)])

    for text, pos in art.paras:
        for a, b in zip(pos, pos[1:]):
            between = text[a.end:b.start]
            if len(between) > 60:
                continue
            if between.strip() == "(" and text[b.end:b.end + 1] == ")":
                # Schwartz–Hearst: the acronym's letters must fit the long form's words.
                if is_acronym(b.surface) and _fits(tidy(b.surface), tidy(a.surface)):
                    hint(a, b, "acronym", text)
                    # A name worth an acronym is an organisation more often than not.
                    f = forms.get(surface_of.get(fold(tidy(a.surface)), ""))
                    if f is not None and "place" not in f.get("t", {}):
                        f.setdefault("t", {})["org"] = f.get("t", {}).get("org", 0) + 1.0
            elif between == "/" and is_acronym(a.surface) and is_acronym(b.surface):
                # "TTP/FaK": as often two bodies named together ("DHS/ICE"); the
                # resolver takes it only when neither name stands on its own.
                hint(a, b, "slash", text)
            elif (_TERMED.match(between) or _REFERS.match(between)) and _TERMED_END.match(
                    text[b.end:b.end + 3]):
                hint(a, b, "alias", text)
    for bare, full, text, s_, e_ in art.surnames:
        kf = fold(full)
        if kf in surface_of:
            h = (surface_of[kf], bare, "surname")
            if h not in seen:
                seen.add(h)
                hints.append([*h, _sentence(text, s_, e_)])
    # "UN" and "United Nations" in one article: initials that match exactly one long name.
    acronyms = [k for k in surface_of if is_acronym(surface_of[k])]
    longs = [(k, _initials(k)) for k in surface_of
             if len(_SPLIT_WORDS_RE.split(k)) > 1] if acronyms else []
    for ak in acronyms:
        letters = "".join(c for c in ak if c.isalnum())
        cands = [lk for lk, initials in longs if letters in initials]
        if len(cands) == 1:
            if any(w == letters.casefold() for w in cands[0].split()):
                continue         # "DC" and "DC Circuit": the acronym is a word of the name
            h = (surface_of[cands[0]], surface_of[ak], "initials")
            if h not in seen:
                seen.add(h)
                hints.append([*h, None])
    return {"forms": forms, "hints": hints}


def _sentence(text: str, start: int, end: int, limit: int = 400) -> str:
    """The sentence of ``text`` around ``start:end`` (at most ``limit`` characters)."""
    lo = max(0, start - limit)
    a = max(text.rfind(". ", lo, start), text.rfind("? ", lo, start), text.rfind("! ", lo, start))
    a = a + 2 if a >= 0 else lo
    m = _SENTENCE_CLOSE.search(text, end, min(len(text), end + limit))
    b = m.end() if m else min(len(text), end + limit)
    return text[a:b].strip()


def _top_vote(occs: list[Occ]) -> Optional[str]:
    votes: dict[str, float] = defaultdict(float)
    for o in occs:
        for k, v in o.votes.items():
            votes[k] += v
    return max(votes, key=votes.get) if votes else None


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
    if place is None and (is_common_word(name) or len(name.split()) > 4):
        return []        # "SOCCER -", "Analysis by": headline furniture, no place
    out = [Occ(name, 0, 0, {"place": 2.0}, code=getattr(place, "code", None))]
    country = g.country(getattr(place, "country", None))
    if len(parts) > 1 and fold(parts[1]) in US_STATE_ABBREVIATIONS:
        country = g.country("US")
    if country is not None and country.name != name:
        out.append(Occ(country.name, 0, 0, {"place": 1.0}, code=country.code))
    for part in parts[1:3]:          # "SAMPLE CITY, Exampleland": the country as written
        p = g.place(part)
        if p is not None and (country is None or p.name != country.name):
            out.append(Occ(part, 0, 0, {"place": 2.0}, code=p.code))
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
