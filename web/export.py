"""CSV export of a whole result set, safe to open in a spreadsheet.

A journalist exports a search to sort, annotate and share it in Excel or
LibreOffice.  Two things matter: the file holds the *result set* (not just the
page on screen, up to :data:`MAX_ROWS`), and no cell can turn into a formula.
Article titles are written by strangers, and a title such as
``=HYPERLINK("http://evil", "click")`` would otherwise run when the sheet
opens (CSV/formula injection, OWASP).  Cells that start with a character a
spreadsheet treats as a formula get a leading apostrophe, which spreadsheets
show as plain text.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator, Optional

#: Most rows one export holds.  Enough for any real story research; a bigger
#: pull belongs to the Python library or the CLI's ``--json``.
MAX_ROWS = 10_000

#: Rows fetched per index call while walking the result set (the index's
#: largest page).
BATCH = 100

#: One row per matching *article* (the search page shows one entry per story
#: group; a spreadsheet wants every copy).  ``same_story`` names the ids of
#: the other versions of the same story, which have rows of their own.
COLUMNS = ("id", "title", "published", "source", "url", "author", "entities", "same_story",
           "snippet")

#: First characters that make a spreadsheet read a cell as a formula (or,
#: for tab and carriage return, hide one behind whitespace).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: Optional[object]) -> str:
    """A cell value a spreadsheet will show as text, never evaluate."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _entities(value) -> str:
    names = []
    for e in value or ():
        name = e.get("name") if isinstance(e, dict) else getattr(e, "name", None)
        if name:
            names.append(name)
    return "; ".join(names)


def plain_snippet(html_snippet) -> str:
    """The snippet as text: ``<mark>`` tags dropped, entities unescaped."""
    import html
    import re
    return html.unescape(re.sub(r"</?mark>", "", html_snippet or ""))


def _field(hit, name):
    if isinstance(hit, dict):
        return hit.get(name)
    return getattr(hit, name, None)


def iter_hits(ix, kwargs: dict, limit: int = MAX_ROWS) -> Iterator:
    """Walk every hit of one search, page by page, at most ``limit`` of them."""
    page, seen = 1, 0
    while seen < limit:
        result = ix.search(**dict(kwargs, page=page, per_page=BATCH, collapse=False,
                                  suggest=False))
        if not result.hits:
            return
        for hit in result.hits:
            yield hit
            seen += 1
            if seen >= limit:
                return
        if len(result.hits) < (result.per_page or BATCH) or seen >= result.total:
            return
        page += 1


def row(hit) -> tuple:
    """The :data:`COLUMNS` values of one hit, before guarding.

    Every value is the hit's own field, as ``index.articles.hit`` built it
    from the stored fields (the author too), so a row costs no lookup and
    means what the search JSON means."""
    return (_field(hit, "id"), _field(hit, "title"), _field(hit, "published"),
            _field(hit, "source"), _field(hit, "url"), _field(hit, "author"),
            _entities(_field(hit, "entities")),
            " ".join(_field(hit, "same_story") or ()),
            plain_snippet(_field(hit, "snippet")))


def write_csv(hits: Iterable) -> str:
    """The CSV text (header row first) of ``hits``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for hit in hits:
        writer.writerow([guard_cell(v) for v in row(hit)])
    return out.getvalue()
