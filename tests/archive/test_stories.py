"""Same-story grouping (archive/stories.py) on articles written for this test.

Each event is told by three invented outlets in their own words, as
newspapers do: different headlines, different order, a few shared quotations.
Beside them sit other stories of the same days about the same places and
people, which must stay apart, and one wire story reprinted by two outlets.
Entities come from the archive's own extraction and resolver, as in a reindex.
"""
from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

import archive
from archive import stories
from archive.article import Article

# -- a mosque planned near the site of a disaster, three outlets, one day ---------------

MOSQUE = [
    ("mosque-courier", "Courier", "2024-08-03",
     "Plan for mosque near Harborview collapse site divides Port Aldren",
     "The Port Aldren zoning board voted 6 to 3 on Friday to let the Al-Noor Foundation build a "
     "mosque and community centre two blocks from the site where the Harborview Tower collapsed "
     "last year, killing 212 people.\n\n"
     "Imam Yusuf Demir, who leads the foundation, told the board the centre would hold a prayer "
     "hall, a gymnasium and a memorial room open to every faith. \"We grieve with this city. Our "
     "own members died in that tower,\" he said.\n\n"
     "Relatives of some victims protested outside City Hall, saying the building was too close "
     "to the collapse site. Mayor Celia Brandt said the board had followed the law and that "
     "religious freedom did not stop at a street corner. Opponents said they would appeal the "
     "decision in state court."),
    ("mosque-gazette", "Gazette", "2024-08-03",
     "Zoning board clears Islamic centre by Harborview site",
     "Families of Harborview Tower victims vowed to appeal after the Port Aldren zoning board on "
     "Friday approved an Islamic community centre and mosque two blocks from where the tower "
     "collapsed, a disaster that killed 212 people last year.\n\n"
     "The board's 6 to 3 vote clears the Al-Noor Foundation to begin construction. Its leader, "
     "Imam Yusuf Demir, said the centre would include a memorial room open to all faiths, a "
     "prayer hall and a gymnasium. \"Our own members died in that tower,\" Demir said.\n\n"
     "Protesters gathered outside City Hall during the vote, holding photographs of victims and "
     "saying the site was too close. Mayor Celia Brandt defended the board, saying religious "
     "freedom was protected by law. Opponents said the appeal would go to state court."),
    ("mosque-ledger", "Ledger", "2024-08-03",
     "Port Aldren approves mosque near tower disaster site",
     "A mosque will rise two blocks from the site of the Harborview Tower collapse after the "
     "Port Aldren zoning board voted 6 to 3 on Friday in favour of the Al-Noor Foundation's "
     "plan.\n\n"
     "The tower's collapse killed 212 people last year, and relatives of victims who protested "
     "outside City Hall said the building was too close to the site. Mayor Celia Brandt said the "
     "decision followed the law and respected religious freedom.\n\n"
     "Imam Yusuf Demir said the community centre would have a prayer hall, a gymnasium and a "
     "memorial room for every faith. \"We grieve with this city,\" he told the board. Opponents "
     "of the plan said they would take the appeal to state court."),
]

# -- a speech at a political conference, three outlets, one day --------------------------

