"""TEMPORARY STUB (the entities issue replaces this file): finds nothing."""
from __future__ import annotations

from typing import Iterable, Optional

from .article import Article, EntityMention


def extract_mentions(article: Article) -> dict:
    """Per-article, corpus-independent part: surface forms with counts and type guesses,
    plus alias hints the text teaches. JSON-serialisable."""
    return {"forms": {}, "hints": []}


class Resolver:
    def __init__(self, table: Optional[dict] = None):
        self.table = table or {}

    def resolve(self, surface: str):
        """(canonical, type) for any surface form, or None."""
        return self.table.get(surface.casefold())

    def forms(self, canonical: str) -> list[str]:
        return [s for s, (c, _) in self.table.items() if c == canonical]

    def apply(self, mentions: dict) -> list[EntityMention]:
        return []

    def to_json(self) -> dict:
        return {"table": self.table}

    @classmethod
    def from_json(cls, data: dict) -> "Resolver":
        return cls(data.get("table"))


def build_resolver(all_mentions: Iterable[dict], curated_path=None) -> Resolver:
    return Resolver()


def annotate(articles: list[Article], curated_path=None) -> Resolver:
    mentions = [extract_mentions(a) for a in articles]
    r = build_resolver(mentions, curated_path)
    for a, m in zip(articles, mentions):
        a.entities = r.apply(m)
    return r
