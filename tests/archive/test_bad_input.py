"""Bad input never stops a load, and every problem is a Skipped with a one-line reason."""
import json
import os

import pytest

import archive.load
from archive import Article, Skipped, SourceError, load_file, load_paths
from archive.decode import MAX_FILE_BYTES

GOOD = ("ISLAMABAD: Pakistan’s Foreign Office said on Sunday that the talks had ended.\n"
        "The third round of talks began on Wednesday in Istanbul.\n")


def skipped(res):
    assert len(res) == 1 and isinstance(res[0], Skipped), res
    assert "\n" not in res[0].reason and res[0].reason
    return res[0]


def test_whole_folder_of_bad_files_still_loads_the_good_one(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n\t\n", "utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "nul.html").write_bytes(b"<html>\x00\x00\x00\x01\x02" * 50)
    (tmp_path / "bad.json").write_text('{"title": "x", "body": ', "utf-8")
    (tmp_path / "scripts.html").write_text("<html><head><script>var a=1;</script></head>"
                                           "<body><script>track()</script></body></html>", "utf-8")
    res = list(load_paths([tmp_path]))
    arts = [r for r in res if isinstance(r, Article)]
    skips = {os.path.basename(s.path): s.reason for s in res if isinstance(s, Skipped)}
    assert [a.id for a in arts] == [f"{tmp_path.name}/good.txt"]
    assert skips["empty.txt"] == "empty file" and skips["blank.txt"] == "empty file"
    assert "binary" in skips["image.txt"] and "PNG" in skips["image.txt"]
    assert "binary" in skips["nul.html"]
    assert skips["bad.json"].startswith("invalid JSON")
    assert "no article text" in skips["scripts.html"]
    assert len(res) == 7  # one record for every file: nothing silent


def test_invalid_utf8_is_decoded_with_detected_charset(tmp_path):
    f = tmp_path / "cp1252.txt"
    f.write_bytes(("Café owners in Zürich said the “new rules” would hurt trade, "
                   "and the council’s vote was postponed.\nA second paragraph follows here.")
                  .encode("cp1252"))
    [a] = load_file(f, tmp_path)
    assert a.body.startswith("Café owners in Zürich said the “new rules”")


def test_declared_html_charset_is_used(tmp_path):
    f = tmp_path / "latin.html"
    body = "<p>" + "Die Bürger von Köln wählten am Sonntag einen neuen Stadtrat für die Zukunft. " * 6 + "</p>"
    f.write_bytes(f'<html><head><meta charset="iso-8859-1"><title>Köln wählt</title></head>'
                  f'<body><article>{body}{body}</article></body></html>'.encode("latin-1"))
    [a] = load_file(f, tmp_path)
    assert "Die Bürger von Köln wählten" in a.body and a.title == "Köln wählt"


