"""Same-story grouping (archive/stories.py) on the seeds and on wire copy.

The wire copy is synthetic (archive.synthetic, which reprints about one story
in twenty under another outlet) plus templated items written here, the kind a
wire service sends hundreds of a day: dividend notices, stake filings, rate
changes and earnings tables that share almost every word and are different
stories all the same."""
from __future__ import annotations

import pytest

from archive.synthetic import stories as wire
from archive import stories


def _group(ids, sigs, sources=None):
    """Groups of bare signatures (no entities), as ``stories.group`` of items."""
    return stories.group(stories.Item(i, sig, (), (sources or {}).get(i, ""))
                         for i, sig in zip(ids, sigs))

SEEDS = ["corpus/000_059658d8d1ad82e8.txt", "corpus/001_e6784222def0b975.txt",
         "corpus/002_87aeffe32afe1305.txt",
         "corpus/003_c6473db4c8a03bd4.txt", "corpus/004_efd84228dc31cb02.txt"]
FO_STATEMENT = {SEEDS[0], SEEDS[1], SEEDS[3]}


def _stake(buyer, target, pct, shares):
    return (f"{buyer} said it cut its stake in {target} to {shares} shares, or {pct} pct of the "
            f"total outstanding, from a previous holding. {buyer} said in a filing with the "
            f"Securities and Exchange Commission that it sold {target} common stock in open "
            f"market transactions at prices ranging from 12 to 15 dlrs a share. It said it may "
            f"sell more shares of {target} depending on market conditions.")


def _dividend(company, cts, date):
    return (f"{company} said its board declared a quarterly dividend of {cts} cts a share, "
            f"payable {date} to holders of record two weeks earlier. Qtly div {cts} cts vs "
            f"{cts} cts prior. The company said the dividend reflects steady earnings from its "
            f"operations and its confidence in cash flow for the rest of the year.")


def _prime(bank, rate):
    return (f"{bank} said it is raising its prime lending rate to {rate} pct from 7-1/2 pct, "
            f"effective tomorrow. The bank said the move followed similar increases by other "
            f"major banks and reflected higher costs of funds in the money markets. Analysts "
            f"said more banks were expected to follow the increase in the prime rate.")


def _earnings(company, shr, net, revs):
    return (f"{company} said first quarter net income was {net} mln dlrs, or {shr} dlrs a share, "
            f"on revenues of {revs} mln dlrs, compared with a year earlier. The company said "
            f"results were helped by cost controls and stronger demand in its main markets, "
            f"and it expects growth to continue through the second quarter of the year.")


RESEND = ("The finance ministry said on Monday it would sell 500 mln dlrs of five-year notes "
          "next week to refinance maturing debt, and that bids would be accepted from domestic "
          "and foreign banks. Officials said demand for the previous auction had been strong, "
          "with bids worth three times the amount offered, and that the yield was expected to "
          "stay close to current market levels of about 7.2 pct.")

CORRECTED = ("Dock workers at the northern container terminal voted to end a nine-day strike "
             "after the port authority offered a 4.5 pct pay rise and a review of night shifts, "
             "union officials said on Monday. About 2,300 workers had walked out, leaving more "
             "than forty ships waiting at anchor and delaying grain and fertiliser cargoes. The "
             "authority said loading would resume on the first shift and the backlog would be "
             "cleared within ten days.")
TODAY = ("The state airline said on Monday it had ordered twelve medium-range jets worth about "
         "1.1 billion dlrs to replace its ageing fleet, with deliveries starting next year. The "
         "chairman said the order would be financed by export credit agencies and commercial "
         "banks, and that older aircraft would be sold or leased to regional carriers. The "
         "airline carried a record number of passengers last year despite higher fuel costs.")

TEMPLATED = {
    "stake-1": _stake("Harwell Partners", "Oakmont Industries", "6.1", "1,204,000"),
    "stake-2": _stake("Brisco Capital", "Lantern Foods", "5.3", "880,500"),
    "div-1": _dividend("Marlow Gas Co", "10", "April 15"),
    "div-2": _dividend("Tessel Mills Inc", "10", "April 20"),
    "prime-1": _prime("First Harbour Bank", "7-3/4"),
    "prime-2": _prime("Union Valley Trust", "7-3/4"),
    "earn-1": _earnings("Quarry Hill Corp", "1.12", "45.2", "310.7"),
    "earn-2": _earnings("Pellham Systems", "0.87", "21.9", "188.4"),
    "resend-1": RESEND,
    "resend-2": RESEND,
    "corrected-1": CORRECTED,
    "corrected-2": "CORRECTED - " + CORRECTED.replace("4.5 pct", "5.4 pct"),
    "today-1": TODAY,
    "today-2": TODAY.replace("on Monday", "today"),
}
DATES = {"today-2": "1987-03-10"}


