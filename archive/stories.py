"""Same-story grouping: versions of one event, whether wire copy or each
outlet's own words.  Pure text analysis; nothing here knows of an index.

Shape (as for entities): :func:`signature` reads one article (in a loader
worker), :func:`assign` builds or updates the groups from signatures plus the
article's resolved entity names, :func:`group` is the full build, and
:func:`label` says which version came first and who ran each one.

What counts as one story:

* **Copies of one text** -- a wire story reprinted, re-sent, corrected.  At
  least ``DUP_SHARE`` of the shorter article's word 5-grams (numbers kept
  literally) are shared, more as the days between them grow
  (``DUP_PER_DAY``: a rate table re-issued with new figures days later is
  another item), and at least ``DUP_MIN_GRAMS`` of them, within
  ``WINDOW_DAYS``; and neither headline nor lead names someone the other
  article never mentions ("STATE STREET ... SETS QUARTERLY" / "ROWE
  FURNITURE ... SETS QTLY DIVIDEND" over one dividend template).
* **One event in each outlet's own words** -- a speech, a withdrawal, a
  protest reported by three papers.  They share what the story is *about*:
  the title, the lead and the named entities.  The evidence is the mean of two
  cosines, one over the title + lead + entities ("about"), one over the whole
  body, and the bar rises with the gap between publication dates
  (``OWN_COS + OWN_PER_DAY * gap``, nothing beyond ``OWN_MAX_GAP`` days), so
  two stories about one politician a week apart stay apart.  Shared rare
  quotations lower the bar a little (``QUOTE_BONUS``).  Items that are mostly
  figures (earnings tables, price lists) only ever group as copies: their
  words are the template's, the news is in the numbers.  So do two articles
  of one outlet (an outlet does not tell one event twice in its own words;
  its updates keep its text), and an undated article needs shared quotations.
  Two titles whose names each go unmentioned by the other article ("TEXAS
  WEEKLY CROP REPORT" / "OKLAHOMA ...") are two stories.

Word weights are *fixed*, not counted over the archive: a word's rarity in
general language (``wordfreq``'s Zipf scale: "the" 7.7, "mosque" 3.9,
"Zuccotti" 1.8).  So whether two articles are one story depends only on the
two of them, never on what else was indexed, which is what makes the groups
incremental: a new article joins or starts a group, and groups change only
where a new (or removed) article links them.  Applying increments gives
exactly the full build (``tests/archive/test_stories.py`` checks it).

Groups are the connected components of those pair links, refined inside
each component by complete linkage (two parts merge, best link first, only
if every pair across them is at least ``related``), so A~B, B~C does not
pull in a C that shares nothing with A.  The refinement depends only on the
component's members, so it too is order-free.  A group is named after its
smallest id; :func:`label` gives its earliest version.

Costs: a signature is a tokenisation, a cached lookup per distinct word and
two hash passes.  Candidate pairs come from sparse products of the "about"
vectors of articles at most ``WINDOW_DAYS`` apart, one block of days at a
time (and each pair from one side only), so the work grows with the archive,
not with its square.  Candidates then meet the evidence cheapest first -- shared
words, the about cosine, the days and outlets, the shared 5-grams -- and only
the few left get the full evidence; each step only drops pairs that
:func:`decide` would refuse, so the groups are those of the full evidence
(``tests/archive/test_stories.py`` checks it).  About 20 s of CPU for 190k
Reuters articles (``bench/story_groups.py``).
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import struct
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, islice
from operator import mul
from typing import NamedTuple

import numpy as np
from scipy import sparse

from .charclass import CharClass
from .sigfile import Sig, SigFile, raw as raw_sig

MAGIC = 0x53545233           # "STR3": signature layout version; older bytes are ignored
NGRAM = 5                    # words per verbatim shingle
QUOTE_LOWER = 3              # lower-case words a 5-gram needs to count as a quotation
MIN_TERMS = 3                # fewer distinct content words: no signature
LEAD_WORDS = 40              # content words of the body that make its lead
TITLE_WEIGHT = 2.0           # a title word counts twice a lead word
ENTITY_WEIGHT = 1.5          # an entity name counts this much more than a word of its rarity
TABLE_NUMBERS = 0.25         # share of tokens that are figures: a table, grouped only as copies

WINDOW_DAYS = 7              # nothing groups across more days than this
CAND_ABOUT = 0.20            # pairs below this "about" cosine never link ...
CAND_TABLE = 0.60            # a table's copy has its headline and figures: far above this
CAND_PRUNE = 0.08            # (candidates: dot of about words of at least this weight >= CAND_ABOUT - CAND_SLACK)
CAND_SLACK = 0.05
RELATED_ABOUT = 0.10         # ... nor, below this, stay together in a group

DUP_SHARE = 0.6              # copies of one text: share of the shorter's 5-grams ...
DUP_MIN_GRAMS = 8            # ... and at least this many (a 12-word run): tiny items are templates
DUP_PER_DAY = 0.08           # ... plus this per day between the two dates
DUP_SHARE_TABLE = 0.8        # a table (mostly figures) is a copy only when nearly all of it is
OWN_COS = 0.28               # own words: mean of about and body cosines, same day ...
OWN_PER_DAY = 0.03           # ... plus this per day between the two dates ...
OWN_MAX_GAP = 4              # ... and never more days apart than this
OWN_MIN_SHARED = 30          # distinct content words both bodies use: short items group only as copies
QUOTE_MIN = 2                # shared quotation 5-grams that ...
QUOTE_BONUS = 0.04           # ... lower the bar by this much
RELATED_SLACK = 0.08         # inside a group every pair is within this of the bar
UNDATED_GAP = 1              # an undated article is judged as if this many days away, and
                             # in its own words only with shared quotations (QUOTE_MIN)
MAX_GROUP = 25
_EPS = 1e-4                  # float slack of the cheap tests before the full evidence
LEAD_NAME_RARITY = 1.5       # lead name words rarer than "said" or "the" (see _lead_names) ...
LEAD_CHARS = 400             # ... in this much of the body
NAMES_SLACK = 2              # own words: each lead may name at most this many the other never does
SUBJECT_RARITY = 2.0         # a title name at least this rare is a subject the other must mention

_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*|[^\W\d_]+")
_STOP = frozenset("""a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves said says say told
may might must shall one two three new mr mrs ms year years""".split())

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)
_S29, _S32 = np.uint64(29), np.uint64(32)


class _Cache(dict):
    """``key -> fn(key)``, computed on first use, emptied when it passes
    ``limit`` entries.  A dict that fills itself (``__missing__``), so that
    :func:`signature` looks a whole token list up with
    ``map(cache.__getitem__, ...)``, in C: a hit costs no Python call."""

    __slots__ = ("fn", "limit")

    def __init__(self, fn, limit: int):
        super().__init__()
        self.fn = fn
        self.limit = limit

    def __missing__(self, key):
        if len(self) > self.limit:
            self.clear()
        v = self[key] = self.fn(key)
        return v


def _crc(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def _rarity_of(word: str) -> float:
    return min(5.5, max(0.25, 7.0 - zipf_en(word)))


_hash_cache = _Cache(_crc, 400_000)
_rarity_cache = _Cache(_rarity_of, 400_000)


def _h(word: str) -> int:
    """Stable 32-bit word hash (Python's ``hash`` differs per process)."""
    return _hash_cache[word]


def rarity(word: str) -> float:
    """How much a shared word says, from its frequency in general language:
    7 minus its Zipf value, kept in [0.25, 5.5] ("the" 0.25, "speech" 2.2,
    "mosque" 3.1, a name unknown to the word list 5.5)."""
    return _rarity_cache[word]


#: lower-case ASCII words, one space apart: wordfreq's English tokenizer
#: splits them at the spaces and changes nothing else
_PLAIN = re.compile(r"[a-z]+(?: [a-z]+)*")
_freqs_en: dict | None = None


def zipf_en(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``, exactly.  For plain words it
    skips wordfreq's tokenizer (regexes and Unicode normalisation: most of
    the 40 us a first lookup costs, and a reindex meets tens of thousands of
    words and entity names for the first time) and does its arithmetic on
    its own frequency table; ``tests/archive/test_rarity.py`` checks the two
    agree on the whole word list."""
    global _freqs_en
    if not _PLAIN.fullmatch(word):
        from wordfreq import zipf_frequency
        return zipf_frequency(word, "en")
    if _freqs_en is None:
        from wordfreq import get_frequency_dict
        _freqs_en = get_frequency_dict("en", "best")
    one_over = 0.0
    for token in word.split(" "):
        f = _freqs_en.get(token)
        if f is None:                  # any word missing: the minimum, unrounded
            return _ZIPF_OF_MINIMUM
        one_over += 1.0 / f
    freq = max(1.0 / one_over, _MINIMUM)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


#: wordfreq's ``zipf_to_freq(0.0)``: the frequency of a word it does not know
_MINIMUM = 10 ** (0.0 - 9)
_ZIPF_OF_MINIMUM = round(math.log(_MINIMUM, 10) + 9, 2)


def _norm(word: str) -> str:
    """Crude plural folding so 'refugees' meets 'refugee' across outlets."""
    if len(word) > 4 and word[-1] == "s" and word[-2] not in "su":
        return word[:-1]
    return word


def _content(tokens):
    # "Ground Zero mosque" -> ["ground", "zero", "mosque"]; numbers and stopwords are dropped
    for t in tokens:
        if t[0].isdigit() or len(t) < 2 or t in _STOP:
            continue
        yield _norm(t)


def _token_facts(raw: str) -> tuple:
    t = raw.casefold()
    content = None if t[0].isdigit() or len(t) < 2 or t in _STOP else _norm(t)   # as _content
    return (content, _h(t), len(raw) > 1 and raw.islower(), t[0].isdigit())


#: bounded: figures keep coming
_token_cache = _Cache(_token_facts, 100_000)


def _token(raw: str) -> tuple:
    """What :func:`signature` needs of one raw token, computed once per
    distinct token (a body repeats its words, an archive its vocabulary):
    (content word or None -- see :func:`_content` --, hash of the folded
    token, lower-case word flag, figure flag)."""
    return _token_cache[raw]


#: what :data:`_TOKEN`'s tokens are made of: letters, digits and the
#: separators inside a figure ("5.93", "155,221", "1/2")
_TOKEN_CHARS = CharClass(r"[^\W_]", ".,/")


def _chunk_facts(chunk: str) -> tuple:
    return tuple(map(_token_cache.__getitem__, _TOKEN.findall(chunk)))


#: a run of :data:`_TOKEN_CHARS` ("said,", "5.93", "year.") -> the facts of
#: its tokens (bounded, as the token cache)
_chunk_cache = _Cache(_chunk_facts, 100_000)


def _token_info(text: str) -> list:
    """``[_token(t) for t in _TOKEN.findall(text)]``, without the regex: no
    token crosses a character outside :data:`_TOKEN_CHARS`, and the regex
    stops at one as at the end of the text, so the tokens of ``text`` are
    those of its runs of them, one after the other -- and a run, looked up
    whole in :data:`_chunk_cache`, is nearly always a word seen before.
    (The regex engine spent hundreds of instructions per character.)"""
    return list(chain.from_iterable(map(_chunk_cache.__getitem__, _TOKEN_CHARS.runs(text))))


def _log_weight(n: int) -> float:
    return float(1.0 + np.log(n))


_log_cache = _Cache(_log_weight, 10_000)


def _tf_weight(n: int) -> float:
    """``1 + ln n``, the weight of a term seen ``n`` times (cached: the
    same few counts come back in every article)."""
    return _log_cache[n]


_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december""".split())
_SENTENCE_END = frozenset('.!?"\u201c\u201d\n:;')