SPEECH = [
    ("speech-courier", "Courier", "2024-02-24",
     "Holt tells Liberty Forum conservatives to win back the suburbs",
     "Governor Marian Holt told the Liberty Forum conference in Dallow on Friday that her party "
     "would lose the next election unless it won back suburban voters, in a speech that drew a "
     "standing ovation and some boos.\n\n"
     "Holt, who is weighing a run for the presidency, said the party had spent too long talking "
     "to itself. \"We cannot win a country we refuse to talk to,\" she said. She called for "
     "lower property taxes, school choice and a balanced budget amendment.\n\n"
     "Holt also criticised the administration's energy policy and praised the conference's "
     "young volunteers. Several activists in the hall booed when she mentioned compromise with "
     "the opposition on the highway bill."),
    ("speech-gazette", "Gazette", "2024-02-24",
     "At Liberty Forum, Governor Holt urges party to reach suburbs",
     "Speaking to thousands of activists at the Liberty Forum conference in Dallow, Governor "
     "Marian Holt on Friday urged her party to court suburban voters or face defeat in the next "
     "election.\n\n"
     "\"We cannot win a country we refuse to talk to,\" Holt said, drawing a standing ovation "
     "from most of the hall, though some activists booed when she spoke of compromise on the "
     "highway bill.\n\n"
     "Holt, seen as a possible candidate for the presidency, called for a balanced budget "
     "amendment, lower property taxes and school choice, and attacked the administration's "
     "energy policy. She thanked the young volunteers who organised the conference."),
    ("speech-ledger", "Ledger", "2024-02-24",
     "Holt's Liberty Forum speech: suburbs or defeat",
     "Governor Marian Holt delivered a blunt warning to the Liberty Forum conference in Dallow "
     "on Friday: win back the suburbs or lose the next election.\n\n"
     "The speech, greeted with a standing ovation and scattered boos, fuelled talk that Holt "
     "will run for the presidency. She said the party had been talking to itself. \"We cannot "
     "win a country we refuse to talk to,\" Holt said.\n\n"
     "She proposed lower property taxes, school choice and a balanced budget amendment, "
     "criticised the administration's energy policy and praised the volunteers. The boos came "
     "when she mentioned compromise with the opposition on the highway bill."),
]

# -- a candidate pulls out of a debate, three outlets over two days -----------------------

DEBATE = [
    ("debate-courier", "Courier", "2024-10-09",
     "Brandwell pulls out of Thursday's Senate debate",
     "Senate candidate Theo Brandwell withdrew on Tuesday from Thursday's televised debate "
     "with his rival Nora Quill, saying the host station had broken its promise of equal time.\n\n"
     "Brandwell's campaign manager, Iris Kettle, said the station WKLM had given Quill's "
     "campaign the questions in advance. \"Theo will not take part in a rigged show,\" Kettle "
     "said. The station denied the charge and said the debate would go ahead with Quill alone.\n\n"
     "Quill called the withdrawal a sign that Brandwell was afraid of voters. Polls show the "
     "race for the open Senate seat within three points, and the debate was the only one "
     "scheduled before early voting begins."),
    ("debate-gazette", "Gazette", "2024-10-09",
     "Senate debate in doubt as Brandwell withdraws",
     "Theo Brandwell, the Senate candidate, said on Tuesday he would not attend Thursday's "
     "televised debate with Nora Quill, accusing the host station WKLM of breaking its promise "
     "of equal time.\n\n"
     "His campaign manager, Iris Kettle, said the station had passed the questions to Quill's "
     "campaign in advance. \"Theo will not take part in a rigged show,\" Kettle said. WKLM "
     "denied it and said Quill would still appear.\n\n"
     "Quill said Brandwell was afraid of voters. The race for the open Senate seat is within "
     "three points in recent polls, and it was the only debate scheduled before early voting."),
    ("debate-ledger", "Ledger", "2024-10-10",
     "Quill says Brandwell 'afraid of voters' after debate exit",
     "Nora Quill accused her Senate rival Theo Brandwell of being afraid of voters after he "
     "withdrew from Thursday's televised debate, the only one scheduled before early voting "
     "begins.\n\n"
     "Brandwell's campaign manager Iris Kettle said the host station WKLM broke its promise of "
     "equal time and gave Quill's campaign the questions in advance. \"Theo will not take part "
     "in a rigged show,\" she said. The station denied the charge and said the debate would go "
     "ahead.\n\n"
     "Polls put the race for the open Senate seat within three points."),
]

# -- two different events about one politician, a week apart -------------------------------

