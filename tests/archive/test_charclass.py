"""``archive.charclass``: the runs of a character class by ``str.translate`` and
``str.split`` must be exactly what ``findall`` of the class gives, for ASCII
text (the ``bytes.translate`` path) and any other (the table path)."""
from __future__ import annotations

import random
import re

from archive.charclass import CharClass

TEXTS = [
    "",
    "   ",
    "Exampleton, March 3 - The Sample Co said its 1,250.5 mln dlr offer stands.",
    "U.S. grain.\tFarmers' co-op\x1c(sorghum)\x1f 3/4 of it_was sold: 12x, x12!",
    "Ärger in Köln: İstanbul ﬁnal — “Zoë’s” café, ½ price, Ⅻ, 1² and ٣٤ days.",
    "Σίσυφος ς 中文字 \u0301e\u200bf \xa0non\u2028breaking\u3000space \ud800 lone",
]


def _random_texts(n=3000, seed=3):
    rng = random.Random(seed)
    alphabet = list("aZ09_-.,/*' \n\t\x0b\x1d") + ["é", "İ", "ß", "½", "Ⅻ", "٣", "’", "\u0301",
                                                 "\xa0", "\u2028", "Σ", "中", "𝐀", "𝟎", "Ⓐ"]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(n)]


def test_runs_are_the_regex_runs_of_the_class():
    for pattern, extra in ((r"[^\W\d_]", ""), (r"[^\W_]", ".,/"), (r"[\w*]", "."),
                           (r"[\w'’\-]", "")):
        cls = CharClass(pattern, extra)
        rx = re.compile(f"(?:{pattern}|[{re.escape(extra)}])+" if extra else f"{pattern}+")
        for text in TEXTS + _random_texts():
            assert cls.runs(text) == rx.findall(text), (pattern, text)


def test_spaced_keeps_offsets():
    cls = CharClass(r"[^\W\d_]")
    for text in TEXTS:
        spaced = cls.spaced(text)
        assert len(spaced) == len(text)
        assert all(s == c if re.fullmatch(r"[^\W\d_]", c) else s == " "
                   for s, c in zip(spaced, text))


def test_ascii_and_other_text_agree():
    """The same letters answer the same whether the text around them is ASCII or not."""
    cls = CharClass(r"[^\W\d_]")
    text = "Rates rose 2.5 pct, the U.S. said_today"
    assert cls.runs(text) == cls.runs(text + " é")[:-1] == ["Rates", "rose", "pct", "the", "U", "S",
                                                             "said", "today"]


def test_a_class_holding_white_space_is_refused():
    try:
        CharClass(r"[\w ]")
    except AssertionError:
        return
    raise AssertionError("a class with a space must be refused")
