"""The bilingual tokenizer: folding, stemming, compounds, stop words."""

from __future__ import annotations

import pytest

from erni_agents.knowledge.search import BilingualTokenizer, stem


@pytest.fixture(scope="module")
def tokenizer() -> BilingualTokenizer:
    # A small lexicon is enough for compound splitting of the words under test.
    lexicon = BilingualTokenizer.base_stems("Holz Fassade Zeiten Stelle Lehre Dach Haus Familie")
    return BilingualTokenizer(lexicon)


def terms(tokenizer: BilingualTokenizer, text: str) -> set[str]:
    return set(tokenizer.tokens(text))


def test_lowercases_and_folds_umlauts_both_ways(tokenizer: BilingualTokenizer) -> None:
    folded = terms(tokenizer, "Gebäudehülle")
    assert folded & terms(tokenizer, "Gebaeudehuelle")
    assert folded & terms(tokenizer, "gebaudehulle")


@pytest.mark.parametrize(
    "variants",
    [
        ("Öffnungszeiten", "geöffnet", "offen", "Wänn händ ihr offä?"),
        ("Zertifizierungen", "Zertifikat", "zertifiziert"),
        ("certification", "certificates", "certified"),
        ("Garantie", "Garantien", "garantiert"),
        ("Planung", "planen", "planning"),
        ("Haus", "Häuser", "Hauses"),
        ("farmer", "farmers"),
        ("roofing", "roof"),
    ],
)
def test_word_families_share_a_term(tokenizer: BilingualTokenizer, variants: tuple[str, ...]) -> None:
    first = terms(tokenizer, variants[0])
    for variant in variants[1:]:
        assert first & terms(tokenizer, variant), (variants[0], variant)


def test_compounds_are_split_into_known_parts(tokenizer: BilingualTokenizer) -> None:
    assert {"holz", "fassad"} <= terms(tokenizer, "Holzfassade")
    assert {"lehr", "stell"} <= terms(tokenizer, "Lehrstellen")
    assert {"famili", "haus"} <= terms(tokenizer, "Mehrfamilienhäuser")


def test_unknown_words_are_not_split_into_nonsense(tokenizer: BilingualTokenizer) -> None:
    assert terms(tokenizer, "Spenglerei") == {"spengl"}


def test_stop_words_of_both_languages_are_dropped(tokenizer: BilingualTokenizer) -> None:
    assert tokenizer.tokens("Was ist das und wie geht es?") == ["geht"]
    assert tokenizer.tokens("What is the and how are you?") == []
    assert tokenizer.tokens("Händ ihr das?") == []


def test_question_words_only_when_nothing_else_is_asked(tokenizer: BilingualTokenizer) -> None:
    assert tokenizer.groups("Wo seid ihr?", fallback_words=False) == []
    assert [g.stems for g in tokenizer.groups("Wo seid ihr?")] == [("wo",)]


def test_english_offer_is_not_conflated_with_off() -> None:
    assert stem("offer") == "offer"
    assert stem("care") != stem("car")


def test_numbers_survive(tokenizer: BilingualTokenizer) -> None:
    assert {"041", "570", "70"} <= terms(tokenizer, "041 570 70 70")
