"""Entity pages: ``/entities/<id>`` and its JSON, ``/api/entities/<id>``.

What the archive knows about one person, organisation or place -- its names
and why they were merged (with the ``aliases.toml`` lines that undo a wrong
merge), when it was written about, who appears beside it, and where.  The
index gathers it (``Index.entity``, see ``index/entity_page.py``); this module
only adds links.  The id is the index's (``org-tehreek-e-taliban-pakistan``);
any name of the entity is accepted too and redirected to the id, so
``/entities/FaK`` works from a address bar.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from index import QueryError
from index.entity_page import entity_id

from . import histogram
from .index_access import error_response, get_index, not_found
from .params import MAX_SHORT, SearchParams, _clean

bp = Blueprint("entities", __name__)

MAX_ENTITY_ID = 300

#: Why a form was merged, by the rule name the index records.
RULE_TEXT = {
    "acronym": "The text defines it: “Long Name (ACR)”.",
    "alias": "The text names it so: “X, termed Y”, “X, which the state refers to as Y”, “X/Y”.",
    "slash": "The text writes both together: “TTP/FaK”.",
    "initials": "Its initials stand beside the full name in the same article.",
    "curated": "A curated entry in aliases.toml.",
    "country": "Another name of the same country.",
    "spelling": "A spelling variant of the same name.",
    "person-variant": "The same first and last name, with or without a middle name or initial.",
}
UNKNOWN_RULE = "Merged by the resolver; this index does not record which rule joined it."
TYPE_TEXT = {"person": "Person", "org": "Organisation", "place": "Place", "other": "Other"}


def entity_href(name: str, etype: str = None) -> str:
    """The entity page of a canonical name (facet values, article links)."""
    return url_for("entities.entity", entity_id=entity_id(name, etype))


def _load(key: str, since: str, until: str) -> dict:
    key = (key or "").strip()
    if not key or len(key) > MAX_ENTITY_ID or "\x00" in key:
        not_found("There is no entity with this id.")
    try:
        ent = get_index().entity(key, since=since or None, until=until or None)
    except QueryError as e:       # a bad date: the index's readable message
        raise _BadRequest(str(e)) from None
    if not ent:
        not_found("The archive knows no entity by this name or id. Entity ids "
                  "change only when an entity's canonical name changes at a reindex.")
    return ent


class _BadRequest(Exception):
    pass


@bp.errorhandler(_BadRequest)
def _bad_request(exc):
    return error_response(400, str(exc))


def _dates() -> tuple[str, str]:
    return (_clean(request.args.get("since"), MAX_SHORT),
            _clean(request.args.get("until"), MAX_SHORT))


@bp.get("/entities/<path:entity_id>", merge_slashes=False)
def entity(entity_id: str):
    since, until = _dates()
    ent = _load(entity_id, since, until)
    if ent["id"] != entity_id:      # a name, or an old spelling: one address per entity
        return redirect(url_for("entities.entity", entity_id=ent["id"],
                                **_date_args(since, until)), code=302)

    def page_url(s="", u=""):
        return url_for("entities.entity", entity_id=ent["id"], **_date_args(s, u))

    facets = dict(ent["timeline"])
    hist = histogram.build(facets, ent["articles"], link_for=page_url, since=since, until=until)
    zoom = histogram.zoom_out(since, until)
    search = SearchParams(entities=(ent["name"],), since=since, until=until, sort="date")
    return render_template(
        "entity.html", ent=ent, histogram=hist, since=since, until=until,
        hist_base=page_url(), clear_url=page_url(), hist_title="Timeline",
        zoom_url=page_url(*zoom) if zoom else None,
        range_text=histogram.range_label(since, until), date_form=False,
        search=search, rule_text=RULE_TEXT, unknown_rule=UNKNOWN_RULE,
        type_text=TYPE_TEXT.get(ent["type"], "Entity"), entity_href=entity_href,
        json_url=url_for("entities.entity_json", entity_id=ent["id"], **_date_args(since, until)))


@bp.get("/api/entities/<path:entity_id>", merge_slashes=False)
def entity_json(entity_id: str):
    since, until = _dates()
    return jsonify(_load(entity_id, since, until))


def _date_args(since, until) -> dict:
    out = {}
    if since:
        out["since"] = since
    if until:
        out["until"] = until
    return out