def test_utf8_with_one_broken_byte_stays_utf8(tmp_path):
    f = tmp_path / "mostly.txt"
    f.write_bytes("Zażółć gęślą jaźń – 2025 ❤\nŁódź — Kraków \xff".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    [a] = load_file(f, tmp_path)
    assert "Zażółć gęślą jaźń" in a.body and "Łódź" in a.body


def test_50_mb_file_is_skipped_with_its_size(tmp_path):
    f = tmp_path / "dump.txt"
    with open(f, "wb") as fh:
        fh.truncate(50 * 2**20)  # sparse: the size is what matters
    s = skipped(load_file(f, tmp_path))
    assert s.reason.startswith("too large") and "50.0 MB" in s.reason


def test_large_jsonl_streams_past_the_whole_file_limit(tmp_path):
    f = tmp_path / "export.jsonl"
    body = "The market rose on Monday as traders bought shares. " * 40
    n = 0
    with open(f, "w", encoding="utf-8") as fh:
        while fh.tell() <= MAX_FILE_BYTES + 2**20:
            n += 1
            fh.write(json.dumps({"id": f"r{n}", "title": f"Story {n}", "body": body}) + "\n")
    res = load_file(f, tmp_path)
    assert len(res) == n and all(isinstance(r, Article) for r in res)


def test_bad_jsonl_line_is_skipped_others_load(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_bytes(b'{"id": "a", "body": "First story text here."}\n'
                  b'{"id": "b", "body": \n'
                  b'[1, 2]\n'
                  b'{"id": "c", "title": "no body"}\n'
                  + '{"id": "d", "body": "Caf\u00e9 latin-1 line."}\n'.encode("latin-1")
                  + b'{"id": "e", "body": "Last story text here."}\n')
    res = load_file(f, tmp_path)
    assert [r.id for r in res if isinstance(r, Article)] == ["a", "d", "e"]
    skips = {s.path: s.reason for s in res if isinstance(s, Skipped)}
    assert set(skips) == {f"{f}#L2", f"{f}#L3", f"{f}#L4"}
    assert skips[f"{f}#L2"].startswith("invalid JSON")
    assert "Café" in next(r for r in res if getattr(r, "id", None) == "d").body


def test_broken_and_truncated_html_load_what_is_sound(tmp_path):
    from tests.pages import STORY, news_page
    data = news_page("Old bridge repairs begin after floods", STORY * 3).encode("utf-8")
    cut = tmp_path / "cut.html"
    cut.write_bytes(data[: len(data) * 2 // 3])
    [a] = load_file(cut, tmp_path)
    assert isinstance(a, Article) and "bridge repairs" in a.title and len(a.body) > 500
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><div><p>" + GOOD * 20 + "<p><b>unclosed <i>tags</div></td>"
                      "</table><p>More text that follows the mess. " * 3, "utf-8")
    [b] = load_file(broken, tmp_path)
    assert isinstance(b, Article) and "third round of talks" in b.body


def test_symlink_loops(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "ok.txt").write_text(GOOD, "utf-8")
    (sub / "loop").symlink_to(tmp_path)  # a folder loop: walked once, no recursion
    res = list(load_paths([tmp_path]))
    skips = {os.path.basename(s.path): s.reason for s in res if isinstance(s, Skipped)}
    assert skips == {"a.txt": "symlink loop", "b.txt": "symlink loop",
                     "dangling.txt": "broken symlink (target missing)"}
    assert [a.id for a in res if isinstance(a, Article)] == [f"{tmp_path.name}/sub/ok.txt"]


def test_unreadable_file(tmp_path, monkeypatch):
    # Tests run as root, where chmod 000 does not stop reading: simulate it.
    f = tmp_path / "locked.txt"
    f.write_text(GOOD, "utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(archive.load, "open", denied, raising=False)
    assert skipped(load_file(f, tmp_path)).reason == "unreadable: Permission denied"


def test_fifo_and_directory_named_like_articles(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    (tmp_path / "folder.json").mkdir()
    assert "not a regular file" in skipped(load_file(tmp_path / "pipe.txt", tmp_path)).reason
    assert "directory" in skipped(load_file(tmp_path / "folder.json", tmp_path)).reason
    res = list(load_paths([tmp_path / "pipe.txt"]))
    assert len(res) == 1 and isinstance(res[0], Skipped)


def test_unknown_extension_named_explicitly_is_reported(tmp_path):
    f = tmp_path / "notes.docx"
    f.write_bytes(b"PK\x03\x04whatever")
    s = skipped(list(load_paths([f])))
    assert "unsupported file type" in s.reason


def test_missing_source_raises_source_error(tmp_path):
    with pytest.raises(SourceError, match="no such source"):
        list(load_paths([tmp_path / "nope"]))


def test_json_that_is_not_an_article(tmp_path):
    for name, content in {"num.json": "42", "empty_list.json": "[]", "nobody.json": '{"title": "x"}',
                          "deep.json": "[" * 100000 + "]" * 100000}.items():
        (tmp_path / name).write_text(content, "utf-8")
        s = skipped(load_file(tmp_path / name, tmp_path))
        assert s.path == str(tmp_path / name) or s.path.startswith(str(tmp_path / name) + "#")
