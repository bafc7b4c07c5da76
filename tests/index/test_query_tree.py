"""One walker over the query tree (``index.query.leaves`` / ``rewrite``),
handling every node shape alike: compounds, ``Not`` (its operand is
``.query``), wrappers (``.child``) and binary operators (``ANDNOT``: ``.a`` and
``.b``)."""
from __future__ import annotations

from whoosh import query as wq

from index import expand, query as qmod


def test_entity_values_are_resolved_under_every_operator(seeds_ix):
    everything = seeds_ix.search("talks").total
    assert everything > 0
    for q in ('talks NOT entity:FaK', 'talks ANDNOT entity:FaK', 'talks AND NOT entity:"FaK"'):
        # all five seeds name the group (by any alias): none is left
        assert seeds_ix.search(q).total == 0, q
    assert seeds_ix.search("talks ANDMAYBE entity:FaK").total == everything


def test_leaves_and_rewrite_reach_into_binary_and_not_nodes():
    q = wq.AndNot(wq.Or([wq.Term("body", "a"), wq.Not(wq.Term("body", "b"))]),
                  wq.Term("entity", "c"))
    assert [leaf.text for leaf in qmod.leaves(q)] == ["a", "b", "c"]
    assert [leaf.text for leaf in qmod.leaves(q, skip_not=True)] == ["a", "c"]
    out = qmod.rewrite(q, lambda n: wq.Term(n.fieldname, n.text.upper())
                       if type(n) is wq.Term else n)
    assert [leaf.text for leaf in qmod.leaves(out)] == ["A", "B", "C"]
    assert out.b.text == "C" and out.subqueries[1] is out.b      # ANDNOT's operands themselves


def test_fuzzy_words_under_not_are_expanded_too(seeds_ix):
    s = seeds_ix._state().searcher
    q, _ = expand.expand(qmod.parse(seeds_ix._parser, "talks ANDNOT pakistn~1"), s.reader(), {})
    assert not any(isinstance(leaf, wq.FuzzyTerm) for leaf in qmod.leaves(q))


# -- field names: a parser plugin, not a rewrite of the typed text ----------------------

def test_field_names_are_case_insensitive_and_text_means_body(seeds_ix):
    body = seeds_ix.search("body:talks").total
    assert body > 0
    for typed in ("text:talks", "TEXT:talks", "Body:talks"):
        assert seeds_ix.search(typed).total == body, typed
    assert str(qmod.parse(seeds_ix._parser, "Title:talks")) == "title:talk"


def test_a_field_name_inside_a_phrase_is_only_words(seeds_ix):
    # the old regex rewrote it to "body:oil" and searched the phrase "bodi oil"
    assert str(qmod.parse(seeds_ix._parser, '"text:oil"')) == \
        '(title:"text oil" OR body:"text oil")'


def test_an_unknown_field_name_is_plain_words(seeds_ix):
    q = qmod.parse(seeds_ix._parser, "nofield:talks")
    assert {(leaf.fieldname, leaf.text) for leaf in qmod.leaves(q)} == {
        ("title", "nofield"), ("title", "talk"), ("body", "nofield"), ("body", "talk")}
