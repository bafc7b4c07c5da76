"""Everything the archive knows about one entity, gathered for its page.

``Index.entity(name)`` answers with a plain dict (the JSON of
``/api/entities/<id>`` and ``newsarchive entity NAME --json``): the canonical
name and type, every surface form with its article count and why it was
merged, the ``aliases.toml`` lines that would undo each merge, the date
counts of its articles (a timeline), the entities that appear beside it, its
sources and its first and latest articles.

Counts come from the per-document arrays (exact, numpy); only the surface
form counts need each article's stored mentions, so they are read for at most
:data:`MAX_FORM_SCAN` articles (the newest) and the answer says how many were
read.  The entity's *id* is defined here once (:func:`entity_id`): the type
and a slug of the canonical name, e.g. ``org-tehreek-e-taliban-pakistan``.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Callable, Optional

import numpy as np

from . import articles, facets as facetmod
from . import query as qmod
from archive.names import fold

from .schema import ENTITY_FIELDS, entity_term

#: Articles whose stored mentions are read to count surface forms.
MAX_FORM_SCAN = 2000
#: Co-occurring entities listed.
TOP_COOCCURRING = 20
#: Sources listed.
TOP_SOURCES = 10
#: First and latest articles listed.
EDGE_ARTICLES = 5
#: Examples of why a form was merged, per form.
EVIDENCE_PER_FORM = 3
#: Which reason a form's evidence lists first (the text's own definition
#: beats a guess from initials).
RULE_ORDER = {"curated": 0, "acronym": 1, "alias": 2, "slash": 3, "initials": 4,
              "person-variant": 5, "country": 6, "spelling": 7}
#: Longest slug kept before a hash stands in for the rest.
MAX_SLUG = 80

# -- ids ------------------------------------------------------------------------


def _slug(name: str) -> str:
    """``Tehreek-e-Taliban Pakistan`` -> ``tehreek-e-taliban-pakistan``;
    ``Türkiye`` -> ``turkiye``; letters of any script are kept.

    Not :func:`fold`: an id is part of the outside contract, so it keeps its
    own rule (accents off, case folded, every run of punctuation or space one
    ``-``: ``U.S.`` -> ``u-s``) whatever "the same name" comes to mean."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    s = re.sub(r"[\W_]+", "-", bare.casefold()).strip("-")
    if not s or len(s) > MAX_SLUG:
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        s = (s[:MAX_SLUG].rstrip("-") + "-" + digest).strip("-")
    return s


def entity_id(name: str, etype: Optional[str]) -> str:
    """The stable, URL-safe id of an entity: ``{type}-{slug}``.

    Made only from the canonical name and the type, so it survives reindexes
    as long as the entity keeps its name.  Two canonical names with one slug
    (rare: names differing only in punctuation) are told apart by
    :func:`id_table`, which gives the later one a hash suffix.
    """
    etype = etype if etype in ENTITY_FIELDS else "other"
    return f"{etype}-{_slug(name)}"


def id_table(entities: dict) -> tuple[dict, dict]:
    """(id -> canonical name, canonical name -> id) for one resolver's entities.

    ~12 µs an entity, so it is built once per index generation and kept with
    it (``snapshot.Generation.entity_ids``), never per request."""
    by_id, by_name = {}, {}
    for name in sorted(entities):
        eid = entity_id(name, entities[name].get("type"))
        if eid in by_id:
            eid = f"{eid}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
        by_id[eid], by_name[name] = name, eid
    return by_id, by_name


def lookup(resolver, ids: tuple[dict, dict], key: str) -> Optional[tuple[str, str, str]]:
    """(canonical, type, id) for an entity id or any name of the entity;
    ``ids`` is the resolver's :func:`id_table`."""
    key = qmod.clean_text(key)
    if not key:
        return None
    entities = resolver.entities
    by_id, by_name = ids
    name = by_id.get(key)
    if name is None:
        hit = resolver.resolve(key)
        if not hit:
            return None
        name = hit[0]
    if name not in entities:
        return None
    return name, entities[name].get("type") or "other", by_name[name]


# -- undo lines ---------------------------------------------------------------


