"""Page history: the versions of one URL the archive scraped, and what changed.

The index keeps older scrapes of a URL as the article's history (``Index.history(id)``,
from the ingest work); this module only presents it: versions oldest first
with their times, and a sentence-by-sentence comparison of two of them, as
NewsDiffs shows it -- a sentence is kept, added or removed, so a changed
sentence reads as the old one struck out beside the new one.

Bounded cost: sentences past :data:`MAX_SENTENCES` per version are compared
as one tail block, and difflib's matcher runs without its "junk" heuristic.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Optional

MAX_SENTENCES = 1500
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|(?=\n)|$)")
TIME_KEYS = ("scraped_at", "modified", "fetched_at", "time", "mtime", "at")


@dataclass
class Version:
    n: int                      # 1 = oldest
    when: Optional[str]         # ISO time of the scrape, if known
    title: str
    body: str
    path: Optional[str] = None
    current: bool = False


@dataclass
class History:
    versions: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return len(self.versions) > 1

    def pair(self, a: Optional[int], b: Optional[int]) -> tuple[Version, Version]:
        """Versions ``a`` and ``b`` (1-based), defaulting to the last two."""
        n = len(self.versions)

        def pick(i, default):
            try:
                i = int(i)
            except (TypeError, ValueError):
                return default
            return i if 1 <= i <= n else default
        a, b = pick(a, n - 1), pick(b, n)
        if a == b:
            a = max(1, b - 1)
        a, b = min(a, b), max(a, b)
        return self.versions[a - 1], self.versions[b - 1]


def _when(v: dict) -> Optional[str]:
    for k in TIME_KEYS:
        if v.get(k):
            return str(v[k])
    return None


def present(raw: list, current: Optional[dict] = None) -> History:
    """``Index.history(id)`` -- the article's *older* versions, any order, each
    ``{path, title, text, time}`` -- plus the ``current`` article (shown
    above them; it is the newest version), as a History oldest first."""
    items = [v for v in raw or () if isinstance(v, dict)]
    items.sort(key=lambda v: (_when(v) or ""))
    out = []
    for i, v in enumerate(items, 1):
        out.append(Version(n=i, when=_when(v), title=str(v.get("title") or ""),
                           body=str(v.get("body") or v.get("text") or ""),
                           path=v.get("path"), current=bool(v.get("current"))))
    if current is not None and out and not any(v.current for v in out):
        out.append(Version(n=len(out) + 1, when=_when(current),
                           title=str(current.get("title") or ""),
                           body=str(current.get("body") or ""), path=current.get("path"),
                           current=True))
    return History(out)


def sentences(text: str) -> list[str]:
    out = [m.group(0).strip() for m in _SENTENCE.finditer(text or "")]
    out = [s for s in out if s]
    if len(out) > MAX_SENTENCES:
        out = out[:MAX_SENTENCES - 1] + [" ".join(out[MAX_SENTENCES - 1:])]
    return out


def diff(old: str, new: str) -> list[tuple[str, str]]:
    """``[(op, sentence)]`` with op ``same`` | ``removed`` | ``added``, in reading order.

    ``"The talks ended. Ten died."`` -> ``"The talks ended. Twelve died."``
    gives ``same "The talks ended."``, ``removed "Ten died."``, ``added "Twelve died."``.
    """
    a, b = sentences(old), sentences(new)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.extend(("same", s) for s in a[i1:i2])
        else:
            out.extend(("removed", s) for s in a[i1:i2])
            out.extend(("added", s) for s in b[j1:j2])
    return out