def _company(k: int) -> str:
    syl = "bren val mor tek sil dan cor fen lis ram gel ost vin har quel".split()
    return f"{syl[k % 15].capitalize()}{syl[(k // 15) % 15]} {('Corp', 'Inc', 'Co', 'Group')[k % 4]}"


#: a wire sends templated items by the hundred: their shared words are common, not rare
FILLERS = {}
for k in range(40):
    c, d = _company(k), _company(k + 100)
    FILLERS[f"fill-stake-{k}"] = _stake(c, d, f"{5 + k % 4}.{k % 10}", f"{100 + 7 * k},000")
    FILLERS[f"fill-div-{k}"] = _dividend(c, str(5 + k % 20), f"May {1 + k % 28}")
    FILLERS[f"fill-prime-{k}"] = _prime(f"{c.split()[0]} Bank", f"{7 + k % 3}-1/4")
    FILLERS[f"fill-earn-{k}"] = _earnings(c, f"{k % 3}.{10 + k}", f"{20 + k}.{k % 10}",
                                          f"{150 + 3 * k}.{k % 10}")


@pytest.fixture(scope="module")
def reuters():
    """Wire stories, their signatures and their groups (as the writer computes
    them, so document frequencies come from a few thousand stories)."""
    data = {s["id"]: s for s in wire(3000, seed=5)}
    for k, (i, body) in enumerate(FILLERS.items()):
        data[i] = {"id": i, "body": body, "published": f"1987-0{1 + k % 6}-{10 + k % 18}"}
    for i, body in TEMPLATED.items():
        data[i] = {"id": i, "body": body, "published": DATES.get(i, "1987-03-09")}
    sigs = {i: stories.signature(s["body"], published=s["published"]) for i, s in data.items()}
    groups = _group(list(sigs), list(sigs.values()),
                    {i: s.get("source") or "" for i, s in data.items()})
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


# -- wire copy: templates must not group, true duplicates must ----------------------

@pytest.mark.parametrize("a, b, what", [
    ("stake-1", "stake-2", "two 'cuts stake' filings"),
    ("div-1", "div-2", "'Qtly div 10 cts vs 10 cts prior' for two companies"),
    ("prime-1", "prime-2", "two banks raising the prime rate the same day"),
    ("earn-1", "earn-2", "two earnings tables"),
])
def test_templated_items_do_not_group(reuters, a, b, what):
    data, sigs, groups = reuters
    assert a in data and b in data
    assert groups[a] != groups[b], what


@pytest.mark.parametrize("a, b, what", [
    ("corrected-1", "corrected-2", "CORRECTED re-send"),
    ("resend-1", "resend-2", "identical re-send"),
    ("today-1", "today-2", "story re-sent next day with 'Monday' -> 'today'"),
])
def test_true_duplicates_group(reuters, a, b, what):
    data, sigs, groups = reuters
    assert groups[a] == groups[b], what


def test_synthetic_reprints_group_with_their_original(reuters):
    data, sigs, groups = reuters
    by_body = {}
    for i, s in data.items():
        if i.startswith("syn-"):
            by_body.setdefault(s["body"], []).append(i)
    reprinted = [ids for ids in by_body.values() if len(ids) > 1]
    assert len(reprinted) > 50
    for ids in reprinted:
        assert len({groups[i] for i in ids}) == 1, ids


def test_wire_grouping_is_selective(reuters):
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
    return _group(ids, all_sigs)


def test_time_window(reuters):
    a, b = "resend-1", "resend-2"
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
    out = _group(ids, [good, good, None, b"old-format-bytes", good[:-3]])
    assert out["a"] == out["b"] == "a"
    assert out["c"] == "c" and out["d"] == "d" and out["e"] == "e"
    assert _group([], []) == {}
    assert _group(["x"], [good]) == {"x": "x"}
