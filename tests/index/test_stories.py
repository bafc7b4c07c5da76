"""Same-story grouping (index/stories.py) on the seeds and on real Reuters wire copy."""
from __future__ import annotations

import pytest

from bench.reuters_data import REUTERS_DIR, iter_stories
from index import stories

SEEDS = ["000_059658d8d1ad82e8.txt", "001_e6784222def0b975.txt", "002_87aeffe32afe1305.txt",
         "003_c6473db4c8a03bd4.txt", "004_efd84228dc31cb02.txt"]
FO_STATEMENT = {SEEDS[0], SEEDS[1], SEEDS[3]}


@pytest.fixture(scope="module")
def reuters(shared_dir):
    """All Reuters-21578 stories, their signatures and their groups (as the
    writer computes them, so document frequencies are the real ones)."""
    assert REUTERS_DIR.is_dir(), REUTERS_DIR
    data = {s["id"]: s for s in iter_stories()}
    sigs = {i: stories.signature(s["body"], published=s["published"]) for i, s in data.items()}
    groups = stories.group(list(sigs), list(sigs.values()))
    return data, sigs, groups


# -- seeds, through the real pipeline ------------------------------------------------

def test_foreign_office_statement_is_one_story(seeds_ix):
    story = {i: seeds_ix.get(i)["story"] for i in SEEDS}
    assert len({story[i] for i in FO_STATEMENT}) == 1
    for i in FO_STATEMENT:
        assert set(seeds_ix.get(i)["same_story"]) == FO_STATEMENT - {i}


def test_other_briefings_are_stories_of_their_own(seeds_ix):
    fo = seeds_ix.get(SEEDS[0])["story"]
    for i in (SEEDS[2], SEEDS[4]):
        doc = seeds_ix.get(i)
        assert doc["story"] != fo
        assert doc["same_story"] == []
    assert seeds_ix.get(SEEDS[2])["story"] != seeds_ix.get(SEEDS[4])["story"]


# -- Reuters: templates must not group, true duplicates must -----------------------

@pytest.mark.parametrize("a, b, what", [
    ("reuters-1291", "reuters-1684", "two 'cuts stake' filings"),
    ("reuters-1684", "reuters-15600", "two 'cuts stake' filings"),
    ("reuters-5914", "reuters-8808", "'Qtly div 10 cts vs 10 cts prior' for two companies"),
    ("reuters-12509", "reuters-12687", "two banks raising the prime rate the same day"),
    ("reuters-3638", "reuters-4270", "two convertible debenture offerings"),
    ("reuters-1712", "reuters-1736", "two carmakers' February Canada sales"),
    ("reuters-2938", "reuters-4517", "two earnings tables"),
])
def test_templated_items_do_not_group(reuters, a, b, what):
    data, sigs, groups = reuters
    assert a in data and b in data
    assert groups[a] != groups[b], what


@pytest.mark.parametrize("a, b, what", [
    ("reuters-10492", "reuters-10571", "CORRECTED re-send"),
    ("reuters-3676", "reuters-4239", "CORRECTED earnings table"),
    ("reuters-9283", "reuters-9382", "identical re-send"),
    ("reuters-5181", "reuters-5279", "story re-sent next day with 'Monday' -> 'today'"),
])
def test_true_duplicates_group(reuters, a, b, what):
    data, sigs, groups = reuters
    assert groups[a] == groups[b], what
    assert groups[a] == min(a, b, key=str)


def test_reuters_grouping_is_selective(reuters):
    data, sigs, groups = reuters
    members = {}
    for i, g in groups.items():
        members.setdefault(g, []).append(i)
    in_groups = sum(len(m) for m in members.values() if len(m) > 1)
    # the MinHash/Jaccard version grouped 44% of Reuters; real duplicates are a few percent
    assert 0 < in_groups < 0.15 * len(data)
    assert max(len(m) for m in members.values()) <= stories.MAX_GROUP


# -- units: time window, undated, bad signatures --------------------------------------

def _pair_with_context(reuters, a, b, pub_a, pub_b):
    data, sigs, _ = reuters
    ids = list(sigs)
    new = {a: stories.signature(data[a]["body"], published=pub_a),
           b: stories.signature(data[b]["body"], published=pub_b)}
    all_sigs = [new.get(i, sigs[i]) for i in ids]
    return stories.group(ids, all_sigs)


def test_time_window(reuters):
    a, b = "reuters-9283", "reuters-9382"
    far = _pair_with_context(reuters, a, b, "1987-03-25", "1987-05-25")
    assert far[a] != far[b]
    undated = _pair_with_context(reuters, a, b, None, "1987-05-25")
    assert undated[a] == undated[b]


def test_bad_and_missing_signatures_never_group():
    text = ("The central bank raised its discount rate by half a point on Tuesday, "
            "citing inflation in housing and wages, the governor told reporters in the capital.")
    good = stories.signature(text)
    assert good is not None
    assert stories.signature("") is None and stories.signature("Shr 1.20") is None
    ids = ["a", "b", "c", "d", "e"]
    out = stories.group(ids, [good, good, None, b"old-format-bytes", good[:-3]])
    assert out["a"] == out["b"] == "a"
    assert out["c"] == "c" and out["d"] == "d" and out["e"] == "e"
    assert stories.group([], []) == {}
    assert stories.group(["x"], [good]) == {"x": "x"}
