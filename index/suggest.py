"""Did-you-mean: when a query finds little, propose the closest index words.

The body's lexicon holds *stems* (``ceasefir``), so a suggested stem is turned
back into a real word by reading it out of one article that contains it.  The
caller keeps the suggestion only if it actually finds more than the original
query did.

A suggestion is a nicety, so its cost is bounded whatever the query holds:

- a query with more than :data:`MAX_WORDS` unknown words gets no suggestion
  and no lookup at all: it is noise, not a typo (120 unknown words took 3.3 s
  at 19k articles when every word was looked up; checking that a word is
  unknown is one term lookup);
- words longer than :data:`MAX_WORD_CHARS` are not looked up (nobody
  mistypes a 1,000-letter word; Whoosh's automaton for one took 2 s);
- the edit distance follows the word's length as Elasticsearch's ``AUTO``
  fuzziness does (one edit up to 5 letters, two beyond), never more than 2;
- all lookups of one query share a :data:`BUDGET_SECONDS` time budget.

Candidates come from the field's numpy :class:`index.expand.Lexicon` (shared
with fuzzy search, built once per index generation), ranked by edit distance,
then by how many articles hold the word, then alphabetically.
"""
from __future__ import annotations

import re
import time

from .analysis import stem

_WORD = re.compile(r"(?<![\w:])([A-Za-z\u00c0-\u024f]{3,})(?![\w:*~])")
_OPS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}

#: Unknown words looked up per query; a query with more gets no suggestion.
MAX_WORDS = 4
#: Longest word (and stem) looked up.
MAX_WORD_CHARS = 24
#: Candidates at one distance whose frequency is compared (the lexicon's order
#: is alphabetical, so this only matters for very short words).
MAX_CANDIDATES = 200
#: Time all the lookups of one query may take, in seconds.  A lookup is ~5-15 ms
#: at 19k articles (eight took 0.2 s), ~10x that at 190k, where the budget
#: binds first.
BUDGET_SECONDS = 0.05


def max_edits(word: str) -> int:
    """Edits allowed for a word of this length (Elasticsearch ``AUTO``: 3-5 -> 1, 6+ -> 2)."""
    return 1 if len(word) <= 5 else 2


def _surface(searcher, stemmed: str) -> str | None:
    """A real word from the corpus whose stem is ``stemmed``."""
    try:
        m = searcher.reader().postings("body", stemmed)
        docnum = m.id()
    except Exception:  # noqa: BLE001
        return None
    body = searcher.stored_fields(docnum).get("body") or ""
    for w in re.findall(r"\w+", body):
        if stem(w) == stemmed:
            return w.lower()
    return None


def _best(reader, lexicon, st: str, deadline: float) -> str | None:
    """The best index stem near ``st``: fewest edits, then most articles."""
    for dist in range(1, max_edits(st) + 1):
        if time.monotonic() > deadline:
            return None
        cands = [c for c in lexicon.within(st, dist) if c != st][:MAX_CANDIDATES]
        if not cands:
            continue
        def freq(c):
            try:
                return reader.doc_frequency("body", c)
            except Exception:  # noqa: BLE001
                return 0
        return min(cands, key=lambda c: (-freq(c), c))
    return None


def suggest(searcher, text: str, lexicon=None, budget: float = BUDGET_SECONDS) -> str | None:
    """A corrected version of the query text, or None.

    ``lexicon`` is the body field's :class:`index.expand.Lexicon` (built from
    the searcher's reader when not given).
    """
    reader = searcher.reader()
    unknown = []
    for m in _WORD.finditer(text):
        word = m.group(1)
        if word in _OPS or len(word) > MAX_WORD_CHARS:
            continue
        st = stem(word)
        try:
            known = reader.doc_frequency("body", st) > 0
        except Exception:  # noqa: BLE001
            known = True
        if not known:
            unknown.append((m, word, st))
            if len(unknown) > MAX_WORDS:
                return None        # not a typo: a query that many words off is noise
    if not unknown:
        return None
    if lexicon is None:
        from .expand import Lexicon
        lexicon = Lexicon([b.decode("utf-8") for b in reader.lexicon("body")])
    deadline = time.monotonic() + budget
    out, pos = [], 0
    for m, word, st in unknown:
        if time.monotonic() > deadline:
            break
        best = _best(reader, lexicon, st, deadline)
        real = _surface(searcher, best) if best else None
        if not real or real == word.lower():
            continue
        out.append(text[pos:m.start(1)])
        out.append(real)
        pos = m.end(1)
    if not out:
        return None
    out.append(text[pos:])
    return "".join(out)
