"""The loader's built tables (gazetteer, function-word lists) are saved once
and read back by the next process, instead of being built by every loader
worker of every reindex; what they answer must not change, and a file from
other code or data, or a damaged one, is never used."""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from archive import gazetteer as g
restored = g.restore_tables({path!r}) if {restore!r} else False
names = ["Paris", "Lahore", "Khyber Pakhtunkhwa", "Germany", "Springfield", "Xyzzyville"]
out = {{"restored": restored,
        "places": [repr(g.gazetteer().place(n)) for n in names],
        "demonym": repr(g.gazetteer().demonym("Pakistani")),
        "langs": [g.language(t) for t in ("the cat sat on the mat with the dog",
                  "der Hund und die Katze sind nicht hier", "el perro y el gato no son")],
        "function": [g.is_function_word(w) for w in ("Die", "Los", "Paris")]}}
print(json.dumps(out))
"""


def _probe(path, restore):
    import json
    got = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT), path=str(path),
                                                              restore=restore)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert got.returncode == 0, got.stderr[-2000:]
    return json.loads(got.stdout)


def test_saved_tables_answer_as_built_ones(tmp_path):
    from archive import gazetteer
    path = tmp_path / "tables.pickle"
    gazetteer.warm_tables(path)                 # builds (or reuses this process's) and saves
    assert path.exists()
    built, restored = _probe(path, False), _probe(path, True)
    assert restored["restored"] is True and built["restored"] is False
    assert {k: v for k, v in built.items() if k != "restored"} == \
        {k: v for k, v in restored.items() if k != "restored"}
    assert "Paris" in built["places"][0] and built["langs"][0] == "en"


def test_tables_of_other_code_or_a_damaged_file_are_not_used(tmp_path):
    from archive import gazetteer
    path = tmp_path / "tables.pickle"
    gazetteer.warm_tables(path)
    data = pickle.loads(path.read_bytes())
    data["key"] = "built by other code"
    path.write_bytes(pickle.dumps(data))
    assert _probe(path, True)["restored"] is False
    path.write_bytes(b"\x80\x05 not a pickle")
    assert _probe(path, True)["restored"] is False
    gazetteer.warm_tables(path)                 # a bad file is replaced by good tables
    assert _probe(path, True)["restored"] is True


def test_a_reindex_with_the_loader_pool_leaves_the_tables_for_the_next(tmp_path, monkeypatch):
    import index
    from index import loading, writer
    from tests._index_helpers import write_wire
    monkeypatch.setattr(writer, "PARALLEL_MIN_BYTES", 0)
    src = write_wire(tmp_path / "src" / "a.jsonl", 20, seed=2).parent
    ix = index.open_index(tmp_path / "ix")
    assert ix.reindex([src], progress=False).added == 20
    saved = tmp_path / "ix" / loading.TABLES_FILE
    assert _probe(saved, True)["restored"] is True


def test_tables_are_not_saved_on_a_nearly_full_disk(tmp_path, monkeypatch):
    """A cache never takes the space the index beside it needs."""
    from archive import gazetteer
    monkeypatch.setattr(gazetteer, "TABLES_MIN_FREE", 2 ** 62)
    gazetteer.warm_tables(tmp_path / "tables.pickle")
    assert list(tmp_path.iterdir()) == []
