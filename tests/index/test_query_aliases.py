"""Plain search is literal: learned aliases widen only ``entity:`` and the
entity filter; names an editor listed in aliases.toml may widen plain words.
Also the library's view of why names were merged (``Index.entity_evidence``)."""
from __future__ import annotations

import pytest

import index

FILLER = "The talks went on late into the evening, officials said."
ARTICLES = {
    "a.txt": "Kestrel Ridge Front\n\nOfficials met the Kestrel Ridge Front, which the "
             "government refers to as Fitna-al-Zerbani, on Monday. " + FILLER,
    "b.txt": "Front talks\n\nThe Kestrel Ridge Front said it would attend. " + FILLER,
    "c.txt": "Border\n\nThe Kestrel Ridge Front closed the road to Lormont. " + FILLER,
    "d.txt": "Port deal\n\nThe Velmar Shipping Company signed the harbour deal. " + FILLER,
}
TOML = ('[[entity]]\nname = "Velmar Shipping Company"\ntype = "org"\n'
        'aliases = ["VSC Lines"]\n')


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("aliases")
    src = root / "src"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, "utf-8")
    (src / "aliases.toml").write_text(TOML, "utf-8")
    ix = index.open_index(root / "ix")
    assert ix.reindex([src], progress=False).added == len(ARTICLES)
    return ix


def ids(r):
    return {h.id.split("/")[-1] for h in r.hits}


def test_a_learned_alias_does_not_widen_a_plain_word(ix):
    assert ix.resolve_entity("Fitna-al-Zerbani")[0] == "Kestrel Ridge Front"
    assert ids(ix.search("Fitna-al-Zerbani")) == {"a.txt"}          # what the text says
    assert ids(ix.search('"Fitna-al-Zerbani"')) == {"a.txt"}


def test_a_learned_alias_widens_entity_queries_and_the_filter(ix):
    assert ids(ix.search('entity:"Fitna-al-Zerbani"')) == {"a.txt", "b.txt", "c.txt"}
    assert ids(ix.search("", entities=["Fitna-al-Zerbani"])) == {"a.txt", "b.txt", "c.txt"}


def test_a_curated_alias_widens_a_plain_word(ix):
    assert ix.search("VSC Lines").total == 1
    assert ids(ix.search('"VSC Lines"')) == {"d.txt"}


def test_entity_evidence_gives_rule_article_and_sentence(ix):
    ev = {d["form"]: d for d in ix.entity_evidence("Fitna-al-Zerbani")}
    d = ev["Fitna-al-Zerbani"]
    assert d["canonical"] == "Kestrel Ridge Front" and d["rule"] == "alias"
    assert d["article"].endswith("a.txt") and d["curated"] is None
    assert d["sentence"] == ("Officials met the Kestrel Ridge Front, which the government "
                             "refers to as Fitna-al-Zerbani, on Monday.")
    cur = {d["form"]: d for d in ix.entity_evidence("VSC Lines")}["VSC Lines"]
    assert cur["rule"] == "curated" and cur["article"] is None
    assert cur["curated"]["file"].endswith("aliases.toml")
    assert 'aliases = ["VSC Lines"]' in cur["curated"]["entry"]
    assert ix.entity_evidence("No Such Entity Anywhere") == []
