"""The story state keeps an article as entries of flat arrays, not objects.

A reindex holds the whole archive's StoryState; an object per article (an
Item, a signature handle, a set per component, dict entries) made it grow by
about 860 bytes an article.  Now each article is numbered once, articles
alone have no component entry, and what is read through ``items`` and
``group`` is made on demand -- with the same groups, changes and saved
meaning as before.
"""
from __future__ import annotations

import gc

from archive import stories
from archive.sigfile import Sig

from tests.archive.test_story_state import _items, _state


def _tracked():
    """(arrays, other containers) the garbage collector tracks."""
    gc.collect()
    objs = gc.get_objects()
    arrays = sum(1 for o in objs if type(o).__name__ == "array")
    return arrays, len(objs) - arrays


def _made(before, state):
    """Containers made since ``before``: arrays beyond one per day and per
    component of two or more, and other containers."""
    arrays, other = _tracked()
    return arrays - before[0] - len(state._by_day) - len(state._members), other - before[1]


def test_a_loaded_state_holds_no_object_per_article_or_component(tmp_path):
    """Loading (and continuing) a state makes a fixed number of container
    objects beside an array per publication day and per component of two or
    more: none per article (no set for an article alone, no Item or handle
    kept)."""
    items = _items(300, seed=41)
    first, rest = items[:250], items[250:]
    state = _state(first)
    with open(tmp_path / "s", "wb") as fh:
        stories.write_state(state, fh)
    multi = {k: m for k, m in state.members.items() if len(m) > 1}
    assert multi and len(multi) < 50, "some stories share a component, most articles are alone"
    before = _tracked()
    with open(tmp_path / "s", "rb") as fh:
        back = stories.read_state(fh)
    extra_arrays, other = _made(before, back)
    assert extra_arrays < 20 and other < 30, (extra_arrays, other)
    assert back.members == state.members == multi       # components of 2+ only
    alone = [a for a in back.group if a not in back.component]
    assert len(alone) > 200 and all(back.group[a] == a or back.group[a] in back.component
                                    for a in alone)
    assert all(back._comp[back.num[a]] == stories._ALONE for a in alone)
    # what the writer reads: items made on demand, with handles into the file
    it = back.items.get(first[0].id)
    assert isinstance(it.sig, Sig) and it == state.items[first[0].id]
    assert back.items.get("no-such-id") is None and back.group.get("no-such-id", "x") == "x"
    # continuing leaves nothing per article behind either
    a = stories.assign(rest, state)
    days, comps = len(back._by_day), len(back._members)
    before = _tracked()
    b = stories.assign(rest, back)
    assert a == b and back.group == state.group
    arrays, other = _tracked()
    assert arrays - before[0] <= len(back._by_day) - days + len(back._members) - comps + 2
    assert other - before[1] < 20, other - before[1]
    assert not back._parsed


def test_a_saved_state_reads_back_to_the_same_bytes_whatever_the_chunks(monkeypatch, tmp_path):
    """Removed and replaced articles leave unused numbers in a live state;
    saving numbers afresh, so a state read back saves to the same bytes, for
    any STATE_CHUNK, and continues like the original."""
    items = _items(300, seed=42)
    state = _state(items[:200])
    updated = stories.Item(items[3].id, items[150].sig, items[3].entities, items[3].source)
    stories.assign([updated], state, removed=[items[7].id, items[8].id])
    assert len(state.ids) > len(state.num)                  # numbers left unused
    whole = stories.dump_state(state)
    for chunk in (5, 64, stories.STATE_CHUNK):
        monkeypatch.setattr(stories, "STATE_CHUNK", chunk)
        raw = stories.dump_state(state)
        (tmp_path / "s").write_bytes(raw)
        with open(tmp_path / "s", "rb") as fh:
            back = stories.read_state(fh)
        assert len(back.ids) == len(back.num) == len(state.num)
        assert stories.dump_state(back) == raw
        monkeypatch.undo()
        assert stories.dump_state(back) == whole
        assert (back.items, back.component, back.members, back.group) == \
            (state.items, state.component, state.members, state.group)
    a = stories.assign(items[200:], stories.load_state(whole), removed=[items[9].id])
    b = stories.assign(items[200:], back, removed=[items[9].id])
    assert a == b


