"""The corpus the web tests run on: the five seed articles plus a few records
that exercise what the seeds cannot.

- ``hostile/1``: markup and spreadsheet formulas in every field a stranger
  controls (title, body, source, author, a ``javascript:`` URL) -- it must come
  out escaped on every page, in the feed and guarded in the CSV.
- A wire copy of seed 003 under its URL (an id with ``/``, ``?`` and ``&``),
  so the seeds' story has a version from another outlet.
- Four short dated stories in September and October 2025, so the date
  histogram has more than one month to click.

Built with the real loader and index (``index.open_index`` + ``reindex``).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import index

HOSTILE_ID = "hostile/1"
HOSTILE_TITLE = "=HYPERLINK(\"http://evil.example\",\"x\") <script>alert('title')</script>"
WIRE_URL = "https://wire.example/story/pak-afghan?ref=rss&x=1"

DATED = [
    ("wire/2025/0", "2025-09-03", "Border crossing at Torkham reopens after clashes",
     "Trucks carrying fruit and cement queued for kilometres at Torkham when the crossing "
     "reopened on Wednesday after four days of closure."),
    ("wire/2025/1", "2025-09-21", "Trade across the Chaman border slows to a trickle",
     "Traders in Chaman said exports of dry fruit had fallen by half since customs "
     "officials introduced new document checks last month."),
    ("wire/2025/2", "2025-10-12", "Ceasefire holds along the frontier, officials say",
     "A fragile ceasefire held for a third night as elders from both sides met in a "
     "jirga to discuss the release of detained herdsmen."),
    ("wire/2025/3", "2025-10-19", "Qatar and Turkiye mediate talks in Doha",
     "Delegations met in Doha under Qatari and Turkish mediation; a joint statement "
     "promised a mechanism to verify complaints about militant sanctuaries."),
]


#: Distinct filler stories in August 2025, so browsing has a second page.
_WORDS = ("apricot barley cement diesel engine ferry granite harvest irrigation jute kiln "
          "lumber marble nitrate orchard pipeline quarry rail saffron textile uranium "
          "vineyard wheat yarn zinc almond bauxite copper dairy emerald fertiliser gypsum "
          "honey indigo jasmine kerosene lentil mango nickel olive pomegranate").split()
FILLER = [
    (f"filler/{i}", f"2025-08-{2 + 3 * i:02d}",
     f"Market report: {_WORDS[i].title()} and {_WORDS[i + 8].title()} prices",
     # Words of its own (suffixed with the number) so that no two fillers
     # look like the same story to the grouping.
     " ".join(f"{w}{i}" for w in _WORDS[i:i + 14]) + ".")
    for i in range(8)
]


def build_corpus(root: Path, seeds: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for p in sorted(seeds.glob("*.txt")):
        shutil.copy(p, corpus / p.name)
    body3 = (seeds / "003_c6473db4c8a03bd4.txt").read_text("utf-8")
    records = [
        {"id": HOSTILE_ID, "title": HOSTILE_TITLE,
         "body": "Officials said <script>alert('body')</script> the xsstoken talks would "
                 "continue.\n\nA second paragraph: <img src=x onerror=alert(2)> about the border.",
         "published": "2025-10-05", "source": "@Evil Source", "url": "javascript:alert(1)",
         "author": "-Mallory"},
        {"title": "Afghan Taliban joined Istanbul talks only to extend truce, Pakistan says",
         "body": body3.replace("ISLAMABAD:", "ISTANBUL:", 1), "published": "2025-11-09",
         "source": "Wire Service", "url": WIRE_URL},
    ]
    for rid, day, title, body in DATED + FILLER:
        records.append({"id": rid, "title": title, "body": body, "published": day,
                        "source": "Border Monitor", "url": f"https://monitor.example/{rid}"})
    with open(corpus / "extra.jsonl", "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    return corpus


@pytest.fixture(scope="module")
def web_index_dir(tmp_path_factory, corpus_dir) -> Path:
    root = tmp_path_factory.mktemp("webix")
    corpus = build_corpus(root, corpus_dir)
    ix = index.open_index(root / "index")
    summary = ix.reindex([corpus])
    assert summary.added == 5 + 2 + len(DATED) + len(FILLER), str(summary)
    ix.close()
    return root / "index"


def serve(app):
    """Serve ``app`` with waitress on a free loopback port in a thread; yields
    the base URL and stops the server after (for the browser fixtures)."""
    import threading

    from waitress.server import create_server

    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()
    thread.join(timeout=5)

