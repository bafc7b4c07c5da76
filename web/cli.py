"""The ``newsarchive`` command line: reindex, search, show, clean, stats, serve.

Every command is a thin layer over the embedded library (:mod:`index`) and the
loader (:mod:`archive`), so the CLI, the web app and programs that import the
archive see exactly the same behaviour.  Failures a user can act on (index
locked by another writer, no index or a damaged one, no such source) end with
one line on stderr and a non-zero exit; a malformed query prints its message
and exits with status 2.  Only ``reindex`` creates an index.

Article text is written by strangers, so everything printed goes through
:func:`terminal_safe` first: an article must not be able to retitle the
terminal, clear it or write the clipboard (OSC 52).  ``--json`` output stays
JSON, with every control character written as a ``\\u`` escape.

Exit codes: 0 success, 1 failure, 2 bad usage or bad query.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from pathlib import Path


# -- printing to a terminal ------------------------------------------------------
#
# ESC/C1-introduced sequences a terminal acts on (ECMA-48), removed whole:
# "\x1b[2J" (clear), "\x1b]0;title\x07" (set title), "\x1b]52;c;...\x1b\\"
# (clipboard), "\x1bP...\x1b\\" (device control), "\x9b2J" (8-bit CSI).  A string
# command that never ends loses only its introducer; then every control
# character left (C0 but tab and newline, DEL, C1) is dropped.  Each pattern
# stops at the next ESC, so the pass is linear in the text.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"                     # CSI ... final byte
    r"|(?:\x1b[]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"   # OSC/DCS/SOS/PM/APC ... ST
    r"|\x1b[ -/]*[0-~]"                                      # two-byte and nF escapes
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def terminal_safe(text) -> str:
    """``text`` with every terminal escape sequence and control character removed
    (tab and newline kept)."""
    if text is None:
        return ""
    return _CONTROLS.sub("", _SEQUENCES.sub("", str(text)))


def _say(*lines, file=None) -> None:
    """Print ``lines`` made terminal-safe: every human-readable line goes through here."""
    print("\n".join(terminal_safe(x) for x in lines), file=file or sys.stdout)


def _json(obj) -> None:
    """Print ``obj`` as one line of JSON with no raw control character in it.

    ``json`` already escapes C0; DEL and C1 (which some terminals read as
    CSI) are escaped too.  They only occur inside strings, so this stays JSON.
    """
    text = json.dumps(obj, ensure_ascii=False)
    print(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def _index_dir(args) -> Path:
    import index
    return Path(args.index) if args.index else index.default_index_dir()


def _open(args, create: bool = False):
    """The index named by ``--index``; only ``reindex`` passes ``create``."""
    import index
    return index.open_index(_index_dir(args), create=create)


def _fail(msg: str, code: int = 1) -> int:
    _say(f"newsarchive: {' '.join(str(msg).split())}", file=sys.stderr)
    return code


# -- reindex -------------------------------------------------------------------

def cmd_reindex(args) -> int:
    from archive.load import missing_source
    sources = args.sources or ["corpus"]
    missing = missing_source(sources)
    if missing is not None:
        return _fail(f"no such source: {missing}")
    ix = _open(args, create=True)
    summary = ix.reindex(sources, full=args.full)
    global _quick_exit
    _quick_exit = True
    if args.json:
        _json(summary.to_dict())
        return 0
    _say(f"reindexed {', '.join(str(s) for s in sources)} into {ix.path}"
         f"{' (full rebuild)' if args.full else ''}")
    _say(f"  added      {summary.added}")
    _say(f"  updated    {summary.updated}")
    _say(f"  removed    {summary.removed}")
    _say(f"  unchanged  {summary.unchanged}")
    if summary.relinked:
        _say(f"  relinked   {summary.relinked}  (unchanged, but entities or story group changed)")
    _say(f"  superseded {len(summary.superseded)}  (older versions, kept as page history)")
    for path, aid in summary.superseded[:50]:
        _say(f"    {path} -> {aid}")
    if len(summary.superseded) > 50:
        _say(f"    ... and {len(summary.superseded) - 50} more")
    for c in summary.clashes:
        _say(f"  clash      {c['source']}: same folder name as {c['clashes_with']}; "
             f"its ids start with {c['prefix']}/")
    _say(f"  skipped    {len(summary.skipped)}")
    for path, reason in summary.skipped[:50]:
        _say(f"    {path}: {reason}")
    if len(summary.skipped) > 50:
        _say(f"    ... and {len(summary.skipped) - 50} more")
    _say(f"{summary.articles} articles in the index ({summary.seconds:.1f}s)")
    return 0


# -- search --------------------------------------------------------------------

_MARK_ON, _MARK_OFF = "\ue000", "\ue001"     # private-use stand-ins while cleaning


def _terminal_snippet(snippet: str, bold: bool) -> str:
    """The HTML snippet as terminal text: matches bold (brackets off a terminal),
    everything else unescaped and made terminal-safe (``&#27;`` is an ESC too)."""
    on, off = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    text = re.sub("[\ue000\ue001]", "", snippet)
    text = text.replace("<mark>", _MARK_ON).replace("</mark>", _MARK_OFF)
    text = terminal_safe(html.unescape(re.sub(r"<[^>]+>", "", text)))
    return text.replace(_MARK_ON, on).replace(_MARK_OFF, off)


def cmd_search(args) -> int:
    import index
    ix = _open(args)
    try:
        r = ix.search(args.query, entities=args.entity or (), since=args.since,
                      until=args.until, sort=args.sort, page=args.page, per_page=args.limit,
                      source=args.source, author=args.author)
    except index.QueryError as e:
        if args.json:       # the search JSON's shape, empty, plus the message
            _json(index.SearchResult(query=args.query, error=str(e)).to_dict())
        return _fail(str(e), 2)
    if args.json:
        _json(r.to_dict())
        return 0
    bold = sys.stdout.isatty()
    first = (r.page - 1) * r.per_page
    if r.total == 0:
        _say("no articles found")
    else:
        _say(f"{r.total} article{'s' if r.total != 1 else ''} "
             f"(page {r.page} of {r.pages}, sorted by {r.sort})")
    for i, h in enumerate(r.hits, first + 1):
        meta = " · ".join(x for x in (h.published or "undated", h.source) if x)
        _say(f"\n{i}. {h.title}")
        _say(f"   {meta}  [{h.id}]")
        print(f"   {_terminal_snippet(h.snippet, bold)}")     # already terminal-safe
        if h.same_story:
            _say(f"   also reported as: {', '.join(h.same_story)}")
    if r.suggestion:
        _say(f"\ndid you mean: {r.suggestion}")
    lines = []
    for key in ("person", "org", "place", "other", "source", "author"):
        vals = r.facets.get(key) or []
        if vals:
            lines.append(f"  {key}: " + ", ".join(f"{v['value']} ({v['count']})" for v in vals[:8]))
    if r.facets.get("month"):
        lines.append("  month: " + ", ".join(f"{v['value']} ({v['count']})"
                                             for v in r.facets["month"][-12:]))
    if lines:
        _say("\nfacets:", *lines)
    return 0


# -- show ----------------------------------------------------------------------

def cmd_show(args) -> int:
    ix = _open(args)
    doc = ix.get(args.id)
    if doc is None:
        return _fail(f"no article with id {args.id!r}")
    if args.json:
        _json(doc)
        return 0
    title = terminal_safe(doc["title"])
    _say(title)
    _say("=" * min(len(title), 78))
    meta = [f"id: {doc['id']}", f"published: {doc['published'] or 'unknown'}"
            + (f" (from {doc['date_source']})" if doc.get("date_source") else "")]
    for k in ("dateline", "source", "author", "url", "path"):
        if doc.get(k):
            meta.append(f"{k}: {doc[k]}")
    _say(*meta)
    if doc["entities"]:
        _say("entities: " + ", ".join(f"{e['name']} ({e['type']}, {e['mentions']})"
                                       for e in doc["entities"]))
    if doc.get("same_story"):
        _say("same story: " + ", ".join(doc["same_story"]))
    _say("")
    _say(doc["body"])
    return 0


# -- clean ---------------------------------------------------------------------

def cmd_clean(args) -> int:
    import archive
    from archive.load import missing_source
    missing = missing_source(args.files)
    if missing is not None:
        return _fail(f"no such file: {missing}")
    records = list(archive.load_paths(args.files))
    articles = [r for r in records if isinstance(r, archive.Article)]
    first = Path(args.files[0])
    curated = (first if first.is_dir() else first.parent) / "aliases.toml"
    try:
        archive.annotate(articles, curated if curated.is_file() else None)
    except Exception as e:  # noqa: BLE001 -- entities are an extra; still print the text
        _fail(f"entities not found: {e}")
    for rec in records:
        if isinstance(rec, archive.Skipped):
            if args.json:
                _json({"path": rec.path, "skipped": rec.reason})
            else:
                _say(f"skipped {rec.path}: {rec.reason}\n")
            continue
        d = rec.to_dict()
        if args.json:
            _json(d)
            continue
        _say(f"# {d['title']}")
        _say(f"path: {d['path']}", f"id: {d['id']}",
             f"published: {d['published']} ({d['date_source']})", f"dateline: {d['dateline']}",
             f"source: {d['source']}", f"url: {d['url']}", f"author: {d['author']}")
        if d["entities"]:
            _say("entities: " + ", ".join(f"{e['name']} ({e['type']})" for e in d["entities"]))
        if d["removed"]:
            _say(f"removed: {len(d['removed'])} piece(s): "
                 + ", ".join(sorted({r['kind'] for r in d['removed']})))
        _say("", d["body"], "")
    return 0


# -- stats ---------------------------------------------------------------------

def cmd_stats(args) -> int:
    ix = _open(args)
    st = ix.stats()
    if args.json:
        _json(st)
        return 0
    _say(f"index: {st['index']}")
    _say(f"articles: {st['articles']}  (story groups: {st['story_groups']}, undated: {st['undated']})")
    dr = st["date_range"]
    _say(f"dates: {dr['first']} .. {dr['last']}" if dr else "dates: none")
    _say("entities: " + ", ".join(f"{k} {v}" for k, v in st["entities"].items()))
    if st["sources"]:
        _say("sources: " + ", ".join(f"{s['value']} ({s['count']})" for s in st["sources"][:20]))
    _say(f"size: {st['index_size_bytes'] / 1e6:.1f} MB")
    last = st.get("last_reindex")
    if last:
        _say(f"last reindex: {last.get('finished')} ({last.get('added')} added, "
             f"{last.get('updated')} updated, {last.get('removed')} removed)")
    if st.get("writing"):
        _say("a reindex is running now")
    return 0


# -- entity --------------------------------------------------------------------

_plain = terminal_safe      # every printed piece of archive text goes through the one helper


def cmd_entity(args) -> int:
    """``newsarchive entity NAME``: the entity page in the terminal (or as JSON)."""
    ix = _open(args)
    try:
        ent = ix.entity(args.name)
    except ValueError as e:
        return _fail(str(e), 2)
    if ent is None:
        return _fail(f"no entity named {args.name!r} in the archive")
    if args.json:
        _json(ent)
        return 0
    _say(_format_entity(ent))
    return 0


_TYPE_WORD = {"person": "person", "org": "organisation", "place": "place", "other": "other"}
_RULE_WORD = {"acronym": "defined as an acronym in the text", "alias": "named so in the text",
              "initials": "initials beside the full name", "curated": "curated in aliases.toml",
              None: "rule not recorded"}


def _format_entity(ent: dict) -> str:
    out = []
    title = f"{_plain(ent['display'])} — {_TYPE_WORD.get(ent['type'], ent['type'])}"
    out += [title, "=" * min(len(title), 78)]
    dates = [a.get("published") for a in ent["first"][:1] + ent["latest"][:1]]
    line = f"id: {ent['id']} · {ent['articles']} article{'' if ent['articles'] == 1 else 's'}"
    if ent["undated"]:
        line += f" ({ent['undated']} undated)"
    if dates and all(dates):
        line += f" · {dates[0]} .. {dates[1]}"
    out.append(line)

    out += ["", "Names (articles that use the name; why it is this entity)"]
    width = min(max(len(_plain(f["form"])) for f in ent["forms"]), 40)
    for f in ent["forms"]:
        why = "canonical" if f["canonical"] else _RULE_WORD.get(f["rule"], f["rule"])
        out.append(f"  {_plain(f['form']):<{width}}  {f['articles']:>5}  {why}")
        for ev in f["evidence"][:1]:
            if ev.get("sentence"):
                s = _plain(ev["sentence"])
                out.append(f"  {'':<{width}}         “{s[:160]}{'…' if len(s) > 160 else ''}”")
            if ev.get("article"):
                out.append(f"  {'':<{width}}         in {_plain(ev['article'])}")
    if ent["forms_counted_in"] < ent["articles"]:
        out.append(f"  (counted over the newest {ent['forms_counted_in']} articles)")
    if ent["undo"]:
        out += ["", "A wrong merge? Add its line to aliases.toml (before any [[entity]]), "
                    "then reindex:"]
        out += [f"  {_plain(line)}" for line in ent["undo"]]

    tl = ent["timeline"]
    level = "month" if len(tl["year"]) <= 2 else "year"
    rows = tl[level]
    if rows:
        most = max(r["count"] for r in rows)
        out += ["", f"Timeline (by {level})"]
        for r in rows[-36:]:
            bar = "█" * max(1, round(30 * r["count"] / most))
            out.append(f"  {r['value']:<7}  {bar} {r['count']}")
    if ent["cooccurring"]:
        out += ["", "Appears with"]
        out += [f"  {c['count']:>5}  {_plain(c['name'])} ({c['type']})" for c in ent["cooccurring"]]
    if ent["sources"]:
        out += ["", "Sources"]
        out += [f"  {s['count']:>5}  {_plain(s['value'])}" for s in ent["sources"]]
    for key, label in (("first", "First articles"), ("latest", "Latest articles")):
        if ent[key]:
            out += ["", label]
            out += [f"  {a.get('published') or 'undated':<10}  {_plain(a.get('title') or a['id'])}"
                    f"  [{_plain(a['id'])}]" for a in ent[key]]
    return "\n".join(out)


def _add_entity_parser(sub, idx_help: str) -> None:
    e = sub.add_parser("entity", help="an entity: its names and why, timeline, neighbours",
                       description="Show what the archive knows about an entity: its names "
                                   "and why they were merged, the aliases.toml lines that "
                                   "undo a merge, its timeline, the entities that appear "
                                   "with it, its sources, first and latest articles.",
                       epilog='example: newsarchive entity TTP   (any name or the entity id)')
    e.add_argument("name", metavar="NAME", help="any name of the entity, or its id")
    e.add_argument("--json", action="store_true", help="the JSON of /api/entities/<id>")
    e.add_argument("--index", help=idx_help)
    e.set_defaults(func=cmd_entity)


# -- serve ---------------------------------------------------------------------

def cmd_serve(args) -> int:
    from web.server import serve   # lazily: the other commands need no Flask
    _open(args).close()            # no index: one line and exit 1 before anything starts
    try:
        serve(str(_index_dir(args)), args.host, args.port, base_url=args.base_url,
              allowed_hosts=args.allow_host or ())
    except ValueError as e:         # an unusable --base-url
        return _fail(str(e), 2)
    return 0


# -- wiring --------------------------------------------------------------------

def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("newsarchive")
    except Exception:  # noqa: BLE001 -- run from a checkout that is not installed
        return "unknown"


_EXAMPLES = """examples:
  newsarchive reindex corpus/                 index a folder (again: only what changed)
  newsarchive search 'ceasefire AND "Foreign Office"' --since 2025-10 --sort date
  newsarchive search "" --entity FaK          browse everything about one entity, by any name
  newsarchive entity TTP                      names, why they were merged, timeline
  newsarchive clean page.html --json          what the loader makes of one file
  newsarchive serve --port 5000               the web UI on http://127.0.0.1:5000/

'newsarchive COMMAND --help' describes each command."""

_QUERY_SYNTAX = """query syntax:
  ceasefire talks          both words          ceasefire OR truce   either word
  NOT Kabul                without the word    "foreign office"     the phrase
  title:ceasefire          in the title        entity:TTP           about the entity (any alias)
  source:Reuters           from the source     talib*  ceasfire~    prefix, fuzzy
  author:"Jo Bloggs"       in the byline       --author "Jo Bloggs" by exactly that author
Plain words match the text literally; entity: and --entity follow learned aliases.
Dates are filters: --since/--until take YYYY, YYYY-MM or YYYY-MM-DD (inclusive)."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsarchive", description="A searchable archive of news articles.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_EXAMPLES)
    p.add_argument("--version", action="version", version=f"newsarchive {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    idx_help = ("index folder (default: $NEWSARCHIVE_INDEX, else "
                "~/.local/share/newsarchive/index)")

    r = sub.add_parser("reindex", help="index files and folders (incremental)")
    r.add_argument("sources", nargs="*", metavar="SOURCE", help="files or folders (default: corpus/)")
    r.add_argument("--index", help=idx_help)
    r.add_argument("--full", action="store_true", help="rebuild the index from scratch")
    r.add_argument("--json", action="store_true", help="print the summary as JSON")
    r.set_defaults(func=cmd_reindex)

    s = sub.add_parser("search", help="search the archive",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog=_QUERY_SYNTAX)
    s.add_argument("query", metavar="QUERY")
    s.add_argument("--entity", action="append", metavar="NAME", help="filter by entity (any alias)")
    s.add_argument("--since", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    s.add_argument("--until", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    s.add_argument("--source", metavar="NAME", help="filter by source")
    s.add_argument("--author", metavar="NAME", help="filter by author (an exact name, as the "
                                                    "author facet lists it)")
    s.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    s.add_argument("--page", type=_positive, default=1)
    s.add_argument("--limit", type=_positive, default=10, help="hits per page (max 100)")
    s.add_argument("--json", action="store_true")
    s.add_argument("--index", help=idx_help)
    s.set_defaults(func=cmd_search)

    sh = sub.add_parser("show", help="show one article")
    sh.add_argument("id", metavar="ID")
    sh.add_argument("--json", action="store_true")
    sh.add_argument("--index", help=idx_help)
    sh.set_defaults(func=cmd_show)

    c = sub.add_parser("clean", help="load and clean files without indexing")
    c.add_argument("files", nargs="+", metavar="FILE")
    c.add_argument("--json", action="store_true", help="one JSON object per article, per line")
    c.set_defaults(func=cmd_clean)

    st = sub.add_parser("stats", help="what the index holds")
    st.add_argument("--json", action="store_true")
    st.add_argument("--index", help=idx_help)
    st.set_defaults(func=cmd_stats)

    sv = sub.add_parser("serve", help="serve the web UI")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=None, help="default: $PORT or 5000")
    sv.add_argument("--index", help=idx_help)
    sv.add_argument("--base-url", metavar="URL",
                    help="the archive's public address, used for absolute links such as "
                         "feeds (default: http://HOST:PORT/)")
    sv.add_argument("--allow-host", action="append", metavar="NAME",
                    help="also answer requests for this Host name (repeatable; the bound "
                         "host and the --base-url host are always allowed)")
    sv.set_defaults(func=cmd_serve)

    _add_entity_parser(sub, idx_help)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "port", 0) is None:
        try:
            args.port = int(os.environ.get("PORT") or 5000)
        except ValueError:
            return _fail(f"PORT is not a number: {os.environ.get('PORT')!r}", 2)
    try:
        return args.func(args)
    except Exception as e:
        # index is imported only by the commands that use it (``clean`` starts
        # faster without it), so its errors are recognised only if it was
        errors = sys.modules.get("index.errors")
        if errors is not None and isinstance(e, errors.IndexError_):
            return _fail(str(e))
        raise
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0


#: set by a reindex that completed: the program then ends without freeing its heap
_quick_exit = False


def run() -> None:
    """The ``newsarchive`` program: :func:`main`, then exit with its code.

    After a reindex the process holds hundreds of megabytes of tables and
    caches; Python freeing them object by object at exit took 0.3 s of a 1%
    increment's 15 s.  So a completed reindex flushes its output and ends the
    process at once (everything it wrote is already flushed and closed; the
    index was committed).  :func:`main` itself returns, for callers in
    process."""
    rc = main()
    if _quick_exit:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            pass
        os._exit(rc or 0)
    sys.exit(rc)


if __name__ == "__main__":
    run()