EMAILS = [
    ("emails-1", "Courier", "2024-05-06",
     "Inspector faults Farrow over private email account",
     "Inspector General Paul Osei said on Monday that former Secretary Linda Farrow broke "
     "department rules by using a private email account for official business, and that "
     "several messages held sensitive material.\n\n"
     "The report found that Farrow's aides had warned her twice about the account. Farrow's "
     "spokesman said she had cooperated fully and that no message was marked secret when it "
     "was sent. Lawmakers in the opposition called for hearings on the emails.\n\n"
     "The inspector said the department had since changed its rules for email archives and "
     "that the review of Farrow's messages was closed."),
    ("emails-2", "Gazette", "2024-05-13",
     "Farrow tells committee her email account broke no law",
     "Former Secretary Linda Farrow told a Senate committee on Monday that her private email "
     "account broke no law, defending herself for four hours against questions from the "
     "opposition.\n\n"
     "Farrow said she had used the account for convenience and that aides never warned her it "
     "was against the rules. \"I sent no message that was marked secret,\" she said. The "
     "committee chairman said he would ask the department for the rest of her emails.\n\n"
     "Farrow's testimony came a week after Inspector General Paul Osei faulted her over the "
     "account in a report on the department's email archives."),
]

# -- one wire story reprinted by two outlets ---------------------------------------------

WIRE = ("Dock workers at the Kessling container terminal voted on Monday to end a nine-day "
        "strike after the port authority offered a 4.5 percent pay rise and a review of night "
        "shifts, union officials said.\n\n"
        "About 2,300 workers had walked out, leaving more than forty ships at anchor and "
        "delaying grain and fertiliser cargoes. The authority said loading would resume on the "
        "first shift and the backlog would be cleared within ten days.")
REPRINT = [
    ("wire-courier", "Courier", "2024-03-11", "Kessling dock strike ends", WIRE),
    ("wire-ledger", "Ledger", "2024-03-12", "Dock workers end Kessling port strike",
     WIRE.replace("on Monday", "this week") + "\n\n(Reporting by the wire service)"),
]

# -- other news of those days, on the same places and people -----------------------------

OTHER = [
    ("other-aldren-budget", "Courier", "2024-08-03",
     "Port Aldren council cuts harbour budget",
     "The Port Aldren city council voted on Friday to cut the harbour authority's budget by "
     "eight percent, delaying the repair of two piers and the dredging of the eastern channel. "
     "Mayor Celia Brandt said the city had to close a deficit left by falling property taxes. "
     "Harbour pilots warned that larger ships might have to wait for high tide."),
    ("other-holt-budget", "Ledger", "2024-02-26",
     "Holt signs state budget with teacher pay rise",
     "Governor Marian Holt signed the state budget on Monday, giving teachers a three percent "
     "pay rise and cutting the fuel tax by two cents a gallon. Holt said the budget was "
     "balanced without new borrowing. Opposition lawmakers said it underfunded rural "
     "hospitals and would leave a gap next year."),
]

ALL = MOSQUE + SPEECH + DEBATE + EMAILS + REPRINT + OTHER


def _items(rows):
    """Items as the writer builds them: signature, resolved entity names, outlet."""
    arts = [Article(id=i, path=i, title=t, body=b, published=d, source=src)
            for i, src, d, t, b in rows]
    mentions = [archive.extract_mentions(a) for a in arts]
    resolver = archive.build_resolver(mentions)
    return [stories.Item(a.id, stories.signature(a.body, published=a.published, title=a.title),
                         tuple(e.name for e in resolver.apply(m)), a.source)
            for a, m in zip(arts, mentions)]


@pytest.fixture(scope="module")
def items():
    return _items(ALL)


@pytest.fixture(scope="module")
def groups(items):
    return stories.group(items)


def _members(groups, name):
    return sorted(i for i, g in groups.items() if g == groups[name])


@pytest.mark.parametrize("event", [MOSQUE, SPEECH, DEBATE], ids=["mosque", "speech", "debate"])
def test_one_event_told_three_ways_is_one_group(groups, event):
    ids = sorted(row[0] for row in event)
    assert _members(groups, ids[0]) == ids


def test_two_events_about_one_person_a_week_apart_stay_apart(groups):
    assert groups["emails-1"] == "emails-1"
    assert groups["emails-2"] == "emails-2"


