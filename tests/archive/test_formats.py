"""Input formats: .txt (front matter, wire copy), .json, .jsonl, .html; identity; dates."""
import json
import textwrap

from hypothesis import given, settings, strategies as st

from archive import Article, Skipped, load_file, load_paths
from archive.clean import clean_text
from archive.dates import mentioned_dates, parse_date
from archive.load import iter_files

LEAD = ("Pakistan’s Foreign Office said on Sunday that talks with the Afghan Taliban "
        "in Istanbul had ended without agreement.")
PARA2 = "The talks were mediated by Turkiye and Qatar and began on Wednesday."


def one(results):
    assert len(results) == 1, results
    return results[0]


def test_txt_front_matter(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("---\ntitle: Talks End Without Deal\npublished: 2025-11-09T08:00:00+05:00\n"
                 "url: https://example.com/news/talks\nsource: Example News\nauthor: A. Writer\n---\n"
                 f"ISLAMABAD: {LEAD}\n{PARA2}\n", "utf-8")
    a = one(load_file(f, tmp_path))
    assert (a.title, a.published, a.date_source) == ("Talks End Without Deal", "2025-11-09", "metadata")
    assert (a.id, a.url, a.source, a.author, a.dateline) == (
        "https://example.com/news/talks", "https://example.com/news/talks", "Example News",
        "A. Writer", "Islamabad")
    assert a.body == LEAD + "\n\n" + PARA2


def test_txt_unclosed_dashes_are_text_not_front_matter(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text(f"---\n{LEAD}\n{PARA2}\n", "utf-8")
    a = one(load_file(f, tmp_path))
    assert LEAD in a.body


def test_hard_wrapped_wire_copy_is_rejoined(tmp_path):
    para1 = " ".join(["Showers continued throughout the week in the Bahia cocoa zone,"] * 4)
    para2 = " ".join(["The dry period means the temporao will be late this year."] * 4)
    text = textwrap.fill(para1, 65) + "\n" + textwrap.fill(para2, 65, initial_indent="    ")
    f = tmp_path / "wire.txt"
    f.write_text(text, "utf-8")
    a = one(load_file(f, tmp_path))
    assert a.body.split("\n\n") == [para1, para2]


def test_json_field_names_and_identity(tmp_path):
    recs = {
        "with_id.json": {"id": "story 42", "headline": "H", "articleBody": LEAD, "url": "https://x.org/a"},
        "with_url.json": {"title": "T", "text": LEAD, "link": "https://x.org/b",
                          "datePublished": "2025-11-08", "publisher": {"name": "X Daily"},
                          "authors": [{"name": "A"}, "B"]},
        "bare.json": {"content": f"<p>{LEAD}</p><p>{PARA2}</p>", "date": "not a date"},
    }
    for name, r in recs.items():
        (tmp_path / "sub").mkdir(exist_ok=True)
        (tmp_path / "sub" / name).write_text(json.dumps(r), "utf-8")
    arts = {a.path.rsplit("/", 1)[-1]: a for a in load_paths([tmp_path])}
    assert arts["with_id.json"].id == "story42"  # readable, no whitespace
    assert arts["with_url.json"].id == "https://x.org/b"
    assert (arts["with_url.json"].source, arts["with_url.json"].author,
            arts["with_url.json"].published) == ("X Daily", "A, B", "2025-11-08")
    bare = arts["bare.json"]
    assert bare.id == f"{tmp_path.name}/sub/bare.json" and bare.body == LEAD + "\n\n" + PARA2
    assert bare.published is None and bare.source is None  # "not a date" is not a date


def test_json_list_gives_one_article_per_item(tmp_path):
    f = tmp_path / "many.json"
    f.write_text(json.dumps([{"body": LEAD}, {"body": PARA2}, 7]), "utf-8")
    res = load_file(f, tmp_path)
    assert [type(r) for r in res] == [Article, Article, Skipped]
    assert [r.id for r in res[:2]] == [f"{tmp_path.name}/many.json#1", f"{tmp_path.name}/many.json#2"]
    assert res[2].path.endswith("many.json#3")


def test_a_wire_jsonl_file_loads_every_story(tmp_path):
    from archive.synthetic import stories as wire, write_corpus

    stories = list(wire(1500, seed=3))
    [path] = write_corpus(tmp_path, 1500, seed=3, per_file=5000)
    res = load_file(path, tmp_path)
    arts = [r for r in res if isinstance(r, Article)]
    assert len(arts) == len(res) == len(stories)
    by_id = {a.id: a for a in arts}
    for s in stories:
        a = by_id[s["id"]]
        assert (a.published, a.date_source) == (s["published"], "metadata")
        assert (a.source, a.title, a.url) == (s["source"], s["title"], s["url"])
        # the dateline ("ZAGREB, Jan 7 (Metro Observer) - ") leaves the body for .dateline
        lead, *rest = s["body"].split("\n\n")
        assert a.body.split("\n\n") == [lead.split(" - ", 1)[1], *rest]
        assert a.dateline.casefold() == s["dateline"].casefold()


def test_jsonl_without_ids_uses_line_numbers(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join(json.dumps({"body": b}) for b in (LEAD, PARA2)) + "\n", "utf-8")
    assert [a.id for a in load_file(f, tmp_path)] == [f"{tmp_path.name}/feed.jsonl#L1",
                                                      f"{tmp_path.name}/feed.jsonl#L2"]


HTML = """<!doctype html><html><head><title>Talks end without deal | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="Talks end without deal">
<meta name="author" content="Jane Reporter">
<link rel="canonical" href="https://example.com/2025/11/talks">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
 "headline":"Talks end without deal","datePublished":"2025-11-09T10:00:00+05:00",
 "author":{"@type":"Person","name":"Jane Reporter"},"publisher":{"@type":"Organization","name":"Example News"}}
</script></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Talks end without deal</h1>
<p>ISLAMABAD: %s</p>
<p>%s It was the third round of talks this autumn, and officials on both sides said afterwards that
no written agreement had been reached on the issues that matter most to the two neighbours.</p>
<blockquote class="twitter-tweet"><p>Afghan delegation's claim is absurd.</p>&mdash; Khawaja M. Asif
(@KhawajaMAsif) <a href="https://twitter.com/x/status/1">October 30, 2025</a></blockquote>
<p>Defence Minister Khawaja Asif said the Taliban delegation arrived without any programme and refused to
sign a written agreement, insisting they would only respect verbal commitments.</p>
</article><footer>Copyright Example News. All rights reserved. Privacy policy.</footer></body></html>
""" % (LEAD, PARA2)


def test_html_metadata_and_tweet_removal(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(HTML, "utf-8")
    a = one(load_file(f, tmp_path))
    assert a.title == "Talks end without deal"
    assert (a.published, a.date_source) == ("2025-11-09", "metadata")
    assert (a.author, a.source, a.url, a.id) == ("Jane Reporter", "Example News",
                                                 "https://example.com/2025/11/talks",
                                                 "https://example.com/2025/11/talks")
    assert a.dateline == "Islamabad" and a.body.startswith(LEAD)
    assert "absurd" not in a.body and "Copyright" not in a.body and "Sport" not in a.body
    kinds = [r.kind for r in a.removed]
    assert "tweet" in kinds and "html-boilerplate" in kinds
    assert "2025-10-30" in a.mentioned_dates  # the removed tweet's date still counts


def test_folder_walk_ignores_other_files_but_named_files_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text(LEAD, "utf-8")
    (tmp_path / "aliases.toml").write_text("x = 1", "utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.txt").write_text(LEAD, "utf-8")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "c.htm").write_text(HTML, "utf-8")
    assert [(f.relative_to(tmp_path).as_posix(), r) for f, r in iter_files([tmp_path])] == [
        ("a.txt", tmp_path), ("deep/er/c.htm", tmp_path)]
    [s] = load_file(tmp_path / "aliases.toml")
    assert isinstance(s, Skipped) and "unsupported file type" in s.reason


def test_mentioned_dates_take_year_from_context_only_forward():
    assert mentioned_dates("In January 2025 it began. On 8 November it ended.") == ["2025-11-08"]
    assert mentioned_dates("Talks on November 6–7 followed a post of October 30, 2025.") == [
        "2025-10-30", "2025-11-06", "2025-11-07"]
    assert mentioned_dates("The talks on October 11 and November 6 in 2021 style.") == []
    assert mentioned_dates("Ceasefire collapsed in November 2022. The April 19 visit.") == []
    assert mentioned_dates("On 3rd of March, 2024 and 2024-05-06; not Feb 30, 2024.") == [
        "2024-03-03", "2024-05-06"]
    assert mentioned_dates("You may 5 times") == []


def test_parse_date_forms():
    assert parse_date("2025-11-09T23:30:00-05:00") == "2025-11-09"
    assert parse_date("Sun, 09 Nov 2025 10:00:00 GMT") == "2025-11-09"
    assert parse_date("November 9, 2025") == "2025-11-09"
    assert parse_date("09.11.2025") == "2025-11-09"
    assert parse_date("20251109") == "2025-11-09"
    assert parse_date("11/09/2025") is None  # ambiguous
    assert parse_date("yesterday") is None and parse_date("") is None and parse_date(None) is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60), max_size=12))
