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
first.  A malformed file raises :class:`CuratedError` with the file and the
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

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Curated:
    entities: list[CuratedEntity] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)


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
        out.entities.append(CuratedEntity(e["name"].strip(), typ, [a.strip() for a in aliases]))
    return out