def test_articles_without_a_usable_signature_are_known_but_not_items():
    items = _items(60, seed=43)
    odd = [stories.Item("none", None), stories.Item("junk", b"junk" * 20)]
    state = _state(items + odd)
    assert state.group["none"] == "none" and state.group["junk"] == "junk"
    assert "none" not in state.items and "junk" not in state.items
    assert len(state.items) == len(items) and len(state.group) == len(items) + 2
    back = stories.load_state(stories.dump_state(state))
    assert dict(back.group) == dict(state.group) and set(back.items) == set(state.items)
    # an unusable article given a usable signature becomes an item; removal forgets it
    changes = stories.assign([stories.Item("none", items[0].sig, (), "")], back,
                             removed=["junk"])
    assert "none" in back.items and "junk" not in back.group
    assert changes.get("none", "none") == back.group["none"]
    assert back.group == stories.group(items + [stories.Item("none", items[0].sig)])


def test_an_id_twice_in_one_increment_counts_once_the_last_time():
    items = _items(80, seed=44)
    twice = items + [stories.Item(items[5].id, items[40].sig, items[40].entities, "x")]
    once = [it for it in items if it.id != items[5].id] + [twice[-1]]
    state = stories.StoryState()
    stories.assign(twice, state)
    assert state.group == stories.group(once)
    assert state.items[items[5].id].source == "x" and len(state.num) == len(items)


def test_the_version_3_layout_is_refused():
    """The layout before (a tuple per item, a list per component, singletons
    too) is version 3: it is refused, and the caller groups from scratch once."""
    import pickle
    assert stories.STATE_VERSION == 4
    state = _state(_items(40, seed=45))
    v3 = pickle.dumps({"version": 3, "ids": len(state.group), "items": len(state.items),
                       "members": len(state.group)}) + pickle.dumps(sorted(state.group))
    assert stories.load_state(v3 + stories.dump_state(state)) is None


def test_an_article_given_again_unchanged_changes_no_group():
    """Replacing the article a group is named after by the same article
    changes no group, and none is reported: the group mates' names are
    compared with the name they had, not lost with the replaced article's
    number."""
    items = _items(300, seed=46)
    state = _state(items)
    named = sorted({g for a, g in state.group.items() if g != a})
    assert len(named) > 5
    again = [state.items[g] for g in named]
    before = dict(state.group)
    assert stories.assign(again, state) == {}
    assert dict(state.group) == before
    back = stories.load_state(stories.dump_state(state))
    assert stories.assign(again, back, removed=[items[0].id]) == \
        stories.assign(again, _state(items), removed=[items[0].id])


def test_entity_rows_from_the_names_numbers_equal_the_rows_of_the_names():
    """The story pass gathers the entity terms of its rows from the state's
    name numbers; rows, weights and lengths are what the names themselves
    give, as the state grows, for names without a term, and for any rows."""
    import numpy as np

    def same(state, ks):
        got = state.entity_rows(ks)
        want = stories._entity_rows([state.entities(k) for k in ks])
        for a, b in zip(got, want):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        return got

    items = _items(120, seed=43)
    odd = [stories.Item("zz-1", items[0].sig, ("", "—", "Ann Lee", "Ann Lee"), "X"),
           stories.Item("zz-2", items[1].sig, (), "X"),
           stories.Item("zz-3", items[2].sig, ("...", "Bo Ek"), "")]
    state = _state(items[:60])
    live = [k for k in range(len(state.ids)) if state.live(k)]
    assert sum(len(state.entities(k)) for k in live) > 60
    same(state, live)
    same(state, live[::-7])
    stories.assign(items[60:] + odd, state, removed=[items[5].id])
    live = [k for k in range(len(state.ids)) if state.live(k)]
    hs, ws, lens = same(state, live)
    assert lens.sum() == hs.size and (ws > 0).all()
    k1, k3 = state.num["zz-1"], state.num["zz-3"]
    assert same(state, [k1])[2].tolist() == [2]          # the two names without a term drop
    assert same(state, [k3, state.num["zz-2"], k1])[2].tolist() == [1, 0, 2]
    assert [len(x) for x in state.entity_rows([])] == [0, 0, 0]
    back = stories.load_state(stories.dump_state(state))
    same(back, [k for k in range(len(back.ids)) if back.live(k)])