def test_cleaning_loses_nothing_silently(lines):
    """Every line of input is in the clean paragraphs or in a Removed record."""
    text = "\n".join(lines)
    paras, removed = clean_text(text)
    kept = " ".join(" ".join(p.split()) for p in paras)
    gone = " ".join(" ".join(r.text.split()) for r in removed)
    for line in lines:
        for part in line.splitlines() or [line]:
            norm = " ".join(part.split())
            if norm:
                assert norm in kept or norm in gone, (norm, paras, removed)


def test_a_label_before_a_shouted_headline_is_no_dateline(tmp_path):
    """'SPORT - TEAM WINS' is a section label and a headline; 'OSLO, May 2 -'
    opening a sentence is a dateline."""
    f = tmp_path / "results.txt"
    f.write_text("RUGBY - VALLEY SIDE HOLD ON FOR NARROW WIN .\n\nThe valley side held on for a "
                 "narrow win against the champions in their league match on Saturday .\n", "utf-8")
    [a] = load_file(f, tmp_path)
    assert a.dateline is None
    g = tmp_path / "wire.txt"
    g.write_text("Ferry fares rise\n\nOSLO, May 2 - Ferry operators raised their fares on Friday "
                 "after fuel costs climbed for a third month.\n", "utf-8")
    [b] = load_file(g, tmp_path)
    assert b.dateline == "Oslo" and b.body.startswith("Ferry operators raised")
