"""Text cleaning: take the page furniture out of an article, and say what went.

Articles reach the archive as copies of web pages, and copies drag along
pieces of the page that are not the story: "Scroll to Top" buttons, embedded
tweets flattened to a line of text and a signature, "Also see:" links to other
stories, a lead paragraph the CMS printed twice, runs of blank lines.  Each
rule here removes one such kind of piece and records it as a
:class:`~archive.article.Removed`, so nothing leaves an article silently and a
reader can always check what cleaning did.

The rules are deliberately narrow -- whole lines that match a known shape.
Anything that merely *resembles* furniture stays: subheadings ("Harbouring of
TTP Leaders in Afghanistan") and paragraphs that paraphrase a tweet are part of
the story.  Cleaning is pure string work (no parsing), so it is cheap enough
to run on every one of tens of thousands of wire stories.
"""
from __future__ import annotations

import re
from functools import lru_cache
from operator import gt, ne

from .article import Removed

# --- paragraphs ---------------------------------------------------------------

_INDENT = re.compile(r"^(?: {2,}|\t)\S")


def _hard_wrapped(lines: list[str], widths: list[int] | None = None) -> bool:
    """True for text wrapped at a fixed width (wire copy, e-mail, Reuters).

    There a paragraph spans several lines and a new one starts at a blank or
    indented line.  Web copies instead put one paragraph on each line, and
    lines longer than ~100 characters show it.  ``widths`` are the lines'
    lengths without trailing white space, when the caller has them (a line
    is blank where that is 0).
    """
    if widths is None:
        widths = list(map(len, map(str.rstrip, lines)))
    full = list(filter(None, widths))
    if len(full) < 3:
        return False
    if max(full) > 100:
        return False
    wide = sum(map((45).__le__, full))
    return wide >= len(full) * 0.6


def _single_spaced(s: str) -> str:
    """``" ".join(s.split())``: runs of white space as one space, none at the
    ends.  An ASCII text without control characters (``isprintable``: its
    only white space is " "), double spaces or a space at either end is that
    already; C scans say so, where splitting it into words and joining them
    again costs some 80 instructions a character."""
    if s.isascii() and s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s
    return " ".join(s.split())


def _surplus_blank_lines(filled: list[bool]) -> int:
    """The blank lines that are not the single separator between two
    paragraphs, from whether each line holds text: all blank lines less one
    for each run of them between two lines of text (a line of text followed
    by a blank one opens such a run, unless the text ends in it), counted
    in C rather than line by line."""
    falls = sum(map(gt, filled, filled[1:]))
    if falls and not filled[-1]:
        falls -= 1                  # the blank lines at the end: all surplus
    return filled.count(False) - falls


