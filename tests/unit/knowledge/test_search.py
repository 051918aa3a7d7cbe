"""Search and answers over the bundled knowledge base, with realistic customer phrasings."""

from __future__ import annotations

import re

import pytest

from erni_agents.domain.types import Language
from erni_agents.knowledge.models import KnowledgeEntry, load_default_entries, load_entry_dicts
from erni_agents.knowledge.search import Answer, Hit, KnowledgeBase

SITE = "erni-gruppe.ch"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase(load_default_entries())


def ask(kb: KnowledgeBase, query: str, lang: str) -> Answer:
    answer = kb.answer(query, lang)
    assert answer is not None, f"no answer for {query!r}"
    return answer


def looks_german(text: str) -> bool:
    words = re.findall(r"[a-zäöü]+", text.lower())
    german = sum(w in {"und", "die", "der", "das", "ist", "wir", "sie", "für", "mit", "unser"} for w in words)
    english = sum(w in {"and", "the", "is", "we", "you", "for", "with", "our", "of"} for w in words)
    return german > english


# ---- the required questions -------------------------------------------------------------------


def test_why_wood(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Why should I choose wood for my house?", "en")
    assert any(word in answer.text for word in ("CO2", "renewable", "climate"))
    assert any(SITE in link for link in answer.links)


def test_certifications_in_german(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Welche Zertifizierungen hat die ERNI Gruppe?", "de")
    assert "Minergie" in answer.text and "Holzbau Plus" in answer.text
    assert looks_german(answer.text)


def test_where_is_your_office(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Where is your office?", "en")
    assert "Guggibadstrasse 8" in answer.text and "Schongau" in answer.text


def test_opening_hours_in_german(kb: KnowledgeBase) -> None:
    assert "07:30" in ask(kb, "Wann habt ihr geöffnet?", "de").text


def test_services(kb: KnowledgeBase) -> None:
    text = ask(kb, "What services does ERNI offer?", "en").text
    assert "Holzbau" in text and "Spenglerei" in text and "Planung" in text


def test_construction_time(kb: KnowledgeBase) -> None:
    text = ask(kb, "How long does it take to build a timber house?", "en").text
    assert "weeks" in text or "months" in text


def test_roofing(kb: KnowledgeBase) -> None:
    assert "Spenglerei" in ask(kb, "Do you also do roofing work?", "en").text


def test_facade_care(kb: KnowledgeBase) -> None:
    answer = ask(kb, "What are your instructions for caring for a wooden facade?", "en")
    assert answer.entry_ids[0] == "maintenance-care"


def test_multi_family_references(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Can you show me your references for multi-family houses?", "en")
    assert answer.entry_ids[0] == "references"
    assert "Mettmenstetten" in answer.text


def test_apprenticeships(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Habt ihr offene Lehrstellen?", "de")
    assert answer.entry_ids[0] == "jobs-apprenticeships"
    assert "https://www.erni-gruppe.ch/jobs" in answer.links


def test_who_leads_the_spenglerei(kb: KnowledgeBase) -> None:
    assert "Alex Keller" in ask(kb, "Wer leitet die Spenglerei?", "de").text


def test_phone_number(kb: KnowledgeBase) -> None:
    assert "041 570 70 70" in ask(kb, "phone number", "en").text


def test_unrelated_question_has_no_answer(kb: KnowledgeBase) -> None:
    assert kb.answer("quantum chromodynamics lecture notes", "en") is None


# ---- more realistic phrasings ------------------------------------------------------------------

PHRASINGS = [
    # Swiss German / colloquial / typos
    ("Wänn händ ihr offä?", "de", "opening-hours"),
    ("Händ ihr am Fritig offä?", "de", "opening-hours"),
    ("Mached ihr au Dächer?", "de", "roofing"),
    ("Öffnugszeiten", "de", "opening-hours"),
    ("certifcations?", "en", "certifications"),
    ("Wo seid ihr?", "de", "location"),
    ("Was macht ihr?", "de", "all-services"),
    # German
    ("Habt ihr am Samstag offen?", "de", "opening-hours"),
    ("Wo befindet sich euer Büro?", "de", "location"),
    ("Telefonnummer", "de", "contact"),
    ("Was kostet ein Holzhaus?", "de", "cost-estimate"),
    ("Gibt es Fördergelder?", "de", "subsidies"),
    ("Was ist Minergie?", "de", "minergie"),
    ("Gebt ihr Garantie?", "de", "warranty-durability"),
    ("Welche Holzarten verwendet ihr?", "de", "wood-species"),
    ("Ist Holzbau nachhaltig?", "de", "sustainability"),
    ("Wie läuft ein Bauprojekt ab?", "de", "building-process"),
    ("Seid ihr auch Generalunternehmer?", "de", "general-contractor"),
    ("Arbeitet ihr mit Architekten zusammen?", "de", "architects"),
    ("Wer ist der Geschäftsführer?", "de", "team-management"),
    ("Ich suche eine Lehrstelle als Zimmermann", "de", "jobs-apprenticeships"),
    ("Baut ihr auch Ställe?", "de", "division-agrar"),
    ("Macht ihr auch Dachaufstockungen?", "de", "renovation"),
    ("Ich möchte einen Beratungstermin vereinbaren", "de", "consultation-booking"),
    ("Wie viele Mitarbeiter habt ihr?", "de", "company-overview"),
    ("Macht ihr Blitzschutz?", "de", "lightning-protection"),
    ("Wie pflege ich meine Holzfassade?", "de", "maintenance-care"),
    ("Mein Dach ist undicht", "de", "roofing"),
    ("Baut ihr auch Mehrfamilienhäuser?", "de", "multi-family-house"),
    ("Macht ihr auch Treppen?", "de", "interior-joinery"),
    ("Was ist der Unterschied zwischen Holzbau und Systembau?", "de", "construction-methods"),
    ("Wer ist für den Innenausbau zuständig?", "de", "division-ausbau"),
    ("Habt ihr eine Broschüre?", "de", "downloads"),
    # English
    ("are you open on friday afternoon?", "en", "opening-hours"),
    ("How much does a single family house cost?", "en", "cost-estimate"),
    ("Are there any subsidies for building with wood?", "en", "subsidies"),
    ("How long does a wooden house last?", "en", "warranty-durability"),
    ("What kind of wood do you use?", "en", "wood-species"),
    ("Is timber construction sustainable?", "en", "sustainability"),
    ("Can you act as general contractor?", "en", "general-contractor"),
    ("I already have an architect, can we work together?", "en", "architects"),
    ("Who is the CEO?", "en", "team-management"),
    ("Are you hiring?", "en", "jobs-apprenticeships"),
    ("Do you build barns for farmers?", "en", "division-agrar"),
    ("Can you renovate my old house?", "en", "renovation"),
    ("I'd like to book an appointment with an architect", "en", "consultation-booking"),
    ("When was ERNI founded?", "en", "company-history"),
    ("My larch facade is turning grey, is that normal?", "en", "maintenance-care"),
    ("Who heads the planning department?", "en", "division-planung"),
    ("Do you have any properties for sale?", "en", "marketplace"),
    ("How can I contact you?", "en", "contact"),
]


@pytest.mark.parametrize(("query", "lang", "entry_id"), PHRASINGS)
def test_customer_phrasings(kb: KnowledgeBase, query: str, lang: str, entry_id: str) -> None:
    answer = ask(kb, query, lang)
    assert answer.entry_ids[0] == entry_id
    entry = kb.get(entry_id)
    assert entry is not None
    assert answer.text.startswith(entry.text(lang))


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("quantum chromodynamics lecture notes", "en"),
        ("What's the weather tomorrow?", "en"),
        ("Wie koche ich Spaghetti?", "de"),
        ("Who won the football match yesterday?", "en"),
        ("Kannst du mir ein Gedicht schreiben?", "de"),
        ("Can I buy a car from you?", "en"),
        ("What is the capital of France?", "en"),
        ("Verkauft ihr Pizza?", "de"),
        ("hello", "en"),
        ("", "de"),
        ("?!", "en"),
    ],
)
def test_off_topic_questions_have_no_answer(kb: KnowledgeBase, query: str, lang: str) -> None:
    assert kb.answer(query, lang) is None


# ---- answer shape ------------------------------------------------------------------------------


def test_answer_language_follows_lang_not_query(kb: KnowledgeBase) -> None:
    german = ask(kb, "What are your opening hours?", "de")
    english = ask(kb, "Was sind eure Öffnungszeiten?", Language.EN)
    assert german.entry_ids == english.entry_ids == ("opening-hours",)
    assert "Montag" in german.text and "Monday" in english.text


def test_links_are_one_to_three_distinct_site_urls(kb: KnowledgeBase) -> None:
    for query, lang, _ in PHRASINGS:
        answer = ask(kb, query, lang)
        assert 1 <= len(answer.links) <= 3
        assert len(set(answer.links)) == len(answer.links)
        assert all(link.startswith("https://www.erni-gruppe.ch/") for link in answer.links)
        first_entry = kb.get(answer.entry_ids[0])
        assert first_entry is not None
        assert answer.links[0] == first_entry.urls[0]  # the entry's own links come first


def test_unrelated_page_links_are_not_added(kb: KnowledgeBase) -> None:
    # "open" also occurs in "open positions" on the jobs page; that is not an opening-hours link.
    assert "https://www.erni-gruppe.ch/jobs" not in ask(kb, "When are you open?", "en").links


def test_best_matching_page_is_added_as_extra_link(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Wie viele Mitarbeiter habt ihr?", "de")
    assert "https://www.erni-gruppe.ch/erni-gruppe/team" in answer.links


def test_two_part_question_gets_a_sentence_from_a_second_entry(kb: KnowledgeBase) -> None:
    answer = ask(kb, "How much does a house cost and can I get subsidies?", "en")
    assert answer.entry_ids == ("cost-estimate", "subsidies")
    assert "CHF" in answer.text and "Gebäudeprogramm" in answer.text
    assert "Yes, if" not in answer.text  # the appended sentence loses its leading "Yes,"


def test_single_topic_question_gets_a_single_entry(kb: KnowledgeBase) -> None:
    assert ask(kb, "How long does it take to build a timber house?", "en").entry_ids == ("construction-time",)


def test_answer_score_is_the_best_entry_score(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Gibt es Fördergelder?", "de")
    best = next(h for h in kb.search("Gibt es Fördergelder?", "de", k=10) if h.entry.kind == "entry")
    assert answer.score == pytest.approx(best.score)


# ---- search ------------------------------------------------------------------------------------


def test_search_returns_ranked_hits_of_both_kinds(kb: KnowledgeBase) -> None:
    hits = kb.search("Öffnungszeiten", "de", k=5)
    assert 1 <= len(hits) <= 5
    assert all(isinstance(h, Hit) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert {h.entry.kind for h in hits} == {"entry", "page"}
    assert all(0.0 <= h.coverage <= 1.0 for h in hits)


def test_search_finds_pages_by_their_tags(kb: KnowledgeBase) -> None:
    urls = [h.entry.urls[0] for h in kb.search("lightning protection", "en", k=3)]
    assert "https://www.erni-gruppe.ch/spenglerei/blitzschutz" in urls


def test_search_edge_cases(kb: KnowledgeBase) -> None:
    assert kb.search("Holz", "de", k=0) == []
    assert kb.search("", "de") == []
    assert kb.search("quantum chromodynamics", "en") == []


# ---- construction from plain entries (as loaded from the database) -----------------------------


def test_knowledge_base_from_plain_database_rows() -> None:
    rows = [row for row in load_entry_dicts() if row["id"] in {"opening-hours", "contact", "location"}]
    kb = KnowledgeBase(KnowledgeEntry.from_dict(row) for row in rows)
    assert len(kb.entries) == 3
    answer = ask(kb, "Wann habt ihr geöffnet?", "de")
    assert answer.entry_ids == ("opening-hours",)
    assert kb.answer("Welche Holzarten verwendet ihr?", "de") is None


def test_knowledge_base_with_a_custom_entry() -> None:
    entry = KnowledgeEntry(
        id="parking",
        topic="contact",
        title_de="Parkplätze",
        title_en="Parking",
        text_de="Besucherparkplätze gibt es direkt vor dem Haus.",
        text_en="Visitor parking is right in front of the building.",
        keywords=("Parkplatz", "parken", "parking", "car park"),
        urls=("https://www.erni-gruppe.ch/kontakt",),
    )
    kb = KnowledgeBase([entry])
    assert ask(kb, "Wo kann ich parken?", "de").text == entry.text_de
    assert ask(kb, "Is there parking?", "en").links == ("https://www.erni-gruppe.ch/kontakt",)


def test_empty_knowledge_base_knows_nothing() -> None:
    kb = KnowledgeBase([])
    assert kb.search("Holz", "de") == []
    assert kb.answer("Holz", "de") is None
