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


def test_passes_in_date_order_equal_one_pass_and_stay_small(monkeypatch):
    """A big increment is taken in passes of ``batch`` articles in date order:
    the groups and the reported changes are those of one pass, and no pass
    builds vectors for the whole archive (what kept a full build's memory
    growing with the archive)."""
    items = _items(400, seed=23)
    one = stories.StoryState()
    whole = stories.assign(items, one, batch=len(items))
    sizes = []
    real = stories._Vectors.__init__

    def counting(self, parsed, *a, **k):
        sizes.append(len(parsed))
        real(self, parsed, *a, **k)
    monkeypatch.setattr(stories._Vectors, "__init__", counting)
    parts = stories.StoryState()
    batched = stories.assign(list(reversed(items)), parts, batch=40)
    assert parts.group == one.group
    assert batched == whole
    assert sum(1 for i, g in one.group.items() if g != i) > 5
    days = {stories.sig_date(it.sig) for it in items} - {None}
    assert len(days) > 20, "the generated archive spans weeks"
    assert len(sizes) >= 10 and max(sizes) < len(items) // 2, sizes
    # the same over an existing state, with removals in the first pass
    removed = [items[5].id, items[77].id]
    extra = [stories.Item("new-" + it.id, it.sig, it.entities, it.source)
             for it in _items(120, seed=24)]
    a_state, b_state = stories.load_state(stories.dump_state(one)), \
        stories.load_state(stories.dump_state(one))
    a = stories.assign(extra, a_state, removed=removed, batch=1000)
    b = stories.assign(extra, b_state, removed=removed, batch=25)
    assert a == b and a_state.group == b_state.group
    assert not set(removed) & set(b_state.group)


def test_an_increment_spread_over_the_year_is_compared_a_month_at_a_time(monkeypatch):
    """A few new articles spread over a year each meet only their own weeks
    of the archive: a pass spans at most PASS_DAYS days, so no pass builds
    vectors for the whole archive, and the groups are those of one pass."""
    items = _items(400, seed=23)
    base, extra = items[:360], items[360:]          # 40 articles across the year
    days = [stories.sig_date(it.sig) for it in extra]
    assert max(days) - min(days) > 6 * stories.PASS_DAYS
    one = stories.load_state(stories.dump_state(_state(base)))
    split = stories.load_state(stories.dump_state(_state(base)))
    sizes = []
    real = stories._Vectors.__init__

    def counting(self, parsed, *a, **k):
        sizes.append(len(parsed))
        real(self, parsed, *a, **k)
    whole = stories._assign(list(extra), one)[0]
    monkeypatch.setattr(stories._Vectors, "__init__", counting)
    parts = stories.assign(list(extra), split)
    assert split.group == one.group and parts == whole
    assert len(sizes) > 6 and max(sizes) < len(items) // 3, sizes


def _state(items):
    state = stories.StoryState()
    stories.assign(items, state)
    return state


def test_the_state_and_the_pool_stream_to_and_from_files(tmp_path):
    """The writer streams both side files (written and parsed without holding
    their bytes whole); the file forms equal the bytes forms."""
    from archive.mention_pool import MentionPool
    items = _items(200, seed=25)
    state = _state(items)
    with open(tmp_path / "s", "wb") as fh:
        stories.write_state(state, fh)
    assert (tmp_path / "s").read_bytes() == stories.dump_state(state)
    with open(tmp_path / "s", "rb") as fh:
        back = stories.read_state(fh)
    assert (back.items, back.members, back.group) == (state.items, state.members, state.group)
    with open(tmp_path / "s", "rb") as fh:
        fh.read(10)
        assert stories.read_state(fh) is None          # damaged: refused, not raised
    pool = MentionPool()
    for a in wire(40, seed=26):
        art = Article(id=a["id"], path=a["id"], title=a["title"], body=a["body"])
        pool.add(a["id"], archive.extract_mentions(art))
    with open(tmp_path / "p", "wb") as fh:
        pool.write(fh)
    assert (tmp_path / "p").read_bytes() == pool.dumps()
    with open(tmp_path / "p", "rb") as fh:
        assert MentionPool.read(fh).to_json_like() == pool.to_json_like()