def split_paragraphs(text: str, removed: list[Removed]) -> list[str]:
    """Split raw text into paragraphs, recording the whitespace dropped.

    One non-blank line is one paragraph, except in hard-wrapped text (see
    :func:`_hard_wrapped`), where lines are re-joined.  Single blank lines are
    the ordinary separator; leading, trailing and repeated blank lines and
    trailing whitespace are recorded (as counts: they have no visible text).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    ends = list(map(str.rstrip, lines))
    trailing = sum(map(ne, lines, ends))
    if trailing:
        removed.append(Removed("whitespace", f"trailing whitespace on {trailing} line(s)"))
    extra_blank = _surplus_blank_lines(list(map(bool, ends)))
    if text.endswith("\n"):
        extra_blank -= 1  # the final newline of a file is not a blank line
    if extra_blank > 0:
        removed.append(Removed("blank-lines", f"{extra_blank} surplus blank line(s)"))

    if not _hard_wrapped(lines, list(map(len, ends))):
        return [_single_spaced(l) for l in lines if l.strip()]
    # a leading "Source: Outlet" line is a line of its own, never the start of the lead
    paras, cur = [], []
    while lines and (not lines[0].strip() or _SOURCE_LINE.match(lines[0].strip())):
        if lines[0].strip():
            paras.append(_single_spaced(lines[0]))
        lines = lines[1:]
    for l in lines:
        t = l.strip()
        # (each regex only where its first character is: a stripped line
        # opens with no white space, so a rule opens with a rule character)
        if t[:1] in _RULE_OPENERS and len(t) <= 40 and _RULE.match(t):  # "---" stands alone
            if cur:
                paras.append(" ".join(cur))
            paras.append(t)
            cur = []
        elif not t or (l.startswith(("  ", "\t")) and _INDENT.match(l)):
            if cur:
                paras.append(" ".join(cur))
            cur = [t] if t else []
        else:
            cur.append(t)
    if cur:
        paras.append(" ".join(cur))
    return [_single_spaced(p) for p in paras if p.strip()]


# --- the rules ----------------------------------------------------------------

#: Whole lines that are page furniture, never story text (compared casefolded,
#: without surrounding punctuation).
FURNITURE = {
    "scroll to top", "back to top", "go to top", "top", "skip to content", "skip to main content",
    "advertisement", "advertisements", "sponsored", "sponsored content", "ad",
    "share", "share this", "share this article", "share this story", "share on facebook",
    "share on twitter", "tweet", "email", "print", "print this page", "comments",
    "leave a comment", "click to share on twitter", "click to share on facebook",
    "subscribe", "subscribe now", "sign up for our newsletter", "subscribe to our newsletter",
    "follow us", "follow us on twitter", "follow us on facebook", "related", "related articles",
    "related stories", "related posts", "you may also like", "more from this section",
    "loading", "loading...", "click here", "read more", "continue reading", "menu",
    "cookie settings", "accept cookies",
}
_FURNITURE_STRIP = " \t.:!>»«<-–—|•*#▲↑"

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
#: The signature an embedded tweet leaves in copied text:
#: ``— Khawaja M. Asif (@KhawajaMAsif) October 30, 2025``.
TWEET_SIGNATURE = re.compile(
    r"^[—–-]\s*[^()\n]{1,80}\(@\w{1,15}\)\s*" + _MONTH + r"\s+\d{1,2},\s+\d{4}\s*$")
_PIC_LINK = re.compile(r"^(?:pic\.twitter\.com/\w+|https?://t\.co/\w+)$")

#: ``Also see: <headline>`` and its cousins, one link per line.
RELATED_LINE = re.compile(
    r"^(?:also\s+(?:see|read)|see\s+also|read\s+also|read\s+more|related|more|recommended"
    r"|suggested\s+reading|must\s+read|don'?t\s+miss|watch"
    # the same in the languages of the html-dev pages
    r"|à\s+lire\s+aussi|lire\s+aussi|vea\s+también|lea\s+también|ver\s+también|lee\s+también"
    r"|lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|leia\s+também|leggi\s+anche)"
    # a hyphen separates only with space before it: "More-than-expected demand" is a headline
    r"(?:\s*[:：|–—»>]|\s+-)\s*\S", re.I)
#: A heading that introduces a related-story block: the headline and its
#: summary line follow under it.
RELATED_HEADING = re.compile(
    r"^(?:also\s+see|also\s+read|see\s+also|read\s+also|related(?:\s+(?:articles?|stories|news|posts?))?"
    r"|read\s+more|more\s+stories|recommended(?:\s+stories)?|you\s+may\s+also\s+like"
    r"|contenido\s+relacionado|à\s+lire\s+aussi|lesen\s+sie\s+auch|mehr\s+zum\s+thema)\s*:?$", re.I)
#: A short paragraph asking the reader to sign up for a newsletter.
SIGNUP = re.compile(r"\b(?:sign(?:ing)?[ -]?up|subscrib\w*)\b.*?\b(?:newsletter|e-?mail|inbox|here|free)\b"
                    r"|\bnewsletter\b.*?\b(?:sign(?:ing)?[ -]?up|subscrib\w*)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?…]['\"’”)]*$")
_WORD = re.compile(r"\w+")
#: A sentence that speaks to the reader: "Sign up for our newsletter." is the
#: page talking; "Voters can sign up by e-mail, the commission said." is news.
_TO_READER = re.compile(r"\b(?:you|your|our|(?-i:us))\b|^(?:sign(?:ing)?[ -]?up|subscribe|get|join|click|tap)\b",
                        re.I)
#: The last line of a copy pointing back at the original page.
FULL_ARTICLE = re.compile(
    r"^(?:\W{0,3})(?:(?:read|see|view|open|visit|continue\s+reading)\s+(?:the\s+)?(?:full|complete|original)"
    r"(?:\s+(?:web|online))?\s+(?:article|story|version|report|text)"
    r"|(?:full|complete|original)\s+(?:web\s+)?(?:article|story)\s*(?:here|at|on)?)\b.{0,120}$", re.I)
#: A line of only rule characters ("---", "* * *", "====").
_RULE = re.compile(r"^[-_*=~#•·\s]{3,}$")
#: what a stripped line of :data:`_RULE` opens with
_RULE_OPENERS = frozenset("-_*=~#•·")
_SOURCE_LINE = re.compile(r"^(?:source|quelle|fuente|fonte)\s*:\s*\S.{0,80}$", re.I)


@lru_cache(maxsize=256)
def _norm(s: str) -> str:
    """A paragraph compared for duplicates (cached: each paragraph is compared
    with the next one, so each is normalised for two comparisons)."""
    return _single_spaced(s).casefold()


def _is_furniture(p: str) -> bool:
    return len(p) <= 40 and (p.strip(_FURNITURE_STRIP).casefold() in FURNITURE or bool(_RULE.match(p)))


def _may_sign_up(p: str) -> bool:
    """Whether :data:`SIGNUP` can match ``p``: each of its matches holds "sign"
    or "subscrib", in any case.  (The regex, case-insensitive and opening with
    a word boundary, is tried at every position of every paragraph; the
    substring test is a C scan.)  Only ASCII text is answered so: there
    case-insensitive matching is ``lower()``, while elsewhere the regex also
    takes other letters ("ſ" for "s")."""
    if not p.isascii():
        return True
    low = p.lower()
    return "sign" in low or "subscrib" in low


def _signup_furniture(p: str, prev_removed: bool, next_p: str | None) -> bool:
    """A short sign-up plea in the form of furniture, not a sentence of the story.

    It is furniture when it does not read as a finished sentence ("Sign up
    for our newsletter"), when it speaks to the reader ("Get the briefing in
    your inbox."), or when it sits next to other furniture.  "Voters who wish
    to sign up for postal ballots can do so by e-mail, the commission said."
    is none of these and stays.
    """
    if not _may_sign_up(p) or len(p.split(None, 30)) > 30 or not SIGNUP.search(p):
        return False                    # (more than 30 words?)
    if not _SENTENCE_END.search(p) or _TO_READER.search(p):
        return True
    return prev_removed or (next_p is not None and _is_furniture(next_p))


def _headline_like(p: str) -> bool:
    return 2 <= len(p.split(None, 25)) <= 25 and not _SENTENCE_END.search(p)


def _summary_of(summary: str, headline: str, last: bool) -> bool:
    """Is ``summary`` the one-sentence teaser printed under ``headline``?"""
    if len(summary.split()) > 45 or len(re.findall(r"[.!?](?:\s|$)", summary)) > 1:
        return False
    if last:
        return True
    h = {w for w in _WORD.findall(headline.casefold()) if len(w) > 3}
    s = {w for w in _WORD.findall(summary.casefold()) if len(w) > 3}
    return bool(h) and len(h & s) >= 0.4 * len(h)


def clean_paragraphs(paras: list[str], removed: list[Removed]) -> list[str]:
    """Apply the furniture, tweet, related-link and duplicate rules in one pass."""
    out: list[str] = []
    i, n = 0, len(paras)
    # Leading "Source: Outlet" lines name the outlet (the loader keeps it as
    # the source); trailing "see the full article" lines point at the page.
    while i < n and i < 3 and _SOURCE_LINE.match(paras[i]) and len(paras[i].split()) <= 9 \
            and not _SENTENCE_END.search(paras[i].rstrip()):
        removed.append(Removed("source-line", paras[i]))
        i += 1
    tail = []
    while n > i + 1 and FULL_ARTICLE.match(paras[n - 1]) and len(paras[n - 1].split()) <= 25:
        tail.append(Removed("page-furniture", paras[n - 1]))
        n -= 1
    last_removed = -2  # index of the paragraph removed last
    while i < n:
        p = paras[i]
        if _is_furniture(p):
            removed.append(Removed("page-furniture", p))
            last_removed = i
            i += 1
            continue
        if _signup_furniture(p, last_removed == i - 1, paras[i + 1] if i + 1 < n else None):
            removed.append(Removed("page-furniture", p))
            last_removed = i
            i += 1
            continue
        if TWEET_SIGNATURE.match(p):
            # The tweet's text is the paragraph just before its signature
            # (and a pic.twitter.com link line, if the copy kept one).
            taken = [p]
            if out:
                taken.insert(0, out.pop())
                if _PIC_LINK.match(taken[0]) and out:
                    taken.insert(0, out.pop())
            removed.append(Removed("tweet", "\n".join(taken)))
            i += 1
            continue
        if RELATED_LINE.match(p) and len(p.split()) <= 30 and not _SENTENCE_END.search(p.rstrip()):
            removed.append(Removed("related-links", p))
            i += 1
            continue
        if RELATED_HEADING.match(p) and i + 1 < n and _headline_like(paras[i + 1]):
            block = [p, paras[i + 1]]
            j = i + 2
            if j < n and _summary_of(paras[j], paras[i + 1], last=(j == n - 1)):
                block.append(paras[j])
                j += 1
            removed.append(Removed("related-links", "\n".join(block)))
            i = j
            continue
        # (three words at least: repeated short table cells such as "- 4%" are data)
        if out and len(p.split(None, 3)) >= 3 and _norm(out[-1]) == _norm(p):
            removed.append(Removed("duplicate-paragraph", p))
            i += 1
            continue
        out.append(p)
        i += 1
    removed.extend(reversed(tail))
    return out


def clean_text(text: str, removed: list[Removed] | None = None) -> tuple[list[str], list[Removed]]:
    """Raw article text -> (clean paragraphs, every piece removed)."""
    removed = [] if removed is None else removed
    paras = split_paragraphs(text, removed)
    return clean_paragraphs(paras, removed), removed