def toml_string(s: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML ones)."""
    return json.dumps(s, ensure_ascii=False)


def distinct_line(form: str, canonical: str) -> str:
    """The ``aliases.toml`` line that keeps ``form`` out of ``canonical``."""
    return f"distinct = [[{toml_string(form)}, {toml_string(canonical)}]]"


# -- the page -------------------------------------------------------------------


def _matched(s, arrays, canonical, since, until) -> np.ndarray:
    ids = qmod.term_ids(s, "entity", entity_term(canonical), arrays.term_cache)
    ids = ids[arrays.alive[ids]]
    since_o = qmod.parse_date(since) if since else None
    until_o = qmod.parse_date(until, end=True) if until else None
    if since_o and until_o and since_o > until_o:
        raise qmod.QueryError("'since' is after 'until'")
    if since_o or until_o:
        ids = arrays.within_days(ids, since_o, until_o)
    return np.sort(ids)


def _by_date(arrays, docs: np.ndarray, newest: bool) -> list:
    """Dated docs oldest (or newest) first, ties by docnum."""
    day = arrays.day[docs]
    dated = docs[day > 0]
    dday = arrays.day[dated]
    order = np.lexsort((dated, -dday if newest else dday))
    return dated[order].tolist()


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|(?=\n)|$)")


def sentence_with(body: str, *forms: str) -> Optional[str]:
    """The first sentence of ``body`` that holds every one of ``forms``
    (case-insensitive), trimmed; None if there is none."""
    wanted = [f.casefold() for f in forms if f]
    for m in _SENTENCE.finditer(body or ""):
        text = m.group(0).strip()
        low = text.casefold()
        if all(w in low for w in wanted):
            return text if len(text) <= 400 else text[:399] + "…"
    return None


def build(ix, s, arrays, resolver, ids, key: str, since=None, until=None,
          brief: Callable = None) -> Optional[dict]:
    """The entity page of ``key`` (an entity id or any of its names), or None;
    ``ids`` is the resolver's :func:`id_table`."""
    found = lookup(resolver, ids, key)
    if found is None:
        return None
    canonical, etype, eid = found
    info = resolver.entities[canonical]
    matched = _matched(s, arrays, canonical, since, until)
    f = facetmod.compute(arrays, matched, top_n=TOP_COOCCURRING + 1)
    _, by_name = ids

    co = []
    for t in ENTITY_FIELDS:
        for item in f.get(t) or ():
            if item["value"] == canonical:
                continue
            co.append({"name": item["value"], "type": t, "count": item["count"],
                       "id": by_name.get(item["value"]) or entity_id(item["value"], t)})
    co.sort(key=lambda e: (-e["count"], e["name"]))

    newest = _by_date(arrays, matched, newest=True)
    oldest = _by_date(arrays, matched, newest=False)
    brief = brief or articles.brief

    # Names and why they were merged belong to the entity, not to a period:
    # counted over all its articles whatever the date range.
    every = _matched(s, arrays, canonical, None, None) if (since or until) else matched
    forms, scanned = _forms(ix, s, resolver, canonical, info, arrays, every,
                            _by_date(arrays, every, newest=True) if every is not matched else newest)
    dated = int(np.count_nonzero(arrays.day[matched] > 0))
    return {
        "id": eid, "name": canonical, "type": etype,
        "display": info.get("display") or canonical,
        "articles": int(matched.size), "undated": int(matched.size) - dated,
        "since": since or None, "until": until or None,
        "forms": forms, "forms_counted_in": scanned,
        "undo": [fm["undo"] for fm in forms if fm.get("undo")],
        "undo_notes": [fm["undo_note"] for fm in forms if fm.get("undo_note")],
        "timeline": {k: f.get(k) or [] for k in ("year", "month", "day")},
        "cooccurring": co[:TOP_COOCCURRING],
        "sources": (f.get("source") or [])[:TOP_SOURCES],
        "first": [brief(s.stored_fields(d)) for d in oldest[:EDGE_ARTICLES]],
        "latest": [brief(s.stored_fields(d)) for d in newest[:EDGE_ARTICLES]],
    }


def summary(resolver, ids, s, arrays, key: str) -> Optional[dict]:
    """Name, type, id, display form, names and article count: what a results
    page needs to offer "X is also known as Y -- show all N articles"."""
    found = lookup(resolver, ids, key)
    if found is None:
        return None
    canonical, etype, eid = found
    info = resolver.entities[canonical]
    ids = qmod.term_ids(s, "entity", entity_term(canonical), arrays.term_cache)
    return {"id": eid, "name": canonical, "type": etype,
            "display": info.get("display") or canonical,
            "forms": list(info.get("forms") or [canonical]),
            "articles": int(np.count_nonzero(arrays.alive[ids]))}


