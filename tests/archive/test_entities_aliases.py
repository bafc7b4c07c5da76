"""Alias learning needs evidence: each failure class of issue 11 on articles
written here (invented names throughout)."""
from __future__ import annotations

import json

from archive import Article, annotate, build_resolver, extract_mentions
from archive.abbrev import fits


def art(i, body, title=""):
    return Article(id=f"t/{i:03d}.txt", path=f"t/{i:03d}.txt", title=title, body=body)


def resolve(arts, toml=None):
    r = annotate(arts, toml)
    return r, {a.id: {e.name: e for e in a.entities} for a in arts}


FILLER = "The talks went on late into the evening, officials said."


def test_called_as_a_verb_with_an_object_is_no_alias():
    arts = [art(0, "Orbinet called Brightshoe stores across the county to ask about prices. "
                   "Orbinet later published the answers. Brightshoe did not comment.")]
    m = extract_mentions(arts[0])
    assert [h for h in m["hints"] if h[2] == "alias"] == []
    r, _ = resolve(arts)
    assert r.resolve("Orbinet") != r.resolve("Brightshoe")


def test_a_naming_construction_teaches_an_alias_with_its_sentence():
    body = ("Officials met the Kestrel Rising Front, which the government refers to as "
            "Fitna-al-Zerbani (FaZ), on Monday. " + FILLER)
    arts = [art(0, body)]
    r, _ = resolve(arts)
    assert r.resolve("Fitna-al-Zerbani") == r.resolve("Kestrel Rising Front")
    assert r.resolve("FaZ") == r.resolve("Kestrel Rising Front")
    ev = {d["form"]: d for d in r.evidence("FaZ")}
    assert ev["Fitna-al-Zerbani"]["rule"] == "alias"
    assert ev["Fitna-al-Zerbani"]["article"] == "t/000.txt"
    assert ev["Fitna-al-Zerbani"]["sentence"].startswith("Officials met the Kestrel Rising Front")
    assert ev["FaZ"]["rule"] == "acronym" and "(FaZ)" in ev["FaZ"]["sentence"]


def test_schwartz_hearst_letters_must_fit_the_long_form():
    assert fits("OCS", "Office of Coastal Safety")
    assert fits("FaZ", "Fitna-al-Zerbani")
    assert fits("TEU", "Tidewater Enforcement Unit")
    assert not fits("HSD", "Tidewater Enforcement Unit")    # another body's acronym
    assert not fits("RC", "RC Circuit")                     # the acronym is a word of it
    assert not fits("AB", "Alder Birch Cedar Dogwood Elm")  # too many words for two letters
    arts = [art(0, "The Tidewater Enforcement Unit (HSD) inspected boats. " + FILLER),
            art(1, "The Office of Coastal Safety (OCS) inspected boats. " + FILLER)]
    r, _ = resolve(arts)
    assert r.resolve("HSD") != r.resolve("Tidewater Enforcement Unit")
    assert r.resolve("OCS") == r.resolve("Office of Coastal Safety")


def test_two_acronyms_side_by_side_stay_two_bodies_when_each_stands_alone():
    """"HSD/TEU agents" names two agencies (as news writes DHS/ICE), not one."""
    arts = [art(0, "HSD/TEU agents raided the depot in Lormont. " + FILLER)]
    arts += [art(i, f"The HSD issued a statement number {i}. " + FILLER) for i in range(1, 5)]
    arts += [art(i, f"The TEU detained {i} people, the TEU said. " + FILLER) for i in range(5, 9)]
    r, _ = resolve(arts)
    assert r.resolve("HSD") is not None and r.resolve("TEU") is not None
    assert r.resolve("HSD")[0] != r.resolve("TEU")[0]


def test_names_that_each_stand_alone_never_merge_on_one_article(tmp_path):
    teach = art(0, "Velmar Group, also known as Ostrava Holdings, bought the port. " + FILLER)
    alone = [art(i, f"Velmar Group reported profit of {i} million. " + FILLER) for i in range(1, 5)]
    alone += [art(i, f"Ostrava Holdings hired {i} engineers. " + FILLER) for i in range(5, 9)]
    r, _ = resolve([teach] + alone)
    assert r.resolve("Velmar Group")[0] != r.resolve("Ostrava Holdings")[0]
    # The same sentence with nothing contradicting it teaches the alias.
    r2, _ = resolve([teach] + alone[:4])
    assert r2.resolve("Ostrava Holdings")[0] == r2.resolve("Velmar Group")[0]
    # And an editor may say they are one.
    toml = tmp_path / "aliases.toml"
    toml.write_text('[[entity]]\nname = "Velmar Group"\ntype = "org"\n'
                    'aliases = ["Ostrava Holdings"]\n', "utf-8")
    r3, _ = resolve([teach] + alone, toml)
    assert r3.resolve("Ostrava Holdings") == ("Velmar Group", "org")
    ev = {d["form"]: d for d in r3.evidence("Velmar Group")}
    assert ev["Ostrava Holdings"]["rule"] == "curated"
    assert ev["Ostrava Holdings"]["curated"]["file"] == str(toml)
    assert 'aliases = ["Ostrava Holdings"]' in ev["Ostrava Holdings"]["curated"]["entry"]


def test_two_people_who_each_stand_alone_never_merge():
    """One article's "X, known as Y" does not make two public figures one person."""
    teach = art(0, "Senator Marek Kovac, known as Ivo Tasse, spoke first. " + FILLER)
    alone = [art(i, f"Senator Marek Kovac said {i} bills would pass. " + FILLER)
             for i in range(1, 5)]
    alone += [art(i, f"President Ivo Tasse said {i} bills would fail. " + FILLER)
              for i in range(5, 9)]
    r, ents = resolve([teach] + alone)
    assert r.resolve("Marek Kovac") == ("Marek Kovac", "person")
    assert r.resolve("Ivo Tasse") == ("Ivo Tasse", "person")
    assert "Marek Kovac" not in ents["t/005.txt"]


