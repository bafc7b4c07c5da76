"""Who published an article (its source), its title without the site's name,
and its authors without their labels.

Source, in order of trust:

1. the record's or page's own publisher metadata;
2. ``og:site_name`` (passed in by the HTML reader);
3. a title suffix that names the site: "Senate passes budget | Outlet
   Politics" on ``outlet.com`` gives "Outlet";
4. a leading "Source: Outlet" line of the text (cleaning takes it out);
5. the URL's registrable domain ("edition.outlet.com" -> "outlet.com"), by
   courlan, which reads the public-suffix list bundled with the ``tld``
   package (nothing is downloaded).

A title loses a suffix that names the source or the site.  Lengths are
capped: a 5 MB ``og:title`` is an attack or an accident, never a headline.
"""
from __future__ import annotations

import re
from typing import Optional

#: Caps on metadata lengths, in characters (issue: a 5 MB og:title).
TITLE_CAP = 300
AUTHOR_CAP = 200
SOURCE_CAP = 100

_SEPARATOR = re.compile(r"\s+(?:[|·•»:]|::|[-–—])\s+")


def cap(text: Optional[str], limit: int) -> Optional[str]:
    """``text`` cut to ``limit`` characters at a word boundary (with "…")."""
    if text is None or len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–—-|") + "…"


def squeeze(value, limit: int) -> Optional[str]:
    """One line of text from a metadata value, capped; None when empty."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    s = str(value)[: limit * 4 + 1000]  # never split a 5 MB value on whitespace
    s = " ".join(s.split())
    return cap(s, limit) if s else None


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def registrable_domain(url: Optional[str]) -> Optional[str]:
    """``https://edition.outlet.com/x`` -> ``outlet.com`` (None for no host)."""
    if not url or not re.match(r"^https?://", url, re.I):
        return None
    try:
        from courlan import extract_domain

        dom = extract_domain(url)
    except Exception:  # noqa: BLE001 -- an odd URL is just no domain
        return None
    return dom or None


def _site_keys(source: Optional[str], url: Optional[str]) -> set[str]:
    """Letter-only forms of the site's names: "Outlet News", "outlet.com", "outlet"."""
    keys = {_letters(source or "")}
    dom = registrable_domain(url)
    if dom:
        keys |= {_letters(dom), _letters(dom.split(".")[0])}
    host = re.sub(r"^https?://(?:www\.)?", "", url or "", flags=re.I).split("/")[0]
    if host:
        keys.add(_letters(host))
    return {k for k in keys if len(k) >= 2}


def _names_site(tail: str, keys: set[str]) -> Optional[str]:
    """The part of a title tail that names the site, or None.

    "Outlet" and "Outlet Politics" (a section after the name) name the
    site ``outlet.com``; "Outlet.com" does too.  The name must open the tail.
    """
    words = tail.split()
    if not words or len(words) > 8:
        return None
    for n in range(len(words), 0, -1):
        head = " ".join(words[:n])
        k = _letters(head)
        if k and (k in keys or any(len(s) > 3 and (k == s or k.startswith(s) and len(k) - len(s) <= 4)
                                   for s in keys)):
            return head
    return None


def split_title_suffix(title: Optional[str], source: Optional[str], url: Optional[str]
                       ) -> tuple[Optional[str], Optional[str]]:
    """``("Story | Outlet Politics", …)`` -> ``("Story", "Outlet")``.

    The tail after the last separator goes when it names the source or the
    site; the second value is the site's name as the title wrote it.  A tail
    that is more of the headline ("Budget: what changes") stays.
    """
    if not title:
        return title, None
    parts = list(_SEPARATOR.finditer(title))
    if not parts:
        return title, None
    last = parts[-1]
    head, tail = title[: last.start()].strip(), title[last.end():].strip()
    if not head or len(head.split()) < 2:
        return title, None
    keys = _site_keys(source, url)
    name = _names_site(tail, keys)
    if name:
        return head, name
    if "." in tail and " " not in tail and _letters(tail) in keys:
        return head, tail
    return title, None


_SECTION_PREFIX = re.compile(r"^(?P<section>[^|]{1,40}?)\s+\|\s+(?P<rest>\S.*)$")


def drop_section_prefix(title: Optional[str]) -> Optional[str]:
    """``"Local News | Pier closes for repairs"`` -> ``"Pier closes for repairs"``.

    A CMS puts the section before a pipe; a headline never opens with one.
    Only a short label (at most three words) goes, and only before a
    headline-sized rest (four words or more).
    """
    m = _SECTION_PREFIX.match(title or "")
    if m and len(m.group("section").split()) <= 3 and len(m.group("rest").split()) >= 4:
        return m.group("rest")
    return title


