"""archive: raw news files in, clean :class:`Article` records out.

The first stage of the one-way flow ``corpus/ -> archive -> index -> web``.
It knows nothing of indexes or web pages.

- :func:`load_paths` walks files and folders and yields an ``Article`` or a
  ``Skipped`` (with a one-line reason) for every input; it never raises on bad
  input, only :class:`SourceError` when a named source does not exist.
- :func:`annotate` finds the entities of a batch of articles, resolves their
  aliases corpus-wide (plus curated aliases from ``corpus/aliases.toml``) and
  returns the :class:`Resolver` that maps any surface form to its entity.
"""
from .article import ENTITY_TYPES, Article, EntityMention, Removed, Skipped
from .load import SourceError, load_file, load_paths
from .entities import Resolver, annotate, build_resolver, extract_mentions

__all__ = [
    "ENTITY_TYPES", "Article", "EntityMention", "Removed", "Skipped",
    "SourceError", "load_file", "load_paths",
    "Resolver", "annotate", "build_resolver", "extract_mentions",
]
