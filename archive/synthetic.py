"""Synthetic wire stories for tests and benchmarks that must run anywhere.

A fresh clone has no evaluation data beside it, yet the scale, crash and
concurrency tests need thousands of realistic articles.  This module makes
them: dated, datelined wire copy with people (given name and surname, later
the surname alone), organisations introduced as "Long Name (ACR)" and then
referred to by the acronym, real place names, quotations, and now and then the
same story reprinted by a second outlet.  Everything is invented from small
word lists in this file (the project's own words), so it carries nobody's
copyright.

The output is deterministic for a given ``seed`` and cheap (about 20,000
stories a second), so a test can build its corpus on the fly instead of
shipping one.
"""
from __future__ import annotations

import datetime as _dt
import json
import random
from pathlib import Path
from typing import Iterator

GIVEN = ("Amina Daniel Fatima George Hannah Imran Julia Karim Laura Marco Nadia Omar Paula Rafael "
         "Sara Tomas Ursula Victor Yasmin Zoltan Elena Farid Greta Hugo Irene Jonas Leila Mateo").split()
SURNAMES = ("Okafor Lindqvist Haddad Moreau Castellano Brandt Nakamura Petrov Quayle Rahimi Sorensen "
            "Tavares Ueda Valdez Whitcombe Yilmaz Zielinski Achterberg Bellamy Carvalho Drummond "
            "Esposito Fairweather Grimaldi Holloway Ivanova Jaramillo Kowalczyk").split()
TITLES = ("Finance Minister", "Trade Minister", "central bank governor", "spokeswoman",
          "spokesman", "chief executive", "union leader", "mayor", "Senator", "analyst")
ORGS = (("Northern Grain Council", "NGC"), ("Federal Shipping Authority", "FSA"),
        ("Coastal Workers Union", "CWU"), ("National Energy Board", "NEB"),
        ("Regional Development Bank", "RDB"), ("Allied Metals Corporation", "AMC"),
        ("United Farmers Party", "UFP"), ("Harbour Safety Commission", "HSC"),
        ("Continental Rail Company", "CRC"), ("Institute for Water Studies", "IWS"))
PLACES = ("Lisbon", "Nairobi", "Oslo", "Karachi", "Lima", "Hanoi", "Accra", "Tbilisi", "Quito",
          "Manila", "Dakar", "Riga", "Montevideo", "Tunis", "Almaty", "Colombo", "Dhaka", "Zagreb")
OUTLETS = ("Harbour Wire", "Daily Ledger", "Evening Courier", "Plains Gazette", "Metro Observer")
TOPICS = (
    ("wheat", "harvest", "the wheat harvest", "grain exports", "tonnes of wheat"),
    ("port", "strike", "the dock strike", "cargo handling", "container ships"),
    ("budget", "deficit", "the budget deficit", "public spending", "tax receipts"),
    ("flood", "rain", "the floods", "river levels", "relief supplies"),
    ("rail", "fares", "the rail fare increase", "commuter services", "new carriages"),
    ("copper", "mine", "the copper mine", "ore output", "smelter capacity"),
    ("oil", "crude", "crude oil output", "oil prices", "barrels of crude oil"),
    ("bank", "rates", "the rise in bank rates", "bank lending", "mortgage rates"),
    ("trade", "tariffs", "the trade dispute", "export orders", "trade talks"),
    ("election", "vote", "the local election", "turnout", "polling stations"),
    ("water", "drought", "the drought", "reservoir levels", "irrigation quotas"),
)
VERBS = ("said", "told reporters", "said in a statement", "told a news conference", "added")
#: syllables of invented company names, so the vocabulary grows with the
#: archive as a real one does (thousands of distinct rare words)
SYLLABLES = ("bren val mor tek sil dan cor fen lis ram gel ost vin har quel "
             "ber tal nor pel sen dor mex lum riv cas").split()
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


DETAIL_VERBS = ("counted", "reported", "lost", "shipped", "stored", "repaired", "sold", "bought",
                "inspected", "delivered", "expected", "recorded")
DETAIL_NOUNS = ("trucks", "sacks", "pumps", "barges", "cranes", "generators", "crates", "wagons",
                "tents", "boats", "tractors", "drums", "pallets", "kilns", "looms")
DETAIL_WHEN = ("by Tuesday", "last winter", "before the holiday", "overnight", "since March",
               "in two weeks", "on the night shift", "after the inspection", "this season")


def _invented(rng: random.Random, parts: int, ends: tuple) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize() + rng.choice(ends)


def _detail(rng: random.Random) -> str:
    """A sentence of local colour in which nearly every five-word run holds a
    number or an invented name, as in real reporting, so two different
    stories share few long word runs and a reprint shares them all."""
    who = f"{rng.choice(GIVEN)} {_invented(rng, 2, ('son', 'er', 'ez', 'ova', 'ak', 'i'))}"
    where = _invented(rng, 2, ("ton", "by", "ford", "ham", "wick", "dal"))
    return (f"{who} of {where} {rng.choice(DETAIL_VERBS)} {rng.randint(3, 480)} "
            f"{rng.choice(DETAIL_NOUNS)} {rng.choice(DETAIL_WHEN)}, and {rng.randint(2, 90)} "
            f"{rng.choice(DETAIL_NOUNS)} went to {_invented(rng, 2, ('ville', 'port', 'field'))} "
            f"on {rng.choice(('Route', 'Dock', 'Gate', 'Pier'))} {rng.randint(1, 99)}.")


def _person(rng: random.Random) -> tuple[str, str, str]:
    given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
    return given, surname, rng.choice(TITLES)


