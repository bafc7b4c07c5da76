"""One article: its clean text with entities linked, and what relates to it.

Article ids may contain slashes or be whole URLs, so the route takes a
``path`` and the templates build links with ``url_for`` (which quotes ``?``,
``#`` and ``%``).  An id can never hold a ``..`` segment, so such a request is
answered 404 before the index is even asked -- ids are keys, not file paths,
but there is no reason to let a traversal attempt get any further.
"""
from __future__ import annotations

import re
from typing import Iterable

from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup, escape

from index.analysis import stem

from . import page_history, story_compare
from .index_access import get_index, not_found
from .entity_views import entity_href
from .params import MAX_QUERY_CHARS, SearchParams

bp = Blueprint("articles", __name__)

MAX_ID_CHARS = 2048
#: Entities linked inside the text (the most mentioned first).
MAX_LINKED_ENTITIES = 60


def valid_id(article_id: str) -> bool:
    if not article_id or len(article_id) > MAX_ID_CHARS or "\x00" in article_id:
        return False
    segments = re.split(r"[/\\]", article_id)
    return ".." not in segments


def load_article(article_id: str):
    """The stored article, or a 404."""
    if not valid_id(article_id):
        not_found("There is no article with this id.")
    doc = get_index().get(article_id)
    if not doc:
        not_found("There is no article with this id in the archive. It may have been "
                  "removed at the last reindex.")
    return doc


def paragraphs(body: str) -> list[str]:
    """Clean text split into paragraphs (one per non-blank line)."""
    return [p.strip() for p in re.split(r"\n+", body or "") if p.strip()]


def search_terms(query: str) -> frozenset:
    """Stems of the words a search looked for: ``talks AND "Doha" NOT oil`` ->
    {talk, doha}.  Operators, field names, wildcard and negated words are left
    out (an article opened from a search highlights what was found, not what was
    excluded)."""
    out, skip_next = set(), False
    for m in re.finditer(r'(-?)(\w+)(:)?(\*)?', query or ""):
        neg, word, colon, star = m.groups()
        if word in ("AND", "OR", "NOT"):
            skip_next = word == "NOT"
            continue
        if colon:           # "title:" -- the value after it is the word
            continue
        if not (skip_next or neg or star) and len(word) >= 2:
            out.add(stem(word))
        skip_next = False
    return frozenset(out)


