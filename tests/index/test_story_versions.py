"""Each version of a story says how it relates to the earliest one (issue 13:
"label each version"): the earliest, a copy of its text, or an own report."""
from __future__ import annotations

import index
from web.app import create_app

from tests._index_helpers import DOCKERS_BODY as BODY, write_jsonl


def test_a_reprint_is_labelled_a_copy_and_the_original_the_earliest(tmp_path):
    write_jsonl(tmp_path / "src" / "wire.jsonl", [
        {"id": "first", "title": "Dockers end strike", "body": BODY, "published": "2025-03-03",
         "source": "Harbour Wire"},
        {"id": "reprint", "title": "Dockers end nine-day strike", "body": BODY,
         "published": "2025-03-04", "source": "Evening Courier"},
    ])
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([tmp_path / "src"], progress=False)
    [v] = ix.same_story("first")
    assert (v["id"], v["relation"]) == ("reprint", "copy")
    [v] = ix.same_story("reprint")
    assert (v["id"], v["relation"]) == ("first", "earliest")
    page = create_app(tmp_path / "ix", testing=True).test_client().get("/articles/first")
    assert "a copy of the earliest text" in page.get_data(as_text=True)
