"""The loader's C-scan shortcuts give what the regexes they stand in for give."""
import random
import re

from archive import clean, dates, names
from archive.json_format import FIELDS, pick_fields

_TEXTS = ["", "Jan", "Dan Marino said on March 3, 2025", "6 November", "the 8th of  Nov 2025", "6–7 Dec",
          "Market 5 Maybe", "\x01an Feb", "x 30th\nof\tSept. 2025", "2025-11-08", "ſign up", "Sign-up for our newsletter",
          "Al-Qaeda and U.S.-Japan talks", "al-Qaeda", "İstanbul ‐Qom", "a  b\tc\x1c", " lead", "---", "  indented"]


def _randoms(n, seed=3):
    rnd = random.Random(seed)
    alpha = list("JanFebMarDec 0123 -–\n\t.,'ofthsnrd") + ["May ", "Sign", "subscribe", "newsletter", "\x01",
                                                          "X", "al-", "  ", "\u00a0", "İ", "ſ"]
    return ["".join(rnd.choice(alpha) for _ in range(rnd.randint(0, 40))) for _ in range(n)]


def test_month_words_are_the_month_abbreviations():
    for t in _TEXTS + _randoms(3000):
        assert dates._month_words(t) == [m.start() for m in dates._MONTH_START.finditer(t)], t


def test_day_month_gate_is_the_regex():
    for t in _TEXTS + _randoms(3000):
        assert dates._has_day_month(t, dates._month_words(t)) == bool(dates._IN_DAY_MONTH.search(t)), t


def test_may_sign_up_whenever_signup_matches():
    for t in _TEXTS + _randoms(3000):
        if clean.SIGNUP.search(t):
            assert clean._may_sign_up(t), t


def test_single_spaced_is_split_and_join():
    for t in _TEXTS + _randoms(3000):
        assert clean._single_spaced(t) == " ".join(t.split()), t


def test_surplus_blank_lines_counts_as_line_by_line():
    rnd = random.Random(5)
    for _ in range(2000):
        filled = [rnd.random() < 0.5 for _ in range(rnd.randint(1, 12))]
        extra, run, seen = 0, 0, False
        for f in filled:
            if f:
                extra += (run if not seen else run - 1) if run else 0
                run, seen = 0, True
            else:
                run += 1
        assert clean._surplus_blank_lines(filled) == extra + run, filled


def test_token_pattern_is_the_gate():
    for t in _TEXTS + _randoms(3000):
        want = names._TOKEN if names._PARTICLE_GATE.search(t) else names._TOKEN_NO_PARTICLE
        assert names._token_pattern(t) is want, t


def test_pick_fields_takes_the_first_accepted_key_with_a_value():
    rnd = random.Random(7)
    keys = [k for ks in FIELDS.values() for k in ks] + ["Title", "date-published", "x"]
    vals = [None, "", [], {}, "a", 0, False, ["x"], {"name": "N"}]
    for _ in range(3000):
        rec = {rnd.choice(keys): rnd.choice(vals) for _ in range(rnd.randint(0, 8))}
        lower = {k.lower().replace("-", "_"): v for k, v in rec.items()}
        lower.update({k.replace("_", ""): v for k, v in list(lower.items())
                      if "_" in k and k.replace("_", "") not in lower})
        out = pick_fields(rec)
        for field, ks in FIELDS.items():
            first = next((lower[k] for k in ks if lower.get(k) not in (None, "", [], {})), None)
            if first is None:
                assert field not in out
            elif field == "url" and isinstance(first, (dict, list)):
                assert field not in out          # (a URL must be a string)
            elif field not in ("source", "title"):
                assert out[field] is first
        assert list(out) == [f for f in FIELDS if f in out]
