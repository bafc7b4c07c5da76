"""Plain-text articles (``.txt``), with optional ``---`` front matter.

The shape is the seeds' (``../shared/seeds``): an optional headline line, an
optional dateline, paragraphs one per line (or hard-wrapped wire copy).  A
file may open with front matter in the style of static-site generators::

    ---
    title: Taliban Shows Willingness to Address TTP Concerns
    published: 2025-04-24
    url: https://example.com/story
    source: Example News
    ---

Keys are the same names JSON records use (see :mod:`archive.json_format`).
Front matter is only ``key: value`` lines whose keys the loader knows: a
block with any other line (``Update: the vote was moved``, ``Correction:
...``) is the article's own text and stays in the body.  A ``---`` that is
not closed within the first 50 lines is not front matter either.
"""
from __future__ import annotations

import re

from .assemble import build_article
from .json_format import FIELDS, pick_fields

_KEY_VALUE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_KNOWN = {k for keys in FIELDS.values() for k in keys} | {"tags", "categories", "category",
                                                          "description", "summary", "lang", "language"}


def _known(key: str) -> bool:
    k = key.lower().replace("-", "_")
    return k in _KNOWN or k.replace("_", "") in _KNOWN


def split_front_matter(text: str) -> tuple[dict, str]:
    """``(fields, rest)``; ``fields`` is empty when the text has no front matter."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text
    fields: dict = {}
    for i, line in enumerate(lines[1:51], start=1):
        if line.strip() == "---":
            return fields, "\n".join(lines[i + 1:])
        m = _KEY_VALUE.match(line)
        if m and _known(m.group(1)):
            value = m.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            fields[m.group(1).lower()] = value
        elif line.strip():
            return {}, text  # not known key: value lines -- text, not front matter
    return {}, text


def parse_text(text: str, *, path: str, rel_path: str, mtime: float):
    """One ``.txt`` file's text -> one Article (or Skipped)."""
    meta, body = split_front_matter(text)
    f = pick_fields(meta) if meta else {}
    return build_article(path=path, rel_path=rel_path, text=body, fmt="txt", mtime=mtime,
                         record_id=f.get("id"), title=f.get("title"), url=f.get("url"),
                         published=f.get("published"), author=f.get("author"),
                         source=f.get("source"), dateline=f.get("dateline"),
                         scraped_at=f.get("scraped_at"))
