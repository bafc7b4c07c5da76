"""The five seed articles, checked against tests/seed_expectations.py."""
import pytest

from archive import Article, load_file, load_paths

CONTRACT_FIELDS = {"path", "id", "title", "body", "published", "date_source", "scraped_at", "dateline",
                   "source", "url", "author", "entities", "removed"}


@pytest.fixture(scope="module")
def seeds(corpus_dir):
    out = {}
    for rec in load_paths([corpus_dir]):
        assert isinstance(rec, Article), f"seed not loaded: {rec}"
        out[rec.id.split("/", 1)[1]] = rec      # ids: corpus/<file name>
    return out


def test_all_five_seeds_load_with_relative_path_ids(seeds, gold):
    assert {i.split("/")[-1] for i in seeds} == set(gold)


@pytest.mark.parametrize("name", sorted([
    "000_059658d8d1ad82e8.txt", "001_e6784222def0b975.txt", "002_87aeffe32afe1305.txt",
    "003_c6473db4c8a03bd4.txt", "004_efd84228dc31cb02.txt"]))
def test_seed_matches_gold(seeds, gold, name):
    g = gold[name]
    a = next(a for i, a in seeds.items() if i.split("/")[-1] == name)
    for s in g["drop"]:
        assert s not in a.body, f"{name}: {s!r} should be removed"
    for s in g["keep"]:
        assert s in a.body, f"{name}: {s!r} should be kept"
    for s in g["once"]:
        assert a.body.count(s) == 1, f"{name}: {s!r} should occur once"
    assert a.dateline == g["dateline"]
    if g["title"] is not None:
        assert a.title == g["title"]
        assert not a.body.startswith(g["title"])
    else:
        # derived from the lead sentence, cut at a word boundary
        lead = a.body.split("\n\n")[0]
        stem = a.title.rstrip("…")
        assert stem and lead.startswith(stem) and len(a.title) <= 101
        assert a.title.endswith("…") or lead.startswith(a.title)
    if "published" in g:
        assert a.published == g["published"]
    if g["dateline"]:
        assert not a.body.startswith(("ISLAMABAD", "Islamabad –"))


def test_seed_bodies_are_paragraphs_separated_by_blank_lines(seeds):
    for a in seeds.values():
        paras = a.body.split("\n\n")
        assert len(paras) >= 8
        assert all(p == p.strip() and p and "\n" not in p for p in paras)


def test_removed_pieces_are_recorded_by_kind(seeds):
    kinds = {k: {r.kind for r in a.removed} for k, a in seeds.items()}
    assert "duplicate-paragraph" in kinds["000_059658d8d1ad82e8.txt"]
    assert {"tweet", "related-links"} <= kinds["001_e6784222def0b975.txt"]
    assert "blank-lines" in kinds["003_c6473db4c8a03bd4.txt"]
    assert "page-furniture" in kinds["004_efd84228dc31cb02.txt"]
    assert kinds["002_87aeffe32afe1305.txt"] == set()
    tweet = next(r for r in seeds["001_e6784222def0b975.txt"].removed if r.kind == "tweet")
    assert "@KhawajaMAsif" in tweet.text and "refugees returning to their homes" in tweet.text
    related = [r.text for r in seeds["001_e6784222def0b975.txt"].removed if r.kind == "related-links"]
    assert len(related) == 3 and related[-1].startswith("ALSO SEE\n")
    # the subheading under an "Also see" line is story text and stays
    assert "Harbouring of TTP Leaders in Afghanistan" in seeds["001_e6784222def0b975.txt"].body


def test_dates_never_invented(seeds):
    s = seeds
    # 002 states no date at all
    assert (s["002_87aeffe32afe1305.txt"].published, s["002_87aeffe32afe1305.txt"].date_source) == (None, None)
    assert s["002_87aeffe32afe1305.txt"].mentioned_dates == []
    # 001: the tweet's "October 30, 2025" anchors "November 6–7" (and "October 2025");
    # these are days the story mentions, not a statement of publication: undated
    a1 = s["001_e6784222def0b975.txt"]
    assert {"2025-10-30", "2025-11-06", "2025-11-07"} <= set(a1.mentioned_dates)
    assert (a1.published, a1.date_source) == (None, None)
    # 000: "8 November" takes its year from "January 2025" (a mention, not publication)
    a0 = s["000_059658d8d1ad82e8.txt"]
    assert a0.mentioned_dates == ["2025-11-08"] and (a0.published, a0.date_source) == (None, None)
    # 003: October/November days but no year anywhere -> none recorded, undated
    a3 = s["003_c6473db4c8a03bd4.txt"]
    assert a3.mentioned_dates == [] and a3.published is None and a3.date_source is None
    # 004: "April 19" after "November 2022" is not safely 2022 -> not recorded
    a4 = s["004_efd84228dc31cb02.txt"]
    assert a4.mentioned_dates == [] and a4.published is None


def test_to_dict_has_every_field_clean_json_promises(seeds):
    for a in seeds.values():
        d = a.to_dict()
        assert CONTRACT_FIELDS <= set(d)
        assert all(set(r) == {"kind", "text"} for r in d["removed"])


def test_load_file_with_root_gives_same_ids_and_mtime(corpus_dir, seeds):
    f = corpus_dir / "004_efd84228dc31cb02.txt"
    [a] = load_file(f, corpus_dir)
    assert a.id == "corpus/004_efd84228dc31cb02.txt" and a.mtime == f.stat().st_mtime
    assert a.content_hash == seeds[a.id.split("/", 1)[1]].content_hash