def test_wire_copy_reprinted_by_two_outlets_groups(groups):
    assert _members(groups, "wire-courier") == ["wire-courier", "wire-ledger"]


def test_other_news_of_the_same_places_and_people_stays_apart(groups):
    for i in ("other-aldren-budget", "other-holt-budget"):
        assert _members(groups, i) == [i]


def test_gap_raises_the_bar():
    """The same two reports a day apart group; five days apart they do not."""
    near = _items([MOSQUE[0], MOSQUE[1][:2] + ("2024-08-04",) + MOSQUE[1][3:]])
    far = _items([MOSQUE[0], MOSQUE[1][:2] + ("2024-08-08",) + MOSQUE[1][3:]])
    assert stories.pair_evidence(*near)["same"] is True
    assert stories.pair_evidence(*far)["same"] is False


def test_one_outlet_does_not_tell_one_event_twice_in_its_own_words():
    """Two own-words reports from the same outlet are two stories (its updates are copies)."""
    rows = [MOSQUE[0], (MOSQUE[1][0], "Courier") + MOSQUE[1][2:]]
    assert stories.pair_evidence(*_items(rows))["same"] is False


# -- labels ---------------------------------------------------------------------------

def test_label_names_the_earliest_version_and_each_outlet(items, groups):
    debate = [it for it in items if groups[it.id] == groups["debate-courier"]]
    versions = stories.label(debate)
    assert [(v.id, v.source, v.relation) for v in versions] == [
        ("debate-courier", "Courier", "earliest"),
        ("debate-gazette", "Gazette", "report"),
        ("debate-ledger", "Ledger", "report"),
    ]
    wire = [it for it in items if groups[it.id] == groups["wire-courier"]]
    assert [(v.id, v.relation) for v in stories.label(wire)] == [
        ("wire-courier", "earliest"), ("wire-ledger", "copy")]


# -- incremental: increments equal the full build ------------------------------------------

def test_increments_equal_the_full_build(items):
    full = stories.group(items)
    for seed in range(4):
        order = list(items)
        random.Random(seed).shuffle(order)
        state = stories.StoryState()
        cuts = sorted(random.Random(seed + 10).sample(range(1, len(order)), 3))
        seen = {}
        for lo, hi in zip([0] + cuts, cuts + [len(order)]):
            changes = stories.assign(order[lo:hi], state)
            for it in order[lo:hi]:
                assert it.id in changes          # a new article is always reported
            seen.update(changes)
        assert state.group == full
        assert seen == full


def test_changes_touch_only_what_the_new_article_links(items):
    state = stories.StoryState()
    rest = [it for it in items if it.id != "mosque-ledger"]
    stories.assign(rest, state)
    before = dict(state.group)
    new = next(it for it in items if it.id == "mosque-ledger")
    changes = stories.assign([new], state)
    assert changes == {"mosque-ledger": before["mosque-courier"]}
    assert {i: g for i, g in state.group.items() if i != "mosque-ledger"} == before


def test_removal_and_update_equal_a_rebuild(items):
    state = stories.StoryState()
    stories.assign(items, state)
    changes = stories.assign([], state, removed=["mosque-courier"])
    rest = [it for it in items if it.id != "mosque-courier"]
    assert state.group == stories.group(rest)
    assert changes == {"mosque-gazette": "mosque-gazette", "mosque-ledger": "mosque-gazette"}
    # the article comes back: an update with the same id replaces nothing twice
    stories.assign([it for it in items if it.id == "mosque-courier"], state)
    assert state.group == stories.group(items)


