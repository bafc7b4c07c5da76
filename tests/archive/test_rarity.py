"""``stories.zipf_en`` is wordfreq's ``zipf_frequency(word, "en")`` without its
tokenizer for plain words: the two must agree exactly, or story signatures
and grouping would change with the shortcut."""
from __future__ import annotations

import random

from wordfreq import get_frequency_dict, zipf_frequency

from archive import stories


def test_plain_words_and_names_agree_with_wordfreq_on_the_word_list():
    words = sorted(w for w in get_frequency_dict("en", "best") if w.isascii() and w.isalpha()
                   and w.islower())
    assert len(words) > 100_000
    rng = random.Random(5)
    sample = words[::7] + [" ".join(rng.sample(words, k)) for k in (2, 3) for _ in range(3000)]
    bad = [w for w in sample if stories.zipf_en(w) != zipf_frequency(w, "en")]
    assert bad == []


def test_other_words_agree_too():
    """Unknown words, digits, capitals, accents, apostrophes, odd spacing:
    those go to wordfreq itself, and answer as it does."""
    rng = random.Random(6)
    odd = ["qzxv", "zzkjq mosque", "mosque zzkjq", "1987", "oil 1987", "Mosque", "café", "o'neill",
           "don't", "  the", "the  speech", "new-york", "", "x", "naïve", "straße", "\u0645\u0633\u062c\u062f"]
    odd += ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 9)))
            for _ in range(3000)]
    assert [stories.zipf_en(w) for w in odd] == [zipf_frequency(w, "en") for w in odd]


def test_rarity_is_unchanged():
    assert stories.rarity("the") == 0.25
    assert stories.rarity("qzxvkj") == 5.5
    assert stories.rarity("mosque") == min(5.5, max(0.25, 7.0 - zipf_frequency("mosque", "en")))
