"""Readers and writers at the same time.

While ``newsarchive reindex`` adds Reuters stories in another process,
searches through the library (several threads, each with its own searcher)
and through the web app keep answering, and every total they report is either
the old index's or the new one's -- never an error, never something in between,
and never the old one again once the new one was seen.  A second reindex
started meanwhile is refused with one clear line and changes nothing.  The web
app sees the new index without a restart.
"""
from __future__ import annotations

import json
import threading
import time

import index
from index.locking import is_locked
from web.app import create_app

from tests._reliability import BASE_N, all_ids, base_copy, ids, run_cli, start_cli, write_stories

BASE, MORE = BASE_N, 500
QUERIES = [dict(query=""), dict(query="oil"), dict(query="bank OR rates", since="2025-03")]
LOCKED = "index is being written by another process"


def _search_loop(search, stop, log):
    """Run the queries over and over until ``stop``; log (query no, total, error)."""
    while not stop.is_set():
        for i, q in enumerate(QUERIES):
            try:
                total, error = search(q)
            except Exception as e:  # noqa: BLE001 -- the test reports it below
                total, error = None, f"{type(e).__name__}: {e}"
            log.append((i, total, error))


def _library_search(ix):
    def search(q):
        r = ix.search(**q)
        return r.total, r.error
    return search


def _web_search(client):
    def search(q):
        args = {"q": q["query"]}
        if q.get("since"):
            args["since"] = q["since"]
        r = client.get("/api/search", query_string=args)
        if r.status_code != 200:
            return None, f"HTTP {r.status_code}"
        return r.get_json()["total"], None
    return search


def test_searches_stay_consistent_while_a_reindex_runs(tmp_path):
    src, ixdir = base_copy(tmp_path, BASE)
    more = tmp_path / "more"
    write_stories(more, BASE, BASE + MORE, prefix="more")
    ix = index.open_index(ixdir)
    client = create_app(ixdir, testing=True).test_client()
    old = [ix.search(**q).total for q in QUERIES]

    stop = threading.Event()
    logs = {name: [] for name in ("library-1", "library-2", "web")}
    threads = [threading.Thread(target=_search_loop, args=(_library_search(ix), stop, logs[n]))
               for n in ("library-1", "library-2")]
    threads.append(threading.Thread(target=_search_loop,
                                    args=(_web_search(client), stop, logs["web"])))
    for t in threads:
        t.start()
    try:
        proc = start_cli("reindex", src, more, "--index", ixdir)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
        during = {n: len(v) for n, v in logs.items()}
        # keep searching until every reader has seen the new generation
        fresh = index.open_index(ixdir)
        new = [fresh.search(**q).total for q in QUERIES]
        # (every query's latest answer, not just the last one logged: a query
        # whose total did not change says nothing about the generation seen)
        def picked_up(log):
            latest = {j: t for j, t, _ in list(log)}
            return all(latest.get(i) == new[i] for i in range(len(QUERIES)))

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if all(picked_up(log) for log in logs.values()):
                break
            time.sleep(0.2)
    finally:
        stop.set()
        for t in threads:
            t.join(60)

    assert new[0] == BASE + MORE and all(n >= o for n, o in zip(new, old))
    for name, log in logs.items():
        assert during[name] >= len(QUERIES), (name, during[name])   # it searched meanwhile
        errors = [e for _, _, e in log if e]
        assert not errors, (name, errors[:5])
        for i, q in enumerate(QUERIES):
            seen = [t for j, t, _ in log if j == i]
            assert set(seen) <= {old[i], new[i]}, (name, q, sorted(set(seen)))
            if old[i] != new[i]:
                # once the new index was seen, the old one never comes back
                first_new = seen.index(new[i])
                assert all(t == new[i] for t in seen[first_new:]), (name, q)
        assert log[-1][1] == new[log[-1][0]], name       # picked up without a restart
    # the web app, never restarted, serves the new articles
    assert client.get("/api/search?q=").get_json()["total"] == BASE + MORE
    newest = sorted(ids(BASE, BASE + MORE))[0]
    assert client.get(f"/api/articles/{newest}").status_code == 200


