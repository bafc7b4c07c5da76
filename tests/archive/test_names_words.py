"""``names._wordlike`` (the words ``is_headline`` and ``is_shouting_line`` count)
reads a line by C string passes; it must give exactly the regex's words."""
from __future__ import annotations

import random

from archive import mentions, names

LINES = [
    "",
    "Harbouring of TTP Leaders in Afghanistan",
    "U.S. SORGHUM CWT X-1986 3.50-3.75 (Dlrs/Bu) 1986/87 _note 'quoted' --dash 12abc",
    "it's the co-op's 3rd quarter; Rock'n'roll -- O’Neil’s ’90s _x x_ 1_a",
    "Ärger in Köln: İstanbul ﬁnal, ½ price, Ⅻ Olympiad, 1² and ٣٤abc days.",
]


def test_wordlike_is_the_regex_words():
    rng = random.Random(4)
    alphabet = list("aZ09_-'’ .,\t") + ["é", "½", "Ⅻ", "٣", "ß", "\u0301", "中"]
    lines = LINES + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
                     for _ in range(3000)]
    for line in lines:
        assert names._wordlike(line) == tuple(names._WORDLIKE.findall(line)), line


def test_shouting_lines():
    assert names.is_shouting_line("U.S. SORGHUM CWT RATES UNCHANGED")
    assert not names.is_shouting_line("The U.S. said OPEC and the IEA met")
    assert not names.is_shouting_line("the rates held")
    assert not names.is_shouting_line("A B C D e")          # one-letter words do not count


def test_only_a_line_ending_in_a_figure_may_be_a_date_line():
    for line in ("EXAMPLETOWN 1996-08-30", "SAMPLE CITY, Exampleland 1996-12-06  ",
                 "Exampleville, March 3, 1987", "Sampleton 3 March 1987"):
        assert mentions._DATE_LINE.match(line) and mentions._may_be_date_line(line)
    for line in ("Exampleton said on Monday.", "1996-08-30 EXAMPLETOWN", ""):
        assert not mentions._may_be_date_line(line) and not mentions._DATE_LINE.match(line)


def test_word_before_is_the_last_regex_word_of_the_40_characters_before():
    text = ("Officials of the co-op's board, O’Neil's deputy -- and 3_rd-party (X1) said "
            "Ana Example; ’twas 1986/87 __ Exampleton")
    for pos in range(len(text) + 1):
        words = mentions._WORD_BEFORE.findall(text, max(0, pos - 40), pos)
        assert mentions._word_before(text, pos) == (words[-1].lower() if words else ""), pos
    assert mentions._word_before(text, text.index("Ana")) == "said"
