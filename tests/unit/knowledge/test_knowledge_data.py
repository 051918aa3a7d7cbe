"""The bundled knowledge data: structure, links and the facts customers rely on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from erni_agents.knowledge.models import (
    KnowledgeEntry,
    load_default_entries,
    load_entry_dicts,
    load_sitemap_pages,
    normalize_lang,
    page_to_entry,
)
from erni_agents.knowledge.search import split_sentences

PRICING = Path(__file__).resolve().parents[3] / "src" / "erni_agents" / "data" / "pricing.json"
SITE = "https://www.erni-gruppe.ch"
DIVISIONS = ("Planung", "Holzbau", "Spenglerei", "Ausbau", "Realisation", "Agrar")


@pytest.fixture(scope="module")
def entries() -> dict[str, KnowledgeEntry]:
    return {e.id: e for e in load_default_entries() if e.kind == "entry"}


@pytest.fixture(scope="module")
def sitemap_urls() -> set[str]:
    return {p["url"] for p in load_sitemap_pages()}


def test_default_entries_contain_entries_and_all_52_pages() -> None:
    docs = load_default_entries()
    kinds = [d.kind for d in docs]
    assert 35 <= kinds.count("entry") <= 60
    assert kinds.count("page") == 52
    assert len({d.id for d in docs}) == len(docs)


def test_every_entry_is_complete_and_short(entries: dict[str, KnowledgeEntry]) -> None:
    for entry in entries.values():
        assert entry.topic, entry.id
        for text in (entry.title_de, entry.title_en, entry.text_de, entry.text_en):
            assert text.strip(), entry.id
        for text in (entry.text_de, entry.text_en):
            assert 1 <= len(split_sentences(text)) <= 4, (entry.id, text)
        assert len(entry.keywords) >= 5, entry.id


def test_entry_urls_are_one_to_three_sitemap_pages(
    entries: dict[str, KnowledgeEntry], sitemap_urls: set[str]
) -> None:
    for entry in entries.values():
        assert 1 <= len(entry.urls) <= 3, entry.id
        assert len(set(entry.urls)) == len(entry.urls), entry.id
        assert set(entry.urls) <= sitemap_urls, entry.id


def test_pages_are_searchable_documents_linking_to_themselves() -> None:
    pages = [d for d in load_default_entries() if d.kind == "page"]
    for page in pages:
        assert page.id.startswith("page:")
        assert len(page.urls) == 1 and page.urls[0].startswith(SITE)
        assert page.title_de and page.title_en and page.keywords


def test_contact_facts(entries: dict[str, KnowledgeEntry]) -> None:
    contact = entries["contact"]
    for text in (contact.text_de, contact.text_en):
        assert "041 570 70 70" in text
        assert "kontakt@erni-gruppe.ch" in text
        assert "holzbau@holzbau-erni.ch" in text and "planung@holzbau-erni.ch" in text
    for text in (entries["location"].text_de, entries["location"].text_en):
        assert "Guggibadstrasse 8, 6288 Schongau" in text


def test_opening_hours_use_the_same_time_format_in_both_languages(
    entries: dict[str, KnowledgeEntry],
) -> None:
    for text in (entries["opening-hours"].text_de, entries["opening-hours"].text_en):
        for time in ("07:30", "12:00", "13:15", "17:00", "16:00"):
            assert time in text


def test_company_figures(entries: dict[str, KnowledgeEntry]) -> None:
    overview = entries["company-overview"]
    for text in (overview.text_de, overview.text_en):
        assert "1989" in text and "105" in text and "21" in text and "erni schafft Raum" in text
    assert "14'000 m²" in overview.text_de
    assert "14,000 m²" in overview.text_en


@pytest.mark.parametrize(
    ("entry_id", "lead", "phone"),
    [
        ("division-planung", "André Arnold", "041 570 70 74"),
        ("division-holzbau", "Andreas Wermelinger", "041 570 70 72"),
        ("division-spenglerei", "Alex Keller", "041 570 70 61"),
        ("division-ausbau", "Adrian Furrer", "041 570 70 81"),
        ("division-realisation", "Stefan Gisler", "041 570 70 76"),
        # No lead is on record for Agrar, so the entry points to the main number.
        ("division-agrar", "", "041 570 70 70"),
    ],
)
def test_divisions_name_lead_and_direct_line(
    entries: dict[str, KnowledgeEntry], entry_id: str, lead: str, phone: str
) -> None:
    for text in (entries[entry_id].text_de, entries[entry_id].text_en):
        assert lead in text and phone in text


def test_all_services_names_the_six_divisions_in_german_in_both_languages(
    entries: dict[str, KnowledgeEntry],
) -> None:
    for text in (entries["all-services"].text_de, entries["all-services"].text_en):
        for division in DIVISIONS:
            assert division in text


def test_certification_names_are_verbatim_in_both_languages(entries: dict[str, KnowledgeEntry]) -> None:
    for text in (entries["certifications"].text_de, entries["certifications"].text_en):
        assert "Minergie-Fachpartner Gebäudehülle" in text
        assert "Holzbau Plus" in text


def test_durations_use_the_right_units(entries: dict[str, KnowledgeEntry]) -> None:
    for entry_id in ("construction-time", "building-process"):
        entry = entries[entry_id]
        assert "2–4 Monate" in entry.text_de and "4–8 Wochen" in entry.text_de
        assert "1–3 Wochen" in entry.text_de
        assert "2–4 months" in entry.text_en and "4–8 weeks" in entry.text_en
        assert "1–3 weeks" in entry.text_en


def test_cost_ranges_follow_pricing_json(entries: dict[str, KnowledgeEntry]) -> None:
    pricing = json.loads(PRICING.read_text(encoding="utf-8"))["pricing"]
    cost = entries["cost-estimate"]
    for prices in pricing.values():
        for method in ("Holzbau", "Systembau"):
            low, high = prices[method], round(prices[method] * 1.25)
            assert f"{low:,}–{high:,}".replace(",", "'") in cost.text_de
            assert f"{low:,}–{high:,}" in cost.text_en
    assert "vorläufig" in cost.text_de and "preliminary" in cost.text_en


def test_german_texts_are_swiss_spelled(entries: dict[str, KnowledgeEntry]) -> None:
    for entry in entries.values():
        assert "ß" not in entry.text_de + entry.title_de, entry.id


def test_no_sentence_copied_from_the_reference_faq(entries: dict[str, KnowledgeEntry]) -> None:
    reference = Path("/work/shared/reference/erni-facts/erni_knowledge_base.json")
    if not reference.exists():
        pytest.skip("reference facts not available")
    faq = json.loads(reference.read_text(encoding="utf-8"))["faq"]
    source_sentences = {
        s.strip() for item in faq for s in re.split(r"(?<=[.!?])\s+", item["answer"]) if len(s) > 40
    }
    ours = " ".join(e.text_de + " " + e.text_en for e in entries.values())
    assert not [s for s in source_sentences if s in ours]


def test_entry_round_trips_through_plain_dicts() -> None:
    for item in load_entry_dicts():
        entry = KnowledgeEntry.from_dict(item)
        assert KnowledgeEntry.from_dict(entry.to_dict()) == entry
        assert entry.kind == "entry"


def test_entry_freezes_lists_and_rejects_unknown_kinds() -> None:
    entry = KnowledgeEntry.from_dict(
        {
            "id": "x",
            "topic": "t",
            "title_de": "T",
            "title_en": "T",
            "text_de": "Text.",
            "text_en": "Text.",
            "keywords": ["a", "b"],
            "urls": [f"{SITE}/"],
        }
    )
    assert entry.keywords == ("a", "b") and isinstance(entry.urls, tuple)
    hash(entry)
    with pytest.raises(ValueError):
        KnowledgeEntry.from_dict({**entry.to_dict(), "kind": "faq"})


def test_page_to_entry_uses_category_and_tags() -> None:
    page = load_sitemap_pages()[1]
    entry = page_to_entry(page)
    assert entry.kind == "page" and entry.topic == page["category"]
    assert entry.keywords == tuple(page["tags"]) and entry.urls == (page["url"],)


@pytest.mark.parametrize(
    ("lang", "expected"), [("de", "de"), ("de-CH", "de"), ("DE", "de"), ("en", "en"), ("fr", "en")]
)
def test_normalize_lang(lang: str, expected: str) -> None:
    assert normalize_lang(lang) == expected