def mark_words(text: str, terms: frozenset) -> Markup:
    """``text`` escaped, with the words whose stem is in ``terms`` in ``<mark>``."""
    if not terms or not text:
        return escape(text)
    out, pos = [], 0
    for m in re.finditer(r"\w+", text):
        if stem(m.group()) in terms:
            out.append(escape(text[pos:m.start()]))
            out.append(Markup("<mark>{}</mark>").format(m.group()))
            pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def link_entities(text: str, entities: Iterable[dict], href_for,
                  linked: set | None = None, terms: frozenset = frozenset()) -> Markup:
    """``text`` escaped, with each entity's first mention turned into a facet link.

    A mention is any of the entity's ``forms`` -- the surface forms the index
    saw in this article ("Khawaja Asif", "TTP", "FaK") -- or its canonical
    name; the link always goes to the canonical entity.  Matching is on whole
    words, longest form first, so "Tehreek-e-Taliban Pakistan" wins over
    "Pakistan" inside it and links never overlap.  Only the first mention of
    an entity (tracked across paragraphs in ``linked``) becomes a link, as in
    an encyclopedia: twenty links to "Pakistan" make a page hard to read.
    Every piece of the text goes through ``escape``; only the ``<a>`` tags are
    ours.
    """
    linked = set() if linked is None else linked
    forms: dict[str, dict] = {}
    for ent in list(entities)[:MAX_LINKED_ENTITIES]:
        for form in [ent.get("name")] + list(ent.get("forms") or []):
            if form and len(form) >= 2 and form not in forms:
                forms[form] = ent
    if not forms or not text:
        return mark_words(text, terms)
    pattern = re.compile(r"(?<!\w)(" + "|".join(
        re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)")
    out, pos = [], 0
    for m in pattern.finditer(text):
        ent = forms[m.group(1)]
        if ent["name"] in linked:
            continue
        linked.add(ent["name"])
        out.append(mark_words(text[pos:m.start()], terms))
        out.append(Markup('<a class="ent ent-{t}" href="{h}" title="{title}">{s}</a>').format(
            t=ent.get("type") or "other", h=href_for(ent["name"]),
            title=f"About {ent['name']} ({ent.get('type') or 'entity'})", s=m.group(1)))
        pos = m.end()
    out.append(mark_words(text[pos:], terms))
    return Markup("").join(out)


@bp.get("/articles/<path:article_id>", merge_slashes=False)
def article(article_id: str):
    doc = load_article(article_id)
    ix = get_index()
    try:
        versions = ix.same_story(doc["id"])
    except Exception:
        current_app.logger.exception("same_story failed for %r", doc["id"])
        versions = []
    try:
        related = ix.more_like_this(doc["id"], n=5)
    except Exception:
        current_app.logger.exception("more_like_this failed for %r", doc["id"])
        related = []
    version_ids = {v.get("id") for v in versions}
    related = [r for r in related if r.get("id") not in version_ids]

    entities = sorted(doc.get("entities") or (), key=lambda e: -(e.get("mentions") or 0))
    types = {e.get("name"): e.get("type") for e in entities}
    base = SearchParams()

    # Entity names lead to the entity's page (names, timeline, who appears
    # with it); the sidebar also offers the plain filter.
    def href_for(name):
        return entity_href(name, types.get(name))

    def filter_for(name):
        return base.with_entity(name)

    paras = paragraphs(doc.get("body") or "")
    # A title line repeated as the first paragraph reads as a stutter.  Drop it
    # before linking, or an entity named in the title is "linked" there and
    # never in the text shown.
    if paras and paras[0] == (doc.get("title") or "").strip():
        paras = paras[1:]
    linked: set = set()
    # Opened from a search (``?q=``): the searched words are marked.
    q = (request.args.get("q") or "")[:MAX_QUERY_CHARS]
    terms = search_terms(q)
    body = [link_entities(p, entities, href_for, linked, terms) for p in paras]
    grouped = {}
    for ent in entities:
        grouped.setdefault(ent.get("type") or "other", []).append(ent)
    history = _history(ix, doc)
    compare = None
    if history:
        old, new = history.pair(request.args.get("from"), request.args.get("to"))
        compare = {"old": old, "new": new, "ops": page_history.diff(old.body, new.body),
                   "title_changed": old.title != new.title}
    return render_template("article.html", doc=doc, body=body, versions=versions,
                           related=related, entities=grouped, href_for=href_for,
                           filter_for=filter_for, history=history, compare=compare,
                           searched=q if terms else "")


def _history(ix, doc):
    """The article's page history (``Index.history(id)``: its older scrapes)
    with the article itself as the newest version, or None when the index
    keeps none."""
    fn = getattr(ix, "history", None)
    if not callable(fn):
        return None
    try:
        return page_history.present(fn(doc["id"]) or [], current=doc)
    except Exception:
        current_app.logger.exception("history failed for %r", doc["id"])
        return None


@bp.get("/compare")
def compare():
    """Two versions of a story side by side: ``/compare?a=<id>&b=<id>``."""
    a_id, b_id = request.args.get("a") or "", request.args.get("b") or ""
    a, b = load_article(a_id), load_article(b_id)
    if a["id"] == b["id"]:
        not_found("Pick two different articles to compare.")
    result = story_compare.compare(_text(a), _text(b))
    same = b["id"] in (a.get("same_story") or ())
    return render_template("compare.html", a=a, b=b, cmp=result, same_story=same)


def _text(doc) -> str:
    """Title and body: a headline is a passage too."""
    return "\n".join(p for p in ((doc.get("title") or "").strip(), doc.get("body") or "") if p)
