"""Title and body postings pooled ahead of the writer, on an idle core.

In a full reindex the archive-wide passes (the entity resolver, the story
items, the story pass: some 35 s at 190k articles) run on one core while
the other waits; then both cores add documents, and putting each title and
body posting into Whoosh's posting pool is a quarter of that.  Those
postings do not depend on the passes: the loader workers made them, and in
a full reindex the documents' order, and so their numbers in each of the
two segments, is known once the files are loaded (``sorted(ids)``, the
first half written by the side segment's process).  So a forked process
pools them meanwhile, segment by segment, into sorted runs of terms
(:func:`index._whoosh.term_pool`) and hands back their paths and each
document's title and body lengths.  The writers then give those fields one
placeholder posting per document (:data:`index._whoosh.PREPOOLED`, whose
frequency is the length Whoosh stores for scoring) and merge the runs in
at commit (:func:`index._whoosh.add_runs`): the same segment files.

Only a full reindex does this: an increment's documents come with the
relinked ones, known only after the story pass.
"""
from __future__ import annotations

import multiprocessing
import shutil
from array import array
from dataclasses import dataclass
from pathlib import Path

from . import _whoosh
from .errors import IndexError_
from .forked import die_with_parent, sendable

#: the fields pooled ahead, and the spooled record's postings of each
FIELDS = (("title", "_pt"), ("body", "_pb"))


@dataclass
class Ahead:
    """One segment's pooled fields: the runs' paths, and per document number
    the length of each field (-1: no prepared postings, so the writer
    indexes that document's fields itself)."""
    runs: list
    lengths: dict


class PrePool:
    """The forked process pooling ``segments`` (per segment, its documents'
    spool offsets in document-number order) under ``folder``."""

    def __init__(self, spool, segments: list, folder: Path, limitmb: float):
        self.folder = Path(folder)
        self.folder.mkdir(exist_ok=True)
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_main, daemon=True,
                                args=(spool, segments, self.folder, limitmb, send))
        self.proc.start()
        send.close()

    def result(self) -> list:
        """Each segment's :class:`Ahead`; raises what failed in the process."""
        try:
            kind, value = self._recv.recv()
        except EOFError:
            raise IndexError_("the posting process stopped without a result "
                              f"(exit code {self.proc.exitcode})") from None
        finally:
            self._recv.close()
            self.proc.join()
        if kind == "error":
            raise value
        return value

    def stop(self) -> None:
        """Kill the process if it is still running and remove its runs."""
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.cleanup()

    def cleanup(self) -> None:
        """Remove what is left of the runs (the writers remove those they read)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def pool_segment(spool, offsets, folder: Path, limitmb: float) -> Ahead:
    """The title and body postings of the documents at ``offsets`` (document
    number = position), as ``add_document`` would hand them to the pool:
    the prepared weights times a field boost of 1.0, which changes no float."""
    pool = _whoosh.term_pool(folder, limitmb)
    add = pool.add
    lengths = {field: array("q") for field, _ in FIELDS}
    for docnum, off in enumerate(offsets):
        post = spool.postings(off)
        prepared = post.get(FIELDS[0][1]) is not None    # as the writer's _add decides
        for field, key in FIELDS:
            if not prepared:
                lengths[field].append(-1)
                continue
            n = 0
            for tbytes, freq, weight, vbytes in post.get(key) or ():
                n += freq
                add((field, tbytes, docnum, weight, vbytes))
            lengths[field].append(n)
    return Ahead(_whoosh.write_ahead(pool), lengths)


def _main(spool, segments, folder, limitmb, conn) -> None:
    """Body of a :class:`PrePool` process."""
    die_with_parent()
    try:
        spool.reopen()
        out = [pool_segment(spool, offsets, folder, limitmb) for offsets in segments]
        conn.send(("ok", out))
    except BaseException as e:  # noqa: BLE001 -- reported to the writer, which raises it
        conn.send(("error", sendable(e)))
    finally:
        conn.close()
