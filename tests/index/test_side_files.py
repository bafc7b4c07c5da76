"""Every side file of an index generation goes through one registry
(``index.generations.KINDS``): the writer writes one of each kind per
generation, keeps the current and the previous one, and clears what a killed
writer left before its commit -- without any caller keeping its own list."""
from __future__ import annotations

import json

import index
from archive.synthetic import stories
from index import generations


def _write(path, recs):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r) + "\n")


def _gens(folder, kind):
    return sorted(g for g, _ in generations.saved(folder, kind.prefix, kind.ext))


def test_each_generation_has_every_kind_and_two_generations_are_kept(tmp_path):
    recs = list(stories(60, seed=3))
    src, folder = tmp_path / "wire", tmp_path / "ix"
    ix = index.open_index(folder)
    for n in (20, 40, 60):
        _write(src / f"part{n}.jsonl", recs[n - 20:n])
        ix.reindex([src], progress=False)
    gen = ix._ix.latest_generation()
    for kind in generations.KINDS:
        assert _gens(folder, kind) == [gen - 1, gen], kind
        assert kind.path(folder, gen).stat().st_size > 0


def test_what_a_killed_writer_left_is_cleared_by_the_next_reindex(tmp_path):
    recs = list(stories(40, seed=5))
    src, folder = tmp_path / "wire", tmp_path / "ix"
    ix = index.open_index(folder)
    _write(src / "a.jsonl", recs[:20])
    ix.reindex([src], progress=False)
    gen = ix._ix.latest_generation()
    # a writer killed after saving its side files, before the TOC of gen + 1
    for kind in generations.KINDS:
        kind.path(folder, gen).with_name(kind.name(gen + 1) + ".tmp999").write_bytes(b"half")
        if kind.before_commit:
            kind.path(folder, gen + 1).write_bytes(b"never committed")
    _write(src / "b.jsonl", recs[20:])
    s = ix.reindex([src], progress=False)
    assert s.added == 20
    new = ix._ix.latest_generation()
    assert new == gen + 1
    for kind in generations.KINDS:
        assert not list(folder.glob(f"{kind.prefix}-*.tmp*")), kind
        # the file of gen + 1 is the new writer's own, not the killed one's
        assert kind.path(folder, new).read_bytes() not in (b"never committed", b"half"), kind
    assert ix.search("", per_page=1).total == 40


def test_a_damaged_index_rebuilt_from_scratch_drops_every_side_file(tmp_path):
    folder = tmp_path / "ix"
    folder.mkdir()
    for kind in generations.KINDS:
        kind.path(folder, 7).write_bytes(b"old")
    generations.remove_all(folder)
    assert not any(folder.iterdir())
