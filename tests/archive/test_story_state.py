"""The story state saved between reindexes: loading what was dumped gives a
state that assign() continues from exactly as from the original."""
from __future__ import annotations

import archive
from archive import Article, stories
from archive.synthetic import stories as wire


def _items(n, seed):
    arts = [Article(id=s["id"], path=s["id"], title=s["title"], body=s["body"],
                    published=s["published"], source=s["source"]) for s in wire(n, seed=seed)]
    ms = [archive.extract_mentions(a) for a in arts]
    r = archive.build_resolver(ms)
    return [stories.Item(a.id, stories.signature(a.body, published=a.published, title=a.title),
                         tuple(e.name for e in r.apply(m)), a.source) for a, m in zip(arts, ms)]


def test_a_loaded_state_continues_like_the_original():
    items = _items(400, seed=21)
    first, rest = items[:250], items[250:]
    state = stories.StoryState()
    stories.assign(first, state)
    back = stories.load_state(stories.dump_state(state))
    assert (back.items, back.component, back.members, back.group) == \
        (state.items, state.component, state.members, state.group)
    removed = [first[3].id, first[10].id]
    a = stories.assign(rest, state, removed=removed)
    b = stories.assign(rest, back, removed=removed)
    assert a == b
    assert back.group == state.group == stories.group(
        [it for it in items if it.id not in removed])
    assert sum(1 for i, g in back.group.items() if g != i) > 5     # groups were compared


def test_damaged_or_other_version_bytes_are_refused():
    assert stories.load_state(b"garbage") is None
    import pickle
    assert stories.load_state(pickle.dumps({"version": -1})) is None
