"""web: the archive's front ends over one open index -- the last stage of
``corpus/ -> archive -> index -> web``.

- :mod:`web.cli`: the ``newsarchive`` command (reindex, search, show, stats,
  entity, clean, serve);
- :mod:`web.app`: the Flask application factory; its blueprints are
  :mod:`web.search_views` (search page, Atom feed, CSV export),
  :mod:`web.article_views`, :mod:`web.entity_views` and :mod:`web.api` (JSON),
  sharing :mod:`web.index_access` (the index handle, error answers);
- :mod:`web.server`: ``newsarchive serve`` (waitress, loopback by default).

Nothing here writes the index except ``newsarchive reindex`` through the
library.
"""
