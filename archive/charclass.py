"""The runs of one character class in a text, by C string methods instead of a regex.

A regex such as ``[^\\W\\d_]+`` costs the regex engine some hundreds of
machine instructions per character (a match attempt, a Unicode category test);
the loader scans each article with several of them.  :meth:`CharClass.spaced`
turns every character outside the class into a space with ``translate`` (for
an ASCII text through ``bytes.translate``, which needs no lookup per
character), so ``spaced(text).split()`` gives the maximal runs of the class
in one C pass each -- exactly what ``findall`` of ``[class]+`` gives, as long
as no character of the class is white space (the constructor checks the ASCII
ones; ``\\w``, digits and punctuation never are).
"""
from __future__ import annotations

import re

#: distinct code points a class remembers before it starts over (a text in a
#: large script must not grow the table without bound)
_LIMIT = 50_000


class _Table(dict):
    """code point -> itself (in the class) or 32 (a space): the mapping
    ``str.translate`` takes, filling itself on first sight of a character."""

    __slots__ = ("member",)

    def __init__(self, member):
        super().__init__()
        self.member = member

    def __missing__(self, cp: int) -> int:
        if len(self) > _LIMIT:
            self.clear()
        v = self[cp] = cp if self.member(chr(cp)) else 32
        return v


class CharClass:
    """The characters a regex character class matches (``pattern``, e.g.
    ``r"[^\\W\\d_]"``), plus any of ``extra``."""

    def __init__(self, pattern: str, extra: str = ""):
        rx = re.compile(pattern)
        member = self._member = lambda c: rx.fullmatch(c) is not None or c in extra
        assert not any(member(chr(i)) for i in range(128) if chr(i).isspace()), pattern
        self._table = _Table(member)
        ascii_map = bytes(self._table[i] for i in range(128))
        self._ascii = ascii_map + b" " * 128      # (an ASCII text has no byte above 127)

    def spaced(self, text: str) -> str:
        """``text`` with every character outside the class replaced by a space
        (same length, same offsets)."""
        if text.isascii():
            return text.encode("ascii").translate(self._ascii).decode("ascii")
        return text.translate(self._table)

    def runs(self, text: str) -> list[str]:
        """The maximal runs of the class in ``text``, left to right."""
        return self.spaced(text).split()
