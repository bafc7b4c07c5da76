"""Did-you-mean: when a query finds little, propose the closest index words.

Whoosh's corrector works over the body's lexicon, which holds *stems*
(``ceasefir``), so a suggested stem is turned back into a real word by
reading it out of one article that contains it.  The suggestion is kept only
if it actually finds more than the original query did.
"""
from __future__ import annotations

import re

from .highlight import stem

_WORD = re.compile(r"(?<![\w:])([A-Za-z\u00c0-\u024f]{3,})(?![\w:*~])")
_OPS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


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


def suggest(searcher, text: str) -> str | None:
    """A corrected version of the query text, or None."""
    reader = searcher.reader()
    corrector = searcher.corrector("body")
    changed = False
    out = []
    pos = 0
    for m in _WORD.finditer(text):
        word = m.group(1)
        if word in _OPS:
            continue
        st = stem(word)
        try:
            known = reader.doc_frequency("body", st) > 0
        except Exception:  # noqa: BLE001
            known = True
        if known:
            continue
        cands = corrector.suggest(st, limit=1, maxdist=2)
        if not cands:
            continue
        real = _surface(searcher, cands[0])
        if not real or real == word.lower():
            continue
        out.append(text[pos:m.start(1)])
        out.append(real)
        pos = m.end(1)
        changed = True
    if not changed:
        return None
    out.append(text[pos:])
    return "".join(out)
