"""One ``fold`` for the whole project: the index keys entity names by
:func:`archive.names.fold`, the resolver's own notion of "the same name"
(``U.S.`` and ``US``, ``O'Hara`` and ``OHara``), while entity ids keep their
own, contract-fixed slug rule."""
from __future__ import annotations

from pathlib import Path

import pytest

import index
from archive.names import fold
from index import entity_page, schema

FILLER = "The talks went on late into the evening, officials said."
TOML = ('[[entity]]\nname = "O\'Hara Holdings"\ntype = "org"\n'
        'aliases = ["Hara Group"]\n')


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("fold")
    src = root / "src"
    src.mkdir()
    (src / "a.txt").write_text("Harbour\n\nOn Monday O'Hara Holdings bought the harbour. "
                               + FILLER, "utf-8")
    (src / "b.txt").write_text("Fields\n\nThe Hara Group sold two fields. " + FILLER, "utf-8")
    (src / "aliases.toml").write_text(TOML, "utf-8")
    ix = index.open_index(root / "ix")
    assert ix.reindex([src], progress=False).added == 2
    return ix


def test_index_has_no_fold_of_its_own():
    assert schema.fold is fold
    defs = [p.name for p in (Path(index.__file__).parent).glob("*.py")
            if "\ndef fold(" in p.read_text("utf-8")]
    assert defs == []


def test_entity_terms_are_the_archive_fold(ix):
    assert schema.entity_term("U.S.") == schema.entity_term("US") == "us"
    assert schema.entity_term("Washington, D.C.") == "washington  dc"   # as the writer stores it
    terms = {t.decode() for t in ix._state().searcher.reader().lexicon("entity")}
    assert fold("O'Hara Holdings") == "ohara holdings"
    assert "ohara holdings" in terms and "o'hara holdings" not in terms


@pytest.mark.parametrize("name", ["O'Hara Holdings", "OHARA HOLDINGS", "Hara Group"])
def test_any_spelling_of_the_name_filters_alike(ix, name):
    assert {h.id for h in ix.search("", entities=[name]).hits} == {"src/a.txt", "src/b.txt"}
    assert ix.search(f'entity:"{name}"').total == 2


def test_entity_ids_keep_their_slug_rule():
    # ids are part of the outside contract: punctuation is a dash, as before
    assert entity_page.entity_id("St. Aubyn's Trust", "org") == "org-st-aubyn-s-trust"
    assert entity_page.entity_id("U.S.", "place") == "place-u-s"
    assert entity_page.entity_id("Türkiye", "place") == "place-turkiye"
    assert entity_page.entity_id("ISIS–Khorasan", "org") == "org-isis-khorasan"
