"""What says "a person" in news text: given names, titles, roles.

Given names come from two lists: the project's own short list (names news
writes often, from many languages: :data:`archive.gazetteer.GIVEN_NAMES`) and
the first-name lists of the 1990 US Census as shipped by the ``names``
package (MIT licence; the Census lists are US government work, public
domain): about 5,000 given names.  A name that is also a very common English
word ("Will", "April", "Hope") is kept only when the short list has it, so a
capitalised ordinary word opening a run is not taken for a first name.

Nothing here downloads anything; the lists are read once per process.
"""
from __future__ import annotations

from functools import lru_cache

from .gazetteer import GIVEN_NAMES, MONTHS, WEEKDAYS, zipf
from .names import fold

#: Lower-case words right before a name that say it is a person's: roles and kin
#: ("striker Alan Example", "coach Mira Sample", "his wife Ana Placeholder").
PERSON_BEFORE = frozenset(fold(w) for w in """
striker midfielder defender goalkeeper keeper winger forward coach manager captain skipper
batsman batsmen bowler spinner pitcher catcher quarterback linebacker jockey trainer driver
rider cyclist sprinter champion runner-up seed player players teammate team-mate rival
centre center flanker fly-half scrum-half full-back fullback hooker wicketkeeper opener
actor actress singer musician artist author writer novelist poet playwright director
producer lawyer attorney businessman businesswoman tycoon billionaire millionaire banker
wife husband son daughter brother sister mother father widow widower uncle aunt cousin
spokesman spokeswoman spokesperson chairman chairwoman dissident activist veteran
premier president minister secretary senator governor mayor lawmaker legislator
mr mrs ms miss dr prof sen sens rep reps gov
""".split())


def _census() -> list[str]:
    """The Census first-name lists of the ``names`` package, if it is installed."""
    try:
        from importlib import resources
        root = resources.files("names")
    except (ImportError, ModuleNotFoundError, TypeError):
        return []
    out: list[str] = []
    for fname in ("dist.male.first", "dist.female.first"):
        try:
            text = (root / fname).read_text("ascii", errors="ignore")
        except (OSError, FileNotFoundError):
            continue
        out.extend(line.split()[0] for line in text.splitlines() if line.strip())
    return out


@lru_cache(maxsize=1)
def given_names() -> frozenset:
    """Folded given names (see the module docstring)."""
    out = set(GIVEN_NAMES)
    for n in _census():
        k = fold(n)
        if len(k) < 3 or k in MONTHS or k in WEEKDAYS:
            continue
        if zipf(k) >= 5.0:
            continue         # "will", "april", "hope": an ordinary word first
        out.add(k)
    return frozenset(out)
