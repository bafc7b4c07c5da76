"""Spotting candidate names in clean text, without a statistical model.

News writes names as runs of capitalised words, and it joins them in ways a
plain ``[A-Z]\\w+`` misses: ``Siraj-ud-Din Haqqani``, ``Fitna-al-Khawarij``,
``al-Qaeda``, ``ISIS–Khorasan``, ``U.S.``, ``Ministry of Foreign Affairs``.
This module finds those runs (:func:`runs`) and knows the text facts the
entity stage needs around them: where sentences start (a capitalised word
there proves nothing), which lines are headlines (everything is capitalised
there, so only names the body confirms count), and :func:`fold`, the one key
under which two spellings of a name are the same (case, diacritics, dashes,
dots and apostrophes do not matter).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .charclass import CharClass

#: Upper-case letters a name may start with (ASCII plus Latin-1/Latin Extended capitals).
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
DASHES = "-‐‑‒–—"
_D = re.escape(DASHES)

# One name token: an optional lower-case Arabic/European particle glued with a
# dash (al-Qaeda), a dotted acronym (U.S.) or a capitalised word, then any
# dash-joined continuation (Siraj-ud-Din, Fitna-al-Khawarij, ISIS-K).
_WORD = rf"[{UPPER}][^\W_]*(?:['’][{UPPER}][^\W_]*)?"
_TOKEN = re.compile(
    rf"(?<![\w{_D}'’.@#])"
    rf"(?:(?:al|el|ad|an|as|ash|at|ar|az|ul|ud|ur|bin|ibn|abu)[{_D}](?=[{UPPER}]))?"
    rf"(?:[{UPPER}]\.(?:[{UPPER}]\.)+|{_WORD})"
    rf"(?:[{_D}](?:[a-z]{{1,3}}[{_D}])?(?:{_WORD}|\d+))*"
)
# The same tokens where none opens with a particle -- a text without a dash
# before a capital (:data:`_PARTICLE_GATE`), which is nearly every line.  The
# look-behind comes after the first letter here, so the pattern opens with a
# character class and the regex engine skips in C to the next capital instead
# of trying the whole pattern at every position (a third of :func:`runs`).
# Both alternatives of ``_TOKEN`` start with that capital, factored out.
_TOKEN_NO_PARTICLE = re.compile(
    rf"[{UPPER}](?<![\w{_D}'’.@#].)"
    rf"(?:\.(?:[{UPPER}]\.)+|[^\W_]*(?:['’][{UPPER}][^\W_]*)?)"
    rf"(?:[{_D}](?:[a-z]{{1,3}}[{_D}])?(?:{_WORD}|\d+))*"
)
#: in every token that opens with a particle ("al-Qaeda"): a dash, then a capital
_PARTICLE_GATE = re.compile(rf"[{_D}][{UPPER}]")
#: the same in ASCII text, where "-" is the one dash and A-Z the capitals
_PARTICLE_GATE_ASCII = re.compile(r"-[A-Z]")
# What may stand between two tokens of one run: a space, or a space-joined
# connector ("Ministry of Foreign Affairs", "Bank of England", "Abu Bakr al Baghdadi").
_GAP = re.compile(r"^(?: | (?:of|for|and|&|de|du|da|del|van|von|der|den|la|le|bin|ibn|al|el|y)(?: the)? )$")

_FOLD_DROP = dict.fromkeys(map(ord, ".'’‘`´"), None)
_FOLD_DASH = str.maketrans({c: "-" for c in DASHES[1:]})
_SPACES = re.compile(r"\s+")
_PAREN_TAIL = re.compile(r"\s*\([^()]*\)\s*$")
_POSSESSIVE = re.compile(r"['’]s?$")
_DASH_SPACES = re.compile(r"\s*-\s*")


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """The lookup key of a name: case-, diacritic-, dash- and dot-insensitive.

    ``fold("Türkiye") == fold("TURKIYE")``, ``fold("ISIS–Khorasan") ==
    fold("isis-khorasan")``, ``fold("U.S.") == fold("US")``.
    """
    if name.isascii():
        # the same steps, less those that cannot change ASCII text (decomposition,
        # combining marks, the non-ASCII dashes, "ı"/"ß"; casefold is lower there)
        s = name.translate(_FOLD_DROP).lower()
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c))
        s = s.translate(_FOLD_DASH).translate(_FOLD_DROP).casefold()
        s = s.replace("ı", "i").replace("ß", "ss")
    # runs of white space as one space (str.split's white space is the regex \s)
    s = " ".join(s.split()).strip(" -")
    return _DASH_SPACES.sub("-", s) if "-" in s else s


@lru_cache(maxsize=50_000)
def tidy(surface: str) -> str:
    """A surface form as shown: single spaces, no possessive, no trailing ``(ACR)``.
    (Cached: an article tidies each of its names several times.)"""
    s = " ".join(surface.split())
    if s.endswith(")"):
        s = _PAREN_TAIL.sub("", s) or s
    if s.endswith(("'", "’", "'s", "’s")):
        s = _POSSESSIVE.sub("", s).strip() or s
    return s


@lru_cache(maxsize=100_000)
def is_acronym(token: str) -> bool:
    """``TTP``, ``MoFA``, ``FaK``, ``U.S.``, ``ISIS-K`` -- short and mostly capitals."""
    letters = [c for c in token if c.isalpha()]
    if not 2 <= len(letters) <= 8 or " " in token:
        return False
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper * 2 > len(letters) and token[0].isupper()


@lru_cache(maxsize=50_000)
def is_shouting(token: str) -> bool:
    """An all-capitals ordinary word (``ISLAMABAD``, ``ALSO``): not an acronym."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 5 and all(c.isupper() for c in letters) and "." not in token


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Run:
    """Consecutive name tokens and the text between them (``gaps[i]`` precedes ``tokens[i+1]``)."""

    tokens: list
    gaps: list

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    def sub(self, i: int, j: int) -> "Run":
        return Run(self.tokens[i:j], self.gaps[i:j - 1])

    def text(self, source: str) -> str:
        return source[self.start:self.end]