#: "Source: Outlet" as the first line of a copied article.
SOURCE_LINE = re.compile(r"^(?:source|quelle|fuente|fonte)\s*:\s*(?P<name>\S.{0,80})$", re.I)


def source_line(paragraph: str) -> Optional[str]:
    """The outlet a leading "Source: X" line names, or None.

    Only a short line that is just a name (at most eight words, no full
    stop at its end) counts: "Source: the ministry said the figure was
    revised." is a sentence of the story.
    """
    m = SOURCE_LINE.match(paragraph.strip())
    if not m:
        return None
    name = m.group("name").strip()
    if len(name.split()) > 8 or re.search(r"[.!?]$", name) and not re.search(r"\.\w{2,}$", name):
        return None
    return name


def choose_source(*, declared=None, site_name=None, title_site=None, line_source=None,
                  url: Optional[str] = None) -> Optional[str]:
    """The first of the candidates in the module's order of trust."""
    for cand in (declared, site_name, title_site, line_source):
        s = squeeze(cand, SOURCE_CAP)
        if s and not re.match(r"^(?:https?:)?//", s):
            return s
    return registrable_domain(url)


# --- authors --------------------------------------------------------------------

#: Labels that open a byline: "By", "Analysis by", "Opinion by", "Written by" ...
_LABEL = re.compile(
    r"^(?:(?:analysis|opinion|commentary|review|interview|reporting|written|words|story|text|photos?"
    r"|compiled|edited|perspective|column|editorial)\s+by|by|von|por|par|di|door)\s*:?\s+", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\by\b|\bet\b)\s*", re.I)
#: Values CMSs put in author fields that name nobody.
NOT_AUTHORS = {"no author", "follow", "admin", "administrator", "unknown", "redaktion", "staff",
               "editor", "editors", "anonymous", "author", "guest", "null", "none"}


def strip_label(name: str) -> str:
    """``"Analysis by Jo Bloggs"`` -> ``"Jo Bloggs"``."""
    prev = None
    while prev != name:
        prev, name = name, _LABEL.sub("", name).strip()
    return name


def authors_of(value) -> list[str]:
    """Author names from a string, a list or ``{"name": ...}`` values, labels gone.

    A string is split at commas and "and" only when every piece looks like a
    name (two to four words, no digits): "Jo Bloggs and Sam Smith" is two
    people, "Smith, Jo" is one.
    """
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, dict):
        return authors_of(value.get("name") or value.get("title"))
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for v in value[:50]:
            for a in authors_of(v):
                if a.casefold() not in {x.casefold() for x in out}:
                    out.append(a)
        return out
    s = squeeze(value, AUTHOR_CAP * 2)
    if not s or re.match(r"^(?:https?:)?//|^www\.", s, re.I):
        return []
    s = strip_label(s)
    pieces = [strip_label(p) for p in _SPLIT.split(s) if p.strip()]
    if len(pieces) > 1 and all(2 <= len(p.split()) <= 4 and not re.search(r"\d", p) for p in pieces):
        names = pieces
    else:
        names = [s]
    return [cap(n, AUTHOR_CAP) for n in names if n and n.casefold() not in NOT_AUTHORS]


def byline(value, authors: list[str], site: Optional[str], url: Optional[str]) -> tuple[Optional[str], list[str]]:
    """``(author, authors)`` as the article keeps them.

    ``author`` is the byline as written, its label gone ("Analysis by Jo
    Bloggs and Sam Smith" -> "Jo Bloggs and Sam Smith"); a list of names is
    joined with ", ".  A trailing piece that names the outlet ("Jo Bloggs,
    Outlet") is the outlet, not an author, and goes from both.
    """
    keys = _site_keys(site, url)

    def names_site(name: str) -> bool:
        return _letters(name) in keys

    kept = [a for a in authors if not names_site(a)] or authors
    if isinstance(value, str) and kept:
        text = strip_label(squeeze(value, AUTHOR_CAP * 2) or "")
        parts = [p.strip() for p in text.split(",") if p.strip()]
        while len(parts) > 1 and names_site(parts[-1]):
            parts.pop()
        text = cap(", ".join(parts), AUTHOR_CAP)
        if text and text.casefold() not in NOT_AUTHORS:
            return text, kept
    return (", ".join(kept) or None), kept
