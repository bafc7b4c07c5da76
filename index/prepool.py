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

Once it has handed the runs over, the process goes on: it merges each
segment's runs and encodes every term as the segment will hold it
(:func:`index._whoosh.encode_runs`: the posting blocks and the term index
row), side segment first.  Merging and encoding those terms was most of each
writer's commit, and the pooling alone left this core idle for the story
pass (some 17 s at 190k articles).  A writer at commit takes the encoded run
if it is there, waits for it while the process runs, and merges the plain
runs itself if the process ended without it (:meth:`Ahead.settle`).

Only a full reindex does this: an increment's documents come with the
relinked ones, known only after the story pass.
"""
from __future__ import annotations

import multiprocessing
import os
import select
import shutil
import threading
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
    #: where the segment's encoded run will appear (None: it will not)
    encoded: str | None = None
    #: read end of a pipe the process holds open while it lives
    alive_fd: int | None = None
    #: how the encoded run was encoded (:func:`encoding`)
    encoding: dict | None = None

    def settle(self) -> str | None:
        """The encoded run's path once it is whole, waiting for it while the
        process runs; None if the process ended without it (the writer then
        merges :attr:`runs` itself)."""
        if not self.encoded or self.alive_fd is None:
            return None
        while True:
            if os.path.exists(self.encoded):
                return self.encoded
            try:
                ended, _, _ = select.select([self.alive_fd], [], [], 0.05)
            except (OSError, ValueError):        # the pipe is gone: do not wait
                ended = True
            if ended:                            # end of file: the process exited
                return self.encoded if os.path.exists(self.encoded) else None


class PrePool:
    """The forked process pooling ``segments`` (per segment, its documents'
    spool offsets in document-number order) under ``folder``."""

    def __init__(self, spool, segments: list, folder: Path, limitmb: float,
                 encoding: dict | None = None):
        """``encoding``: ``{"step", "comp", "fixed"}`` as the writers will
        encode postings (:func:`encoding`), or None: runs only."""
        self.folder = Path(folder)
        self.folder.mkdir(exist_ok=True)
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        # nothing is written to this pipe: its read end sees end of file when
        # the process, the only holder of the write end, has exited
        self.alive_fd, alive_w = os.pipe()
        self.proc = ctx.Process(target=_main, daemon=True,
                                args=(spool, segments, self.folder, limitmb, send,
                                      encoding, self.alive_fd))
        self.proc.start()
        send.close()
        os.close(alive_w)

    def result(self) -> list:
        """Each segment's :class:`Ahead`; raises what failed in the process."""
        try:
            kind, value = self._recv.recv()
        except EOFError:
            raise IndexError_("the posting process stopped without a result "
                              f"(exit code {self.proc.exitcode})") from None
        finally:
            self._recv.close()
        if kind == "error":
            self.proc.join()
            raise value
        return value

    def stop(self) -> None:
        """Kill the process if it is still running and remove its runs."""
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        if self.alive_fd is not None:
            os.close(self.alive_fd)
            self.alive_fd = None
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


def encoding(schema) -> dict:
    """How the writers of an index with ``schema`` will encode the pooled
    fields' postings with Whoosh's default codec (:func:`index._whoosh.encoding_of`
    gives the same of a writer, which takes encoded runs only if equal)."""
    from whoosh.codec.whoosh3 import W3Codec
    codec = W3Codec()
    return {"step": codec._blocklimit, "comp": codec._compression,
            "fixed": {f: schema[f].format.fixed_value_size() for f, _ in FIELDS}}


def _main(spool, segments, folder, limitmb, conn, encoding=None, alive_fd=None) -> None:
    """Body of a :class:`PrePool` process."""
    die_with_parent()
    try:
        spool.reopen()
        out = [pool_segment(spool, offsets, folder, limitmb) for offsets in segments]
    except BaseException as e:  # noqa: BLE001 -- reported to the writer, which raises it
        conn.send(("error", sendable(e)))
        conn.close()
        return
    todo = []
    if encoding is not None:
        for k, ahead in enumerate(out):
            # a document without prepared postings has them in its writer's own
            # pool: such a segment's terms are merged by the writer
            if ahead.runs and all(min(a, default=0) >= 0 for a in ahead.lengths.values()):
                ahead.encoded, ahead.alive_fd = str(Path(folder) / f"encoded-{k}.run"), alive_fd
                ahead.encoding = encoding
                todo.append(ahead)
    # the runs and lengths go to the writer while this process encodes (the
    # writer reads them only when its documents are about to be added)
    sender = threading.Thread(target=_send, args=(conn, out))
    sender.start()
    for ahead in todo:
        try:
            _whoosh.encode_runs(ahead.runs, ahead.encoded, ahead.lengths, encoding["step"],
                                encoding["comp"], encoding["fixed"])
        except Exception:  # noqa: BLE001 -- the writer merges the plain runs itself
            break
    sender.join()


def _send(conn, out) -> None:
    try:
        conn.send(("ok", out))
    finally:
        conn.close()