#: The most tokens one run may hold.  No name is longer ("Islamic Emirate of
#: Afghanistan Ministry of Foreign Affairs" is 7); a longer run (a table, or
#: crafted input like "Abc Abc Abc ...") is cut into pieces, so that every later
#: step that looks at a run's sub-spans stays linear in the text.
MAX_RUN = 12


def _token_pattern(text: str) -> re.Pattern:
    """:data:`_TOKEN`, or :data:`_TOKEN_NO_PARTICLE` where no particle can
    open a token (:data:`_PARTICLE_GATE`).  In ASCII text the one dash is
    "-", so a line without it (most) is answered by a C scan instead of the
    gate's regex, which tests every character against its class; a line
    with it is searched for "-" and a capital, a regex opening with one
    literal character, which the regex engine skips to in C."""
    if text.isascii():
        if "-" not in text:
            return _TOKEN_NO_PARTICLE
        gate = _PARTICLE_GATE_ASCII
    else:
        gate = _PARTICLE_GATE
    return _TOKEN if gate.search(text) else _TOKEN_NO_PARTICLE


def runs(text: str) -> list[Run]:
    """All runs of name tokens in ``text``, left to right (at most :data:`MAX_RUN` tokens each)."""
    out: list[Run] = []
    cur: Run | None = None
    pos_end = -10
    for m in _token_pattern(text).finditer(text):
        start, end = m.span()
        tok = Token(start, end, m.group())
        if cur is not None:
            gap = text[pos_end:start]
            last = cur.tokens[-1]
            if gap == ". " and len(last.text) == 1:
                # "Khawaja M. Asif": the initial keeps its dot and the run goes on.
                cur.tokens[-1] = Token(last.start, last.end + 1, last.text + ".")
                gap = " "
            if (gap == " " or _GAP.match(gap)) and len(cur.tokens) < MAX_RUN:
                cur.tokens.append(tok)
                cur.gaps.append(gap)
                pos_end = end
                continue
            out.append(cur)
        cur = Run([tok], [])
        pos_end = end
    if cur is not None:
        out.append(cur)
    return out