def test_removing_several_articles_of_one_story_at_once(items):
    """Two removed articles in one component: the second is not left among
    the members a removal breaks up (it used to be looked up and fail)."""
    for removed in (["mosque-courier", "mosque-gazette"], ["mosque-gazette", "mosque-courier"]):
        state = stories.StoryState()
        stories.assign(items, state)
        assert state.group["mosque-courier"] == state.group["mosque-gazette"]
        changes = stories.assign([], state, removed=removed)
        rest = [it for it in items if it.id not in removed]
        assert state.group == stories.group(rest)
        assert not set(removed) & set(changes)
        # and in the same increment as a new article
        state = stories.StoryState()
        stories.assign([it for it in items if it.id != "mosque-ledger"], state)
        stories.assign([it for it in items if it.id == "mosque-ledger"], state, removed=removed)
        assert state.group == stories.group(rest)


def test_bad_signatures_stay_alone():
    good = stories.signature("The harbour authority raised port fees by four percent on "
                             "Tuesday, citing the cost of dredging the eastern channel.")
    out = stories.group([stories.Item("a", good), stories.Item("b", good),
                         stories.Item("c", None), stories.Item("d", b"old-format"),
                         stories.Item("e", good[:-3])])
    assert out == {"a": "a", "b": "a", "c": "c", "d": "d", "e": "e"}
    assert stories.group([]) == {}
    assert list(itertools.islice(stories.label([stories.Item("x", good)]), 1))[0].relation \
        == "earliest"


def test_increments_equal_the_full_build_on_a_generated_archive():
    """Synthetic wire (with reprints) plus the events above, built in three
    increments in date-shuffled order, equals the full build."""
    from archive.synthetic import stories as wire
    rows = [(s["id"], s["source"], s["published"], s["title"], s["body"])
            for s in wire(600, seed=3)] + ALL
    items = _items(rows)
    full = stories.group(items)
    assert sum(1 for i, g in full.items() if g != i) > 10     # some groups to compare
    order = list(items)
    random.Random(7).shuffle(order)
    state = stories.StoryState()
    for lo, hi in ((0, 200), (200, 500), (500, len(order))):
        stories.assign(order[lo:hi], state)
    assert state.group == full


def _generated_items():
    from archive.synthetic import stories as wire
    rows = [(s["id"], s["source"], s["published"], s["title"], s["body"])
            for s in wire(400, seed=5, span_days=60)] + ALL
    # re-edited copies by the same outlet (copies only): the first 40, 45, ... 90
    # percent of one text, then other words
    aid, src, day, title, body = MOSQUE[0]
    words = body.split()
    filler = " ".join(w for r in OTHER for w in r[4].split())[:3000].split()
    for share in range(40, 95, 5):
        cut = len(words) * share // 100
        rows.append((f"{aid}-edit{share}", src, day, title,
                     " ".join(words[:cut] + filler[:len(words) - cut])))
    return _items(rows)


def test_candidate_search_finds_every_pair_over_the_bar():
    """The blocked, one-triangle candidate search returns exactly the pairs
    a brute-force comparison of every two articles finds: dates at most
    WINDOW_DAYS apart, pruned about cosine at the bar (tables: the higher one)."""
    items = [it for it in _generated_items() if stories.parse(it.sig) is not None]
    v = stories._Vectors([stories.parse(it.sig) for it in items], [it.entities for it in items],
                         [it.source for it in items])
    every = np.arange(v.n)
    for block in (7, 500):
        I, J = stories._candidates(v, every, every, block=block)
        found = set(zip(I.tolist(), J.tolist()))
        assert all(i < j for i, j in found)
        S = (v.Ac @ v.Ac.T).toarray()
        i, j = np.triu_indices(v.n, 1)
        d = np.abs(v.dates[i] - v.dates[j])
        bar = np.where(v.table[i] | v.table[j], stories.CAND_TABLE, stories.CAND_ABOUT)
        ok = (S[i, j] >= bar - stories.CAND_SLACK) & (d <= stories.WINDOW_DAYS)
        assert found == set(zip(i[ok].tolist(), j[ok].tolist()))
        assert len(found) > 100
    # new rows against every column: each pair with a new article once, none without
    fresh = every[::3]
    I, J = stories._candidates(v, fresh, every)
    assert set(zip(I.tolist(), J.tolist())) == {p for p in found
                                                 if p[0] in set(fresh) or p[1] in set(fresh)}