#: a word of :data:`_TOKEN` (a run of letters) whose first letter is no ASCII
#: small letter: the only ones :func:`_lead_names` may take, found by the regex
#: engine skipping to them (``str.isupper`` decides for the rest)
_LEAD_WORD = re.compile(r"[^\W\d_a-z](?<![^\W\d_].)[^\W\d_]*")
#: the same in an ASCII lead, where letters are [A-Za-z] (cheaper to test)
_LEAD_WORD_ASCII = re.compile(r"[A-Z](?<![A-Za-z].)[A-Za-z]*")


def _lead_names(text: str):
    """Words of names in the lead: capitalised words that do not merely start
    a sentence, or that start a run of capitalised words ("Union Valley Trust
    said ..." -> union, valley, trust; "The bank said" -> nothing).

    The tokens of the lead are :data:`_TOKEN`'s, but only its capitalised
    words are visited: every letter or digit belongs to a token, so the last
    non-space character before a word is either the previous token's (no
    sentence end) or the last one of the gap between them, and a word is
    followed by a capitalised token, across white space only, when the first
    non-space character after it is a capital letter or digit."""
    lead = text[:LEAD_CHARS]
    for m in (_LEAD_WORD_ASCII if lead.isascii() else _LEAD_WORD).finditer(lead):
        w = m.group()
        if not w[0].isupper() or len(w) < 2:
            continue
        before = lead[:m.start()].rstrip()[-1:]
        # nothing before the first token; a token's last letter or digit ends no sentence
        initial = not before or (not before.isalnum() and before in _SENTENCE_END)
        after = lead[m.end():].lstrip()[:1]
        follows = after.isupper() and after.isalnum()
        if initial and not follows:
            continue
        t = _norm(w.casefold())
        if t not in _STOP and t not in _CALENDAR and rarity(t) >= LEAD_NAME_RARITY:
            yield t


def _ordinal(published) -> int:
    if not published or len(str(published)) < 10:
        return 0
    try:
        return _dt.date.fromisoformat(str(published)[:10]).toordinal()
    except ValueError:
        return 0


def _weighted(counts: dict[str, float]):
    """(sorted hashes, float16 weights) of a word -> weight mapping."""
    n = len(counts)
    hs = np.fromiter(map(_hash_cache.__getitem__, counts), dtype=np.uint32, count=n)
    ws = np.fromiter(counts.values(), dtype=np.float32, count=n)
    order = hs.argsort(kind="stable")
    hs, ws = hs[order], ws[order]
    if hs.size and (hs[1:] == hs[:-1]).any():      # a hash collision: merge the two words
        hs, inv = np.unique(hs, return_inverse=True)
        ws = np.bincount(inv, weights=ws).astype(np.float32)
    return hs, ws.astype(np.float16)


