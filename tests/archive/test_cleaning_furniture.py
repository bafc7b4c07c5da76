"""Cleaning removes furniture by its form, never sentences of the story.

The three over-eager cases of issue 12 (a sign-up sentence, a hyphenated
subheading, ``---`` followed by ``Update:`` lines), the new furniture
("Source: X" at the head, "see the full article" at the end), and similar
real sentences that must stay.  Articles written for the test.
"""
from archive import Article, load_file
from archive.clean import clean_text

LEAD = "The electoral commission extended the registration period by a week on Monday."
PARA2 = "Officials said more than 40,000 people had registered since the weekend."


def clean(*paras):
    out, removed = clean_text("\n\n".join(paras) + "\n")
    return out, [(r.kind, r.text) for r in removed]


def load_txt(tmp_path, text):
    f = tmp_path / "a.txt"
    f.write_text(text, "utf-8")
    [a] = load_file(f, tmp_path)
    assert isinstance(a, Article), a
    return a


# --- sign-up lines -----------------------------------------------------------------

def test_sign_up_sentence_of_the_story_stays():
    s = "Voters who wish to sign up for postal ballots can do so by e-mail until Friday, the commission said."
    out, removed = clean(LEAD, s, PARA2)
    assert out == [LEAD, s, PARA2] and removed == []


def test_similar_news_sentences_about_subscribing_stay():
    kept = ["Subscribers to the free newsletter fell by a third last year, the company said.",
            "US residents can subscribe by e-mail to alerts about flooding, officials said.",
            "Farmers signing up for the scheme will get the free advice they asked for."]
    out, removed = clean(LEAD, *kept, PARA2)
    assert out == [LEAD, *kept, PARA2] and removed == []


def test_sign_up_furniture_goes():
    furniture = ["Sign up for our morning newsletter",
                 "Get the best stories in your inbox. Subscribe here.",
                 "Subscribe to our free e-mail briefing"]
    for f in furniture:
        out, removed = clean(LEAD, f, PARA2)
        assert out == [LEAD, PARA2] and removed == [("page-furniture", f)], f


def test_sign_up_sentence_next_to_furniture_goes():
    s = "Newsletter subscribers get the free weekly briefing."
    out, removed = clean(LEAD, "Advertisement", s, PARA2)
    assert out == [LEAD, PARA2]
    assert removed == [("page-furniture", "Advertisement"), ("page-furniture", s)]


# --- related links ------------------------------------------------------------------

def test_hyphenated_subheading_is_not_a_related_link():
    sub = "More-than-expected demand crashes website"
    out, removed = clean(LEAD, sub, PARA2)
    assert out == [LEAD, sub, PARA2] and removed == []
    sub2 = "Watch-list of seats grows to twelve"
    out, removed = clean(LEAD, sub2, PARA2)
    assert out == [LEAD, sub2, PARA2] and removed == []


def test_related_link_with_a_spaced_dash_still_goes():
    link = "More - Commission opens ten new polling stations"
    out, removed = clean(LEAD, link, PARA2)
    assert out == [LEAD, PARA2] and removed == [("related-links", link)]


# --- front matter --------------------------------------------------------------------

def test_update_lines_after_dashes_are_body_text(tmp_path):
    a = load_txt(tmp_path, "---\nUpdate: The deadline was moved to Friday after this story ran.\n"
                           "Correction: An earlier version gave the wrong number of stations.\n---\n"
                           f"{LEAD}\n\n{PARA2}\n")
    assert "Update: The deadline was moved to Friday after this story ran." in a.body
    assert "Correction: An earlier version gave the wrong number of stations." in a.body
    assert [r.text for r in a.removed if r.kind == "page-furniture"] == ["---", "---"]


def test_known_keys_are_still_front_matter(tmp_path):
    a = load_txt(tmp_path, f"---\ntitle: Registration Extended\nauthor: Ana Ruiz\n---\n{LEAD}\n\n{PARA2}\n")
    assert (a.title, a.author, a.body) == ("Registration Extended", "Ana Ruiz", f"{LEAD}\n\n{PARA2}")


# --- source line and full-article link -------------------------------------------------

def test_source_line_and_full_article_link_are_furniture():
    out, removed = clean("Source: Coast Wire", LEAD, PARA2, "See the full web article on coastwire.example")
    assert out == [LEAD, PARA2]
    assert removed == [("source-line", "Source: Coast Wire"),
                       ("page-furniture", "See the full web article on coastwire.example")]
    out, removed = clean(LEAD, PARA2, "Read the full article")
    assert out == [LEAD, PARA2] and removed == [("page-furniture", "Read the full article")]


def test_sentences_about_sources_and_full_reports_stay():
    kept = ["Source: the commission's own figures, published on Monday, show a rise.",
            LEAD,
            "Readers can see the full report on the commission's website, officials said."]
    out, removed = clean(*kept)
    assert out == kept and removed == []