@pytest.mark.parametrize("own_cos,dup_share", [(0.28, 0.6), (0.18, 0.3), (0.22, 0.45),
                                                (0.33, 0.75), (0.4, 0.9)])
def test_cheap_tests_drop_no_link(monkeypatch, own_cos, dup_share):
    """_linked() skips most pairs on light evidence; what it keeps and
    decides must be exactly decide() over the full evidence of every pair.
    The bars move, so that some pairs of the test sit at each of them."""
    monkeypatch.setattr(stories, "OWN_COS", own_cos)
    monkeypatch.setattr(stories, "DUP_SHARE", dup_share)
    items = [it for it in _generated_items() if stories.parse(it.sig) is not None]
    v = stories._Vectors([stories.parse(it.sig) for it in items], [it.entities for it in items],
                         [it.source for it in items])
    every = np.arange(v.n)
    I, J = stories._candidates(v, every, every)
    full = stories.decide(v.full(every).evidence(I, J))[0]
    assert full.sum() > 10                       # copies and own-words links to compare
    assert np.array_equal(stories._linked(v, I, J, v.full), full)


def test_hashes_out_of_order_are_summed_not_trusted():
    """A signature of the right length whose hashes are unsorted or repeated
    (written by hand, or damaged) still makes a well-formed word set."""
    m = stories._wide([np.array([9, 3, 9], np.uint32), np.array([], np.uint32),
                       np.array([4294967295, 1], np.uint32)])
    assert m.has_canonical_format
    assert m.indices.tolist() == [3, 9, 1, 4294967295]
    assert m.data.tolist() == [1.0, 2.0, 1.0, 1.0]
    w = stories._wide([np.array([5, 2], np.uint32)], [np.array([3.0, 4.0], np.float16)])
    assert w.indices.tolist() == [2, 5]
    assert np.allclose(w.data, [0.8, 0.6])


# -- tokens and lead names without the regex engine (same answers) ----------------------

_TOKEN_TEXTS = [
    "Exampleton, March 3 - The Sample Co said its 1,250.5 mln dlr offer, 3/4 of it, stands.",
    "The board.  Sample Valley Trust said; \"Ana Example\" (AEX) 12x x12 1986s.. 5.,6 ./7",
    "Ärger in Köln: İstanbul ﬁnal — “Zoë’s” café, ½ price, Ⅻ Olympiad, 1² and ٣٤.٥ days.",
    "  \n\n  Leading space. Then Words Run Together, said Mira Sample of Exampleland.",
    "",
]


def test_token_info_is_the_regex_tokens():
    for text in _TOKEN_TEXTS:
        assert stories._token_info(text) == [stories._token(t) for t in stories._TOKEN.findall(text)]


def _lead_names_by_tokens(text):
    """The lead names as first written: every token of the lead visited."""
    toks = list(stories._TOKEN.finditer(text[:stories.LEAD_CHARS]))
    for k, m in enumerate(toks):
        w = m.group()
        if not w[0].isupper() or len(w) < 2:
            continue
        gap = text[toks[k - 1].end() if k else 0:m.start()].rstrip()
        initial = gap[-1] in stories._SENTENCE_END if gap else k == 0
        follows = k + 1 < len(toks) and toks[k + 1].group()[0].isupper() \
            and text[m.end():toks[k + 1].start()].strip() == ""
        if initial and not follows:
            continue
        t = stories._norm(w.casefold())
        if t not in stories._STOP and t not in stories._CALENDAR and \
                stories.rarity(t) >= stories.LEAD_NAME_RARITY:
            yield t


def test_lead_names_visit_only_capitalised_words_with_the_same_answer():
    for text in _TOKEN_TEXTS + [t * 9 for t in _TOKEN_TEXTS]:
        assert list(stories._lead_names(text)) == list(_lead_names_by_tokens(text)), text
    assert list(stories._lead_names("Union Valley Trust said the bank. The bank said")) == [
        "union", "valley", "trust"]