def test_middle_initials_that_conflict_are_two_people():
    arts = [art(0, "Harold W. Quimby said the dam would hold. " + FILLER),
            art(1, "Harold T. W. Quimby said the bridge would not. " + FILLER),
            art(2, "Harold Quimby was seen at the ceremony, his aides said. " + FILLER)]
    r, _ = resolve(arts)
    a, b = r.resolve("Harold W. Quimby"), r.resolve("Harold T. W. Quimby")
    assert a and b and a[0] != b[0]
    assert a[1] == b[1] == "person"
    # "Harold Quimby" could be either: it joins neither.
    c = r.resolve("Harold Quimby")
    assert c is None or c[0] not in (a[0], b[0])


def test_compatible_person_variants_merge():
    arts = [art(0, "President Gregory J. Halloway spoke in Lormont. " + FILLER),
            art(1, "Gregory Halloway signed the order, officials said. " + FILLER),
            art(2, "Gregory Halloway met farmers. Halloway promised rain. " + FILLER)]
    r, ents = resolve(arts)
    assert r.resolve("Gregory Halloway")[0] == r.resolve("Gregory J. Halloway")[0]
    assert r.resolve("Halloway")[0] == r.resolve("Gregory J. Halloway")[0]
    assert r.resolve("Gregory Halloway")[1] == "person"


def test_a_bare_surname_resolves_inside_its_article_and_across_only_when_unambiguous():
    full = art(0, "Minister Lorna Fesslet opened the school. Fesslet said it was overdue. "
                  + FILLER)
    bare = art(1, "Fesslet said on Tuesday that the school would open again. " + FILLER)
    r, ents = resolve([full, bare])
    assert set(ents["t/000.txt"]) >= {"Lorna Fesslet"} and "Fesslet" not in ents["t/000.txt"]
    assert ents["t/000.txt"]["Lorna Fesslet"].mentions == 2
    assert "Lorna Fesslet" in ents["t/001.txt"]                     # unambiguous
    ev = {d["form"]: d for d in r.evidence("Lorna Fesslet")}
    assert ev["Fesslet"]["rule"] == "surname" and ev["Fesslet"]["article"] == "t/000.txt"
    # Another Fesslet in the archive: the bare name in article 1 joins nobody.
    other = [art(i, f"Coach Dario Fesslet named {i} new players. " + FILLER) for i in (2, 3)]
    r2, ents2 = resolve([full, bare] + other)
    assert "Lorna Fesslet" not in ents2["t/001.txt"]
    assert "Dario Fesslet" not in ents2["t/001.txt"]


def test_distinct_in_aliases_toml_undoes_a_merge(tmp_path):
    arts = [art(0, "The Office of Coastal Safety (OCS) inspected boats. " + FILLER)]
    r, _ = resolve(arts)
    assert r.resolve("OCS") == r.resolve("Office of Coastal Safety")
    toml = tmp_path / "aliases.toml"
    toml.write_text('distinct = [["OCS", "Office of Coastal Safety"]]\n', "utf-8")
    r2, _ = resolve(arts, toml)
    assert r2.resolve("OCS")[0] != r2.resolve("Office of Coastal Safety")[0]
    assert r2.distinct == [["OCS", "Office of Coastal Safety"]]


def test_provenance_survives_the_resolver_json():
    arts = [art(0, "The Office of Coastal Safety (OCS) inspected boats. " + FILLER)]
    r = build_resolver([extract_mentions(a) for a in arts])
    again = type(r).from_json(json.loads(json.dumps(r.to_json())))
    ev = again.evidence("OCS")
    assert ev == r.evidence("OCS")
    by = {d["form"]: d for d in ev}
    assert set(by["OCS"]) == {"form", "canonical", "rule", "article", "sentence", "curated"}
    assert by["OCS"] == {"form": "OCS", "canonical": "Office of Coastal Safety",
                         "rule": "acronym", "article": "t/000.txt",
                         "sentence": "The Office of Coastal Safety (OCS) inspected boats.",
                         "curated": None}
    forms = {f["form"]: f for f in again.forms_with_evidence("OCS")}
    assert forms["OCS"]["evidence"][0]["rule"] == "acronym"
    assert forms["Office of Coastal Safety"]["canonical"] == "Office of Coastal Safety"


def test_a_distinct_list_inside_an_entity_table_is_refused(tmp_path):
    """TOML puts keys after [[entity]] into that entity: say so, never ignore it."""
    import pytest
    from archive.curated import CuratedError, load
    toml = tmp_path / "aliases.toml"
    toml.write_text('[[entity]]\nname = "Velmar Group"\ndistinct = [["A", "B"]]\n', "utf-8")
    with pytest.raises(CuratedError, match="distinct"):
        load(toml)
    toml.write_text('distinct = [["A", "B"]]\n[[entity]]\nname = "Velmar Group"\n', "utf-8")
    assert load(toml).distinct == [("A", "B")]


def test_an_acronym_that_is_a_word_of_a_longer_name_is_not_its_initials():
    """"RC" beside "RC Circuit" (as "DC" beside "DC Circuit"): a court of RC, not RC."""
    arts = [art(0, "The RC Circuit ruled on Monday. Officials in RC said they would appeal. "
                   + FILLER)]
    m = extract_mentions(arts[0])
    assert not [h for h in m["hints"] if h[2] == "initials"]
    r, _ = resolve(arts)
    assert r.resolve("RC") is None or r.resolve("RC") != r.resolve("RC Circuit")
