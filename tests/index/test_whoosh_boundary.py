"""The index's boundary with Whoosh: nothing of Whoosh is patched, and the
shared segment mapping goes through the ``Storage`` handed to Whoosh.

An embedding program may hold Whoosh indexes of its own: ``import index``
(and searching with it) must leave every Whoosh class as Whoosh wrote it.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import index
from index import segfiles

ROOT = Path(__file__).resolve().parents[2]

_SNAPSHOT_AND_USE = textwrap.dedent('''
    import importlib, json, pkgutil, sys, tempfile
    from pathlib import Path
    import whoosh

    def snapshot():
        out = {}
        for info in pkgutil.walk_packages(whoosh.__path__, "whoosh."):
            try:
                mod = importlib.import_module(info.name)
            except Exception:
                continue
            for name, obj in list(vars(mod).items()):
                if isinstance(obj, type) and obj.__module__ == mod.__name__:
                    for attr, val in list(vars(obj).items()):
                        out[f"{mod.__name__}.{name}.{attr}"] = val
                elif callable(obj) and getattr(obj, "__module__", None) == mod.__name__:
                    out[f"{mod.__name__}.{name}"] = obj
        return out

    before = snapshot()
    from whoosh.codec import base
    from whoosh.filedb import structfile
    init, open_compound = structfile.BufferFile.__init__, base.Segment.open_compound_file

    import index, web.app                        # the library and the front ends
    root = Path(tempfile.mkdtemp())
    (root / "src").mkdir()
    (root / "src" / "a.jsonl").write_text(json.dumps({
        "id": "a1", "title": "Oil prices rise", "published": "2025-01-02",
        "body": "Oil prices rose on Tuesday as traders weighed supply."}) + "\\n")
    ix = index.open_index(root / "ix")
    ix.reindex([root / "src"], progress=False)
    assert ix.search("oil").total == 1
    ix.get("a1")

    after = snapshot()
    # copyreg caches __slotnames__ on a class the first time one is pickled
    changed = sorted(k for k in before if k in after and after[k] is not before[k])
    added = sorted(k for k in set(after) - set(before) if not k.endswith(".__slotnames__"))
    unpatched = (structfile.BufferFile.__init__ is init
                 and base.Segment.open_compound_file is open_compound)
    print(json.dumps({"changed": changed, "added": added, "unpatched": unpatched,
                      "checked": len(before)}))
''')


def test_importing_and_using_index_patches_no_whoosh_class():
    out = subprocess.run([sys.executable, "-c", _SNAPSHOT_AND_USE], cwd=ROOT,
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    import json
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["checked"] > 1000            # the snapshot saw Whoosh's classes
    assert got["unpatched"] is True
    assert got["changed"] == []
    assert got["added"] == []


def test_segment_files_are_mapped_once_per_process(tmp_path):
    data = bytes(range(256)) * 64
    (tmp_path / "MAIN_x.seg").write_bytes(data)
    storage = segfiles.SharedMapStorage(tmp_path)
    a, b = storage.open_file("MAIN_x.seg"), storage.open_file("MAIN_x.seg")
    assert a._buf.obj is b._buf.obj                 # one map, two views
    assert a.read(4) == data[:4] and a.get(300, 5) == data[300:305]
    part = a.subset(1000, 40)                       # a compound file's part
    assert part._buf.obj is a._buf.obj              # a view of the map, not a copy
    assert part.read(40) == data[1000:1040] and part.get(2, 3) == data[1002:1005]
    a.close()
    assert b.get(0, 3) == data[:3]                  # closing one view leaves the others


def test_a_rewritten_file_gets_a_new_map(tmp_path):
    path = tmp_path / "MAIN_x.seg"
    path.write_bytes(b"old contents")
    storage = segfiles.SharedMapStorage(tmp_path)
    old = storage.open_file("MAIN_x.seg")
    path.unlink()
    path.write_bytes(b"new contents, longer")
    new = storage.open_file("MAIN_x.seg")
    assert old.read(3) == b"old" and new.read(3) == b"new"


def test_empty_and_toc_files_are_opened_plainly(tmp_path):
    (tmp_path / "empty.seg").write_bytes(b"")
    (tmp_path / "_MAIN_1.toc").write_bytes(b"toc")
    storage = segfiles.SharedMapStorage(tmp_path)
    assert storage.open_file("empty.seg").read() == b""
    toc = storage.open_file("_MAIN_1.toc")
    assert not isinstance(toc.file, segfiles.ViewFile) and toc.read() == b"toc"


def test_the_index_reads_through_the_shared_storage(tmp_path):
    from tests._index_helpers import write_jsonl
    write_jsonl(tmp_path / "src" / "a.jsonl", [
        {"id": f"d{i}", "title": f"Wheat harvest {i}", "published": "2025-01-02",
         "body": f"Wheat and oil prices, report number {i}."} for i in range(20)])
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([tmp_path / "src"], progress=False)
    assert ix.search("wheat").total == 20
    s = ix._state().searcher
    assert isinstance(s._ix.storage, segfiles.SharedMapStorage)
    for sub, _ in s.leaf_searchers():
        assert isinstance(sub.reader()._terms._postfile.file, segfiles.ViewFile)


# -- every private reach in index/_whoosh.py, for one Whoosh version ----------------

from index import _whoosh  # noqa: E402

#: Whoosh's private attributes and names the fast paths read (posting blocks,
#: length columns, BM25F's per-field B, compound storage, the TOC).
WHOOSH_PRIVATES = re.compile(
    r"(?<!self)\.(_data|_read_data|_next_block|_read_values|_values|_byteids|_i|_perdoc|"
    r"_cached_reader|_field_B|_source|_btexts|_codec|_terms|_postfile|_buf|_fpath|"
    r"_latest_generation|_dir|_options|_file)\b"
    r"|\b(_lenfield|_DEF_INDEX_NAME)\b")

def _reaches(path: Path) -> list[str]:
    return [f"{path.name}:{n}: {line.strip()}"
            for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
            if WHOOSH_PRIVATES.search(line.split("#")[0])]


def test_whoosh_privates_are_read_only_in_index_whoosh():
    folder = ROOT / "index"
    assert _reaches(folder / "_whoosh.py")            # the pattern finds what is there
    found = [r for p in sorted(folder.glob("*.py"))
             if p.name != "_whoosh.py" for r in _reaches(p)]
    assert found == []


def test_the_private_pattern_catches_the_reaches_it_names():
    for line in ("m._data[0]", "reader._perdoc._cached_reader(x)", "w._field_B",
                 "leaf._btexts(r)", "TOC._latest_generation(s, n)", "from x import _lenfield"):
        assert WHOOSH_PRIVATES.search(line), line
    assert not WHOOSH_PRIVATES.search("self._data = {}")


def test_whoosh_is_the_version_the_boundary_was_written_for():
    assert _whoosh.WRITTEN_FOR == ("whoosh-reloaded", "2.7.5")
    assert _whoosh.installed_version() == "2.7.5"
    _whoosh.check_version("2.7.5")
    with pytest.raises(_whoosh.WhooshVersionError,
                       match=r"written for whoosh-reloaded==2\.7\.5 but 2\.7\.6 is"):
        _whoosh.check_version("2.7.6")


def test_another_whoosh_version_fails_at_import():
    script = ("import importlib.metadata as md\n"
              "real = md.version\n"
              "md.version = lambda name: '2.8.0' if name == 'whoosh-reloaded' else real(name)\n"
              "import index\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 1
    assert "WhooshVersionError" in out.stderr
    assert "written for whoosh-reloaded==2.7.5 but 2.8.0 is" in out.stderr
