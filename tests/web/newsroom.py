"""A small newsroom archive, written for the entity-page and facet tests.

A port strike told across outlets and months, so one entity has several
names (the text defines "Harbour Workers Union (HWU)"), a timeline over
January to March 2026, people and places that appear beside it, several
sources and authors, and one undated article.  A second batch of market notes names
fourteen countries with falling counts, so the place facet has more values
than fit before "show more"; a ferry story run by two outlets is one story
with two versions to compare.  Every sentence here was written for these tests.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import index

UNION = "Harbour Workers Union"
LEADER = "Mira Castellanos"

STRIKE = [
    ("port/1", "2026-01-05", "Coastal Courier", "Dockers threaten to walk out",
     "The Harbour Workers Union (HWU) said on Monday that its members would stop work at the "
     "container terminal unless the port authority restored night-shift pay. "
     "Union secretary Mira Castellanos told reporters that talks had stalled."),
    ("port/2", "2026-01-12", "Coastal Courier", "Strike begins at the container terminal",
     "Cranes stood idle on Monday as the HWU began its strike. "
     "Mira Castellanos said the union would hold out for as long as it took."),
    ("port/3", "2026-01-14", "Evening Ledger", "Ships queue off the coast as strike bites",
     "More than twenty vessels waited at anchor. The HWU said pickets would stay at every gate, "
     "and Mira Castellanos accused the port authority of refusing to meet."),
    ("port/4", "2026-02-02", "Evening Ledger", "Mediator appointed in port dispute",
     "The labour ministry appointed a mediator after the HWU asked for talks to resume. "
     "Exporters in Portugal and Spain said shipments had been delayed."),
    ("port/5", "2026-03-20", "Harbour Notes", "Dock strike ends with pay deal",
     "At a mass meeting the Harbour Workers Union voted to accept a new pay offer, ending the "
     "strike. "
     "The HWU said night-shift pay would return in April."),
    ("port/6", None, "Harbour Notes", "Profile: the union that shut the port",
     "Founded by stevedores, the HWU has organised the docks for decades."),
]

#: One ferry story as two outlets ran it: most passages shared, each with its own.
FERRY_SHARED = [
    "A passenger ferry ran aground on a sandbank near the northern breakwater late on Thursday.",
    "All ninety-two passengers were taken off by lifeboats and brought ashore before midnight.",
    "The harbour master said the vessel had lost steering power in strong crosswinds.",
    "Divers will inspect the damaged hull at first light before a salvage tug tries to refloat it.",
]
FERRY = [
    ("ferry/1", "2026-02-19", "Coastal Courier", "Ferry runs aground near breakwater",
     " ".join(FERRY_SHARED[:2] + ["Three people were treated for mild hypothermia."]
              + FERRY_SHARED[2:])),
    ("ferry/2", "2026-02-20", "Evening Ledger", "Passengers rescued after ferry grounding",
     " ".join(FERRY_SHARED + ["Timetables for the island route have been suspended until Monday.",
                              "The operator apologised to travellers in a short statement."])),
]

#: Bylines as the outlets wrote them: "and" joins two people, a label goes;
#: the author facet counts Lena Ortiz 3, Tom Reyes 3, Ines Duarte 2.
AUTHORS = {"port/1": "Lena Ortiz", "port/2": "Lena Ortiz and Tom Reyes", "port/3": "Tom Reyes",
           "port/4": "By Ines Duarte", "port/5": "Lena Ortiz", "ferry/1": "Tom Reyes",
           "ferry/2": "Ines Duarte"}

COUNTRIES = ["France", "Germany", "Italy", "Spain", "Portugal", "Norway", "Sweden", "Finland",
             "Denmark", "Poland", "Austria", "Greece", "Ireland", "Belgium"]


def _market_notes():
    """Note i names the first 14 - i countries, so country k is in 14 - k notes."""
    out = []
    for i in range(len(COUNTRIES)):
        named = COUNTRIES[:len(COUNTRIES) - i]
        body = (f"Grain buyers reported steady demand in week {i + 1}. Shipments went to "
                + ", ".join(named[:-1]) + (" and " + named[-1] if len(named) > 1 else named[0])
                + f". Prices for barley lot {i + 101} were unchanged.")
        out.append({"id": f"grain/{i}", "title": f"Grain market note {i + 1}", "body": body,
                    "published": f"2025-{9 + i // 7:02d}-{1 + (i % 7) * 4:02d}",
                    "source": "Grain Weekly", "url": f"https://grain.example/{i}"})
    return out


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for rid, day, source, title, body in STRIKE + FERRY:
        rec = {"id": rid, "title": title, "body": body, "source": source,
               "url": f"https://news.example/{rid}"}
        if day:
            rec["published"] = day
        if rid in AUTHORS:
            rec["author"] = AUTHORS[rid]
        records.append(rec)
    records += _market_notes()
    with open(folder / "newsroom.jsonl", "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    return folder


@pytest.fixture(scope="session")
def newsroom_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("newsroom")
    corpus = write_corpus(root / "corpus")
    ix = index.open_index(root / "index")
    summary = ix.reindex([corpus])
    assert summary.added == len(STRIKE) + len(FERRY) + len(COUNTRIES), str(summary)
    ix.close()
    return root / "index"


@pytest.fixture(scope="session")
def newsroom(newsroom_dir):
    from web.app import create_app
    return create_app(newsroom_dir, testing=True).test_client()
