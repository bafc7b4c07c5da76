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
    s = seeds_ix._state()[0]
    q = expand.expand(qmod.parse(seeds_ix._parser, "talks ANDNOT pakistn~1"), s.reader(), {})
    assert not any(isinstance(leaf, wq.FuzzyTerm) for leaf in qmod.leaves(q))