_SENT_END = set(".!?\n:;–—|•")
_OPENERS = set(" \t\"“‘'(«[*")


def is_sentence_start(text: str, pos: int) -> bool:
    """True when ``pos`` begins a sentence, line or quotation (capitals prove nothing there)."""
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        if text[i] in "\"“‘'(«" and (i == 0 or text[i - 1] in " \n\t"):
            return True
        i -= 1
    if i < 0:
        return True
    c = text[i]
    if c in _SENT_END:
        # "U.S. officials": a dot closing an abbreviation is not a sentence end.
        if c == "." and i >= 2 and text[i - 2] == "." :
            return False
        return True
    if c in "”\"’)" and i >= 1 and text[i - 1] in ".!?":
        return True
    return False


_WORDLIKE = re.compile(r"[^\W\d_][\w'’\-]*")
#: what a word of :data:`_WORDLIKE` is made of
_WORD_CHARS = CharClass(r"[\w'’\-]")
#: in a line spaced by :data:`_WORD_CHARS`: what opens a run of them but no word
#: (digits, "_", apostrophes and dashes before its first letter, if any); the
#: regex engine skips in C to those few characters
_NO_WORD_START = re.compile(r"[\d_'’\-](?<![^ ].)[\d_'’\-]*")
_NO_WORD_START_ASCII = re.compile(r"[0-9_'\-](?<![^ ].)[0-9_'\-]*")


@lru_cache(maxsize=8)
def _wordlike(line: str) -> tuple:
    """The words of a line, for :func:`is_headline` and :func:`is_shouting_line`,
    which the entity stage asks of the same line one after the other.  (The
    words never include white space, so a stripped line has the same ones.)

    ``_WORDLIKE.findall(line)`` without the regex engine walking every
    character: a word is a maximal run of :data:`_WORD_CHARS` from its first
    letter on, so the runs, less what opens them before a letter, are the words."""
    spaced = _WORD_CHARS.spaced(line)
    rx = _NO_WORD_START_ASCII if spaced.isascii() else _NO_WORD_START
    return tuple(rx.sub(" ", spaced).split())


def is_headline(line: str) -> bool:
    """A title-cased line ("Harbouring of TTP Leaders in Afghanistan"): short, no
    sentence end, nearly every longer word capitalised.  Such lines are matched
    only against names the body confirms, never spotted on their own."""
    words = _wordlike(line)
    line = line.strip()
    if not line or len(line) > 200:
        return False
    if not words or len(words) > 25:
        return False
    if line[-1] in ".!?\"”" and len(words) > 6:
        return False
    long_words = [w for w in words if len(w) > 3]
    if len(long_words) < 2:
        return all(w[0].isupper() for w in words) and len(words) > 1
    caps = sum(w[0].isupper() for w in long_words)
    return caps >= 0.75 * len(long_words)


def is_shouting_line(line: str) -> bool:
    """A line written mostly in capitals ("U.S. SORGHUM CWT ..."): wire tables and
    all-caps copy, where capitals prove nothing."""
    words = _wordlike(line)
    # (a line without a word in capitals, most, is answered before the
    # one-letter words are set aside)
    if len(words) < 3 or not any(map(str.isupper, words)):
        return False
    words = [w for w in words if len(w) > 1]
    if len(words) < 3:
        return False
    caps = sum(map(str.isupper, words))
    return caps >= 0.6 * len(words)


_LINE = re.compile(r"[^\n]+")


def paragraphs(text: str):
    """Yield ``(start, end)`` offsets of the non-empty lines of ``text``."""
    for m in _LINE.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()
