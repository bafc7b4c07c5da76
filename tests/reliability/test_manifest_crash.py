"""SIGKILL during a reindex never leaves the manifest out of step with the index.

The manifest of generation N is written before Whoosh publishes generation N,
and read by generation number, so whatever moment the writer dies at, the next
reindex sees a matching pair: what was committed is known as committed, what
was not is loaded again.  Articles are the synthetic generator's."""
from __future__ import annotations

import json
import os

import pytest

import index
from archive.synthetic import stories
from index import manifest
from tests._reliability import KILL_AT_TOC, SEGMENT_FILE, kill_when, leftover_files, run_cli, start_cli


N = 240


def _write(folder, recs, per_file=80):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(0, len(recs), per_file):
        with open(folder / f"feed-{i // per_file}.jsonl", "w", encoding="utf-8") as fh:
            for r in recs[i:i + per_file]:
                fh.write(json.dumps(r) + "\n")


def _setup(tmp_path):
    recs = list(stories(N, seed=5))
    src = tmp_path / "feed"
    _write(src, recs)
    ixdir = tmp_path / "ix"
    s = index.open_index(ixdir).reindex([src], progress=False)
    assert s.added == N
    # the change the killed run was making: three corrected titles, one new file
    for k in (3, 90, 200):
        recs[k]["title"] = f"Corrected headline number {k}"
    _write(src, recs)
    extra = [dict(r, id=f"x-{r['id']}", url=r["url"] + "-x") for r in stories(30, seed=9)]
    with open(src / "extra.jsonl", "w", encoding="utf-8") as fh:
        for r in extra:
            fh.write(json.dumps(r) + "\n")
    return src, ixdir, recs


def _manifest_matches_index(ixdir):
    ix = index.open_index(ixdir)
    gen = ix._ix.latest_generation()
    m = manifest.load(ixdir, gen)
    assert m is not None, "no manifest for the committed generation"
    indexed = {r[manifest.ID] for e in m.files.values() for r in e["recs"]
               if r[manifest.STATUS] == manifest.INDEXED}
    _snap = ix._state()
    s, _ = _snap.searcher, _snap.arrays
    assert indexed == {f["id"] for _, f in s.reader().iter_docs()}
    return ix


@pytest.mark.parametrize("point", ["before-toc", "after-toc"])
def test_sigkill_at_the_commit_point_then_a_rerun_completes(tmp_path, point):
    src, ixdir, recs = _setup(tmp_path)
    proc = start_cli("reindex", src, "--index", ixdir,
                     prelude=KILL_AT_TOC.format(before=point == "before-toc"))
    proc.wait(180)
    assert proc.returncode == -9, (proc.returncode, proc.stderr.read()[-2000:])
    ix = _manifest_matches_index(ixdir)
    if point == "before-toc":
        assert ix.search("").total == N
        assert ix.get(recs[3]["id"])["title"] != "Corrected headline number 3"
    else:
        assert ix.search("").total == N + 30
    summary = json.loads(run_cli("reindex", src, "--index", ixdir, "--json", check=0).stdout)
    if point == "before-toc":
        assert (summary["added"], summary["updated"]) == (30, 3)
    else:
        assert (summary["added"], summary["updated"], summary["unchanged"]) == (0, 0, N + 30)
    ix = _manifest_matches_index(ixdir)
    assert ix.search("").total == N + 30
    assert ix.get(recs[200]["id"])["title"] == "Corrected headline number 200"
    assert not [n for n in os.listdir(ixdir) if n.startswith(".spool-")]
    if point == "before-toc":
        assert leftover_files(ixdir) == []


def test_sigkill_while_segment_files_appear_then_a_rerun_completes(tmp_path):
    src, ixdir, recs = _setup(tmp_path)
    proc = start_cli("reindex", src, "--index", ixdir)
    kill_when(proc, ixdir, lambda new: any(SEGMENT_FILE.match(n) for n in new))
    _manifest_matches_index(ixdir)
    summary = json.loads(run_cli("reindex", src, "--index", ixdir, "--json", check=0).stdout)
    assert summary["articles"] == N + 30
    ix = _manifest_matches_index(ixdir)
    assert ix.get(recs[90]["id"])["title"] == "Corrected headline number 90"
    again = json.loads(run_cli("reindex", src, "--index", ixdir, "--json", check=0).stdout)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, N + 30)
