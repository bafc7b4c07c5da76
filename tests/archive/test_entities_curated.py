"""Curated aliases (aliases.toml) change what the text alone would say."""
import pytest

import archive
from archive.curated import CuratedError, load


def _annotate(corpus_dir, toml):
    arts = [a for a in archive.load_paths([corpus_dir]) if isinstance(a, archive.Article)]
    return archive.annotate(arts, toml), {a.id.split("/")[-1]: a for a in arts}


def test_curated_alias_merges_names_the_text_keeps_apart(corpus_dir, tmp_path):
    before, arts_before = _annotate(corpus_dir, None)
    assert before.resolve("FO") != before.resolve("MoFA")
    toml = tmp_path / "aliases.toml"
    toml.write_text('[[entity]]\nname = "Ministry of Foreign Affairs"\ntype = "org"\n'
                    'aliases = ["Foreign Office", "FO", "MoFA"]\n', "utf-8")
    after, arts = _annotate(corpus_dir, toml)
    assert after.resolve("FO") == after.resolve("MoFA") == ("Ministry of Foreign Affairs", "org")
    # The facet of 003 now lists the ministry, with the mentions of both names.
    ents = {e.name: e for e in arts["003_c6473db4c8a03bd4.txt"].entities}
    assert "Foreign Office" not in ents
    fo = {e.name: e for e in arts_before["003_c6473db4c8a03bd4.txt"].entities}["Foreign Office"]
    assert ents["Ministry of Foreign Affairs"].mentions == fo.mentions
    # Learned aliases still hold under the curated name.
    assert after.resolve("BLA") == before.resolve("BLA")


def test_curated_name_type_and_ignore_win(corpus_dir, tmp_path):
    toml = tmp_path / "aliases.toml"
    toml.write_text('ignore = ["Operation Zarb-i-Azb"]\n\n[[entity]]\nname = "TTP"\n'
                    'type = "other"\naliases = ["Pakistani Taliban"]\n', "utf-8")
    r, arts = _annotate(corpus_dir, toml)
    assert r.resolve("Fitna-al-Khawarij") == ("TTP", "other")
    assert r.resolve("Pakistani Taliban") == ("TTP", "other")
    assert r.resolve("Operation Zarb-i-Azb") is None
    assert all("TTP" in {e.name for e in a.entities} for a in arts.values())


def test_two_curated_entities_never_merge(corpus_dir, tmp_path):
    toml = tmp_path / "aliases.toml"
    # The text ties FaK to TTP; the editor says otherwise.
    toml.write_text('[[entity]]\nname = "Tehreek-e-Taliban Pakistan"\naliases = ["TTP"]\n\n'
                    '[[entity]]\nname = "Fitna-al-Khawarij"\naliases = ["FaK"]\n', "utf-8")
    r, _ = _annotate(corpus_dir, toml)
    assert r.resolve("TTP")[0] == "Tehreek-e-Taliban Pakistan"
    assert r.resolve("FaK")[0] == "Fitna-al-Khawarij"


def test_source_folder_and_missing_file(corpus_dir, tmp_path):
    assert [e.name for e in load(corpus_dir).entities][:2] == [
        "Tehreek-e-Taliban Pakistan", "Balochistan Liberation Army"]
    assert load(tmp_path / "nope.toml").entities == []
    assert load(None).entities == []


@pytest.mark.parametrize("text", ['[[entity]]\ntype = "org"\n',
                                  '[[entity]]\nname = "X"\ntype = "company"\n',
                                  'ignore = "Also"\n', "[[entity]\n"])
def test_malformed_toml_says_why(tmp_path, text):
    p = tmp_path / "aliases.toml"
    p.write_text(text, "utf-8")
    with pytest.raises(CuratedError, match="aliases.toml"):
        load(p)