def _forms(ix, s, resolver, canonical, info, arrays, matched, newest) -> tuple[list, int]:
    """Every surface form with its article count, its evidence and its undo line.

    Evidence comes from ``ix.entity_evidence(name)`` when the index offers it
    (rule, article, sentence, curated); otherwise from the alias hints each
    article stored (``"Long (ACR)"`` -> rule ``acronym``), with the sentence
    found again in that article's text; a form with neither says ``rule:
    None`` -- the merge happened, the index does not know why.
    """
    scan = newest[:MAX_FORM_SCAN]
    if len(scan) < MAX_FORM_SCAN:        # undated articles count too
        dated = set(newest)
        scan += [d for d in matched.tolist() if d not in dated][:MAX_FORM_SCAN - len(scan)]
    key_of = {fold(form): form for form in info.get("forms") or ()}
    key_of.setdefault(fold(canonical), canonical)
    counts: dict[str, int] = {}
    hints: dict[str, list] = {}
    belongs: dict[str, tuple] = {}      # surface -> (folded key, is a name of this entity)
    # oldest first: the first article that taught a name is the best witness
    for d in sorted(scan, key=lambda d: (arrays.day[d] == 0, int(arrays.day[d]), d)):
        fields = s.stored_fields(d)
        mentions = fields.get("mentions") or {}
        seen = set()
        for surface in (mentions.get("forms") or {}):
            hit = belongs.get(surface)          # the same few surfaces recur: ask once each
            if hit is None:
                k = fold(surface)
                hit = belongs[surface] = (k, k in key_of
                                          or _resolves_to(resolver, surface, canonical))
            if hit[1]:
                seen.add(key_of.setdefault(hit[0], surface))
        for form in seen:
            counts[form] = counts.get(form, 0) + 1
        for hint in mentions.get("hints") or ():
            # [a, b, rule] -- or [a, b, rule, sentence] from newer extractors
            if not isinstance(hint, (list, tuple)) or len(hint) < 3:
                continue
            a, b, rule = hint[0], hint[1], hint[2]
            said = hint[3] if len(hint) > 3 and isinstance(hint[3], str) else None
            if fold(a) in key_of and fold(b) in key_of:
                for x, y in ((a, b), (b, a)):
                    form = key_of[fold(x)]
                    lst = hints.setdefault(form, [])
                    same_rule = sum(1 for e in lst if e["rule"] == rule)
                    if same_rule < EVIDENCE_PER_FORM and not any(
                            e["article"] == fields["id"] and e["rule"] == rule for e in lst):
                        lst.append({"rule": rule, "article": fields["id"],
                                    "title": fields.get("title") or "",
                                    "sentence": said or sentence_with(fields.get("body") or "",
                                                                      x, y),
                                    "curated": None})

    recorded: dict[str, list] = {}
    evidence_of = getattr(ix, "entity_evidence", None)
    if callable(evidence_of):
        try:
            for ev in evidence_of(canonical) or ():
                form = ev.get("form")
                if form:
                    form = key_of.setdefault(fold(form), form)
                    recorded.setdefault(form, []).append(
                        {"rule": ev.get("rule"), "article": ev.get("article"),
                         "title": _title(s, ev.get("article")),
                         "sentence": ev.get("sentence"),
                         "curated": ev.get("curated") or None})
        except Exception:  # noqa: BLE001 -- provenance is extra; the page stands without it
            recorded = {}
        for lst in recorded.values():
            lst.sort(key=lambda e: RULE_ORDER.get(e["rule"], len(RULE_ORDER)))

    # The strongest reason first, then the earliest article that gave it.
    for lst in hints.values():
        lst.sort(key=lambda e: RULE_ORDER.get(e["rule"], len(RULE_ORDER)))
        seen_articles: set = set()      # one reason per article: the strongest
        lst[:] = [e for e in lst if not (e["article"] in seen_articles
                                         or seen_articles.add(e["article"]))]
        del lst[EVIDENCE_PER_FORM:]
    out = []
    for form in sorted(set(key_of.values()),
                       key=lambda x: (x != canonical, -counts.get(x, 0), x)):
        is_canonical = fold(form) == fold(canonical)
        ev = recorded.get(form) or hints.get(form) or []
        cur = next((e["curated"] for e in ev if e.get("curated")), None)
        if is_canonical:
            out.append({"form": form, "articles": counts.get(form, 0), "canonical": True,
                        "rule": "curated" if cur else None, "curated": bool(cur),
                        "curated_in": cur if isinstance(cur, dict) else None,
                        "evidence": [], "undo": None, "undo_note": None})
            continue
        note = None
        if cur:     # a curated name is undone in its [[entity]] entry, not by "distinct"
            where = cur.get("file") if isinstance(cur, dict) else None
            note = (f"Remove {toml_string(form)} from the aliases of the [[entity]] named "
                    f"{toml_string(canonical)} in {where or 'aliases.toml'}.")
        out.append({
            "form": form, "articles": counts.get(form, 0), "canonical": False,
            "rule": ev[0]["rule"] if ev else None, "curated": bool(cur),
            "curated_in": cur if isinstance(cur, dict) else None,
            "evidence": ev[:EVIDENCE_PER_FORM],
            "undo": None if cur else distinct_line(form, canonical),
            "undo_note": note,
        })
    return out, len(scan)


def _title(s, article_id) -> str:
    if not article_id:
        return ""
    try:
        docnum = s.document_number(id=article_id)
        return (s.stored_fields(docnum).get("title") or "") if docnum is not None else ""
    except Exception:  # noqa: BLE001
        return ""


def _resolves_to(resolver, surface, canonical) -> bool:
    try:
        hit = resolver.resolve(surface)
    except Exception:  # noqa: BLE001
        return False
    return bool(hit) and hit[0] == canonical