def _story(rng: random.Random, k: int, start: _dt.date, span_days: int) -> dict:
    """One wire story: a headline, a dateline lead and five to nine paragraphs."""
    topic = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    org_long, org_short = rng.choice(ORGS)
    given, surname, title = _person(rng)
    given2, surname2, title2 = _person(rng)
    outlet = rng.choice(OUTLETS)
    day = start + _dt.timedelta(days=rng.randrange(span_days))
    pct = rng.randint(2, 40)
    amount = rng.randint(10, 900)
    quote = (f"\"We expect {topic[3]} to recover within {rng.randint(2, 11)} months if "
             f"the pressure from {topic[2]} eases,\" {surname} {rng.choice(VERBS)}.")
    paras = [
        f"{place.upper()}, {MONTHS[day.month - 1]} {day.day} ({outlet}) - The {org_long} "
        f"({org_short}) said on {day.strftime('%A')} that {topic[2]} in {place} had cut "
        f"{topic[3]} by {pct} percent, the sharpest fall in {rng.randint(3, 20)} years.",
        f"{title.capitalize() if title[0].islower() else title} {given} {surname} said the "
        f"{org_short} would review {topic[3]} at a meeting next week and publish new figures.",
        quote,
        f"{given2} {surname2}, {title2} at the {rng.choice(ORGS)[0]}, said {amount} million "
        f"dollars had been set aside for {topic[4]} and that talks would continue in "
        f"{rng.choice(PLACES)}.",
        f"The {org_short} has come under pressure from traders over {topic[1]} prices, which "
        f"rose {rng.randint(1, 9)}.{rng.randint(0, 9)} percent in the past month.",
    ]
    company = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
    paras.append(f"Shares in {company} {rng.choice(('Holdings', 'Group', 'Trading', 'Mills'))} "
                 f"{rng.choice(('rose', 'fell', 'were unchanged'))} after the announcement.")
    village = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() + rng.choice(
        ("ton", "by", "ford", "ham", "wick"))
    farmer = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() + rng.choice(
        ("son", "er", "ez", "ova", "ak"))
    paras.append(f"In the village of {village}, {rng.choice(GIVEN)} {farmer} said neighbours "
                 f"were {rng.choice(('worried', 'hopeful', 'angry', 'patient'))}.")
    for _ in range(rng.randint(2, 3)):
        paras.append(" ".join(_detail(rng) for _ in range(rng.randint(2, 3))))
    for _ in range(rng.randint(0, 2)):
        paras.append(
            f"{surname} said officials in {rng.choice(PLACES)} were watching {topic[3]} closely "
            f"and that {rng.randint(2, 60)} firms had asked for help with {topic[4]}.")
    slug = f"{topic[0]}-{place.lower()}-{k}"
    return {
        "id": f"syn-{k}",
        "title": f"{place} {topic[1]} {rng.choice(('hits', 'cuts', 'lifts', 'worries'))} "
                 f"{topic[3]}, {org_short} says",
        "body": "\n\n".join(paras),
        "published": day.isoformat(),
        "source": outlet,
        "url": f"https://{outlet.lower().replace(' ', '')}.example/{day:%Y/%m/%d}/{slug}",
        "author": f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}",
        "dateline": place,
    }


def stories(n: int, seed: int = 0, start: str = "2025-01-01", span_days: int = 365,
            reprint_share: float = 0.05) -> Iterator[dict]:
    """Yield ``n`` synthetic stories, deterministic for ``seed``.

    About ``reprint_share`` of them are an earlier story reprinted word for
    word by another outlet a day later (new id, url and source), which is what
    same-story grouping must find.
    """
    rng = random.Random(seed)
    day0 = _dt.date.fromisoformat(start)
    recent: list[dict] = []
    for k in range(n):
        if recent and rng.random() < reprint_share:
            orig = rng.choice(recent)
            outlet = rng.choice([o for o in OUTLETS if o != orig["source"]])
            day = _dt.date.fromisoformat(orig["published"]) + _dt.timedelta(days=1)
            s = dict(orig, id=f"syn-{k}", source=outlet, published=day.isoformat(),
                     url=f"https://{outlet.lower().replace(' ', '')}.example/"
                         f"{day:%Y/%m/%d}/reprint-{k}")
        else:
            s = _story(rng, k, day0, span_days)
        recent.append(s)
        if len(recent) > 50:
            recent.pop(0)
        yield s


def write_corpus(folder, n: int, seed: int = 0, fmt: str = "jsonl", per_file: int = 1000,
                 **kw) -> list[Path]:
    """Write ``n`` stories under ``folder`` in one of the archive's input
    formats: ``jsonl`` (``per_file`` records a file), ``json`` (one file a
    story) or ``txt`` (front matter, title line, body).  Returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    if fmt == "jsonl":
        fh = None
        for i, s in enumerate(stories(n, seed, **kw)):
            if i % per_file == 0:
                if fh:
                    fh.close()
                paths.append(folder / f"wire-{len(paths):03d}.jsonl")
                fh = paths[-1].open("w", encoding="utf-8")
            fh.write(json.dumps(s) + "\n")
        if fh:
            fh.close()
        return paths
    for s in stories(n, seed, **kw):
        if fmt == "json":
            p = folder / f"{s['id']}.json"
            p.write_text(json.dumps(s), "utf-8")
        elif fmt == "txt":
            p = folder / f"{s['id']}.txt"
            p.write_text(f"---\npublished: {s['published']}\nsource: {s['source']}\n"
                         f"url: {s['url']}\n---\n{s['title']}\n\n{s['body']}\n", "utf-8")
        else:
            raise ValueError(f"unknown format {fmt!r} (jsonl, json or txt)")
        paths.append(p)
    return paths
