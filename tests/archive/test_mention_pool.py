"""The mention pool: the resolver's input kept as sums, updated by the
articles that change.  Whatever the order of additions and removals, the
pool -- and the resolver built from it -- is the one of the articles it
holds."""
from __future__ import annotations

import io
import pickle
import random

import archive
from archive import Article
from archive.mention_pool import MentionPool
from archive.synthetic import stories


def _mentions(n, seed):
    out = {}
    for s in stories(n, seed=seed):
        a = Article(id=s["id"], path=s["id"], title=s["title"], body=s["body"],
                    published=s["published"], source=s["source"])
        out[a.id] = archive.extract_mentions(a)
    return out


def _pool(mentions, ids):
    p = MentionPool()
    for aid in ids:
        p.add(aid, mentions[aid])
    return p


def test_order_and_removals_do_not_change_the_pool_or_its_resolver():
    ms = _mentions(160, seed=5)
    ids = sorted(ms)
    keep = ids[:120]
    once = _pool(ms, keep)
    # another order, with articles added and then taken out again
    order = list(ids)
    random.Random(1).shuffle(order)
    inc = MentionPool()
    for aid in order:
        inc.add(aid, ms[aid])
    for aid in ids[120:]:
        inc.remove(aid, ms[aid])
    assert inc.to_json_like() == once.to_json_like()
    assert inc.resolver().to_json() == once.resolver().to_json()
    assert len(once.resolver()) > 10        # the synthetic wire has entities to resolve


def test_the_pool_resolves_like_build_resolver():
    ms = _mentions(120, seed=6)
    ids = sorted(ms)
    r_pool = _pool(ms, ids).resolver()
    r_full = archive.build_resolver(ms[a] for a in ids)
    assert r_pool.table == r_full.table
    assert {n: e["type"] for n, e in r_pool.entities.items()} == \
        {n: e["type"] for n, e in r_full.entities.items()}


def test_changed_forms_name_the_articles_to_look_at_again():
    ms = _mentions(120, seed=7)
    ids = sorted(ms)
    p = _pool(ms, ids[:100])
    before = p.resolver()
    assert p.changed(p.lookup(before)) == set(before.table)    # first build: all new
    for aid in ids[100:]:
        p.add(aid, ms[aid])
    after = p.resolver()
    changed = p.changed(p.lookup(after))
    touched = p.articles_with(changed)
    # every kept article outside ``touched`` has the same canonical entities as before
    for aid in ids[:100]:
        if aid not in touched:
            assert after.apply(ms[aid]) == before.apply(ms[aid]), aid
    assert p.changed(p.lookup(after)) == set()


def test_saved_pool_round_trips_and_other_versions_are_refused():
    ms = _mentions(60, seed=8)
    p = _pool(ms, sorted(ms))
    p.changed(p.lookup(p.resolver()))
    back = MentionPool.loads(p.dumps())
    assert back.to_json_like() == p.to_json_like()
    assert back.table == p.table
    assert back.resolver().to_json() == p.resolver().to_json()
    assert MentionPool.loads(b"not a pool") is None
    import pickle
    assert MentionPool.loads(pickle.dumps({"version": 999})) is None


def test_a_forms_articles_are_numbers_held_once_and_saved_as_int_bytes():
    """A form's articles are 4-byte numbers, each article once however many of
    its surfaces fold to the form; removing the article removes its number;
    the saved pool keeps them as array bytes, and a file of the older layout
    (lists of ints, version 1) is refused, so the writer rebuilds it once."""
    from array import array
    pool = MentionPool()
    two_surfaces = {"forms": {"U.S.": {"n": 2, "t": {"place": 1.0}},
                              "U.S": {"n": 1, "t": {"place": 1.0}},
                              "Acme Corp": {"n": 1, "t": {"org": 1.0}}}}
    pool.add("a1", two_surfaces)
    pool.add("a2", {"forms": {"Acme Corp": {"n": 3, "t": {"org": 1.0}}}})
    us = next(k for k in pool.forms if "u" in k and "s" in k and "acme" not in k)
    acme = next(k for k in pool.forms if "acme" in k)
    assert isinstance(pool.forms[acme].docs, array) and pool.forms[acme].docs.itemsize == 4
    assert sorted(pool.forms[us].docs) == [pool.num["a1"]]           # once, not twice
    assert pool.articles_with([acme]) == {"a1", "a2"}
    back = MentionPool.loads(pool.dumps())
    assert back.to_json_like() == pool.to_json_like()
    assert back.articles_with([acme, us]) == {"a1", "a2"}
    pool.remove("a1", two_surfaces)
    assert us not in pool.forms and pool.articles_with([acme]) == {"a2"}
    parts, fh = [], io.BytesIO(pool.dumps())
    while fh.tell() < len(fh.getvalue()):
        parts.append(pickle.load(fh))
    head, forms = parts[0], parts[1]
    assert head["version"] == 2 and all(isinstance(f[7], bytes) for f in forms)

    def ints(b):
        a = array("i")
        a.frombytes(b)
        return a.tolist()
    older = {"version": 1, "ids": head["ids"], "table": {}, "hints": [],
             "forms": [f[:7] + (ints(f[7]),) for f in forms]}
    assert MentionPool.loads(pickle.dumps(older)) is None


def test_a_pool_is_saved_and_read_in_chunks(monkeypatch):
    """Forms and hints go in pickles of CHUNK each; any chunk size reads back
    the same pool, and a file cut short is refused (None), not half read."""
    from archive import mention_pool
    ms = _mentions(60, seed=8)
    p = _pool(ms, sorted(ms))
    p.changed(p.lookup(p.resolver()))
    whole = p.dumps()
    monkeypatch.setattr(mention_pool, "CHUNK", 3)
    small = p.dumps()
    assert len(p.forms) > 30 and len(p.hints) > 3
    for raw in (whole, small):
        back = MentionPool.loads(raw)
        assert back.to_json_like() == p.to_json_like() and back.table == p.table
        assert MentionPool.loads(raw[: len(raw) * 2 // 3]) is None
