"""Curated aliases: the names a person, not the text, says are one entity.

The entity stage learns most aliases from the articles themselves
("Tehreek-e-Taliban Pakistan (TTP)", "TTP/FaK", "... termed Fitna-al-Hindustan
(FaH)").  When it cannot -- two names no article ever ties together, or a
name it types wrongly -- an editor writes an ``aliases.toml`` in the source
folder (``corpus/aliases.toml`` for the sample).  Curated entries win over
anything learned: their name is the canonical one, their type is the type,
and learned aliases of any listed name join the entity.

The format (TOML)::

    # Names that are never entities, whatever the text looks like.
    ignore = ["Scroll to Top", "Also"]
    # Names that are never one entity, whatever the text suggests: undoes a
    # wrong merge the archive learned.  (Top-level keys go before any [[entity]].)
    distinct = [["Alpha Party", "Beta Party"]]

    [[entity]]
    name = "Tehreek-e-Taliban Pakistan"          # canonical name, shown in facets
    type = "org"                                  # person | org | place | other
    aliases = ["TTP", "Fitna-al-Khawarij", "FaK"] # any spelling; matching ignores
                                                  # case, accents and dashes

    [[entity]]
    name = "Foreign Office"
    type = "org"
    aliases = ["FO", "Ministry of Foreign Affairs", "MoFA"]

``type`` is optional (the learned type is kept then); ``aliases`` may be
empty (to fix a type only).  A name listed under two entities belongs to the
first.  ``distinct`` wins over everything, curated entries included: two names
of one pair never end up in one entity.  Each entry keeps the file it came
from and its text, so a merge it makes can say why (alias provenance).
A malformed file (or an unknown key in an entry) raises :class:`CuratedError` with the file and the
reason -- a silent fallback would hide an editor's mistake.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .article import ENTITY_TYPES

#: The file name looked for in a source folder.
FILENAME = "aliases.toml"


class CuratedError(ValueError):
    """The curated aliases file cannot be used (bad TOML, wrong shape)."""


@dataclass
class CuratedEntity:
    name: str
    type: Optional[str] = None
    aliases: list[str] = field(default_factory=list)
    #: where the entry was read, and the entry as written there (provenance)
    source: str = ""
    entry: str = ""

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Curated:
    entities: list[CuratedEntity] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    #: pairs of names that are never one entity
    distinct: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""


def load(path: Union[str, Path, None]) -> Curated:
    """Read a curated aliases file; ``None`` or a missing file gives an empty one.

    ``path`` may also be a source folder, in which case its ``aliases.toml`` is read.
    """
    if path is None:
        return Curated()
    path = Path(path)
    if path.is_dir():
        path = path / FILENAME
    if not path.is_file():
        return Curated()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise CuratedError(f"{path}: {e}") from e
    return parse(data, str(path))


def parse(data: dict, where: str = "aliases.toml") -> Curated:
    """Validate the TOML's shape (see the module docstring)."""
    out = Curated()
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(s, str) for s in ignore):
        raise CuratedError(f"{where}: 'ignore' must be a list of strings")
    out.ignore = list(ignore)
    out.source = where
    distinct = data.get("distinct", [])
    if not isinstance(distinct, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) and x.strip() for x in p)
            for p in distinct):
        raise CuratedError(f"{where}: 'distinct' must be a list of [\"A\", \"B\"] pairs of names")
    out.distinct = [(a.strip(), b.strip()) for a, b in distinct]
    entries = data.get("entity", [])
    if not isinstance(entries, list):
        raise CuratedError(f"{where}: use [[entity]] tables")
    for i, e in enumerate(entries, 1):
        if not isinstance(e, dict) or not isinstance(e.get("name"), str) or not e["name"].strip():
            raise CuratedError(f"{where}: entity #{i} needs a name")
        typ = e.get("type")
        if typ is not None and typ not in ENTITY_TYPES:
            raise CuratedError(f"{where}: entity {e['name']!r}: type must be one of "
                               f"{', '.join(ENTITY_TYPES)}")
        aliases = e.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise CuratedError(f"{where}: entity {e['name']!r}: aliases must be a list of strings")
        unknown = sorted(set(e) - {"name", "type", "aliases"})
        if unknown:
            raise CuratedError(f"{where}: entity {e['name']!r}: unknown key {unknown[0]!r} "
                               f"(top-level keys such as ignore and distinct go before the "
                               f"first [[entity]])")
        name, aliases = e["name"].strip(), [a.strip() for a in aliases]
        out.entities.append(CuratedEntity(name, typ, aliases, where, _entry_text(name, typ, aliases)))
    return out


def _entry_text(name: str, typ: Optional[str], aliases: list[str]) -> str:
    """The entry as an editor would read it in the file (shown as a merge's reason)."""
    import json
    parts = [f"name = {json.dumps(name, ensure_ascii=False)}"]
    if typ:
        parts.append(f"type = {json.dumps(typ)}")
    parts.append(f"aliases = {json.dumps(aliases, ensure_ascii=False)}")
    return "[[entity]] " + ", ".join(parts)
