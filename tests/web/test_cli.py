"""The newsarchive command line, per the contract: commands, JSON shapes, exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from web.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ixdir(tmp_path, monkeypatch):
    d = tmp_path / "ix"
    monkeypatch.setenv("NEWSARCHIVE_INDEX", str(d))
    return d


def run(*argv, env_index=None):
    env = dict(os.environ)
    if env_index:
        env["NEWSARCHIVE_INDEX"] = str(env_index)
    return subprocess.run([sys.executable, "-m", "web.cli", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_reindex_summary_and_default_corpus(ixdir):
    p = run("reindex", env_index=ixdir)           # default source: corpus/ in cwd
    assert p.returncode == 0, p.stderr
    assert "added      5" in p.stdout
    for word in ("added", "updated", "removed", "unchanged", "skipped"):
        assert word in p.stdout
    p = run("reindex", env_index=ixdir)
    assert p.returncode == 0 and "unchanged  5" in p.stdout


def test_reindex_exit_codes(tmp_path, ixdir, capsys, corpus_dir):
    assert main(["reindex", str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such source" in err[0]
    # skipped files are not a failure
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("Title\n\nSome body text about otters.\n", "utf-8")
    (src / "empty.txt").write_text("", "utf-8")
    assert main(["reindex", str(src)]) == 0
    out = capsys.readouterr().out
    assert "empty.txt" in out


def test_reindex_locked_is_one_line_and_nonzero(ixdir, capsys, corpus_dir):
    from index.locking import WriteLock
    assert main(["reindex", str(corpus_dir)]) == 0
    capsys.readouterr()
    with WriteLock(ixdir):
        # a lock held by another open file description blocks us just the same
        assert main(["reindex", str(corpus_dir)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "index is being written by another process" in err[0]


def test_search_json_shape(ixdir, capsys, corpus_dir):
    main(["reindex", str(corpus_dir)])
    capsys.readouterr()
    assert main(["search", "taliban", "--json", "--limit", "1"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert list(d) == ["query", "total", "stories", "page", "per_page", "hits", "facets", "suggestion"]
    assert d["query"] == "taliban" and d["total"] == 5 and d["stories"] == 3 and d["per_page"] == 1 and d["page"] == 1
    assert len(d["hits"]) == 1
    assert set(d["hits"][0]) == {"id", "title", "published", "source", "url", "snippet", "score",
                                 "entities", "same_story"}
    for key in ("person", "org", "place", "other", "year", "month", "source"):
        assert isinstance(d["facets"][key], list)


def test_search_human_output_and_errors(ixdir, capsys, corpus_dir):
    main(["reindex", str(corpus_dir)])
    capsys.readouterr()
    assert main(["search", "ceasefire"]) == 0
    out = capsys.readouterr().out
    # four seeds say "ceasefire" (000, 001 and 003 are one story)
    assert out.splitlines()[0] == "4 articles (page 1 of 1, sorted by relevance)"
    assert "1. " in out and "[ceasefire]" in out.lower()      # <mark> as brackets off a terminal
    assert "<mark>" not in out
    assert main(["search", '"unbalanced']) == 2
    assert "unbalanced" in capsys.readouterr().err
    assert main(["search", "x", "--since", "2025-13", "--json"]) == 2
    assert "error" in json.loads(capsys.readouterr().out)
    assert main(["search", "", "--sort", "date", "--json"]) == 0      # empty query browses
    assert json.loads(capsys.readouterr().out)["total"] == 5


def test_show(ixdir, capsys, corpus_dir):
    main(["reindex", str(corpus_dir)])
    capsys.readouterr()
    assert main(["show", "corpus/002_87aeffe32afe1305.txt", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["id"] == "corpus/002_87aeffe32afe1305.txt" and "Shafqat" in d["body"]
    assert main(["show", "nope"]) == 1
    assert "no article" in capsys.readouterr().err


def test_clean_json_lines(capsys, corpus_dir):
    files = sorted(str(p) for p in corpus_dir.glob("*.txt"))[:2]
    assert main(["clean", *files, "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        d = json.loads(line)
        assert set(d) >= {"path", "id", "title", "body", "published", "date_source", "scraped_at",
                          "dateline", "source", "url", "author", "entities", "removed"}


def test_stats(ixdir, capsys, corpus_dir):
    main(["reindex", str(corpus_dir)])
    capsys.readouterr()
    assert main(["stats", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["articles"] == 5 and d["index"] == str(ixdir)
    assert main(["stats"]) == 0
    assert "articles: 5" in capsys.readouterr().out


def test_unreadable_index_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "_MAIN_1.toc").write_bytes(b"garbage")
    assert main(["stats", "--index", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is damaged" in err[0] and str(bad) in err[0]


def test_serve_is_wired(monkeypatch, ixdir, corpus_dir):
    calls = []
    import web.server
    monkeypatch.setattr(web.server, "serve", lambda d, h, p, **kw: calls.append((d, h, p, kw)))
    monkeypatch.setenv("PORT", "5123")
    assert main(["reindex", str(corpus_dir)]) == 0
    assert main(["serve"]) == 0
    assert calls == [(str(ixdir), "127.0.0.1", 5123, {"base_url": None, "allowed_hosts": ()})]


def test_help_gives_examples_and_the_query_syntax(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "newsarchive search \"\" --entity FaK" in out
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    assert "query syntax:" in out and "entity:TTP" in out and "--since/--until" in out


def test_clean_does_not_load_the_index_package(tmp_path):
    """``clean`` is the quick look at one file: it starts without the index
    machinery (Whoosh, numpy arrays, story grouping)."""
    f = tmp_path / "a.txt"
    f.write_text("A short note about harbour fees rising in the spring.", "utf-8")
    code = ("import sys; from web.cli import main; rc = main(['clean', sys.argv[1]]); "
            "print('index' in sys.modules, 'whoosh' in sys.modules, rc)")
    p = subprocess.run([sys.executable, "-c", code, str(f)], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert p.stdout.strip().splitlines()[-1] == "False False 0", p.stdout + p.stderr


def test_the_program_ends_at_once_after_a_reindex_with_its_output_whole(tmp_path):
    """``newsarchive reindex`` ends its process without freeing its heap (see
    ``web.cli.run``): the JSON summary is still complete and the exit code
    right, piped or not, and a failing reindex still says why."""
    src = tmp_path / "src"
    src.mkdir()
    for k in range(30):
        (src / f"{k:02d}.txt").write_text(f"Story {k}\n\nThe harbour board met on Monday "
                                          f"about berth {k}.\n", "utf-8")
    ixd = tmp_path / "ix"
    p = run("reindex", str(src), "--index", str(ixd), "--json")
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout.strip().splitlines()[-1])
    assert summary["added"] == 30 and summary["articles"] == 30
    p = run("reindex", str(src), "--index", str(ixd))
    assert p.returncode == 0 and "unchanged  30" in p.stdout
    p = run("reindex", str(tmp_path / "missing"), "--index", str(ixd))
    assert p.returncode == 1 and "no such source" in p.stderr