def _hash_set(words) -> np.ndarray:
    """Sorted distinct hashes of ``words``: ``_weighted(...)[0]`` when the
    weights are not wanted, without the numpy calls (sets of a few words)."""
    return np.array(sorted({_h(t) for t in words}), dtype=np.uint32)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` for a 1-d array, by sorting: a few times quicker on
    an article's few hundred 5-gram hashes than numpy's general version."""
    a = np.sort(a)
    keep = np.empty(a.size, dtype=bool)
    keep[:1] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def signature(text: str, published: str | None = None, title: str | None = None) -> bytes | None:
    """Bytes holding what :func:`assign` needs for one article, or None when
    the body has too few content words to tell anything.

    Layout: uint32 little-endian MAGIC, publication date as a proleptic
    ordinal (0 = undated), figures per thousand tokens, number of body terms,
    of 5-grams and of about terms; the sorted body-term hashes, the sorted
    5-gram hashes (lowest bit set for quotation 5-grams), the sorted about-term
    hashes; then float16 weights of the body terms and of the about terms.
    """
    info = _token_info(text or "")
    # the token facts column by column (zip in C, not a comprehension each)
    words, hashes, lows, digits = zip(*info) if info else ((), (), (), ())
    # Counter keeps first-seen order, so the first LEAD_WORDS keys are the lead
    # (None, for the tokens that are no content word, is counted and dropped)
    tf = Counter(words)
    tf.pop(None, None)
    if len(tf) < MIN_TERMS:
        return None
    rar = _rarity_cache.__getitem__
    lead_words = list(islice(tf, LEAD_WORDS))
    lead = dict(zip(lead_words, map(rar, lead_words)))
    # each term: _tf_weight(count) * rarity (the dict and its products built in C)
    body = dict(zip(tf, map(mul, map(_log_cache.__getitem__, tf.values()), map(rar, tf))))
    about = dict(lead)
    title_content = [i[0] for i in _token_info(title or "") if i[0] is not None]
    for t in title_content:
        about[t] = about.get(t, 0.0) + TITLE_WEIGHT * rarity(t)
    # rare title words, and the names of the lead ("Marlow Gas Co said its board declared")
    title_words = [t for t in title_content if rarity(t) >= SUBJECT_RARITY]
    terms, tws = _weighted(body)
    aterms, aws = _weighted(about)
    theads = _hash_set(title_words)
    nheads = _hash_set(_lead_names(text or ""))
    ntoks = len(info)
    figures = sum(digits)
    m = ntoks - NGRAM + 1
    if m > 0:
        # each 5-gram's hash: per word, xor it in, multiply, fold the high bits
        # (in place: the arrays are small, numpy's per-call cost is what counts)
        wh = np.array(hashes, dtype=np.uint64)
        low = np.array(lows, dtype=np.int8)
        acc = wh[:m] * _M1                       # (0 ^ first word) * _M1
        acc ^= acc >> _S29
        nlow = low[:m].copy()
        for k in range(1, NGRAM):
            acc ^= wh[k:m + k]
            acc *= _M1
            acc ^= acc >> _S29
            nlow += low[k:m + k]
        acc *= _M2
        acc >>= _S32
        h = acc.astype(np.uint32)
        h &= np.uint32(0xFFFFFFFE)
        h |= nlow >= QUOTE_LOWER                 # the quotation bit
        grams = _sorted_unique(h)
    else:
        grams = np.zeros(0, dtype=np.uint32)
    head = np.array([MAGIC, _ordinal(published), 1000 * figures // max(ntoks, 1),
                     terms.size, grams.size, aterms.size, theads.size, nheads.size],
                    dtype=np.uint32)
    return b"".join((head.tobytes(), terms.tobytes(), grams.tobytes(), aterms.tobytes(),
                     theads.tobytes(), nheads.tobytes(), tws.tobytes(), aws.tobytes()))


class Parsed(NamedTuple):
    """One article's signature, decoded (a tuple: :func:`assign` decodes
    every article of a full build, so it must be cheap to make)."""
    date: int
    table: bool
    terms: np.ndarray
    weights: np.ndarray
    grams: np.ndarray
    about: np.ndarray
    about_weights: np.ndarray
    title: np.ndarray
    names: np.ndarray


_HEAD = struct.Struct("<8I")


def _header(sig):
    """The eight header fields of a signature whose magic and length are
    right, else None (missing, old-format or corrupt bytes)."""
    if not sig or len(sig) < 32:
        return None
    try:
        head = _HEAD.unpack_from(sig)
    except (TypeError, struct.error):
        return None
    magic, _date, _figures, nt, ng, na, nh, nn = head
    if magic != MAGIC or len(sig) != 32 + 4 * (nt + ng + na + nh + nn) + 2 * (nt + na):
        return None
    return head


def sig_date(sig) -> int | None:
    """The publication day (ordinal, 0 undated) of a signature, read from its
    header alone, or None for bytes :func:`parse` would not read.  A
    :class:`~archive.sigfile.Sig` handle carries its day: nothing is read."""
    if isinstance(sig, Sig):
        return sig.day
    head = _header(sig)
    return None if head is None else head[1]


def parse(sig) -> Parsed | None:
    """The decoded signature, or None for missing/old-format/corrupt bytes
    (a :class:`~archive.sigfile.Sig` handle is read from its file first)."""
    sig = raw_sig(sig)
    head = _header(sig)
    if head is None:
        return None
    _magic, date, figures, nt, ng, na, nh, nn = head
    nhash = nt + ng + na + nh + nn
    try:
        hs = np.frombuffer(sig, dtype=np.uint32, count=nhash, offset=32)
        ws = np.frombuffer(sig, dtype=np.float16, count=nt + na, offset=32 + 4 * nhash)
    except (ValueError, TypeError):
        return None
    a, b, c, d = nt, nt + ng, nt + ng + na, nt + ng + na + nh
    return Parsed(date, figures >= 1000 * TABLE_NUMBERS, hs[:a], ws[:nt],
                  hs[a:b], hs[b:c], ws[nt:], hs[c:d], hs[d:])


_entity_cache: dict = {}


def _entity(name: str):
    """(hash, weight, word hashes, subject word hashes) of one entity name."""
    v = _entity_cache.get(name)
    if v is None:
        toks = _TOKEN.findall(str(name).casefold())
        key = " ".join(toks)
        words = set(_content(toks))
        v = (_h("\x00" + key), ENTITY_WEIGHT * rarity(key), [_h(w) for w in words],
             [_h(w) for w in words if rarity(w) >= SUBJECT_RARITY]) if key else None
        if len(_entity_cache) > 200_000:
            _entity_cache.clear()
        _entity_cache[name] = v
    return v


def _entity_terms(names):
    """Hashes and weights of resolved entity names ("Barack Obama" and
    "Obama" resolve to one name, so outlets' naming habits do not matter),
    the hashes of their words and of their rare words."""
    hs, ws, words, subj = [], [], [], set()
    for n in names or ():
        e = _entity(n)
        if e is not None:
            hs.append(e[0])
            ws.append(e[1])
            words.extend(e[2])
            subj.update(e[3])
    return (np.array(hs, np.uint32), np.array(ws, np.float32), np.array(words, np.uint32), subj)


def _entity_rows(entities):
    """The hashes and weights of :func:`_entity_terms` for many articles at
    once: flat arrays and the number of each article's entities."""
    get = _entity_cache.get
    hs, ws, lens = [], [], []
    for names in entities:
        at = len(hs)
        for n in names or ():
            e = get(n) or _entity(n)
            if e is not None:
                hs.append(e[0])
                ws.append(e[1])
        lens.append(len(hs) - at)
    return (np.array(hs, np.uint32), np.array(ws, np.float32),
            np.array(lens, np.int64).reshape(-1))


def _joined(a, a_lens, b, b_lens):
    """Row k of the result: row k of ``a`` then row k of ``b`` (flat arrays
    with row lengths), without a Python loop over the rows."""
    lens = a_lens + b_lens
    start = np.zeros(lens.size, np.int64)
    np.cumsum(lens[:-1], out=start[1:])
    out = np.empty(int(lens.sum()), np.result_type(a, b))
    for part, plens, skip in ((a, a_lens, 0), (b, b_lens, a_lens)):
        first = np.zeros(plens.size, np.int64)
        np.cumsum(plens[:-1], out=first[1:])
        at = np.arange(part.size, dtype=np.int64) + np.repeat(start + skip - first, plens)
        out[at] = part
    return out, lens


# -- items, state and the pair test ----------------------------------------------

@dataclass(frozen=True, slots=True)
class Item:
    """What grouping knows of one article: its signature (bytes, or a handle
    into a file, see :func:`filed`), its resolved entity names and its outlet
    (for :func:`label`)."""
    id: str
    sig: bytes | Sig | None
    entities: tuple = ()
    source: str = ""


def filed(sig, sigs: SigFile):
    """``sig`` written to ``sigs``, as its handle -- what a caller holding many
    items keeps instead of the bytes; unreadable bytes are kept as they are
    (grouping leaves such an article alone)."""
    day = sig_date(sig)
    if day is None or isinstance(sig, Sig):
        return sig
    return sigs.append(sig, day)


#: what an article's entry in :attr:`StoryState._file` says when its
#: signature is not in one of the state's files
_NO_SIG = -1       # no usable signature: known (its own group), never compared
_IN_MEMORY = -2    # the bytes are in ``StoryState._raw``
#: an article's entry in :attr:`StoryState._comp` when it is alone in its component
_ALONE = -1


class _Strings:
    """Strings numbered once (entity names, outlets): an article keeps 4-byte
    numbers, the state one interned string each."""

    def __init__(self):
        self.of: list = []
        self.num: dict = {}

    def number(self, s: str) -> int:
        k = self.num.get(s)
        if k is None:
            k = self.num[s] = len(self.of)
            self.of.append(sys.intern(s))
        return k


class StoryState:
    """The groups of an archive, kept between reindexes by the caller.

    Why this layout: the state is what a reindex holds per article of the
    whole archive (an object each -- item, signature handle, a set per
    component -- took about 860 bytes an article, 80 MB at 95k).  So each
    known article is numbered once (``ids``, ``num``) and what the state
    knows of it sits at its number in flat arrays: where its signature is
    (file, offset, length, day), its entity names and outlet as numbers
    (:class:`_Strings`), its group's number, and its component's key.  Most
    articles are alone: an article alone has no component entry at all
    (``_comp`` is :data:`_ALONE`), only components of two or more are listed
    (``_members``: key number -> member numbers); an article alone is its own
    group (``_group[k] == k``).  A removed article's number is left unused
    until the state is saved, which numbers afresh: ``num`` no longer leads
    to it (:meth:`live`), but ``ids[k]`` keeps its id, so a group named after
    it reads as before until :func:`assign` regroups its members (what the
    changes it reports are measured against).

    Read through mappings, as a plain state of dicts would be:
    ``items`` (id -> :class:`Item`, made on demand; only articles with a
    usable signature), ``group`` (id -> group name, every known article),
    and, for inspection and tests, ``component`` and ``members`` (snapshots
    of the components of two or more).

    Decoded signatures (``_parsed``) are a cache for one :func:`assign`: it
    decodes what it reaches and drops them when it returns.  ``_by_day``
    indexes the numbers of the articles with a signature by publication day.
    """

    def __init__(self):
        self.ids: list = []                  # number -> id (removed ones too)
        self.num: dict = {}                  # id -> number, every known article
        self._file = array("h")              # index into _files, or _NO_SIG / _IN_MEMORY
        self._off = array("q")               # signature's offset in its file ...
        self._len = array("i")               # ... its length ...
        self._day = array("i")               # ... and publication day (0 undated)
        self._src = array("i")               # outlet, in _sources
        self._ent_at = array("q")            # entity names: _ents[at:at + n] ...
        self._ent_n = array("i")
        self._ents = array("i")              # ... numbers in _names
        self._group = array("i")             # number of the group's name
        self._comp = array("i")              # key number of its component, or _ALONE
        self._members: dict = {}             # key number -> member numbers (2 or more)
        self._by_day: dict = {}              # day -> array of numbers
        self._files: list = []               # SigFiles the handles point into
        self._raw: dict = {}                 # number -> signature bytes held in memory
        self._names = _Strings()
        self._term_h = array("I")            # name number -> its entity term's hash ...
        self._term_w = array("f")            # ... and weight (see entity_rows)
        self._sources = _Strings()
        self._n_items = 0
        self._parsed: dict = {}
        self.items = _Items(self)
        self.group = _Groups(self)

    # -- one article -------------------------------------------------------------

    def _add(self, it: Item, usable: bool) -> int:
        """Number ``it`` (a new id), alone and its own group; its signature,
        entities and outlet are kept only when ``usable``."""
        k = len(self.ids)
        self.ids.append(it.id)
        self.num[it.id] = k
        self._group.append(k)
        self._comp.append(_ALONE)
        self._ent_at.append(len(self._ents))
        if not usable:
            self._file.append(_NO_SIG)
            for a in (self._off, self._len, self._day, self._src, self._ent_n):
                a.append(0)
            return k
        sig = it.sig
        day = sig_date(sig)
        if isinstance(sig, Sig):
            self._file.append(self._file_index(sig.src))
            self._off.append(sig.off)
        else:
            self._file.append(_IN_MEMORY)
            self._off.append(0)
            self._raw[k] = bytes(sig)
        self._len.append(len(sig))
        self._day.append(day)
        self._src.append(self._sources.number(it.source or ""))
        known = self._names.num          # (a method call per name was a tenth of a build's adds)
        ents = [known[e] if e in known else self._names.number(e) for e in it.entities]
        self._ent_n.append(len(ents))
        self._ents.extend(ents)
        self._by_day.setdefault(day, array("i")).append(k)
        self._n_items += 1
        return k

    def _file_index(self, src) -> int:
        """The number of ``src`` in ``_files`` (added when new).  The last
        file is tried first: nearly every handle of a pass points into it."""
        if self._files and self._files[-1] is src:
            return len(self._files) - 1
        for n, f in enumerate(self._files):
            if f is src:
                return n
        self._files.append(src)
        return len(self._files) - 1

    def _remove(self, aid: str) -> list[int]:
        """Forget ``aid``; the other members of its component, left alone
        (the caller regroups them)."""
        k = self.num.pop(aid)
        left = self._unlink(k)
        if self._file[k] != _NO_SIG:
            self._by_day[self._day[k]].remove(k)
            self._file[k] = _NO_SIG
            self._raw.pop(k, None)
            self._n_items -= 1
        self._parsed.pop(k, None)
        return [m for m in left if m != k]

    def _unlink(self, k: int) -> list[int]:
        """Break up the component of ``k``: its members (``[k]`` when alone),
        each now alone."""
        key = self._comp[k]
        if key == _ALONE:
            return [k]
        mem = self._members.pop(key)
        for m in mem:
            self._comp[m] = _ALONE
        return list(mem)

    def _link(self, mem: list[int]) -> None:
        """Make ``mem`` (numbers, each alone) one component."""
        if len(mem) < 2:
            return
        key = min(mem, key=self.ids.__getitem__)
        self._members[key] = array("i", sorted(mem))
        for m in mem:
            self._comp[m] = key

    def live(self, k: int) -> bool:
        """Whether number ``k`` is a known article (not removed or replaced)."""
        return self.num.get(self.ids[k]) == k

    def sig(self, k: int):
        f = self._file[k]
        if f == _IN_MEMORY:
            return self._raw[k]
        if f == _NO_SIG:
            return None
        return Sig(self._files[f], self._off[k], self._len[k], self._day[k])

    def entities(self, k: int) -> tuple:
        at = self._ent_at[k]
        of = self._names.of
        return tuple(of[e] for e in self._ents[at:at + self._ent_n[k]])

    def source(self, k: int) -> str:
        return self._sources.of[self._src[k]]

    def entity_rows(self, ks):
        """:func:`_entity_rows` of the entities of numbers ``ks``, from the
        names' numbers: a name's term (:func:`_entity`) is made the first
        time a row needs it and kept at its number (``_term_h``,
        ``_term_w``: NaN weight not made yet, -1 no term), and the rows are
        gathered in numpy, not name by name."""
        ks = np.asarray(ks, dtype=np.int64)
        if ks.size == 0:
            return np.zeros(0, np.uint32), np.zeros(0, np.float32), np.zeros(0, np.int64)
        of, th, tw = self._names.of, self._term_h, self._term_w
        if len(th) < len(of):            # (no numpy view of them is alive here)
            th.extend(array("I", [0]) * (len(of) - len(th)))
            tw.extend(array("f", [math.nan]) * (len(of) - len(tw)))
        at = np.frombuffer(self._ent_at, dtype=np.int64)[ks]
        cnt = np.frombuffer(self._ent_n, dtype=np.int32)[ks].astype(np.int64)
        total = int(cnt.sum())
        if total == 0:
            return np.zeros(0, np.uint32), np.zeros(0, np.float32), np.zeros(ks.size, np.int64)
        pos = np.repeat(at - (np.cumsum(cnt) - cnt), cnt) + np.arange(total, dtype=np.int64)
        nums = np.frombuffer(self._ents, dtype=np.int32)[pos]
        hv, wv = np.frombuffer(th, dtype=np.uint32), np.frombuffer(tw, dtype=np.float32)
        for n in np.unique(nums[np.isnan(wv[nums])]).tolist():
            e = _entity(of[n])
            hv[n], wv[n] = (e[0], e[1]) if e is not None else (0, -1.0)
        hs, ws = hv[nums], wv[nums]
        del hv, wv                        # (the arrays may grow again)
        keep = ws >= 0
        lens = np.bincount(np.repeat(np.arange(ks.size), cnt)[keep], minlength=ks.size)
        return hs[keep], ws[keep], lens.astype(np.int64)

    def item(self, k: int) -> Item:
        return Item(self.ids[k], self.sig(k), self.entities(k), self.source(k))

    def parsed(self, k: int) -> Parsed | None:
        p = self._parsed.get(k)
        if p is None and self._file[k] != _NO_SIG:
            p = self._parsed[k] = parse(self.sig(k))
        return p

    def with_sig(self):
        """Numbers of the articles with a usable signature."""
        return [k for k, f in enumerate(self._file) if f != _NO_SIG]

    # -- views -----------------------------------------------------------------

    @property
    def component(self) -> dict:
        """id -> component key (its smallest id), for articles in a
        component of two or more (a snapshot)."""
        ids = self.ids
        return {ids[m]: ids[key] for key, mem in self._members.items() for m in mem}

    @property
    def members(self) -> dict:
        """Component key -> set of ids, for components of two or more (a snapshot)."""
        ids = self.ids
        return {ids[key]: {ids[m] for m in mem} for key, mem in self._members.items()}


class _RowEntities:
    """Row ``n`` -> the entity names of state number ``order[n]``, made when
    asked (:class:`_Vectors` reads the few rows its full tests take)."""

    __slots__ = ("state", "order")

    def __init__(self, state: StoryState, order: list):
        self.state, self.order = state, order

    def __getitem__(self, n: int) -> tuple:
        return self.state.entities(self.order[n])

    def __len__(self) -> int:
        return len(self.order)


class _Items(Mapping):
    """``StoryState.items``: id -> :class:`Item` of every article with a
    usable signature, each made when asked for."""

    def __init__(self, state: StoryState):
        self._s = state

    def __getitem__(self, aid):
        s = self._s
        k = s.num[aid]
        if s._file[k] == _NO_SIG:
            raise KeyError(aid)
        return s.item(k)

    def get(self, aid, default=None):
        k = self._s.num.get(aid)
        return default if k is None or self._s._file[k] == _NO_SIG else self._s.item(k)

    def __contains__(self, aid):
        k = self._s.num.get(aid)
        return k is not None and self._s._file[k] != _NO_SIG

    def __iter__(self):
        ids = self._s.ids
        return (ids[k] for k in self._s.with_sig())

    def __len__(self):
        return self._s._n_items


class _Groups(Mapping):
    """``StoryState.group``: id -> group name (the smallest id in its group)
    of every known article; an article alone answers its own id."""

    def __init__(self, state: StoryState):
        self._s = state

    def __getitem__(self, aid):
        s = self._s
        return s.ids[s._group[s.num[aid]]]

    def get(self, aid, default=None):
        s = self._s
        k = s.num.get(aid)
        return default if k is None else s.ids[s._group[k]]

    def __contains__(self, aid):
        return aid in self._s.num

    def __iter__(self):
        return iter(self._s.num)

    def __len__(self):
        return len(self._s.num)


class _Vectors:
    """Unit row vectors (about, body), word and 5-gram sets, subjects and
    dates of some articles (row k = k-th of ``parsed``).

    Built in two steps: the constructor makes what candidate search and the
    first, cheap tests need for every article (about and body vectors, dates,
    outlets); :meth:`full` adds the rest for the few rows those tests leave,
    reusing the rows already built.  Word and 5-gram sets are kept with the
    32-bit hashes themselves as column numbers (``_WIDE`` columns), so they
    need no shared numbering; only the candidate products ask for one.
    """

    def __init__(self, parsed: list[Parsed], entities, sources=None, entity_rows=None):
        """``entities``: each row's entity names (a sequence; :meth:`full`
        reads only the rows it is given); ``entity_rows``: their
        :func:`_entity_rows`, when the caller has them already."""
        self.n = len(parsed)
        self.parsed = parsed
        # outlets as numbers (0: unknown); an outlet's own versions of a story are copies
        names: dict = {}
        self.outlet = np.array([names.setdefault(str(s or "").strip().casefold(), len(names) + 1)
                                if str(s or "").strip() else 0 for s in (sources or [""] * self.n)],
                               dtype=np.int64)
        self.dates = np.array([p.date for p in parsed], dtype=np.int64)
        self.table = np.array([p.table for p in parsed], dtype=bool)
        self.entities = entities
        # about: the title and lead words, then the entity names
        eh, ew, elens = entity_rows if entity_rows is not None else _entity_rows(entities)
        alens = np.fromiter((p.about.size for p in parsed), np.int64, self.n)
        ah, alens = _joined(_flat([p.about for p in parsed], np.uint32), alens, eh, elens)
        aw, _ = _joined(_flat([p.about_weights for p in parsed], np.float16), alens - elens,
                        ew, elens)
        ((about_c, _),), nw = _columns([[ah]])
        self.A = _rows((about_c, alens), [aw], nw)
        self.X = _wide([p.terms for p in parsed], [p.weights for p in parsed])
        self.nterms = np.diff(self.X.indptr)
        self.sketch = _Sketch(self.X)
        # candidates only: an about word under CAND_PRUNE of the row's length
        # adds little and costs much in the sparse products
        self.Ac = _reversed(self.A)
        self.Ac.data[self.Ac.data < CAND_PRUNE] = 0.0
        self.Ac.eliminate_zeros()

    def full(self, rows) -> "_Vectors":
        """All the evidence's vectors for ``rows`` (numbers of this object's rows)."""
        rows = np.asarray(rows, dtype=np.int64)
        v = object.__new__(_Vectors)
        v.n = rows.size
        parsed = [self.parsed[k] for k in rows.tolist()]
        v.entities = [self.entities[k] for k in rows.tolist()]
        ents = [_entity_terms(e) for e in v.entities]
        v.parsed = parsed
        v.outlet, v.dates, v.table = self.outlet[rows], self.dates[rows], self.table[rows]
        v.A, v.X = self.A[rows], self.X[rows]
        v.nterms = np.diff(v.X.indptr)
        v.B = v.X.copy()
        v.B.data[:] = 1.0
        # a subject: a name in the title ("TEXAS WEEKLY CROP REPORT" -> texas)
        v.S = _wide([np.fromiter(e[3].intersection(p.title.tolist()), np.uint32) if e[3]
                     else np.zeros(0, np.uint32) for p, e in zip(parsed, ents)])
        v.nsubj = np.diff(v.S.indptr)
        v.P = _wide([np.concatenate([p.terms, p.about, p.title, e[2]])
                     for p, e in zip(parsed, ents)])
        v.P.data[:] = 1.0                      # a word present, however often listed
        v.T = _wide([p.title for p in parsed])
        v.T.data[:] = 1.0
        v.ntitle = np.diff(v.T.indptr)
        v.N = _wide([p.names for p in parsed])
        v.N.data[:] = 1.0
        v.nnames = np.diff(v.N.indptr)
        v.G = _wide([p.grams for p in parsed])
        v.Q = _wide([g[(g & 1).astype(bool)] for g in (p.grams for p in parsed)])
        v.ngrams = np.maximum(np.diff(v.G.indptr), 1)
        return v

    def evidence(self, I, J) -> dict:
        I, J = np.asarray(I, dtype=np.int64), np.asarray(J, dtype=np.int64)
        dated = (self.dates[I] > 0) & (self.dates[J] > 0)
        gap = np.where(dated, np.abs(self.dates[I] - self.dates[J]), UNDATED_GAP)
        shared_grams = _rowdot(self.G, self.G, I, J)
        mi = self.nsubj[I] - _rowdot(self.S, self.P, I, J)
        mj = self.nsubj[J] - _rowdot(self.S, self.P, J, I)
        # "TEXAS WEEKLY CROP REPORT" / "OKLAHOMA WEEKLY CROP REPORT": each names a
        # subject the other never mentions -- two items of one template
        missing = np.where((mi > 0) & (mj > 0), mi + mj, 0)
        # "STATE STREET BOSTON <STBK> SETS QUARTERLY" / "ROWE FURNITURE <ROWE> SETS
        # QTLY DIVIDEND" over one dividend template: each title has rare words the
        # other article never uses
        ti = self.ntitle[I] - _rowdot(self.T, self.P, I, J)
        tj = self.ntitle[J] - _rowdot(self.T, self.P, J, I)
        title_missing = np.where((ti > 0) & (tj > 0), ti + tj, 0)
        # the names each lead gives ("Marlow Gas Co said ...") that the other never uses
        ni = self.nnames[I] - _rowdot(self.N, self.P, I, J)
        nj = self.nnames[J] - _rowdot(self.N, self.P, J, I)
        return {
            "undated": ~dated,
            "about": _rowdot(self.A, self.A, I, J), "body": _rowdot(self.X, self.X, I, J),
            "shared": _rowdot(self.B, self.B, I, J), "quotes": _rowdot(self.Q, self.Q, I, J),
            "dup": np.where(shared_grams >= DUP_MIN_GRAMS, shared_grams, 0)
            / np.minimum(self.ngrams[I], self.ngrams[J]),
            "gap": gap, "table": self.table[I] | self.table[J], "missing": missing,
            "title_missing": title_missing, "names_missing": np.minimum(ni, nj),
            "same_outlet": (self.outlet[I] == self.outlet[J]) & (self.outlet[I] > 0),
        }


def _columns(lists):
    """Column numbers for several lists of hash arrays, one numbering for all
    (one sort of every hash, not one ``unique`` per array), and their count."""
    arrays = [a for lst in lists for a in lst]
    flat = np.concatenate(arrays) if arrays else np.zeros(0, np.uint32)
    inv = np.zeros(flat.size, np.int64)
    ncols = 1
    if flat.size:
        order = np.argsort(flat, kind="stable")
        srt = flat[order]
        new = np.ones(srt.size, np.int64)
        new[1:] = srt[1:] != srt[:-1]
        inv[order] = np.cumsum(new) - 1
        ncols = int(inv[order[-1]]) + 1
    out, at = [], 0
    for lst in lists:
        n = sum(a.size for a in lst)
        out.append((inv[at:at + n], np.fromiter((a.size for a in lst), np.int64, len(lst))))
        at += n
    return out, ncols


def _rows(cols, vals_list, ncols, normalise=True):
    """CSR matrix from ``(column numbers, row lengths)``, unit-length rows
    unless ``normalise`` is false."""
    cols, lens = cols
    indptr = np.zeros(lens.size + 1, dtype=np.int64)
    np.cumsum(lens, out=indptr[1:])
    data = (np.concatenate(vals_list).astype(np.float32) if vals_list
            else np.ones(cols.size, np.float32))
    m = sparse.csr_matrix((data, cols, indptr), shape=(lens.size, ncols))
    m.sum_duplicates()
    if normalise:
        _unit(m)
    return m


_WIDE = 1 << 32           # columns of a matrix whose column numbers are the 32-bit hashes


def _flat(arrays, dtype):
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype)


def _wide(hashes, weights=None):
    """CSR matrix, row k holding ``hashes[k]`` as column numbers (repeats
    summed, columns in order), with ``weights[k]`` unit-length or ones.
    The signature keeps its hashes sorted, so mostly nothing moves."""
    lens = np.fromiter((h.size for h in hashes), np.int64, len(hashes))
    indptr = np.zeros(lens.size + 1, dtype=np.int64)
    np.cumsum(lens, out=indptr[1:])
    cols = np.concatenate(hashes).astype(np.int64) if hashes else np.zeros(0, np.int64)
    data = (np.concatenate(weights).astype(np.float32) if weights
            else np.ones(cols.size, np.float32))
    m = sparse.csr_matrix((data, cols, indptr), shape=(lens.size, _WIDE))
    m.sum_duplicates()
    if weights is not None:
        _unit(m)
    return m


def _unit(m):
    """Scale the rows of ``m`` to unit length in place (the same float32
    arithmetic as ``diags(1 / norms) @ m``, without its ``ncols`` buffers)."""
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m.data *= np.repeat((1.0 / norms).astype(np.float32), np.diff(m.indptr))


def _reversed(m):
    """A copy of CSR ``m`` with each row's entries in descending column
    order, the order the candidate products have always summed in (so their
    cosines, and the pairs at the bar, stay exactly the same)."""
    lens = np.diff(m.indptr)
    row_end = np.repeat(m.indptr[1:], lens)
    at = np.arange(m.nnz, dtype=np.int64)
    src = row_end - 1 - (at - np.repeat(m.indptr[:-1], lens))
    out = sparse.csr_matrix((m.data[src], m.indices[src], m.indptr.copy()), shape=m.shape)
    return out


#: entries of the rows one chunk of pairs gathers from each matrix (M[I], N[J])
CHUNK_NNZ = 500_000


def _chunks(M, N, I, J, budget=None):
    """``(start, end)`` slices of the pairs whose gathered rows hold at most
    ``budget`` entries per side (and at least one pair each).

    A chunk of a fixed number of pairs gathers as many entries as its rows
    hold: 200k pairs of 100-term rows were 20M entries a side, 240 MB each,
    the story pass's peak at Reuters x10.  Cutting by entries bounds it
    whatever the rows' lengths; the products are row-wise, so the chunks
    change no result."""
    budget = budget or CHUNK_NNZ
    n = len(I)
    if n == 0:
        return
    lens = np.maximum(np.diff(M.indptr)[I], np.diff(N.indptr)[J]).astype(np.int64)
    cum = np.cumsum(lens)
    s = 0
    while s < n:
        base = cum[s - 1] if s else 0
        e = int(np.searchsorted(cum, base + budget, side="right"))
        e = max(e, s + 1)
        yield s, min(e, n)
        s = e


def _rowdot(M, N, I, J):
    """Row-wise dot products M[I[k]] . N[J[k]] for many pairs."""
    out = np.zeros(len(I))
    for s, e in _chunks(M, N, I, J):
        out[s:e] = np.asarray(M[I[s:e]].multiply(N[J[s:e]]).sum(axis=1)).ravel()
    return out


def _linked(v: _Vectors, I, J, full) -> np.ndarray:
    """``decide(...)[0]`` for many pairs of the light vectors ``v``, with the
    cheap evidence first: a pair that shares too few words for either rule is
    not looked at further (a copy shares most of the shorter text's words),
    nor one that fails a test :func:`decide` makes of every link of its kind
    (about cosine, days apart, outlets, the lowest bar of the mean cosine);
    ``full(rows)`` gives the full vectors of some rows for the others.

    The cheap tests go over the pairs in chunks of :data:`LINK_CHUNK` (their
    dozen per-pair arrays grew with the candidates, millions at Reuters x10);
    the full evidence is built once, for the pairs that pass them."""
    keep = [s + _cheap_pass(v, I[s:s + LINK_CHUNK], J[s:s + LINK_CHUNK])
            for s in range(0, len(I), LINK_CHUNK)]
    k = np.concatenate(keep) if keep else np.zeros(0, np.int64)
    out = np.zeros(len(I), dtype=bool)
    if k.size:
        rows = np.unique(np.concatenate([I[k], J[k]]))
        sub = full(rows)
        out[k] = _decided(sub, np.searchsorted(rows, I[k]), np.searchsorted(rows, J[k]))[0]
    return out


def _decided(v: _Vectors, I, J):
    """:func:`decide` of the full evidence of pairs (I[k], J[k]), computed
    :data:`LINK_CHUNK` pairs at a time (the evidence is two dozen arrays a pair)."""
    parts = [decide(v.evidence(I[s:s + LINK_CHUNK], J[s:s + LINK_CHUNK]))
             for s in range(0, len(I), LINK_CHUNK)]
    if not parts:
        return decide(v.evidence(I, J))
    return tuple(np.concatenate([p[n] for p in parts]) for n in range(3))


#: pairs one chunk of :func:`_linked`'s cheap tests takes
LINK_CHUNK = 250_000


def _cheap_pass(v: _Vectors, I, J) -> np.ndarray:
    """Positions of the pairs (I[k], J[k]) that pass :func:`_linked`'s cheap tests.

    The first asks for shared words: at least half the shorter text's, or
    ``OWN_MIN_SHARED``.  Counting them exactly merges both rows of every
    candidate; most candidates fail it by far, so a bound on the count
    (:class:`_Sketch`, a fraction of the cost) drops those first, and only
    the rest are counted -- a pair it drops shares fewer words than either
    clause asks, so it would have failed the exact test."""
    nterms = v.nterms
    need = np.minimum(0.5 * np.minimum(nterms[I], nterms[J]), OWN_MIN_SHARED)
    k = np.flatnonzero(v.sketch.shared_at_most(I, J) >= need)
    body, shared = _rowdot_count(v.X, I[k], J[k])
    ik, jk = I[k], J[k]
    maybe = ((shared >= 0.5 * np.minimum(nterms[ik], nterms[jk]))
             | ((shared >= OWN_MIN_SHARED) & (body >= 2 * (OWN_COS - QUOTE_BONUS) - 1)))
    k, body = k[maybe], body[maybe]
    i, j = I[k], J[k]
    # what decide() asks of every copy and of every own-words link, from the
    # light vectors (the same about and body cosines as the full ones);
    # _EPS keeps float rounding from dropping a pair that is at the bar
    di, dj = v.dates[i], v.dates[j]
    gap = np.where((di > 0) & (dj > 0), np.abs(di - dj), UNDATED_GAP)
    table = v.table[i] | v.table[j]
    own = (gap <= OWN_MAX_GAP) & ~table & ~((v.outlet[i] == v.outlet[j]) & (v.outlet[i] > 0))
    copy = gap <= WINDOW_DAYS
    m = np.flatnonzero(own | copy)
    about = np.full(k.size, -1.0)
    about[m] = _rowdot(v.A, v.A, i[m], j[m])
    copy &= about >= np.where(table, CAND_TABLE, CAND_ABOUT) - _EPS
    own &= (about >= CAND_ABOUT - _EPS) \
        & ((about + body) / 2 >= OWN_COS + OWN_PER_DAY * gap - QUOTE_BONUS - _EPS)
    # a copy, unless also a candidate in its own words, must share the
    # 5-grams decide() asks for: the 5-gram sets alone tell most pairs apart
    c = np.flatnonzero(copy & ~own)
    if c.size:
        rows = np.unique(np.concatenate([i[c], j[c]]))
        G = _wide([v.parsed[r].grams for r in rows.tolist()])
        ngrams = np.maximum(np.diff(G.indptr), 1)
        a, b = np.searchsorted(rows, i[c]), np.searchsorted(rows, j[c])
        sg = _rowdot(G, G, a, b)
        dup = np.where(sg >= DUP_MIN_GRAMS, sg, 0) / np.minimum(ngrams[a], ngrams[b])
        copy[c] = dup >= np.where(table[c], DUP_SHARE_TABLE, DUP_SHARE) \
            + DUP_PER_DAY * gap[c] - _EPS
    return k[own | copy]


#: bits set in each byte value (a popcount where numpy has no ``bitwise_count``, before 2.0)
_POPCOUNT = np.array([bin(b).count("1") for b in range(256)], np.uint8)


def _popcount_rows(words: np.ndarray) -> np.ndarray:
    """Set bits in each row of a uint64 matrix."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).sum(axis=1, dtype=np.int64)
    return _POPCOUNT[words.view(np.uint8)].sum(axis=1, dtype=np.int64)


class _Sketch:
    """An upper bound on the number of columns two rows of a CSR matrix
    share, at a few dozen bytes a row: the ``COMMON`` columns most rows use,
    one bit each (a shared one is a bit both rows have), and the others
    counted in ``BUCKETS`` buckets by column number (the shared ones in a
    bucket are at most the smaller of the two rows' counts there).  The
    common words are what make plain bucket counts loose: nearly every row
    has them, so they would fill every bucket."""

    COMMON = 192             # a multiple of 64: the bits are uint64 words
    BUCKETS = 64
    CHUNK = 32768            # pairs at a time: their gathered rows stay in cache
    SAMPLE = 50_000
    TABLE = 4096             # powers of two, TABLE a multiple of BUCKETS

    def __init__(self, M):
        n = M.shape[0]
        row = np.repeat(np.arange(n, dtype=np.int64), np.diff(M.indptr))
        cols = M.indices.astype(np.int64)
        # one bincount makes both: per row BUCKETS counts, then the common
        # bits as 32-bit words (a sum of distinct powers of two below 2^32:
        # exact in float64)
        width = self.BUCKETS + self.COMMON // 32
        key, weight = self._places(cols)
        both = np.bincount(row * width + key, weights=weight,
                           minlength=n * width).reshape(n, width)
        self.bits = np.ascontiguousarray(both[:, self.BUCKETS:]).astype(np.uint32).view(np.uint64)
        cnt = both[:, :self.BUCKETS]
        self.counts = cnt.astype(np.uint8 if cnt.size == 0 or cnt.max() < 256 else np.int64)

    def _places(self, cols):
        """Where each entry counts in a row's sketch, and what it adds there:
        a common column (one of the ``COMMON`` most frequent) its bit in a
        32-bit word after the buckets, any other 1 in bucket column mod
        ``BUCKETS``.  The common columns are found through a table of
        ``TABLE`` places, at column mod ``TABLE`` (two of them at one place:
        the more frequent one is common, the other counted in buckets; each
        column is always the same kind, which is all the bound needs).  The frequencies are counted on a sample of about
        ``SAMPLE`` entries: a common word is common in any part, and counting
        all of them was most of the cost."""
        uniq, freq = np.unique(cols[::max(1, cols.size // self.SAMPLE)], return_counts=True)
        top = uniq[np.argsort(-freq, kind="stable")]
        top = top[np.sort(np.unique(top & (self.TABLE - 1), return_index=True)[1])][:self.COMMON]
        bit = np.arange(top.size)
        at_col = np.full(self.TABLE, -1, np.int64)
        at_key = np.zeros(self.TABLE, np.int64)
        at_weight = np.zeros(self.TABLE)
        at = top & (self.TABLE - 1)                 # (columns are not negative), distinct
        at_col[at] = top
        at_key[at] = self.BUCKETS + bit // 32
        at_weight[at] = np.ldexp(1.0, bit % 32)
        place = cols & (self.TABLE - 1)
        common = at_col[place] == cols
        key = np.where(common, at_key[place], place & (self.BUCKETS - 1))
        return key, np.where(common, at_weight[place], 1.0)

    def shared_at_most(self, I, J) -> np.ndarray:
        """For each pair (I[k], J[k]), at least the number of columns the two rows share."""
        out = np.empty(len(I), np.int64)
        c, b = self.counts, self.bits
        for s in range(0, len(I), self.CHUNK):
            i, j = I[s:s + self.CHUNK], J[s:s + self.CHUNK]
            out[s:s + i.size] = np.minimum(np.take(c, i, axis=0), np.take(c, j, axis=0)).sum(
                axis=1, dtype=np.int64)
            out[s:s + i.size] += _popcount_rows(np.take(b, i, axis=0) & np.take(b, j, axis=0))
        return out


def _rowdot_count(M, I, J):
    """Row-wise dot products and numbers of shared columns of M[I[k]], M[J[k]]."""
    dot, cnt = np.zeros(len(I)), np.zeros(len(I))
    for s, e in _chunks(M, M, I, J):
        prod = M[I[s:e]].multiply(M[J[s:e]]).tocsr()
        dot[s:e] = np.asarray(prod.sum(axis=1)).ravel()
        cnt[s:e] = np.diff(prod.indptr)
    return dot, cnt


def decide(ev: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(same story, related, score) for arrays of pair evidence."""
    gap, about, body = ev["gap"], ev["about"], ev["body"]
    mean = (about + body) / 2
    # "FREDDIE MAC ADJUSTS SHORT-TERM DISCOUNT RATES" on Apr 3, 7 and 9: the same
    # template with other figures; copies days apart must be nearer identical
    dup = ((ev["dup"] >= np.where(ev["table"], DUP_SHARE_TABLE, DUP_SHARE) + DUP_PER_DAY * gap)
           & (gap <= WINDOW_DAYS)
           & (about >= np.where(ev["table"], CAND_TABLE, CAND_ABOUT))
           & (ev["missing"] == 0) & (ev["title_missing"] == 0) & (ev["names_missing"] == 0))
    bar = OWN_COS + OWN_PER_DAY * gap - np.where(ev["quotes"] >= QUOTE_MIN, QUOTE_BONUS, 0.0)
    own = ((mean >= bar) & (about >= CAND_ABOUT) & (ev["shared"] >= OWN_MIN_SHARED)
           & (gap <= OWN_MAX_GAP) & ~ev["table"] & (ev["missing"] == 0) & ~ev["same_outlet"]
           & (ev["names_missing"] <= NAMES_SLACK)
           & (~ev["undated"] | (ev["quotes"] >= QUOTE_MIN)))
    related = dup | (((mean >= bar - RELATED_SLACK) & (about >= RELATED_ABOUT) & ~ev["table"])
                     & (gap <= WINDOW_DAYS) & (ev["missing"] == 0))
    score = np.maximum(mean, np.where(dup, ev["dup"], 0.0))
    return dup | own, related, score


def pair_evidence(a: Item, b: Item) -> dict | None:
    """The evidence and decision for two articles (for tests and tuning)."""
    pa, pb = parse(a.sig), parse(b.sig)
    if pa is None or pb is None:
        return None
    v = _Vectors([pa, pb], [a.entities, b.entities], [a.source, b.source]).full([0, 1])
    ev = v.evidence(np.array([0]), np.array([1]))
    same, related, score = decide(ev)
    out = {k: float(x[0]) for k, x in ev.items()}
    out.update(same=bool(same[0]), related=bool(related[0]), score=float(score[0]))
    return out


# -- candidates: sparse products over blocks of days -----------------------------

def _candidates(v: _Vectors, rows: np.ndarray, cols: np.ndarray, block=500):
    """Pairs (i, j), i in ``rows``, j in ``cols``, i != j, dates at most
    ``WINDOW_DAYS`` apart (undated: any), about cosine >= ``CAND_ABOUT``.
    Both orders may appear; the caller keeps one.

    The cosine is symmetric (bit for bit: the products sum over the shared
    words in one order), so when every row is also a column, a block of rows
    leaves out the columns that are rows of earlier blocks: those pairs were
    found from the other side.  That halves the products of a full build."""
    rows = rows[np.lexsort((rows, v.dates[rows]))]
    cols = cols[np.lexsort((cols, v.dates[cols]))]
    cdates = v.dates[cols]
    c_undated = cols[cdates == 0]
    rank = np.full(v.n, rows.size, np.int64)      # a row's place in ``rows``; others last
    in_cols = np.zeros(v.n, bool)
    in_cols[cols] = True
    if in_cols[rows].all():
        rank[rows] = np.arange(rows.size)
    out = []
    for s in range(0, rows.size, block):
        r = rows[s:s + block]
        rd = v.dates[r]
        if np.any(rd == 0):
            c = cols                       # undated rows: every column
        else:
            lo = np.searchsorted(cdates, rd.min() - WINDOW_DAYS, "left")
            hi = np.searchsorted(cdates, rd.max() + WINDOW_DAYS, "right")
            c = np.concatenate([c_undated, cols[lo:hi]])
        c = c[rank[c] >= s]
        if c.size == 0:
            continue
        S = (v.Ac[r] @ v.Ac[c].T).tocsr()
        keep = np.flatnonzero(S.data >= CAND_ABOUT - CAND_SLACK)
        I = r[np.searchsorted(S.indptr, keep, "right") - 1]
        J = c[S.indices[keep]]
        tab = v.table[I] | v.table[J]
        ok = ~tab | (S.data[keep] >= CAND_TABLE - CAND_SLACK)
        I, J = I[ok], J[ok]
        di, dj = v.dates[I], v.dates[J]
        ok = (I != J) & ((di == 0) | (dj == 0) | (np.abs(di - dj) <= WINDOW_DAYS))
        out.append((I[ok], J[ok]))
    if not out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    I = np.concatenate([o[0] for o in out])
    J = np.concatenate([o[1] for o in out])
    lo, hi = np.minimum(I, J), np.maximum(I, J)
    key = np.sort(lo * v.n + hi)
    key = key[np.r_[True, key[1:] != key[:-1]]] if key.size else key
    return key // v.n, key % v.n


# -- the grouping ------------------------------------------------------------------

class _UF:
    def __init__(self):
        self.p = {}

    def find(self, x):
        p = self.p
        root = x
        while p.get(root, root) != root:
            root = p[root]
        while p.get(x, x) != root:
            p[x], x = root, p[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.p[rb] = ra


def _refine(comps: list[list[int]], v: _Vectors, ids: list[str]) -> list[list[int]]:
    """Split linked components (rows of ``v``) into groups by complete
    linkage: links best first (ties by ids), two parts merge only if every
    pair across them is related and the result has at most ``MAX_GROUP``
    articles.  Each component's result depends on its members alone."""
    out = [c for c in comps if len(c) == 1]
    multi = [sorted(c, key=ids.__getitem__) for c in comps if len(c) > 1]
    if not multi:
        return out
    pi, pj, owner = [], [], []
    for k, c in enumerate(multi):
        I, J = np.triu_indices(len(c), 1)
        pi.append(np.asarray(c)[I])
        pj.append(np.asarray(c)[J])
        owner.append(np.full(I.size, k))
    I, J, owner = np.concatenate(pi), np.concatenate(pj), np.concatenate(owner)
    same, related, score = _decided(v, I, J)
    bounds = np.searchsorted(owner, np.arange(len(multi) + 1))
    for k, c in enumerate(multi):
        lo, hi = bounds[k], bounds[k + 1]
        cs, cr, sc, ci, cj = same[lo:hi], related[lo:hi], score[lo:hi], I[lo:hi], J[lo:hi]
        if len(c) == 2:
            out.extend([c] if cs[0] else [[x] for x in c])
            continue
        rel = set(zip(ci[cr].tolist(), cj[cr].tolist()))
        rel |= {(y, x) for x, y in rel}
        rank = {x: n for n, x in enumerate(c)}
        order = sorted(range(int(cs.sum())), key=lambda e, si=sc[cs], a=ci[cs], b=cj[cs]: (
            -si[e], rank[a[e]], rank[b[e]]))
        groups = {x: [x] for x in c}
        of = {x: x for x in c}
        for a, b in zip(ci[cs][order].tolist(), cj[cs][order].tolist()):
            ga, gb = of[a], of[b]
            if ga == gb or len(groups[ga]) + len(groups[gb]) > MAX_GROUP:
                continue
            if all((x, y) in rel for x in groups[ga] for y in groups[gb]):
                keep, drop = (ga, gb) if rank[ga] < rank[gb] else (gb, ga)
                groups[keep] += groups.pop(drop)
                for x in groups[keep]:
                    of[x] = keep
        out.extend(groups.values())
    return out


#: New articles one pass of :func:`assign` compares at once.  A pass builds
#: vectors for its articles and for those within :data:`WINDOW_DAYS` of them,
#: so a full build's memory follows this and a window's articles, not the
#: archive (one pass over 40k articles held 590 MB of vectors).
ASSIGN_BATCH = 4000
#: ... and no pass spans more publication days than this: a pass's window
#: (its days plus :data:`WINDOW_DAYS` either side) is what it builds vectors
#: for, so an increment spread over years compares a month at a time.
PASS_DAYS = 28


def assign(new, state: StoryState | None = None, removed=(),
           batch: int | None = None) -> dict[str, str]:
    """Add ``new`` items (and drop ``removed`` ids) to ``state``; return
    ``{id: group name}`` for every article whose group name changed (new
    articles included, removed ones excluded).

    An item whose id is already in ``state`` replaces it (an updated article).
    Only components a new or removed article touches are recomputed, and the
    result is the same whatever the order and batching of the increments --
    which is what lets this take ``new`` in passes of ``batch`` items in date
    order (undated ones first), so no pass holds the whole archive.
    """
    state = state if state is not None else StoryState()
    new = list(new)
    batch = batch or ASSIGN_BATCH
    passes = _passes(new, batch)
    if len(passes) <= 1:
        return _assign(new, state, removed)[0]
    first: dict = {}
    changed: set = set()
    try:
        for k, part in enumerate(passes):
            # what the next pass's window reaches stays decoded (passes go in
            # date order; undated articles are in every window)
            nxt = sig_date(passes[k + 1][0].sig) or 0 if k + 1 < len(passes) else None
            ch, before = _assign(part, state, removed if k == 0 else (),
                                 keep_from=None if nxt is None else max(nxt - WINDOW_DAYS, 0))
            for aid, was in before.items():
                first.setdefault(aid, was)
            changed |= ch.keys()
    finally:
        state._parsed.clear()
    return {aid: state.group[aid] for aid in changed
            if aid in state.group and first.get(aid, _MISSING) != state.group[aid]}


def _passes(new: list, batch: int) -> list[list]:
    """``new`` in date order (undated first), cut into passes of at most
    ``batch`` items and :data:`PASS_DAYS` days."""
    dated = sorted(((sig_date(it.sig) or 0, it.id, it) for it in new), key=lambda t: t[:2])
    out: list = []
    start = None
    for day, _aid, it in dated:
        if not out or len(out[-1]) >= batch or (day and (not start or day - start > PASS_DAYS)):
            out.append([])
            start = day
        out[-1].append(it)
    return out


def _assign(new, state: StoryState, removed=(), keep_from: int | None = None):
    """One pass of :func:`assign`: ``(changes, group before the pass of
    every article it touched)``.  The signatures it decoded are dropped
    after it, but for those undated or of day ``keep_from`` on (the next
    pass's window)."""
    ids, group = state.ids, state.group
    new_ids = {it.id for it in new}
    gone = sorted(a for a in set(removed) | new_ids if a in state.num)
    before = {aid: group[aid] for aid in gone}
    dirty: set = set()                       # members of components a removal broke
    for aid in gone:
        dirty.update(state._remove(aid))
    # a component may lose several members at once: none of them is left to redo
    dirty = {k for k in dirty if state.live(k)}

    fresh = []
    for it in new:
        if it.id not in before:
            before[it.id] = _MISSING
        if it.id in state.num:               # twice in ``new``: the last one counts
            state._remove(it.id)
        p = parse(it.sig)
        k = state._add(it, p is not None)
        if p is not None:
            state._parsed[k] = p
            fresh.append(k)
    fresh = [k for k in fresh if state.live(k)]

    # everything a link may reach: the window of each new article, and the
    # whole components of what is there (they may have to merge)
    days = {state._parsed[k].date for k in fresh}
    if 0 in days:
        near = set(state.with_sig())
    else:
        near = set(state._by_day.get(0, ()))
        for d in days:
            for dd in range(d - WINDOW_DAYS, d + WINDOW_DAYS + 1):
                near.update(state._by_day.get(dd, ()))
    reach = set(fresh) | dirty | near
    comp = state._comp
    for x in near | dirty:
        if comp[x] != _ALONE:
            reach.update(state._members[comp[x]])
    if not reach:
        _drop_parsed(state, keep_from)
        return {}, before
    order = sorted(reach, key=ids.__getitem__)      # rows in id order
    names = [ids[k] for k in order]
    pos = {k: n for n, k in enumerate(order)}
    v = _Vectors([state.parsed(k) for k in order], _RowEntities(state, order),
                 [state.source(k) for k in order], state.entity_rows(order))

    uf = _UF()
    every = np.arange(len(order), dtype=np.int64)
    broken = np.array(sorted(pos[k] for k in dirty), np.int64)
    for rows, cols in ((broken, broken), (np.array([pos[k] for k in fresh], np.int64), every)):
        if rows.size == 0:
            continue
        I, J = _candidates(v, rows, cols)
        if I.size:
            same = _linked(v, I, J, v.full)
            for a, b in zip(I[same].tolist(), J[same].tolist()):
                uf.union(a, b)
    # old components joined by a new link, or broken by a removal, are redone whole
    touched = {pos[k] for k in fresh} | {pos[k] for k in dirty} | set(uf.p) \
        | {uf.find(x) for x in list(uf.p)}
    for x in list(touched):
        for m in state._unlink(order[x]):
            uf.union(x, pos[m])
            touched.add(pos[m])
    for x in touched:
        before.setdefault(names[x], group[names[x]])
    comps: dict = {}
    for x in touched:
        comps.setdefault(uf.find(x), []).append(x)
    for mem in comps.values():
        state._link([order[x] for x in mem])
    multi = [c for c in comps.values() if len(c) > 1]
    rows = np.unique(np.concatenate([np.asarray(c, np.int64) for c in multi])) if multi \
        else np.zeros(0, np.int64)
    sub = [order[k] for k in rows]
    sub_names = [names[k] for k in rows]
    where = {int(k): n for n, k in enumerate(rows)}
    for c in comps.values():
        if len(c) == 1:
            state._group[order[c[0]]] = order[c[0]]
    if multi:
        for g in _refine([[where[x] for x in c] for c in multi], v.full(rows), sub_names):
            name = sub[min(g, key=sub_names.__getitem__)]
            for x in g:
                state._group[sub[x]] = name
    changes = {}
    for aid in {names[x] for x in touched} | new_ids:
        now = group.get(aid, _MISSING)
        if now is not _MISSING and before.get(aid, _MISSING) != now:
            changes[aid] = now
    _drop_parsed(state, keep_from)
    return changes, before


def _drop_parsed(state: StoryState, keep_from: int | None) -> None:
    if keep_from is None:
        state._parsed.clear()
        return
    day = state._day
    for k in [k for k in state._parsed if 0 < day[k] < keep_from]:
        del state._parsed[k]


_MISSING = object()


def group(items) -> dict[str, str]:
    """Map every id to its story group name (the smallest id in its group; an
    article alone is its own group).  Equals :func:`assign` applied in any
    increments."""
    state = StoryState()
    assign(items, state)
    return dict(state.group)


# -- labels ------------------------------------------------------------------------

@dataclass(frozen=True)
class Version:
    """One article of a group: who ran it, when, and how it relates to the
    earliest version -- ``"earliest"``, ``"copy"`` (shares most of its text
    verbatim) or ``"report"`` (the same event in its own words)."""
    id: str
    source: str
    published: int
    relation: str


def label(items) -> list[Version]:
    """The versions of one group, earliest first (undated last, then by id)."""
    items = list(items)
    parsed = [parse(it.sig) for it in items]
    order = sorted(range(len(items)), key=lambda k: (
        (parsed[k].date if parsed[k] and parsed[k].date else 1 << 40), items[k].id))
    first = order[0]
    out = []
    for k in order:
        if k == first:
            rel = "earliest"
        else:
            ev = pair_evidence(items[first], items[k]) if parsed[k] and parsed[first] else None
            rel = "copy" if ev and ev["dup"] >= DUP_SHARE else "report"
        out.append(Version(items[k].id, items[k].source,
                           parsed[k].date if parsed[k] else 0, rel))
    return out


# -- keeping the groups between reindexes -----------------------------------------

#: layout of :func:`dump_state`; other versions are not read (the caller then
#: groups from scratch once).  4: items in columns, components of two or more
#: only, groups as numbers.
STATE_VERSION = 4
STATE_CHUNK = 8192           # ids, groups, items or components per pickle of a saved state

#: between the state's pickles and its signatures, where the reader checks it finds them
_BLOB = b"NASIGS02"


def dump_state(state: StoryState) -> bytes:
    """Versioned bytes of ``state``: its ids, groups, items and components
    (the ``_by_day`` index is rebuilt by :func:`load_state`).

    Plain data only, ids numbered afresh in sorted order so that groups and
    components are arrays of small ints; the signatures follow the pickles,
    concatenated in id order, so a reader can leave them in the file."""
    import io
    buf = io.BytesIO()
    write_state(state, buf)
    return buf.getvalue()


def write_state(state: StoryState, fh) -> None:
    """:func:`dump_state` straight into the binary file ``fh``: a header of
    counts, then the ids, the groups, the items and the components in pickles
    of :data:`STATE_CHUNK` each (one pickle of everything built the whole
    layout and a memo of every object beside the state: the save phase's peak
    at 190k articles), then the signatures (:func:`_write_sigs`: neighbours
    in one file are copied together).

    An items chunk is columns -- numbers, signature lengths and days,
    entity counts (arrays), then the entity names and outlets (lists, which
    the pickle's memo keeps once per chunk) -- not a tuple per article."""
    import pickle

    def dump(obj):          # a pickle each: its memo lives for one chunk
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    ids = sorted(state.num)
    old = array("i", (state.num[a] for a in ids))          # new number -> old
    new = array("i", [-1]) * len(state.ids)                # old number -> new
    for n, k in enumerate(old):
        new[k] = n
    items = array("i", (n for n, k in enumerate(old) if state._file[k] != _NO_SIG))
    members = sorted((sorted(new[m] for m in mem) for mem in state._members.values()))
    dump({"version": STATE_VERSION, "ids": len(ids), "items": len(items),
          "members": len(members)})
    for part in _parts(ids):
        dump(part)
    for part in _parts(old):
        dump(array("i", (new[state._group[k]] for k in part)))
    names, sources = state._names.of, state._sources.of
    for part in _parts(items):
        ks = [old[n] for n in part]
        dump((part, array("i", (state._len[k] for k in ks)),
              array("i", (state._day[k] for k in ks)), array("i", (state._ent_n[k] for k in ks)),
              [names[e] for k in ks
               for e in state._ents[state._ent_at[k]:state._ent_at[k] + state._ent_n[k]]],
              [sources[state._src[k]] for k in ks]))
    for part in _parts(members):
        dump(part)
    fh.write(_BLOB)
    _write_sigs(state, (old[n] for n in items), fh)


def _write_sigs(state: StoryState, ks, fh, run: int = 1 << 20) -> None:
    """Copy the signatures of numbers ``ks`` to ``fh``, in that order.
    Neighbours in one file are read together, up to ``run`` bytes (a loaded
    state's are, in number order): a read per megabyte, not per article."""
    src = start = end = None
    for k in ks:
        f, off = state._file[k], state._off[k]
        if f == src and off == end and end - start < run:
            end += state._len[k]
            continue
        if src is not None:
            fh.write(state._files[src].read(start, end - start))
            src = None
        if f >= 0:
            src, start, end = f, off, off + state._len[k]
        else:
            fh.write(state._raw[k])
    if src is not None:
        fh.write(state._files[src].read(start, end - start))


def _parts(seq):
    for k in range(0, len(seq), STATE_CHUNK):
        yield seq[k:k + STATE_CHUNK]


def load_state(raw: bytes) -> StoryState | None:
    """The state of :func:`dump_state`, or None for damaged bytes or another
    version (the caller then groups from scratch)."""
    import io
    return read_state(io.BytesIO(raw))


def read_state(fh) -> StoryState | None:
    """:func:`load_state` from the binary file ``fh``, a chunk at a time.

    From a real file the signatures stay in it: the state keeps their
    places, on a descriptor of its own, so the caller may close ``fh`` (and
    the file may be unlinked) while the state lives.  Damaged or truncated
    input, or another version, gives None."""
    try:
        return _read_state(fh)
    except Exception:  # noqa: BLE001
        return None


def _read_state(fh) -> StoryState | None:
    import pickle

    def chunks(count):
        while count > 0:
            part = pickle.load(fh)
            count -= len(part[0] if isinstance(part, tuple) else part)
            yield part
        if count < 0:
            raise ValueError("more entries than the header says")
    head = pickle.load(fh)
    if not isinstance(head, dict) or head.get("version") != STATE_VERSION:
        return None
    n = head["ids"]
    s = StoryState()
    for part in chunks(n):
        s.ids.extend(map(sys.intern, part))
    if len(s.ids) != n:
        raise ValueError("ids and header disagree")
    s.num = {a: k for k, a in enumerate(s.ids)}
    if len(s.num) != n:
        raise ValueError("an id twice")
    for part in chunks(n):
        s._group.extend(part)
    if len(s._group) != n or (n and not 0 <= min(s._group) <= max(s._group) < n):
        raise ValueError("groups out of range")
    # every article first as one without a signature, then the items' columns;
    # offsets are counted from the signatures' start until it is known
    s._file = array("h", [_NO_SIG]) * n
    for a in (s._off, s._len, s._day, s._src, s._ent_at, s._ent_n):
        a.extend(array(a.typecode, [0]) * n)
    s._comp = array("i", [_ALONE]) * n
    off, last = 0, -1
    for nums, lens, days, ent_n, names, sources in chunks(head["items"]):
        if not (len(nums) == len(lens) == len(days) == len(ent_n) == len(sources)
                and sum(ent_n) == len(names)):
            raise ValueError("columns of an items chunk disagree")
        at = 0
        for k, ln, day, ne, src in zip(nums, lens, days, ent_n, sources):
            if k <= last:
                raise ValueError("items out of order")
            last = k
            s._file[k] = _IN_MEMORY
            s._off[k], s._len[k], s._day[k] = off, ln, day
            off += ln
            s._src[k] = s._sources.number(src)
            s._ent_at[k], s._ent_n[k] = len(s._ents), ne
            s._ents.extend(s._names.number(e) for e in names[at:at + ne])
            at += ne
            s._by_day.setdefault(day, array("i")).append(k)
        s._n_items += len(nums)
    for part in chunks(head["members"]):
        for mem in part:
            if len(mem) < 2 or not all(0 <= m < n and s._comp[m] == _ALONE for m in mem):
                raise ValueError("a component out of range, alone or overlapping")
            s._link(mem)
    if fh.read(len(_BLOB)) != _BLOB:
        return None
    start = fh.tell()
    try:
        sigs = SigFile.reading(fh)
    except (AttributeError, OSError, ValueError):   # in memory: read the bytes
        sigs = None
    if sigs is not None and sigs.end != start + off:
        return None
    if sigs is not None:
        s._files.append(sigs)
    for k in s.with_sig():          # in file order: the items were in number order
        if sigs is not None:
            s._file[k] = 0
            s._off[k] += start
        else:
            sig = s._raw[k] = fh.read(s._len[k])
            if len(sig) != s._len[k] or sig_date(sig) != s._day[k]:
                raise ValueError("truncated signatures")
    return s