def test_second_reindex_is_refused_and_changes_nothing(tmp_path):
    src, ixdir = base_copy(tmp_path, BASE)
    more, extra = tmp_path / "more", tmp_path / "extra"
    write_stories(more, BASE, BASE + MORE, prefix="more")
    write_stories(extra, BASE + MORE, BASE + MORE + 50, prefix="extra")

    first = start_cli("reindex", src, more, "--index", ixdir)
    deadline = time.monotonic() + 60
    while not is_locked(ixdir) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert is_locked(ixdir), "the first reindex never took the lock"

    second = run_cli("reindex", extra, "--index", ixdir)
    full = run_cli("reindex", extra, "--full", "--index", ixdir)
    library_error = None
    try:
        index.open_index(ixdir).reindex([extra])
    except index.IndexLocked as e:
        library_error = str(e)
    assert first.poll() is None, "the first reindex ended before the second was tried"

    for p in (second, full):
        assert p.returncode == 1
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1 and LOCKED in lines[0] and "Traceback" not in p.stderr, p.stderr
        assert p.stdout == ""
    assert library_error and LOCKED in library_error

    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err[-2000:]
    ix = index.open_index(ixdir)
    assert all_ids(ix) == ids(0, BASE + MORE)        # none of the refused 'extra' articles
    assert ix.search("").total == BASE + MORE
    assert not is_locked(ixdir)


def test_two_reindexes_racing_to_create_a_new_index(tmp_path, corpus_dir):
    ixdir = tmp_path / "new-index"
    procs = [start_cli("reindex", corpus_dir, "--index", ixdir, "--json") for _ in range(2)]
    results = [(p.returncode, *p.communicate(timeout=120)) for p in procs]
    results = [(p.returncode, out, err) for p, (_, out, err) in zip(procs, results)]
    ok = [json.loads(out) for rc, out, _ in results if rc == 0]
    refused = [err for rc, _, err in results if rc != 0]
    assert ok, results
    for err in refused:
        assert len(err.strip().splitlines()) == 1 and LOCKED in err, err
    # whoever lost either waited its turn (nothing left to add) or was refused
    assert sum(s["added"] for s in ok) == 5
    ix = index.open_index(ixdir)
    assert ix.search("").total == 5 and not is_locked(ixdir)


def test_a_running_reader_sees_updates_removals_and_full_rebuilds_exactly(tmp_path):
    """A long-lived reader (a web app) after each kind of reindex: no article twice,
    none that was removed.  (Whoosh-reloaded's ``Searcher.refresh()`` keeps the old
    deletions of reused segment readers: an updated article was counted twice and
    everything twice after ``--full``.)"""
    src = tmp_path / "src"
    src.mkdir()
    recs = [{"id": f"r{i}", "title": f"Story {i}", "body": f"Harbour story number {i} about ferries."}
            for i in range(20)]
    (src / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), "utf-8")
    writer = index.open_index(tmp_path / "index")
    writer.reindex([src], progress=False)
    reader = index.open_index(tmp_path / "index")          # the "web app"
    client = create_app(tmp_path / "index", testing=True).test_client()

    def seen():
        return reader.search("").total, reader.search("ferries").total, \
            client.get("/api/search?q=").get_json()["total"]

    assert seen() == (20, 20, 20)
    steps = [
        ("update", lambda: recs.__setitem__(3, dict(recs[3], body="Changed: harbour ferries late."))),
        ("remove", lambda: recs.pop()),
        ("full", None),
    ]
    for name, change in steps:
        if change:
            change()
            (src / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), "utf-8")
        writer.reindex([src], full=name == "full", progress=False)
        want = (len(recs), len(recs), len(recs))
        deadline = time.monotonic() + 20
        while seen() != want and time.monotonic() < deadline:
            time.sleep(0.1)
        assert seen() == want, name
        assert len({h.id for h in reader.search("", per_page=100).hits}) == len(recs), name
