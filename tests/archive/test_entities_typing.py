"""Typing on ordinary news: people, organisations and places from general rules,
and page furniture that is never an entity (issue 11; invented names throughout)."""
from __future__ import annotations

from archive import Article, annotate, load_paths


def entities(body, title=""):
    a = Article(id="t/x.txt", path="t/x.txt", title=title, body=body)
    annotate([a])
    return {e.name: e.type for e in a.entities}


def test_titles_and_their_abbreviations_mark_people_and_are_never_entities():
    ents = entities("Sens. Alda Verhoven and Corin Mabeley voted for the bill on Tuesday, "
                    "while Gov. Tomas Rielle said he would sign it. Rep. Ilse Varga and "
                    "Dr. Omar Feddak disagreed.")
    assert ents["Alda Verhoven"] == ents["Tomas Rielle"] == "person"
    assert ents["Ilse Varga"] == ents["Omar Feddak"] == "person"
    assert ents["Corin Mabeley"] == "person"
    assert not {"Sens", "Gov", "Rep", "Dr", "Sens. Alda Verhoven"} & set(ents)


def test_given_names_roles_and_initials_type_people():
    ents = entities("Striker Jarno Pellikan scored twice. The coach, Mirela Dovan, was pleased "
                    "and goalkeeper P. Santorr kept a clean sheet for the visitors.")
    assert ents["Jarno Pellikan"] == "person"
    assert ents["Mirela Dovan"] == "person"
    assert ents["P. Santorr"] == "person"


def test_organisations_by_head_nouns_and_suffixes():
    ents = entities("The Harbour Workers Party and the Velmora Court both welcomed the ruling; "
                    "Orrano Shipping Corp. and the Ministry of Tides did not, and the "
                    "Lantern Valley Council stayed silent.")
    assert ents["Harbour Workers Party"] == "org"
    assert ents["Velmora Court"] == "org"
    assert ents["Orrano Shipping Corp"] == "org"
    assert ents["Ministry of Tides"] == "org"
    assert ents["Lantern Valley Council"] == "org"


def test_geographic_features_are_places():
    ents = entities("Tankers crossing the Strait of Velmora were delayed, ships in the Gulf of "
                    "Orrano waited, and flooding closed roads near Mount Kessary and along the "
                    "Dunmere River.")
    assert ents["Strait of Velmora"] == "place"
    assert ents["Gulf of Orrano"] == "place"
    assert ents["Mount Kessary"] == "place"
    assert ents["Dunmere River"] == "place"
    assert "Tankers" not in ents


def test_site_section_labels_are_never_entities():
    ents = entities("The Quillfeather Politics team first reported the vote. Read more at "
                    "Quillfeather Business and Quillfeather Sport. Alda Verhoven said so.")
    assert not [n for n in ents if n.startswith("Quillfeather")]
    assert ents["Alda Verhoven"] == "person"


def test_headline_furniture_is_no_dateline_place_and_teams_are_organisations(tmp_path):
    f = tmp_path / "match.txt"
    f.write_text("SOCCER - EXAMPLE UNITED GET LUCKY WIN.\n\nLONDON 1996-08-30\n\n"
                 "Example United beat Sampleford Rovers 2-1 on Saturday, with striker Jarno "
                 "Pellikan scoring twice.\n\nPellikan said the win was deserved.\n", "utf-8")
    arts = [a for a in load_paths([f]) if isinstance(a, Article)]
    annotate(arts)
    ents = {e.name: e.type for e in arts[0].entities}
    assert "Soccer" not in ents and "SOCCER" not in ents
    assert ents["London"] == "place"                      # the dateline on its own line
    assert ents["Example United"] == ents["Sampleford Rovers"] == "org"
    assert ents["Jarno Pellikan"] == "person"
    assert "Pellikan" not in ents                          # the bare surname is that person


def test_a_town_with_a_score_is_a_team_but_a_country_stays_a_place():
    ents = entities("Results on Saturday:\n\nBrentwick 2 Lormont 1\n\nFrance 3 Italy 0\n\n"
                    "Lormont lost their second game in a row, the club said.")
    assert ents["Lormont"] == "org"
    assert ents["France"] == ents["Italy"] == "place"


def test_a_side_in_a_results_row_is_a_team_and_the_scorer_a_person():
    ents = entities("Close of play on Friday:\n\nQuorvale 296 and 174 (P. Santorr 84, "
                    "Mirela Dovan 52), Brentwick 190 and 81-3.\n\nQuorvale lead by 199 runs.")
    assert ents["Quorvale"] == "org"
    assert ents["P. Santorr"] == ents["Mirela Dovan"] == "person"
