"""extract_mentions on small texts: what is and is not a candidate name."""
import json

from archive import Article, build_resolver, extract_mentions


def forms(body, title="", dateline=None):
    m = extract_mentions(Article("t", "", title, body, dateline=dateline))
    json.dumps(m)                                   # stored by the indexer as JSON
    return m


def test_joined_forms_and_acronym_definitions():
    m = forms("The threat is posed by ISIS–Khorasan (ISIS-K), while al-Qaeda trains others. "
              "Afghan Interior Minister Siraj-ud-Din Haqqani met officials in Shah Wali Kot.")
    assert {"ISIS–Khorasan", "ISIS-K", "al-Qaeda", "Siraj-ud-Din Haqqani", "Shah Wali Kot"} <= set(
        m["forms"])
    assert ["ISIS–Khorasan", "ISIS-K", "acronym"] in [h[:3] for h in m["hints"]]
    assert m["forms"]["Siraj-ud-Din Haqqani"]["t"]["person"] >= 3
    assert "Afghan" not in m["forms"] and "Interior Minister" not in m["forms"]
    assert m["forms"]["Afghanistan"]["g"] == "AF"         # the demonym counts for the country


def test_sentence_openers_dates_and_headlines_are_not_names():
    m = forms("Strikes by Pakistan hit camps on Sunday. Despite talks, nothing moved.\n"
              "Harbouring of TTP Leaders in Afghanistan\n"
              "Further, the TTP was named again in March.",
              title="Anti-State Militants Under Cover Of Refugees, Says Pakistan")
    f = m["forms"]
    # "Strikes" only opens a sentence and is an ordinary English word: not a candidate.
    for junk in ("Strikes", "Sunday", "Despite", "Further", "March", "Harbouring", "Leaders",
                 "Anti-State Militants Under Cover Of Refugees", "Says Pakistan", "Says"):
        assert junk not in f
    assert f["TTP"]["n"] == 2 and f["Pakistan"]["n"] == 2  # headline + title count known names
    r = build_resolver([m])
    assert r.resolve("Strikes") is None and r.resolve("TTP") is not None


def test_compounds_of_places_split_but_names_do_not():
    f = forms("Fire at the Chaman-Spin Boldak crossing during Pakistan-Taliban talks; "
              "Fitna-al-Khawarij and Tehreek-e-Taliban Pakistan were named.")["forms"]
    assert {"Chaman", "Spin Boldak", "Pakistan", "Taliban", "Fitna-al-Khawarij",
            "Tehreek-e-Taliban Pakistan"} <= set(f)
    assert f["Spin Boldak"]["t"]["place"] >= 2


def test_and_splits_lists_but_not_names():
    f = forms("Talks mediated by Turkiye and Qatar. The Securities and Exchange Commission "
              "agreed. Deputy Prime Minister and Foreign Minister Ishaq Dar spoke.")["forms"]
    assert {"Turkiye", "Qatar", "Securities and Exchange Commission", "Ishaq Dar"} <= set(f)
    assert "Turkiye and Qatar" not in f and "Deputy Prime Minister" not in f


def test_dateline_gives_place_and_country():
    f = forms("Champion Products Inc said it agreed to a merger.",
              dateline="ROCHESTER, N.Y., Feb 26")["forms"]
    assert f["Rochester"]["t"]["place"] >= 2
    assert f["United States"]["g"] == "US"


def test_slash_pairs_and_termed_aliases():
    m = forms("Action against TTP/FaK elements. The Balochistan Liberation Army, termed "
              "Fitna-al-Hindustan (FaH), and the TTP, which the state refers to as "
              "Fitna-al-Khawarij (FaK), were named.")
    hints = [h[:2] for h in m["hints"]]
    assert ["TTP", "FaK"] in hints
    assert ["Balochistan Liberation Army", "Fitna-al-Hindustan"] in hints
    assert ["TTP", "Fitna-al-Khawarij"] in hints
    r = build_resolver([m])
    assert r.resolve("FaH")[0] == "Balochistan Liberation Army"   # the termed name is not canonical
