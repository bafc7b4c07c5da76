"""A reader for Reuters-21578's SGML, the collection `make eval` and the
benchmarks read in place (the caller names the folder; see
:data:`bench.evalkit.SHARED`).

The collection is other people's copyright: it is never copied into the
project, and no test reads it.  This module turns its SGML into plain dicts
(and, on request, into JSONL files in a temporary folder, the archive's own
input format), so the benchmarks exercise the same loader users do.

The SGML is Latin-1, uses control-character entities (``&#3;``) and has a
few malformed times (``605:12:19``); all are tolerated here.
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import re
from pathlib import Path
from typing import Iterator, Optional

_DOC = re.compile(r"<REUTERS(?P<attrs>[^>]*)>(?P<doc>.*?)</REUTERS>", re.S)
_CTRL = re.compile(r"&#(\d+);")
_MONTHS = {m: i for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}


def _tag(doc: str, name: str) -> Optional[str]:
    m = re.search(rf"<{name}>(.*?)</{name}>", doc, re.S)
    return m.group(1) if m else None


def _list(doc: str, name: str) -> list[str]:
    inner = _tag(doc, name) or ""
    return re.findall(r"<D>(.*?)</D>", inner)


def _text(raw: Optional[str]) -> str:
    if raw is None:
        return ""
    raw = _CTRL.sub(lambda m: "" if int(m.group(1)) < 32 else m.group(0), raw)
    return html.unescape(raw).replace("\x03", "").strip()


def _date(raw: Optional[str]) -> Optional[str]:
    """'26-FEB-1987 15:01:01.79' -> '1987-02-26' (time is often malformed; ignored)."""
    m = re.match(r"\s*(\d{1,2})-([A-Z]{3})-(\d{4})", raw or "")
    if not m:
        return None
    try:
        return _dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))).isoformat()
    except (KeyError, ValueError):
        return None


def iter_stories(reuters_dir, limit: Optional[int] = None,
                 with_body_only: bool = True) -> Iterator[dict]:
    """Yield one dict per story: id, title, body, published, dateline,
    and the hand-made tags places/people/orgs."""
    n = 0
    for f in sorted(Path(reuters_dir).glob("reut2-*.sgm")):
        data = f.read_text("latin-1")
        for m in _DOC.finditer(data):
            doc = m.group("doc")
            newid = re.search(r'NEWID="(\d+)"', m.group("attrs"))
            body = _text(_tag(doc, "BODY"))
            if with_body_only and not body:
                continue
            body = re.sub(r"\s*Reuter\s*$", "", body)
            yield {
                "id": f"reuters-{newid.group(1) if newid else n}",
                "title": _text(_tag(doc, "TITLE")),
                "body": body,
                "published": _date(_tag(doc, "DATE")),
                "dateline": _text(_tag(doc, "DATELINE")).rstrip(" -"),
                "source": "Reuters",
                "places": _list(doc, "PLACES"),
                "people": _list(doc, "PEOPLE"),
                "orgs": _list(doc, "ORGS"),
            }
            n += 1
            if limit is not None and n >= limit:
                return


def repeated(stories: list[dict], times: int) -> Iterator[dict]:
    """The stories ``times`` over with new ids and dates shifted by whole years,
    for the ~190k-article scale runs."""
    for k in range(times):
        for s in stories:
            if k == 0:
                yield s
                continue
            d = dict(s)
            d["id"] = f"{s['id']}-x{k}"
            if s.get("published"):
                y = int(s["published"][:4]) + k
                d["published"] = f"{y}{s['published'][4:]}".replace("-02-29", "-02-28")
            yield d


def write_jsonl(stories, folder: Path, per_file: int = 5000) -> list[Path]:
    """Write stories as JSONL files (the archive's input format) under ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, fh, count = [], None, 0
    for s in stories:
        if fh is None or count >= per_file:
            if fh:
                fh.close()
            p = folder / f"reuters-{len(paths):03d}.jsonl"
            paths.append(p)
            fh = p.open("w", encoding="utf-8")
            count = 0
        rec = {k: s[k] for k in ("id", "title", "body", "published", "source")}
        fh.write(json.dumps(rec) + "\n")
        count += 1
    if fh:
        fh.close()
    return paths
