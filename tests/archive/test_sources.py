"""Source, title and author: each rule and its order, on records and pages written here.

Source order: metadata -> og:site_name -> a title suffix naming the site ->
a leading "Source: X" line -> the URL's registrable domain.
"""
import json

from archive import Article, load_file
from archive.sources import (AUTHOR_CAP, SOURCE_CAP, TITLE_CAP, authors_of, choose_source,
                             split_title_suffix)

BODY = ("The harbour council voted on Tuesday to close the old ferry pier for repairs.\n"
        "Repairs are expected to take six weeks, a council spokeswoman said.\n")
URL = "https://edition.harbourherald.com/2026/03/14/pier-closes"


def load_json(tmp_path, record):
    f = tmp_path / "a.json"
    f.write_text(json.dumps(record), "utf-8")
    [a] = load_file(f, tmp_path)
    assert isinstance(a, Article), a
    return a


def page(meta="", title="Pier Closes For Repairs", body=BODY):
    paras = "".join(f"<p>{p}</p>" for p in body.strip().split("\n"))
    return (f"<html><head><title>{title}</title>{meta}</head><body><article><h1>Pier Closes For "
            f"Repairs</h1>{paras}<p>The ferry will use the north quay until the work is done, the "
            f"council said in a statement on its website.</p></article></body></html>")


def load_html(tmp_path, html):
    f = tmp_path / "a.html"
    f.write_text(html, "utf-8")
    [a] = load_file(f, tmp_path)
    assert isinstance(a, Article), a
    return a


# --- source, in order --------------------------------------------------------------

def test_declared_source_first(tmp_path):
    a = load_json(tmp_path, {"title": "Pier Closes | Harbour Herald", "text": "Source: Coast Wire\n" + BODY,
                             "source": "Harbour Herald Group", "url": URL})
    assert a.source == "Harbour Herald Group"


def test_og_site_name_before_title_suffix(tmp_path):
    a = load_html(tmp_path, page('<meta property="og:site_name" content="The Herald">'
                                 '<meta property="og:title" content="Pier Closes For Repairs | Harbour Herald">'
                                 f'<link rel="canonical" href="{URL}">'))
    assert (a.source, a.title) == ("The Herald", "Pier Closes For Repairs")


def test_title_suffix_naming_the_site(tmp_path):
    a = load_json(tmp_path, {"title": "Pier closes for repairs | Harbour Herald Politics",
                             "text": BODY, "url": URL})
    assert (a.title, a.source) == ("Pier closes for repairs", "Harbour Herald")


def test_source_line_at_the_head(tmp_path):
    a = load_json(tmp_path, {"title": "Pier closes for repairs", "text": "Source: Coast Wire\n" + BODY,
                             "url": URL})
    assert a.source == "Coast Wire"
    assert not a.body.startswith("Source:")
    assert [r.text for r in a.removed if r.kind == "source-line"] == ["Source: Coast Wire"]


def test_registrable_domain_last(tmp_path):
    a = load_json(tmp_path, {"title": "Pier closes for repairs", "text": BODY, "url": URL})
    assert a.source == "harbourherald.com"
    b = load_json(tmp_path, {"title": "Pier closes", "text": BODY, "url": "https://www.pier.example.co.uk/a"})
    assert b.source == "example.co.uk"


def test_no_url_no_source(tmp_path):
    a = load_json(tmp_path, {"title": "Pier closes for repairs", "text": BODY})
    assert a.source is None


def test_choose_source_order():
    assert choose_source(declared="A", site_name="B", title_site="C", line_source="D", url=URL) == "A"
    assert choose_source(site_name="B", title_site="C", line_source="D", url=URL) == "B"
    assert choose_source(title_site="C", line_source="D", url=URL) == "C"
    assert choose_source(line_source="D", url=URL) == "D"
    assert choose_source(url=URL) == "harbourherald.com"


# --- titles ---------------------------------------------------------------------------

def test_title_suffix_that_is_headline_stays():
    assert split_title_suffix("Budget: what changes for renters", None, URL) == (
        "Budget: what changes for renters", None)
    assert split_title_suffix("Pier closes - and the ferry moves", None, URL) == (
        "Pier closes - and the ferry moves", None)


def test_title_suffix_with_section_and_dash():
    assert split_title_suffix("Pier closes for repairs - Harbour Herald Local News", None, URL) == (
        "Pier closes for repairs", "Harbour Herald")
    assert split_title_suffix("Pier closes for repairs | harbourherald.com", None, URL) == (
        "Pier closes for repairs", "harbourherald.com")


def test_title_suffix_naming_the_declared_source():
    assert split_title_suffix("Pier closes for repairs · The Quayside", "The Quayside", None) == (
        "Pier closes for repairs", "The Quayside")


# --- authors ----------------------------------------------------------------------------

def test_author_labels_go():
    assert authors_of("By Ana Ruiz") == ["Ana Ruiz"]
    assert authors_of("Analysis by Ana Ruiz") == ["Ana Ruiz"]
    assert authors_of("Opinion by Tom Okafor") == ["Tom Okafor"]


def test_several_authors_are_a_list(tmp_path):
    a = load_json(tmp_path, {"title": "Pier closes", "text": BODY,
                             "authors": ["Analysis by Ana Ruiz", {"name": "Tom Okafor"}]})
    assert (a.authors, a.author) == (["Ana Ruiz", "Tom Okafor"], "Ana Ruiz, Tom Okafor")
    assert a.to_dict()["authors"] == ["Ana Ruiz", "Tom Okafor"]
    b = load_json(tmp_path, {"title": "Pier closes", "text": BODY, "byline": "By Ana Ruiz and Tom Okafor"})
    assert (b.authors, b.author) == (["Ana Ruiz", "Tom Okafor"], "Ana Ruiz and Tom Okafor")


def test_the_outlet_after_a_byline_is_no_author(tmp_path):
    a = load_json(tmp_path, {"title": "Pier closes", "text": BODY, "author": "Ana Ruiz, Harbour Herald",
                             "url": URL})
    assert (a.author, a.authors) == ("Ana Ruiz", ["Ana Ruiz"])


def test_one_name_written_surname_first_stays_one():
    assert authors_of("Ruiz, Ana") == ["Ruiz, Ana"]
    assert authors_of("admin") == []
    assert authors_of("https://example.com/ana") == []


# --- caps ---------------------------------------------------------------------------------

def test_metadata_lengths_are_capped(tmp_path):
    a = load_json(tmp_path, {"title": "Pier " * 100_000, "text": BODY, "author": "Ana " * 10_000,
                             "source": "Herald " * 10_000})
    assert len(a.title) <= TITLE_CAP + 1 and a.title.endswith("…")
    assert len(a.author) <= AUTHOR_CAP + 1 and len(a.source) <= SOURCE_CAP + 1


def test_section_label_before_a_pipe_goes(tmp_path):
    a = load_json(tmp_path, {"title": "Local News | Pier closes for repairs on Friday", "text": BODY})
    assert a.title == "Pier closes for repairs on Friday"
    # a headline's own pipe-free colon stays, and so does a long first part
    b = load_json(tmp_path, {"title": "Harbour council votes | pier closes", "text": BODY})
    assert b.title == "Harbour council votes | pier closes"
