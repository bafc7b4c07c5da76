"""The manifest: what every source file was when the index last saw it.

Why: a rerun must cost what changed.  For every file the manifest keeps its
resolved path, size, ``mtime_ns`` and a hash of its raw bytes, and for every
record that came out of it (one for ``.txt``/``.html``/``.json``, one per
line of a ``.jsonl``) the record's line, the hash of its raw line, its id and
how the id was made, its URL, its version time and what became of it:
indexed (``i``), superseded by a newer version (``s``, with the winner's
path) or skipped (``k``, with the reason).  With that, a reindex

* does not open a file whose size and mtime are unchanged;
* re-reads a touched file only to find its hash unchanged;
* loads only the changed lines of a changed JSONL file;
* judges a new version against an old one without re-reading the old file;
* can tell the user about every input file again (superseded, skipped)
  without touching it.

It also keeps the registry of source folders: the id prefix each resolved
source folder was given.  Two different folders with the same name get
different prefixes (``corpus``, ``corpus-2``), and a folder keeps its prefix
for the life of the index, so ids stay stable.

Crash safety: the manifest is a per-generation side file
(``manifest-<gen>.json``, see :mod:`index.generations`) written *before*
Whoosh publishes generation ``gen``; a reader uses the manifest of the
generation the TOC names, so a crash at any moment leaves a matching pair.
A rerun that changes no document rewrites the current generation's manifest
atomically (only stat fields can differ then).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import generations
from .schema import SCHEMA_VERSION

FORMAT = 2
PREFIX = generations.MANIFEST.prefix

# record fields, by position (a list per record keeps the file compact)
LINE, HASH, ID, KIND, URL, TIME, MTIME, STATUS, NOTE = range(9)
INDEXED, SUPERSEDED, SKIPPED = "i", "s", "k"


@dataclass
class Manifest:
    sources: dict = field(default_factory=dict)   # resolved folder -> id prefix
    files: dict = field(default_factory=dict)     # resolved path -> entry dict
    curated: dict = field(default_factory=dict)   # aliases.toml path -> [size, mtime_ns]
    #: the schema version the index's documents were written with (a manifest
    #: from before versions were recorded says 1)
    schema: int = SCHEMA_VERSION

    def to_json(self) -> dict:
        return {"format": FORMAT, "sources": self.sources, "files": self.files,
                "curated": self.curated, "schema": self.schema}


def name(gen) -> str:
    return generations.MANIFEST.name(gen)


def load(folder, gen) -> Optional[Manifest]:
    """The manifest of generation ``gen``, or None (index built before manifests)."""
    p = Path(folder) / name(gen)
    try:
        data = json.loads(p.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("format") != FORMAT:
        return None
    return Manifest(sources=dict(data.get("sources") or {}), files=dict(data.get("files") or {}),
                    curated=dict(data.get("curated") or {}), schema=_int(data.get("schema"), 1))


def _int(value, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def save(folder, gen, m: Manifest) -> None:
    """Atomic write (a reader never sees half a file), flushed to disk before
    the caller commits the generation it belongs to."""
    p = Path(folder) / name(gen)
    tmp = p.with_name(p.name + f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        for part in _encode(m):
            fh.write(part)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, p)


#: file entries encoded per write (see :func:`_encode`)
ENCODE_FILES = 512


def _encode(m: Manifest):
    """The text of ``json.dumps(m.to_json())`` in parts: each a batch of
    :data:`ENCODE_FILES` file entries.  ``json.dump`` streams through the
    pure-Python encoder (a second per 100k records); ``json.dumps`` uses the C
    one but holds the whole text.  ASCII escapes: file names that are not
    UTF-8 (surrogate escapes) round-trip."""
    dumps = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
    data = m.to_json()
    files = data.pop("files")
    yield '{"format":' + dumps(data.pop("format")) + ',"sources":' + dumps(data.pop("sources")) \
        + ',"files":{'
    items = list(files.items())
    for lo in range(0, len(items), ENCODE_FILES):
        yield ("," if lo else "") + ",".join(
            dumps(k) + ":" + dumps(v) for k, v in items[lo:lo + ENCODE_FILES])
    yield "}," + dumps(data)[1:]


def exists_any(folder) -> bool:
    return any(True for _ in generations.saved(folder, PREFIX, generations.MANIFEST.ext))



def prefixes(m: Manifest, roots, source_name) -> tuple[dict, list]:
    """Id prefix of each resolved source folder in ``roots``, registering new
    ones; returns ``({root: prefix}, clashes)`` where each clash is
    ``(root, prefix given, the other folder with that name)``."""
    taken = {p: r for r, p in m.sources.items()}
    out, clashes = {}, []
    for r in roots:
        r = str(r)
        if r in m.sources:
            out[r] = m.sources[r]
            continue
        base = source_name(r)
        prefix, n = base, 1
        while prefix in taken and taken[prefix] != r:
            if not os.path.isdir(taken[prefix]):      # that folder is gone: its name is free
                del m.sources[taken.pop(prefix)]
                break
            n += 1
            prefix = f"{base}-{n}"
        if n > 1:
            clashes.append((r, prefix, taken[base]))
        m.sources[r] = prefix
        taken[prefix] = r
        out[r] = prefix
    return out, clashes