def test_signatures_read_from_a_file_stay_in_it(tmp_path):
    """A state read from a file holds handles, not signature bytes (what grew
    with the archive in a reindex's memory); it still continues like the
    original after its file is gone, and saves again into a new file."""
    from archive.sigfile import Sig
    items = _items(300, seed=27)
    first, rest = items[:200], items[200:]
    state = _state(first)
    path = tmp_path / "s"
    with open(path, "wb") as fh:
        stories.write_state(state, fh)
    with open(path, "rb") as fh:
        back = stories.read_state(fh)
    path.unlink()                                    # a pruned generation's file
    assert back.items and all(isinstance(it.sig, Sig) for it in back.items.values())
    assert sum(len(it.sig) for it in back.items.values()) > 200 * 500
    a = stories.assign(rest, state)
    b = stories.assign(rest, back)
    assert a == b and back.group == state.group
    with open(tmp_path / "t", "wb") as fh:
        stories.write_state(back, fh)
    again = stories.load_state((tmp_path / "t").read_bytes())
    assert (again.items, again.members, again.group) == (state.items, state.members, state.group)
    assert all(isinstance(it.sig, bytes) for it in again.items.values())   # from bytes: bytes
    # a truncated file is refused, not read short
    whole = (tmp_path / "t").read_bytes()
    (tmp_path / "u").write_bytes(whole[:-7])
    with open(tmp_path / "u", "rb") as fh:
        assert stories.read_state(fh) is None
    assert stories.load_state(whole[:-7]) is None


def test_new_signatures_can_wait_in_a_scratch_file(tmp_path):
    """The writer files each new item's signature (stories.filed): the groups
    are those of the bytes, the scratch file leaves nothing in its folder,
    and unreadable bytes are kept as they are."""
    from archive.sigfile import Sig, SigFile
    items = _items(200, seed=28)
    sigs = SigFile.scratch(tmp_path)
    filed = [stories.Item(it.id, stories.filed(it.sig, sigs), it.entities, it.source)
             for it in items]
    assert list(tmp_path.iterdir()) == []
    assert all(isinstance(it.sig, Sig) for it in filed)
    assert [stories.sig_date(it.sig) for it in filed] == [stories.sig_date(it.sig) for it in items]
    assert stories.group(filed) == stories.group(items)
    assert stories.filed(b"junk", sigs) == b"junk" and stories.filed(None, sigs) is None


def test_a_state_is_saved_and_read_in_chunks(monkeypatch, tmp_path):
    """Ids, groups, items and components go in pickles of STATE_CHUNK each
    (no pickle of the whole state is built at save): any chunk size reads
    back the same state, from bytes and from a file; a cut file and the older
    one-pickle layout (version 2) are refused."""
    import pickle
    items = _items(120, seed=4)
    state = stories.StoryState()
    stories.assign(items, state)
    whole = stories.dump_state(state)
    monkeypatch.setattr(stories, "STATE_CHUNK", 5)
    small = stories.dump_state(state)
    assert len(small) > len(whole)          # more pickles, same content
    for raw in (whole, small):
        back = stories.load_state(raw)
        assert (back.items, back.component, back.members, back.group) == \
            (state.items, state.component, state.members, state.group)
        (tmp_path / "s").write_bytes(raw)
        with open(tmp_path / "s", "rb") as fh:
            filed = stories.read_state(fh)
        assert filed.group == state.group and set(filed.items) == set(state.items)
        assert all(stories.raw_sig(filed.items[a].sig) == stories.raw_sig(state.items[a].sig)
                   for a in state.items)
        assert stories.load_state(raw[: len(raw) // 2]) is None
    older = pickle.dumps({"version": 2, "ids": sorted(state.group), "items": [], "members": [],
                          "group": []}) + b"NASIGS02"
    assert stories.load_state(older) is None


def test_passes_decode_a_signature_once_and_keep_none_after(monkeypatch):
    """Consecutive passes share their windows' edges: what the next pass
    reaches stays decoded between passes, so an article is decoded once in
    a full build, and nothing decoded outlives :func:`stories.assign`."""
    items = _items(300, seed=27)
    decoded = []
    real = stories.parse

    def counted(sig):
        decoded.append(bytes(sig) if sig is not None else None)
        return real(sig)
    monkeypatch.setattr(stories, "parse", counted)
    state = stories.StoryState()
    stories.assign(items, state, batch=30)
    assert len(decoded) == len(items)
    assert state._parsed == {}
    monkeypatch.undo()
    assert state.group == _state(items).group
