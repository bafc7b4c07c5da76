"""Two outlets' versions of one story: what both report, and what each alone does.

Sentence by sentence.  Two sentences are the same passage when their words
(case- and punctuation-blind) are the same, or nearly so -- a wire copy that
changes "said on Monday" to "said" still reports the same thing: at least
:data:`SAME_PASSAGE` of the words of the shorter one are shared (overlap
coefficient) and the sentences are of comparable length.  Everything else is
reported by one outlet alone, in its own order.

Bounded cost: at most :data:`MAX_SENTENCES` sentences per article, and a
sentence is only compared with sentences that share one of its rarer words
(an inverted index), not with all of them.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

SAME_PASSAGE = 0.75
#: Shorter sentence at least this share of the longer one's words.
LENGTH_RATIO = 0.5
MAX_SENTENCES = 400
#: Words a sentence is looked up by (its rarest in the pair of articles).
PROBE_WORDS = 4

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|(?=\n)|$)")
_WORD = re.compile(r"\w+")


def sentences(text: str) -> list[str]:
    out = [m.group(0).strip() for m in _SENTENCE.finditer(text or "")]
    return [s for s in out if _WORD.search(s)][:MAX_SENTENCES]


def _words(s: str) -> frozenset:
    return frozenset(w.casefold() for w in _WORD.findall(s))


@dataclass
class Shared:
    a: str           # the sentence as the first outlet wrote it
    b: str           # ... and as the second did
    exact: bool      # word for word the same


@dataclass
class Comparison:
    shared: list = field(default_factory=list)    # [Shared], in the first article's order
    only_a: list = field(default_factory=list)    # sentences only the first reports
    only_b: list = field(default_factory=list)

    @property
    def share(self) -> float:
        """Fraction of all sentences that are shared passages."""
        total = len(self.shared) * 2 + len(self.only_a) + len(self.only_b)
        return (len(self.shared) * 2 / total) if total else 0.0


def compare(text_a: str, text_b: str) -> Comparison:
    a, b = sentences(text_a), sentences(text_b)
    wa, wb = [_words(s) for s in a], [_words(s) for s in b]
    df = Counter(w for ws in wa + wb for w in ws)
    by_word = defaultdict(list)
    for j, ws in enumerate(wb):
        for w in sorted(ws, key=lambda w: (df[w], w))[:PROBE_WORDS]:
            by_word[w].append(j)
    used_b: set = set()
    out = Comparison()
    for i, ws in enumerate(wa):
        if not ws:
            continue
        best, best_score = None, 0.0
        cands = {j for w in ws for j in by_word.get(w, ())}
        for j in sorted(cands):
            if j in used_b or not wb[j]:
                continue
            small, big = sorted((len(ws), len(wb[j])))
            if small < LENGTH_RATIO * big:
                continue
            score = len(ws & wb[j]) / small
            if score > best_score:
                best, best_score = j, score
        if best is not None and best_score >= SAME_PASSAGE:
            used_b.add(best)
            out.shared.append(Shared(a=a[i], b=b[best], exact=ws == wb[best]))
        else:
            out.only_a.append(a[i])
    out.only_b = [s for j, s in enumerate(b) if j not in used_b]
    return out
